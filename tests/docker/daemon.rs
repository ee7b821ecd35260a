//! Private Docker daemons for tests/docker.rs, and the client calls the
//! tests make against them.
//!
//! Each test starts its own dockerd (about half a second) with its own data
//! root, exec root, pidfile, unix socket, daemon.json and cgroup parent,
//! all under one temporary directory, and never touches the host's default
//! socket. The daemon runs in a PID and mount namespace of its own:
//!
//! ```text
//! unshare --pid --fork --mount-proc --kill-child   (a child of the test)
//!   sh: mount a tmpfs on /run, exec
//!     tini -- dockerd ...          (PID 1 of the namespace: Debian's tini,
//!       containerd, shims,          not the mite under test, so a fault in
//!       every container             mite cannot break the harness)
//! ```
//!
//! Why: killing the namespace's PID 1 kills every process of it at once,
//! containers and shims included, and the mounts dockerd and containerd make
//! (the tmpfs on /run that holds containerd's shim sockets and runc's state,
//! each container's shm, network namespaces) vanish with the mount
//! namespace, so nothing is left on the host. `Daemon`'s `Drop` does that
//! on every path, a failed assertion included, reaps the process and
//! removes the cgroups and the directory. If the test process itself is
//! killed, `unshare` gets SIGKILL (PR_SET_PDEATHSIG, set from the test's
//! thread, which owns the daemon until its end) and `--kill-child` passes it
//! on to the namespace; the next run removes the directories and cgroups
//! that such a run left (`sweep_dead_runs`).
//!
//! The client is /usr/bin/docker by its full path: Debian's docker.io 20.10,
//! the one packaged with this dockerd. Another client may come first on
//! PATH (here /usr/local/bin/docker, Docker 28: it downgrades its API to
//! the daemon's 1.41 and prints a deprecation notice for every classic
//! build); it is no part of docker.io, so a fresh machine may have another
//! one or none, and the tests would not know what they test. Its
//! environment is cleared: only DOCKER_HOST (the private socket), a private
//! DOCKER_CONFIG and DOCKER_BUILDKIT=0 (the classic builder, 20.10's
//! default, said explicitly).

use crate::common::*;

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

pub const DOCKER: &str = "/usr/bin/docker";
pub const DOCKERD: &str = "/usr/sbin/dockerd";
pub const COMPOSE: &str = "/usr/bin/docker-compose";
/// Debian's tini: PID 1 of each daemon's namespace.
const NS_INIT: &str = "/usr/bin/tini";
/// The environment of dockerd, the client and compose: no variable of the
/// test's environment reaches them (a DOCKER_HOST, DOCKER_CONTEXT or
/// DOCKER_BUILDKIT there would change what they talk to or how).
const PATH: &str = "/usr/sbin:/usr/bin:/sbin:/bin";

/// Upper bound for one client command (a build or a load included).
pub const CMD_SECS: u64 = 180;

/// The repository (examples/, scripts/).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------
// One test at a time

