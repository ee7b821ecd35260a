//! Actors: python3 processes that play the parts of a drain scenario (a
//! main program, a background writer that flushes on SIGTERM, one that
//! ignores it, one that finishes by itself, a setsid'd or daemonized
//! descendant) and leave a timed record of what happened to them.
//! Included by tests/drain.rs and tests/env.rs with
//! `#[path = "common/actor.rs"] mod actor;` next to `mod common;`.
//!
//! Every file an actor writes is complete when it appears: a record line is
//! one `write` to an O_APPEND file, the other files are written under a
//! temporary name and renamed. Times are CLOCK_MONOTONIC seconds (python's
//! `time.monotonic()`), the clock of `now()`, so a test can relate an
//! actor's events to its own observations (e.g. when mite exited).
#![allow(dead_code)]

use crate::common::*;
use std::path::PathBuf;

/// usage: actor.py DIR NAME [OPTION...]
///
/// Blocks every catchable signal (not 32/33, glibc's; not SIGCHLD) and
/// takes them one by one with sigtimedwait whenever it waits, then
/// (setsid, daemon) writes DIR/NAME.ready: "pid pgid sid ppid TIME" (TIME:
/// when it takes signals). Each signal appends "SIG TIME" to DIR/NAME.log,
/// in the order of delivery (no handler runs inside another).
///
/// stop=SIGS:DELAY   on one of SIGS (comma list, default 15; `none`: no
///                   signal stops it): work DELAY seconds (its shutdown;
///                   signals still recorded), write DIR/NAME.marker
///                   "flushed TIME", exit 0.
/// setsid            call setsid() first (another session and group).
/// daemon            double fork: the process started forks, its child
///                   calls setsid() and forks the actor, and both exit once
///                   the actor is ready (its parent is gone: re-parented).
///
/// Then the steps, in the order given:
/// after=A,B         wait (20 s at most) until actors A and B are ready.
/// until=PATH        wait (60 s at most) until PATH exists.
/// spawn=N+OPT+OPT   fork actor N with options OPT... (a `%` in them becomes
///                   `+`: the spawn option of N's own child) and wait until
///                   it is ready.
/// exit=CODE         sleep delay=SECS (default 0), write DIR/NAME.exited
///                   "TIME" and exit with CODE.
/// Without exit=, the actor stays until a stop signal (120 s at most, then
/// it exits 99, so that a lost one cannot linger).
const ACTOR_PY: &str = r#"
import os, signal, sys, time
d, name = sys.argv[1], sys.argv[2]
args = [(a.split('=', 1) + [''])[:2] for a in sys.argv[3:]]
opts = dict(args)
base = os.path.join(d, name)
CAUGHT = set(range(1, 65)) - {signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD, 32, 33}
# Blocked and taken one at a time with sigtimedwait: no handler can run
# inside another, so the record keeps the order of delivery.
old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, CAUGHT)
def put(suffix, text):
    tmp = base + suffix + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.rename(tmp, base + suffix)
