//! mite as catatonit against Debian's catatonit 0.1.7, by running both with
//! the same arguments, as PID 1 of a fresh PID namespace and not: options,
//! usage errors and exec failures (streams, codes), CATATONIT_DEBUG and
//! CATATONIT_LOG, exit codes, the subreaper, signals (forwarded, -g,
//! job-control signals dropped, synchronous ones to PID 1), the working
//! directory, inherited descriptors, LISTEN_PID and pause mode (-P).
//!
//! The reference is Debian's /usr/bin/catatonit natively, its arm64 build
//! (static) under the same emulator when the binary under test is
//! emulated. Deliberate differences are asserted on both sides.
//!
//! Under qemu-user 7.2 neither catatonit can run a program (nor pause)
//! when it is not PID 1: PR_SET_CHILD_SUBREAPER fails with EINVAL, and both
//! exit 1 (`subreaper_limit`). The not-PID-1 half of each such test then
//! checks that evidence instead; natively it runs in full.
mod common;
use common::*;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

const SIGHUP: i32 = 1;
const SIGINT: i32 = 2;
const SIGQUIT: i32 = 3;
const SIGKILL: i32 = 9;
const SIGUSR1: i32 = 10;
const SIGUSR2: i32 = 12;
const SIGTERM: i32 = 15;
const SIGCHLD: i32 = 17;
const SIGCONT: i32 = 18;
const SIGTSTP: i32 = 20;
const SIGTTIN: i32 = 21;
const SIGTTOU: i32 = 22;
const SIGWINCH: i32 = 28;

/// The signals the kernel sends a process that faults: both inits leave
/// them unblocked (ILL, TRAP, ABRT, BUS, FPE, SEGV, SYS).
const SYNCHRONOUS: [i32; 7] = [4, 5, 6, 7, 8, 11, 31];

/// mite under the name catatonit, and the reference.
const MITE: Init = Init::As("catatonit");
const REF: Init = Init::RefCatatonit;
const BOTH: [Init; 2] = [MITE, REF];

/// catatonit's usage line (after every usage error, first line of -h).
const USAGE: &str = "usage: catatonit [-ghLPV] [--] <progname> [<arguments>...]\n";

// ---------------------------------------------------------------------------
// Running the two inits

/// A short name for messages and file names.
fn tag(init: Init) -> &'static str {
    if init == MITE {
        "mite"
    } else {
        "reference"
    }
}

/// `init ARGS` (as PID 1 of a fresh PID namespace or not), behind an
/// optional `sh -c WRAPPER` that ends with `exec "$@"` (redirections,
/// variables: the init keeps the wrapper's pid, so as PID 1 the wrapper runs
/// as PID 1 and then becomes the init). None of catatonit's variables nor
/// LISTEN_PID come from the test's own environment.
fn command<S: AsRef<std::ffi::OsStr>>(
    init: Init,
    pid1: bool,
    wrapper: Option<&str>,
    args: &[S],
) -> Command {
    let mut v: Vec<OsString> = Vec::new();
    if pid1 {
        v.extend(
            ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"].map(OsString::from),
        );
    }
    if let Some(w) = wrapper {
        v.extend(["sh", "-c", w, "sh"].map(OsString::from));
    }
    v.extend(init.argv());
    v.extend(args.iter().map(|a| a.as_ref().to_os_string()));
    let mut c = Command::new(&v[0]);
    c.args(&v[1..]);
    for var in ["CATATONIT_DEBUG", "CATATONIT_LOG", "LISTEN_PID"] {
        c.env_remove(var);
    }
    c
}

/// `init ARGS` run to its end, with environment `env`.
fn outcome(init: Init, pid1: bool, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut c = command(init, pid1, None, args);
    c.envs(env.iter().copied());
    run(&mut c, 30)
}

/// argv[0] as the init sees it (getopt's messages start with it).
fn argv0(init: Init) -> String {
    init.argv().last().unwrap().to_string_lossy().into_owned()
}

