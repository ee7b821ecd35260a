//! Helpers for the table-driven unit tests of each personality (test
//! builds only): `parsed("tini -s -- x", &[])` parses a command line as
//! the kernel would hand it over and describes the outcome in one short
//! line; `table_is_sound` checks a packed option table against the
//! documented options and the personality's help text.

use super::{find_opt, flag, opt, options, parse, Command, Config, Personality, UsageError};
use crate::signal::Signal;
use crate::sys::OwnedArgv;
use crate::testkit::show;

/// Splits a command line on spaces; `'...'` quotes a word with spaces or
/// an empty one (`''`).
pub fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in cmd.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

/// Flag bits by the name `parsed` shows them with (the subreaper bits are
/// shown as `reaper=`).
const FLAGS: &[(u32, &str)] = &[
    (flag::WARN_NO_REAPER, "warn-no-reaper"),
    (flag::WARN_REAP, "warn-reap"),
    (flag::PGROUP, "pgroup"),
    (flag::SIGNAL_ALL, "signal-all"),
    (flag::SETSID, "setsid"),
    (flag::OWN_GROUP, "own-group"),
    (flag::PAUSE, "pause"),
    (flag::CLOSE_FDS, "close-fds"),
    (flag::LISTEN_PID, "listen-pid"),
    (flag::CHDIR_ROOT, "chdir-root"),
];

