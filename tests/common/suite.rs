//! Helpers for the behaviour suite (signals, exit codes, reaping, pdeathsig,
//! idle, exec failures, CLI, differential): the inits under test and the
//! reference tini, a child that records the signals it gets, /proc
//! inspection, and the emulator-limit bookkeeping.

use super::*;
use std::ffi::OsString;

// ---------------------------------------------------------------------------
// The inits

/// An init to run a scenario under.
// RefDumbInit ends with the enum's name: it is the program's.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// mite under its own name (the mite personality).
    Mite,
    /// mite invoked through a symlink with this basename (`tini`, ...).
    As(&'static str),
    /// The reference tini for the architecture under test: Debian's
    /// /usr/bin/tini natively; Debian's arm64 tini-static through the same
    /// runner (qemu-user) when the binary under test is emulated, so that
    /// both sides of a comparison see the same emulator.
    RefTini,
    /// The reference dumb-init: Debian's /usr/bin/dumb-init natively;
    /// Debian's arm64 build (dynamically linked: `-L` gives qemu its loader
    /// and libc in target/refs/arm64) through the same runner when emulated.
    RefDumbInit,
    /// The reference catatonit, chosen as `RefTini`: Debian's
    /// /usr/bin/catatonit natively, its arm64 build (static) through the
    /// runner when emulated.
    RefCatatonit,
}

impl Init {
    /// `[runner] PATH` of this init.
    pub fn argv(self) -> Vec<OsString> {
        let (path, emulate) = match self {
            Init::Mite => (bin(), true),
            Init::As(name) => (named(name), true),
            Init::RefTini if emulated() => (arm64_tini(), true),
            Init::RefTini => (reference("tini"), false),
            Init::RefDumbInit if emulated() => (arm64_ref("usr/bin/dumb-init"), true),
            Init::RefDumbInit => (reference("dumb-init"), false),
            Init::RefCatatonit if emulated() => (arm64_reference("catatonit"), true),
            Init::RefCatatonit => (reference("catatonit"), false),
        };
        let mut v: Vec<OsString> = Vec::new();
        if let (true, Some(first)) = (emulate, runner_path()) {
            // The emulator by full path: a test may change PATH.
            v.push(first.into_os_string());
            v.extend(runner().into_iter().skip(1).map(OsString::from));
            if self == Init::RefDumbInit {
                v.push("-L".into());
                v.push(arm64_ref("").into_os_string());
            }
        }
        v.push(path.into_os_string());
        v
    }

    /// The init with `args`, as a plain process.
    pub fn cmd<S: AsRef<OsStr>>(self, args: &[S]) -> Command {
        let argv = self.argv();
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..]).args(args);
        c
    }

    /// The init with `args`, as PID 1 of a fresh PID namespace.
    pub fn pid1<S: AsRef<OsStr>>(self, args: &[S]) -> Command {
        let mut c = Command::new("unshare");
        c.args(["--pid", "--fork", "--mount-proc", "--kill-child"]);
        c.args(self.argv()).args(args);
        c
    }

    /// The init, plain or as PID 1.
    pub fn start<S: AsRef<OsStr>>(self, pid1: bool, args: &[S]) -> Command {
        if pid1 {
            self.pid1(args)
        } else {
            self.cmd(args)
        }
    }

    /// True for the tini personality and the reference tini.
    pub fn is_tini(self) -> bool {
        match self {
            Init::RefTini => true,
            Init::As(name) => {
                matches!(name, "tini" | "tini-static" | "docker-init" | "podman-init")
            }
            _ => false,
        }
    }
}

/// Debian's arm64 tini-static, extracted by scripts/setup.sh.
pub fn arm64_tini() -> PathBuf {
    arm64_reference("tini-static")
}

/// A program of Debian's arm64 packages that scripts/setup.sh extracts
/// into target/refs/arm64/usr/bin (tini-static, catatonit: static).
pub fn arm64_reference(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/refs/arm64/usr/bin")
        .join(name);
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup.sh",
        p.display()
    );
    p
}

/// A file of the arm64 references extracted by scripts/setup.sh (`""`:
/// their root, qemu's `-L` for the dynamically linked dumb-init).
pub fn arm64_ref(file: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/refs/arm64");
    let p = root.join(file);
    assert!(
        p.exists() && root.join("lib/ld-linux-aarch64.so.1").exists(),
        "{} is missing: run scripts/setup.sh",
        p.display()
    );
    p
}