/// `s` with the init's argv[0] as `ARGV0` and, when not PID 1, the pid of
/// each `(catatonit:PID)` prefix as `PID` (as PID 1 the numbers, 1 for the
/// init and `child_of_pid1()` for its child, are compared as they are).
fn norm(init: Init, pid1: bool, s: &str) -> String {
    let s = s.replace(&argv0(init), "ARGV0");
    if pid1 {
        return s;
    }
    let mut out = String::new();
    let mut rest = &s[..];
    while let Some(i) = rest.find("(catatonit:") {
        let (head, tail) = rest.split_at(i + "(catatonit:".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(')') {
            out.push_str("PID");
        } else {
            out.push_str(&tail[..digits]);
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// (exit status, stdout, stderr) of an outcome, normalized for comparison.
fn seen(init: Init, pid1: bool, o: &Out) -> (Option<i32>, String, String) {
    assert!(!o.timed_out, "{} timed out: {o:#?}", tag(init));
    (
        o.code,
        norm(init, pid1, &o.stdout),
        norm(init, pid1, &o.stderr),
    )
}

/// A started init: the guard, its pid as the host sees it, its stderr file.
struct Up {
    r: Running,
    pid: u32,
    err: PathBuf,
}

impl Up {
    /// Starts `cmd` (made by `command`) with stderr in `dir`.
    fn start(init: Init, pid1: bool, mut cmd: Command, dir: &Path) -> Up {
        let err = dir.join(format!("{}-pid1={pid1}.stderr", tag(init)));
        let r = Running::start_logging(&mut cmd, &err);
        let pid = if pid1 { pid1_of(r.pid(), 20) } else { r.pid() };
        Up { r, pid, err }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    /// Waits for the end; the init's exit status (unshare passes it on).
    fn finish(self, what: &str) -> Option<i32> {
        let err = self.stderr();
        let o = self.r.finish(30);
        assert!(!o.timed_out, "{what}: did not end; stderr: {err}");
        o.code
    }
}

/// Under qemu-user 7.2, catatonit cannot start a program (nor pause) when
/// it is not PID 1: prctl(PR_SET_CHILD_SUBREAPER) fails with EINVAL and
/// both catatonits exit 1 at once, each with its message. When that is the
/// case for this run (`pid1` false, emulated: `test` must be listed in
/// EMULATOR_LIMITS), checks that evidence and returns true: the caller
/// skips the not-PID-1 half, which runs natively.
fn subreaper_limit(test: &str, pid1: bool) -> bool {
    if pid1 || !emulator_limit(test) {
        return false;
    }
    let [m, r] = BOTH.map(|i| outcome(i, false, &["--", "true"], &[]));
    assert_eq!(
        (m.code, r.code),
        (Some(1), Some(1)),
        "{test}: under qemu, not PID 1: mite {m:#?}\nreference {r:#?}"
    );
    assert!(
        m.stderr
            .contains("cannot become a child subreaper: Invalid argument"),
        "{m:#?}"
    );
    assert!(
        r.stderr
            .contains("failed to set child-reaper as non-pid1: Invalid argument"),
        "{r:#?}"
    );
    true
}

// ---------------------------------------------------------------------------
// Options

/// Usage errors: the same streams and status (1), nothing run. getopt's
/// messages start with argv[0]; a missing program (nothing, or nothing
/// after `--`) is an error line and the usage.
#[test]
fn usage_errors_as_the_reference() {
    let cases: &[&[&str]] = &[
        &[],
        &["-g"],
        &["--"],
        &["-g", "--"],
        &["-x"],
        &["-gx"],
        &["--foo"],
        &["-P", "-x"],
        &["-x", "-h"],
        &["-x", "-V"],
        &["--version=1"],
    ];
    for pid1 in [false, true] {
        for args in cases {
            let [m, r] = BOTH.map(|i| seen(i, pid1, &outcome(i, pid1, args, &[])));
            assert_eq!(m, r, "{args:?} pid1={pid1}: mite (left), reference (right)");
            assert_eq!(m.0, Some(1), "{args:?} pid1={pid1}");
            assert_eq!(m.1, "", "{args:?} pid1={pid1}: nothing on stdout");
            assert!(m.2.ends_with(USAGE), "{args:?}: usage last: {}", m.2);
        }
        // The exact lines, as PID 1 (pid 1) and not (normalized).
        let pid = if pid1 { "1" } else { "PID" };
        let check = |args: &[&str], first: String| {
            let o = outcome(MITE, pid1, args, &[]);
            assert_eq!(
                norm(MITE, pid1, &o.stderr),
                first + USAGE,
                "{args:?} pid1={pid1}"
            );
        };
        check(
            &[],
            format!("ERROR (catatonit:{pid}): missing program name\n"),
        );
        check(&["-x"], "ARGV0: invalid option -- 'x'\n".into());
        check(&["--foo"], "ARGV0: unrecognized option '--foo'\n".into());
        check(
            &["--version=1"],
            "ARGV0: option '--version' doesn't allow an argument\n".into(),
        );
    }
}

/// -h: help on stderr, exit 0, before any other option is looked at (but
/// after an invalid one). The first line is catatonit's usage line; the
/// rest is each one's own prose, naming every option.
#[test]
fn help_on_stderr() {
    for pid1 in [false, true] {
        for args in [&["-h"][..], &["-gh"], &["-h", "-x"], &["-P", "-h", "prog"]] {
            for init in BOTH {
                let o = outcome(init, pid1, args, &[]);
                let what = format!("{} {args:?} pid1={pid1}", tag(init));
                o.assert_code(0);
                assert_eq!(o.stdout, "", "{what}");
                assert!(o.stderr.starts_with(USAGE), "{what}: {}", o.stderr);
                for word in ["-g", "-h", "-L", "-P", "-V", "--version"] {
                    assert!(has_word(&o.stderr, word), "{what}: no {word}: {}", o.stderr);
                }
            }
        }
    }
}

/// -L: the license on stdout, exit 0. The texts differ deliberately: each
/// program prints its own license (catatonit's GPL notice, mite's MIT).
#[test]
fn license_on_stdout() {
    for pid1 in [false, true] {
        let [m, r] = BOTH.map(|i| outcome(i, pid1, &["-L"], &[]));
        for (init, o) in [(MITE, &m), (REF, &r)] {
            o.assert_code(0);
            assert_eq!(o.stderr, "", "{} pid1={pid1}", tag(init));
        }
        assert!(
            r.stdout
                .starts_with("catatonit: a container init so simple it's effectively brain-dead\n"),
            "{r:#?}"
        );
        assert!(
            m.stdout.starts_with("mite: MIT License") && m.stdout.ends_with('\n'),
            "{m:#?}"
        );
    }
}

/// What Docker does with the init's `--version` (daemon/info_unix.go,
/// parseInitVersion): split on " - "; the second part must be "git.X" with
/// exactly two dot-separated parts; the first, less "tini version ", is
/// the version. Returns (version, commit).
fn docker_parse(v: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = v.trim().split(" - ").collect();
    let mut commit = String::new();
    if parts.len() >= 2 {
        let git: Vec<&str> = parts[1].trim().split('.').collect();
        if git.len() == 2 && git[0] == "git" {
            commit = git[1].to_string();
        }
    }
    let version = parts[0]
        .trim()
        .strip_prefix("tini version ")
        .unwrap_or("")
        .to_string();
    if version.is_empty() && commit.is_empty() {
        return Err(format!("unknown output format: {v}"));
    }
    Ok((version, commit))
}

/// The commit mite's own `--version` names (the binary under test).
fn mite_commit() -> String {
    let o = run(&mut mite(&["--version"]), 30);
    o.assert_code(0);
    let (_, commit) = docker_parse(&o.stdout).expect("mite --version");
    assert!(!commit.is_empty(), "{o:#?}");
    commit
}

/// -V and --version, wherever they come before the program: one line on
/// stdout that Docker parses as catatonit's `tini version 0.1.7_catatonit`,
/// exit 0. mite's line names mite and the commit after it (deliberate: the
/// binary says what it is, in the part of the line Docker keeps as the
/// version, and the commit in the part Docker reads as one).
#[test]
fn version_as_docker_parses_it() {
    let commit = mite_commit();
    let line = format!(
        "tini version 0.1.7_catatonit (mite {}) - git.{commit}\n",
        env!("CARGO_PKG_VERSION")
    );
    for pid1 in [false, true] {
        for args in [
            &["-V"][..],
            &["--version"],
            &["-gV"],
            &["-V", "extra"],
            &["-P", "--version", "-x"],
        ] {
            let [m, r] = BOTH.map(|i| outcome(i, pid1, args, &[]));
            let what = format!("{args:?} pid1={pid1}");
            m.assert_code(0);
            r.assert_code(0);
            assert_eq!((&m.stdout[..], &m.stderr[..]), (&line[..], ""), "{what}");
            assert_eq!(
                (&r.stdout[..], &r.stderr[..]),
                ("tini version 0.1.7_catatonit\n", ""),
                "{what}"
            );
            assert_eq!(
                docker_parse(&r.stdout),
                Ok(("0.1.7_catatonit".into(), String::new()))
            );
            assert_eq!(
                docker_parse(&m.stdout),
                Ok((
                    format!("0.1.7_catatonit (mite {})", env!("CARGO_PKG_VERSION")),
                    commit.clone()
                ))
            );
        }
    }
}

/// catatonit's getopt permutes: options after the program are still its
/// own, so `catatonit sh -c X` fails (invalid option -- 'c') and needs `--`.
/// mite's options stop at the first non-option, as tini's and dumb-init's
/// (deliberate: what follows the program belongs to the program).
#[test]
fn options_stop_at_the_program() {
    for pid1 in [false, true] {
        let args = ["sh", "-c", "exit 3"];
        let r = outcome(REF, pid1, &args, &[]);
        let r = seen(REF, pid1, &r);
        assert_eq!(
            r,
            (
                Some(1),
                String::new(),
                format!("ARGV0: invalid option -- 'c'\n{USAGE}")
            ),
            "pid1={pid1}"
        );
        if subreaper_limit("catatonit::options_stop_at_the_program", pid1) {
            continue;
        }
        outcome(MITE, pid1, &args, &[]).assert_code(3);
    }
}

/// A difference found (not in the contract): catatonit's getopt_long takes
/// any unambiguous prefix of a long option (`--vers` is `--version`);
/// mite's option parser only takes whole names (all its personalities).
#[test]
fn long_option_prefixes() {
    for pid1 in [false, true] {
        let [m, r] = BOTH.map(|i| outcome(i, pid1, &["--vers"], &[]));
        r.assert_code(0);
        assert_eq!(r.stdout, "tini version 0.1.7_catatonit\n");
        let m = seen(MITE, pid1, &m);
        assert_eq!(
            m,
            (
                Some(1),
                String::new(),
                format!("ARGV0: unrecognized option '--vers'\n{USAGE}")
            ),
            "pid1={pid1}"
        );
    }
}

// ---------------------------------------------------------------------------
// Environment

/// CATATONIT_LOG (any value, even empty) is refused before anything else,
/// as catatonit reads it first: `ERROR (catatonit:PID): CATATONIT_LOG is
/// reserved for future use`, exit 1, nothing run, even with -h, -V, -L or
/// a bad option.
#[test]
fn catatonit_log_is_refused_before_anything_else() {
    let cases: &[&[&str]] = &[
        &["--", "true"],
        &["-P"],
        &[],
        &["-h"],
        &["-V"],
        &["-L"],
        &["-x"],
    ];
    for pid1 in [false, true] {
        let pid = if pid1 { "1" } else { "PID" };
        let line = format!("ERROR (catatonit:{pid}): CATATONIT_LOG is reserved for future use\n");
        for value in ["x", ""] {
            for args in cases {
                let env = [("CATATONIT_LOG", value)];
                let [m, r] = BOTH.map(|i| seen(i, pid1, &outcome(i, pid1, args, &env)));
                let what = format!("CATATONIT_LOG={value:?} {args:?} pid1={pid1}");
                assert_eq!(
                    r,
                    (Some(1), String::new(), line.clone()),
                    "reference {what}"
                );
                assert_eq!(m, r, "{what}: mite (left), reference (right)");
            }
        }
    }
}

/// The lines an init wrote on stderr that do not have catatonit's prefix
/// `LEVEL (catatonit:N): ` (LEVEL one of catatonit's).
fn unprefixed(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            let Some((level, rest)) = l.split_once(" (catatonit:") else {
                return true;
            };
            let Some((pid, _)) = rest.split_once("): ") else {
                return true;
            };
            !["FATAL", "ERROR", "WARN", "INFO", "DEBUG"].contains(&level)
                || pid.is_empty()
                || !pid.bytes().all(|b| b.is_ascii_digit())
        })
        .collect()
}

/// CATATONIT_DEBUG (any value, even empty) shows the debug lines: DEBUG
/// lines from the init itself, with catatonit's prefix (every line of
/// mite's has it). Their wording differs deliberately (mite tells its events
/// in dumb-init's words, the same in every personality). Without it, both
/// are silent.
#[test]
fn catatonit_debug_shows_debug_lines() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::catatonit_debug_shows_debug_lines", pid1) {
            continue;
        }
        for init in BOTH {
            let args = ["--", "sh", "-c", "exit 3"];
            let what = format!("{} pid1={pid1}", tag(init));
            for value in ["1", ""] {
                let mut c = command(init, pid1, None, &args);
                let r = Running::start(c.env("CATATONIT_DEBUG", value));
                let pid = if pid1 { 1 } else { r.pid() };
                let o = r.finish(30);
                let what = format!("{what} CATATONIT_DEBUG={value:?}");
                assert_eq!(o.code, Some(3), "{what}: {o:#?}");
                // The reference writes a line's prefix and text apart, so
                // its init's and its child's lines may interleave: every
                // line is checked for mite, whose lines are single writes.
                if init == MITE {
                    assert_eq!(unprefixed(&o.stderr), Vec::<&str>::new(), "{what}: {o:#?}");
                }
                assert!(
                    o.stderr.contains(&format!("DEBUG (catatonit:{pid}): ")),
                    "{what}: no DEBUG line of the init (pid {pid}): {o:#?}"
                );
            }
            let o = outcome(init, pid1, &args, &[]);
            o.assert_code(3);
            assert_eq!(o.stderr, "", "{what}: silent without CATATONIT_DEBUG");
        }
        let o = outcome(MITE, pid1, &["--", "true"], &[("CATATONIT_DEBUG", "1")]);
        assert!(
            o.stderr.contains("Child spawned with PID"),
            "mite's event lines: {o:#?}"
        );
    }
}