/// Held by a test for its whole run: the tests of this file run one at a
/// time, so that their timings do not compete with each other on a 2-core
/// machine. Poisoning by a failed test must not fail the others.
pub struct Serial(#[allow(dead_code)] MutexGuard<'static, ()>);

pub fn serial() -> Serial {
    static LOCK: Mutex<()> = Mutex::new(());
    Serial(LOCK.lock().unwrap_or_else(|e| e.into_inner()))
}

// ---------------------------------------------------------------------
// The daemon

extern "C" {
    fn prctl(option: i32, ...) -> i32;
}
const PR_SET_PDEATHSIG: i32 = 1;
const SIGKILL: i32 = 9;

/// Inside the new mount namespace, before the daemon starts: a private
/// tmpfs on /run, where containerd puts its shim sockets (/run/containerd/s)
/// and runc its state whatever the daemon's exec root, so they go away with
/// the namespace.
const NS_SCRIPT: &str = "mount -t tmpfs -o mode=0755 tmpfs /run && exec \"$@\"";

/// A private dockerd; stopped, reaped and removed on drop.
pub struct Daemon {
    /// Everything of this daemon: data/, exec/, docker.sock, daemon.json,
    /// dockerd.log, the client's config, the tests' files.
    pub dir: PathBuf,
    pub sock: PathBuf,
    pub log: PathBuf,
    /// The cgroup parent of its containers, in every hierarchy.
    cgroup: String,
    unshare: Option<Child>,
}

impl Daemon {
    /// Starts a daemon whose init (`docker run --init`, daemon.json
    /// "init-path") is `init`, and waits until it answers.
    #[track_caller]
    pub fn start(serial: &Serial, init: &Path) -> Daemon {
        Daemon::start_with(serial, init, "")
    }

    /// As `start`, with more members for daemon.json (`"init": true`).
    #[track_caller]
    pub fn start_with(_serial: &Serial, init: &Path, more_json: &str) -> Daemon {
        sweep_dead_runs();
        let dir = tempdir("docker");
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let sock = dir.join("docker.sock");
        let log = dir.join("dockerd.log");
        // daemon.json as a user would write it (README): "init-path". The
        // trust key (20.10 writes /etc/docker/key.json otherwise) and the
        // cgroup parent keep the host untouched. Given as --config-file,
        // so a host /etc/docker/daemon.json is not read.
        let more = if more_json.is_empty() {
            String::new()
        } else {
            format!(",\n  {more_json}")
        };
        let json = format!(
            "{{\n  \"init-path\": {},\n  \"deprecated-key-path\": {},\n  \"cgroup-parent\": \"/{name}\"{more}\n}}\n",
            json_str(init),
            json_str(&dir.join("key.json"))
        );
        std::fs::write(dir.join("daemon.json"), json).unwrap();
        std::fs::create_dir_all(dir.join("client")).unwrap();

        let at = |p: &str| dir.join(p).to_string_lossy().into_owned();
        let mut cmd = Command::new("unshare");
        cmd.args(["--pid", "--fork", "--mount-proc", "--kill-child", "--"])
            .args(["sh", "-c", NS_SCRIPT, "sh", NS_INIT, "--", DOCKERD])
            .arg(format!("--config-file={}", at("daemon.json")))
            .args([
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
                "--storage-driver=vfs",
            ])
            .arg(format!("--data-root={}", at("data")))
            .arg(format!("--exec-root={}", at("exec")))
            .arg(format!("--pidfile={}", at("dockerd.pid")))
            .arg(format!("--host=unix://{}", sock.display()))
            .env_clear()
            .env("PATH", PATH)
            .stdin(Stdio::null())
            .process_group(0);
        let out = File::create(&log).unwrap();
        cmd.stdout(out.try_clone().unwrap()).stderr(out);
        // SAFETY: prctl is async-signal-safe; nothing else runs between
        // fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                prctl(PR_SET_PDEATHSIG, SIGKILL as std::ffi::c_ulong);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn unshare ... dockerd");
        let mut d = Daemon {
            dir,
            sock,
            log,
            cgroup: name,
            unshare: Some(child),
        };

        // Ready when `docker info` answers (bounded; the daemon's log is
        // shown if it does not).
        let t = Instant::now();
        let mut last = String::new();
        let ready = wait_for(60, || {
            if let Some(s) = d.unshare.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                last = format!("the daemon exited ({s})");
                return Some(false);
            }
            let o = run(&mut d.cmd(&["info", "--format", "{{.ServerVersion}}"]), 20);
            if o.code == Some(0) {
                return Some(true);
            }
            last = o.stderr;
            std::thread::sleep(Duration::from_millis(50));
            None
        });
        assert!(
            ready == Some(true),
            "dockerd did not answer on {} within 60 s: {last}\n{}",
            d.sock.display(),
            d.log_text()
        );
        eprintln!("dockerd ({}) ready in {:.2?}", init.display(), t.elapsed());
        d
    }

    /// The daemon's output so far (stderr and stdout: its log).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The client's environment: this daemon and nothing of the test's.
    fn client_env(&self, c: &mut Command) {
        c.env_clear()
            .env("PATH", PATH)
            .env("HOME", &self.dir)
            .env("DOCKER_HOST", format!("unix://{}", self.sock.display()))
            .env("DOCKER_CONFIG", self.dir.join("client"))
            .env("DOCKER_BUILDKIT", "0");
    }

    /// `/usr/bin/docker ARGS` against this daemon.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(DOCKER);
        self.client_env(&mut c);
        c.args(args);
        c
    }

    /// `docker-compose ARGS` against this daemon.
    pub fn compose(&self, args: &[&str]) -> Out {
        let mut c = Command::new(COMPOSE);
        self.client_env(&mut c);
        c.args(args);
        let o = run(&mut c, CMD_SECS);
        assert!(!o.timed_out, "docker-compose {args:?} timed out: {o:#?}");
        o
    }

    /// Runs docker; the result whatever it is (a timeout fails the test).
    #[track_caller]
    pub fn out(&self, args: &[&str]) -> Out {
        let o = run(&mut self.cmd(args), CMD_SECS);
        assert!(!o.timed_out, "docker {args:?} timed out: {o:#?}");
        o
    }

    /// Runs docker, which must succeed; its stdout, trimmed.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.out(args);
        assert_eq!(o.code, Some(0), "docker {args:?} failed: {o:#?}");
        o.stdout.trim().to_string()
    }

    /// `docker run --rm --network none --pull never ARGS` in the
    /// foreground: the container's status is the client's.
    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Out {
        let mut a = vec!["run", "--rm", "--network", "none", "--pull", "never"];
        a.extend(args);
        self.out(&a)
    }

    /// `docker run -d --name NAME --network none --pull never ARGS`.
    #[track_caller]
    pub fn detached(&self, name: &str, args: &[&str]) -> String {
        let mut a = vec!["run", "-d", "--name", name, "--network", "none"];
        a.extend(["--pull", "never"]);
        a.extend(args);
        self.ok(&a);
        name.to_string()
    }

    /// The container's output so far, stdout and stderr.
    pub fn logs(&self, ctr: &str) -> String {
        let o = self.out(&["logs", ctr]);
        o.stdout + &o.stderr
    }

    /// Waits until the container's output has the complete line `line`.
    #[track_caller]
    pub fn wait_log(&self, ctr: &str, line: &str, secs: u64) -> String {
        let mut last = String::new();
        let found = wait_for(secs, || {
            last = self.logs(ctr);
            if has_line(&last, line) {
                return Some(());
            }
            std::thread::sleep(Duration::from_millis(50));
            None
        });
        assert!(
            found.is_some(),
            "waited {secs} s for the line '{line}' in the output of container {ctr}; it has:\n{last}"
        );
        last
    }

    /// `docker inspect --format FORMAT CTR`.
    #[track_caller]
    pub fn inspect(&self, ctr: &str, format: &str) -> String {
        self.ok(&["inspect", "--format", format, ctr])
    }

    /// The container's exit code as `docker inspect` reports it.
    #[track_caller]
    pub fn exit_code(&self, ctr: &str) -> i32 {
        let s = self.inspect(ctr, "{{.State.ExitCode}}");
        s.parse()
            .unwrap_or_else(|_| panic!("{ctr}: exit code {s:?}"))
    }

    /// `docker stop --time SECS`: how long the client took, and the
    /// container's status.
    #[track_caller]
    pub fn stop(&self, ctr: &str, secs: u32) -> (Duration, i32) {
        let t = Instant::now();
        self.ok(&["stop", "--time", &secs.to_string(), ctr]);
        let took = t.elapsed();
        (took, self.exit_code(ctr))
    }

    /// Waits until a process of the container runs `argv` (space-joined,
    /// e.g. `sleep 1000`: the program has exec'd it). Matched on the end of
    /// /proc/PID/cmdline: under qemu-user binfmt_misc puts the interpreter
    /// and the file name first, and busybox's re-exec of an applet keeps
    /// the name `sh` in /proc/PID/comm.
    #[track_caller]
    pub fn wait_exec(&self, ctr: &str, argv: &str, secs: u64) {
        let script =
            "for d in /proc/[0-9]*; do echo \"$(tr '\\0' ' ' <$d/cmdline)\"; done 2>/dev/null";
        let want = format!(" {argv} ");
        let mut last = String::new();
        let found = wait_for(secs, || {
            last = self.ok(&["exec", ctr, "sh", "-c", script]);
            if last.lines().any(|l| format!(" {l}").ends_with(&want)) {
                return Some(());
            }
            std::thread::sleep(Duration::from_millis(50));
            None
        });
        assert!(
            found.is_some(),
            "waited {secs} s for a process running '{argv}' in container {ctr}; command lines:\n{last}"
        );
    }

    /// Zombies in the container's PID namespace, counted from inside.
    #[track_caller]
    pub fn zombies(&self, ctr: &str) -> usize {
        let stats = self.ok(&["exec", ctr, "sh", "-c", "cat /proc/[0-9]*/stat 2>/dev/null"]);
        stats
            .lines()
            .filter(|l| l.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z')))
            .count()
    }

    /// `docker build --network none -q -t TAG -f FILE [EXTRA] CONTEXT`.
    #[track_caller]
    pub fn build(&self, tag: &str, file: &Path, context: &Path, extra: &[&str]) -> String {
        let (file, context) = (file.to_str().unwrap(), context.to_str().unwrap());
        let mut a = vec!["build", "--network", "none", "-q", "-t", tag, "-f", file];
        a.extend(extra);
        a.push(context);
        let t = Instant::now();
        self.ok(&a);
        eprintln!("docker build {tag}: {:.2?}", t.elapsed());
        tag.to_string()
    }

    /// `docker load -i TAR`.
    #[track_caller]
    pub fn load(&self, tar: &Path) {
        self.ok(&["load", "-q", "-i", tar.to_str().unwrap()]);
    }

    /// An image of the examples, built once per run with this daemon (and
    /// kept as a `docker save` archive), loaded into later daemons.
    #[track_caller]
    pub fn image(&self, what: Image) -> String {
        static SAVED: Mutex<Option<HashMap<Image, PathBuf>>> = Mutex::new(None);
        let tag = what.tag();
        let saved = SAVED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashMap::new)
            .get(&what)
            .cloned();
        if let Some(tar) = saved {
            self.load(&tar);
            return tag.to_string();
        }
        let (arch, target) = what.parts();
        let mut extra = vec!["--platform", arch.platform()];
        if let Some(t) = target {
            extra.extend(["--target", t]);
        }
        let file = repo().join("examples/Containerfile");
        self.build(tag, &file, &arch.context(), &extra);
        let tar = run_dir().join(format!("{}.tar", what.file()));
        self.ok(&["save", "-o", tar.to_str().unwrap(), tag]);
        SAVED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashMap::new)
            .insert(what, tar);
        tag.to_string()
    }

    /// The daemon's PID 1 (tini), as the host sees it.
    fn ns_init(&self) -> Option<i32> {
        let pid = self.unshare.as_ref()?.id();
        let kids = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
        kids.split_whitespace().next()?.parse().ok()
    }
}

