//! Link flags for the `mite` binary only (`rustc-link-arg-bins`), so the std
//! test binaries of the library link as usual.
//!
//! The binary has its own `_start`, no libc and no start files. What each
//! flag saves or guarantees:
//! - no start files / no default libraries: no crt1.o, no libc, no libgcc_s;
//! - `-static`, no PIE: a fixed load address, so there is no dynamic loader
//!   (PT_INTERP), no PT_DYNAMIC and no relocation to apply at start;
//! - `linker.ld`: one loadable segment, no .comment, no .eh_frame, no notes;
//! - `--build-id=none`: no 36-byte build-id note;
//! - `-z noexecstack`: a non-executable stack (PT_GNU_STACK RW);
//! - `-n` (nmagic): sections are not padded to page boundaries in the file;
//! - `--gc-sections`: unreferenced functions and data are dropped.
use std::env;
use std::process::Command;

/// The commit the binary is built from, for `--version` (`git.COMMIT`, as
/// Docker parses it): `MITE_COMMIT` if set (a build from a tarball),
/// else `git rev-parse`, with `-dirty` when tracked files differ from it,
/// else `unknown`. It depends only on the checkout's content, never on
/// the time, the path or the machine, so a commit builds to the same bytes.
fn commit(dir: &str) -> String {
    if let Ok(c) = env::var("MITE_COMMIT") {
        return c;
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(hash) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    // Rebuild when HEAD moves or the index changes (a commit, a checkout).
    if let Some(d) = git(&["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={d}/HEAD");
        println!("cargo:rerun-if-changed={d}/index");
        if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={d}/{r}");
        }
    }
    let dirty = git(&[
        "--no-optional-locks",
        "status",
        "--porcelain",
        "--untracked-files=no",
    ])
    .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{hash}-dirty")
    } else {
        hash
    }
}

fn main() {
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    println!("cargo:rerun-if-env-changed=MITE_COMMIT");
    println!("cargo:rustc-env=MITE_COMMIT={}", commit(&dir));
    let script = format!("{dir}/linker.ld");
    println!("cargo:rerun-if-changed=linker.ld");
    println!("cargo:rerun-if-changed=build.rs");

    // Is the linker driven directly (rust-lld as ld.lld) or through cc?
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let direct = flags.contains("linker-flavor=ld.lld");

    let ld_flags = [
        format!("-T{script}"),
        "--gc-sections".to_string(),
        "--build-id=none".to_string(),
        "-z".to_string(),
        "noexecstack".to_string(),
        "-z".to_string(),
        "norelro".to_string(),
        "-n".to_string(),
    ];
    if direct {
        println!("cargo:rustc-link-arg-bins=-static");
        println!("cargo:rustc-link-arg-bins=--no-pie");
        for f in &ld_flags {
            println!("cargo:rustc-link-arg-bins={f}");
        }
    } else {
        for f in [
            "-nostartfiles",
            "-nostdlib",
            "-nodefaultlibs",
            "-static",
            "-no-pie",
        ] {
            println!("cargo:rustc-link-arg-bins={f}");
        }
        // Pass pairs such as `-z noexecstack` as one -Wl argument.
        let mut it = ld_flags.iter();
        while let Some(f) = it.next() {
            if f == "-z" {
                if let Some(v) = it.next() {
                    println!("cargo:rustc-link-arg-bins=-Wl,-z,{v}");
                }
            } else {
                println!("cargo:rustc-link-arg-bins=-Wl,{f}");
            }
        }
    }
}
