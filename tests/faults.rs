//! Fault injection: mite under failing syscalls, hostile stdio, signal
//! storms, mass orphaning, stopped children, dying parents and huge or
//! odd argument lists. Each test runs the real binary (MITE_BIN and
//! MITE_RUNNER apply, so the same tests cover aarch64 under qemu-user).
//!
//! The contract checked everywhere: mite either refuses with a one-line
//! reason and status 1 (set-up failed, nothing runs), or it runs the
//! child and exits with exactly the child's status; it never hangs,
//! crashes or loses the status.
//!
//! Heavy tests (signal storm, orphans, huge argv) hold `serial()` so they
//! do not compete with each other for the two cores or the pid space.
//!
//! Under qemu-user (aarch64) every scenario runs as it is, with one
//! emulator limit, shown against Debian's arm64 tini-static under the
//! same emulator: qemu lays out the emulated program's envp in reverse
//! order, so in `pass_through` the child's environment is compared with
//! tini-static's child's, not with the host order. Root is needed
//! (setpriv, cgroups, unshare, prlimit on another process).
mod common;
use common::*;

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

extern "C" {
    fn fcntl(fd: i32, cmd: i32, ...) -> i32;
    fn close(fd: i32) -> i32;
    fn prlimit(pid: i32, resource: u32, new: *const [u64; 2], old: *mut [u64; 2]) -> i32;
}

const F_GETPIPE_SZ: i32 = 1032;
const RLIMIT_STACK: u32 = 3;
/// The host's `write` syscall number, as /proc/PID/syscall shows it.
#[cfg(target_arch = "x86_64")]
const SYS_WRITE: &str = "1";
#[cfg(target_arch = "aarch64")]
const SYS_WRITE: &str = "64";

/// True when stderr is exactly one line containing every one of `parts`.
#[track_caller]
fn assert_one_line(o: &RawOut, parts: &[&str]) {
    let e = o.err();
    assert!(
        e.ends_with('\n') && e.matches('\n').count() == 1,
        "want one line on stderr: {o:?}\n{e}"
    );
    for p in parts {
        assert!(e.contains(p), "stderr lacks {p:?}: {e}");
    }
}

#[track_caller]
fn assert_code(o: &RawOut, code: i32) {
    assert_eq!(o.code(), Some(code), "{o:?}\nstderr: {}", o.err());
}

// ---------------------------------------------------------------------
// fork fails
// ---------------------------------------------------------------------

/// An unprivileged uid with no process: its process count is only what
/// the test starts, so RLIMIT_NPROC can be set exactly at it.
fn idle_uid() -> u32 {
    let busy: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| {
            proc_status(p, "Uid")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .collect();
    (61000..62000)
        .find(|u| !busy.contains(u))
        .expect("a free uid")
}

/// Runs `make(n)` for n = 1, 2, ... until mite itself starts and reports
/// the fork failure (below that, the wrapper or the emulator cannot start:
/// qemu-user needs a thread of its own). Returns that run.
fn first_fork_failure(what: &str, make: impl Fn(u32) -> Command) -> RawOut {
    let mut tried = Vec::new();
    for n in 1..=4 {
        // TINI_VERBOSITY=0: no not-PID-1 warning; the fatal line stays.
        let o = run_raw(make(n).env("TINI_VERBOSITY", "0"), 20);
        assert_ne!(o.code(), Some(0), "{what}={n}: the child ran: {o:?}");
        if o.err().contains("fork failed") {
            return o;
        }
        tried.push((n, o));
    }
    panic!("{what}: mite never reported a fork failure: {tried:#?}");
}

#[test]
fn fork_fails_under_rlimit_nproc() {
    // RLIMIT_NPROC counts the processes of the real uid: at the limit, the
    // clone that would start the child fails with EAGAIN.
    let uid = idle_uid().to_string();
    let o = first_fork_failure("nproc", |n| {
        let mut c = Command::new("prlimit");
        c.arg(format!("--nproc={n}:{n}"))
            .arg("setpriv")
            .arg(format!("--reuid={uid}"))
            .arg(format!("--regid={uid}"))
            .args(["--clear-groups", "--"])
            .args(mite_argv())
            .args(["--", "true"]);
        c
    });
    assert_code(&o, 1);
    assert_one_line(&o, &["fork failed", "Resource temporarily unavailable"]);
    assert!(o.stdout.is_empty());
}

/// Where a pids controller is mounted: cgroup v2 with `pids` available,
/// or the v1 pids hierarchy.
fn pids_cgroup_root() -> Option<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    for l in mounts.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        let (dir, fstype, opts) = (f.get(1)?, f.get(2)?, f.get(3)?);
        if *fstype == "cgroup2" {
            let ctl =
                std::fs::read_to_string(format!("{dir}/cgroup.controllers")).unwrap_or_default();
            if ctl.split_whitespace().any(|c| c == "pids") {
                let _ = std::fs::write(format!("{dir}/cgroup.subtree_control"), "+pids");
                return Some(PathBuf::from(dir));
            }
        }
        if *fstype == "cgroup" && opts.split(',').any(|o| o == "pids") {
            return Some(PathBuf::from(dir));
        }
    }
    None
}