/// The emulator itself as an absolute path (strace needs one).
pub fn runner_path() -> Option<PathBuf> {
    let r = runner();
    let first = r.first()?;
    if first.contains('/') {
        return Some(PathBuf::from(first));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(first))
        .find(|p| p.exists())
}

/// How many tasks (threads) the runner adds to the init's process: 1
/// natively; qemu-user starts a helper thread. Measured, not assumed: an
/// RLIMIT_NPROC test depends on it.
pub fn init_tasks() -> usize {
    let mut c = mite(&["--", "sleep", "30"]);
    c.env("TINI_VERBOSITY", "0");
    let child = spawn(&mut c);
    let pid = child.id();
    let n = wait_for(20, || {
        let ready = children_of(pid)
            .iter()
            .any(|&c| comm(c).as_deref() == Some("sleep"));
        ready.then(|| {
            std::fs::read_dir(format!("/proc/{pid}/task"))
                .map(|d| d.count())
                .ok()
        })?
    });
    kill(pid as i32, 15);
    let _ = finish(child, 20);
    n.expect("init did not start its child")
}

// ---------------------------------------------------------------------------
// The signal recorder

/// The recorder, a python3 child that records every signal it gets.
///
/// usage: recorder.py OUT [exit=SIG:CODE] [stop=CODE] [kill=PID:LIST]
///                        [wait=SECS] [code=N]
/// It installs a handler for every signal python can catch (glibc keeps
/// 32 and 33 to itself), appends each signal's number to OUT, one per
/// line, and writes its pid to OUT.ready once the handlers are in place.
/// exit=SIG:CODE: exit with CODE when SIG comes. stop=CODE: exit with CODE
/// on any signal once the file OUT.stop exists. kill=PID:LIST: send each
/// signal of LIST (comma-separated) to PID in turn, waiting up to SECS
/// (default 10) for it to come back, then exit with code N (default 0);
/// with waitsys=NR, first wait (up to 5 s) until PID is in system call NR
/// (see `pacing`).
/// Otherwise it exits 99 after 60 s, so that a lost one cannot linger.
pub const RECORDER_PY: &str = r#"
import os, signal, sys, time
out = sys.argv[1]
opts = dict(a.split('=', 1) for a in sys.argv[2:])
exit_sig, exit_code = map(int, opts.get('exit', '0:0').split(':'))
stop = int(opts.get('stop', '-1'))
got = []
# Python runs a handler between the bytecodes of another: a signal that
# comes while one is being written down would be written first. Each
# handler queues its signal; only the outermost writes, in arrival order.
queue = []
busy = False
def handler(n, frame):
    global busy
    queue.append(n)
    if busy:
        return
    busy = True
    while True:
        while queue:
            m = queue.pop(0)
            got.append(m)
            with open(out, 'a') as f:
                f.write('%d\n' % m)
            if m == exit_sig:
                os._exit(exit_code)
            if stop >= 0 and os.path.exists(out + '.stop'):
                os._exit(stop)
        busy = False
        # One queued after the last look, before busy was cleared.
        if not queue:
            return
        busy = True
for n in range(1, 65):
    if n not in (signal.SIGKILL, signal.SIGSTOP, 32, 33):
        signal.signal(n, handler)
with open(out + '.tmp', 'w') as f:
    f.write('%d\n' % os.getpid())
os.rename(out + '.tmp', out + '.ready')
if 'kill' in opts:
    pid, sigs = opts['kill'].split(':')
    wait = float(opts.get('wait', '10'))
    for n in map(int, sigs.split(',')):
        if opts.get('waitsys', 'none') != 'none':
            deadline = time.time() + 5
            while time.time() < deadline:
                try:
                    if open('/proc/%s/syscall' % pid).read().split()[0] == opts['waitsys']:
                        break
                except (OSError, IndexError):
                    break
                time.sleep(0.001)
        os.kill(int(pid), n)
        deadline = time.time() + wait
        while n not in got and time.time() < deadline:
            time.sleep(0.005)
    os._exit(int(opts.get('code', '0')))
deadline = time.time() + 60
while time.time() < deadline:
    time.sleep(0.2)
os._exit(99)
"#;

/// The python3 to run helper children with: the system's, not a shim.
pub fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// A directory for one scenario, with the recorder script in it.
pub struct Recorder {
    pub dir: PathBuf,
    script: PathBuf,
}

