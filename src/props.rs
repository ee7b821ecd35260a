//! Property tests of every pure parser and mapping (test builds only).
//!
//! The command-line parser is checked against `model`, a second, naive
//! implementation of the documented grammar written from the docs (not
//! from the engine): for arbitrary argv (biased toward the tricky
//! vocabulary of getopt parsers), arbitrary environments and every
//! personality, `cli::parse` must give exactly the model's answer, never
//! panic, and keep the invariants listed in `check_invariants`. An
//! exhaustive test runs every sequence of up to four tokens of a small
//! vocabulary through the same checks. Signals are checked the same way
//! against a model of the signal grammar; wait statuses against the libc
//! macros written as plain arithmetic.
//!
//! Each test prints how many cases it ran (`cargo test props --
//! --nocapture`); `PROPTEST_CASES` raises or lowers the random ones.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestRunner};

use crate::cli::{self, Command, Config, Personality, UsageError};
use crate::out;
use crate::signal::{self, Signal};
use crate::status::{self, Ended, ExitMap};
use crate::sys::{Errno, OwnedArgv};

// ---------------------------------------------------------------------
// The model: the documented grammar, written the obvious way.
// ---------------------------------------------------------------------

/// What an option does, by the names the docs give.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Act {
    Subreaper,
    Pdeathsig,
    Pgroup,
    Remap,
    Verbose,
    WarnReap,
    License,
    Help,
    Version,
}

impl Act {
    fn takes_value(self) -> bool {
        matches!(self, Act::Pdeathsig | Act::Remap)
    }
}

/// tini 0.19 and mite share these letters (`-h -s -p SIG -v -w -g -e CODE -l`).
fn short_opt(c: u8) -> Option<Act> {
    Some(match c {
        b's' => Act::Subreaper,
        b'p' => Act::Pdeathsig,
        b'g' => Act::Pgroup,
        b'e' => Act::Remap,
        b'v' => Act::Verbose,
        b'w' => Act::WarnReap,
        b'l' => Act::License,
        b'h' => Act::Help,
        _ => return None,
    })
}

/// mite's long options (tini's only long option is `--version`).
fn long_opt(name: &[u8]) -> Option<Act> {
    Some(match name {
        b"subreaper" => Act::Subreaper,
        b"pdeathsig" => Act::Pdeathsig,
        b"pgroup" => Act::Pgroup,
        b"remap-exit" => Act::Remap,
        b"verbose" => Act::Verbose,
        b"warn-reap" => Act::WarnReap,
        b"license" => Act::License,
        b"help" => Act::Help,
        b"version" => Act::Version,
        _ => return None,
    })
}

/// One option of an argument: (long?, its name as reported, what it
/// does, its attached value), or a letter that is no option.
enum Item {
    Opt(bool, Vec<u8>, Act, Option<Vec<u8>>),
    Unknown(u8),
}

/// The outcome of a parse, owned, so that the model and the real parser
/// can be compared with `==`.
#[derive(Clone, PartialEq, Debug)]
enum Outcome {
    Run {
        /// Index in argv of the program.
        start: usize,
        subreaper: bool,
        pgroup: bool,
        warn_reap: bool,
        verbosity: u32,
        pdeathsig: Option<u32>,
        remap: BTreeSet<u8>,
    },
    Help,
    Version,
    License,
    Unknown(bool, Vec<u8>),
    Missing(bool, Vec<u8>),
    Unexpected(bool, Vec<u8>),
    BadValue(bool, Vec<u8>, Vec<u8>),
    BadEnv(Vec<u8>, Vec<u8>),
    NoProgram,
}

/// Decimal digits only, no sign, value at most `max` (leading zeros are
/// fine, as with strtoul).
fn model_number(s: &[u8], max: u64) -> Option<u64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digits = {
        let t: &[u8] = &s[s.iter().take_while(|&&c| c == b'0').count()..];
        t
    };
    if digits.len() > 19 {
        return None;
    }
    let v: u64 = if digits.is_empty() {
        0
    } else {
        std::str::from_utf8(digits).ok()?.parse().ok()?
    };
    (v <= max).then_some(v)
}