// ---------------------------------------------------------------------------
// The program

/// The program's exit status, or 128+N when signal N killed it.
#[test]
fn exit_codes_as_the_reference() {
    let cases = [
        ("exit 0", 0),
        ("exit 3", 3),
        ("exit 255", 255),
        ("kill -USR1 $$", 128 + SIGUSR1),
        ("kill -KILL $$", 128 + SIGKILL),
        ("kill -TERM $$", 128 + SIGTERM),
    ];
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::exit_codes_as_the_reference", pid1) {
            continue;
        }
        for (script, code) in cases {
            let args = ["--", "sh", "-c", script];
            let [m, r] = BOTH.map(|i| seen(i, pid1, &outcome(i, pid1, &args, &[])));
            let what = format!("sh -c '{script}' pid1={pid1}");
            assert_eq!(m, r, "{what}: mite (left), reference (right)");
            assert_eq!(m, (Some(code), String::new(), String::new()), "{what}");
        }
    }
}

/// A program that cannot be run: `ERROR (catatonit:PID): failed to exec
/// pid1: <strerror>` from the child (its pid: 2 as PID 1, 3 under qemu),
/// exit 1.
#[test]
fn exec_failures_as_the_reference() {
    let dir = tempdir("cat-exec");
    let plain = dir.join("not-executable");
    std::fs::write(&plain, "#!/bin/sh\nexit 0\n").unwrap();
    let (plain, dir_s) = (plain.display().to_string(), dir.display().to_string());
    let cases: [(&[&str], &str); 5] = [
        (&["--", "/nonexistent/program"], "No such file or directory"),
        (&["--", "mite-no-such-program"], "No such file or directory"),
        (&["--", "-x"], "No such file or directory"),
        (&["--", &plain], "Permission denied"),
        (&["--", &dir_s], "Permission denied"),
    ];
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::exec_failures_as_the_reference", pid1) {
            continue;
        }
        let pid = if pid1 { child_of_pid1() } else { "PID".into() };
        for (args, error) in cases {
            let [m, r] = BOTH.map(|i| seen(i, pid1, &outcome(i, pid1, args, &[])));
            let what = format!("{args:?} pid1={pid1}");
            assert_eq!(m, r, "{what}: mite (left), reference (right)");
            let line = format!("ERROR (catatonit:{pid}): failed to exec pid1: {error}\n");
            assert_eq!(m, (Some(1), String::new(), line), "{what}");
        }
    }
}

