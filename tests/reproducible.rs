//! Reproducible builds: the commit under test, cloned twice into
//! directories of different path lengths and built independently with
//! scripts/release.sh by two builders that share nothing but the pinned
//! toolchain and the crates already downloaded, gives byte-for-byte the
//! same release set: both binaries and the two-architecture OCI image.
//!
//! What differs between the two builders:
//! - the checkout's path and length, the target directory;
//! - $HOME and $CARGO_HOME (B's registry is a symlink to A's crates, so
//!   the crates' source paths differ too, and the build stays offline);
//! - the host name (B builds in a UTS namespace of its own);
//! - the clock (B runs under libfaketime, in 2003; rustc itself is left
//!   out through a RUSTC_WRAPPER, because libfaketime deadlocks rustc's
//!   jemalloc at start-up), TZ, SOURCE_DATE_EPOCH, the locale, the umask.
//!
//! Neither binary may hold a checkout path, a home directory or a host
//! name, and `--version` names the commit. When the checkout under test
//! is clean, the release binary is also the very binary that the rest of
//! the suite tested (x86_64).
//!
//! Architecture-independent: scripts/test.sh runs it once, not again in
//! the aarch64 pass. About 15 s on two idle cores (the crates are cached).
mod common;
use common::*;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Upper bound for one builder's clone and release build.
const BUILD_SECS: u64 = 300;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `git -C dir args...`, which must succeed; its trimmed stdout.
#[track_caller]
fn git(dir: &Path, args: &[&str]) -> String {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir).args(args);
    let o = run(&mut c, 120);
    assert_eq!(o.code, Some(0), "git {args:?} in {}: {o:#?}", dir.display());
    o.stdout.trim().to_string()
}

/// One builder: a clone of the commit and the environment it builds in.
struct Builder {
    tag: &'static str,
    clone: PathBuf,
    out: PathBuf,
    image: String,
    env: Vec<(String, OsString)>,
    /// Programs the build runs under (unshare, faketime...), before
    /// scripts/release.sh.
    wrap: Vec<OsString>,
}

impl Builder {
    /// Clones the commit into `clone` (a fresh directory).
    fn new(tag: &'static str, base: &Path, clone: PathBuf, commit: &str) -> Builder {
        std::fs::create_dir_all(clone.parent().unwrap()).unwrap();
        let mut c = Command::new("git");
        c.args(["clone", "--quiet", "--no-checkout"])
            .arg(repo())
            .arg(&clone);
        let o = run(&mut c, 120);
        assert_eq!(
            o.code,
            Some(0),
            "git clone into {}: {o:#?}",
            clone.display()
        );
        git(&clone, &["checkout", "--quiet", "--detach", commit]);
        let target = base.join(format!("target-{tag}"));
        let mut env: Vec<(String, OsString)> = vec![
            ("PATH".into(), path_with_cargo()),
            ("RUSTUP_HOME".into(), rustup_home().into()),
            ("CARGO_TARGET_DIR".into(), target.into()),
            // Both builds use only the crates already downloaded.
            ("CARGO_NET_OFFLINE".into(), "true".into()),
        ];
        if let Some(conf) = podman_conf() {
            env.push(("CONTAINERS_CONF".into(), conf.into()));
        }
        Builder {
            tag,
            out: base.join(format!("set-{tag}")),
            image: format!("localhost/mite-repro-{}-{tag}:latest", std::process::id()),
            clone,
            env,
            wrap: Vec::new(),
        }
    }

    fn env(&mut self, k: &str, v: impl Into<OsString>) {
        self.env.push((k.into(), v.into()));
    }

