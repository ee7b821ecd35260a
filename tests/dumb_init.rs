//! mite as dumb-init (invoked through a symlink named `dumb-init`) against
//! the reference, Debian's dumb-init 1.2.5 (natively; its arm64 build under
//! the same qemu when the binary under test is emulated): options and
//! environment, every message and exit code, signals to the child and its
//! group, rewriting and dropping, the -v lines, the parting SIGTERM, job
//! control, a real terminal, the working directory. Each scenario runs under
//! both and the outcomes are compared; deliberate differences are asserted
//! on both sides, with the reason.
mod common;
use common::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Arguments, and environment variables, of a case of a table.
type Args = &'static [&'static str];
type Vars = &'static [(&'static str, &'static str)];
/// Signals sent, each with what it should become (0: dropped).
type Sends = &'static [(i32, i32)];

const MITE: Init = Init::As("dumb-init");
const REF: Init = Init::RefDumbInit;
const BOTH: [Init; 2] = [MITE, REF];

const SIGHUP: i32 = 1;
const SIGQUIT: i32 = 3;
const SIGUSR1: i32 = 10;
const SIGUSR2: i32 = 12;
const SIGTERM: i32 = 15;
const SIGCONT: i32 = 18;
const SIGTSTP: i32 = 20;
const SIGTTIN: i32 = 21;
const SIGTTOU: i32 = 22;
/// A signal no scenario rewrites: the end of a scenario, or a marker.
const SIGWINCH: i32 = 28;
/// The highest signal: a marker that a recorder (python runs its handlers
/// in the order of the signal numbers) handles after any other pending one.
const SIGRTMAX: i32 = 64;

// ---------------------------------------------------------------------------
// Helpers

/// Runs `f` for mite as dumb-init and for the reference; asserts the same
/// outcome and returns it.
#[track_caller]
fn same<T: PartialEq + std::fmt::Debug>(what: &str, mut f: impl FnMut(Init) -> T) -> T {
    let mite = f(MITE);
    let reference = f(REF);
    assert_eq!(
        mite, reference,
        "{what}: mite as dumb-init (left) vs the reference dumb-init (right)"
    );
    mite
}

/// The path the init is run as (its argv[0], which getopt's messages name).
fn argv0(init: Init) -> String {
    init.argv().last().unwrap().to_string_lossy().into_owned()
}

/// (exit status, stdout, stderr) of `init args` with `env`, argv[0] shown
/// as `ARGV0`.
fn outcome(
    init: Init,
    pid1: bool,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let mut c = init.start(pid1, args);
    c.envs(env.iter().copied());
    let o = run(&mut c, 30);
    assert!(!o.timed_out, "{init:?} {args:?} timed out: {o:?}");
    let a = argv0(init);
    (
        o.code,
        o.stdout.replace(&a, "ARGV0"),
        o.stderr.replace(&a, "ARGV0"),
    )
}