/// Standard signal names, as `kill -l` lists them on Linux x86_64/aarch64.
const SIGNAL_NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// mite's documented signal syntax: a number 1..=64 (real-time signals
/// by number only), or a name with or without `SIG` in any case. Names are
/// read from a 12-byte buffer: longer spellings are refused, which no real
/// name needs.
fn model_signal(s: &[u8]) -> Option<u32> {
    if let Some(n) = model_number(s, u64::MAX >> 8) {
        return (1..=64).contains(&n).then_some(n as u32);
    }
    if s.len() > 12 {
        return None;
    }
    let up = s.to_ascii_uppercase();
    let bare = up.strip_prefix(b"SIG").unwrap_or(&up);
    SIGNAL_NAMES
        .iter()
        .position(|n| n.as_bytes() == bare)
        .map(|i| i as u32 + 1)
}

/// tini's signal syntax: `SIG` and the upper-case name.
fn model_signal_strict(s: &[u8]) -> Option<u32> {
    if !s.starts_with(b"SIG") || s.iter().any(u8::is_ascii_lowercase) {
        return None;
    }
    model_signal(s)
}

/// The value of `name` in `env`: the first `name=value` entry.
fn model_getenv<'e>(env: &'e [Vec<u8>], name: &[u8]) -> Option<&'e [u8]> {
    env.iter()
        .find_map(|e| e.strip_prefix(name).and_then(|r| r.strip_prefix(b"=")))
}

fn model_personality(argv0: &[u8]) -> Personality {
    let base = match argv0.iter().rposition(|&c| c == b'/') {
        Some(i) => &argv0[i + 1..],
        None => argv0,
    };
    match base {
        b"tini" | b"tini-static" | b"docker-init" | b"podman-init" => Personality::Tini,
        _ => Personality::Mite,
    }
}

/// The whole documented grammar: options until `--` or the first
/// non-option (a lone `-` is a program), short options bundled with an
/// attached or separate value, mite's long options with `=value` or a
/// separate value, tini's one long option `--version`; then the
/// environment; then the program.
fn model(p: Personality, argv: &[Vec<u8>], env: &[Vec<u8>]) -> Outcome {
    let tini = p == Personality::Tini;
    let (mut subreaper, mut pgroup, mut warn_reap) = (false, false, false);
    let mut verbosity = 1u32;
    let mut pdeathsig = None;
    let mut remap = BTreeSet::new();
    let mut i = 1;
    let start = loop {
        let Some(arg) = argv.get(i) else { break i };
        i += 1;
        if arg == b"--" {
            break i;
        }
        let mut opts: Vec<Item> = Vec::new();
        if let Some(body) = arg.strip_prefix(b"--") {
            let (name, inline) = match body.iter().position(|&c| c == b'=') {
                Some(e) => (&body[..e], Some(body[e + 1..].to_vec())),
                None => (body, None),
            };
            let act = if tini {
                (name == b"version").then_some(Act::Version)
            } else {
                long_opt(name)
            };
            let Some(act) = act else {
                return Outcome::Unknown(true, body.to_vec());
            };
            if !act.takes_value() && inline.is_some() {
                return Outcome::Unexpected(true, name.to_vec());
            }
            opts.push(Item::Opt(true, name.to_vec(), act, inline));
        } else if arg.len() >= 2 && arg[0] == b'-' {
            for (k, &c) in arg.iter().enumerate().skip(1) {
                let Some(act) = short_opt(c) else {
                    // The letters before it still count (`-hx` is help).
                    opts.push(Item::Unknown(c));
                    break;
                };
                let rest = &arg[k + 1..];
                if act.takes_value() {
                    opts.push(Item::Opt(
                        false,
                        vec![c],
                        act,
                        (!rest.is_empty()).then(|| rest.to_vec()),
                    ));
                    break;
                }
                opts.push(Item::Opt(false, vec![c], act, None));
            }
        } else {
            break i - 1;
        }
        for item in opts {
            let (long, name, act, inline) = match item {
                Item::Unknown(c) => return Outcome::Unknown(false, vec![c]),
                Item::Opt(long, name, act, inline) => (long, name, act, inline),
            };
            let value = if act.takes_value() {
                match inline {
                    Some(v) => v,
                    None => match argv.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Outcome::Missing(long, name),
                    },
                }
            } else {
                Vec::new()
            };
            let bad = Outcome::BadValue(long, name.clone(), value.clone());
            match act {
                Act::Subreaper => subreaper = true,
                Act::Pgroup => pgroup = true,
                Act::WarnReap => warn_reap = true,
                Act::Verbose => verbosity = verbosity.saturating_add(1),
                Act::Pdeathsig => {
                    let s = if tini {
                        model_signal_strict(&value)
                    } else {
                        model_signal(&value)
                    };
                    match s {
                        Some(s) => pdeathsig = Some(s),
                        None => return bad,
                    }
                }
                Act::Remap => match model_number(&value, 255) {
                    Some(c) => {
                        remap.insert(c as u8);
                    }
                    None => return bad,
                },
                Act::License => return Outcome::License,
                Act::Help => return Outcome::Help,
                Act::Version => return Outcome::Version,
            }
        }
    };
    if model_getenv(env, b"TINI_SUBREAPER").is_some() {
        subreaper = true;
    }
    if model_getenv(env, b"TINI_KILL_PROCESS_GROUP").is_some() {
        pgroup = true;
    }
    if let Some(v) = model_getenv(env, b"TINI_VERBOSITY") {
        match model_number(v, u32::MAX as u64) {
            Some(n) => verbosity = n as u32,
            None => return Outcome::BadEnv(b"TINI_VERBOSITY".to_vec(), v.to_vec()),
        }
    }
    if start >= argv.len() {
        return Outcome::NoProgram;
    }
    Outcome::Run {
        start,
        subreaper,
        pgroup,
        warn_reap,
        verbosity,
        pdeathsig,
        remap,
    }
}