sigs, delay = (opts.get('stop', '15:0').split(':') + ['0'])[:2]
stop = set() if sigs == 'none' else set(int(s) for s in sigs.split(','))
stopping = False
def got(n):
    global stopping
    fd = os.open(base + '.log', os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(fd, b'%d %.6f\n' % (n, time.monotonic()))
    os.close(fd)
    if n in stop and not stopping:
        stopping = True
        pause(float(delay))
        put('.marker', 'flushed %.6f\n' % time.monotonic())
        os._exit(0)
def pause(secs):
    deadline = time.monotonic() + secs
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        info = signal.sigtimedwait(CAUGHT, left)
        if info:
            got(info.si_signo)
def wait_file(path, secs):
    deadline = time.monotonic() + secs
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            os._exit(98)
        pause(0.01)
if 'daemon' in opts:
    if os.fork():
        wait_file(base + '.ready', 20)
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
elif 'setsid' in opts:
    os.setsid()
put('.ready', '%d %d %d %d %.6f\n' % (os.getpid(), os.getpgid(0), os.getsid(0), os.getppid(), time.monotonic()))
for k, v in args:
    if k == 'after':
        for other in filter(None, v.split(',')):
            wait_file(os.path.join(d, other + '.ready'), 20)
    elif k == 'until':
        wait_file(v, 60)
    elif k == 'spawn':
        child = [c.replace('%', '+') for c in v.split('+')]
        if os.fork() == 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
            os.execv(sys.executable, [sys.executable, '-I', '-S', sys.argv[0], d] + child)
        wait_file(os.path.join(d, child[0] + '.ready'), 20)
    elif k == 'exit':
        pause(float(opts.get('delay', '0')))
        put('.exited', '%.6f\n' % time.monotonic())
        os._exit(int(v))
pause(120)
os._exit(99)
"#;

/// What an actor's ready file says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ids {
    pub pid: u32,
    pub pgid: u32,
    pub sid: u32,
    pub ppid: u32,
    /// When its handlers were in place.
    pub at: f64,
}

/// A scenario's directory, with the actor script in it.
pub struct Actors {
    pub dir: PathBuf,
    script: PathBuf,
}

impl Actors {
    pub fn new(tag: &str) -> Actors {
        let dir = tempdir(tag);
        let script = dir.join("actor.py");
        std::fs::write(&script, ACTOR_PY).unwrap();
        Actors { dir, script }
    }

    /// The command line of actor `name` with `opts`.
    pub fn argv(&self, name: &str, opts: &[&str]) -> Vec<String> {
        let mut v = vec![
            python().to_string(),
            "-I".into(),
            "-S".into(),
            self.script.display().to_string(),
            self.dir.display().to_string(),
            name.to_string(),
        ];
        v.extend(opts.iter().map(|s| s.to_string()));
        v
    }

    /// The same as a shell command (no quoting needed: no spaces).
    pub fn sh(&self, name: &str, opts: &[&str]) -> String {
        self.argv(name, opts).join(" ")
    }

    /// `sh -c SCRIPT` as mite's program.
    pub fn script(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    /// A file of the directory.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// Creates file `file` (e.g. the go file of an `until=`).
    pub fn touch(&self, file: &str) {
        std::fs::write(self.path(file), "").unwrap();
    }

    /// The ids of actor `name`, if it is ready.
    pub fn ids(&self, name: &str) -> Option<Ids> {
        let s = std::fs::read_to_string(self.path(&format!("{name}.ready"))).ok()?;
        let w: Vec<&str> = s.split_whitespace().collect();
        let n = |i: usize| w.get(i)?.parse::<u32>().ok();
        Some(Ids {
            pid: n(0)?,
            pgid: n(1)?,
            sid: n(2)?,
            ppid: n(3)?,
            at: w.get(4)?.parse().ok()?,
        })
    }

    /// Waits (up to `secs`) until actor `name` is ready.
    #[track_caller]
    pub fn ready(&self, name: &str, secs: u64) -> Ids {
        wait_for(secs, || self.ids(name))
            .unwrap_or_else(|| panic!("actor {name} not ready after {secs} s"))
    }

    /// The signals actor `name` got so far, with their times.
    pub fn log(&self, name: &str) -> Vec<(i32, f64)> {
        std::fs::read_to_string(self.path(&format!("{name}.log")))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (s, t) = l.split_once(' ')?;
                Some((s.parse().ok()?, t.parse().ok()?))
            })
            .collect()
    }

    /// The signals actor `name` got so far, in order.
    pub fn sigs(&self, name: &str) -> Vec<i32> {
        self.log(name).into_iter().map(|(s, _)| s).collect()
    }

    /// Waits (up to `secs`) until actor `name` has got `sig`.
    #[track_caller]
    pub fn wait_sig(&self, name: &str, sig: i32, secs: u64) -> f64 {
        wait_for(secs, || {
            self.log(name)
                .into_iter()
                .find(|&(s, _)| s == sig)
                .map(|(_, t)| t)
        })
        .unwrap_or_else(|| {
            panic!(
                "actor {name} did not get signal {sig} in {secs} s; got {:?}",
                self.sigs(name)
            )
        })
    }

    /// A time an actor wrote into `file` (`NAME.marker`, `NAME.exited`).
    fn time_in(&self, file: &str) -> Option<f64> {
        let s = std::fs::read_to_string(self.path(file)).ok()?;
        s.split_whitespace().last()?.parse().ok()
    }

    /// When actor `name` flushed its marker (its stop work done), if it did.
    pub fn marker(&self, name: &str) -> Option<f64> {
        self.time_in(&format!("{name}.marker"))
    }

    /// When actor `name` (with exit=) exited by itself, if it did.
    pub fn exited(&self, name: &str) -> Option<f64> {
        self.time_in(&format!("{name}.exited"))
    }

    /// Waits (up to `secs`) for actor `name`'s marker.
    #[track_caller]
    pub fn wait_marker(&self, name: &str, secs: u64) -> f64 {
        wait_for(secs, || self.marker(name))
            .unwrap_or_else(|| panic!("actor {name} flushed no marker in {secs} s"))
    }
}

