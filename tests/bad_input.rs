//! The bad-input matrix: every malformed invocation of every personality
//! gets exit status 1, exactly one line on stderr naming what was wrong,
//! nothing on stdout, and no child (the program would leave a mark).
//!
//! For the tini personality, where tini 0.19 itself names the bad value
//! (getopt's short-option messages and tini's FATAL lines), mite's line
//! must be tini's first line word for word (argv[0] and pid aside),
//! checked against Debian's tini. tini then prints its whole usage text;
//! mite prints only the one line.
mod common;
use common::*;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// Stands for the program in a case: `sh -c 'echo > MARK'`.
const PROG: &[u8] = b"\0PROG";

struct Case {
    args: &'static [&'static [u8]],
    /// An environment variable to set.
    env: Option<(&'static str, &'static [u8])>,
    /// The line must contain one of these (how the bad value is named).
    names: &'static [&'static [u8]],
    /// tini itself says the same first line (for the tini personality).
    like_tini: bool,
}

const fn case(args: &'static [&'static [u8]], names: &'static [&'static [u8]]) -> Case {
    Case {
        args,
        env: None,
        names,
        like_tini: false,
    }
}

/// As `case`, and the reference tini's first line is the same.
const fn tini_case(args: &'static [&'static [u8]], names: &'static [&'static [u8]]) -> Case {
    Case {
        args,
        env: None,
        names,
        like_tini: true,
    }
}

const fn env_case(k: &'static str, v: &'static [u8], names: &'static [&'static [u8]]) -> Case {
    Case {
        args: &[PROG],
        env: Some((k, v)),
        names,
        like_tini: false,
    }
}

/// Bad input common to both personalities: short options, values.
const SHARED: &[Case] = &[
    tini_case(&[b"-j", PROG], &[b"'j'", b"-j"]),
    tini_case(&[b"-sgj", PROG], &[b"'j'", b"-j"]),
    tini_case(&[b"-s-", PROG], &[b"'-'"]),
    tini_case(&[b"-s\xff", PROG], &[b"\xff"]),
    tini_case(&[b"-p"], &[b"'p'", b"-p"]),
    tini_case(&[b"-s", b"-e"], &[b"'e'", b"-e"]),
    tini_case(&[b"-p", b"FOO", PROG], &[b"FOO"]),
    tini_case(&[b"-p", b"99", PROG], &[b"99"]),
    tini_case(&[b"-pSIGFOO", PROG], &[b"SIGFOO"]),
    tini_case(&[b"-p", b"SIGRTMIN+40", PROG], &[b"SIGRTMIN+40"]),
    tini_case(&[b"-p", b"\xff\xfe", PROG], &[b"\xff\xfe"]),
    tini_case(&[b"-e", b"256", PROG], &[b"256"]),
    tini_case(&[b"-e", b"-1", PROG], &[b"-1"]),
    tini_case(&[b"-e", b"abc", PROG], &[b"abc"]),
    tini_case(&[b"-e143x", PROG], &[b"143x"]),
    tini_case(
        &[b"-e", b"99999999999999999999", PROG],
        &[b"99999999999999999999"],
    ),
    tini_case(&[b"-e", b"0x10", PROG], &[b"0x10"]),
    // The value of -e is the next word even when it looks like the program.
    tini_case(&[b"-e", PROG], &[b"sh"]),
    case(&[b"--bogus", PROG], &[b"--bogus"]),
    case(&[b"--bogus=1", PROG], &[b"--bogus"]),
    case(&[b"--pgroup=1", PROG], &[b"--pgroup"]),
    case(&[b"--\xff", PROG], &[b"\xff"]),
    // No program at all.
    case(&[], &[b"usage", b"Usage"]),
    case(&[b"--"], &[b"usage", b"Usage"]),
    case(&[b"-s"], &[b"usage", b"Usage"]),
    case(&[b"-s", b"-g", b"--"], &[b"usage", b"Usage"]),
    env_case("TINI_VERBOSITY", b"garbage", &[b"garbage"]),
    env_case("TINI_VERBOSITY", b"-1", &[b"-1"]),
    env_case("TINI_VERBOSITY", b"99999999999", &[b"99999999999"]),
    env_case("TINI_VERBOSITY", b"\xe9", &[b"\xe9"]),
    env_case("TINI_VERBOSITY", b"", &[b"TINI_VERBOSITY"]),
];