// ---------------------------------------------------------------------
// The real parser, its outcome and its invariants.
// ---------------------------------------------------------------------

/// A C string ends at its first NUL: what the kernel would hand mite.
fn c_str(b: &[u8]) -> Vec<u8> {
    b.iter().take_while(|&&c| c != 0).copied().collect()
}

/// True when `s` lies inside one of the strings of `argv` (a message
/// then names what the user typed, not a copy or a constant).
fn points_into(s: &[u8], argv: &OwnedArgv) -> bool {
    let a = argv.argv();
    a.iter().any(|arg| {
        let (lo, hi) = (arg.as_ptr() as usize, arg.as_ptr() as usize + arg.len());
        let p = s.as_ptr() as usize;
        s.is_empty() || (p >= lo && p + s.len() <= hi)
    })
}

/// Parses argv/env with the real parser; checks the invariants that hold
/// whatever the grammar's details; returns the outcome.
fn parse_and_check(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Outcome {
    let owned = OwnedArgv::new(argv);
    let owned_env = OwnedArgv::new(env);
    let a = owned.argv();
    let argv0 = a.get(0).unwrap_or(b"");
    let personality = Personality::from_argv0(argv0);
    assert_eq!(personality, model_personality(argv0), "personality");
    let mut cfg = Config::new(personality, a);
    let r = cli::parse(a, owned_env.argv(), &mut cfg);
    let appears = |long: &[u8], short: u8| {
        argv.iter().skip(1).any(|x| {
            x.strip_prefix(b"--")
                .map(|b| b.starts_with(long))
                .unwrap_or(false)
                || (x.len() >= 2 && x[0] == b'-' && x[1] != b'-' && x.contains(&short))
        })
    };
    let out = match r {
        Ok(Command::Run) => {
            let n = a.len() - cfg.child.len();
            // The child is a non-empty suffix of argv, in place (no copy),
            // never argv[0], still NULL-terminated for execve.
            assert!(!cfg.child.is_empty(), "Run with no program");
            assert!(n >= 1, "argv[0] taken as the program");
            assert_eq!(cfg.child.as_ptr(), a.as_ptr().wrapping_add(n));
            assert_eq!(
                cfg.child.iter().collect::<Vec<_>>(),
                a.skip(n).iter().collect::<Vec<_>>()
            );
            // The program follows either a `--` or is the first non-option.
            let first = &argv[n];
            let prev = &argv[n - 1];
            // A program that looks like an option can only come after `--`
            // (and a `--` never is a valid value, so it was the end mark).
            assert!(
                prev == b"--" || first.is_empty() || first == b"-" || first[0] != b'-',
                "program {first:?} after {prev:?} looks like an option"
            );
            // After flags that take no value, the first `--` ends the
            // options: the program is what follows it.
            let flags = |x: &Vec<u8>| {
                x.len() >= 2 && x[0] == b'-' && x[1..].iter().all(|c| b"sgvw".contains(c))
            };
            if let Some(d) = argv.iter().skip(1).position(|x| x == b"--") {
                if argv[1..=d].iter().all(flags) {
                    assert_eq!(n, d + 2, "program not right after the first --");
                }
            }
            Outcome::Run {
                start: n,
                subreaper: cfg.subreaper,
                pgroup: cfg.pgroup,
                warn_reap: cfg.warn_reap,
                verbosity: cfg.verbosity,
                pdeathsig: cfg.pdeathsig.map(Signal::get),
                remap: (0..=255u8).filter(|&c| cfg.remap.contains(c)).collect(),
            }
        }
        Ok(Command::Help) => {
            assert!(appears(b"help", b'h'), "help without -h/--help");
            Outcome::Help
        }
        Ok(Command::Version) => {
            assert!(argv.iter().skip(1).any(|x| x.starts_with(b"--version")));
            Outcome::Version
        }
        Ok(Command::License) => {
            assert!(appears(b"license", b'l'), "license without -l/--license");
            Outcome::License
        }
        Err(e) => {
            // Every error names something the user typed.
            match e {
                UsageError::UnknownOption(o)
                | UsageError::MissingValue(o)
                | UsageError::UnexpectedValue(o) => assert!(points_into(o.name, &owned)),
                UsageError::BadValue(o, v) => {
                    assert!(points_into(o.name, &owned) && points_into(v, &owned))
                }
                UsageError::BadEnv(_, v) => assert!(points_into(v, &owned_env)),
                UsageError::NoProgram => {}
            }
            match e {
                UsageError::UnknownOption(o) => Outcome::Unknown(o.long, o.name.to_vec()),
                UsageError::MissingValue(o) => Outcome::Missing(o.long, o.name.to_vec()),
                UsageError::UnexpectedValue(o) => Outcome::Unexpected(o.long, o.name.to_vec()),
                UsageError::BadValue(o, v) => {
                    Outcome::BadValue(o.long, o.name.to_vec(), v.to_vec())
                }
                UsageError::BadEnv(n, v) => Outcome::BadEnv(n.to_vec(), v.to_vec()),
                UsageError::NoProgram => Outcome::NoProgram,
            }
        }
    };
    out
}

/// Runs one case: model and parser agree, invariants hold.
fn check_case(argv: &[Vec<u8>], env: &[Vec<u8>]) {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| c_str(a)).collect();
    let env: Vec<Vec<u8>> = env.iter().map(|a| c_str(a)).collect();
    let got = parse_and_check(&argv, &env);
    let p = model_personality(argv.first().map(|v| &v[..]).unwrap_or(b""));
    let want = model(p, &argv, &env);
    assert_eq!(
        got,
        want,
        "argv {:?} env {:?}",
        argv.iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>(),
        env.iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------

/// Words that trip getopt-style parsers.
const VOCAB: &[&[u8]] = &[
    b"",
    b"-",
    b"--",
    b"---",
    b"-e",
    b"-e=",
    b"-e=1",
    b"--pdeathsig",
    b"--pdeathsig=",
    b"-p",
    b"-s",
    b"-sg",
    b"-pKILL",
    b"-pSIGKILL",
    b"--remap-exit=300",
    b"--remap-exit",
    b"--help",
    b"--version",
    b"--version=1",
    b"--license",
    b"-h",
    b"-l",
    b"-x",
    b"--x=",
    b"--=",
    b"-=",
    b"-vvv",
    b"-wgs",
    b"-sp",
    b"-se143",
    b"--subreaper",
    b"--pgroup=1",
    b"--pgroup",
    b"-v-",
    b"KILL",
    b"SIGKILL",
    b"sigterm",
    b"9",
    b"0",
    b"64",
    b"65",
    b"RTMIN+3",
    b"SIGRTMAX-1",
    b"143",
    b"255",
    b"256",
    b"-1",
    b"00143",
    b"x",
    b"sh",
    b"-c",
    b"\xff",
    b"-\xff",
    b"--\xff",
    b"\xc3(",
];

fn arg() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => proptest::sample::select(VOCAB).prop_map(|s| s.to_vec()),
        // Bundles of short letters, known and unknown, maybe with a value.
        2 => proptest::collection::vec(proptest::sample::select(&b"spgevwlhx-=9K"[..]), 0..6)
            .prop_map(|mut v| {
                v.insert(0, b'-');
                v
            }),
        // `--name[=value]` with near-miss names.
        1 => (
            proptest::sample::select(vec![
                "pdeathsig", "remap-exit", "help", "version", "license", "pgroup", "verbose",
                "subreaper", "warn-reap", "pdeath", "help2", "",
            ]),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..5))
        )
            .prop_map(|(n, v)| {
                let mut a = format!("--{n}").into_bytes();
                if let Some(v) = v {
                    a.push(b'=');
                    a.extend(v);
                }
                a
            }),
        2 => proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