impl Drop for Daemon {
    /// Kills the namespace (every process of the daemon at once), reaps
    /// `unshare`, removes the cgroups and the directory. Never panics: it
    /// may run while a failed test unwinds.
    fn drop(&mut self) {
        if let Some(ns_init) = self.ns_init() {
            kill(ns_init, SIGKILL);
        }
        if let Some(mut child) = self.unshare.take() {
            // unshare exits once its child, the namespace's PID 1, is
            // reaped, which the kernel does only after every process of
            // the namespace has exited.
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() > deadline => {
                        eprintln!(
                            "daemon {}: unshare still running after 30 s; SIGKILL",
                            self.dir.display()
                        );
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        }
        remove_cgroups(&self.cgroup);
        if std::env::var_os("MITE_DOCKER_KEEP").is_some() {
            eprintln!("MITE_DOCKER_KEEP: kept {}", self.dir.display());
        } else if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("daemon: cannot remove {}: {e}", self.dir.display());
        }
    }
}

/// Removes the cgroup `/NAME` and everything below it, in every hierarchy
/// (their processes are dead; a cgroup is removed with rmdir, deepest
/// first; it may take a moment to empty).
fn remove_cgroups(name: &str) {
    let Ok(mounts) = std::fs::read_dir("/sys/fs/cgroup") else {
        return;
    };
    for m in mounts.flatten() {
        let top = m.path().join(name);
        if !top.is_dir() {
            continue;
        }
        let mut dirs = Vec::new();
        collect_dirs(&top, &mut dirs);
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let gone = wait_for(5, || match std::fs::remove_dir(&d) {
                Ok(()) => Some(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(()),
                Err(_) => None,
            });
            if gone.is_none() {
                eprintln!("daemon: cannot remove cgroup {}", d.display());
            }
        }
    }
}