/// mite's long options.
const MITE: &[Case] = &[
    case(&[b"--pdeathsig"], &[b"--pdeathsig"]),
    case(&[b"--remap-exit"], &[b"--remap-exit"]),
    case(&[b"--pdeath=KILL", PROG], &[b"--pdeath"]),
    case(&[b"--pdeathsig=sigfoo", PROG], &[b"sigfoo"]),
    case(&[b"--pdeathsig", b"0", PROG], &[b"0"]),
    case(&[b"--remap-exit=", PROG], &[b"--remap-exit"]),
    case(&[b"--remap-exit=300", PROG], &[b"300"]),
    case(&[b"--help=1"], &[b"--help"]),
    case(&[b"--subreaper=yes", PROG], &[b"--subreaper"]),
];

/// tini's only long option is --version: every other one is unknown (even
/// valid mite ones), and --version takes no value.
const TINI: &[Case] = &[
    case(&[b"--version=1", PROG], &[b"--version"]),
    case(&[b"--help"], &[b"--help"]),
    case(&[b"--pdeathsig=SIGKILL", PROG], &[b"--pdeathsig"]),
    tini_case(&[b"-p", b"KILL", PROG], &[b"KILL"]),
    tini_case(&[b"-p", b"9", PROG], &[b"9"]),
    tini_case(&[b"-p", b"sigkill", PROG], &[b"sigkill"]),
];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The arguments of a case, with PROG expanded to a program that leaves
/// `mark`.
fn argv(c: &Case, mark: &Path) -> Vec<OsString> {
    let mut v = Vec::new();
    for a in c.args {
        if *a == PROG {
            v.push("sh".into());
            v.push("-c".into());
            v.push(format!("echo > '{}'", mark.display()).into());
        } else {
            v.push(OsString::from_vec(a.to_vec()));
        }
    }
    v
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `line` with `argv0` replaced by ARGV0 and a `(digits)` pid by (PID).
fn normalize(line: &[u8], argv0: &[u8]) -> String {
    let mut s = show(line).replace(&show(argv0), "ARGV0");
    if let Some(i) = s.find(" (") {
        if let Some(j) = s[i + 2..].find(')') {
            if s[i + 2..i + 2 + j].bytes().all(|c| c.is_ascii_digit()) && j > 0 {
                s.replace_range(i + 2..i + 2 + j, "PID");
            }
        }
    }
    s
}

/// Runs every case of `cases` as `name` (None: mite under its own name)
/// and returns what went wrong, one entry per broken promise.
fn check(name: Option<&str>, cases: &[Case]) -> Vec<String> {
    let dir = tempdir("bad");
    let mut wrong = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let mark = dir.join(format!("mark-{i}"));
        let args = argv(c, &mark);
        let mut cmd = match name {
            None => mite(&[]),
            Some(n) => mite_as(n, &[]),
        };
        cmd.args(&args)
            .env_remove("TINI_VERBOSITY")
            .env_remove("TINI_SUBREAPER")
            .env_remove("TINI_KILL_PROCESS_GROUP");
        if let Some((k, v)) = c.env {
            cmd.env(k, OsString::from_vec(v.to_vec()));
        }
        let o = run_raw(&mut cmd, 20);
        let what = format!(
            "{} {:?}{}",
            name.unwrap_or("mite"),
            args,
            c.env
                .map(|(k, v)| format!(" {k}={}", show(v)))
                .unwrap_or_default()
        );
        let lines = o.stderr.iter().filter(|&&b| b == b'\n').count();
        if o.code() != Some(1) {
            wrong.push(format!("{what}: status {:?}, want 1", o.status));
        }
        if !o.stdout.is_empty() {
            wrong.push(format!("{what}: stdout {:?}", show(&o.stdout)));
        }
        if lines != 1 || !o.stderr.ends_with(b"\n") {
            wrong.push(format!(
                "{what}: {lines} lines on stderr: {:?}",
                show(&o.stderr)
            ));
        }
        if !c.names.iter().any(|n| contains(&o.stderr, n)) {
            wrong.push(format!(
                "{what}: stderr {:?} names none of {:?}",
                show(&o.stderr),
                c.names.iter().map(|n| show(n)).collect::<Vec<_>>()
            ));
        }
        if mark.exists() {
            wrong.push(format!("{what}: the program ran"));
        }
        if let (Some(n), true) = (name, c.like_tini) {
            let want = reference_line(&args, c.env);
            let argv0 = named(n);
            let got = normalize(&o.stderr, argv0.as_os_str().as_bytes());
            if got != want {
                wrong.push(format!("{what}: {got:?} is not tini's {want:?}"));
            }
        }
    }
    wrong
}