fn argv0() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::sample::select(vec![
            &b"tini"[..],
            b"tini-static",
            b"docker-init",
            b"podman-init",
            b"/x/mite",
            b"mite",
            b"/usr/bin/tini",
            b"/run/podman-init",
            b"/dev/init",
            b"tini/",
            b"",
            b"/",
            b"./tini-static",
            b"TINI",
            b"tini ",
        ])
        .prop_map(|s| s.to_vec()),
        proptest::collection::vec(any::<u8>(), 0..10),
    ]
}

fn env_entry() -> impl Strategy<Value = Vec<u8>> {
    let name = proptest::sample::select(vec![
        &b"TINI_SUBREAPER"[..],
        b"TINI_VERBOSITY",
        b"TINI_KILL_PROCESS_GROUP",
        b"TINI_VERBOSITYX",
        b"TINI_",
        b"PATH",
        b"",
    ]);
    let value = prop_oneof![
        proptest::sample::select(vec![
            &b""[..],
            b"0",
            b"1",
            b"3",
            b"4294967295",
            b"4294967296",
            b"99999999999999999999",
            b"-1",
            b"+1",
            b" 1",
            b"1 ",
            b"loud",
            b"0x10",
            b"007",
        ])
        .prop_map(|s| s.to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    prop_oneof![
        4 => (name, value).prop_map(|(n, v)| [n, b"=", &v].concat()),
        1 => proptest::collection::vec(any::<u8>(), 0..12),
        1 => Just(b"TINI_VERBOSITY".to_vec()),
    ]
}

fn invocation() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<Vec<u8>>)> {
    (
        argv0(),
        proptest::collection::vec(arg(), 0..10),
        proptest::collection::vec(env_entry(), 0..5),
    )
        .prop_map(|(a0, mut rest, env)| {
            rest.insert(0, a0);
            (rest, env)
        })
}

fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    TestRunner::new(PtConfig {
        cases,
        failure_persistence: None,
        ..PtConfig::default()
    })
}