fn collect_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    out.push(dir.to_path_buf());
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            collect_dirs(&e.path(), out);
        }
    }
}

/// A JSON string of a path.
fn json_str(p: &Path) -> String {
    let s = p.to_str().expect("a UTF-8 path");
    assert!(!s.contains(['"', '\\']), "{s}: no quotes or backslashes");
    format!("\"{s}\"")
}

/// True when `text` has `line` as one of its complete lines.
pub fn has_line(text: &str, line: &str) -> bool {
    text.split_inclusive('\n')
        .any(|l| l.strip_suffix('\n') == Some(line))
}

/// Waits until the file at `path` has the complete line `line`; its text.
#[track_caller]
pub fn wait_file_line(path: &Path, line: &str, secs: u64) -> String {
    let mut last = String::new();
    let found = wait_for(secs, || {
        last = std::fs::read_to_string(path).unwrap_or_default();
        has_line(&last, line).then_some(())
    });
    assert!(
        found.is_some(),
        "waited {secs} s for the line '{line}' in {}; it has:\n{last}",
        path.display()
    );
    last
}

// ---------------------------------------------------------------------
// Leftovers of killed runs

/// This run's directory for files shared by its tests (saved images,
/// binaries); removed by the next run.
pub fn run_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("mite-docker-run-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    })
    .clone()
}