    /// Runs scripts/release.sh of the clone; panics with its output if it
    /// fails or takes longer than BUILD_SECS.
    fn release(&self) {
        let mut argv: Vec<OsString> = self.wrap.clone();
        argv.push(self.clone.join("scripts/release.sh").into());
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..])
            .arg("--out")
            .arg(&self.out)
            .args(["--name", &self.image])
            .current_dir(&self.clone)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        let t = std::time::Instant::now();
        let o = run(&mut c, BUILD_SECS);
        assert!(
            !o.timed_out,
            "builder {}: release.sh took over {BUILD_SECS} s: {o:#?}",
            self.tag
        );
        assert_eq!(
            o.code,
            Some(0),
            "builder {}: release.sh failed: {o:#?}",
            self.tag
        );
        eprintln!(
            "builder {} ({}), {:.1} s:\n{}",
            self.tag,
            self.clone.display(),
            t.elapsed().as_secs_f64(),
            o.stdout.trim_end()
        );
    }

    fn file(&self, name: &str) -> Vec<u8> {
        let p = self.out.join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("builder {}: {}: {e}", self.tag, p.display()))
    }
}

impl Drop for Builder {
    /// The images go in every case; the directories only when the test
    /// passed (they stay for a post-mortem otherwise).
    fn drop(&mut self) {
        remove_image(&self.image);
    }
}

/// `podman ARGS`, whatever its result (for cleaning up).
fn podman(args: &[&str]) -> Out {
    let mut c = Command::new("podman");
    if let Some(conf) = podman_conf() {
        c.env("CONTAINERS_CONF", conf);
    }
    run(c.args(args), 120)
}

/// Removes the manifest list `name` and its per-architecture images.
fn remove_image(name: &str) {
    podman(&["manifest", "rm", name]);
    for a in ["amd64", "arm64"] {
        podman(&["rmi", "--force", &format!("{name}-{a}")]);
    }
}

/// Removes the images that a killed run of this test left behind
/// (`localhost/mite-repro-PID-...` of a process that is gone).
fn remove_stale_images() {
    let o = podman(&["images", "--format", "{{.Repository}}"]);
    let mut names: Vec<&str> = o.stdout.lines().collect();
    names.dedup();
    for repo in names {
        let Some(rest) = repo.strip_prefix("localhost/mite-repro-") else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            remove_image(&format!("{repo}:latest"));
        }
    }
}

fn podman_conf() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("CONTAINERS_CONF") {
        return Some(c.into());
    }
    let c = repo().join("target/podman/containers.conf");
    c.exists().then_some(c)
}

fn home() -> PathBuf {
    std::env::var_os("HOME").expect("HOME").into()
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cargo"))
}

fn rustup_home() -> PathBuf {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".rustup"))
}

