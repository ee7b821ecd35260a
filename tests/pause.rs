//! mite as the Kubernetes pause container (build/pause/linux/pause.c), as
//! PID 1 of a fresh PID namespace and not: the version line for any `-v`,
//! every other argument ignored, the warning when not PID 1, SIGINT and
//! SIGTERM ending it with 0 and a line naming the signal, other signals
//! doing nothing, and re-parented processes reaped. There is no Debian
//! package of pause: the expectations are DESIGN.md's reading of pause.c.
//! (tests/pod.rs runs it as a pod's infra container.)
mod common;
use common::*;

const SIGHUP: i32 = 1;
const SIGINT: i32 = 2;
const SIGUSR1: i32 = 10;
const SIGTERM: i32 = 15;

const PAUSE: Init = Init::As("pause");

const WARNING: &str = "Warning: pause should be the first process\n";

/// The version line: pause.c's `pause.c <VERSION>`, naming mite and the
/// commit its own --version names.
fn version_line() -> String {
    let o = run(&mut mite(&["--version"]), 30);
    o.assert_code(0);
    let commit = o
        .stdout
        .trim_end()
        .rsplit_once(" - git.")
        .map(|(_, c)| c.to_string())
        .unwrap_or_else(|| panic!("mite --version: {o:#?}"));
    format!(
        "pause.c v3.10 (mite {}) - git.{commit}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The not-PID-1 warning, if not PID 1.
fn warning(pid1: bool) -> &'static str {
    if pid1 {
        ""
    } else {
        WARNING
    }
}

/// A started pause: the guard, its pid as the host sees it, its stderr.
struct Up {
    r: Running,
    pid: u32,
    err: std::path::PathBuf,
}

fn start(pid1: bool, args: &[&str], tag: &str) -> Up {
    let dir = tempdir(tag);
    let err = dir.join("stderr");
    let r = Running::start_logging(&mut PAUSE.start(pid1, args), &err);
    let pid = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
    let what = format!("pause {args:?} pid1={pid1}");
    wait_waiting(pid, &what);
    Up { r, pid, err }
}

impl Up {
    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    /// Sends `sig`, waits for the end: (exit status, stderr).
    fn end_with(self, sig: i32, what: &str) -> (Option<i32>, String) {
        kill(self.pid as i32, sig);
        let err_file = self.err.clone();
        let o = self.r.finish(30);
        assert!(!o.timed_out, "{what}: signal {sig} did not end it");
        assert_eq!(o.stdout, "", "{what}: nothing on stdout");
        (
            o.code,
            std::fs::read_to_string(err_file).unwrap_or_default(),
        )
    }
}

/// Any argument equal to -v, in any case, wherever it is: the version line
/// on stdout, exit 0, nothing else (not even the warning: pause.c looks at
/// its arguments first). Also `--version`, a deliberate addition (README):
/// Docker runs `<init-path> --version`, so a host binary named `pause`
/// must answer it rather than pause for good.
#[test]
fn version_for_any_dash_v() {
    let line = version_line();
    for pid1 in [false, true] {
        for args in [
            &["-v"][..],
            &["-V"],
            &["x", "-v", "y"],
            &["-h", "-V"],
            &["--version"],
        ] {
            let o = run(&mut PAUSE.start(pid1, args), 30);
            let what = format!("{args:?} pid1={pid1}");
            o.assert_code(0);
            assert_eq!((&o.stdout[..], &o.stderr[..]), (&line[..], ""), "{what}");
        }
    }
}

/// pause.c has no options: any other argument (`-h` included) is ignored
/// and it pauses.
#[test]
fn other_arguments_are_ignored() {
    for pid1 in [false, true] {
        for args in [&["x"][..], &["-vv"], &["--v"], &["-h"], &["--", "-x"]] {
            let what = format!("{args:?} pid1={pid1}");
            let up = start(pid1, args, "pause-args");
            assert!(children_of(up.pid).is_empty(), "{what}: no child");
            let (code, err) = up.end_with(SIGTERM, &what);
            assert_eq!(code, Some(0), "{what}");
            let expected = format!("{}Shutting down, got signal: Terminated\n", warning(pid1));
            assert_eq!(err, expected, "{what}");
        }
    }
}

/// Not PID 1: the warning on stderr, once, and it runs on (waiting for
/// signals, no child). As PID 1: nothing on stderr.
#[test]
fn warns_when_not_pid1() {
    for pid1 in [false, true] {
        let what = format!("pid1={pid1}");
        let up = start(pid1, &[], "pause-warn");
        if !pid1 {
            let seen = read_when_ready(&up.err, 10);
            assert_eq!(seen.as_deref(), Some(WARNING), "{what}");
        }
        // It waits for signals: whatever it was to print is out.
        assert!(waiting(up.pid), "{what}: still running");
        assert_eq!(up.stderr(), warning(pid1), "{what}");
        assert!(children_of(up.pid).is_empty(), "{what}: no child");
        let (code, _) = up.end_with(SIGTERM, &what);
        assert_eq!(code, Some(0), "{what}");
    }
}

/// SIGTERM and SIGINT end it with status 0 and a line naming the signal
/// as psignal(3) does (what Kubernetes expects of pause: it stops at once,
/// status 0).
#[test]
fn term_and_int_end_it_with_0() {
    for pid1 in [false, true] {
        for (sig, name) in [(SIGTERM, "Terminated"), (SIGINT, "Interrupt")] {
            let what = format!("signal {sig} pid1={pid1}");
            let up = start(pid1, &[], "pause-stop");
            let (code, err) = up.end_with(sig, &what);
            assert_eq!(code, Some(0), "{what}");
            let expected = format!("{}Shutting down, got signal: {name}\n", warning(pid1));
            assert_eq!(err, expected, "{what}");
        }
    }
}

/// Other signals do nothing: each is taken (the process wakes up and
/// waits again) and it runs on, silent. (pause.c handles only INT, TERM
/// and CHLD: as PID 1 the kernel drops the others; mite drops them when
/// not PID 1 too.)
#[test]
fn other_signals_do_nothing() {
    let others = [SIGHUP, SIGUSR1, 3, 12, 13, 14, 18, 20, 21, 22, 28, 36];
    for pid1 in [false, true] {
        let what = format!("pid1={pid1}");
        let up = start(pid1, &[], "pause-others");
        for s in others {
            send_and_settle(up.pid, s, &format!("{what}: signal {s}"));
            assert_eq!(proc_state(up.pid), Some('S'), "{what}: after signal {s}");
        }
        assert_eq!(up.stderr(), warning(pid1), "{what}: silent");
        let (code, err) = up.end_with(SIGTERM, &what);
        assert_eq!(code, Some(0), "{what}");
        assert!(err.ends_with("got signal: Terminated\n"), "{what}: {err}");
    }
}

/// As PID 1 it reaps what is re-parented to it: orphans made in its
/// namespace from outside (nsenter) leave no zombie.
#[test]
fn reaps_orphans_as_pid1() {
    let up = start(true, &[], "pause-reap");
    reap_orphans_of(up.pid, "pause as PID 1");
    let (code, err) = up.end_with(SIGTERM, "pause as PID 1");
    assert_eq!(code, Some(0));
    assert_eq!(err, "Shutting down, got signal: Terminated\n");
}