/// The pid in a name of this file's (`mite-docker-PID-N`,
/// `mite-docker-run-PID`, `localhost/mite-dk-PID...`), if that process is
/// gone.
fn dead_pid(rest: &str) -> bool {
    let pid = rest.split(['-', ':']).next().unwrap_or("");
    pid.parse::<u32>().is_ok()
        && pid != std::process::id().to_string()
        && !Path::new("/proc").join(pid).exists()
}

/// Removes what killed runs left: temporary directories, cgroups, podman
/// images of scripts/image.sh. Once per run.
fn sweep_dead_runs() {
    static SWEPT: OnceLock<()> = OnceLock::new();
    SWEPT.get_or_init(|| {
        for e in std::fs::read_dir(std::env::temp_dir())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix("mite-docker-") else {
                continue;
            };
            let rest = rest.strip_prefix("run-").unwrap_or(rest);
            if dead_pid(rest) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        for m in std::fs::read_dir("/sys/fs/cgroup")
            .into_iter()
            .flatten()
            .flatten()
        {
            for e in std::fs::read_dir(m.path()).into_iter().flatten().flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.strip_prefix("mite-docker-").is_some_and(dead_pid) {
                    remove_cgroups(&name);
                }
            }
        }
        let o = run(
            Command::new("podman")
                .env("CONTAINERS_CONF", podman_conf())
                .args(["images", "--format", "{{.Repository}}:{{.Tag}}"]),
            60,
        );
        for image in o.stdout.lines() {
            if image
                .strip_prefix("localhost/mite-dk-")
                .is_some_and(dead_pid)
            {
                podman_quiet(&["manifest", "rm", image]);
                podman_quiet(&["rmi", "-f", image]);
            }
        }
    });
}