/// `cmd` with its stderr in `file` (to be read while it runs): `sh -c
/// 'exec 2>"$1"; shift; exec "$@"'`, so the init keeps the same pid.
fn with_stderr_in(cmd: &Command, file: &Path) -> Command {
    let mut c = Command::new("sh");
    c.args(["-c", r#"exec 2>"$1"; shift; exec "$@""#, "sh"])
        .arg(file)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    copy_env(cmd, &mut c);
    c
}

fn copy_env(from: &Command, to: &mut Command) {
    for (k, v) in from.get_envs() {
        match v {
            Some(v) => to.env(k, v),
            None => to.env_remove(k),
        };
    }
    if let Some(d) = from.get_current_dir() {
        to.current_dir(d);
    }
}

/// Waits (up to `secs`) until `file` contains `text`.
#[track_caller]
fn wait_contains(file: &Path, text: &str, secs: u64) {
    if wait_for(secs, || {
        std::fs::read_to_string(file)
            .ok()
            .filter(|s| s.contains(text))
    })
    .is_none()
    {
        panic!(
            "{} never contained {text:?}: {:?}",
            file.display(),
            std::fs::read_to_string(file)
        );
    }
}

/// The arguments of `pid`.
fn cmdline(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|&c| c == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// The host pid of the process below `root` with argument `arg` (a
/// recorder's output file: unique per scenario).
fn find_proc(root: u32, arg: &Path, secs: u64) -> u32 {
    let arg = arg.display().to_string();
    wait_for(secs, || {
        descendants(root)
            .into_iter()
            .find(|&p| cmdline(p).contains(&arg))
    })
    .unwrap_or_else(|| panic!("no process below {root} runs with {arg}"))
}

/// /proc/PID/stat after the command name: state, ppid, pgrp, session,
/// tty_nr, tpgid, ...
fn stat(pid: u32) -> Vec<String> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    rest.split_whitespace().map(String::from).collect()
}

/// Waits until `pid` is in state T (`stopped`) or out of it.
fn wait_stopped(pid: u32, stopped: bool, secs: u64) -> bool {
    wait_for(secs, || {
        ((proc_state(pid) == Some('T')) == stopped).then_some(())
    })
    .is_some()
}

/// The directory `pid` works in.
fn cwd(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/cwd")).ok()
}

/// `s` as one shell word.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

// ---------------------------------------------------------------------------
// -v logs: parent lines in order, the child's own lines woven in

/// The lines dumb-init's parent process writes; any other `[dumb-init] `
/// line comes from the child between fork and exec (`setsid complete.`, the
/// attach error, the exec failure) and may interleave with them.
const PARENT_EVENTS: &[&str] = &[
    "Running in debug mode.",
    "Not running in setsid mode.",
    "Unable to detach from controlling tty",
    "Detached from controlling tty",
    "Child spawned with PID",
    "Received signal",
    "Ignoring tty hand-off signal",
    "Translating signal",
    "Forwarded signal",
    "Not forwarding signal",
    "Suspending self due to TTY signal.",
    "A child with PID",
    "Child exited with status",
];

fn is_parent_line(l: &str) -> bool {
    let body = l.strip_prefix("[dumb-init] ").unwrap_or(l);
    PARENT_EVENTS.iter().any(|e| body.starts_with(e))
}

/// `text` with every `PID <digits>` as `PID <pid>`.
fn with_pid(text: &str, pid: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("PID ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits > 0 {
            out.push_str(pid);
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// True if `text` is an interleaving of `a` and `b`, each kept in order.
fn interleaves(text: &str, a: &str, b: &str) -> bool {
    let (t, a, b) = (text.as_bytes(), a.as_bytes(), b.as_bytes());
    if t.len() != a.len() + b.len() {
        return false;
    }
    // ok[j]: t[..i + j] is made of a[..i] and b[..j] (row i, rolling).
    let mut ok = vec![false; b.len() + 1];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            ok[j] = (i == 0 && j == 0)
                || (i > 0 && ok[j] && a[i - 1] == t[i + j - 1])
                || (j > 0 && ok[j - 1] && b[j - 1] == t[i + j - 1]);
        }
    }
    ok[b.len()]
}

/// The main child's pid as a -v log names it.
fn child_pid_in(log: &str) -> String {
    for key in ["A child with PID ", "Child spawned with PID "] {
        if let Some(i) = log.rfind(key) {
            let rest = &log[i + key.len()..];
            let n = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
            if n > 0 {
                return rest[..n].to_string();
            }
        }
    }
    String::new()
}

/// Compares the -v log of mite with the reference's: the reference's
/// parent lines, in order (pids as mite's), woven with the reference's
/// child lines must give mite's log byte for byte. mite writes a line in
/// pieces (src/out.rs: one write per part), so a line of the child can
/// land inside one of mite's: the check allows any interleaving of the two
/// processes' text, but no other difference. `not_in_mite`: parent lines
/// the reference writes and mite deliberately does not (each asserted to
/// be in the reference's log). Returns the reference's parent lines and
/// child lines, pids as `N`.
#[track_caller]
fn compare_logs(
    what: &str,
    reference: &str,
    mite: &str,
    not_in_mite: &[&str],
) -> (Vec<String>, Vec<String>) {
    let lines: Vec<String> = reference.lines().map(|l| with_pid(l, "N")).collect();
    assert!(
        lines.iter().all(|l| l.starts_with("[dumb-init] ")),
        "{what}: the reference's stderr has other lines:\n{reference}"
    );
    let (mut parent, child): (Vec<String>, Vec<String>) =
        lines.into_iter().partition(|l| is_parent_line(l));
    let ref_parent = parent.clone();
    for gone in not_in_mite {
        let at = parent.iter().position(|l| l == gone).unwrap_or_else(|| {
            panic!("{what}: the reference does not write {gone:?}:\n{reference}")
        });
        parent.remove(at);
    }
    let pid = child_pid_in(mite);
    let expect_parent: String = parent
        .iter()
        .map(|l| l.replace("PID N", &format!("PID {pid}")) + "\n")
        .collect();
    let expect_child: String = child.iter().map(|l| l.clone() + "\n").collect();
    assert!(
        interleaves(mite, &expect_parent, &expect_child),
        "{what}: mite's -v log is not the reference's (parent lines in order, \
         child lines woven in).\n--- mite:\n{mite}--- expected parent lines:\n{expect_parent}\
         --- expected child lines:\n{expect_child}--- reference:\n{reference}"
    );
    (ref_parent, child)
}

/// Lines with `[dumb-init] ` in front.
fn tagged(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| format!("[dumb-init] {l}")).collect()
}

/// The first lines of every -v log in setsid mode without a terminal: the
/// parent's, and the child's.
const NO_TTY_PARENT: &str =
    "Unable to detach from controlling tty (errno=25 Inappropriate ioctl for device).";
const NO_TTY_CHILD: [&str; 2] = [
    "Unable to attach to controlling tty (errno=25 Inappropriate ioctl for device).",
    "setsid complete.",
];

// ---------------------------------------------------------------------------
// 1. Options and environment

/// -h and --help: the help on stderr, exit 0, nothing run, even with more
/// (bad) options after it. Both list the five options; the prose is mite's
/// own (the issue allows it): dumb-init starts its help with its version
/// line and names argv[0] in full, mite's starts with `Usage: dumb-init`.
#[test]
fn help_on_stderr() {
    let dir = tempdir("di-help");
    let marker = dir.join("ran");
    let m = marker.display().to_string();
    for pid1 in [false, true] {
        for args in [
            vec!["-h"],
            vec!["--help"],
            vec!["-h", "-x", "touch", &m],
            vec!["-vh", "touch", &m],
            vec!["-c", "--help", "--nonsense"],
            vec!["-r", "15:3", "-h", "touch", &m],
        ] {
            for init in BOTH {
                let (code, out, err) = outcome(init, pid1, &args, &[]);
                assert_eq!(
                    (code, out.as_str()),
                    (Some(0), ""),
                    "{init:?} {args:?}: {err}"
                );
                for opt in [
                    "-c, --single-child",
                    "-r, --rewrite",
                    "-v, --verbose",
                    "-h, --help",
                    "-V, --version",
                ] {
                    assert!(err.contains(opt), "{init:?} {args:?}: no {opt} in\n{err}");
                }
                assert!(err.contains("Usage: "), "{init:?}: {err}");
                let first = err.lines().next().unwrap_or("");
                if init == REF {
                    assert_eq!(first, "dumb-init v1.2.5", "reference");
                } else {
                    assert_eq!(first, "Usage: dumb-init [option] command [[arg] ...]");
                }
            }
        }
    }
    assert!(!marker.exists(), "a program ran after --help");
}

/// -V and --version: one line on stderr, dumb-init's version first (mite
/// names itself after it), exit 0, nothing run; the options before it are
/// parsed, the ones after are not.
#[test]
fn version_on_stderr() {
    let dir = tempdir("di-version");
    let marker = dir.join("ran");
    let m = marker.display().to_string();
    for pid1 in [false, true] {
        for args in [
            vec!["-V"],
            vec!["--version"],
            vec!["-V", "--nonsense", "touch", &m],
            vec!["-cV", "touch", &m],
            vec!["-v", "--version", "touch", &m],
        ] {
            let (code, out, err) = outcome(REF, pid1, &args, &[]);
            assert_eq!(
                (code, out.as_str(), err.as_str()),
                (Some(0), "", "dumb-init v1.2.5\n"),
                "reference {args:?}"
            );
            let (code, out, err) = outcome(MITE, pid1, &args, &[]);
            assert_eq!((code, out.as_str()), (Some(0), ""), "mite {args:?}: {err}");
            let rest = err
                .strip_prefix("dumb-init v1.2.5 (mite ")
                .unwrap_or_else(|| panic!("mite {args:?}: {err:?}"));
            let (version, commit) = rest.split_once(") - git.").expect(&err);
            let commit = commit.strip_suffix('\n').expect("one line");
            let commit = commit.strip_suffix("-dirty").unwrap_or(commit);
            assert_eq!(version, env!("CARGO_PKG_VERSION"), "{err:?}");
            assert!(
                commit.len() >= 7 && commit.bytes().all(|c| c.is_ascii_hexdigit()),
                "{err:?}"
            );
        }
    }
    // An error before -V wins: getopt stops there.
    let got = same("-x -V", |i| outcome(i, false, &["-x", "-V"], &[]));
    assert_eq!(got.0, Some(1), "{got:?}");
    assert!(!marker.exists(), "a program ran after --version");
}

/// getopt's and dumb-init's own usage errors: the same text on the same
/// stream, exit 1, nothing run. argv[0] as given (`ARGV0` here).
#[test]
fn usage_errors_match_the_reference() {
    let dir = tempdir("di-usage");
    let marker = dir.join("ran");
    let m = marker.display().to_string();
    let r_usage = "Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n\
                   This option can be specified multiple times.\n\
                   Use --help for full usage.\n";
    let no_program = "Usage: ARGV0 [option] program [args]\nTry ARGV0 --help for full usage.\n";
    let t = "touch";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["-x", t, &m], "ARGV0: invalid option -- 'x'\n".into()),
        (vec!["-cx", t, &m], "ARGV0: invalid option -- 'x'\n".into()),
        (
            vec!["-c", "-?", t, &m],
            "ARGV0: invalid option -- '?'\n".into(),
        ),
        (
            vec!["--xyz", t, &m],
            "ARGV0: unrecognized option '--xyz'\n".into(),
        ),
        (
            vec!["--xyz=1", t, &m],
            "ARGV0: unrecognized option '--xyz=1'\n".into(),
        ),
        (vec!["-x", "-V"], "ARGV0: invalid option -- 'x'\n".into()),
        (
            vec!["-r"],
            "ARGV0: option requires an argument -- 'r'\n".into(),
        ),
        (
            vec!["-vr"],
            "ARGV0: option requires an argument -- 'r'\n".into(),
        ),
        (
            vec!["--rewrite"],
            "ARGV0: option '--rewrite' requires an argument\n".into(),
        ),
        (
            vec!["--help=1", t, &m],
            "ARGV0: option '--help' doesn't allow an argument\n".into(),
        ),
        (
            vec!["--version=2"],
            "ARGV0: option '--version' doesn't allow an argument\n".into(),
        ),
        (
            vec!["--single-child=1", t, &m],
            "ARGV0: option '--single-child' doesn't allow an argument\n".into(),
        ),
        (
            vec!["--verbose=0", t, &m],
            "ARGV0: option '--verbose' doesn't allow an argument\n".into(),
        ),
        (vec!["-r", "99:1", t, &m], r_usage.into()),
        (vec!["-r", "15", t, &m], r_usage.into()),
        (vec!["-r", "a:1", t, &m], r_usage.into()),
        (vec!["-r", "15:32", t, &m], r_usage.into()),
        (vec!["-r", "32:1", t, &m], r_usage.into()),
        (vec!["-r", "0:1", t, &m], r_usage.into()),
        (vec!["-r", "15:", t, &m], r_usage.into()),
        (vec!["-r", ":3", t, &m], r_usage.into()),
        (vec!["-r", "-1:2", t, &m], r_usage.into()),
        (vec!["-r", "15:-1", t, &m], r_usage.into()),
        (vec!["-r", "0x1f:2", t, &m], r_usage.into()),
        (vec!["-r", "15 :3", t, &m], r_usage.into()),
        (vec!["-r", "", t, &m], r_usage.into()),
        // Numbers only, as dumb-init's sscanf("%d:%d") reads them.
        (vec!["-r", "TERM:QUIT", t, &m], r_usage.into()),
        (vec!["-r", "SIGTERM:3", t, &m], r_usage.into()),
        (vec!["--rewrite=15:99", t, &m], r_usage.into()),
        (vec!["-r", "15:3", "-r", "bad", t, &m], r_usage.into()),
        (vec!["-r", "bad", "-h"], r_usage.into()),
        (vec!["-r", "bad", "-x"], r_usage.into()),
        (vec![], no_program.into()),
        (vec!["-c"], no_program.into()),
        (vec!["-v"], no_program.into()),
        (vec!["--"], no_program.into()),
        (vec!["-c", "--"], no_program.into()),
        (vec!["-r", "15:3"], no_program.into()),
        (vec!["-cvr15:0"], no_program.into()),
    ];
    for pid1 in [false, true] {
        for (args, err) in &cases {
            // Once as PID 1 is enough for the getopt errors' wording.
            if pid1 && !(args.is_empty() || args[0] == "-x" || args[0] == "-r") {
                continue;
            }
            let got = same(&format!("{args:?} pid1={pid1}"), |i| {
                outcome(i, pid1, args, &[("DUMB_INIT_DEBUG", "1")])
            });
            assert_eq!(got, (Some(1), String::new(), err.clone()), "{args:?}");
        }
    }
    assert!(!marker.exists(), "a program ran after a usage error");
}

