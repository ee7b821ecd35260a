//! The bad-input matrix: every malformed invocation of every personality
//! gets exit status 1, the reference's error lines on stderr naming what
//! was wrong, nothing on stdout, and no child (the program would leave a
//! mark).
//!
//! mite and tini: exactly one line. For the tini personality, where tini
//! 0.19 itself names the bad value (getopt's short-option messages and
//! tini's FATAL lines), mite's line must be tini's first line word for
//! word (argv[0] and pid aside), checked against Debian's tini; tini then
//! prints its whole usage text, mite only the one line.
//!
//! dumb-init and catatonit: the reference's whole stderr, word for word
//! (argv[0] and pid aside), checked against Debian's dumb-init 1.2.5 and
//! catatonit 0.1.7: getopt's line (catatonit adds its usage line),
//! dumb-init's three-line `-r` usage, each one's no-program text. The `-r`
//! values only dumb-init's sscanf takes (` 15:3x`) get the same three
//! lines from mite (a deliberate difference: digits only).
//!
//! Every personality refuses a bad MITE_* value with one line, its fatal
//! prefix, `Not a valid value for MITE_X: VALUE`.
//!
//! The references run natively even when the binary under test is
//! emulated: these texts do not depend on the architecture.
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
    /// The stderr must contain one of these (how the bad value is named).
    names: &'static [&'static [u8]],
    /// The reference says the same: its first line (tini), its whole
    /// stderr (dumb-init, catatonit).
    like_ref: bool,
    /// The number of lines on stderr.
    lines: usize,
}

const fn case(args: &'static [&'static [u8]], names: &'static [&'static [u8]]) -> Case {
    Case {
        args,
        env: None,
        names,
        like_ref: false,
        lines: 1,
    }
}

/// As `case`, and the reference tini's first line is the same.
const fn tini_case(args: &'static [&'static [u8]], names: &'static [&'static [u8]]) -> Case {
    Case {
        args,
        env: None,
        names,
        like_ref: true,
        lines: 1,
    }
}

const fn env_case(k: &'static str, v: &'static [u8], names: &'static [&'static [u8]]) -> Case {
    Case {
        args: &[PROG],
        env: Some((k, v)),
        names,
        like_ref: false,
        lines: 1,
    }
}

/// `lines` lines on stderr, mite's own: the reference takes these.
const fn own_case(
    args: &'static [&'static [u8]],
    names: &'static [&'static [u8]],
    lines: usize,
) -> Case {
    Case {
        args,
        env: None,
        names,
        like_ref: false,
        lines,
    }
}