impl Recorder {
    pub fn new(tag: &str) -> Recorder {
        let dir = tempdir(tag);
        let script = dir.join("recorder.py");
        std::fs::write(&script, RECORDER_PY).unwrap();
        Recorder { dir, script }
    }

    /// The command line of a recorder that writes to `name` in the
    /// directory, with recorder options `opts`.
    pub fn argv(&self, name: &str, opts: &[&str]) -> Vec<String> {
        let mut v = vec![
            python().to_string(),
            "-I".into(),
            "-S".into(),
            self.script.display().to_string(),
            self.out(name).display().to_string(),
        ];
        v.extend(opts.iter().map(|s| s.to_string()));
        v
    }

    /// The same as one shell word list, for `sh -c` scripts.
    pub fn shell(&self, name: &str, opts: &[&str]) -> String {
        self.argv(name, opts).join(" ")
    }

    pub fn out(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Waits until recorder `name` has its handlers in place; its pid.
    pub fn ready(&self, name: &str, secs: u64) -> Option<u32> {
        let p = self.dir.join(format!("{name}.ready"));
        read_when_ready(&p, secs).and_then(|s| s.trim().parse().ok())
    }

    /// The signals recorder `name` got so far, in order.
    pub fn got(&self, name: &str) -> Vec<i32> {
        std::fs::read_to_string(self.out(name))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    /// Waits until recorder `name` has got `sig` (`n` times in all).
    pub fn wait_got(&self, name: &str, sig: i32, n: usize, secs: u64) -> bool {
        wait_for(secs, || {
            (self.got(name).iter().filter(|&&s| s == sig).count() >= n).then_some(())
        })
        .is_some()
    }

    /// What recorder `name` (pid `pid`) got, once it has handled every
    /// signal delivered to it so far: it is sent SENTINEL, python runs
    /// pending handlers in order of number, and the recorder writes signals
    /// down in the order its handlers began (a handler python starts inside
    /// another is queued behind it), so once the sentinel is in the file
    /// every signal that came before it is too. For checks that a
    /// signal did *not* come, without a fixed sleep. Panics after `secs`.
    #[track_caller]
    pub fn settle(&self, name: &str, pid: u32, secs: u64) -> Vec<i32> {
        let before = self.got(name).iter().filter(|&&s| s == SENTINEL).count();
        assert!(
            kill(pid as i32, SENTINEL),
            "recorder {name} ({pid}) is gone"
        );
        wait_until(
            secs,
            &format!("recorder {name} to handle signal {SENTINEL}"),
            || {
                let got = self.got(name);
                let pos = got
                    .iter()
                    .enumerate()
                    .filter(|(_, &s)| s == SENTINEL)
                    .nth(before)?
                    .0;
                Some(got[..pos].to_vec())
            },
        )
    }

    /// From now on, any signal makes recorder `name` exit (with its stop=CODE).
    pub fn stop(&self, name: &str) {
        std::fs::write(self.dir.join(format!("{name}.stop")), "").unwrap();
    }

    /// A file in the directory.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

impl Drop for Recorder {
    /// The directory goes with the scenario, unless the test failed (then
    /// it stays for a post-mortem).
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The signal `Recorder::settle` sends: the highest a recorder catches.
pub const SENTINEL: i32 = 64;

/// The host's number for rt_sigtimedwait, as /proc/PID/syscall shows it.
#[cfg(target_arch = "x86_64")]
pub const SYS_RT_SIGTIMEDWAIT: &str = "128";
#[cfg(target_arch = "aarch64")]
pub const SYS_RT_SIGTIMEDWAIT: &str = "137";

/// True while `pid` is in rt_sigtimedwait (under qemu-user: qemu, running
/// it for the guest), as /proc/PID/syscall shows it.
pub fn in_sigtimedwait(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/syscall"))
        .is_ok_and(|s| s.split_whitespace().next() == Some(SYS_RT_SIGTIMEDWAIT))
}

/// Waits (up to 20 s) until the init `pid` is in rt_sigtimedwait: whatever
/// it was doing (its start-up, the last signal) is over.
#[track_caller]
pub fn wait_in_sigtimedwait(pid: u32) {
    wait_until(20, &format!("the init {pid} in rt_sigtimedwait"), || {
        in_sigtimedwait(pid).then_some(())
    });
}

/// Under qemu-user, waits (up to 5 s) until the init `pid` is back in its
/// rt_sigtimedwait before a test sends it the next signal. qemu 7.2
/// mishandles a SIGILL, SIGTRAP, SIGBUS, SIGFPE or SIGSEGV sent with kill()
/// that arrives while the emulated program runs between system calls (here:
/// while mite is still forwarding the previous signal): now and then it is
/// lost, or qemu itself dies of SIGSEGV. Measured under load with 2 busy
/// loops: 7 of 340 scenarios sending each signal once (lost 7 or 11, or
/// qemu killed by SIGSEGV right after 8), none of 200 with only other
/// signals, none of 200 natively, and none of 240 with this pacing. An init
/// waiting in rt_sigtimedwait is how signals normally find it; natively the
/// tests send without waiting, the harder case.
pub fn pacing(pid: u32) {
    if emulated() {
        wait_for(5, || in_sigtimedwait(pid).then_some(()));
    }
}

/// The recorder's option for `pacing` when it sends the signals itself.
pub fn recorder_pacing() -> String {
    if emulated() {
        format!("waitsys={SYS_RT_SIGTIMEDWAIT}")
    } else {
        "waitsys=none".into()
    }
}

/// Sends each of `sigs` to `pid`, waiting (up to `secs` each) until
/// recorder `name` of `rec` has got it; stops early if `pid` is gone.
/// Returns what the recorder got.
pub fn send_each(rec: &Recorder, name: &str, pid: u32, sigs: &[i32], secs: u64) -> Vec<i32> {
    for &s in sigs {
        let before = rec.got(name).iter().filter(|&&x| x == s).count();
        pacing(pid);
        if !kill(pid as i32, s) {
            break; // gone: the caller's assertions show how it ended
        }
        rec.wait_got(name, s, before + 1, secs);
    }
    rec.got(name)
}

/// A comma-separated list of numbers, for the recorder's kill= option.
pub fn list(sigs: &[i32]) -> String {
    sigs.iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

// ---------------------------------------------------------------------------
// Signal numbers as the emulated program sees them

/// The number an emulated (aarch64) program is told for host signal
/// `host` (in a wait status or a received signal). Natively the same.
/// qemu-user maps guest real-time signal n to host n + 2, because its own
/// glibc keeps host 32 and 33; those two are reported unchanged in a wait
/// status, but a kill() with them never reaches the guest (see
/// signals::realtime_32_and_33_reach_the_child). 1..31 are the same.
pub fn guest_signal(host: i32) -> i32 {
    if emulated() && (34..=64).contains(&host) {
        host - 2
    } else {
        host
    }
}

/// The host signal that an emulated program's signal `guest` becomes
/// (the inverse of `guest_signal`); guest 63 and 64 have no host signal.
pub fn host_signal(guest: i32) -> Option<i32> {
    if !emulated() {
        return Some(guest);
    }
    match guest {
        1..=31 => Some(guest),
        32..=62 => Some(guest + 2),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// /proc

/// The one-letter state of `pid` (R, S, Z, ...), if it exists.
pub fn proc_state(pid: u32) -> Option<char> {
    proc_status(pid, "State").and_then(|s| s.chars().next())
}

/// The command name of `pid`.
pub fn comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim().to_string())
}

/// The zombies whose parent is `ppid`.
pub fn zombies_of(ppid: u32) -> Vec<u32> {
    children_of(ppid)
        .into_iter()
        .filter(|&p| proc_state(p) == Some('Z'))
        .collect()
}

/// True while `pid` exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    matches!(proc_state(pid), Some(s) if s != 'Z')
}

/// The init of the PID namespace that `unshare --fork` (pid `unshare`)
/// made: its only child, as seen from outside.
pub fn pid1_of(unshare: u32, secs: u64) -> u32 {
    wait_until(
        secs,
        &format!("the child of unshare {unshare} (PID 1)"),
        || children_of(unshare).first().copied(),
    )
}

/// The host pid of the process below `root` (a host pid) that is `nspid`
/// in its own PID namespace (what it would write as its pid); panics after
/// `secs`. For pids that a process as PID 1 of a namespace reports.
#[track_caller]
pub fn host_pid(root: u32, nspid: u32, secs: u64) -> u32 {
    wait_until(
        secs,
        &format!("pid {nspid} of the namespace below {root}"),
        || {
            tree_below(root).into_iter().find(|&p| {
                proc_status(p, "NSpid")
                    .and_then(|v| v.split_whitespace().last()?.parse::<u32>().ok())
                    == Some(nspid)
            })
        },
    )
}

/// voluntary + nonvoluntary context switches of `pid` so far.
pub fn ctxt_switches(pid: u32) -> Option<u64> {
    let v: u64 = proc_status(pid, "voluntary_ctxt_switches")?.parse().ok()?;
    let n: u64 = proc_status(pid, "nonvoluntary_ctxt_switches")?
        .parse()
        .ok()?;
    Some(v + n)
}

/// Kills `child` (spawned by `spawn`), its process group and everything
/// below it, and collects it.
pub fn kill_group(child: Child) -> Out {
    kill_tree(child.id());
    finish(child, 20)
}

// ---------------------------------------------------------------------------
// Output

/// The lines of `s`.
pub fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

/// True if `text` contains `word` with no letter, digit, `-` or `_` right
/// before or after it (so `-s` is not found in `-sg` nor in `--subreaper`).
pub fn has_word(text: &str, word: &str) -> bool {
    let ok = |c: Option<char>| !matches!(c, Some(c) if c.is_ascii_alphanumeric() || c == '-' || c == '_');
    text.match_indices(word).any(|(i, _)| {
        ok(text[..i].chars().next_back()) && ok(text[i + word.len()..].chars().next())
    })
}

// ---------------------------------------------------------------------------
// Emulator limits

/// True when `test` must prove an emulator limit instead of the behaviour:
/// the binary is emulated and `test` is listed in `EMULATOR_LIMITS` (a test
/// that asks without being listed fails, so the list stays complete).
pub fn emulator_limit(test: &str) -> bool {
    assert!(
        EMULATOR_LIMITS.iter().any(|(name, _)| *name == test),
        "{test} is not listed in EMULATOR_LIMITS (tests/common/mod.rs)"
    );
    emulated()
}

// ---------------------------------------------------------------------------
// Running processes

/// A spawned process (own process group, output read as it comes) that,
/// with everything it started, is killed and reaped if the test ends
/// before collecting it: a failed assertion, a panic anywhere, leaves
/// nothing behind (`kill_tree`).
pub struct Running {
    child: Option<Child>,
    out: Option<Drain>,
    err: Option<Drain>,
    /// Reaped already (seen by `exited`): its pid is no longer ours to
    /// signal.
    reaped: bool,
}

impl Running {
    /// Starts `cmd` as `spawn` does: stdin /dev/null, stdout and stderr
    /// piped, a process group of its own.
    pub fn start(cmd: &mut Command) -> Running {
        Running::guard(spawn(cmd))
    }

    /// Starts `cmd` in a process group of its own, with the stdio the
    /// caller gave it; piped stdout and stderr are read as they come.
    pub fn start_with_stdio(cmd: &mut Command) -> Running {
        Running::guard(cmd.process_group(0).spawn().expect("spawn"))
    }

    fn guard(mut child: Child) -> Running {
        let out = child.stdout.take().map(Drain::new);
        let err = child.stderr.take().map(Drain::new);
        Running {
            child: Some(child),
            out,
            err,
            reaped: false,
        }
    }

    /// As `start`, but stderr goes to `file`, to be read while the process
    /// runs.
    pub fn start_logging(cmd: &mut Command, file: &Path) -> Running {
        let log = std::fs::File::create(file).expect("stderr file");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0);
        Running::guard(cmd.spawn().expect("spawn"))
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// True once the process has ended (its status is kept for `finish`).
    pub fn exited(&mut self) -> bool {
        let done = self
            .child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))));
        self.reaped |= done;
        done
    }

