//! Basic end-to-end checks of the real binary: a program runs, its status
//! comes back, and mite as PID 1 turns SIGTERM into the child's death.
mod common;
use common::*;

#[test]
fn runs_a_program_and_returns_its_status() {
    let o = run(
        mite(&["--", "sh", "-c", "echo out; echo err >&2; exit 3"]).env("TINI_VERBOSITY", "0"),
        20,
    );
    o.assert_code(3);
    assert_eq!(o.stdout, "out\n");
    assert_eq!(o.stderr, "err\n");
}

#[test]
fn pid1_child_without_handler_dies_of_sigterm() {
    // The child has no SIGTERM handler; mite forwards the SIGTERM sent to
    // PID 1 from inside the namespace, the child dies, mite exits 143.
    let o = run(
        &mut pid1(&["--", "sh", "-c", "kill -TERM 1; sleep 5; echo not-reached"]),
        20,
    );
    o.assert_code(143);
    assert!(!o.stdout.contains("not-reached"), "{o:?}");
}