/// `lines` lines on stderr, all of them the reference's (dumb-init,
/// catatonit).
const fn ref_case(
    args: &'static [&'static [u8]],
    names: &'static [&'static [u8]],
    lines: usize,
) -> Case {
    Case {
        args,
        env: None,
        names,
        like_ref: true,
        lines,
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

/// dumb-init 1.2.5.
const DUMB_INIT: &[Case] = &[
    ref_case(&[b"-x", PROG], &[b"'x'"], 1),
    ref_case(&[b"-cx", PROG], &[b"'x'"], 1),
    ref_case(&[b"-c-", PROG], &[b"'-'"], 1),
    ref_case(&[b"-s", PROG], &[b"'s'"], 1),
    ref_case(&[b"-g", PROG], &[b"'g'"], 1),
    ref_case(&[b"-p", b"SIGKILL", PROG], &[b"'p'"], 1),
    ref_case(&[b"-l"], &[b"'l'"], 1),
    ref_case(&[b"-P"], &[b"'P'"], 1),
    ref_case(&[b"-\xff", PROG], &[b"\xff"], 1),
    ref_case(&[b"--bogus", PROG], &[b"--bogus"], 1),
    ref_case(&[b"--bogus=1", PROG], &[b"--bogus=1"], 1),
    ref_case(&[b"--subreaper", PROG], &[b"--subreaper"], 1),
    ref_case(&[b"--setsid", PROG], &[b"--setsid"], 1),
    ref_case(&[b"--\xff", PROG], &[b"\xff"], 1),
    ref_case(&[b"--help=1"], &[b"--help"], 1),
    ref_case(&[b"--version="], &[b"--version"], 1),
    ref_case(&[b"--single-child=x", PROG], &[b"--single-child"], 1),
    ref_case(&[b"--verbose=1", PROG], &[b"--verbose"], 1),
    ref_case(&[b"-r"], &[b"'r'"], 1),
    ref_case(&[b"-c", b"-r"], &[b"'r'"], 1),
    ref_case(&[b"--rewrite"], &[b"--rewrite"], 1),
    // -r values: dumb-init's three lines, which name -r.
    ref_case(&[b"-r", b"TERM:QUIT", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"15", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"15:", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b":3", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"0:1", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"32:1", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"15:32", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"15:-1", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"15 :3", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r15:99", PROG], &[b"-r option"], 3),
    ref_case(&[b"--rewrite=", PROG], &[b"-r option"], 3),
    ref_case(&[b"--rewrite=abc", PROG], &[b"-r option"], 3),
    ref_case(&[b"-r", b"\xff", PROG], &[b"-r option"], 3),
    // The value of -r is the next word even when it is the program.
    ref_case(&[b"-r", PROG], &[b"-r option"], 3),
    // Digits only (README): dumb-init's sscanf("%d:%d") takes these and
    // runs the program; mite refuses them with the same three lines.
    own_case(&[b"-r", b" 15:3x", PROG], &[b"-r option"], 3),
    own_case(&[b"-r", b"+15:-0", PROG], &[b"-r option"], 3),
    own_case(&[b"-r", b"15: 3", PROG], &[b"-r option"], 3),
    own_case(&[b"-r", b"15:3:9", PROG], &[b"-r option"], 3),
    own_case(&[b"--rewrite=4294967311:0", PROG], &[b"-r option"], 3),
    // No program: two lines.
    ref_case(&[], &[b"Usage"], 2),
    ref_case(&[b"--"], &[b"Usage"], 2),
    ref_case(&[b"-c"], &[b"Usage"], 2),
    ref_case(&[b"-v", b"--"], &[b"Usage"], 2),
    ref_case(&[b"-c", b"-r", b"1:2"], &[b"Usage"], 2),
];

/// catatonit 0.1.7: getopt's line and the usage line.
const CATATONIT: &[Case] = &[
    ref_case(&[b"-x", PROG], &[b"'x'"], 2),
    ref_case(&[b"-gx", PROG], &[b"'x'"], 2),
    ref_case(&[b"-g-", PROG], &[b"'-'"], 2),
    ref_case(&[b"-s", PROG], &[b"'s'"], 2),
    ref_case(&[b"-v", PROG], &[b"'v'"], 2),
    ref_case(&[b"-l", PROG], &[b"'l'"], 2),
    ref_case(&[b"-p", b"SIGKILL", PROG], &[b"'p'"], 2),
    ref_case(&[b"-c", PROG], &[b"'c'"], 2),
    ref_case(&[b"-r", b"1:2", PROG], &[b"'r'"], 2),
    ref_case(&[b"-\xff", PROG], &[b"\xff"], 2),
    ref_case(&[b"--help"], &[b"--help"], 2),
    ref_case(&[b"--bogus", PROG], &[b"--bogus"], 2),
    ref_case(&[b"--bogus=1", PROG], &[b"--bogus=1"], 2),
    ref_case(&[b"--pause"], &[b"--pause"], 2),
    ref_case(&[b"--subreaper", PROG], &[b"--subreaper"], 2),
    ref_case(&[b"--version=1"], &[b"--version"], 2),
    // No program: the ERROR line and the usage line.
    ref_case(&[], &[b"missing program name"], 2),
    ref_case(&[b"--"], &[b"missing program name"], 2),
    ref_case(&[b"-g"], &[b"missing program name"], 2),
    ref_case(&[b"-g", b"--"], &[b"missing program name"], 2),
    // CATATONIT_LOG is reserved: one ERROR line, whatever else is asked.
    Case {
        args: &[PROG],
        env: Some(("CATATONIT_LOG", b"x")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
    Case {
        args: &[PROG],
        env: Some(("CATATONIT_LOG", b"")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
    Case {
        args: &[],
        env: Some(("CATATONIT_LOG", b"debug")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
];

/// catatonit reads CATATONIT_LOG before its options: the reserved
/// variable is refused whatever the command line asks.
const CATATONIT_LOG_FIRST: &[Case] = &[
    Case {
        args: &[b"-h"],
        env: Some(("CATATONIT_LOG", b"x")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
    Case {
        args: &[b"-V"],
        env: Some(("CATATONIT_LOG", b"x")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
    Case {
        args: &[b"-x", PROG],
        env: Some(("CATATONIT_LOG", b"x")),
        names: &[b"CATATONIT_LOG"],
        like_ref: true,
        lines: 1,
    },
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

/// `text` with `argv0` replaced by ARGV0 and a pid, `(digits)` or
/// `:digits)`, by PID.
fn normalize(text: &[u8], argv0: &[u8]) -> String {
    let s = show(text).replace(&show(argv0), "ARGV0");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find(['(', ':']) {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(')') {
            out.push_str("PID");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
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
        clean_env(cmd.args(&args));
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
        if lines != c.lines || !o.stderr.ends_with(b"\n") {
            wrong.push(format!(
                "{what}: {lines} lines on stderr, want {}: {:?}",
                c.lines,
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
        if let (Some(n), true) = (name, c.like_ref) {
            let argv0 = named(n);
            let got = normalize(&o.stderr, argv0.as_os_str().as_bytes());
            let (reference, whole) = match n {
                "dumb-init" => ("dumb-init", true),
                "catatonit" => ("catatonit", true),
                _ => ("tini", false),
            };
            let want = reference_stderr(reference, &args, c.env, whole);
            let got = if whole {
                got
            } else {
                got.split_inclusive('\n').next().unwrap_or("").to_string()
            };
            if got != want {
                wrong.push(format!("{what}: {got:?} is not {reference}'s {want:?}"));
            }
        }
    }
    wrong
}

/// What Debian's `reference` writes on stderr for `args` (all of it, or
/// the first line), normalized; it must exit 1.
fn reference_stderr(
    reference: &str,
    args: &[OsString],
    env: Option<(&str, &[u8])>,
    whole: bool,
) -> String {
    let path = common::reference(reference);
    let mut c = Command::new(&path);
    clean_env(c.args(args));
    if let Some((k, v)) = env {
        c.env(k, OsString::from_vec(v.to_vec()));
    }
    let o = run_raw(&mut c, 20);
    assert_eq!(o.code(), Some(1), "reference {reference} {args:?}: {o:?}");
    let text = if whole {
        &o.stderr[..]
    } else {
        o.stderr
            .split_inclusive(|&b| b == b'\n')
            .next()
            .unwrap_or(b"")
    };
    normalize(text, path.as_os_str().as_bytes())
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
fn dumb_init_personality() {
    assert_none(check(Some("dumb-init"), DUMB_INIT));
}

#[test]
fn catatonit_personality() {
    assert_none(check(Some("catatonit"), CATATONIT));
}

#[test]
fn catatonit_log_is_refused_before_the_options() {
    assert_none(check(Some("catatonit"), CATATONIT_LOG_FIRST));
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

/// Bad values of MITE_* variables, with how mite names them: switches
/// take 1 or 0, numbers are decimal, signals by name or number, lists
/// (only MITE_REWRITE and MITE_REMAP_EXIT) with commas.
const BAD_MITE_VALUES: &[(&str, &[u8])] = &[
    ("MITE_SUBREAPER", b"yes"),
    ("MITE_PDEATHSIG", b"FOO"),
    ("MITE_PGROUP", b"2"),
    ("MITE_SIGNAL_ALL", b""),
    ("MITE_REWRITE", b"15"),
    ("MITE_REWRITE", b"15:3,"),
    ("MITE_SETSID", b"on"),
    ("MITE_REMAP_EXIT", b"256"),
    ("MITE_GRACE", b"x"),
    ("MITE_GRACE", b"-1"),
    ("MITE_GRACE", b"\xff"),
    ("MITE_DRAIN_SIGNAL", b"NOPE"),
    ("MITE_TIMEOUT", b"1.5"),
    ("MITE_TIMEOUT_SIGNAL", b"0"),
    ("MITE_PAUSE", b"true"),
    ("MITE_VERBOSE", b"x"),
    ("MITE_WARN_REAP", b"2"),
];

/// Every personality (by each of its names) with its fatal prefix and a
/// request that answers by itself (help or version): a bad MITE_* value
/// is refused before the command line is read.
type Answer = &'static [&'static [u8]];
const PERSONALITIES: &[(&str, &str, Answer)] = &[
    ("mite", "mite: ", &[b"-h"]),
    ("tini", "[FATAL tini (PID)] ", &[b"--version"]),
    ("tini-static", "[FATAL tini (PID)] ", &[b"-h"]),
    ("docker-init", "[FATAL tini (PID)] ", &[b"--version"]),
    ("podman-init", "[FATAL tini (PID)] ", &[b"-l"]),
    ("dumb-init", "[dumb-init] ", &[b"-V"]),
    ("catatonit", "ERROR (catatonit:PID): ", &[b"-h"]),
    ("pause", "", &[b"-v"]),
];

#[test]
fn bad_mite_variables_under_every_personality() {
    assert_none(bad_mite_variables(BAD_MITE_VALUES));
}

/// The variables of options that take one value take one value: only
/// MITE_REWRITE and MITE_REMAP_EXIT are lists.
#[test]
fn single_value_variables_take_no_list() {
    assert_none(bad_mite_variables(&[
        ("MITE_GRACE", b"1,2"),
        ("MITE_PDEATHSIG", b"TERM,KILL"),
        ("MITE_TIMEOUT", b"5,0"),
    ]));
}

/// Each of `values` under each name of each personality, with a program
/// and with a request that answers by itself: exit 1, nothing on stdout,
/// no child, exactly the line `PREFIX Not a valid value for VAR: VALUE`.
fn bad_mite_variables(values: &[(&'static str, &'static [u8])]) -> Vec<String> {
    let dir = tempdir("bad-env");
    let mut wrong = Vec::new();
    for &(name, prefix, answer) in PERSONALITIES {
        // pause runs no program: it is refused or it would run on.
        let prog: &'static [&'static [u8]] = if name == "pause" { &[] } else { &[PROG] };
        for (k, &(var, value)) in values.iter().enumerate() {
            let want = format!("{prefix}Not a valid value for {var}: {}\n", show(value));
            for (j, args) in [prog, answer].into_iter().enumerate() {
                let c = Case {
                    args,
                    env: Some((var, value)),
                    names: &[],
                    like_ref: false,
                    lines: 1,
                };
                let mark = dir.join(format!("mark-{name}-{k}-{j}"));
                let argv = argv(&c, &mark);
                let mut cmd = mite_as(name, &[]);
                clean_env(cmd.args(&argv)).env(var, OsString::from_vec(value.to_vec()));
                let o = run_raw(&mut cmd, 20);
                let got = normalize(&o.stderr, named(name).as_os_str().as_bytes());
                if o.code() != Some(1) || !o.stdout.is_empty() || got != want || mark.exists() {
                    wrong.push(format!(
                        "{name} {argv:?} {var}={}: status {:?}, stdout {:?}, stderr {got:?}, \
                         ran: {}; want 1, nothing, {want:?}, no",
                        show(value),
                        o.code(),
                        show(&o.stdout).chars().take(60).collect::<String>(),
                        mark.exists()
                    ));
                }
            }
        }
    }
    wrong
}

#[test]
fn bad_input_with_a_broken_stderr_still_exits_1() {
    // The line cannot be written (EPIPE); the status must still be 1, not
    // a death by SIGPIPE (128 + 13 to whoever waits).
    for name in ["mite", "tini", "dumb-init", "catatonit", "pause"] {
        let (r, w) = std::io::pipe().unwrap();
        drop(r);
        let mut c = mite_as(name, &["-j", "true"]);
        clean_env(&mut c).env("MITE_GRACE", "x");
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(w)
            .process_group(0);
        let mut child = c.spawn().unwrap();
        drop(c);
        let st = wait_timeout(&mut child, 20);
        assert_eq!(st.and_then(|s| s.code()), Some(1), "{name}: {st:?}");
        // And a bad option, where the personality has options.
        if name != "pause" {
            let (r, w) = std::io::pipe().unwrap();
            drop(r);
            let mut c = mite_as(name, &["-j", "true"]);
            clean_env(&mut c)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(w)
                .process_group(0);
            let mut child = c.spawn().unwrap();
            drop(c);
            let st = wait_timeout(&mut child, 20);
            assert_eq!(st.and_then(|s| s.code()), Some(1), "{name} -j: {st:?}");
        }
    }
}