/// Not PID 1, catatonit becomes a child subreaper: an orphan of its child
/// is re-parented to it, and reaped when it dies. As PID 1 the kernel does
/// the same. Then SIGTERM, forwarded, ends the child (143).
#[test]
fn orphans_are_reparented_and_reaped() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::orphans_are_reparented_and_reaped", pid1) {
            continue;
        }
        for init in BOTH {
            let what = format!("{} pid1={pid1}", tag(init));
            let dir = tempdir("cat-orphan");
            // The inner sh exits at once: its `tail` is an orphan.
            let script = "sh -c 'tail -f /dev/null >/dev/null 2>&1 & exit 0'; exec sleep 1000";
            let up = Up::start(
                init,
                pid1,
                command(init, pid1, None, &["--", "sh", "-c", script]),
                &dir,
            );
            let orphan = wait_for(20, || {
                children_of(up.pid)
                    .into_iter()
                    .find(|&c| comm(c).as_deref() == Some("tail"))
            });
            let orphan = orphan.unwrap_or_else(|| {
                panic!(
                    "{what}: the orphan was not re-parented to the init; its children: {:?}",
                    children_of(up.pid)
                )
            });
            let main = sleeping_child(up.pid);
            kill(orphan as i32, SIGKILL);
            let reaped = wait_for(20, || {
                (!Path::new(&format!("/proc/{orphan}")).exists()).then_some(())
            });
            assert!(
                reaped.is_some(),
                "{what}: the dead orphan was not reaped (state {:?})",
                proc_state(orphan)
            );
            assert!(alive(main), "{what}: the child is still running");
            kill(up.pid as i32, SIGTERM);
            assert_eq!(up.finish(&what), Some(128 + SIGTERM), "{what}");
        }
    }
}