    /// Waits for the end (at most `secs`, then kills it and everything
    /// below it) and collects the output.
    pub fn finish(mut self, secs: u64) -> Out {
        let child = self.child.take().expect("running");
        finish_drained(child, self.out.take(), self.err.take(), secs)
    }

    /// Kills it and everything below it now, and collects it.
    pub fn kill(self) -> Out {
        if !self.reaped {
            kill_tree(self.pid());
        }
        self.finish(20)
    }
}

impl Drop for Running {
    /// Kills the tree; then whatever escaped it (an orphan of a process
    /// that ended early) but still holds the output pipes.
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            if !self.reaped {
                kill_tree(c.id());
            }
            let _ = c.wait();
        }
        for d in [self.out.take(), self.err.take()].into_iter().flatten() {
            d.kill_holders();
        }
    }
}

/// Every process below `pid` (children, their children, ...).
pub fn descendants(pid: u32) -> Vec<u32> {
    tree_below(pid)
}

/// `a` followed by `b`, as owned strings (to build argument lists).
pub fn cat<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> Vec<String> {
    a.iter()
        .map(|s| s.as_ref().to_string())
        .chain(b.iter().map(|s| s.as_ref().to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// Signals 32 and 33 in the test's own children

extern "C" {
    /// glibc's syscall(2): a raw system call, safe between fork and exec.
    pub fn syscall(number: std::ffi::c_long, ...) -> std::ffi::c_long;
}

#[cfg(target_arch = "x86_64")]
const SYS_RT_SIGACTION: std::ffi::c_long = 13;
#[cfg(target_arch = "aarch64")]
const SYS_RT_SIGACTION: std::ffi::c_long = 134;
#[cfg(target_arch = "x86_64")]
pub const SYS_RT_SIGPROCMASK: std::ffi::c_long = 14;
#[cfg(target_arch = "aarch64")]
pub const SYS_RT_SIGPROCMASK: std::ffi::c_long = 135;

/// Makes `cmd` start with signals 32 and 33 at SIG_DFL. A process spawned
/// by Rust's std through glibc's posix_spawn starts with them *ignored*
/// (glibc sets its internal signals to SIG_IGN in the child before exec),
/// and this test process got them that way from cargo; an ignored signal
/// stays ignored across exec, through mite, into its child. glibc's
/// sigaction refuses to touch them, hence a raw rt_sigaction after fork.
pub fn default_rt_signals(cmd: &mut Command) -> &mut Command {
    // SAFETY: only raw syscalls (async-signal-safe) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            for sig in [32 as std::ffi::c_long, 33] {
                // struct sigaction of the kernel: handler SIG_DFL (0), no
                // flags, no restorer, empty mask.
                let act = [0u64; 4];
                syscall(
                    SYS_RT_SIGACTION,
                    sig,
                    act.as_ptr(),
                    std::ptr::null::<u64>(),
                    8 as std::ffi::c_long,
                );
            }
            Ok(())
        })
    }
}