fn reaper(c: &Config<'_>) -> &'static str {
    match (c.on(flag::SUBREAPER), c.on(flag::SOFT_REAPER)) {
        (false, _) => "off",
        (true, true) => "soft",
        (true, false) => "hard",
    }
}

fn sig(s: Option<Signal>) -> String {
    s.map_or("none".into(), |s| s.get().to_string())
}

/// `cfg` as `run[PROGRAM...]` and what differs from `base`, in a fixed
/// order: `reaper=`, `+flag`/`-flag`, `v=`, `p=`, `r=S:R,...` (the
/// rewrites that differ; R 0 drops S), `e=`, `grace=`, `drain=`,
/// `timeout=`, `tsig=`.
pub fn describe(cfg: &Config<'_>, base: &Config<'_>) -> String {
    let program: Vec<String> = cfg.child.iter().map(show).collect();
    let mut s = format!("run[{}]", program.join(" "));
    let mut add = |part: String| {
        s.push(' ');
        s.push_str(&part);
    };
    if reaper(cfg) != reaper(base) {
        add(format!("reaper={}", reaper(cfg)));
    }
    for &(bit, name) in FLAGS {
        match (cfg.on(bit), base.on(bit)) {
            (true, false) => add(format!("+{name}")),
            (false, true) => add(format!("-{name}")),
            _ => {}
        }
    }
    if cfg.verbosity != base.verbosity {
        add(format!("v={}", cfg.verbosity));
    }
    if cfg.pdeathsig != base.pdeathsig {
        add(format!("p={}", sig(cfg.pdeathsig)));
    }
    let rewrites: Vec<String> = (1..=64)
        .filter_map(Signal::new)
        .filter(|&s| cfg.rewrite.get(s) != base.rewrite.get(s))
        .map(|s| {
            let to = cfg.rewrite.get(s).map_or("as-is".into(), |r| r.to_string());
            format!("{}:{to}", s.get())
        })
        .collect();
    if !rewrites.is_empty() {
        add(format!("r={}", rewrites.join(",")));
    }
    if cfg.remap != base.remap {
        let codes: Vec<String> = (0..=255u8)
            .filter(|&c| cfg.remap.contains(c))
            .map(|c| c.to_string())
            .collect();
        add(format!("e={}", codes.join(",")));
    }
    if cfg.grace != base.grace {
        add(format!("grace={}", cfg.grace));
    }
    if cfg.drain_signal != base.drain_signal {
        add(format!("drain={}", sig(cfg.drain_signal)));
    }
    if cfg.timeout != base.timeout {
        add(format!("timeout={}", cfg.timeout));
    }
    if cfg.timeout_signal != base.timeout_signal {
        add(format!("tsig={}", cfg.timeout_signal.get()));
    }
    s
}

/// A refusal in one line: `unknown -x`, `unknown --bogus=1`,
/// `missing -p`, `unexpected --pgroup`, `bad -p FOO`, `bad --grace x`,
/// `badenv MITE_GRACE=x`, `reserved` (CATATONIT_LOG), `noprogram`.
pub fn refusal(e: &UsageError<'_>) -> String {
    let opt =
        |o: &super::OptName<'_>| format!("{}{}", if o.long { "--" } else { "-" }, show(o.name));
    match e {
        UsageError::UnknownOption(o) => format!("unknown {}", opt(o)),
        UsageError::MissingValue(o) => format!("missing {}", opt(o)),
        UsageError::UnexpectedValue(o) => format!("unexpected {}", opt(o)),
        UsageError::BadValue(o, v) => format!("bad {} {}", opt(o), show(v)),
        UsageError::BadEnv(n, v) => format!("badenv {}={}", show(n), show(v)),
        UsageError::Reserved => "reserved".into(),
        UsageError::NoProgram => "noprogram".into(),
    }
}

/// Parses `cmd` (argv[0] first, which picks the personality) with the
/// environment `env`; the outcome in one line: `help`, `version`,
/// `license`, a `refusal`, or `describe` against what the personality
/// does with a bare program and no environment (`tini x`; `pause` alone),
/// so that a case shows what its options and variables change.
pub fn parsed(cmd: &str, env: &[&str]) -> String {
    let argv0 = words(cmd).into_iter().next().unwrap_or_default();
    let p = Personality::from_argv0(argv0.as_bytes());
    let bare = if p == Personality::Pause {
        OwnedArgv::new(&[argv0.as_str()])
    } else {
        OwnedArgv::new(&[argv0.as_str(), "x"])
    };
    let none = OwnedArgv::new::<&str>(&[]);
    let mut base = Config::new(p, bare.argv());
    let r = parse(bare.argv(), none.argv(), &mut base);
    assert_eq!(r, Ok(Command::Run), "{argv0} x: refused");
    outcome(cmd, env, &base)
}

/// The outcome of `cmd` described against the same base for every
/// personality (no flag, verbosity 1, TERM for the drain and the
/// timeout, nothing else): the personality's own defaults in full.
pub fn absolute(cmd: &str, env: &[&str]) -> String {
    let none = OwnedArgv::new::<&str>(&[]);
    let mut base = Config::new(Personality::Pause, none.argv());
    base.flags = 0;
    outcome(cmd, env, &base)
}

fn outcome(cmd: &str, env: &[&str], base: &Config<'_>) -> String {
    let argv = OwnedArgv::new(&words(cmd));
    let envp = OwnedArgv::new(env);
    let a = argv.argv();
    let p = Personality::from_argv0(a.get(0).unwrap_or(b""));
    let mut cfg = Config::new(p, a);
    match parse(a, envp.argv(), &mut cfg) {
        Ok(Command::Run) => describe(&cfg, base),
        Ok(Command::Help) => "help".into(),
        Ok(Command::Version) => "version".into(),
        Ok(Command::License) => "license".into(),
        Err(e) => refusal(&e),
    }
}

/// Checks a table of `(command line, environment, outcome)`; reports
/// every mismatch at once.
#[track_caller]
pub fn check(cases: &[(&str, &[&str], &str)]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(cmd, env, want)| {
            let got = parsed(cmd, env);
            (got != want).then(|| format!("{cmd:?} {env:?}:\n    want {want}\n     got {got}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// A packed text as it is printed: each byte from 0x80 is its word.
pub fn unpacked(text: &[u8]) -> String {
    let mut v = Vec::new();
    for &c in text {
        match c {
            0x80.. => v.extend_from_slice(crate::pack::word(c)),
            c => v.push(c),
        }
    }
    show(&v)
}

/// True when `word` stands alone in `text`: not inside a longer option,
/// name or word (`-s` is not in `-sg` nor `--setsid`, `--timeout` not in
/// `--timeout-signal`).
pub fn has_word(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word)
        .any(|(i, _)| !text[..i].ends_with(part) && !text[i + word.len()..].starts_with(part))
}

/// A packed option table holds exactly `letters` and `longs` (the
/// documented options), each found by its letter and by its long name,
/// no letter or name twice; the options taking a value are exactly
/// `valued` (letters or long names); `help` (packed, as printed) names
/// every one of them, `-x` and `--name`.
#[track_caller]
pub fn table_is_sound(table: &[u8], help: &[u8], letters: &str, longs: &[&str], valued: &[&str]) {
    let help = unpacked(help);
    let entries: Vec<_> = options(table).collect();
    let mut seen_letters = Vec::new();
    let mut seen_longs = Vec::new();
    for o in &entries {
        let what = format!("-{} --{}", o.letter as char, show(o.long));
        assert!(
            o.letter != 0 || !o.long.is_empty(),
            "{what}: neither letter nor name"
        );
        if o.letter != 0 {
            assert!(!seen_letters.contains(&o.letter), "{what}: letter twice");
            seen_letters.push(o.letter);
            assert_eq!(find_opt(table, &[o.letter], false), Some(o.code), "{what}");
            let short = format!("-{}", o.letter as char);
            assert!(has_word(&help, &short), "{short} not in the help:\n{help}");
        }
        if !o.long.is_empty() {
            assert!(!seen_longs.contains(&o.long), "{what}: name twice");
            seen_longs.push(o.long);
            assert_eq!(find_opt(table, o.long, true), Some(o.code), "{what}");
            let long = format!("--{}", show(o.long));
            assert!(has_word(&help, &long), "{long} not in the help:\n{help}");
        }
        let takes = o.code & opt::VALUE != 0;
        let named = valued
            .iter()
            .any(|v| v.as_bytes() == o.long || (v.len() == 1 && v.as_bytes()[0] == o.letter));
        assert_eq!(takes, named, "{what}: takes a value?");
    }
    let mut want: Vec<u8> = letters.bytes().collect();
    want.sort_unstable();
    seen_letters.sort_unstable();
    assert_eq!(show(&seen_letters), show(&want), "letters");
    let mut want: Vec<&[u8]> = longs.iter().map(|l| l.as_bytes()).collect();
    want.sort_unstable();
    seen_longs.sort_unstable();
    assert_eq!(seen_longs, want, "long names");
}