// ---------------------------------------------------------------------------
// Signals

/// Starts the recorder `child` as the program of `init`; waits until it is
/// ready. The recorder exits 7 on SIGTERM.
fn with_recorder(init: Init, pid1: bool, rec: &Recorder) -> Up {
    let args = cat(&["--"], &rec.argv("child", &["exit=15:7"]));
    let up = Up::start(init, pid1, command(init, pid1, None, &args), &rec.dir);
    assert!(
        rec.ready("child", 30).is_some(),
        "{} pid1={pid1}: the recorder did not start; stderr: {}",
        tag(init),
        up.stderr()
    );
    up
}

/// Every signal the recorder can catch but those catatonit keeps: SIGCHLD
/// (its own), TSTP/TTOU/TTIN (dropped), the synchronous ones (left to the
/// kernel), KILL and STOP (uncatchable), SIGTERM (ends the scenario), and
/// 32 and 33 (the host C library's, see signals.rs). Under qemu, host 34
/// and 35 are the guest's 32 and 33, which the reference's glibc keeps
/// unblocked for itself (SIGCANCEL, SIGSETXID): sent to it as PID 1, qemu
/// emulates their default action and hangs in rt_sigsuspend. They are sent
/// to mite alone then (`extra_realtime`).
fn forwarded() -> Vec<i32> {
    let mut v: Vec<i32> = (1..=31)
        .filter(|s| ![9, 15, 17, 19, 20, 21, 22].contains(s) && !SYNCHRONOUS.contains(s))
        .collect();
    if !emulated() {
        v.extend([34, 35]);
    }
    v.extend([36, 40, 50, 63, 64]);
    v
}

/// The signals only mite is sent (see `forwarded`).
fn extra_realtime() -> Vec<i32> {
    if emulated() {
        vec![34, 35]
    } else {
        vec![]
    }
}

/// Signals sent to the init from outside reach the child, each once, in
/// order; SIGTERM then ends the child (its status 7 becomes the init's).
#[test]
fn signals_are_forwarded_to_the_child() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::signals_are_forwarded_to_the_child", pid1) {
            continue;
        }
        let [m, r] = BOTH.map(|init| {
            let rec = Recorder::new("cat-fwd");
            let up = with_recorder(init, pid1, &rec);
            let got = send_paced(&rec, "child", up.pid, &forwarded(), 5);
            let extra = if init == MITE {
                let n = got.len();
                send_paced(&rec, "child", up.pid, &extra_realtime(), 5)[n..].to_vec()
            } else {
                vec![]
            };
            kill(up.pid as i32, SIGTERM);
            let err = up.stderr();
            ((got, up.finish(tag(init)), err), extra)
        });
        assert_eq!(m.0, r.0, "pid1={pid1}: mite (left), reference (right)");
        assert_eq!(m.0, (forwarded(), Some(7), String::new()), "pid1={pid1}");
        assert_eq!(m.1, extra_realtime(), "pid1={pid1}: mite alone");
    }
}

/// -g: signals go to the child's process group; without it to the child
/// only. The child (sh) starts `sleep` in the background (same group, no
/// handler: SIGHUP and SIGUSR1 kill it) and becomes the recorder. Once the
/// recorder has both, the sleep was sent them or not: kill() on a group
/// queues the signal in every member before it returns (a fatal one as a
/// pending SIGKILL), so it is dead or dying, or alive with nothing pending.
#[test]
fn dash_g_signals_the_childs_group() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::dash_g_signals_the_childs_group", pid1) {
            continue;
        }
        for group in [false, true] {
            let [m, r] = BOTH.map(|init| {
                let what = format!("{} pid1={pid1} -g={group}", tag(init));
                let rec = Recorder::new("cat-group");
                let script = format!("sleep 1000 & exec {}", rec.shell("main", &["exit=15:7"]));
                let opts: &[&str] = if group { &["-g", "--"] } else { &["--"] };
                let args = cat(opts, &["sh", "-c", &script]);
                let up = Up::start(init, pid1, command(init, pid1, None, &args), &rec.dir);
                assert!(rec.ready("main", 30).is_some(), "{what}: no main");
                let main = children_of(up.pid);
                assert_eq!(main.len(), 1, "{what}: one child");
                let member = wait_for(20, || {
                    children_of(main[0])
                        .into_iter()
                        .find(|&c| comm(c).as_deref() == Some("sleep"))
                });
                let member = member.unwrap_or_else(|| panic!("{what}: no sleep"));
                let mut got = send_paced(&rec, "main", up.pid, &[SIGHUP, SIGUSR1], 10);
                // The recorder is the sleep's parent: its death is a SIGCHLD.
                got.retain(|&s| s != SIGCHLD);
                let member_untouched = alive(member) && nothing_pending(member);
                if group {
                    let dead = wait_for(20, || (!alive(member)).then_some(()));
                    assert!(dead.is_some(), "{what}: the sleep lives on");
                }
                // Not left behind when the init is not PID 1.
                kill(member as i32, SIGKILL);
                kill(up.pid as i32, SIGTERM);
                ((got, member_untouched), up.finish(&what))
            });
            let what = format!("pid1={pid1} -g={group}");
            assert_eq!(m, r, "{what}: mite (left), reference (right)");
            assert_eq!(m, ((vec![SIGHUP, SIGUSR1], !group), Some(7)), "{what}");
        }
    }
}

