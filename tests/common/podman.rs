//! Helpers for the tests that run podman (tests/container.rs,
//! tests/pod.rs): the images' architectures and binaries, and a podman
//! session per test (its own containers.conf, unique names, everything it
//! made removed on drop). Included by those files with
//! `#[path = "common/podman.rs"] mod podman;`.
//!
//! The tests share the host's podman storage, so within a test binary they
//! run one at a time (a static lock); cargo runs test binaries one after
//! another. Every name starts with `mite-ct-<pid of the test process>-`;
//! what a killed run left behind is removed by the next run (of either
//! file).
#![allow(dead_code)] // each includer uses its own part

use crate::common::*;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// Upper bound for any single podman command.
pub const PODMAN_SECS: u64 = 120;

/// The repository (examples/, scripts/).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// ELF e_machine values.
pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

/// The e_machine field of an ELF file's header (bytes 18-19, little-endian).
pub fn elf_machine(path: &Path) -> u16 {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        b.starts_with(b"\x7fELF") && b.len() > 20,
        "{}: not an ELF file",
        path.display()
    );
    u16::from_le_bytes([b[18], b[19]])
}

/// An architecture of the images: its OCI name, its ELF machine, where its
/// mite and its busybox-static come from.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Arch {
    Amd64,
    Arm64,
}
pub use Arch::*;

impl Arch {
    pub fn oci(self) -> &'static str {
        match self {
            Amd64 => "amd64",
            Arm64 => "arm64",
        }
    }

    pub fn machine(self) -> u16 {
        match self {
            Amd64 => EM_X86_64,
            Arm64 => EM_AARCH64,
        }
    }

    /// The mite binary: cargo's build of this test run for amd64 (the host),
    /// the aarch64 cross build (made here) for arm64; copied once per run,
    /// so every image of the run holds the same bytes even if cargo
    /// rewrites target/ meanwhile.
    pub fn mite(self) -> PathBuf {
        static AMD64: OnceLock<PathBuf> = OnceLock::new();
        static ARM64: OnceLock<PathBuf> = OnceLock::new();
        let (cell, built) = match self {
            Amd64 => (&AMD64, PathBuf::from(env!("CARGO_BIN_EXE_mite"))),
            Arm64 => (
                &ARM64,
                repo().join("target/aarch64-unknown-linux-musl/release/mite"),
            ),
        };
        cell.get_or_init(|| {
            if self == Arm64 {
                build_aarch64();
            }
            let dir = bin_dir();
            std::fs::create_dir_all(&dir).unwrap();
            let copy = dir.join(format!("mite-{}", self.oci()));
            std::fs::copy(&built, &copy).unwrap_or_else(|e| panic!("{}: {e}", built.display()));
            let m = elf_machine(&copy);
            assert_eq!(m, self.machine(), "{}: wrong architecture", built.display());
            copy
        })
        .clone()
    }

    pub fn busybox(self) -> PathBuf {
        let p = match self {
            Amd64 => PathBuf::from("/bin/busybox"),
            Arm64 => repo().join("target/refs/arm64/bin/busybox"),
        };
        assert!(
            p.exists(),
            "{} is missing: run scripts/setup.sh",
            p.display()
        );
        assert_eq!(
            elf_machine(&p),
            self.machine(),
            "{}: wrong architecture",
            p.display()
        );
        p
    }
}

/// This run's copies of the binaries (removed by the next run).
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("container-{}", std::process::id()))
}

/// `cargo build --release --target aarch64-unknown-linux-musl` (cargo does
/// not hold its build lock while tests run).
pub fn build_aarch64() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args = [
        "build",
        "--release",
        "--target",
        "aarch64-unknown-linux-musl",
    ];
    let o = run(Command::new(cargo).args(args).current_dir(repo()), 600);
    assert_eq!(o.code, Some(0), "aarch64 build failed: {}", o.stderr);
}

/// arm64 images run through qemu-user registered with binfmt_misc. The
/// Debian interpreter (`aarch64-binfmt-P`) expects the kernel to pass the
/// original argv[0] (flag P); without it every argument moves one place and
/// mite would see `--` as its name. F makes the interpreter usable inside
/// containers.
pub fn check_binfmt() {
    let entry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";
    let s = std::fs::read_to_string(entry)
        .unwrap_or_else(|e| panic!("{entry}: {e}: run scripts/setup.sh (binfmt_misc for arm64)"));
    assert!(s.starts_with("enabled"), "{entry} is disabled:\n{s}");
    let flags = s
        .lines()
        .find_map(|l| l.strip_prefix("flags: "))
        .unwrap_or("");
    assert!(
        flags.contains('F') && flags.contains('P'),
        "{entry} has flags '{flags}', needs P and F (register /usr/lib/binfmt.d/qemu-aarch64.conf as is)"
    );
}