/// The first stderr line of Debian's tini for `args`, normalized.
fn reference_line(args: &[OsString], env: Option<(&str, &[u8])>) -> String {
    let tini = reference("tini");
    let mut c = Command::new(&tini);
    c.args(args).env_remove("TINI_VERBOSITY");
    if let Some((k, v)) = env {
        c.env(k, OsString::from_vec(v.to_vec()));
    }
    let o = run_raw(&mut c, 20);
    assert_eq!(o.code(), Some(1), "reference tini {args:?}: {o:?}");
    let first = o
        .stderr
        .split_inclusive(|&b| b == b'\n')
        .next()
        .unwrap_or(b"");
    normalize(first, tini.as_os_str().as_bytes())
}

#[track_caller]
fn assert_none(wrong: Vec<String>) {
    assert!(
        wrong.is_empty(),
        "{} broken:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn mite_personality() {
    let mut wrong = check(None, SHARED);
    wrong.extend(check(None, MITE));
    assert_none(wrong);
}

#[test]
fn tini_personality() {
    let mut wrong = check(Some("tini"), SHARED);
    wrong.extend(check(Some("tini"), TINI));
    assert_none(wrong);
}

#[test]
fn docker_init_and_podman_init_personalities() {
    let mut wrong = Vec::new();
    for name in ["docker-init", "podman-init", "tini-static"] {
        wrong.extend(check(Some(name), SHARED));
        wrong.extend(check(Some(name), TINI));
    }
    assert_none(wrong);
}

#[test]
fn mite_long_options_are_not_tini_options() {
    // What mite accepts, the tini personality refuses (and vice versa
    // nothing): a long option is never silently taken as a program.
    let wrong = check(
        Some("tini"),
        &[
            case(&[b"--subreaper", PROG], &[b"--subreaper"]),
            case(&[b"--remap-exit=3", PROG], &[b"--remap-exit"]),
        ],
    );
    assert_none(wrong);
}

#[test]
fn bad_input_with_a_broken_stderr_still_exits_1() {
    // The one line cannot be written (EPIPE); the status must still be 1,
    // not a death by SIGPIPE (128 + 13 to whoever waits).
    for name in [None, Some("tini")] {
        let (r, w) = std::io::pipe().unwrap();
        drop(r);
        let mut c = match name {
            None => mite(&["-j", "true"]),
            Some(n) => mite_as(n, &["-j", "true"]),
        };
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(w)
            .process_group(0);
        let mut child = c.spawn().unwrap();
        drop(c);
        let st = wait_timeout(&mut child, 20);
        assert_eq!(
            st.and_then(|s| s.code()),
            Some(1),
            "{}: {st:?}",
            name.unwrap_or("mite")
        );
    }
}