/// `-r S:R` values: plain numbers are read alike, and the last `-r` for a
/// signal wins. A deliberate difference (README): dumb-init reads the value
/// with `sscanf("%d:%d")`, which also takes signs, white space, leading
/// zeros and trailing text (` +15:3x`); mite takes digits only and refuses
/// the rest with dumb-init's usage error. Asserted on both sides.
#[test]
fn rewrite_values() {
    for (value, to) in [
        ("15:3", "3"),
        ("015:003", "3"),
        ("15:12", "12"),
        ("15:0", "0"),
        ("15:31", "31"),
    ] {
        for pid1 in [false, true] {
            let [m, r] = BOTH.map(|i| outcome(i, pid1, &["-v", "-r", value, "true"], &[]));
            assert_eq!((m.0, r.0), (Some(0), Some(0)), "{value:?}: {m:?} {r:?}");
            let (parent, _) = compare_logs(&format!("-r {value:?}"), &r.2, &m.2, &[]);
            let line = format!("[dumb-init] Translating signal 15 to {to}.");
            assert!(parent.contains(&line), "{value:?}: {parent:?}");
        }
    }
    for value in ["15:3x", "+15:+3", " 15: 3", "\t15:\t3", "15:3:", "15:3:9"] {
        let r = outcome(REF, false, &["-v", "-r", value, "true"], &[]);
        assert_eq!(r.0, Some(0), "the reference takes {value:?}: {r:?}");
        let m = outcome(MITE, false, &["-v", "-r", value, "true"], &[]);
        assert_eq!(m.0, Some(1), "mite refuses {value:?}: {m:?}");
        assert!(
            m.2.starts_with("Usage: -r option takes"),
            "{value:?}: {m:?}"
        );
    }
    // Repeated: the last -r for a signal wins.
    let [m, r] = BOTH.map(|i| outcome(i, false, &["-v", "-r", "15:3", "-r", "15:12", "true"], &[]));
    let (parent, _) = compare_logs("-r 15:3 -r 15:12", &r.2, &m.2, &[]);
    assert!(parent.contains(&"[dumb-init] Translating signal 15 to 12.".to_string()));
}

/// A difference (not documented before this test): a number that does not
/// fit an int. dumb-init's sscanf %d wraps it (undefined behaviour in C,
/// glibc takes the low 32 bits: 4294967311 is 15), mite refuses it as out of
/// range, which is what the usage text says.
#[test]
fn overflowing_rewrite_number() {
    let args = ["-v", "-r", "4294967311:3", "true"];
    let (code, _, err) = outcome(REF, false, &args, &[]);
    assert_eq!(code, Some(0), "reference: {err}");
    assert!(
        err.contains("Translating signal 15 to 3."),
        "reference: {err}"
    );
    let (code, _, err) = outcome(MITE, false, &args, &[]);
    assert_eq!(code, Some(1), "mite: {err}");
    assert!(err.starts_with("Usage: -r option takes"), "mite: {err}");
}

/// Session or not: `-c`, `--single-child` and DUMB_INIT_SETSID=0 (exactly
/// "0") put the child in mite's session; otherwise it leads its own.
/// DUMB_INIT_DEBUG=1 (exactly "1") turns the -v lines on.
#[test]
fn single_child_and_debug_from_options_and_environment() {
    let script = r#"set -- $(cat /proc/$$/stat); [ "$6" = "$1" ] && echo leader || echo member"#;
    let cases: &[(Args, Vars, &str, bool)] = &[
        (&[], &[], "leader", false),
        (&["-c"], &[], "member", false),
        (&["--single-child"], &[], "member", false),
        (&["-c"], &[("DUMB_INIT_SETSID", "1")], "member", false),
        (&[], &[("DUMB_INIT_SETSID", "0")], "member", false),
        (&[], &[("DUMB_INIT_SETSID", "1")], "leader", false),
        (&[], &[("DUMB_INIT_SETSID", "")], "leader", false),
        (&[], &[("DUMB_INIT_SETSID", "00")], "leader", false),
        (&[], &[("DUMB_INIT_SETSID", "false")], "leader", false),
        (&[], &[("DUMB_INIT_SETSID", " 0")], "leader", false),
        (&[], &[("DUMB_INIT_DEBUG", "1")], "leader", true),
        (&["-v"], &[], "leader", true),
        (&["--verbose"], &[], "leader", true),
        (&["-c"], &[("DUMB_INIT_DEBUG", "1")], "member", true),
        (&[], &[("DUMB_INIT_DEBUG", "0")], "leader", false),
        (&[], &[("DUMB_INIT_DEBUG", "")], "leader", false),
        (&[], &[("DUMB_INIT_DEBUG", "true")], "leader", false),
        (&[], &[("DUMB_INIT_DEBUG", "01")], "leader", false),
        (&[], &[("DUMB_INIT_DEBUG", "1 ")], "leader", false),
    ];
    for pid1 in [false, true] {
        for &(pre, env, session, debug) in cases {
            let args = cat(pre, &["sh", "-c", script]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let got = same(&format!("{pre:?} {env:?} pid1={pid1}"), |i| {
                let (code, out, err) = outcome(i, pid1, &args, env);
                (code, out, !err.is_empty(), err.contains("setsid complete."))
            });
            assert_eq!(
                got,
                (
                    Some(0),
                    format!("{session}\n"),
                    debug,
                    debug && session == "leader"
                ),
                "{pre:?} {env:?} pid1={pid1}"
            );
        }
    }
}

/// Options end at the first non-option or at `--`; short options bundle
/// and take their value attached; long ones take `=value` or the next
/// argument.
#[test]
fn options_stop_at_the_first_non_option() {
    let cases: &[(Args, Option<i32>, &str, bool, bool)] = &[
        (
            &["echo", "-v", "-c", "--help", "-r"],
            Some(0),
            "-v -c --help -r\n",
            false,
            false,
        ),
        (&["--", "echo", "-v"], Some(0), "-v\n", false, false),
        (
            &["-c", "--", "echo", "--", "-x"],
            Some(0),
            "-- -x\n",
            false,
            false,
        ),
        (&["-cv", "echo", "x"], Some(0), "x\n", true, false),
        (&["-vc", "echo", "x"], Some(0), "x\n", true, false),
        (&["-v", "echo", "x"], Some(0), "x\n", true, true),
        (
            &[
                "--single-child",
                "--verbose",
                "--rewrite=15:3",
                "--rewrite",
                "10:0",
                "echo",
                "y",
            ],
            Some(0),
            "y\n",
            true,
            false,
        ),
        (
            &["-r15:3", "-r", "12:0", "-vr1:2", "echo", "z"],
            Some(0),
            "z\n",
            true,
            true,
        ),
        (&["--", "--"], Some(2), "", false, false),
        (&["-", "x"], Some(2), "", false, false),
        (
            &["-c", "sh", "-c", "exit 4", "-v"],
            Some(4),
            "",
            false,
            false,
        ),
    ];
    for pid1 in [false, true] {
        for &(args, code, out, debug, setsid_line) in cases {
            let got = same(&format!("{args:?} pid1={pid1}"), |i| {
                let (c, o, e) = outcome(i, pid1, args, &[]);
                (
                    c,
                    o,
                    e.contains("Child spawned"),
                    e.contains("setsid complete."),
                )
            });
            assert_eq!(got, (code, out.to_string(), debug, setsid_line), "{args:?}");
        }
    }
}

/// A deliberate difference (README): glibc's getopt_long takes any
/// unambiguous prefix of a long option (`--verb`, `--single`); mite takes
/// only the whole names (prefix matching cost ~500 bytes of the size
/// budget). Asserted on both sides: dumb-init runs the program, mite
/// refuses the option as unknown and runs nothing.
#[test]
fn long_option_abbreviations_are_refused() {
    for (abbrev, full) in [("--verb", "--verbose"), ("--single", "--single-child")] {
        let args = [abbrev, "sh", "-c", "exit 3"];
        let (code, _, err) = outcome(REF, false, &args, &[]);
        assert_eq!(
            code,
            Some(3),
            "the reference takes {abbrev} for {full}: {err}"
        );
        let (code, out, err) = outcome(MITE, false, &args, &[]);
        assert_eq!(
            (code, out.as_str(), err.trim_end()),
            (
                Some(1),
                "",
                format!("ARGV0: unrecognized option '{abbrev}'").as_str()
            ),
            "mite refuses {abbrev}"
        );
    }
}

/// A deliberate difference (README): dumb-init's two -v lines about its
/// environment (`Running in debug mode.` for DUMB_INIT_DEBUG=1, `Not
/// running in setsid mode.` for DUMB_INIT_SETSID=0) are not printed by
/// mite (they report a parse, not an event, at 100 bytes). The rest of the
/// log is the reference's.
#[test]
fn environment_debug_lines() {
    for (args, env) in [
        (&["true"][..], &[("DUMB_INIT_DEBUG", "1")][..]),
        (
            &["true"],
            &[("DUMB_INIT_DEBUG", "1"), ("DUMB_INIT_SETSID", "0")],
        ),
        (&["-v", "true"], &[("DUMB_INIT_SETSID", "0")]),
    ] {
        let [m, r] = BOTH.map(|i| outcome(i, false, args, env));
        assert_eq!((m.0, r.0), (Some(0), Some(0)));
        let env_lines = [
            "[dumb-init] Running in debug mode.",
            "[dumb-init] Not running in setsid mode.",
        ];
        assert!(
            env_lines.iter().any(|l| r.2.contains(l)),
            "the reference prints them: {}",
            r.2
        );
        assert!(
            !env_lines.iter().any(|l| m.2.contains(l)),
            "mite does not: {}",
            m.2
        );
        let reference: String =
            r.2.lines()
                .filter(|l| !env_lines.contains(l))
                .map(|l| format!("{l}\n"))
                .collect();
        // -c / DUMB_INIT_SETSID=0: without the parting line (see
        // single_child_sends_nothing_after_the_reap).
        let single = env.contains(&("DUMB_INIT_SETSID", "0"));
        let skip: &[&str] = if single {
            &["[dumb-init] Forwarded signal 15 to children."]
        } else {
            &[]
        };
        compare_logs(&format!("{args:?} {env:?}"), &reference, &m.2, skip);
    }
}

// ---------------------------------------------------------------------------
// 2. Exec failures and exit codes

/// A program that cannot run: `[dumb-init] PROG: <strerror>` from the
/// child, exit 2, as PID 1 and not, with and without -v (the whole -v log
/// compared).
#[test]
fn exec_failures_match_the_reference() {
    let dir = tempdir("di-exec");
    let file = |name: &str, body: &str, mode: u32| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
        p.display().to_string()
    };
    let noexec = file("noexec", "#!/bin/sh\nexit 0\n", 0o644);
    let badinterp = file("badinterp", "#!/nonexistent/interpreter\n", 0o755);
    let d = dir.display().to_string();
    let long = "x".repeat(300);
    let cases: Vec<(String, &str)> = vec![
        (
            "no-such-program-for-dumb-init".into(),
            "No such file or directory",
        ),
        ("./no-such-program".into(), "No such file or directory"),
        ("/nonexistent/prog".into(), "No such file or directory"),
        (String::new(), "No such file or directory"),
        (noexec, "Permission denied"),
        (d, "Permission denied"),
        ("/etc/passwd/x".into(), "Not a directory"),
        (badinterp, "No such file or directory"),
        (long, "File name too long"),
    ];
    for pid1 in [false, true] {
        for (prog, reason) in &cases {
            let got = same(&format!("{prog} pid1={pid1}"), |i| {
                outcome(i, pid1, &[prog, "arg"], &[])
            });
            assert_eq!(
                got,
                (
                    Some(2),
                    String::new(),
                    format!("[dumb-init] {prog}: {reason}\n")
                ),
                "pid1={pid1}"
            );
            let [m, r] = BOTH.map(|i| outcome(i, pid1, &["-v", prog], &[]));
            assert_eq!((m.0, r.0), (Some(2), Some(2)));
            let (parent, child) = compare_logs(&format!("-v {prog}"), &r.2, &m.2, &[]);
            assert_eq!(
                child.last().map(String::as_str),
                Some(format!("[dumb-init] {prog}: {reason}").as_str())
            );
            assert!(parent
                .contains(&"[dumb-init] A child with PID N exited with exit status 2.".into()));
        }
    }
}