/// Runs `strategy` through `test` and prints the number of cases.
fn prop<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let mut r = runner(cases);
    let n = std::sync::atomic::AtomicUsize::new(0);
    let result = r.run(&strategy, |v| {
        n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        test(v);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!("props::{name}: {} cases", n.into_inner());
}

// ---------------------------------------------------------------------
// Command line and environment.
// ---------------------------------------------------------------------

#[test]
fn parse_matches_model_for_arbitrary_invocations() {
    prop("parse", 100_000, invocation(), |(argv, env)| {
        check_case(&argv, &env)
    });
}

#[test]
fn parse_takes_arbitrary_bytes() {
    // Unbiased: any bytes at all, any number of arguments.
    let s = (
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..40),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..20),
    );
    prop("parse_bytes", 20_000, s, |(argv, env)| {
        check_case(&argv, &env)
    });
}

#[test]
fn parse_survives_huge_invocations() {
    // Thousands of options and long values: linear, no overflow.
    let many_v = std::iter::once(b"mite".to_vec())
        .chain(std::iter::repeat_n(b"-vvvvvvvv".to_vec(), 10_000))
        .chain([b"x".to_vec()])
        .collect::<Vec<_>>();
    check_case(&many_v, &[]);
    let long = vec![b'9'; 1 << 20];
    for a0 in [&b"mite"[..], b"tini"] {
        check_case(
            &[a0.to_vec(), b"-p".to_vec(), long.clone(), b"x".to_vec()],
            &[],
        );
        check_case(
            &[a0.to_vec(), b"-e".to_vec(), long.clone(), b"x".to_vec()],
            &[],
        );
        check_case(
            &[a0.to_vec(), [b"-e", &long[..]].concat(), b"x".to_vec()],
            &[],
        );
        let mut zeros = vec![b'0'; 1 << 20];
        zeros.push(b'9');
        check_case(&[a0.to_vec(), b"-e".to_vec(), zeros, b"x".to_vec()], &[]);
    }
    check_case(
        &[b"mite".to_vec(), b"x".to_vec()],
        &[[&b"TINI_VERBOSITY="[..], &long].concat()],
    );
}