/// SIGTSTP, SIGTTOU and SIGTTIN are dropped: not forwarded, and the init
/// is not stopped either. SIGWINCH comes after them: the init takes
/// pending signals lowest first, so had it forwarded one of them, the
/// child would have it before SIGWINCH.
#[test]
fn job_control_signals_are_dropped() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::job_control_signals_are_dropped", pid1) {
            continue;
        }
        let [m, r] = BOTH.map(|init| {
            let what = format!("{} pid1={pid1}", tag(init));
            let rec = Recorder::new("cat-tty");
            let up = with_recorder(init, pid1, &rec);
            for s in [SIGTSTP, SIGTTOU, SIGTTIN] {
                pace(up.pid);
                kill(up.pid as i32, s);
            }
            let got = send_paced(&rec, "child", up.pid, &[SIGWINCH], 10);
            let state = proc_state(up.pid);
            kill(up.pid as i32, SIGTERM);
            (got, state, up.finish(&what))
        });
        assert_eq!(m, r, "pid1={pid1}: mite (left), reference (right)");
        assert_eq!(m, (vec![SIGWINCH], Some('S'), Some(7)), "pid1={pid1}");
    }
}

/// The synchronous signals (ILL, TRAP, ABRT, BUS, FPE, SEGV, SYS) stay
/// unblocked in both catatonits, with no handler: sent to PID 1, from
/// outside its namespace, the kernel drops them. The init lives on and
/// forwards nothing. Under qemu (listed emulator limit), qemu's own
/// handler takes the signal, emulates the guest's default action and hangs
/// in rt_sigsuspend (it cannot kill PID 1), for both catatonits alike.
#[test]
fn synchronous_signals_to_pid1_are_dropped() {
    if emulator_limit("catatonit::synchronous_signals_to_pid1_are_dropped") {
        for init in BOTH {
            let what = tag(init);
            let rec = Recorder::new("cat-sync-qemu");
            let up = with_recorder(init, true, &rec);
            pace(up.pid);
            kill(up.pid as i32, 11);
            let hung = wait_for(20, || {
                let sys = std::fs::read_to_string(format!("/proc/{}/syscall", up.pid)).ok()?;
                let err = up.stderr();
                (sys.split_whitespace().next() == Some(SYS_RT_SIGSUSPEND)
                    && err.contains("qemu: uncaught target signal 11"))
                .then_some(())
            });
            assert!(
                hung.is_some(),
                "{what}: qemu did not hang on SIGSEGV; stderr: {}",
                up.stderr()
            );
        }
        return;
    }
    let [m, r] = BOTH.map(|init| {
        let what = tag(init);
        let rec = Recorder::new("cat-sync");
        let up = with_recorder(init, true, &rec);
        for s in SYNCHRONOUS {
            assert!(kill(up.pid as i32, s), "{what}: kill {s}");
            assert!(alive(up.pid), "{what}: signal {s} ended PID 1");
        }
        let got = send_paced(&rec, "child", up.pid, &[SIGWINCH], 10);
        kill(up.pid as i32, SIGTERM);
        let err = up.stderr();
        (got, up.finish(what), err)
    });
    assert_eq!(m, r, "mite (left), reference (right)");
    assert_eq!(m, (vec![SIGWINCH], Some(7), String::new()));
}

// ---------------------------------------------------------------------------
// What the init holds: its directory, its descriptors

/// Once the child runs and the init waits for signals (a signal forwarded
/// and received), mite's working directory is / and the reference's is
/// still the one it started in: catatonit 0.2.1 added chdir("/") (a pause
/// process must not pin a mount), Debian's 0.1.7 predates it (a deliberate
/// difference). The child keeps the directory it was started in.
#[test]
fn the_init_moves_to_root_the_child_stays() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::the_init_moves_to_root_the_child_stays", pid1) {
            continue;
        }
        for init in BOTH {
            let what = format!("{} pid1={pid1}", tag(init));
            let rec = Recorder::new("cat-cwd");
            let args = cat(&["--"], &rec.argv("child", &["exit=15:7"]));
            let mut c = command(init, pid1, None, &args);
            c.current_dir(&rec.dir);
            let up = Up::start(init, pid1, c, &rec.dir);
            assert!(rec.ready("child", 30).is_some(), "{what}: {}", up.stderr());
            let got = send_paced(&rec, "child", up.pid, &[SIGUSR1], 10);
            assert_eq!(got, [SIGUSR1], "{what}: the init forwards signals");
            let cwd = |pid: u32| std::fs::read_link(format!("/proc/{pid}/cwd")).ok();
            let host_child = children_of(up.pid);
            assert_eq!(host_child.len(), 1, "{what}: one child");
            assert_eq!(cwd(host_child[0]), Some(rec.dir.clone()), "{what}: child");
            let expected = if init == MITE {
                PathBuf::from("/")
            } else {
                rec.dir.clone()
            };
            assert_eq!(cwd(up.pid), Some(expected), "{what}: the init's directory");
            kill(up.pid as i32, SIGTERM);
            assert_eq!(up.finish(&what), Some(7), "{what}");
        }
    }
}