// ---------------------------------------------------------------------
// Binaries and images

/// The architectures of the images.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Arch {
    Amd64,
    Arm64,
}

/// ELF e_machine values.
pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

impl Arch {
    pub fn oci(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }

    pub fn platform(self) -> &'static str {
        match self {
            Arch::Amd64 => "linux/amd64",
            Arch::Arm64 => "linux/arm64",
        }
    }

    pub fn machine(self) -> u16 {
        match self {
            Arch::Amd64 => EM_X86_64,
            Arch::Arm64 => EM_AARCH64,
        }
    }

    /// This run's copy of the mite binary for the architecture: the binary
    /// under test (MITE_BIN or cargo's) for amd64, the aarch64 cross build
    /// (made here) for arm64. Copied once, so every image and daemon of the
    /// run has the same bytes even if cargo rewrites target/ meanwhile.
    pub fn mite(self) -> PathBuf {
        static AMD64: OnceLock<PathBuf> = OnceLock::new();
        static ARM64: OnceLock<PathBuf> = OnceLock::new();
        let cell = match self {
            Arch::Amd64 => &AMD64,
            Arch::Arm64 => &ARM64,
        };
        cell.get_or_init(|| {
            let built = match self {
                Arch::Amd64 => bin(),
                Arch::Arm64 => {
                    build_aarch64();
                    repo().join("target/aarch64-unknown-linux-musl/release/mite")
                }
            };
            let copy = run_dir().join(format!("mite-{}", self.oci()));
            std::fs::copy(&built, &copy).unwrap_or_else(|e| panic!("{}: {e}", built.display()));
            assert_eq!(
                elf_machine(&copy),
                self.machine(),
                "{}: not a {} binary",
                built.display(),
                self.oci()
            );
            copy
        })
        .clone()
    }

    pub fn busybox(self) -> PathBuf {
        let p = match self {
            Arch::Amd64 => PathBuf::from("/bin/busybox"),
            Arch::Arm64 => repo().join("target/refs/arm64/bin/busybox"),
        };
        assert!(
            p.exists(),
            "{} is missing: run scripts/setup.sh",
            p.display()
        );
        assert_eq!(elf_machine(&p), self.machine(), "{}", p.display());
        p
    }

    /// A build context for examples/Containerfile: `mite` and `busybox`.
    pub fn context(self) -> PathBuf {
        let d = run_dir().join(format!("ctx-{}", self.oci()));
        if !d.join("busybox").exists() {
            std::fs::create_dir_all(&d).unwrap();
            std::fs::copy(self.mite(), d.join("mite")).unwrap();
            std::fs::copy(self.busybox(), d.join("busybox")).unwrap();
        }
        d
    }
}

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

/// `cargo build --release --target aarch64-unknown-linux-musl`.
fn build_aarch64() {
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

/// The images of examples/Containerfile that tests need.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Image {
    /// The first stage: busybox only, no init.
    Busybox(Arch),
    /// The whole file: mite as ENTRYPOINT, busybox.
    Example(Arch),
}