/// Every sequence of up to four tokens of a small tricky vocabulary, for
/// both personalities and two environments.
#[test]
fn parse_exhaustive_small_vocabulary() {
    const TOKENS: &[&[u8]] = &[
        b"",
        b"-",
        b"--",
        b"-e",
        b"-e=",
        b"143",
        b"-p",
        b"SIGKILL",
        b"-sg",
        b"-x",
        b"--help",
        b"--version",
        b"--pgroup=1",
    ];
    let envs: [Vec<Vec<u8>>; 3] = [
        vec![],
        vec![b"TINI_SUBREAPER=".to_vec(), b"TINI_VERBOSITY=2".to_vec()],
        vec![b"TINI_VERBOSITY=x".to_vec()],
    ];
    let mut cases = 0usize;
    for argv0 in [&b"mite"[..], b"/usr/bin/tini"] {
        for env in &envs {
            let mut seqs: Vec<Vec<&[u8]>> = vec![vec![]];
            for _len in 0..4 {
                let mut next = Vec::new();
                for s in &seqs {
                    for t in TOKENS {
                        let mut s = s.clone();
                        s.push(t);
                        next.push(s);
                    }
                }
                for s in seqs.iter().chain(next.iter().filter(|s| s.len() == 4)) {
                    let mut argv = vec![argv0.to_vec()];
                    argv.extend(s.iter().map(|t| t.to_vec()));
                    check_case(&argv, env);
                    cases += 1;
                }
                seqs = next;
                seqs.retain(|s| s.len() < 4);
                if seqs.is_empty() {
                    break;
                }
            }
        }
    }
    let per = (0..=4).map(|k| TOKENS.len().pow(k)).sum::<usize>();
    assert_eq!(cases, per * 2 * envs.len());
    eprintln!("props::parse_exhaustive: {cases} cases");
}

#[test]
fn no_argv_at_all() {
    // execve(path, NULL, NULL) gives argc 0: no argv[0], no program.
    check_case(&[], &[]);
    check_case(&[], &[b"TINI_VERBOSITY=x".to_vec()]);
}

#[test]
fn personality_of_any_argv0() {
    prop("personality", 20_000, argv0(), |a0| {
        let a0 = c_str(&a0);
        assert_eq!(Personality::from_argv0(&a0), model_personality(&a0));
        let b = cli::basename(&a0);
        assert!(!b.contains(&b'/') && a0.ends_with(b));
    });
}

// ---------------------------------------------------------------------
// Signals.
// ---------------------------------------------------------------------

#[test]
fn signal_names_and_numbers_round_trip() {
    let mut cases = 0;
    for n in 1..=64u32 {
        let s = Signal::new(n).unwrap();
        assert_eq!(signal::parse(n.to_string().as_bytes()), Some(s));
        assert_eq!(signal::parse(format!("000{n}").as_bytes()), Some(s));
        assert_eq!(signal::parse_strict(n.to_string().as_bytes()), None);
        cases += 3;
        match signal::name(s) {
            Some(name) => {
                assert!(n <= 31);
                assert_eq!(name, SIGNAL_NAMES[n as usize - 1].as_bytes());
                assert_eq!(signal::parse(name), Some(s));
                let full = [b"SIG", name].concat();
                assert_eq!(signal::parse(&full), Some(s));
                assert_eq!(signal::parse_strict(&full), Some(s));
                assert_eq!(signal::parse_strict(name), None);
                assert_eq!(signal::parse_strict(&full.to_ascii_lowercase()), None);
                cases += 5;
            }
            None => assert!(n >= 32, "signal {n} has no name"),
        }
        if n >= 32 {
            // Real-time signals have no name: by number only.
            assert_eq!(
                signal::parse(format!("SIGRTMIN+{}", n - 32).as_bytes()),
                None
            );
            cases += 1;
        }
    }
    for bad in [0u64, 65, 255, 256, 1 << 32, u64::MAX] {
        assert_eq!(signal::parse(bad.to_string().as_bytes()), None, "{bad}");
        cases += 1;
    }
    assert!(Signal::new(0).is_none() && Signal::new(65).is_none());
    eprintln!("props::signal_round_trip: {cases} cases");
}