/// Serializes the tests of this file; poisoning by a failed test must not
/// fail the others.
pub fn lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// One test's podman session: its own containers.conf, unique names, and
/// everything it created, removed on drop (also when the test fails).
pub struct Podman {
    pub tag: String,
    pub dir: PathBuf,
    pub conf: PathBuf,
    pub pods: RefCell<Vec<String>>,
    pub containers: RefCell<Vec<String>>,
    pub manifests: RefCell<Vec<String>>,
    pub images: RefCell<Vec<String>>,
    // Dropped last (fields drop after `Drop::drop`): the cleanup runs under
    // the lock.
    _lock: MutexGuard<'static, ()>,
}

/// The name prefix of everything this test process creates.
pub fn prefix() -> String {
    format!("mite-ct-{}-", std::process::id())
}

impl Podman {
    pub fn new(tag: &str) -> Podman {
        let lock = lock();
        static SWEPT: OnceLock<()> = OnceLock::new();
        let dir = tempdir(&format!("ct-{tag}"));
        let p = Podman {
            tag: format!("{}{tag}", prefix()),
            conf: dir.join("containers.conf"),
            dir,
            pods: RefCell::default(),
            containers: RefCell::default(),
            manifests: RefCell::default(),
            images: RefCell::default(),
            _lock: lock,
        };
        p.write_conf("");
        SWEPT.get_or_init(|| p.sweep_dead_runs());
        p
    }

    /// The containers.conf of every podman call: runc (crun fails on this
    /// host's hybrid cgroups), ulimits below the host's hard limits, no
    /// network; `engine` adds lines to the [engine] table.
    pub fn write_conf(&self, engine: &str) {
        let text = format!(
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=2000:2000\"]\n\
             netns = \"none\"\n[engine]\nruntime = \"runc\"\n{engine}"
        );
        std::fs::write(&self.conf, text).unwrap();
    }

    /// Removes what earlier runs of this file left behind when they were
    /// killed: names with the prefix of a process that no longer exists.
    pub fn sweep_dead_runs(&self) {
        let dead = |name: &str| {
            let rest = name.trim_start_matches("localhost/");
            let Some(pid) = rest
                .strip_prefix("mite-ct-")
                .and_then(|r| r.split('-').next())
                .filter(|pid| pid.parse::<u32>().is_ok())
            else {
                return false;
            };
            pid != std::process::id().to_string() && !Path::new("/proc").join(pid).exists()
        };
        let list = |args: &[&str]| -> Vec<String> {
            self.out(args)
                .stdout
                .lines()
                .map(str::to_string)
                .filter(|n| dead(n))
                .collect()
        };
        for pod in list(&["pod", "ps", "--format", "{{.Name}}"]) {
            self.quiet(&["pod", "rm", "-f", "-t", "0", &pod]);
        }
        for c in list(&["ps", "-a", "--format", "{{.Names}}"]) {
            self.quiet(&["rm", "-f", "-t", "0", &c]);
        }
        for i in list(&["images", "--format", "{{.Repository}}:{{.Tag}}"]) {
            self.quiet(&["manifest", "rm", &i]);
            self.quiet(&["rmi", "-f", &i]);
        }
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("container-") {
                if dead(&format!("mite-ct-{pid}-")) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }

    /// A name unique to this test: `mite-ct-<pid>-<test>-<what>`.
    pub fn name(&self, what: &str) -> String {
        format!("{}-{what}", self.tag)
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("podman");
        c.env("CONTAINERS_CONF", &self.conf).args(args);
        c
    }

    /// Runs podman; the result whatever it is.
    pub fn out(&self, args: &[&str]) -> Out {
        let o = self.quiet(args);
        assert!(!o.timed_out, "podman {args:?} timed out: {o:#?}");
        o
    }

    /// Runs podman for cleaning up: never panics (it runs in `drop`, maybe
    /// while a failed test unwinds).
    pub fn quiet(&self, args: &[&str]) -> Out {
        run(&mut self.cmd(args), PODMAN_SECS)
    }

    /// Runs podman, which must succeed; its stdout, trimmed.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.out(args);
        assert_eq!(o.code, Some(0), "podman {args:?} failed: {o:#?}");
        o.stdout.trim().to_string()
    }