/// Under qemu, the tini#104 scenario (`kill -ABRT 1` from inside the
/// namespace, the child traps SIGABRT) for `init` as PID 1: whether the
/// child finished, whether the init then exited (within a generous 3 s) and
/// whether qemu reported the guest's fatal SIGABRT.
pub fn abrt_pid1_under_emulator(init: Init) -> (bool, bool, bool) {
    let dir = tempdir("abrt-qemu");
    let done = dir.join("done");
    let script = format!(
        "trap 'exit 7' ABRT; kill -ABRT 1; sleep 1; echo > {}; exit 3",
        done.display()
    );
    let mut r = Running::start(&mut init.pid1(&["--", "sh", "-c", &script]));
    let child_done = wait_for(30, || done.exists().then_some(())).is_some();
    let exited = wait_for(3, || r.exited().then_some(())).is_some();
    let o = r.kill();
    (
        child_done,
        exited,
        o.stderr.contains("uncaught target signal 6"),
    )
}

/// An environment variable to set for one case of a table, if any.
pub type Env = Option<(&'static str, &'static str)>;

/// Waits (up to 20 s) until `pid` has a child running `sleep`; returns its
/// pid. Panics if none appears: the init did not start its program.
pub fn sleeping_child(pid: u32) -> u32 {
    wait_for(20, || {
        children_of(pid)
            .into_iter()
            .find(|&c| comm(c).as_deref() == Some("sleep"))
    })
    .expect("sleep did not start under the init")
}