impl Drop for Actors {
    /// The directory goes with the scenario, unless the test failed.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Makes `cmd` start with the signals an actor takes already blocked,
/// as the actor blocks them itself once python runs. mite gives its child
/// the mask mite started with (qemu-user passes it on too), so an actor
/// started as mite's program can take a signal that comes before python
/// is up: it waits, pending, instead of killing the interpreter. Only for
/// a program that is an actor: anything else would never see them.
pub fn with_actor_mask(cmd: &mut std::process::Command) -> &mut std::process::Command {
    use std::os::unix::process::CommandExt;
    // The actor's CAUGHT: 1..=64 but SIGKILL, SIGSTOP, SIGCHLD, 32, 33.
    let mut set: u64 = !0;
    for sig in [9, 19, 17, 32, 33] {
        set &= !(1u64 << (sig - 1));
    }
    // SAFETY: only a raw syscall (async-signal-safe) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // SIG_BLOCK (0), the kernel's 8-byte sigset.
            syscall(
                SYS_RT_SIGPROCMASK,
                0 as std::ffi::c_long,
                &set as *const u64,
                std::ptr::null_mut::<u64>(),
                8 as std::ffi::c_long,
            );
            Ok(())
        })
    }
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

/// CLOCK_MONOTONIC in seconds: the actors' clock.
pub fn now() -> f64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: a valid pointer to a timespec; CLOCK_MONOTONIC (1) exists.
    unsafe { clock_gettime(1, &mut ts) };
    ts.sec as f64 + ts.nsec as f64 * 1e-9
}

/// Waits (up to `secs`) until `r` has exited; the time it was seen gone
/// (polled every 2 ms), then its output. Panics if it did not exit.
#[track_caller]
pub fn exit_time(mut r: Running, secs: u64) -> (f64, Out) {
    let seen = wait_poll(secs, 2, || r.exited().then(now));
    let o = r.finish(10);
    let t = seen.unwrap_or_else(|| panic!("did not exit in {secs} s: {o:?}"));
    (t, o)
}

/// `wait_for` with a polling period of `ms` milliseconds.
pub fn wait_poll<T>(secs: u64, ms: u64, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = now() + secs as f64;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if now() > deadline {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Runs each case of `cases` in a thread of its own (the scenarios wait
/// most of the time: in parallel they take the time of the longest), and
/// fails with every failure's message if any failed.
pub fn parallel<C: Send + Sync + std::fmt::Debug>(cases: &[C], f: impl Fn(&C) + Sync) {
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases.iter().map(|c| (c, s.spawn(|| f(c)))).collect();
        handles
            .into_iter()
            .filter_map(|(c, h)| {
                h.join().err().map(|e| {
                    let msg = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    format!("case {c:?}: {msg}")
                })
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