/// PATH with the rustup proxies first: in a clone, rust-toolchain.toml
/// picks the toolchain, as for anyone who builds it.
fn path_with_cargo() -> OsString {
    let mut dirs = vec![cargo_home().join("bin")];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn sha256sums(b: &Builder) -> String {
    String::from_utf8(b.file("SHA256SUMS")).unwrap()
}

/// The `--version` line of a release binary (aarch64 through qemu-user).
fn version(path: &Path) -> String {
    let elf = std::fs::read(path).unwrap();
    let mut c = if elf.get(18..20) == Some(&[183, 0]) {
        // e_machine EM_AARCH64
        let mut c = Command::new("qemu-aarch64-static");
        c.arg(path);
        c
    } else {
        Command::new(path)
    };
    let o = run(c.arg("--version"), 30);
    assert_eq!(o.code, Some(0), "{} --version: {o:#?}", path.display());
    o.stdout.trim().to_string()
}

#[test]
fn two_clones_built_apart_give_the_same_bytes() {
    let commit = git(repo(), &["rev-parse", "HEAD"]);
    let short = git(repo(), &["rev-parse", "--short=12", "HEAD"]);
    assert!(
        Path::new("/usr/bin/faketime").exists(),
        "faketime is not installed (scripts/setup.sh installs it)"
    );
    remove_stale_images();
    let base = tempdir("repro");

    // A: the usual build, where the tests run.
    let mut a = Builder::new("a", &base, base.join("a"), &commit);
    a.env("HOME", home());
    a.env("CARGO_HOME", cargo_home());
    a.env("TZ", "UTC");
    a.env("LC_ALL", "C");

    // B: another user on another machine, at another time, in a deeper
    // directory.
    let b_clone = base.join("another/builder-with-a-much-longer/checkout-path/mite");
    let mut b = Builder::new("b", &base, b_clone, &commit);
    let b_home = base.join("home-of-builder-b");
    let b_cargo = b_home.join(".cargo");
    std::fs::create_dir_all(&b_cargo).unwrap();
    std::os::unix::fs::symlink(cargo_home().join("registry"), b_cargo.join("registry")).unwrap();
    b.env("HOME", &b_home);
    b.env("CARGO_HOME", &b_cargo);
    b.env("TZ", "Pacific/Chatham");
    b.env("LANG", "C.UTF-8");
    b.env("LC_ALL", "C.UTF-8");
    b.env("SOURCE_DATE_EPOCH", "1049522828");
    // rustc runs without libfaketime (see the module comment): cargo
    // starts it through RUSTC_WRAPPER, release.sh (`rustc -V`) through a
    // `rustc` first in PATH.
    let shims = base.join("shims-of-builder-b");
    std::fs::create_dir_all(&shims).unwrap();
    let script = |name: &str, body: String| {
        let p = shims.join(name);
        std::fs::write(&p, format!("#!/bin/sh\nunset LD_PRELOAD\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        p
    };
    b.env(
        "RUSTC_WRAPPER",
        script("without-faketime", r#"exec "$@""#.into()),
    );
    let rustc = cargo_home().join("bin/rustc");
    script("rustc", format!(r#"exec '{}' "$@""#, rustc.display()));
    let mut path = vec![shims.clone()];
    path.extend(std::env::split_paths(&path_with_cargo()));
    b.env("PATH", std::env::join_paths(path).unwrap());
    let b_host = format!("mite-repro-builder-{}", std::process::id());
    b.wrap = [
        "unshare",
        "--uts",
        "--",
        "sh",
        "-c",
        r#"hostname "$1" && umask 077 && shift && exec "$@""#,
        "sh",
        &b_host,
        "faketime",
        "2003-04-05 06:07:08",
    ]
    .iter()
    .map(OsString::from)
    .collect();

    a.release();
    b.release();

    // The same set, file by file.
    let sums = sha256sums(&a);
    assert_eq!(sums, sha256sums(&b), "the two release sets differ");
    let files = ["mite-x86_64", "mite-aarch64", "mite-image.oci.tar"];
    for f in files {
        assert!(
            sums.contains(&format!("  {f}\n")),
            "SHA256SUMS lacks {f}: {sums}"
        );
        assert!(a.file(f) == b.file(f), "{f} differs between the builds");
    }
    eprintln!("commit {commit}: both builds give\n{sums}");

    // Nothing of either builder in the binaries.
    let mut leaks: Vec<String> = vec![
        base.display().to_string(),
        a.clone.display().to_string(),
        b.clone.display().to_string(),
        home().display().to_string(),
        cargo_home().display().to_string(),
        b_home.display().to_string(),
        b_host.clone(),
        "registry/src".into(),
        "index.crates.io".into(),
    ];
    // A short host name ("vm") would match bytes by chance.
    let host = hostname();
    if host.len() >= 6 {
        leaks.push(host);
    } else {
        eprintln!("host name {host:?} too short to look for");
    }
    for f in ["mite-x86_64", "mite-aarch64"] {
        let bytes = a.file(f);
        let found: Vec<&String> = leaks.iter().filter(|l| contains(&bytes, l)).collect();
        assert!(found.is_empty(), "{f} holds {found:?}");
        // --version names the commit, as Docker parses it.
        let v = version(&a.out.join(f));
        assert!(
            v.ends_with(&format!(" - git.{short}")),
            "{f} --version: {v:?}"
        );
    }

    // The binary the suite tested is the released one, when it says it
    // was built from this commit, unchanged (not -dirty).
    let tested = Path::new(env!("CARGO_BIN_EXE_mite"));
    let says = version(tested);
    if says.ends_with(&format!(" - git.{short}")) {
        assert!(
            std::fs::read(tested).unwrap() == a.file("mite-x86_64"),
            "the x86_64 binary under test ({}) differs from the release build of {short}",
            tested.display()
        );
    } else {
        eprintln!("the tested binary is not compared: it is not a build of {short} ({says:?})");
    }

    drop(a);
    drop(b);
    let _ = std::fs::remove_dir_all(&base);
}