// ---------------------------------------------------------------------------
// Inits that wait for signals (catatonit, pause): when they have taken one

/// The host's system call numbers, as /proc/PID/syscall shows them.
#[cfg(target_arch = "x86_64")]
pub const SYS_READ: &str = "0";
#[cfg(target_arch = "aarch64")]
pub const SYS_READ: &str = "63";
#[cfg(target_arch = "x86_64")]
pub const SYS_RT_SIGSUSPEND: &str = "130";
#[cfg(target_arch = "aarch64")]
pub const SYS_RT_SIGSUSPEND: &str = "133";

/// True while `pid` sleeps in the call it waits for signals with: mite's
/// rt_sigtimedwait, the reference catatonit's read of its signalfd (the same host
/// calls under qemu, which runs them for the guest).
pub fn waiting(pid: u32) -> bool {
    let sys = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    let nr = sys.split_whitespace().next().unwrap_or("");
    proc_state(pid) == Some('S') && (nr == SYS_RT_SIGTIMEDWAIT || nr == SYS_READ)
}

/// Under qemu, waits (up to 5 s) until the init waits for signals before
/// the test sends it one: common::pacing, which knows mite's
/// rt_sigtimedwait only, for the reference's read of its signalfd too.
pub fn pace(pid: u32) {
    if emulated() {
        wait_for(5, || waiting(pid).then_some(()));
    }
}