    /// A build context holding `mite` and `busybox` for `arch`.
    pub fn context(&self, arch: Arch) -> PathBuf {
        let d = self.dir.join(format!("ctx-{}", arch.oci()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(arch.mite(), d.join("mite")).unwrap();
        std::fs::copy(arch.busybox(), d.join("busybox")).unwrap();
        d
    }

    /// `podman build` of `file` in `context` as image `what`; never pulls.
    pub fn build(
        &self,
        what: &str,
        arch: Arch,
        file: &Path,
        context: &Path,
        extra: &[&str],
    ) -> String {
        let image = format!("localhost/{}:latest", self.name(what));
        self.images.borrow_mut().push(image.clone());
        let (file, context) = (file.to_str().unwrap(), context.to_str().unwrap());
        let mut args = vec!["build", "--quiet", "--pull=never", "--isolation", "chroot"];
        args.extend(["--arch", arch.oci(), "-f", file, "-t", &image]);
        args.extend(extra);
        args.push(context);
        self.ok(&args);
        image
    }

    /// A Containerfile written into the test's directory.
    pub fn containerfile(&self, what: &str, text: &str) -> PathBuf {
        let f = self.dir.join(format!("Containerfile.{what}"));
        std::fs::write(&f, text).unwrap();
        f
    }

    /// examples/Containerfile for `arch`: mite as ENTRYPOINT, busybox.
    pub fn example(&self, arch: Arch) -> String {
        let file = repo().join("examples/Containerfile");
        self.build(
            &format!("example-{}", arch.oci()),
            arch,
            &file,
            &self.context(arch),
            &[],
        )
    }

    /// The busybox-only stage of examples/Containerfile: no init at all.
    pub fn busybox(&self, arch: Arch) -> String {
        let file = repo().join("examples/Containerfile");
        let what = format!("busybox-{}", arch.oci());
        self.build(
            &what,
            arch,
            &file,
            &self.context(arch),
            &["--target", "busybox"],
        )
    }

    /// `podman run --rm` in the foreground: the container's status is
    /// podman's.
    pub fn run(&self, args: &[&str]) -> Out {
        let mut a = vec!["run", "--rm", "--pull=never", "--network", "none"];
        a.extend(args);
        self.out(&a)
    }

    /// `podman run -d --name NAME ...`: a container to stop, signal, wait for.
    pub fn start(&self, what: &str, args: &[&str]) -> String {
        let name = self.name(what);
        self.containers.borrow_mut().push(name.clone());
        let mut a = vec![
            "run",
            "-d",
            "--name",
            &name,
            "--pull=never",
            "--network",
            "none",
        ];
        a.extend(args);
        self.ok(&a);
        name
    }

    /// The container's output so far, stdout and stderr.
    pub fn logs(&self, ctr: &str) -> String {
        let o = self.out(&["logs", ctr]);
        o.stdout + &o.stderr
    }

    /// Waits until the container's output contains `needle`.
    #[track_caller]
    pub fn wait_log(&self, ctr: &str, needle: &str, secs: u64) -> String {
        let mut last = String::new();
        let found = wait_for(secs, || {
            last = self.logs(ctr);
            std::thread::sleep(Duration::from_millis(50));
            last.contains(needle).then_some(())
        });
        assert!(
            found.is_some(),
            "{ctr}: no '{needle}' in its output after {secs} s:\n{last}"
        );
        last
    }

    pub fn inspect(&self, ctr: &str, format: &str) -> String {
        self.ok(&["inspect", "--format", format, ctr])
    }

    pub fn exit_code(&self, ctr: &str) -> i32 {
        self.inspect(ctr, "{{.State.ExitCode}}").parse().unwrap()
    }

    /// `podman stop -t SECS`: how long it took, and the container's status.
    pub fn stop(&self, ctr: &str, secs: u32) -> (Duration, i32) {
        let t = Instant::now();
        self.ok(&["stop", "-t", &secs.to_string(), ctr]);
        let took = t.elapsed();
        (took, self.exit_code(ctr))
    }

    /// `podman stop -t 10` of a running program without a SIGTERM handler
    /// under mite: it must die of the forwarded SIGTERM (143), before the
    /// timeout (the SIGKILL at the timeout would give 137). Prints the time
    /// with `label` (well under a second on an idle machine); the bound is
    /// the timeout, not a wall-clock guess that a loaded machine exceeds.
    #[track_caller]
    pub fn stop_at_once(&self, ctr: &str, label: &str) {
        let (took, code) = self.stop(ctr, 10);
        eprintln!("podman stop -t 10, {label}: {took:.2?}, exit {code}");
        // 143, not the 137 of podman's SIGKILL at the timeout; the time
        // is printed, not asserted.
        assert_eq!(
            code, 143,
            "{label}: the program dies of the forwarded SIGTERM"
        );
    }

    /// Zombies in the container's PID namespace, counted from inside.
    pub fn zombies(&self, ctr: &str) -> usize {
        let stats = self.ok(&["exec", ctr, "sh", "-c", "cat /proc/[0-9]*/stat 2>/dev/null"]);
        stats
            .lines()
            .filter(|l| l.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z')))
            .count()
    }

    /// `podman create` + `podman cp`: a file of an image, on the host.
    pub fn extract(&self, image: &str, arch: Arch, path: &str) -> PathBuf {
        let name = self.name(&format!("cp-{}", arch.oci()));
        self.containers.borrow_mut().push(name.clone());
        self.ok(&[
            "create",
            "--pull=never",
            "--arch",
            arch.oci(),
            "--name",
            &name,
            image,
        ]);
        let dest = self
            .dir
            .join(format!("{}-{}", path.trim_start_matches('/'), arch.oci()));
        self.ok(&["cp", &format!("{name}:{path}"), dest.to_str().unwrap()]);
        self.ok(&["rm", &name]);
        dest
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        for pod in self.pods.borrow().iter() {
            self.quiet(&["pod", "rm", "-f", "-t", "0", pod]);
        }
        for c in self.containers.borrow().iter() {
            self.quiet(&["rm", "-f", "-t", "0", c]);
        }
        for m in self.manifests.borrow().iter() {
            self.quiet(&["manifest", "rm", m]);
        }
        for i in self.images.borrow().iter().rev() {
            self.quiet(&["rmi", "-f", i]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