fn signal_word() -> impl Strategy<Value = Vec<u8>> {
    let names: Vec<Vec<u8>> = SIGNAL_NAMES
        .iter()
        .map(|n| n.as_bytes().to_vec())
        .chain(["RTMIN", "RTMAX", "RTMIN+", "RTMAX-", "RT", "SIG", ""].map(|s| s.into()))
        .collect();
    prop_oneof![
        // [SIG]NAME[+-digits] in random case.
        3 => (
            any::<bool>(),
            proptest::sample::select(names),
            proptest::option::of((proptest::sample::select(&[b'+', b'-', b'0'][..]), 0u32..70)),
            proptest::collection::vec(any::<bool>(), 20),
        )
            .prop_map(|(sig, name, suffix, case)| {
                let mut w = if sig { b"SIG".to_vec() } else { vec![] };
                w.extend(name);
                if let Some((c, d)) = suffix {
                    w.push(c);
                    w.extend(d.to_string().bytes());
                }
                for (c, lower) in w.iter_mut().zip(case) {
                    if lower {
                        *c = c.to_ascii_lowercase();
                    }
                }
                w
            }),
        1 => (0u64..200).prop_map(|n| n.to_string().into_bytes()),
        1 => any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        1 => proptest::collection::vec(any::<u8>(), 0..16),
    ]
}

#[test]
fn signal_parse_matches_model() {
    prop("signal_parse", 50_000, signal_word(), |w| {
        let got = signal::parse(&w).map(Signal::get);
        assert_eq!(
            got,
            model_signal(&w),
            "parse {:?}",
            String::from_utf8_lossy(&w)
        );
        let strict = signal::parse_strict(&w).map(Signal::get);
        assert_eq!(
            strict,
            model_signal_strict(&w),
            "strict {:?}",
            String::from_utf8_lossy(&w)
        );
        // parse_strict accepts only SIG-prefixed upper-case spellings, and
        // then agrees with parse.
        if strict.is_some() {
            assert!(w.starts_with(b"SIG") && !w.iter().any(u8::is_ascii_lowercase));
            assert_eq!(strict, got);
        }
        if let Some(n) = got {
            assert!((1..=64).contains(&n));
        }
    });
}

#[test]
fn signal_names_for_any_number() {
    prop("signal_name", 5_000, 1u32..=64, |n| {
        let s = Signal::new(n).unwrap();
        assert_eq!(s.get(), n);
        if let Some(name) = signal::name(s) {
            assert_eq!(signal::parse(name), Some(s));
            assert_eq!(signal::parse(&name.to_ascii_lowercase()), Some(s));
        }
    });
    prop("signal_new", 5_000, any::<u32>(), |n| {
        assert_eq!(
            Signal::new(n).map(Signal::get),
            (1..=64).contains(&n).then_some(n)
        );
    });
}

#[test]
fn parse_u32_matches_model() {
    let s = (
        prop_oneof![
            proptest::collection::vec(proptest::sample::select(&b"0123456789+- x"[..]), 0..25),
            any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        ],
        prop_oneof![Just(255u32), Just(64), Just(u32::MAX), any::<u32>()],
    );
    prop("parse_u32", 30_000, s, |(w, max)| {
        assert_eq!(
            signal::parse_u32(&w, max).map(u64::from),
            model_number(&w, u64::from(max)),
            "{:?} max {max}",
            String::from_utf8_lossy(&w)
        );
    });
}

// ---------------------------------------------------------------------
// Exit statuses.
// ---------------------------------------------------------------------

// The libc wait-status macros, as glibc defines them, in plain arithmetic.
fn wifexited(s: i32) -> bool {
    s & 0x7f == 0
}
fn wexitstatus(s: i32) -> i32 {
    (s & 0xff00) >> 8
}
fn wifsignaled(s: i32) -> bool {
    (((s & 0x7f) + 1) as i8 >> 1) > 0
}
fn wtermsig(s: i32) -> i32 {
    s & 0x7f
}
fn wifstopped(s: i32) -> bool {
    s & 0xff == 0x7f
}
fn wifcontinued(s: i32) -> bool {
    s == 0xffff
}

fn status_word() -> impl Strategy<Value = i32> {
    prop_oneof![
        any::<i32>(),
        (0..=255i32).prop_map(|c| c << 8),
        (1..=64i32, any::<bool>()).prop_map(|(s, core)| s | if core { 0x80 } else { 0 }),
        (1..=64i32).prop_map(|s| s << 8 | 0x7f),
        Just(0xffff),
        Just(0x7f),
        Just(0xff),
        Just(i32::MIN),
        Just(-1),
    ]
}

