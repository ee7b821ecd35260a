//! Zero idle wake-ups, by running the real binary: while its child sleeps
//! and nothing happens, mite is not scheduled at all (tini wakes up every
//! second). Measured with the context-switch counters of /proc/PID/status.
mod common;
use common::*;
use std::process::Command;
use std::time::Duration;

/// Starts `init` (plain or as PID 1) with `sleep 60` as its child; returns
/// how much the init's context-switch counters moved in 3 s of idleness,
/// and how it ended once sent SIGTERM.
fn idle_switches(init: Init, pid1: bool) -> (u64, Out) {
    let r = Running::start(
        init.start(pid1, &["--", "sleep", "60"])
            .env("TINI_VERBOSITY", "0"),
    );
    let pid = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
    sleeping_child(pid);
    // The start-up is over once the init waits for signals.
    wait_in_sigtimedwait(pid);
    let before = ctxt_switches(pid).expect("counters");
    std::thread::sleep(Duration::from_secs(3));
    let after = ctxt_switches(pid).expect("counters");
    kill(pid as i32, 15);
    (after - before, r.finish(20))
}

#[test]
fn idle_mite_is_never_scheduled() {
    let (moved, o) = idle_switches(Init::Mite, false);
    assert_eq!(moved, 0, "context switches in 3 s idle; {o:?}");
    o.assert_code(143);
}

#[test]
fn idle_mite_as_pid1_is_never_scheduled() {
    let (moved, o) = idle_switches(Init::Mite, true);
    assert_eq!(moved, 0, "context switches in 3 s idle; {o:?}");
    o.assert_code(143);
}

#[test]
fn idle_tini_personality_is_never_scheduled() {
    let (moved, o) = idle_switches(Init::As("tini"), true);
    assert_eq!(moved, 0, "context switches in 3 s idle; {o:?}");
    o.assert_code(143);
}

/// The measurement can see wake-ups: the reference tini wakes every second.
#[test]
fn the_reference_tini_does_wake_up() {
    let (moved, o) = idle_switches(Init::RefTini, false);
    assert!(
        moved >= 2,
        "tini's 1 s timeouts should show; moved {moved}; {o:?}"
    );
    o.assert_code(143);
}

/// The system calls `clock_gettime` mite makes while it runs `args`: from
/// strace (mite's own process, not its child's), or under qemu-user from
/// its own trace (QEMU_STRACE). A static binary without a libc has no
/// vDSO to read the clock from: each read is a real system call.
fn clock_reads(args: &[&str]) -> usize {
    let (o, text) = if emulated() {
        let o = run(mite(args).env("QEMU_STRACE", "1"), 60);
        let text = o.stderr.clone();
        (o, text)
    } else {
        let dir = tempdir("idle-clock");
        let trace = dir.join("trace");
        let mut c = Command::new("strace");
        c.args(["-qq", "-e", "trace=clock_gettime", "-o"])
            .arg(&trace)
            .arg(bin())
            .args(args);
        let o = run(&mut c, 60);
        (o, std::fs::read_to_string(&trace).unwrap_or_default())
    };
    o.assert_code(0);
    text.lines().filter(|l| l.contains("clock_gettime")).count()
}

/// Without a deadline (no --timeout, no drain under way) mite never reads
/// the clock: a signal costs rt_sigtimedwait and the forwarding, nothing
/// more. With --timeout it does, to compute what is left.
#[test]
fn the_clock_is_read_only_for_a_deadline() {
    // USR1 is forwarded to the shell, which traps it: one signal handled.
    let script = "trap 'exit 0' USR1; kill -USR1 $PPID; while :; do sleep 1; done";
    assert_eq!(
        clock_reads(&["--grace", "0", "--", "sh", "-c", script]),
        0,
        "clock reads without a deadline"
    );
    assert!(
        clock_reads(&["--grace", "0", "--timeout", "60", "--", "sh", "-c", script]) > 0,
        "no clock read with --timeout: is the strace working?"
    );
}