#[test]
fn fork_fails_in_a_full_pids_cgroup() {
    let Some(root) = pids_cgroup_root() else {
        eprintln!("SKIP: no pids cgroup controller on this host");
        return;
    };
    let cg = root.join(format!("mite-faults-{}", std::process::id()));
    std::fs::create_dir_all(&cg).expect("create a pids cgroup (root needed)");
    let procs = cg.join("cgroup.procs");
    let o = first_fork_failure("pids.max", |n| {
        std::fs::write(cg.join("pids.max"), n.to_string()).unwrap();
        // The wrapper moves itself into the cgroup, then becomes mite.
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(r#"echo $$ > "$0" && exec "$@""#)
            .arg(&procs)
            .args(mite_argv())
            .args(["--", "true"]);
        c
    });
    let _ = std::fs::remove_dir(&cg);
    assert_code(&o, 1);
    assert_one_line(&o, &["fork failed", "Resource temporarily unavailable"]);
}

// ---------------------------------------------------------------------
// exec fails
// ---------------------------------------------------------------------

/// A file in a fresh directory with `mode` and `content`.
fn file(dir: &Path, name: &str, mode: u32, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

/// The exec failures a container meets: (program, status, reason).
/// Statuses as shells and tini give them: 127 not found, 126 found but
/// not runnable; other errors 1 (as tini).
fn exec_failure_cases(d: &Path) -> Vec<(OsString, i32, &'static str)> {
    let noexec = file(d, "noexec", 0o644, b"#!/bin/sh\nexit 0\n");
    let garbage = file(d, "garbage", 0o755, b"\x01\x02 this is no program\n\xff");
    let empty = file(d, "empty", 0o755, b"");
    let _ = std::os::unix::fs::symlink(d.join("loop"), d.join("loop"));
    let long = format!("/{}", "x/".repeat(2100));
    vec![
        (d.join("missing").into(), 127, "No such file or directory"),
        (
            "no-such-program-mite-test".into(),
            127,
            "No such file or directory",
        ),
        (d.join("noexec/x").into(), 1, "Not a directory"),
        (noexec.into(), 126, "Permission denied"),
        (d.into(), 126, "Permission denied"),
        (garbage.into(), 126, "Exec format error"),
        (empty.into(), 126, "Exec format error"),
        (
            d.join("loop").into(),
            1,
            "Too many levels of symbolic links",
        ),
        (long.into(), 1, "File name too long"),
    ]
}

#[test]
fn exec_failures_have_shell_statuses() {
    // One line naming the program, the status, nothing on stdout.
    let d = tempdir("exec");
    for (prog, code, _) in exec_failure_cases(&d) {
        for personality in ["mite", "tini"] {
            // No not-PID-1 warning, so the one line is the reason.
            let mut c = if personality == "mite" {
                mite(&["--"])
            } else {
                mite_as("tini", &["--"])
            };
            let o = run_raw(c.arg(&prog).env("TINI_VERBOSITY", "0"), 20);
            assert_code(&o, code);
            let name = prog.to_string_lossy();
            assert_one_line(&o, &[&name[..name.len().min(200)]]);
            assert!(o.stdout.is_empty(), "{o:?}");
        }
    }
}

#[test]
fn exec_failure_messages_name_the_reason() {
    // strerror's text, not "Unknown error N".
    let d = tempdir("exec-why");
    let mut wrong = Vec::new();
    for (prog, _, why) in exec_failure_cases(&d) {
        let o = run_raw(mite(&["--"]).arg(&prog).env("TINI_VERBOSITY", "0"), 20);
        if !o.err().contains(why) {
            let got: String = o.err().trim_end().chars().take(160).collect();
            wrong.push(format!("want {why:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// RLIMIT_STACK of `pid`: (soft, hard).
fn stack_limit(pid: i32, soft: Option<u64>) -> [u64; 2] {
    let mut old = [0u64; 2];
    assert_eq!(
        unsafe { prlimit(pid, RLIMIT_STACK, std::ptr::null(), &mut old) },
        0
    );
    if let Some(s) = soft {
        let new = [s, old[1]];
        assert_eq!(
            unsafe { prlimit(pid, RLIMIT_STACK, &new, std::ptr::null_mut()) },
            0
        );
    }
    old
}

#[test]
fn exec_argument_list_too_long() {
    // The child's argv is a suffix of mite's, so it always fits when
    // mite's did. To make the child's execve fail with E2BIG, mite is
    // held before its clone (its first write, the not-PID-1 warning, goes
    // to a pipe that is already full), its RLIMIT_STACK is cut to 512 KiB
    // (the kernel's argument limit becomes 128 KiB), then let go.
    let _g = serial();
    let (mut r, mut w) = std::io::pipe().unwrap();
    let cap = unsafe { fcntl(w_fd(&w), F_GETPIPE_SZ) };
    assert!(cap > 0);
    w.write_all(&vec![b'.'; cap as usize]).unwrap();
    let big = "a".repeat(1000);
    let mut c = mite(&["--", "true"]);
    c.args(std::iter::repeat_n(&big, 300))
        .env_remove("TINI_VERBOSITY")
        .env_remove("TINI_SUBREAPER")
        // Not a subreaper: then mite's first write is its warning.
        .env("MITE_SUBREAPER", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(w.try_clone().unwrap());
    let m = Running::start_with_stdio(&mut c);
    // The Command and `w` hold write ends too: only mite's may remain.
    drop(c);
    drop(w);
    let pid = m.pid() as i32;
    wait_until(
        20,
        "mite blocked writing its warning to the full pipe",
        || {
            let s = std::fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
            (s.split_whitespace().next() == Some(SYS_WRITE)).then_some(())
        },
    );
    let old = stack_limit(pid, Some(512 * 1024));
    assert!(
        old[0] >= 4 << 20,
        "the test needs the usual 8 MiB stack limit: {old:?}"
    );
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    });
    let o = m.finish(20);
    let err = reader.join().unwrap();
    let e = String::from_utf8_lossy(&err[cap as usize..]).into_owned();
    assert_eq!(o.code, Some(1), "{o:?}\nstderr: {e}");
    assert!(e.contains("Argument list too long"), "{e}");
    assert!(e.contains("'true'") || e.contains(" true"), "{e}");
}

fn w_fd(w: &std::io::PipeWriter) -> i32 {
    use std::os::fd::AsRawFd;
    w.as_raw_fd()
}

// ---------------------------------------------------------------------
// Hostile stdio
// ---------------------------------------------------------------------

#[test]
fn closed_stdio_still_supervises() {
    // Every combination of closed stdin, stdout and stderr: mite warns
    // into nothing (EBADF), the child still runs, and the status is
    // exact. The child leaves a mark, so "it ran" is checked too.
    let d = tempdir("closed");
    for fds in [&[0][..], &[1], &[2], &[0, 1, 2], &[1, 2]] {
        let mark = d.join(format!("ran-{fds:?}"));
        let script = format!("echo x > '{}'; exit 7", mark.display());
        let mut c = mite(&["-v", "-v", "-v", "--", "sh", "-c", &script]);
        let closing: Vec<i32> = fds.to_vec();
        // SAFETY: close() is async-signal-safe; runs in the forked child.
        unsafe {
            c.pre_exec(move || {
                for &fd in &closing {
                    close(fd);
                }
                Ok(())
            });
        }
        let o = run_raw(&mut c, 20);
        assert_code(&o, 7);
        assert!(mark.exists(), "child did not run with {fds:?} closed");
    }
    // The tini personality too (tini itself fails here: tcsetpgrp EBADF).
    let mark = d.join("ran-tini");
    let script = format!("echo x > '{}'; exit 9", mark.display());
    let mut c = mite_as("tini", &["-vvv", "--", "sh", "-c", &script]);
    unsafe {
        c.pre_exec(|| {
            for fd in 0..3 {
                close(fd);
            }
            Ok(())
        });
    }
    let o = run_raw(&mut c, 20);
    assert_code(&o, 9);
    assert!(mark.exists());
}

#[test]
fn broken_pipe_on_stderr_still_supervises() {
    // stderr is a pipe whose reader is gone: each of mite's messages
    // (the not-PID-1 warning, and with -vvv debug lines) gets EPIPE or
    // SIGPIPE, which must not stop it.
    for (p, args) in [
        ("mite", &["-vvv", "--"][..]),
        ("mite", &["--"][..]),
        ("tini", &["-vvv", "--"][..]),
    ] {
        let (r, w) = std::io::pipe().unwrap();
        drop(r);
        let mut c = if p == "mite" {
            mite(args)
        } else {
            mite_as(p, args)
        };
        // The child ignores the USR1 it sends to mite, which forwards it
        // back: mite wakes up and logs (-vvv) while its child lives on.
        c.args([
            "sh",
            "-c",
            "trap '' USR1; kill -USR1 $PPID; sleep 0.1; exit 3",
        ])
        .env_remove("TINI_VERBOSITY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(w);
        let o = Running::start_with_stdio(&mut c).finish(20);
        // 141 would be the child killed by a SIGPIPE: mite's own, from
        // its write to the broken pipe, forwarded as if someone sent it.
        assert_eq!(o.code, Some(3), "{p} {args:?}: {o:?}");
    }
}

// ---------------------------------------------------------------------
// Signal storms and races
// ---------------------------------------------------------------------

/// Signals of many kinds that a child can ignore: standard ones and
/// real-time ones (not 32/33, which glibc keeps for itself and a glibc
/// shell cannot ignore).
const STORM: &[i32] = &[1, 10, 12, 28, 23, 14, 34, 35, 40, 45, 50, 55, 60, 64];

/// A python sender: `count` signals cycling through STORM to `pid`; stops
/// early when `pid` is gone. Creates `started` (if given) once its first
/// signal is sent; prints how many kill() calls succeeded.
fn sender(pid: u32, count: usize, offset: usize, started: Option<&Path>) -> Running {
    let sigs = format!("{STORM:?}");
    let started = started
        .map(|p| format!("{:?}", p.display().to_string()))
        .unwrap_or_else(|| "None".into());
    let prog = format!(
        "import os,sys\nsigs={sigs}\nstarted={started}\nn=0\nfor i in range({count}):\n    \
         try:\n        os.kill({pid}, sigs[(i+{offset}) % len(sigs)]); n += 1\n    \
         except ProcessLookupError:\n        break\n    except OSError:\n        pass\n    \
         if n == 1 and started:\n        open(started, 'w').close()\nprint(n)\n"
    );
    Running::start_with_stdio(
        Command::new(python())
            .args(["-c", &prog])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )
}

/// How many signals a sender sent (it ends by itself within `secs`).
fn sent(s: Running, secs: u64) -> usize {
    let o = s.finish(secs);
    assert!(!o.timed_out, "a signal sender ran for over {secs} s: {o:?}");
    o.stdout.trim().parse().unwrap_or(0)
}

/// A shell loop of at most about a minute (6000 naps of 10 ms; more under
/// load): long enough for any scenario, and a child that a test lost ends
/// by itself.
fn bounded_loop(cond: &str) -> String {
    format!("i=0; while {cond} [ $i -lt 6000 ]; do sleep 0.01; i=$((i+1)); done")
}

/// A child that ignores the storm, writes its pid to `ready` once its trap
/// is set, and exits `code` once `go` exists.
fn ignoring_child(d: &Path, code: i32) -> (String, PathBuf, PathBuf) {
    let ready = d.join("ready");
    let go = d.join("go");
    let nums: Vec<String> = STORM.iter().map(|s| s.to_string()).collect();
    let script = format!(
        "trap '' {}; echo $$ > '{}'; {}; exit {code}",
        nums.join(" "),
        ready.display(),
        bounded_loop(&format!("[ ! -e '{}' ] &&", go.display()))
    );
    (script, ready, go)
}

#[test]
fn signal_storm_keeps_the_exit_status_exact() {
    let _g = serial();
    let d = tempdir("storm");
    let (script, ready, go) = ignoring_child(&d, 42);
    let mut c = mite(&["--", "sh", "-c", &script]);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut m = Running::start_with_stdio(&mut c);
    let pid = m.pid();
    read_pid(&ready, 20);
    let t = Instant::now();
    // 100000 signals from four processes while the child runs...
    let senders: Vec<_> = (0..4).map(|i| sender(pid, 25_000, i * 3, None)).collect();
    let total: usize = senders.into_iter().map(|s| sent(s, 120)).sum();
    assert!(!m.exited(), "mite ended during the storm");
    assert_eq!(total, 100_000, "not every signal was sent");
    // ...then the child exits while two more senders keep going: `go` is
    // written once both have started.
    let marks: Vec<PathBuf> = (0..2).map(|i| d.join(format!("late-{i}"))).collect();
    let late: Vec<_> = (0..2)
        .map(|i| sender(pid, 50_000, i, Some(&marks[i])))
        .collect();
    wait_until(30, "the late senders' first signals", || {
        marks.iter().all(|m| m.exists()).then_some(())
    });
    std::fs::write(&go, "").unwrap();
    let o = m.finish(60);
    for s in late {
        let _ = sent(s, 120);
    }
    assert_eq!(o.code, Some(42), "{o:?}");
    assert!(!o.stderr.contains("Unexpected"), "{}", o.stderr);
    eprintln!("storm: {total} signals + late ones in {:?}", t.elapsed());
}

#[test]
fn signals_racing_the_childs_exit() {
    // The child exits on the first SIGTERM (its trap) while a storm of
    // SIGTERMs goes on: later ones are forwarded to a zombie or find the
    // child gone; the status stays the child's own.
    let _g = serial();
    let naps = bounded_loop("");
    for (args, script, want) in [
        (
            &["--"][..],
            format!("trap 'exit 7' TERM; echo $$ > \"$0\"; {naps}"),
            7,
        ),
        // No handler: the first forwarded SIGTERM kills it: 128 + 15.
        (&["--"][..], format!("echo $$ > \"$0\"; {naps}"), 143),
        // The same through the process group.
        (
            &["-g", "--"][..],
            format!("trap 'exit 5' TERM; echo $$ > \"$0\"; {naps}"),
            5,
        ),
    ] {
        let d = tempdir("race");
        let ready = d.join("ready");
        let mut c = mite(args);
        c.args(["sh", "-c", &script])
            .arg(&ready)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let m = Running::start_with_stdio(&mut c);
        read_pid(&ready, 20);
        let pid = m.pid();
        let prog = format!(
            "import os\ntry:\n    for i in range(20000): os.kill({pid}, 15)\nexcept ProcessLookupError:\n    pass\n"
        );
        let s: Vec<_> = (0..2)
            .map(|_| {
                Running::start_with_stdio(
                    Command::new(python())
                        .args(["-c", &prog])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null()),
                )
            })
            .collect();
        let o = m.finish(30);
        for s in s {
            let _ = s.finish(60);
        }
        assert_eq!(o.code, Some(want), "{args:?} {script}: {o:?}");
        // Warnings (not PID 1, child already gone) are fine; errors are not.
        for l in o.stderr.lines().filter(|l| l.starts_with("mite:")) {
            let l = l.to_lowercase();
            assert!(
                !l.contains("error") && !l.contains("fail") && !l.contains("unexpected"),
                "unexpected message: {l}"
            );
        }
    }
}

/// Waits until process `pid` is stopped (`stopped`) or running again.
#[track_caller]
fn wait_stopped(pid: i32, stopped: bool) {
    let what = if stopped { "stopped" } else { "running again" };
    wait_until(5, &format!("process {pid} {what}"), || {
        ((proc_state(pid as u32) == Some('T')) == stopped).then_some(())
    });
}

/// Waits until mite (`pid`) is back in its signal wait after handling
/// what came (or stopped, which the caller rules out); its state.
fn settled(pid: u32) -> Option<char> {
    wait_until(5, &format!("mite {pid} back in rt_sigtimedwait"), || {
        let state = proc_state(pid)?;
        (state == 'T' || (state == 'S' && in_sigtimedwait(pid))).then_some(Some(state))
    })
}

#[test]
fn a_stop_is_not_an_exit() {
    // The checks that mite is still running are instant; what proves that
    // no stop was taken for an exit is the final status, which is the
    // child's real end (5 or 137), never a stop's.
    let d = tempdir("stop");
    let (script, ready, go) = ignoring_child(&d, 5);
    let mut c = mite(&["--", "sh", "-c", &script]);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut m = Running::start_with_stdio(&mut c);
    let child = read_pid(&ready, 20) as i32;
    // Stop and continue the child directly, many times: each sends mite a
    // SIGCHLD that reaps nothing.
    for _ in 0..20 {
        assert!(kill(child, 19));
        wait_stopped(child, true);
        assert!(!m.exited(), "mite took a stop for an exit");
        assert!(kill(child, 18));
        wait_stopped(child, false);
    }
    // Through mite: SIGTSTP is forwarded (the shell stops), SIGCONT too;
    // mite itself does not stop (no job control in the mite personality).
    assert!(kill(m.pid() as i32, 20));
    wait_stopped(child, true);
    assert_ne!(settled(m.pid()), Some('T'), "mite stopped itself");
    assert!(!m.exited(), "mite took a stop for an exit");
    assert!(kill(m.pid() as i32, 18));
    wait_stopped(child, false);
    std::fs::write(&go, "").unwrap();
    let o = m.finish(20);
    assert_eq!(o.code, Some(5), "{o:?}");

    // Killed while stopped: the real end is reported, 128 + 9.
    let d = tempdir("stopkill");
    let (script, ready, _go) = ignoring_child(&d, 5);
    let mut c = mite(&["--", "sh", "-c", &script]);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut m = Running::start_with_stdio(&mut c);
    let child = read_pid(&ready, 20) as i32;
    assert!(kill(child, 19));
    wait_stopped(child, true);
    assert!(!m.exited(), "mite took a stop for an exit");
    assert!(kill(child, 9));
    let o = m.finish(20);
    assert_eq!(o.code, Some(137), "{o:?}");
}

// ---------------------------------------------------------------------
// 50000 orphans
// ---------------------------------------------------------------------

/// The main child under mite as PID 1: waves of zombies whose parent
/// exits, so they are all re-parented to mite at once. It warms up with a
/// small wave, then waits for the test (which measures mite's memory),
/// runs the big waves, waits for each to be reaped (no process left in
/// the namespace but mite and itself), and waits for the test again.
const ORPHANS_PY: &str = r#"
import os, sys, time
d, waves = sys.argv[1], [int(k) for k in sys.argv[2:]]
def wave(k):
    pid = os.fork()
    if pid == 0:
        r, w = os.pipe()
        n = 0
        try:
            for i in range(k):
                if os.fork() == 0:
                    os._exit(0)
                n += 1
        finally:
            os.close(w)
            os.read(r, 1)          # EOF once every child has exited
            os._exit(0 if n == k else 1)
    _, st = os.waitpid(pid, 0)
    if st != 0:
        print("fork failed", file=sys.stderr); sys.exit(3)
    deadline = time.time() + 240
    while sum(1 for e in os.listdir('/proc') if e.isdigit()) > 2:
        if time.time() > deadline:
            print("zombies left", file=sys.stderr); sys.exit(4)
        time.sleep(0.02)
def wait_for(name):
    deadline = time.time() + 300
    while not os.path.exists(os.path.join(d, name)):
        if time.time() > deadline:
            print("no %s from the test" % name, file=sys.stderr); sys.exit(5)
        time.sleep(0.01)
def mark(name):
    open(os.path.join(d, name), 'w').close()
wave(200)
mark('ready'); wait_for('go')
t = time.time()
for k in waves:
    wave(k)
print("%d orphans in %.1fs" % (sum(waves), time.time() - t), file=sys.stderr)
mark('done'); wait_for('end')
"#;

fn vm_rss_kb(pid: u32) -> u64 {
    proc_status(pid, "VmRSS")
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn fifty_thousand_orphans_are_reaped_without_growth() {
    let _g = serial();
    const TOTAL: usize = 50_000;
    // All 50000 at once needs pid_max above 50000 plus what runs already;
    // with the default 32768, the same total comes in as few waves as
    // the free pids allow, keeping a margin for everything else.
    let pid_max: usize = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let used = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .count();
    let room = pid_max.saturating_sub(used + 8192).max(1000);
    let n = TOTAL.div_ceil(room.min(TOTAL));
    let waves: Vec<String> = (0..n)
        .map(|i| (TOTAL / n + usize::from(i < TOTAL % n)).to_string())
        .collect();
    let d = tempdir("orphans");
    let script = d.join("orphans.py");
    std::fs::write(&script, ORPHANS_PY).unwrap();
    let mut c = pid1(&["--", python()]);
    c.arg(&script)
        .arg(&d)
        .args(&waves)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let u = Running::start_with_stdio(&mut c);
    assert!(wait_file(&d.join("ready"), 60), "helper never got ready");
    let kids = children_of(u.pid());
    assert_eq!(kids.len(), 1, "unshare should have one child: mite");
    let mite_pid = kids[0];
    let before = vm_rss_kb(mite_pid);
    std::fs::write(d.join("go"), "").unwrap();
    // Bounds for a loaded machine: a run takes seconds on two idle cores.
    assert!(
        wait_file(&d.join("done"), 240),
        "orphans not reaped in 240 s"
    );
    let after = vm_rss_kb(mite_pid);
    // Nothing left for mite but its main child.
    let left = children_of(mite_pid);
    assert_eq!(left.len(), 1, "zombies left: {left:?}");
    std::fs::write(d.join("end"), "").unwrap();
    let o = u.finish(20);
    assert_eq!(o.code, Some(0), "{o:?}");
    eprintln!(
        "waves {waves:?}: VmRSS {before} kB -> {after} kB; {}",
        o.stderr
    );
    assert!(before > 0);
    assert!(
        after <= before + 4,
        "mite grew from {before} kB to {after} kB"
    );
}

// ---------------------------------------------------------------------
// The parent dies (-p)
// ---------------------------------------------------------------------

/// A python subreaper: it starts a parent that starts mite, kills that
/// parent once mite's child is ready, adopts mite and prints how mite
/// ended ("exit N" or "signal N").
const ADOPT_PY: &str = r#"
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(36, 1, 0, 0, 0) == 0      # PR_SET_CHILD_SUBREAPER
ready, argv = sys.argv[1], sys.argv[2:]
def child():                                 # its pid, once written whole
    try:
        s = open(ready).read()
    except OSError:
        return None
    return int(s) if s.endswith('\n') else None
p = os.fork()
if p == 0:
    m = os.fork()
    if m == 0:
        os.execv(argv[0], argv)
    deadline = time.time() + 20
    while child() is None and time.time() < deadline:
        time.sleep(0.01)
    os._exit(0)                              # mite's parent dies
os.waitpid(p, 0)
while True:
    pid, st = os.waitpid(-1, 0)              # mite, adopted
    if os.WIFEXITED(st):
        print("exit %d" % os.WEXITSTATUS(st)); break
    if os.WIFSIGNALED(st):
        print("signal %d" % os.WTERMSIG(st)); break
try:                                         # what mite left running
    os.kill(child(), 9)
except Exception:
    pass
"#;

fn adopt(mite_args: &[&str], child: &str) -> (String, PathBuf) {
    let d = tempdir("pdeath");
    let ready = d.join("ready");
    let mut c = Command::new(python());
    c.args(["-c", ADOPT_PY])
        .arg(&ready)
        .args(mite_argv())
        .args(mite_args)
        .args(["--", "sh", "-c", child])
        .arg(&d);
    let o = run_raw(&mut c, 30);
    // Kill whatever mite left behind (its child has a group of its own),
    // in case the helper could not.
    if let Ok(pid) = std::fs::read_to_string(&ready) {
        if let Some(Ok(pid)) = pid.strip_suffix('\n').map(str::parse::<i32>) {
            kill(pid, 9);
        }
    }
    assert!(o.status.is_some(), "timed out: {o:?}");
    (String::from_utf8_lossy(&o.stdout).trim().to_string(), d)
}

#[test]
fn parent_death_signal_is_forwarded() {
    let child = format!(
        "trap 'echo got-term > \"$0/log\"; exit 9' TERM; echo $$ > \"$0/ready\"; {}",
        bounded_loop("")
    );
    for args in [&["-p", "TERM"][..], &["-p", "SIGTERM"], &["--pdeathsig=15"]] {
        let (how, d) = adopt(args, &child);
        assert_eq!(how, "exit 9", "{args:?}");
        assert_eq!(
            std::fs::read_to_string(d.join("log")).unwrap(),
            "got-term\n"
        );
    }
}

#[test]
fn parent_death_sigkill_kills_mite() {
    let child = format!(
        "exec >/dev/null 2>&1; echo $$ > \"$0/ready\"; {}",
        bounded_loop("")
    );
    let (how, _) = adopt(&["-p", "KILL"], &child);
    assert_eq!(how, "signal 9");
}

// ---------------------------------------------------------------------
// Huge and odd argument lists, PATH
// ---------------------------------------------------------------------

/// Runs mite with `args` and `env` (nothing else in the environment);
/// the child, `sh -c DUMP OUT args...`, writes its /proc/self/cmdline and
/// environ and mite's environ. Checks they are byte for byte what was
/// passed.
fn pass_through(args: &[OsString], env: &[(OsString, OsString)]) {
    let mite_seen = dump_through(&mite_argv(), args, env);
    // The environment mite got is the one it hands on, in its order.
    if mite_seen.child_env != mite_seen.init_env && emulated() {
        // qemu-user lays out the emulated program's envp in reverse order
        // (its /proc environ keeps the host order): the same happens to
        // Debian's arm64 tini-static, so the emulator is the cause. The
        // child then gets exactly what tini-static's child gets.
        let mut tini = runner_argv();
        tini.push(arm64_tini().into_os_string());
        let tini_seen = dump_through(&tini, args, env);
        assert!(
            tini_seen.child_env != tini_seen.init_env,
            "tini-static passes its environment in order, mite does not"
        );
        assert!(
            tini_seen.child_env == mite_seen.child_env,
            "mite's child and tini-static's child see different environments"
        );
    } else {
        assert!(
            mite_seen.child_env == mite_seen.init_env,
            "environment changed on the way"
        );
    }
}

/// What a child saw: its environ, and its init's (/proc/PPID/environ).
struct Seen {
    child_env: Vec<u8>,
    init_env: Vec<u8>,
}

/// Runs `init -- /bin/sh -c DUMP OUT args...` with exactly `env`; the
/// child writes its /proc/self/cmdline and environ and its parent's
/// environ. Checks argv byte for byte and the environment as a set.
fn dump_through(init: &[OsString], args: &[OsString], env: &[(OsString, OsString)]) -> Seen {
    let d = tempdir("argv");
    let out = d.join("out");
    let dump = r#"cat /proc/$$/cmdline > "$0"; cat /proc/$$/environ > "$0.env"; cat /proc/$PPID/environ > "$0.penv""#;
    let mut c = Command::new(&init[0]);
    c.args(&init[1..])
        .args(["--", "/bin/sh", "-c", dump])
        .arg(&out)
        .args(args)
        .env_clear();
    for (k, v) in env {
        c.env(k, v);
    }
    let o = run_raw(&mut c, 30);
    assert_code(&o, 0);
    let mut want = Vec::new();
    for a in [
        OsStr::new("/bin/sh"),
        OsStr::new("-c"),
        OsStr::new(dump),
        out.as_os_str(),
    ]
    .into_iter()
    .chain(args.iter().map(|a| a.as_os_str()))
    {
        want.extend_from_slice(a.as_bytes());
        want.push(0);
    }
    let got = std::fs::read(&out).unwrap();
    assert!(
        got == want,
        "{init:?}: argv differs: {} vs {} bytes",
        got.len(),
        want.len()
    );
    let child_env = std::fs::read(d.join("out.env")).unwrap();
    let init_env = std::fs::read(d.join("out.penv")).unwrap();
    let mut got: Vec<&[u8]> = child_env
        .split(|&c| c == 0)
        .filter(|e| !e.is_empty())
        .collect();
    let mut want: Vec<Vec<u8>> = env
        .iter()
        .map(|(k, v)| [k.as_bytes(), b"=", v.as_bytes()].concat())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want.iter().map(|v| &v[..]).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(&d);
    Seen {
        child_env,
        init_env,
    }
}

/// The runner (qemu-user) as an absolute path, for commands whose PATH
/// is cleared or odd; empty natively.
fn runner_argv() -> Vec<OsString> {
    let mut r = mite_argv();
    r.pop();
    r
}

/// mite with `args` and an empty environment (the runner found anyway).
fn mite_clean_env(args: &[&str]) -> Command {
    let argv = mite_argv();
    let mut c = Command::new(&argv[0]);
    c.args(&argv[1..]).args(args).env_clear();
    c
}

fn bytes(b: &[u8]) -> OsString {
    OsString::from_vec(b.to_vec())
}

#[test]
fn huge_argv_and_environment_pass_through_untouched() {
    let _g = serial();
    // ~1.5 MB in 15000 arguments, plus a 64 kB environment.
    let many: Vec<OsString> = (0..15_000)
        .map(|i| OsString::from(format!("{i:099}")))
        .collect();
    let env: Vec<(OsString, OsString)> = (0..64)
        .map(|i| {
            (
                OsString::from(format!("V{i}")),
                OsString::from("e".repeat(1000)),
            )
        })
        .collect();
    pass_through(&many, &env);
    // 100 kB arguments (each below the kernel's 128 kB per string).
    let wide: Vec<OsString> = (0..14u8).map(|i| bytes(&vec![b'a' + i; 100_000])).collect();
    pass_through(&wide, &[(OsString::from("K"), OsString::from("v"))]);
}

#[test]
fn non_utf8_and_odd_bytes_pass_through_untouched() {
    let args = [
        bytes(b"\xff\xfe"),
        bytes(b"caf\xc3\xa9"),
        bytes(b"\xc3("),
        bytes(b""),
        bytes(b"-"),
        bytes(b"--"),
        bytes(b"-e"),
        bytes(b" spaced  out "),
        bytes(b"new\nline"),
        bytes(b"\x01\x7f\x80"),
        bytes(b"$HOME `x` 'q' \"d\""),
    ];
    let env = [
        (bytes(b"PATH"), bytes(b"/usr/bin:/bin")),
        (bytes(b"LATIN1"), bytes(b"\xe9t\xe9")),
        (bytes(b"K\xff"), bytes(b"\x80v")),
        (bytes(b"EMPTY"), bytes(b"")),
        (bytes(b"EQ"), bytes(b"a=b=c")),
        (bytes(b"TINI_KILL_PROCESS_GROUP"), bytes(b"")),
    ];
    pass_through(&args, &env);
}

/// A directory with an executable script `name` that writes `tag` to
/// `out`.
fn prog(dir: &Path, name: &str, out: &Path, tag: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    file(
        dir,
        name,
        0o755,
        format!("#!/bin/sh\necho {tag} > '{}'\n", out.display()).as_bytes(),
    )
}

/// Runs mite in `cwd` with exactly `env`, program `name`; returns status
/// and what the program wrote to `out` (if it ran).
fn run_in(cwd: &Path, env: &[(&str, &str)], name: &str, out: &Path) -> (RawOut, Option<String>) {
    let _ = std::fs::remove_file(out);
    let mut c = mite_clean_env(&["--", name]);
    c.current_dir(cwd);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = run_raw(&mut c, 20);
    let wrote = std::fs::read_to_string(out)
        .ok()
        .map(|s| s.trim().to_string());
    (o, wrote)
}

#[test]
fn path_search_like_execvp() {
    let d = tempdir("path");
    let out = d.join("out");
    prog(&d.join("cwd"), "here", &out, "cwd");
    prog(&d.join("cwd/rel"), "inrel", &out, "rel");
    prog(&d.join("cwd/sub"), "deep", &out, "sub");
    prog(&d.join("b"), "both", &out, "b");
    std::fs::create_dir_all(d.join("a")).unwrap();
    file(&d.join("a"), "both", 0o644, b"#!/bin/sh\nexit 99\n"); // not executable
    file(&d.join("a"), "onlyhere", 0o644, b"#!/bin/sh\nexit 99\n");
    let cwd = d.join("cwd");
    let a = d.join("a").display().to_string();
    let b = d.join("b").display().to_string();
    let ab = format!("{a}:{b}");
    let long = format!("/{}:{b}", "x".repeat(5000));
    // (environment, program, status, what it wrote if it ran)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, i32, Option<&'a str>);
    let cases: Vec<Case> = vec![
        // No PATH at all: the default PATH finds sh.
        (vec![], "sh", 0, None),
        (vec![], "here", 127, None),
        // An empty entry (leading, trailing, inner) is the current directory.
        (vec![("PATH", ":/nonexistent")], "here", 0, Some("cwd")),
        (vec![("PATH", "/nonexistent:")], "here", 0, Some("cwd")),
        (vec![("PATH", "/nonexistent::/bin")], "here", 0, Some("cwd")),
        (vec![("PATH", "")], "here", 0, Some("cwd")),
        // A relative entry is relative to the current directory.
        (vec![("PATH", "/nonexistent:rel")], "inrel", 0, Some("rel")),
        // Names with a '/' are not searched.
        (vec![("PATH", "/nonexistent")], "./here", 0, Some("cwd")),
        (vec![("PATH", "/nonexistent")], "sub/deep", 0, Some("sub")),
        (vec![("PATH", "rel")], "sub/inrel", 127, None),
        (vec![("PATH", "/nonexistent")], "deep", 127, None),
        // A non-executable match is skipped for a later executable one;
        // when it is the only match, the answer is 126 (EACCES).
        (vec![("PATH", &ab)], "both", 0, Some("b")),
        (vec![("PATH", &ab)], "onlyhere", 126, None),
        // A PATH entry too long for a path is skipped, not fatal.
        (vec![("PATH", &long)], "both", 0, Some("b")),
    ];
    let nopath_out = d.join("nopath");
    for (env, name, code, tag) in cases {
        let (o, wrote) = if name == "sh" {
            let mut c = mite_clean_env(&["--", "sh", "-c"]);
            c.arg(format!("echo ok > '{}'", nopath_out.display()))
                .current_dir(&cwd);
            let o = run_raw(&mut c, 20);
            (o, std::fs::read_to_string(&nopath_out).ok())
        } else {
            run_in(&cwd, &env, name, &out)
        };
        assert_eq!(o.code(), Some(code), "{env:?} {name}: {o:?} {}", o.err());
        if let Some(t) = tag {
            assert_eq!(wrote.as_deref(), Some(t), "{env:?} {name}");
        }
        if name == "sh" {
            assert_eq!(wrote.as_deref(), Some("ok\n"));
        }
    }
}