/// The descriptors of `pid`: (number, what it points to).
fn fds(pid: u32) -> Vec<(u32, String)> {
    let mut v: Vec<(u32, String)> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    let n = e.file_name().to_str()?.parse().ok()?;
                    let to = std::fs::read_link(e.path()).ok()?;
                    Some((n, to.display().to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Descriptors 5 and 6 given to the init: the child has them, the init
/// closes all of its own >= 3 once the child runs. The reference keeps its
/// signalfd (3, opened at start); mite waits with rt_sigtimedwait and holds
/// none.
#[test]
fn inherited_descriptors_are_closed_in_the_init() {
    for pid1 in [false, true] {
        if subreaper_limit(
            "catatonit::inherited_descriptors_are_closed_in_the_init",
            pid1,
        ) {
            continue;
        }
        for init in BOTH {
            let what = format!("{} pid1={pid1}", tag(init));
            let rec = Recorder::new("cat-fds");
            let (five, six) = (rec.path("five"), rec.path("six"));
            std::fs::write(&six, "six\n").unwrap();
            let wrapper = format!("exec \"$@\" 5>'{}' 6<'{}'", five.display(), six.display());
            let args = cat(&["--"], &rec.argv("child", &["exit=15:7"]));
            let c = command(init, pid1, Some(&wrapper), &args);
            let up = Up::start(init, pid1, c, &rec.dir);
            assert!(rec.ready("child", 30).is_some(), "{what}: {}", up.stderr());
            let got = send_paced(&rec, "child", up.pid, &[SIGUSR1], 10);
            assert_eq!(got, [SIGUSR1], "{what}: the init forwards signals");
            let child = children_of(up.pid);
            assert_eq!(child.len(), 1, "{what}: one child");
            let child_fds = fds(child[0]);
            for (n, file) in [(5, &five), (6, &six)] {
                assert!(
                    child_fds.contains(&(n, file.display().to_string())),
                    "{what}: the child lacks fd {n}: {child_fds:?}"
                );
            }
            let numbers: Vec<u32> = fds(up.pid).iter().map(|f| f.0).collect();
            if init == MITE {
                assert_eq!(numbers, [0, 1, 2], "{what}: {:?}", fds(up.pid));
            } else {
                assert_eq!(numbers, [0, 1, 2, 3], "{what}: {:?}", fds(up.pid));
                assert_eq!(fds(up.pid)[3].1, "anon_inode:[signalfd]", "{what}");
            }
            kill(up.pid as i32, SIGTERM);
            assert_eq!(up.finish(&what), Some(7), "{what}");
        }
    }
}

#[repr(C)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

extern "C" {
    fn poll(fds: *mut PollFd, n: u64, timeout_ms: i32) -> i32;
}

const POLLHUP: i16 = 0x10;

/// The events of `fd` after waiting up to `ms` for one.
fn poll_events(fd: i32, ms: i32) -> i16 {
    let mut p = PollFd {
        fd,
        events: 1, // POLLIN
        revents: 0,
    };
    // SAFETY: one valid pollfd, for the call's duration.
    let n = unsafe { poll(&mut p, 1, ms) };
    if n > 0 {
        p.revents
    } else {
        0
    }
}

/// Why the init closes its descriptors: the write end of a FIFO is opened
/// for the init (fd 5, inherited by the child); when the child closes it,
/// the reader sees the hang-up at once, while the init and the child run
/// on. (Linux reports POLLHUP on a FIFO only once a writer has come and
/// gone.) The child waits for `go` before closing: until then the pipe is
/// open.
#[test]
fn a_pipe_the_child_closes_is_closed() {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::a_pipe_the_child_closes_is_closed", pid1) {
            continue;
        }
        for init in BOTH {
            let what = format!("{} pid1={pid1}", tag(init));
            let dir = tempdir("cat-pipe");
            let (fifo, go) = (dir.join("fifo"), dir.join("go"));
            for f in [&fifo, &go] {
                let o = run(Command::new("mkfifo").arg(f), 10);
                o.assert_code(0);
            }
            let reader = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(0o4000) // O_NONBLOCK: no writer yet
                .open(&fifo)
                .unwrap();
            let wrapper = format!("exec \"$@\" 5>'{}'", fifo.display());
            let script = format!("read x < '{}'; exec 5>&-; exec sleep 1000", go.display());
            let args = ["--", "sh", "-c", &script];
            let mut up = Up::start(init, pid1, command(init, pid1, Some(&wrapper), &args), &dir);
            let child = wait_for(20, || children_of(up.pid).first().copied());
            let child = child.unwrap_or_else(|| panic!("{what}: no child"));
            // The init has closed its copy once it waits for signals.
            wait_waiting(up.pid, &what);
            assert_eq!(
                poll_events(reader.as_raw_fd(), 0) & POLLHUP,
                0,
                "{what}: the child still holds the pipe"
            );
            std::fs::write(&go, "\n").unwrap();
            let hup = poll_events(reader.as_raw_fd(), 20_000) & POLLHUP != 0;
            assert!(
                hup,
                "{what}: the pipe stayed open after the child closed it; init fds: {:?}",
                fds(up.pid)
            );
            assert!(!up.r.exited(), "{what}: the init still runs");
            assert!(alive(child), "{what}: the child still runs");
            kill(up.pid as i32, SIGTERM);
            assert_eq!(up.finish(&what), Some(128 + SIGTERM), "{what}");
        }
    }
}

// ---------------------------------------------------------------------------
// LISTEN_PID

/// What the child sees as LISTEN_PID (or `unset`) and its own pid, when the
/// init starts with LISTEN_PID = `value` (`@` stands for the init's pid;
/// None: unset).
fn listen_pid(init: Init, pid1: bool, value: Option<&str>) -> (String, String) {
    let what = format!("{} pid1={pid1} LISTEN_PID={value:?}", tag(init));
    let dir = tempdir("cat-listen");
    let out = dir.join("seen");
    let script = format!(
        "echo \"${{LISTEN_PID-unset}} $$\" > '{0}.tmp' && mv '{0}.tmp' '{0}'",
        out.display()
    );
    let args = ["--", "sh", "-c", &script];
    // Not PID 1, the init's pid is the wrapper's ($$) before it execs.
    let wrapper = "LISTEN_PID=$(echo \"$LISTEN_PID_TEMPLATE\" | sed \"s/@/$$/\"); \
                   export LISTEN_PID; unset LISTEN_PID_TEMPLATE; exec \"$@\"";
    let mut c = match value {
        Some(v) if !pid1 => {
            let mut c = command(init, pid1, Some(wrapper), &args);
            c.env("LISTEN_PID_TEMPLATE", v);
            c
        }
        Some(v) => {
            let mut c = command(init, pid1, None, &args);
            c.env("LISTEN_PID", v.replace('@', "1"));
            c
        }
        None => command(init, pid1, None, &args),
    };
    let o = run(&mut c, 30);
    assert_eq!(o.code, Some(0), "{what}: {o:#?}");
    let seen = read_when_ready(&out, 10).unwrap_or_else(|| panic!("{what}: nothing seen"));
    let (v, pid) = seen.trim_end_matches('\n').rsplit_once(' ').unwrap();
    (v.to_string(), pid.to_string())
}

/// LISTEN_PID naming the init becomes the child's own pid (systemd socket
/// activation: runtimes set LISTEN_PID=1 for PID 1); any other value, an
/// empty or non-numeric one, stays as it is; unset stays unset. catatonit
/// compares with the child's getppid(), the init's pid: the same test.
#[test]
fn listen_pid_names_the_child_when_it_named_the_init() {
    // (value, rewritten?)
    let cases = [
        (Some("@"), true),
        (Some("0@"), true),
        (Some("0"), false),
        (Some("999999999"), false),
        (Some(""), false),
        (Some("abc"), false),
        (None, false),
    ];
    for pid1 in [false, true] {
        if subreaper_limit(
            "catatonit::listen_pid_names_the_child_when_it_named_the_init",
            pid1,
        ) {
            continue;
        }
        for (value, rewritten) in cases {
            let [m, r] = BOTH.map(|i| listen_pid(i, pid1, value));
            let what = format!("LISTEN_PID={value:?} pid1={pid1}: mite {m:?}, reference {r:?}");
            if rewritten {
                assert!(m.0 == m.1 && r.0 == r.1, "{what}: the child's own pid");
                if pid1 {
                    let c = child_of_pid1();
                    assert_eq!((&m.0, &r.0), (&c, &c), "{what}");
                }
            } else {
                let expected = value.unwrap_or("unset");
                assert_eq!((&m.0[..], &r.0[..]), (expected, expected), "{what}");
                assert!(m.0 != m.1, "{what}");
            }
        }
    }
}

/// A difference found: catatonit reads LISTEN_PID with strtoll, so a value
/// that only starts with the init's pid (`1x`, ` 1`, `+1`) is rewritten
/// too; mite rewrites only a value that is the pid in decimal digits (as
/// systemd's sd_listen_fds parses it: such a value is no pid to it).
#[test]
fn listen_pid_with_trailing_text() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::listen_pid_with_trailing_text", pid1) {
            continue;
        }
        for value in ["@x", " @", "+@"] {
            let [m, r] = BOTH.map(|i| listen_pid(i, pid1, Some(value)));
            let what = format!("LISTEN_PID={value:?} pid1={pid1}");
            assert_eq!(r.0, r.1, "{what}: the reference rewrites it: {r:?}");
            assert!(m.0 != m.1, "{what}: mite leaves it: {m:?}");
            if pid1 {
                assert_eq!(m.0, value.replace('@', "1"), "{what}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Pause mode

/// -P: no child; SIGINT or SIGTERM ends it with status 0 (even as PID 1,
/// where an unhandled signal would be dropped).
#[test]
fn pause_mode_ends_with_0_on_int_and_term() {
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::pause_mode_ends_with_0_on_int_and_term", pid1) {
            continue;
        }
        for sig in [SIGINT, SIGTERM] {
            let [m, r] = BOTH.map(|init| {
                let what = format!("{} -P pid1={pid1} signal {sig}", tag(init));
                let dir = tempdir("cat-pause");
                let up = Up::start(init, pid1, command(init, pid1, None, &["-P"]), &dir);
                wait_waiting(up.pid, &what);
                let children = children_of(up.pid);
                kill(up.pid as i32, sig);
                let err = up.stderr();
                (children, up.finish(&what), err)
            });
            let what = format!("pid1={pid1} signal {sig}");
            assert_eq!(m, r, "{what}: mite (left), reference (right)");
            assert_eq!(m, (vec![], Some(0), String::new()), "{what}");
        }
    }
}

/// -P: every other signal does nothing: the init takes it (wakes up and
/// waits again) and still runs, not stopped; SIGTERM then ends it with 0.
#[test]
fn pause_mode_ignores_other_signals() {
    let others = [
        SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, 13, 14, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH,
        23, 30, 36, 40,
    ];
    for pid1 in [false, true] {
        if subreaper_limit("catatonit::pause_mode_ignores_other_signals", pid1) {
            continue;
        }
        for init in BOTH {
            let what = format!("{} -P pid1={pid1}", tag(init));
            let dir = tempdir("cat-pause-others");
            let up = Up::start(init, pid1, command(init, pid1, None, &["-P"]), &dir);
            for s in others {
                send_and_settle(up.pid, s, &format!("{what}: signal {s}"));
                assert_eq!(proc_state(up.pid), Some('S'), "{what}: after signal {s}");
            }
            kill(up.pid as i32, SIGTERM);
            let err = up.stderr();
            assert_eq!(up.finish(&what), Some(0), "{what}");
            assert_eq!(err, "", "{what}");
        }
    }
}

/// -P as PID 1: processes started in its namespace from outside (nsenter)
/// whose parent exits are re-parented to it, and reaped: twenty short-lived
/// orphans leave no zombie, a long-lived one (tail) is reaped when killed.
#[test]
fn pause_mode_reaps_orphans_as_pid1() {
    for init in BOTH {
        let what = format!("{} -P pid1", tag(init));
        let dir = tempdir("cat-pause-reap");
        let up = Up::start(init, true, command(init, true, None, &["-P"]), &dir);
        wait_waiting(up.pid, &what);
        reap_orphans_of(up.pid, &what);
        kill(up.pid as i32, SIGTERM);
        assert_eq!(up.finish(&what), Some(0), "{what}");
    }
}
