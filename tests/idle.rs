//! Zero idle wake-ups, by running the real binary: while its child sleeps
//! and nothing happens, mite is not scheduled at all (tini wakes up every
//! second). Measured with the context-switch counters of /proc/PID/status.
mod common;
use common::*;
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
    wait_until(20, "the init in rt_sigtimedwait", || {
        let call = std::fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
        (call.split_whitespace().next() == Some(SYS_RT_SIGTIMEDWAIT)).then_some(())
    });
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