/// common::send_each with `pace`: sends each of `sigs` to `pid`, waiting
/// (up to `secs` each) until recorder `name` has got it; what it got.
pub fn send_paced(rec: &Recorder, name: &str, pid: u32, sigs: &[i32], secs: u64) -> Vec<i32> {
    for &s in sigs {
        let before = rec.got(name).iter().filter(|&&x| x == s).count();
        pace(pid);
        if !kill(pid as i32, s) {
            break;
        }
        rec.wait_got(name, s, before + 1, secs);
    }
    rec.got(name)
}

/// True when nothing is pending for `pid` (SigPnd, ShdPnd all zero).
pub fn nothing_pending(pid: u32) -> bool {
    ["SigPnd", "ShdPnd"]
        .iter()
        .all(|f| proc_status(pid, f).is_some_and(|v| v.trim_start_matches('0').is_empty()))
}

/// Waits until the init `pid` waits for signals; panics after 20 s.
#[track_caller]
pub fn wait_waiting(pid: u32, what: &str) {
    assert!(
        wait_for(20, || waiting(pid).then_some(())).is_some(),
        "{what}: the init never waited for signals (state {:?})",
        proc_state(pid)
    );
}

/// Sends `sig` to the init `pid` and waits until it has taken it: it woke
/// up (its context switches moved) and waits again, with nothing pending.
#[track_caller]
pub fn send_and_settle(pid: u32, sig: i32, what: &str) {
    wait_waiting(pid, what);
    let before = ctxt_switches(pid).unwrap_or(0);
    assert!(kill(pid as i32, sig), "{what}: kill {sig}");
    let taken = wait_for(20, || {
        (ctxt_switches(pid)? > before && waiting(pid) && nothing_pending(pid)).then_some(())
    });
    assert!(taken.is_some(), "{what}: signal {sig} was not taken");
}

/// The pid of the init's child when the init is PID 1: 2 natively; under
/// qemu 3, as qemu's helper thread takes 2 (measured: `init_tasks`).
pub fn child_of_pid1() -> String {
    static PID: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    (PID.get_or_init(init_tasks) + 1).to_string()
}

/// Makes orphans in the PID namespace whose init is `pid` (host view)
/// through nsenter (twenty short-lived ones and a `tail`), and checks that
/// the init adopts and reaps them: no child left but the tail, which is
/// reaped when killed. `what` names the scenario in messages.
pub fn reap_orphans_of(pid: u32, what: &str) {
    let script = "for i in $(seq 20); do sh -c 'sleep 0 &'; done; \
                  tail -f /dev/null >/dev/null 2>&1 &";
    let o = run(
        Command::new("nsenter")
            .args(["-t", &pid.to_string(), "-p", "--", "sh", "-c", script])
            .env_remove("LISTEN_PID"),
        30,
    );
    assert_eq!(o.code, Some(0), "{what}: nsenter: {o:#?}");
    let only_tail = wait_for(20, || {
        let c = children_of(pid);
        (c.len() == 1 && comm(c[0]).as_deref() == Some("tail")).then(|| c[0])
    });
    let tail = only_tail.unwrap_or_else(|| {
        let c: Vec<_> = children_of(pid)
            .into_iter()
            .map(|p| (p, comm(p), proc_state(p)))
            .collect();
        panic!("{what}: the init's children are not just the adopted tail: {c:?}")
    });
    kill(tail as i32, 9);
    let reaped = wait_for(20, || children_of(pid).is_empty().then_some(()));
    assert!(
        reaped.is_some(),
        "{what}: the killed tail was not reaped: {:?}",
        proc_state(tail)
    );
}