impl Image {
    pub fn tag(self) -> &'static str {
        match self {
            Image::Busybox(Arch::Amd64) => "localhost/busybox:latest",
            Image::Busybox(Arch::Arm64) => "localhost/busybox:arm64",
            Image::Example(Arch::Amd64) => "localhost/mite-example:latest",
            Image::Example(Arch::Arm64) => "localhost/mite-example:arm64",
        }
    }

    fn parts(self) -> (Arch, Option<&'static str>) {
        match self {
            Image::Busybox(a) => (a, Some("busybox")),
            Image::Example(a) => (a, None),
        }
    }

    fn file(self) -> String {
        let (arch, target) = self.parts();
        format!("{}-{}", target.unwrap_or("example"), arch.oci())
    }
}

/// sha256 of a file, by the host's sha256sum.
pub fn sha256(path: &Path) -> String {
    let o = run(Command::new("sha256sum").arg(path), 30);
    assert_eq!(o.code, Some(0), "{o:#?}");
    o.stdout.split_whitespace().next().unwrap_or("").to_string()
}

// ---------------------------------------------------------------------
// mite's own image (scripts/image.sh, podman) for Docker

/// The containers.conf that scripts/setup.sh writes for podman here.
fn podman_conf() -> PathBuf {
    repo().join("target/podman/containers.conf")
}

fn podman_quiet(args: &[&str]) -> Out {
    run(
        Command::new("podman")
            .env("CONTAINERS_CONF", podman_conf())
            .args(args),
        120,
    )
}

/// mite's own images as scripts/image.sh builds them (podman), saved as
/// docker archives for `docker load`: Docker 20.10 keeps no manifest
/// lists, so each architecture is its own tag, `NAME-amd64`, `NAME-arm64`.
pub struct MiteImages {
    /// The list's name; the images are `{list}-amd64`, `{list}-arm64`.
    pub list: String,
    pub tars: HashMap<Arch, PathBuf>,
}

impl MiteImages {
    pub fn tag(&self, arch: Arch) -> String {
        format!("{}-{}", self.list, arch.oci())
    }
}

/// Runs scripts/image.sh once per run with this run's binaries and a name
/// of its own, saves both images (`podman save --format docker-archive`)
/// and removes them from podman's storage again (also when a step fails).
pub fn mite_images() -> &'static MiteImages {
    static IMAGES: OnceLock<MiteImages> = OnceLock::new();
    IMAGES.get_or_init(|| {
        let list = format!("localhost/mite-dk-{}:latest", std::process::id());
        struct Remove<'a>(&'a str);
        impl Drop for Remove<'_> {
            fn drop(&mut self) {
                podman_quiet(&["manifest", "rm", self.0]);
                for a in ["amd64", "arm64"] {
                    podman_quiet(&["rmi", "-f", &format!("{}-{a}", self.0)]);
                }
            }
        }
        let name = list.clone();
        let _remove = Remove(&name);
        let (amd64, arm64) = (Arch::Amd64.mite(), Arch::Arm64.mite());
        let mut cmd = Command::new(repo().join("scripts/image.sh"));
        cmd.args(["--name", &list])
            .arg("--amd64")
            .arg(&amd64)
            .arg("--arm64")
            .arg(&arm64)
            .env("CONTAINERS_CONF", podman_conf());
        let t = Instant::now();
        let o = run(&mut cmd, 600);
        assert_eq!(o.code, Some(0), "scripts/image.sh failed: {o:#?}");
        eprintln!("scripts/image.sh ({:.2?}):\n{}", t.elapsed(), o.stdout);
        let mut tars = HashMap::new();
        for arch in [Arch::Amd64, Arch::Arm64] {
            let tar = run_dir().join(format!("mite-image-{}.tar", arch.oci()));
            let image = format!("{list}-{}", arch.oci());
            let o = podman_quiet(&[
                "save",
                "--quiet",
                "--format",
                "docker-archive",
                "-o",
                tar.to_str().unwrap(),
                &image,
            ]);
            assert_eq!(o.code, Some(0), "podman save {image}: {o:#?}");
            tars.insert(arch, tar);
        }
        MiteImages { list, tars }
    })
}