/// A deliberate difference (README): an executable file without `#!`.
/// dumb-init's execvp (glibc) runs it with /bin/sh; mite, like the kernel
/// and musl, reports an exec format error: `[dumb-init] PROG: Exec format
/// error`, exit 2. Found through PATH or by its path alike.
#[test]
fn exec_script_without_shebang() {
    let dir = tempdir("di-noshebang");
    let p = dir.join("script-without-shebang");
    std::fs::write(&p, "echo from the script\nexit 4\n").unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.display());
    for prog in [
        p.display().to_string(),
        "script-without-shebang".to_string(),
    ] {
        let mut c = REF.cmd(&[&prog]);
        let r = run(c.env("PATH", &path), 20);
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (Some(4), "from the script\n"),
            "reference: {r:?}"
        );
        let mut c = MITE.cmd(&[&prog]);
        let o = run(c.env("PATH", &path), 20);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr),
            (
                Some(2),
                "",
                format!("[dumb-init] {prog}: Exec format error\n")
            ),
        );
    }
}

/// The child's exit code, as PID 1 and not, in both modes.
#[test]
fn exit_codes_match_the_reference() {
    for pid1 in [false, true] {
        for n in [0, 1, 2, 3, 42, 126, 127, 128, 129, 200, 254, 255] {
            let script = format!("echo out; exit {n}");
            let got = same(&format!("exit {n} pid1={pid1}"), |i| {
                outcome(i, pid1, &["sh", "-c", &script], &[])
            });
            assert_eq!(got, (Some(n), "out\n".into(), String::new()));
        }
        for n in [0, 5, 255] {
            let script = format!("exit {n}");
            let got = same(&format!("-c exit {n} pid1={pid1}"), |i| {
                outcome(i, pid1, &["-c", "sh", "-c", &script], &[])
            });
            assert_eq!(got.0, Some(n));
        }
    }
}