fn exit_map() -> impl Strategy<Value = BTreeSet<u8>> {
    proptest::collection::btree_set(any::<u8>(), 0..40)
}

#[test]
fn decode_matches_libc_macros() {
    prop(
        "decode",
        100_000,
        (status_word(), exit_map()),
        |(s, set)| {
            let mut map = ExitMap::default();
            for &c in &set {
                map.insert(c);
            }
            let d = status::decode(s);
            if wifexited(s) {
                assert_eq!(d, Some(Ended::Exited(wexitstatus(s) as u8)), "{s:#x}");
            } else if wifsignaled(s) {
                assert_eq!(d, Some(Ended::Killed(wtermsig(s) as u8)), "{s:#x}");
            } else {
                assert_eq!(d, None, "{s:#x}");
                // What is left: stops (and 0xff, which wait never reports).
                assert!(
                    wifstopped(s) || wifcontinued(s) || s & 0x7f == 0x7f,
                    "{s:#x}"
                );
            }
            if let Some(e) = d {
                // What a shell reports, then `-e` applied.
                let raw = if wifexited(s) {
                    wexitstatus(s)
                } else {
                    128 + wtermsig(s)
                };
                assert!((0..=255).contains(&raw));
                let want = if set.contains(&(raw as u8)) {
                    0
                } else {
                    raw as u8
                };
                assert_eq!(status::exit_code(e, &map), want, "{s:#x} {set:?}");
            }
        },
    );
}

#[test]
fn exit_map_is_a_set() {
    prop(
        "exit_map",
        20_000,
        (exit_map(), any::<u8>()),
        |(set, probe)| {
            let mut map = ExitMap::default();
            for &c in &set {
                map.insert(c);
                map.insert(c); // idempotent
            }
            for c in 0..=255u8 {
                assert_eq!(map.contains(c), set.contains(&c), "{c} in {set:?}");
                assert_eq!(map.apply(c), if set.contains(&c) { 0 } else { c });
            }
            assert_eq!(map.contains(probe), set.contains(&probe));
        },
    );
}

#[test]
fn exec_failure_codes_for_any_errno() {
    prop("exec_failure_code", 20_000, -5000i32..5000, |e| {
        let code = status::exec_failure_code(Errno::new(e));
        let want = match e {
            2 => 127,               // ENOENT
            1 | 8 | 13 | 21 => 126, // EPERM ENOEXEC EACCES EISDIR
            _ => 1,
        };
        assert_eq!(code, want, "errno {e}");
    });
}

// ---------------------------------------------------------------------
// Output helpers.
// ---------------------------------------------------------------------

#[test]
fn num_and_strerror_for_any_input() {
    prop("num", 50_000, any::<u32>(), |v| {
        let mut b = [0; 10];
        assert_eq!(out::num(v, &mut b), v.to_string().as_bytes());
    });
    prop("strerror", 20_000, any::<i32>(), |e| {
        let t = out::strerror(Errno::new(e));
        assert!(
            !t.is_empty() && t.iter().all(|&c| (0x20..0x7f).contains(&c)),
            "{e}"
        );
    });
}

#[test]
fn find_opt_survives_any_table() {
    let s = (
        proptest::collection::vec(any::<u8>(), 0..40),
        proptest::collection::vec(any::<u8>(), 0..4),
        any::<bool>(),
    );
    prop("find_opt", 20_000, s, |(table, name, long)| {
        let _ = cli::find_opt(&table, &name, long);
        let _ = cli::position(&table, &name);
    });
    // The real tables: every letter and name of the docs is found.
    for c in b"spgevwlh" {
        assert!(cli::find_opt(cli::mite::TABLE, &[*c], false).is_some());
        assert!(cli::find_opt(cli::tini::TABLE, &[*c], false).is_some());
    }
    for c in 0..=255u8 {
        if !b"spgevwlh".contains(&c) {
            assert!(
                cli::find_opt(cli::mite::TABLE, &[c], false).is_none(),
                "{c}"
            );
            assert!(
                cli::find_opt(cli::tini::TABLE, &[c], false).is_none(),
                "{c}"
            );
        }
    }
}