/// A child killed by signal N: 128 + N.
#[test]
fn signal_deaths_match_the_reference() {
    for pid1 in [false, true] {
        for n in [1, 2, 3, 6, 9, 11, 13, 14, 15, 24, 31] {
            let script = format!("kill -{n} $$; sleep 5");
            for pre in [&[][..], &["-c"][..]] {
                if !pre.is_empty() && ![9, 15].contains(&n) {
                    continue;
                }
                let args = cat(pre, &["sh", "-c", &script]);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let got = same(&format!("{pre:?} kill -{n} pid1={pid1}"), |i| {
                    outcome(i, pid1, &args, &[])
                });
                assert_eq!(got, (Some(128 + n), String::new(), String::new()));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Signals

/// A running scenario: the init with a recorder `r` as its child (exec'd by
/// sh) and a recorder `g` that sh started in the background, in the same
/// process group. Host pids.
struct Scene {
    rec: Recorder,
    run: Running,
    init: u32,
    r: u32,
    g: u32,
}

impl Scene {
    /// `init [pre] sh -c 'g & exec r'`, stderr in `stderr` if given.
    fn start(tag: &str, init: Init, pid1: bool, pre: &[&str], stderr: Option<&Path>) -> Scene {
        let rec = Recorder::new(tag);
        let script = format!(
            // g's output elsewhere: it must not hold the init's pipes open.
            "{} >/dev/null 2>&1 & exec {}",
            rec.shell("g", &["stop=0"]),
            rec.shell("r", &["stop=42"])
        );
        let mut c = init.start(pid1, &cat(pre, &["sh", "-c", &script]));
        if let Some(f) = stderr {
            c = with_stderr_in(&c, f);
        }
        let run = Running::start(&mut c);
        let init_pid = if pid1 {
            pid1_of(run.pid(), 20)
        } else {
            run.pid()
        };
        assert!(
            rec.ready("r", 30).is_some(),
            "{init:?}: the child did not start"
        );
        assert!(
            rec.ready("g", 30).is_some(),
            "{init:?}: the grandchild did not start"
        );
        let r = find_proc(init_pid, &rec.out("r"), 10);
        let g = find_proc(init_pid, &rec.out("g"), 10);
        Scene {
            rec,
            run,
            init: init_pid,
            r,
            g,
        }
    }

    /// Sends `sig` to the init (paced under qemu, see `pacing`).
    fn send(&self, sig: i32) {
        pacing(self.init);
        assert!(kill(self.init as i32, sig), "the init is gone");
    }

    /// Waits until recorder `name` has got `sig` `n` times.
    #[track_caller]
    fn wait_got(&self, name: &str, sig: i32, n: usize) {
        assert!(
            self.rec.wait_got(name, sig, n, 10),
            "{name} did not get signal {sig} ({n} times): {:?}",
            self.rec.got(name)
        );
    }

    /// Sends the marker SIGRTMAX straight to `g` and waits for it: every
    /// signal sent to g before has been recorded then. What g got before.
    fn g_got_before_marker(&self) -> Vec<i32> {
        let n = self.rec.got("g").iter().filter(|&&s| s == SIGRTMAX).count();
        kill(self.g as i32, SIGRTMAX);
        self.wait_got("g", SIGRTMAX, n + 1);
        let mut got = self.rec.got("g");
        got.pop();
        got
    }

    /// Ends the scenario: both recorders exit on the next signal, which the
    /// init forwards (g is killed too: in -c mode it gets nothing). The
    /// init's end.
    fn end(self) -> Out {
        self.rec.stop("r");
        self.rec.stop("g");
        pacing(self.init);
        kill(self.init as i32, SIGWINCH);
        let o = self.run.finish(30);
        // In -c mode nothing reaches g: it is killed (only now: r, its
        // parent, would take the SIGCHLD for the signal that ends it).
        kill(self.g as i32, 9);
        o
    }
}

/// The signals sent to the init one by one: 1..31 but KILL, STOP (not
/// catchable), CHLD (the init's own) and TSTP, TTIN, TTOU (job control,
/// below), and real-time ones (from 36: under qemu host 34 and 35 are the
/// guest's 32 and 33, which glibc, so the reference, cannot block).
fn table() -> Vec<i32> {
    let mut v: Vec<i32> = (1..=31)
        .filter(|s| ![9, 17, 19, 20, 21, 22].contains(s))
        .collect();
    v.extend([36, 40, 50, 64]);
    v
}

/// Setsid mode: each signal reaches the child and every member of its
/// process group.
#[test]
fn signals_reach_the_child_and_its_group() {
    for pid1 in [false, true] {
        let got = same(&format!("pid1={pid1}"), |init| {
            let s = Scene::start("di-sig-group", init, pid1, &[], None);
            // Each waited for at both before the next: a recorder that
            // lags takes pending signals lowest first, and a handler can
            // run inside another's, so a backlog could come out of order.
            for sig in table() {
                s.send(sig);
                let done = |name| s.rec.wait_got(name, sig, 1, 5);
                if !(done("r") && done("g")) {
                    break; // the assertion below shows what arrived
                }
            }
            let (r_got, g_got) = (s.rec.got("r"), s.rec.got("g"));
            let o = s.end();
            (r_got, g_got, o.code)
        });
        assert_eq!(got, (table(), table(), Some(42)), "pid1={pid1}");
    }
}

/// -c: each signal reaches only the child; the rest of its group gets
/// nothing.
#[test]
fn single_child_signals_reach_only_the_child() {
    for pid1 in [false, true] {
        let got = same(&format!("pid1={pid1}"), |init| {
            let s = Scene::start("di-sig-single", init, pid1, &["-c"], None);
            let r_got = send_each(&s.rec, "r", s.init, &table(), 5);
            let g_got = s.g_got_before_marker();
            let o = s.end();
            (r_got, g_got, o.code)
        });
        assert_eq!(got, (table(), vec![], Some(42)), "pid1={pid1}");
    }
}

/// Signals the child sends to PID 1 from inside the namespace (the
/// synchronous ones too: both inits block every signal, so the kernel
/// queues them instead of dropping them). In -c mode TSTP, TTIN and TTOU
/// too: they reach the child as they are, and a namespace's PID 1 cannot
/// stop itself.
#[test]
fn signals_sent_to_pid1_from_inside() {
    let mut single = table();
    single.extend([SIGTSTP, SIGTTIN, SIGTTOU]);
    for (pre, sigs) in [(&[][..], table()), (&["-c"][..], single)] {
        let got = same(&format!("{pre:?}"), |init| {
            let rec = Recorder::new("di-sig-inside");
            let k = format!("kill=1:{}", list(&sigs));
            let args = cat(pre, &rec.argv("r", &[&k, &recorder_pacing(), "code=42"]));
            let o = run(&mut init.pid1(&args), 120);
            (rec.got("r"), o.code)
        });
        assert_eq!(got, (sigs, Some(42)), "{pre:?}");
    }
}

/// -r S:R: S reaches the child (and its group) as R; R=0 drops S; the last
/// -r for a signal wins. Each signal sent is waited for as what it becomes;
/// the dropped ones go last, before SIGWINCH: the inits take pending
/// signals lowest first, so a dropped one that was forwarded would have
/// arrived before it.
#[test]
fn rewrite_and_drop_match_the_reference() {
    let cases: &[(Args, Sends, bool)] = &[
        (&["-r", "15:3"], &[(SIGTERM, SIGQUIT)], true),
        (&["-r", "10:0"], &[(SIGUSR1, 0)], true),
        (&["-r", "15:3", "-r", "15:12"], &[(SIGTERM, SIGUSR2)], true),
        (
            &["-r", "10:12", "-r", "12:10"],
            &[(SIGUSR1, SIGUSR2), (SIGUSR2, SIGUSR1)],
            true,
        ),
        (
            &["-r", "1:0", "-r", "2:0", "-r", "15:0"],
            &[(1, 0), (2, 0), (SIGTERM, 0)],
            true,
        ),
        (&["-r", "31:1"], &[(31, SIGHUP)], true),
        (
            &["-r", "15:3", "-r", "12:15", "-r", "10:0"],
            &[(SIGTERM, SIGQUIT), (SIGUSR2, SIGTERM), (SIGUSR1, 0)],
            true,
        ),
        (&["-c", "-r", "15:3"], &[(SIGTERM, SIGQUIT)], false),
        (
            &["-c", "-r", "10:0", "-r", "1:12"],
            &[(1, SIGUSR2), (SIGUSR1, 0)],
            false,
        ),
    ];
    for pid1 in [false, true] {
        for &(pre, sends, group) in cases {
            let mut expect: Vec<i32> = sends
                .iter()
                .map(|&(_, to)| to)
                .filter(|&to| to != 0)
                .collect();
            expect.push(SIGWINCH);
            let got = same(&format!("{pre:?} pid1={pid1}"), |init| {
                let s = Scene::start("di-rewrite", init, pid1, pre, None);
                for &(sig, to) in sends {
                    let count = |name| s.rec.got(name).iter().filter(|&&x| x == to).count();
                    let (n, ng) = (count("r"), count("g"));
                    s.send(sig);
                    // Both, before the next: a recorder takes pending
                    // signals lowest first, not in the order they came.
                    if to != 0 {
                        s.wait_got("r", to, n + 1);
                        if group {
                            s.wait_got("g", to, ng + 1);
                        }
                    }
                }
                s.send(SIGWINCH);
                s.wait_got("r", SIGWINCH, 1);
                if group {
                    s.wait_got("g", SIGWINCH, 1);
                }
                let r_got = s.rec.got("r");
                let g_got = if group {
                    s.rec.got("g")
                } else {
                    s.g_got_before_marker()
                };
                let o = s.end();
                (r_got, g_got, o.code)
            });
            let g_expect = if group { expect.clone() } else { vec![] };
            assert_eq!(got, (expect, g_expect, Some(42)), "{pre:?} pid1={pid1}");
        }
    }
}

// ---------------------------------------------------------------------------
// 4. The -v lines

/// Scenarios without signals from outside: the whole -v log, compared.
#[test]
fn verbose_lines_match_the_reference() {
    let spawned = "Child spawned with PID N.";
    let cases: &[(&[&str], Option<i32>, &[&str])] = &[
        (
            &["-v", "true"],
            Some(0),
            &[
                "A child with PID N exited with exit status 0.",
                "Forwarded signal 15 to children.",
                "Child exited with status 0. Goodbye.",
            ],
        ),
        (
            &["-v", "sh", "-c", "exit 3"],
            Some(3),
            &[
                "A child with PID N exited with exit status 3.",
                "Forwarded signal 15 to children.",
                "Child exited with status 3. Goodbye.",
            ],
        ),
        (
            &["-v", "sh", "-c", "kill -9 $$"],
            Some(137),
            &[
                "A child with PID N was terminated by signal 9.",
                "Forwarded signal 15 to children.",
                "Child exited with status 137. Goodbye.",
            ],
        ),
        (
            &["-v", "-r", "15:3", "sh", "-c", "exit 5"],
            Some(5),
            &[
                "A child with PID N exited with exit status 5.",
                "Translating signal 15 to 3.",
                "Forwarded signal 3 to children.",
                "Child exited with status 5. Goodbye.",
            ],
        ),
        (
            &["-v", "-r", "15:0", "sh", "-c", "exit 6"],
            Some(6),
            &[
                "A child with PID N exited with exit status 6.",
                "Translating signal 15 to 0.",
                "Not forwarding signal 0 to children (ignored).",
                "Child exited with status 6. Goodbye.",
            ],
        ),
    ];
    for pid1 in [false, true] {
        for &(args, code, tail) in cases {
            let [m, r] = BOTH.map(|i| outcome(i, pid1, args, &[]));
            assert_eq!((m.0, r.0), (code, code), "{args:?}");
            let (parent, child) = compare_logs(&format!("{args:?} pid1={pid1}"), &r.2, &m.2, &[]);
            let mut expect = vec![NO_TTY_PARENT, spawned, "Received signal 17."];
            expect.extend(tail);
            assert_eq!(parent, tagged(&expect), "reference {args:?}");
            assert_eq!(child, tagged(&NO_TTY_CHILD), "reference {args:?}");
        }
    }
}

/// A deliberate difference, with -v: in -c mode dumb-init "forwards" the
/// parting SIGTERM to the pid it has just reaped (`Forwarded signal 15 to
/// children.`); mite sends nothing, so it has no such line. The rest of the
/// log is the same.
#[test]
fn verbose_single_child_mode() {
    for pid1 in [false, true] {
        let args = ["-v", "-c", "sh", "-c", "exit 4"];
        let [m, r] = BOTH.map(|i| outcome(i, pid1, &args, &[]));
        assert_eq!((m.0, r.0), (Some(4), Some(4)));
        let parting = "[dumb-init] Forwarded signal 15 to children.";
        let (parent, child) = compare_logs("-v -c", &r.2, &m.2, &[parting]);
        assert_eq!(
            parent,
            tagged(&[
                "Child spawned with PID N.",
                "Received signal 17.",
                "A child with PID N exited with exit status 4.",
                "Forwarded signal 15 to children.",
                "Child exited with status 4. Goodbye.",
            ])
        );
        assert!(child.is_empty());
        assert!(!m.2.contains(parting), "mite: {}", m.2);
    }
}

/// Signals from outside with -v: received, translated, dropped, forwarded,
/// then the child's end; one signal at a time, each waited for (in the log
/// when dropped, at the child otherwise).
#[test]
fn verbose_signal_lines_match_the_reference() {
    for pid1 in [false, true] {
        let mut logs = Vec::new();
        for init in BOTH {
            let rec = Recorder::new("di-verbose-sig");
            let log = rec.path("stderr");
            let args = cat(
                &["-v", "-r", "15:3", "-r", "10:0"],
                &rec.argv("r", &["stop=42"]),
            );
            let run = Running::start(&mut with_stderr_in(&init.start(pid1, &args), &log));
            let pid = if pid1 {
                pid1_of(run.pid(), 20)
            } else {
                run.pid()
            };
            assert!(
                rec.ready("r", 30).is_some(),
                "{init:?}: the child did not start"
            );
            pacing(pid);
            kill(pid as i32, SIGUSR1);
            wait_contains(&log, "Not forwarding signal 0 to children (ignored).\n", 10);
            pacing(pid);
            kill(pid as i32, SIGTERM);
            assert!(
                rec.wait_got("r", SIGQUIT, 1, 10),
                "{init:?}: {:?}",
                rec.got("r")
            );
            pacing(pid);
            kill(pid as i32, SIGUSR2);
            assert!(
                rec.wait_got("r", SIGUSR2, 1, 10),
                "{init:?}: {:?}",
                rec.got("r")
            );
            rec.stop("r");
            pacing(pid);
            kill(pid as i32, SIGWINCH);
            let o = run.finish(30);
            assert_eq!(
                (o.code, rec.got("r")),
                (Some(42), vec![SIGQUIT, SIGUSR2, SIGWINCH]),
                "{init:?}"
            );
            logs.push(std::fs::read_to_string(&log).unwrap());
        }
        let (parent, child) =
            compare_logs(&format!("signals pid1={pid1}"), &logs[1], &logs[0], &[]);
        assert_eq!(
            parent,
            tagged(&[
                NO_TTY_PARENT,
                "Child spawned with PID N.",
                "Received signal 10.",
                "Translating signal 10 to 0.",
                "Not forwarding signal 0 to children (ignored).",
                "Received signal 15.",
                "Translating signal 15 to 3.",
                "Forwarded signal 3 to children.",
                "Received signal 12.",
                "Forwarded signal 12 to children.",
                "Received signal 28.",
                "Forwarded signal 28 to children.",
                "Received signal 17.",
                "A child with PID N exited with exit status 42.",
                "Translating signal 15 to 3.",
                "Forwarded signal 3 to children.",
                "Child exited with status 42. Goodbye.",
            ]),
            "reference, pid1={pid1}"
        );
        assert_eq!(child, tagged(&NO_TTY_CHILD));
    }
}

// ---------------------------------------------------------------------------
// 5. The parting SIGTERM

/// When the child exits in setsid mode, what a background process left in
/// its group gets before the init exits: SIGTERM, rewritten as -r says;
/// nothing in -c mode. (Not as PID 1: there the kernel SIGKILLs the
/// namespace as soon as the init exits, before the recorder can write down
/// the SIGTERM; parting_signal_in_strace covers PID 1.)
#[test]
fn parting_sigterm_reaches_the_group() {
    let cases: &[(Args, Vars, Vec<i32>)] = &[
        (&[], &[], vec![SIGTERM]),
        (&["-r", "15:3"], &[], vec![SIGQUIT]),
        (&["-r", "15:0"], &[], vec![]),
        (&["-c"], &[], vec![]),
        (&[], &[("DUMB_INIT_SETSID", "0")], vec![]),
    ];
    for (pre, env, expect) in cases {
        let got = same(&format!("{pre:?} {env:?}"), |init| {
            let rec = Recorder::new("di-parting");
            let ready = rec.path("g.ready");
            let script = format!(
                "{} >/dev/null 2>&1 & i=0; while [ ! -e {} ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i+1)); done; exit 7",
                rec.shell("g", &[]),
                ready.display()
            );
            let mut c = init.cmd(&cat(pre, &["sh", "-c", &script]));
            c.envs(env.iter().copied());
            let o = run(&mut c, 60);
            let g = rec.ready("g", 10).expect("g did not start");
            kill(g as i32, SIGRTMAX);
            let seen = rec.wait_got("g", SIGRTMAX, 1, 10);
            kill(g as i32, 9);
            assert!(
                seen,
                "{init:?}: g did not get the marker: {:?}",
                rec.got("g")
            );
            let mut got = rec.got("g");
            got.pop();
            (o.code, got)
        });
        assert_eq!(got, (Some(7), expect.clone()), "{pre:?} {env:?}");
    }
}

/// The kill() calls the init makes after it has reaped the child (strace
/// -f; the child's pid as `C`).
fn kills_after_reap(init: Init, pid1: bool, pre: &[&str]) -> (Option<i32>, Vec<String>) {
    let strace = Path::new("/usr/bin/strace");
    assert!(
        strace.exists(),
        "strace is not installed (scripts/setup.sh installs it)"
    );
    let dir = tempdir("di-strace");
    let trace = dir.join("trace");
    let inner = init.start(pid1, &cat(pre, &["sh", "-c", "exit 3"]));
    let mut c = Command::new(strace);
    c.args([
        "-f",
        "-qq",
        "-e",
        "trace=kill,tkill,tgkill,wait4,waitid",
        "-o",
    ])
    .arg(&trace)
    .arg(inner.get_program())
    .args(inner.get_args());
    let o = run(&mut c, 60);
    let text = std::fs::read_to_string(&trace).unwrap();
    // The init's reap: wait4(-1, ..., WNOHANG, ...) = C > 0.
    let mut tracer = None;
    let mut after = Vec::new();
    for line in text.lines() {
        let (pid, call) = line.split_once(char::is_whitespace).unwrap_or(("", line));
        let call = call.trim_start();
        match &tracer {
            None => {
                if call.starts_with("wait4(-1,") && call.contains("WNOHANG") {
                    if let Some((_, ret)) = call.rsplit_once("= ") {
                        if ret.parse::<i32>().is_ok_and(|n| n > 0) {
                            tracer = Some((pid.to_string(), ret.to_string()));
                        }
                    }
                }
            }
            Some((t, child)) => {
                if pid == t && (call.starts_with("kill(") || call.contains("kill(")) {
                    let call = call.split(" = ").next().unwrap_or(call).trim();
                    after.push(
                        call.replace(&format!("({child},"), "(C,")
                            .replace(&format!("(-{child},"), "(-C,"),
                    );
                }
            }
        }
    }
    assert!(tracer.is_some(), "{init:?}: no reap in the trace:\n{text}");
    (o.code, after)
}

/// The parting signal as system calls, as PID 1 and not: in setsid mode
/// both send it to the child's group (as rewritten; nothing if dropped). A
/// deliberate difference in -c mode: dumb-init sends SIGTERM to the pid it
/// has just reaped, which may already belong to another process (pid
/// reuse); mite makes no kill() at all after the reap.
#[test]
fn parting_signal_in_strace() {
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (&[], &["kill(-C, SIGTERM)"], &["kill(-C, SIGTERM)"]),
        (
            &["-r", "15:3"],
            &["kill(-C, SIGQUIT)"],
            &["kill(-C, SIGQUIT)"],
        ),
        (&["-r", "15:0"], &[], &[]),
        (&["-c"], &["kill(C, SIGTERM)"], &[]),
    ];
    for pid1 in [false, true] {
        for &(pre, reference, mite) in cases {
            let r = kills_after_reap(REF, pid1, pre);
            assert_eq!(
                r,
                (Some(3), reference.iter().map(|s| s.to_string()).collect()),
                "reference {pre:?} pid1={pid1}"
            );
            let m = kills_after_reap(MITE, pid1, pre);
            assert_eq!(
                m,
                (Some(3), mite.iter().map(|s| s.to_string()).collect()),
                "mite {pre:?} pid1={pid1}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 6. Job control

/// Setsid mode: SIGTSTP, SIGTTIN or SIGTTOU to the init stops the child's
/// whole group (SIGSTOP) and then the init itself; SIGCONT to the init
/// resumes it, and it passes the SIGCONT on to the group. The -v logs too.
#[test]
fn job_control_stops_the_group_and_the_init() {
    let mut logs = Vec::new();
    let got = same("TSTP/TTIN/TTOU then CONT", |init| {
        let dir = tempdir("di-jobs");
        let log = dir.join("stderr");
        let s = Scene::start("di-jobs", init, false, &["-v"], Some(&log));
        let mut states = Vec::new();
        for (n, sig) in [SIGTSTP, SIGTTIN, SIGTTOU].into_iter().enumerate() {
            s.send(sig);
            let stopped = [s.r, s.g, s.init].map(|p| wait_stopped(p, true, 10));
            kill(s.init as i32, SIGCONT);
            let resumed = [s.init, s.r, s.g].map(|p| wait_stopped(p, false, 10));
            s.wait_got("r", SIGCONT, n + 1);
            s.wait_got("g", SIGCONT, n + 1);
            states.push((sig, stopped, resumed));
        }
        // r is g's parent: g's stops and resumptions send r SIGCHLDs.
        let no_chld = |v: Vec<i32>| v.into_iter().filter(|&x| x != 17).collect::<Vec<_>>();
        let got = (no_chld(s.rec.got("r")), no_chld(s.rec.got("g")));
        let o = s.end();
        logs.push(std::fs::read_to_string(&log).unwrap());
        (states, got, o.code)
    });
    let all = [true; 3];
    for (sig, stopped, resumed) in &got.0 {
        assert_eq!(
            (stopped, resumed),
            (&all, &all),
            "signal {sig}: [r, g, init] stopped, [init, r, g] resumed"
        );
    }
    assert_eq!(got.1, (vec![SIGCONT; 3], vec![SIGCONT; 3]));
    let (parent, _) = compare_logs("job control", &logs[1], &logs[0], &[]);
    for sig in [SIGTSTP, SIGTTIN, SIGTTOU] {
        let i = parent
            .iter()
            .position(|l| *l == format!("[dumb-init] Received signal {sig}."))
            .expect("received");
        assert_eq!(
            parent[i + 1..i + 4],
            tagged(&[
                &format!("Translating signal {sig} to 19."),
                "Forwarded signal 19 to children.",
                "Suspending self due to TTY signal.",
            ])
        );
    }
}

/// Setsid mode with TSTP rewritten: `-r 20:0` stops nothing but the init
/// (the child still runs its handlers: a signal sent straight to it is
/// handled, which a stopped process would not do); `-r 20:12` sends
/// SIGUSR2 to the group instead, and the init stops itself all the same.
#[test]
fn job_control_signals_can_be_rewritten() {
    for (pre, first) in [(["-r", "20:0"], SIGRTMAX), (["-r", "20:12"], SIGUSR2)] {
        let got = same(&format!("{pre:?}"), |init| {
            let s = Scene::start("di-jobs-rw", init, false, &pre, None);
            s.send(SIGTSTP);
            let init_stopped = wait_stopped(s.init, true, 10);
            if first == SIGRTMAX {
                kill(s.r as i32, SIGRTMAX);
            }
            s.wait_got("r", first, 1);
            let child_stopped = proc_state(s.r) == Some('T');
            kill(s.init as i32, SIGCONT);
            let resumed = wait_stopped(s.init, false, 10);
            s.wait_got("r", SIGCONT, 1);
            let got = s.rec.got("r");
            let o = s.end();
            (init_stopped, child_stopped, resumed, got, o.code)
        });
        assert_eq!(
            got,
            (true, false, true, vec![first, SIGCONT], Some(42)),
            "{pre:?}"
        );
    }
}

/// As PID 1: the child's group is stopped, but the init's SIGSTOP to itself
/// is dropped by the kernel (a namespace's init cannot be stopped from
/// inside): it goes on waiting for signals; SIGCONT from outside resumes
/// the group.
#[test]
fn job_control_as_pid1() {
    let got = same("TSTP to PID 1", |init| {
        let dir = tempdir("di-jobs-pid1");
        let log = dir.join("stderr");
        let s = Scene::start("di-jobs-pid1", init, true, &["-v"], Some(&log));
        s.send(SIGTSTP);
        let stopped = [s.r, s.g].map(|p| wait_stopped(p, true, 10));
        wait_contains(&log, "Suspending self due to TTY signal.\n", 10);
        // After the line: its kill(self, SIGSTOP), then back to waiting.
        let waiting = wait_for(10, || in_sigtimedwait(s.init).then_some(())).is_some();
        let init_state = proc_state(s.init);
        kill(s.init as i32, SIGCONT);
        let resumed = [s.r, s.g].map(|p| wait_stopped(p, false, 10));
        s.wait_got("r", SIGCONT, 1);
        s.wait_got("g", SIGCONT, 1);
        let o = s.end();
        (stopped, waiting, init_state, resumed, o.code)
    });
    assert_eq!(got, ([true; 2], true, Some('S'), [true; 2], Some(42)));
}

/// A bug: in -c mode dumb-init forwards TSTP, TTIN and TTOU as they are
/// and then stops itself (handle_signal stops it whatever the mode), so a
/// shell that started it sees the job stopped; mite forwards them but does
/// not stop itself (src/run.rs on_signal: only with flag::SETSID). See
/// ctrl_z_in_the_users_shell_single_child for what a user sees.
#[test]
fn job_control_in_single_child_mode() {
    for sig in [SIGTSTP, SIGTTIN, SIGTTOU] {
        let got = same(&format!("-c, signal {sig}"), |init| {
            let s = Scene::start("di-jobs-c", init, false, &["-c"], None);
            s.send(sig);
            s.wait_got("r", sig, 1);
            let init_stopped = wait_stopped(s.init, true, 5);
            kill(s.init as i32, SIGCONT);
            wait_stopped(s.init, false, 10);
            s.wait_got("r", SIGCONT, 1);
            let got = (s.rec.got("r"), s.g_got_before_marker());
            let o = s.end();
            (init_stopped, got, o.code)
        });
        assert_eq!(got, (true, (vec![sig, SIGCONT], vec![]), Some(42)));
    }
}

// ---------------------------------------------------------------------------
// 7. A real terminal

mod pty {
    use super::*;
    use std::ffi::{c_char, c_int, c_ulong, CStr};
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Stdio};
    use std::sync::{Arc, Mutex};

    extern "C" {
        fn posix_openpt(flags: c_int) -> c_int;
        fn grantpt(fd: c_int) -> c_int;
        fn unlockpt(fd: c_int) -> c_int;
        fn ptsname_r(fd: c_int, buf: *mut c_char, len: usize) -> c_int;
        fn setsid() -> c_int;
        fn ioctl(fd: c_int, req: c_ulong, ...) -> c_int;
    }
    const O_RDWR: c_int = 2;
    /// The same on x86_64 and aarch64 (asm-generic).
    const O_NOCTTY: c_int = 0o400;
    const TIOCSCTTY: c_ulong = 0x540e;

    /// A process started as the leader of a new session whose controlling
    /// terminal is a pseudo-terminal the test holds the master side of.
    /// Dropping it kills everything below it.
    pub struct Pty {
        master: File,
        out: Arc<Mutex<Vec<u8>>>,
        child: Option<Child>,
    }

    impl Pty {
        /// Starts `cmd` on a new pty: stdin and stdout on it, stderr too
        /// unless `stderr` is given.
        pub fn spawn(cmd: &mut Command, stderr: Option<File>) -> Pty {
            // SAFETY: plain libc calls on a descriptor this function owns.
            let (master, path) = unsafe {
                let fd = posix_openpt(O_RDWR | O_NOCTTY);
                assert!(fd >= 0, "posix_openpt");
                assert!(grantpt(fd) == 0 && unlockpt(fd) == 0, "grantpt/unlockpt");
                let mut name = [0 as c_char; 128];
                assert_eq!(ptsname_r(fd, name.as_mut_ptr(), name.len()), 0);
                let path = CStr::from_ptr(name.as_ptr()).to_str().unwrap().to_string();
                (File::from_raw_fd(fd), path)
            };
            let slave = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(O_NOCTTY)
                .open(&path)
                .unwrap();
            cmd.stdin(slave.try_clone().unwrap())
                .stdout(slave.try_clone().unwrap())
                .stderr(match stderr {
                    Some(f) => Stdio::from(f),
                    None => Stdio::from(slave.try_clone().unwrap()),
                });
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if setsid() < 0 || ioctl(0, TIOCSCTTY, 0 as c_int) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let child = cmd.spawn().expect("spawn on the pty");
            drop(slave);
            let out = Arc::new(Mutex::new(Vec::new()));
            let mut reader = master.try_clone().unwrap();
            let sink = out.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // Ends with EIO once no process has the terminal open.
                while let Ok(n @ 1..) = reader.read(&mut buf) {
                    sink.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
            Pty {
                master,
                out,
                child: Some(child),
            }
        }

        pub fn pid(&self) -> u32 {
            self.child.as_ref().unwrap().id()
        }

        /// Everything the terminal showed so far.
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
        }

        /// Types `s`.
        pub fn send(&mut self, s: &str) {
            self.master.write_all(s.as_bytes()).unwrap();
        }

        /// Waits until `f` holds; false after `secs`.
        pub fn wait(&self, secs: u64, mut f: impl FnMut(&str) -> bool) -> bool {
            wait_for(secs, || f(&self.text()).then_some(())).is_some()
        }

        /// Waits until the terminal has shown `s` `n` times.
        #[track_caller]
        pub fn expect(&self, s: &str, n: usize) {
            assert!(
                self.wait(20, |t| t.matches(s).count() >= n),
                "the terminal did not show {s:?} ({n} times):\n{}",
                self.text()
            );
        }

        /// The exit status of the session leader (at most `secs`).
        pub fn status(&mut self, secs: u64) -> Option<i32> {
            let c = self.child.as_mut().unwrap();
            wait_timeout(c, secs).and_then(|s| s.code())
        }
    }

    impl Drop for Pty {
        fn drop(&mut self) {
            if let Some(mut c) = self.child.take() {
                for d in descendants(c.id()) {
                    kill(d as i32, 9);
                }
                kill(c.id() as i32, 9);
                let _ = c.wait();
            }
        }
    }
}
use pty::Pty;

/// The environment of the interactive shells: a prompt to wait for, no
/// history file, no line editing (--noediting), no rc file (--norc).
const PROMPT: &str = "PROMPT$ ";

fn shell_env(c: &mut Command) -> &mut Command {
    c.env("PS1", PROMPT)
        .env("HISTFILE", "/dev/null")
        .env("TERM", "dumb")
        .env_remove("PROMPT_COMMAND")
}

/// The sleep process below `root`: running in the terminal's foreground
/// process group.
fn foreground_sleep(root: u32) -> u32 {
    wait_for(20, || {
        descendants(root).into_iter().find(|&p| {
            let st = stat(p);
            comm(p).as_deref() == Some("sleep") && st.len() > 5 && st[2] == st[5]
        })
    })
    .expect("sleep 100 did not start in the terminal's foreground")
}

/// `init -v bash -i` as the session leader of a pty (as PID 1: `unshare
/// ... setsid --ctty init`, so that the init is PID 1 and the session
/// leader, as in a container with a terminal): the child gets the
/// terminal; job control works; `exit 5` ends the init with 5. Returns the
/// init's -v log (its stderr, kept apart from the terminal: the child
/// moves its own stderr to the terminal right after exec).
fn interactive_bash(init: Init, pid1: bool) -> (Option<i32>, String) {
    let dir = tempdir("di-pty");
    let log = dir.join("stderr");
    let args = [
        "-v",
        "sh",
        "-c",
        "exec 2>&1; exec bash --norc --noediting -i",
    ];
    let mut c = if pid1 {
        let mut c = Command::new("unshare");
        c.args([
            "--pid",
            "--fork",
            "--mount-proc",
            "--kill-child",
            "setsid",
            "--ctty",
        ])
        .args(init.argv())
        .args(args);
        c
    } else {
        init.cmd(&args)
    };
    let mut t = Pty::spawn(shell_env(&mut c), Some(File::create(&log).unwrap()));
    let init_pid = if pid1 { pid1_of(t.pid(), 20) } else { t.pid() };
    t.expect(PROMPT, 1);
    t.send("echo \"T$((1))=$(tty)\"\n");
    t.expect("T1=/dev/pts/", 1);
    t.expect(PROMPT, 2);
    t.send("sleep 100\n");
    let sleep = foreground_sleep(init_pid);
    t.send("\x1a");
    t.expect("Stopped", 1);
    t.expect(PROMPT, 3);
    assert_eq!(proc_state(sleep), Some('T'), "^Z did not stop sleep");
    t.send("fg\n");
    assert!(
        wait_stopped(sleep, false, 10),
        "fg did not resume sleep:\n{}",
        t.text()
    );
    foreground_sleep(init_pid);
    t.send("\x03");
    t.expect(PROMPT, 4);
    assert!(
        wait_for(10, || (!alive(sleep)).then_some(())).is_some(),
        "^C did not end sleep"
    );
    t.send("exit 5\n");
    let code = t.status(20);
    let text = t.text();
    assert!(
        !text.contains("no job control"),
        "{init:?}: bash got no job control:\n{text}"
    );
    (code, std::fs::read_to_string(&log).unwrap())
}

/// dumb-init's terminal hand-off: as the session leader of the terminal,
/// the init gives it up (TIOCNOTTY), drops the one SIGHUP and SIGCONT this
/// sends its own group (the child is not hung up), the child takes the
/// terminal (setsid + TIOCSCTTY): the same -v log from both.
#[test]
fn interactive_bash_on_a_terminal() {
    for pid1 in [false, true] {
        let (m_code, m_log) = interactive_bash(MITE, pid1);
        let (r_code, r_log) = interactive_bash(REF, pid1);
        assert_eq!((m_code, r_code), (Some(5), Some(5)), "pid1={pid1}");
        let (parent, child) = compare_logs(&format!("terminal pid1={pid1}"), &r_log, &m_log, &[]);
        assert_eq!(
            parent,
            tagged(&[
                "Detached from controlling tty, ignoring the first SIGHUP and SIGCONT we receive.",
                "Child spawned with PID N.",
                "Received signal 1.",
                "Ignoring tty hand-off signal 1.",
                "Received signal 18.",
                "Ignoring tty hand-off signal 18.",
                "Received signal 17.",
                "A child with PID N exited with exit status 5.",
                "Forwarded signal 15 to children.",
                "Child exited with status 5. Goodbye.",
            ]),
            "reference pid1={pid1}"
        );
        assert_eq!(
            child,
            tagged(&["setsid complete."]),
            "the child took the terminal"
        );
    }
}

/// An interactive bash (the session leader of a pty) runs `INIT [pre]
/// sleep 100` in the foreground; ^Z, `fg`, ^C. What the user sees: the
/// job stopped, resumed, ended (130).
fn users_shell(init: Init, pre: &[&str]) -> Vec<&'static str> {
    let mut words: Vec<String> = init
        .argv()
        .iter()
        .map(|a| quote(&a.to_string_lossy()))
        .collect();
    words.extend(pre.iter().map(|s| s.to_string()));
    words.push("sleep 100".into());
    let mut c = Command::new("bash");
    c.args(["--norc", "--noediting", "-i"]);
    let mut t = Pty::spawn(shell_env(&mut c), None);
    let mut seen = Vec::new();
    t.expect(PROMPT, 1);
    t.send(&(words.join(" ") + "\n"));
    // The init (the job) in the foreground, its child sleeping.
    let job = wait_for(20, || {
        let init = children_of(t.pid()).into_iter().next()?;
        // The terminal's foreground group as bash sees it; the init's own
        // group (in setsid mode it has detached: no tpgid of its own).
        let (shell, st) = (stat(t.pid()), stat(init));
        let sleeping = descendants(init)
            .into_iter()
            .any(|p| comm(p).as_deref() == Some("sleep"));
        (sleeping && shell.len() > 5 && st.len() > 2 && st[2] == shell[5]).then_some(init)
    });
    assert!(
        job.is_some(),
        "{init:?} {pre:?} did not start sleep:\n{}",
        t.text()
    );
    t.send("\x1a");
    if !t.wait(5, |s| {
        s.contains("Stopped") && s.matches(PROMPT).count() >= 2
    }) {
        return seen;
    }
    seen.push("stopped");
    t.send("fg\n");
    let sleep = wait_for(10, || {
        descendants(t.pid())
            .into_iter()
            .find(|&p| comm(p).as_deref() == Some("sleep") && proc_state(p) != Some('T'))
    });
    if sleep.is_none() {
        return seen;
    }
    seen.push("resumed");
    t.send("\x03");
    t.expect(PROMPT, 3);
    t.send("echo \"R$((1))=$?\"\n");
    t.expect("R1=", 1);
    if t.text().contains("R1=130") {
        seen.push("ended by ^C: 130");
    }
    t.send("exit\n");
    t.status(10);
    seen
}

/// The init started from the user's shell in setsid mode (not the session
/// leader: "Detached ..., but was not session leader"): ^Z stops the init
/// (the job, for the shell) and the child's group; fg resumes both; ^C
/// ends the child and so the init.
#[test]
fn ctrl_z_in_the_users_shell() {
    let got = same("setsid mode", |init| users_shell(init, &[]));
    assert_eq!(got, ["stopped", "resumed", "ended by ^C: 130"]);
}

/// The same in -c mode. A bug (see job_control_in_single_child_mode): ^Z
/// stops sleep (it is in the job's group) but not mite, so bash never sees
/// the job stopped and the user's terminal hangs; dumb-init stops itself.
#[test]
fn ctrl_z_in_the_users_shell_single_child() {
    let got = same("-c", |init| users_shell(init, &["-c"]));
    assert_eq!(got, ["stopped", "resumed", "ended by ^C: 130"]);
}

// ---------------------------------------------------------------------------
// 8. Working directory

/// The init moves to / once the child runs (so that it pins no mount); the
/// child keeps the directory it was started in. Both modes, PID 1 and not.
#[test]
fn working_directory() {
    for pid1 in [false, true] {
        for pre in [&[][..], &["-c"][..]] {
            let got = same(&format!("{pre:?} pid1={pid1}"), |init| {
                let dir = std::fs::canonicalize(tempdir("di-cwd")).unwrap();
                let script = "pwd > pwd.tmp && mv pwd.tmp pwd && exec sleep 100";
                let mut c = init.start(pid1, &cat(pre, &["sh", "-c", script]));
                c.current_dir(&dir);
                let run = Running::start(&mut c);
                let pid = if pid1 {
                    pid1_of(run.pid(), 20)
                } else {
                    run.pid()
                };
                let pwd = read_when_ready(&dir.join("pwd"), 20).expect("the child's pwd");
                let sleep = sleeping_child(pid);
                let init_cwd = wait_for(10, || cwd(pid).filter(|d| d == Path::new("/")));
                let child_cwd = cwd(sleep);
                drop(run);
                (
                    pwd.trim() == dir.to_str().unwrap(),
                    init_cwd.is_some(),
                    child_cwd == Some(dir),
                )
            });
            assert_eq!(
                got,
                (true, true, true),
                "(child's pwd, init in /, child's cwd) {pre:?} pid1={pid1}"
            );
        }
    }
}
