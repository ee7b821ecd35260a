//! Property tests of the command-line parser (test builds only).
//!
//! `cli::parse` is checked against `model`, a second, naive reading of the
//! documented grammar of the five personalities (DESIGN.md "Personalities",
//! the README's options table and "Personalities" with their deliberate
//! differences, issues 8 and 9), written from those texts and not from the
//! engine: its own option tables, its own walk over argv, its own reading
//! of the environment. For arbitrary argv and environments (biased toward
//! the tricky words of getopt parsers and the variables mite reads), every
//! personality must give exactly the model's answer, never panic, and keep
//! the invariants of `check_invariants`. An exhaustive pass runs every
//! sequence of up to four tokens of a small vocabulary through the same
//! checks, for every personality and three environments each.
//!
//! Each property prints how many cases it ran (`cargo test --release --lib
//! -- --nocapture`); `PROPTEST_CASES` sets the number of random ones.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::testing::words;
use super::{flag, Command, Config, Personality, UsageError};
use crate::bytes::props::model_number;
use crate::signal::props::{model_signal, model_signal_strict};
use crate::signal::Signal;
use crate::sys::{Argv, OwnedArgv};
use crate::testkit::{prop, report, show, show_all};

// ---------------------------------------------------------------------
// The model: the documented grammar, written the obvious way.
// ---------------------------------------------------------------------

/// What mite does beyond the values: the features of the docs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Feat {
    /// Warn when neither PID 1 nor a subreaper (tini's warning).
    WarnNoReaper,
    /// `-w`: warn for each zombie reaped.
    WarnReap,
    /// `-g`: signals to the child's process group.
    Pgroup,
    /// `--signal-all`.
    SignalAll,
    /// dumb-init's session and job-control mode (`--setsid`).
    Setsid,
    /// The child in a process group of its own (tini, catatonit).
    OwnGroup,
    /// No child: reap until SIGINT or SIGTERM (`-P`, pause).
    Pause,
    /// Close inherited descriptors >= 3 after the spawn (catatonit).
    CloseFds,
    /// Rewrite LISTEN_PID for the child (catatonit).
    ListenPid,
    /// chdir("/") after the spawn.
    ChdirRoot,
}

/// Whether mite becomes a child subreaper when not PID 1, and what a
/// failure to become one does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reaper {
    Off,
    /// Try; on failure only warn (mite's default).
    Soft,
    /// Must: failure is fatal (`-s`, TINI_SUBREAPER, catatonit).
    Hard,
}

/// What an option does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Act {
    On(Feat),
    Subreaper,
    /// dumb-init's `-c`: no session.
    SingleChild,
    /// One more level of messages.
    Verbose,
    /// Every message (dumb-init's `-v`).
    Debug,
    Pdeathsig,
    Remap,
    Rewrite,
    Grace,
    DrainSignal,
    Timeout,
    TimeoutSignal,
    Help,
    Version,
    License,
}

impl Act {
    fn takes_value(self) -> bool {
        matches!(
            self,
            Act::Pdeathsig
                | Act::Remap
                | Act::Rewrite
                | Act::Grace
                | Act::DrainSignal
                | Act::Timeout
                | Act::TimeoutSignal
        )
    }
}

/// An option: its letter (0: none), its long name ("": none).
struct Spec {
    letter: u8,
    long: &'static str,
    act: Act,
}

const fn o(letter: u8, long: &'static str, act: Act) -> Spec {
    Spec { letter, long, act }
}

/// mite's own CLI: tini's letters with long names, and the extensions.
const MITE: &[Spec] = &[
    o(b's', "subreaper", Act::Subreaper),
    o(b'p', "pdeathsig", Act::Pdeathsig),
    o(b'g', "pgroup", Act::On(Feat::Pgroup)),
    o(0, "signal-all", Act::On(Feat::SignalAll)),
    o(b'r', "rewrite", Act::Rewrite),
    o(0, "setsid", Act::On(Feat::Setsid)),
    o(b'e', "remap-exit", Act::Remap),
    o(0, "grace", Act::Grace),
    o(0, "drain-signal", Act::DrainSignal),
    o(0, "timeout", Act::Timeout),
    o(0, "timeout-signal", Act::TimeoutSignal),
    o(b'P', "pause", Act::On(Feat::Pause)),
    o(b'v', "verbose", Act::Verbose),
    o(b'w', "warn-reap", Act::On(Feat::WarnReap)),
    o(b'l', "license", Act::License),
    o(b'h', "help", Act::Help),
    o(0, "version", Act::Version),
];

/// tini 0.19: short options, and `--version`.
const TINI: &[Spec] = &[
    o(b's', "", Act::Subreaper),
    o(b'p', "", Act::Pdeathsig),
    o(b'g', "", Act::On(Feat::Pgroup)),
    o(b'e', "", Act::Remap),
    o(b'v', "", Act::Verbose),
    o(b'w', "", Act::On(Feat::WarnReap)),
    o(b'l', "", Act::License),
    o(b'h', "", Act::Help),
    o(0, "version", Act::Version),
];

/// dumb-init 1.2.5: getopt_long "+hvVcr:".
const DUMB_INIT: &[Spec] = &[
    o(b'h', "help", Act::Help),
    o(b'c', "single-child", Act::SingleChild),
    o(b'r', "rewrite", Act::Rewrite),
    o(b'v', "verbose", Act::Debug),
    o(b'V', "version", Act::Version),
];

/// catatonit 0.1.7: "ghLPV" and `--version`.
const CATATONIT: &[Spec] = &[
    o(b'g', "", Act::On(Feat::Pgroup)),
    o(b'h', "", Act::Help),
    o(b'L', "", Act::License),
    o(b'P', "", Act::On(Feat::Pause)),
    o(b'V', "version", Act::Version),
];

fn grammar(p: Personality) -> &'static [Spec] {
    match p {
        Personality::Mite => MITE,
        Personality::Tini => TINI,
        Personality::DumbInit => DUMB_INIT,
        Personality::Catatonit => CATATONIT,
        Personality::Pause => &[],
    }
}

/// One option of a word: (long?, its name, its spec (None: unknown), the
/// value in the same word).
type Item = (bool, Vec<u8>, Option<&'static Spec>, Option<Vec<u8>>);

/// The configuration of a run, owned, so that the model and the real
/// parser compare with `==`.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Run {
    /// The program and its arguments (empty in pause mode).
    program: Vec<Vec<u8>>,
    reaper: Reaper,
    feats: BTreeSet<Feat>,
    verbosity: u32,
    pdeathsig: Option<u32>,
    /// Signal -> what it is forwarded as (0: dropped).
    rewrite: BTreeMap<u32, u32>,
    remap: BTreeSet<u8>,
    grace: u32,
    drain_signal: Option<u32>,
    timeout: u32,
    timeout_signal: u32,
}

/// What a parse ends with.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Outcome {
    Run(Run),
    Help,
    Version,
    License,
    /// (long?, the option as typed, without the dashes)
    Unknown(bool, Vec<u8>),
    Missing(bool, Vec<u8>),
    Unexpected(bool, Vec<u8>),
    /// (long?, the option's name, the value)
    BadValue(bool, Vec<u8>, Vec<u8>),
    /// (variable, value)
    BadEnv(Vec<u8>, Vec<u8>),
    /// catatonit's CATATONIT_LOG, "reserved for future use", is set.
    Reserved,
    NoProgram,
}

/// The personality of an argv[0]: by its basename.
fn model_personality(argv0: &[u8]) -> Personality {
    let base = argv0.rsplit(|&c| c == b'/').next().unwrap_or(b"");
    match base {
        b"tini" | b"tini-static" | b"docker-init" | b"podman-init" => Personality::Tini,
        b"dumb-init" => Personality::DumbInit,
        b"catatonit" => Personality::Catatonit,
        b"pause" => Personality::Pause,
        _ => Personality::Mite,
    }
}

/// Each personality's defaults (the briefing's "Per-personality
/// defaults"; everything else as tini: verbosity 1, drain and timeout
/// signal TERM, no grace, no timeout).
fn defaults(p: Personality) -> Run {
    use Feat::*;
    let mut r = Run {
        program: Vec::new(),
        reaper: Reaper::Off,
        feats: BTreeSet::new(),
        verbosity: 1,
        pdeathsig: None,
        rewrite: BTreeMap::new(),
        remap: BTreeSet::new(),
        grace: 0,
        drain_signal: Some(15),
        timeout: 0,
        timeout_signal: 15,
    };
    match p {
        Personality::Mite => {
            r.reaper = Reaper::Soft;
            r.feats = BTreeSet::from([WarnNoReaper, OwnGroup, CloseFds, ListenPid, ChdirRoot]);
            r.grace = 3;
        }
        Personality::Tini => r.feats = BTreeSet::from([WarnNoReaper, OwnGroup]),
        Personality::DumbInit => r.feats = BTreeSet::from([Setsid, ChdirRoot]),
        Personality::Catatonit => {
            r.reaper = Reaper::Hard;
            r.feats = BTreeSet::from([OwnGroup, CloseFds, ListenPid, ChdirRoot]);
            r.verbosity = 0;
            // TSTP, TTIN, TTOU are dropped.
            r.rewrite = BTreeMap::from([(20, 0), (21, 0), (22, 0)]);
        }
        Personality::Pause => r.feats = BTreeSet::from([Pause]),
    }
    r
}

/// The value of `name` in `env`, as getenv(3): the first `name=value`.
fn getenv<'e>(env: &'e [Vec<u8>], name: &[u8]) -> Option<&'e [u8]> {
    env.iter()
        .find_map(|e| e.strip_prefix(name)?.strip_prefix(b"="))
}

/// dumb-init's `-r S:R` as mite takes it: digits only on both sides of
/// the first colon, S in 1..=31, R in 0..=31 (README: "`-r` takes digits
/// only"; dumb-init's `sscanf("%d:%d")` also takes ` +15:3x`).
fn model_rewrite_numbers(v: &[u8]) -> Option<(u32, u32)> {
    let colon = v.iter().position(|&c| c == b':')?;
    let s = model_number(&v[..colon], 31)?;
    let r = model_number(&v[colon + 1..], 31)?;
    (s >= 1).then_some((s as u32, r as u32))
}

/// mite's `S:R`: signals by name or number, R = 0 drops S.
fn model_rewrite_names(v: &[u8]) -> Option<(u32, u32)> {
    let colon = v.iter().position(|&c| c == b':')?;
    let (s, r) = (&v[..colon], &v[colon + 1..]);
    let r = if r == b"0" { 0 } else { model_signal(r)? };
    Some((model_signal(s)?, r))
}

/// The longest time mite takes: 2^24 seconds (194 days). The docs give
/// no limit; this one is mite's.
const MAX_SECS: u64 = 1 << 24;

impl Run {
    /// Sets a switch on (`on`) or off, as an option or `MITE_X=1/0`.
    fn switch(&mut self, act: Act, on: bool) {
        match (act, on) {
            (Act::Subreaper, true) => self.reaper = Reaper::Hard,
            (Act::Subreaper, false) => self.reaper = Reaper::Off,
            (Act::On(f), true) => {
                self.feats.insert(f);
            }
            (Act::On(f), false) => {
                self.feats.remove(&f);
            }
            (Act::SingleChild, _) => {
                self.feats.remove(&Feat::Setsid);
            }
            _ => unreachable!("{act:?} is no switch"),
        }
    }

    /// Applies a value; `mites` selects mite's own value grammar (its
    /// command line and every MITE_* variable) over the reference's.
    fn value(&mut self, p: Personality, act: Act, v: &[u8], mites: bool) -> Option<()> {
        match act {
            Act::Pdeathsig if !mites && p == Personality::Tini => {
                self.pdeathsig = Some(model_signal_strict(v)?)
            }
            Act::Pdeathsig => self.pdeathsig = Some(model_signal(v)?),
            Act::Remap => {
                self.remap.insert(model_number(v, 255)? as u8);
            }
            Act::Rewrite => {
                let (s, r) = if !mites && p == Personality::DumbInit {
                    model_rewrite_numbers(v)?
                } else {
                    model_rewrite_names(v)?
                };
                self.rewrite.insert(s, r);
            }
            Act::Grace => self.grace = model_number(v, MAX_SECS)? as u32,
            Act::Timeout => self.timeout = model_number(v, MAX_SECS)? as u32,
            Act::DrainSignal if v == b"0" => self.drain_signal = None,
            Act::DrainSignal => self.drain_signal = Some(model_signal(v)?),
            Act::TimeoutSignal => self.timeout_signal = model_signal(v)?,
            _ => unreachable!("{act:?} takes no value"),
        }
        Some(())
    }

    /// The `MITE_*` variables, read first, in the order of the
    /// environment: `MITE_` and the long name of an option of mite's own
    /// CLI in upper case with `_` for `-`. Switches take 1 or 0,
    /// MITE_VERBOSE a number N of `-v` (N levels above the personality's
    /// default), the repeatable options (rewrite, remap-exit) a
    /// comma-separated list, the others one value. Other MITE_* names are
    /// ignored.
    #[allow(clippy::result_large_err)]
    fn mite_env(&mut self, p: Personality, env: &[Vec<u8>]) -> Result<(), Outcome> {
        for entry in env {
            let Some(rest) = entry.strip_prefix(b"MITE_") else {
                continue;
            };
            // An entry without `=` is the variable with an empty value.
            let (name, value) = match rest.iter().position(|&c| c == b'=') {
                Some(eq) => (&rest[..eq], &rest[eq + 1..]),
                None => (rest, &b""[..]),
            };
            let Some(spec) = MITE.iter().find(|s| {
                s.long.to_uppercase().replace('-', "_").as_bytes() == name
                    && !matches!(s.act, Act::Help | Act::Version | Act::License)
            }) else {
                continue;
            };
            let bad = || Outcome::BadEnv([&b"MITE_"[..], name].concat(), value.to_vec());
            match spec.act {
                Act::Verbose => {
                    let n = model_number(value, 9).ok_or_else(bad)?;
                    self.verbosity += n as u32;
                }
                Act::On(_) | Act::Subreaper => match value {
                    b"1" => self.switch(spec.act, true),
                    b"0" => self.switch(spec.act, false),
                    _ => return Err(bad()),
                },
                Act::Remap | Act::Rewrite => {
                    for v in value.split(|&c| c == b',') {
                        self.value(p, spec.act, v, true).ok_or_else(bad)?;
                    }
                }
                act => self.value(p, act, value, true).ok_or_else(bad)?,
            }
        }
        Ok(())
    }

    /// The options of argv: until `--` (the program follows it) or the
    /// first word that is no option (`-` alone is one: a program). Short
    /// options bundle (`-sg`), and one that takes a value takes the rest
    /// of its word or else the next word, whatever it is; long options
    /// are `--name`, `--name=value` or `--name value`, names in full.
    /// An option that answers by itself (help, version, license) ends the
    /// parse at once. Returns where the program starts.
    #[allow(clippy::result_large_err)]
    fn options(&mut self, p: Personality, argv: &[Vec<u8>]) -> Result<usize, Outcome> {
        let specs = grammar(p);
        let mut i = 1;
        loop {
            let Some(arg) = argv.get(i) else {
                return Ok(i);
            };
            i += 1;
            if arg == b"--" {
                return Ok(i);
            }
            let mut items: Vec<Item> = Vec::new();
            if let Some(body) = arg.strip_prefix(b"--") {
                let (name, inline) = match body.iter().position(|&c| c == b'=') {
                    Some(eq) => (&body[..eq], Some(body[eq + 1..].to_vec())),
                    None => (body, None),
                };
                let Some(spec) = specs
                    .iter()
                    .find(|s| !s.long.is_empty() && s.long.as_bytes() == name)
                else {
                    return Err(Outcome::Unknown(true, body.to_vec()));
                };
                if inline.is_some() && !spec.act.takes_value() {
                    return Err(Outcome::Unexpected(true, name.to_vec()));
                }
                items.push((true, name.to_vec(), Some(spec), inline));
            } else if arg.len() >= 2 && arg[0] == b'-' {
                for (k, &c) in arg.iter().enumerate().skip(1) {
                    let Some(spec) = specs.iter().find(|s| s.letter != 0 && s.letter == c) else {
                        // The letters before it count (`-hx` is help).
                        items.push((false, vec![c], None, None));
                        break;
                    };
                    if spec.act.takes_value() {
                        let rest = &arg[k + 1..];
                        let inline = (!rest.is_empty()).then(|| rest.to_vec());
                        items.push((false, vec![c], Some(spec), inline));
                        break;
                    }
                    items.push((false, vec![c], Some(spec), None));
                }
            } else {
                return Ok(i - 1);
            }
            for (long, name, spec, inline) in items {
                let Some(spec) = spec else {
                    return Err(Outcome::Unknown(false, name));
                };
                let act = spec.act;
                if !act.takes_value() {
                    match act {
                        Act::Help => return Err(Outcome::Help),
                        Act::Version => return Err(Outcome::Version),
                        Act::License => return Err(Outcome::License),
                        Act::Verbose => self.verbosity = self.verbosity.saturating_add(1),
                        Act::Debug => self.verbosity = 3,
                        _ => self.switch(act, true),
                    }
                    continue;
                }
                let value = match inline {
                    Some(v) => v,
                    None => match argv.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Err(Outcome::Missing(long, name)),
                    },
                };
                if self.value(p, act, &value, p == Personality::Mite).is_none() {
                    return Err(Outcome::BadValue(long, name, value));
                }
            }
        }
    }
}

/// The whole documented grammar: the MITE_* environment (every
/// personality), then the command line (which wins over it), with the
/// personality's own variables where the reference reads them (tini and
/// dumb-init after their options, catatonit before), then the program.
fn model(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Outcome {
    let p = model_personality(argv.first().map_or(&b""[..], |a| a));
    let mut run = defaults(p);
    if let Err(e) = run.mite_env(p, env) {
        return e;
    }
    if p == Personality::Catatonit {
        // catatonit reads its variables before its options: a reserved
        // CATATONIT_LOG is refused whatever the command line says.
        if getenv(env, b"CATATONIT_LOG").is_some() {
            return Outcome::Reserved;
        }
        if getenv(env, b"CATATONIT_DEBUG").is_some() {
            run.verbosity = 3;
        }
    }
    let start = if p == Personality::Pause {
        // No options: any argument -v, in any case, asks for the version;
        // so does --version (README: Docker's version probe).
        if argv
            .iter()
            .skip(1)
            .any(|a| a.eq_ignore_ascii_case(b"-v") || a == b"--version")
        {
            return Outcome::Version;
        }
        argv.len()
    } else {
        match run.options(p, argv) {
            Ok(start) => start,
            Err(answer) => return answer,
        }
    };
    match p {
        Personality::Mite | Personality::Tini => {
            // tini's: they only switch features on; TINI_VERBOSITY sets
            // the level whatever -v said.
            if getenv(env, b"TINI_SUBREAPER").is_some() {
                run.reaper = Reaper::Hard;
            }
            if getenv(env, b"TINI_KILL_PROCESS_GROUP").is_some() {
                run.feats.insert(Feat::Pgroup);
            }
            if let Some(v) = getenv(env, b"TINI_VERBOSITY") {
                match model_number(v, u64::from(u32::MAX)) {
                    Some(n) => run.verbosity = n as u32,
                    None => return Outcome::BadEnv(b"TINI_VERBOSITY".to_vec(), v.to_vec()),
                }
            }
        }
        Personality::DumbInit => {
            if getenv(env, b"DUMB_INIT_DEBUG") == Some(b"1") {
                run.verbosity = 3;
            }
            if getenv(env, b"DUMB_INIT_SETSID") == Some(b"0") {
                run.feats.remove(&Feat::Setsid);
            }
        }
        Personality::Catatonit | Personality::Pause => {}
    }
    if run.feats.contains(&Feat::Setsid) {
        // Job control: TSTP, TTIN, TTOU go on as SIGSTOP unless rewritten.
        for s in [20, 21, 22] {
            run.rewrite.entry(s).or_insert(19);
        }
    }
    run.program = argv.get(start..).unwrap_or(&[]).to_vec();
    if run.program.is_empty() && !run.feats.contains(&Feat::Pause) {
        return Outcome::NoProgram;
    }
    Outcome::Run(run)
}

// ---------------------------------------------------------------------
// The real parser, its outcome and its invariants.
// ---------------------------------------------------------------------

/// A C string ends at its first NUL: what the kernel would hand mite.
fn c_str(b: &[u8]) -> Vec<u8> {
    b.iter().take_while(|&&c| c != 0).copied().collect()
}

/// True when `s` lies inside one of the strings of `list` (a message then
/// names what the user typed, not a copy).
fn points_into(s: &[u8], list: Argv<'_>) -> bool {
    list.iter().any(|w| {
        let (lo, hi) = (w.as_ptr() as usize, w.as_ptr() as usize + w.len());
        let p = s.as_ptr() as usize;
        p >= lo && p + s.len() <= hi
    })
}

const FLAGS: &[(u32, Option<Feat>)] = &[
    (flag::SUBREAPER, None),
    (flag::SOFT_REAPER, None),
    (flag::WARN_NO_REAPER, Some(Feat::WarnNoReaper)),
    (flag::WARN_REAP, Some(Feat::WarnReap)),
    (flag::PGROUP, Some(Feat::Pgroup)),
    (flag::SIGNAL_ALL, Some(Feat::SignalAll)),
    (flag::SETSID, Some(Feat::Setsid)),
    (flag::OWN_GROUP, Some(Feat::OwnGroup)),
    (flag::PAUSE, Some(Feat::Pause)),
    (flag::CLOSE_FDS, Some(Feat::CloseFds)),
    (flag::LISTEN_PID, Some(Feat::ListenPid)),
    (flag::CHDIR_ROOT, Some(Feat::ChdirRoot)),
];

/// A parsed `Config` as the model's `Run`.
fn run_of(cfg: &Config<'_>) -> Run {
    let known = FLAGS.iter().fold(0, |a, f| a | f.0);
    assert_eq!(cfg.flags & !known, 0, "unknown flag bits {:#x}", cfg.flags);
    Run {
        program: cfg.child.iter().map(|w| w.to_vec()).collect(),
        reaper: match (cfg.on(flag::SUBREAPER), cfg.on(flag::SOFT_REAPER)) {
            (false, _) => Reaper::Off,
            (true, true) => Reaper::Soft,
            (true, false) => Reaper::Hard,
        },
        feats: FLAGS
            .iter()
            .filter(|f| cfg.on(f.0))
            .filter_map(|f| f.1)
            .collect(),
        verbosity: cfg.verbosity,
        pdeathsig: cfg.pdeathsig.map(Signal::get),
        rewrite: (1..=64)
            .filter_map(|n| Some((n, cfg.rewrite.get(Signal::new(n)?)?)))
            .collect(),
        remap: (0..=255u8).filter(|&c| cfg.remap.contains(c)).collect(),
        grace: cfg.grace,
        drain_signal: cfg.drain_signal.map(Signal::get),
        timeout: cfg.timeout,
        timeout_signal: cfg.timeout_signal.get(),
    }
}

/// Parses with the real parser, checks the invariants that hold whatever
/// the grammar's details, and returns the outcome.
fn parse_and_check(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Outcome {
    let owned = OwnedArgv::new(argv);
    let owned_env = OwnedArgv::new(env);
    let (a, e) = (owned.argv(), owned_env.argv());
    let argv0 = a.get(0).unwrap_or(b"");
    let p = Personality::from_argv0(argv0);
    assert_eq!(
        p,
        model_personality(argv0),
        "personality of {:?}",
        show(argv0)
    );
    let mut cfg = Config::new(p, a);
    let result = super::parse(a, e, &mut cfg);
    // The same input, parsed again, gives the same answer.
    let mut again = Config::new(p, a);
    assert_eq!(
        super::parse(a, e, &mut again),
        result,
        "parse is not a function"
    );
    let words = |x: &[u8]| argv.iter().skip(1).any(|w| w == x);
    // A short-option word holding letter `c`.
    let bundle = |c: u8| {
        argv.iter()
            .skip(1)
            .any(|w| w.len() >= 2 && w[0] == b'-' && w[1] != b'-' && w.contains(&c))
    };
    match result {
        Ok(Command::Run) => {
            let n = a.len() - cfg.child.len();
            // The program is a suffix of argv, in place (no copy), so
            // still NULL-terminated for execve.
            assert_eq!(cfg.child.as_ptr(), a.as_ptr().wrapping_add(n));
            if cfg.child.is_empty() {
                assert!(cfg.on(flag::PAUSE), "Run with no program");
            } else {
                assert!(n >= 1, "argv[0] taken as the program");
                assert!(p != Personality::Pause, "pause runs no program");
                // A program that looks like an option only ever follows
                // `--` (never a valid value, so then the end mark).
                let (first, prev) = (&argv[n], &argv[n - 1]);
                assert!(
                    prev == b"--" || first.len() < 2 || first[0] != b'-',
                    "program {:?} after {:?} looks like an option",
                    show(first),
                    show(prev)
                );
                // After switches only, the first `--` ends the options.
                let switches: &[u8] = match p {
                    Personality::Mite => b"sgvwP",
                    Personality::Tini => b"sgvw",
                    Personality::DumbInit => b"cv",
                    _ => b"gP",
                };
                let only = |x: &Vec<u8>| {
                    x.len() >= 2 && x[0] == b'-' && x[1..].iter().all(|c| switches.contains(c))
                };
                if let Some(d) = argv.iter().skip(1).position(|x| x == b"--") {
                    if argv[1..=d].iter().all(only) {
                        assert_eq!(n, d + 2, "program not right after the first --");
                    }
                }
            }
            Outcome::Run(run_of(&cfg))
        }
        Ok(Command::Help) => {
            assert!(words(b"--help") || bundle(b'h'), "help unasked");
            Outcome::Help
        }
        Ok(Command::Version) => {
            let pause_v = p == Personality::Pause
                && argv.iter().skip(1).any(|w| w.eq_ignore_ascii_case(b"-v"));
            assert!(
                words(b"--version") || bundle(b'V') || pause_v,
                "version unasked"
            );
            Outcome::Version
        }
        Ok(Command::License) => {
            assert!(
                words(b"--license") || bundle(b'l') || bundle(b'L'),
                "license unasked"
            );
            Outcome::License
        }
        Err(err) => {
            // Every error names what the user typed, in place.
            match err {
                UsageError::UnknownOption(o)
                | UsageError::MissingValue(o)
                | UsageError::UnexpectedValue(o) => {
                    assert!(points_into(o.name, a) && (o.long || !o.name.is_empty()))
                }
                UsageError::BadValue(o, v) => {
                    assert!(points_into(o.name, a));
                    assert!(v.is_empty() || points_into(v, a) || points_into(v, e));
                }
                UsageError::BadEnv(n, v) => {
                    assert!(v.is_empty() || points_into(v, e), "value not from env");
                    assert!(
                        env.iter().any(|x| x.starts_with(n)),
                        "no variable {:?}",
                        show(n)
                    );
                }
                UsageError::Reserved => {
                    assert!(p == Personality::Catatonit, "Reserved for {p:?}");
                    assert!(env.iter().any(|x| x.starts_with(b"CATATONIT_LOG=")));
                }
                UsageError::NoProgram => {}
            }
            match err {
                UsageError::UnknownOption(o) => Outcome::Unknown(o.long, o.name.to_vec()),
                UsageError::MissingValue(o) => Outcome::Missing(o.long, o.name.to_vec()),
                UsageError::UnexpectedValue(o) => Outcome::Unexpected(o.long, o.name.to_vec()),
                UsageError::BadValue(o, v) => {
                    Outcome::BadValue(o.long, o.name.to_vec(), v.to_vec())
                }
                UsageError::BadEnv(n, v) => Outcome::BadEnv(n.to_vec(), v.to_vec()),
                UsageError::Reserved => Outcome::Reserved,
                UsageError::NoProgram => Outcome::NoProgram,
            }
        }
    }
}

/// One case: the parser gives the model's answer and keeps the
/// invariants. Returns the answer.
fn check_case(argv: &[Vec<u8>], env: &[Vec<u8>]) -> Outcome {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| c_str(a)).collect();
    let env: Vec<Vec<u8>> = env.iter().map(|a| c_str(a)).collect();
    let got = parse_and_check(&argv, &env);
    let want = model(&argv, &env);
    assert_eq!(
        got,
        want,
        "\nargv {:?}\nenv {:?}",
        show_all(&argv),
        show_all(&env)
    );
    got
}

/// `check_case`, and: words after the program change nothing but the
/// program's arguments.
fn check_case_and_tail(argv: &[Vec<u8>], env: &[Vec<u8>], tail: &[u8]) {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| c_str(a)).collect();
    let env: Vec<Vec<u8>> = env.iter().map(|a| c_str(a)).collect();
    if let Outcome::Run(mut run) = check_case(&argv, &env) {
        if run.program.is_empty() {
            return;
        }
        let mut longer = argv.clone();
        longer.push(c_str(tail));
        run.program.push(c_str(tail));
        assert_eq!(
            parse_and_check(&longer, &env),
            Outcome::Run(run),
            "a word after the program changed the parse: {:?}",
            show_all(&longer)
        );
    }
}

// ---------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------

/// Words that trip getopt-style parsers, and every option and value form
/// of the five personalities.
#[rustfmt::skip]
const VOCAB: &[&[u8]] = &[
    b"", b"-", b"--", b"---", b"-e", b"-e=", b"-e=1", b"--pdeathsig", b"--pdeathsig=", b"-p",
    b"-s", b"-sg", b"-pKILL", b"-pSIGKILL", b"--remap-exit=300", b"--remap-exit", b"--help",
    b"--help=", b"--version", b"--version=1", b"--license", b"-h", b"-l", b"-L", b"-V", b"-v",
    b"-vV", b"-c", b"-cv", b"-g", b"-gP", b"-P", b"-r", b"-r15:0", b"-rTERM:0", b"--rewrite",
    b"--rewrite=2:0", b"--single-child", b"--single", b"--verbose", b"--setsid", b"--signal-all",
    b"--grace", b"--grace=0", b"--drain-signal", b"--drain-signal=0", b"--timeout", b"--timeout=5",
    b"--timeout-signal", b"--timeout-signal=0", b"--pause", b"--vers", b"-x", b"--x=", b"--=",
    b"-=", b"-vvv", b"-wgs", b"-sp", b"-se143", b"--subreaper", b"--pgroup=1", b"--pgroup", b"-v-",
    b"KILL", b"SIGKILL", b"sigterm", b"TERM:QUIT", b"15:3", b" 15:3x", b"15:0", b"0:1", b"31:31",
    b"32:1", b"15:", b":3", b"+15:-0", b"15: 3", b"15 :3", b"9", b"0", b"64", b"65", b"RTMIN+3",
    b"143", b"255", b"256", b"-1", b"00143", b"16777216", b"16777217", b"x", b"sh", b"-c", b"\xff",
    b"-\xff", b"--\xff", b"\xc3(",
];

/// Every long name of every personality, and near misses.
#[rustfmt::skip]
const LONG_NAMES: &[&str] = &[
    "subreaper", "pdeathsig", "pgroup", "signal-all", "rewrite", "setsid", "remap-exit", "grace",
    "drain-signal", "timeout", "timeout-signal", "pause", "verbose", "warn-reap", "license",
    "help", "version", "single-child", "pdeath", "help2", "", "single", "vers", "Grace",
    "signal_all", "timeout-",
];

fn value_word() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => proptest::sample::select(VOCAB).prop_map(|s| s.to_vec()),
        2 => crate::signal::props::signal_word(),
        2 => rewrite_word(),
        1 => number_word(),
        1 => proptest::collection::vec(any::<u8>(), 0..5),
    ]
}

/// Numbers near every limit of the grammar (signals 1-31 and 1-64, exit
/// codes 0-255, seconds up to 2^24, TINI_VERBOSITY up to 2^32-1, C's
/// int), with the signs, spaces and junk around them that C's sscanf
/// would skip (dumb-init's `-r`) and mite refuses.
fn number_word() -> impl Strategy<Value = Vec<u8>> {
    let n = proptest::sample::select(vec![
        0u64, 1, 2, 9, 10, 15, 19, 20, 30, 31, 32, 33, 63, 64, 65, 254, 255, 256, 16777215,
        16777216, 16777217, 2147483647, 2147483648, 4294967295, 4294967296, 4294967311,
    ]);
    (
        proptest::sample::select(vec!["", "", "", " ", "\t", "+", "-", "0", " +", "00"]),
        prop_oneof![3 => n, 1 => any::<u64>()],
        proptest::sample::select(vec!["", "", "", "x", " ", ".5", ":"]),
    )
        .prop_map(|(pre, n, post)| format!("{pre}{n}{post}").into_bytes())
}

/// `S:R` values: numbers near the limits, names, junk.
fn rewrite_word() -> impl Strategy<Value = Vec<u8>> {
    let edges = vec![0u32, 1, 2, 15, 19, 20, 21, 22, 30, 31, 32, 33, 63, 64, 65];
    let small = (
        proptest::sample::select(vec!["", "", "", "", " ", "+", "-", "0"]),
        prop_oneof![proptest::sample::select(edges), 0u32..=66],
        proptest::sample::select(vec!["", "", "", "", "x", " "]),
    )
        .prop_map(|(pre, n, post)| format!("{pre}{n}{post}").into_bytes());
    let part = prop_oneof![
        4 => small,
        1 => number_word(),
        2 => crate::signal::props::signal_word(),
        1 => Just(Vec::new()),
    ];
    let sep = proptest::sample::select(vec![":", ":", ":", ":", ":", " :", "::", ""]);
    (part.clone(), sep, part).prop_map(|(s, sep, r)| [&s[..], sep.as_bytes(), &r[..]].concat())
}

fn arg() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => proptest::sample::select(VOCAB).prop_map(|s| s.to_vec()),
        // Bundles of short letters, known and unknown, maybe with a value.
        3 => proptest::collection::vec(proptest::sample::select(&b"spgevwlhxrcVLP-=9K:"[..]), 0..6)
            .prop_map(|mut v| {
                v.insert(0, b'-');
                v
            }),
        // `--name[=value]` with near-miss names.
        2 => (proptest::sample::select(LONG_NAMES), proptest::option::of(value_word()))
            .prop_map(|(n, v)| {
                let mut a = format!("--{n}").into_bytes();
                if let Some(v) = v {
                    a.push(b'=');
                    a.extend(v);
                }
                a
            }),
        1 => value_word(),
        1 => proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

/// Names that select each personality, paths to them, near misses.
fn argv0() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => proptest::sample::select(vec![
            &b"mite"[..], b"/x/mite", b"tini", b"tini-static", b"docker-init",
            b"/run/podman-init", b"/usr/bin/tini", b"dumb-init", b"/usr/bin/dumb-init",
            b"catatonit", b"/usr/libexec/podman/catatonit", b"pause", b"/pause", b"./pause",
        ])
        .prop_map(|s| s.to_vec()),
        1 => proptest::sample::select(vec![
            &b"dumb-init "[..], b"Pause", b"catatonit/", b"tini/", b"", b"/", b"TINI",
            b"dumb_init", b"pause.exe", b"/dev/init", b"catatonit-0.1.7",
        ])
        .prop_map(|s| s.to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..10),
    ]
}

/// A MITE_* variable with a value of the right kind for it (most of the
/// time: a bad one hides everything after it).
fn mite_var() -> impl Strategy<Value = Vec<u8>> {
    let cases: Vec<(&str, &[&str])> = vec![
        ("SUBREAPER", &["0", "1"]),
        ("PGROUP", &["0", "1"]),
        ("SIGNAL_ALL", &["0", "1"]),
        ("SETSID", &["0", "1"]),
        ("PAUSE", &["0", "1"]),
        ("WARN_REAP", &["0", "1"]),
        ("VERBOSE", &["0", "2", "9"]),
        ("PDEATHSIG", &["KILL", "9", "sigusr1", "64"]),
        ("TIMEOUT_SIGNAL", &["INT", "34"]),
        ("DRAIN_SIGNAL", &["0", "TERM", "hup"]),
        ("GRACE", &["0", "5", "16777216"]),
        ("TIMEOUT", &["0", "7"]),
        ("REMAP_EXIT", &["0", "143,255"]),
        ("REWRITE", &["TERM:QUIT", "15:0", "20:19,21:0", "tstp:cont"]),
    ];
    (
        proptest::sample::select(cases),
        any::<usize>(),
        proptest::option::weighted(0.25, env_value()),
    )
        .prop_map(|((name, good), k, other)| {
            let v = other.unwrap_or_else(|| good[k % good.len()].as_bytes().to_vec());
            [b"MITE_", name.as_bytes(), b"=", &v[..]].concat()
        })
}

fn env_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            &b""[..], b"0", b"1", b"2", b"3", b"9", b"10", b"01", b"4294967295", b"4294967296",
            b"99999999999999999999", b"-1", b"+1", b" 1", b"1 ", b"loud", b"0x10", b"007",
            b"TERM", b"kill", b"SIGKILL", b"65", b"15:3", b"TERM:0", b"15:3,2:0", b"1,2", b",",
            b"1,", b"143,255", b"16777216", b"16777217", b"TERM,KILL",
        ])
        .prop_map(|s| s.to_vec()),
        1 => number_word(),
        1 => rewrite_word(),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ]
}

fn env_entry() -> impl Strategy<Value = Vec<u8>> {
    let name = proptest::sample::select(vec![
        &b"MITE_SUBREAPER"[..],
        b"MITE_GRACE",
        b"MITE_REWRITE",
        b"MITE_VERBOSE",
        b"MITE_HELP",
        b"MITE_VERSION",
        b"MITE_LICENSE",
        b"MITE_grace",
        b"MITE_",
        b"MITE_GRACE_",
        b"MITE_SINGLE_CHILD",
        b"TINI_SUBREAPER",
        b"TINI_VERBOSITY",
        b"TINI_KILL_PROCESS_GROUP",
        b"TINI_VERBOSITYX",
        b"DUMB_INIT_SETSID",
        b"DUMB_INIT_DEBUG",
        b"CATATONIT_DEBUG",
        b"CATATONIT_LOG",
        b"PATH",
        b"",
    ]);
    prop_oneof![
        4 => (name, env_value()).prop_map(|(n, v)| [n, b"=", &v].concat()),
        3 => mite_var(),
        1 => proptest::sample::select(vec![
            &b"TINI_VERBOSITY"[..], b"MITE_PAUSE", b"CATATONIT_LOG", b"MITE_BOGUS",
        ])
        .prop_map(|s| s.to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..12),
    ]
}

/// The kinds of value an option takes (`Switch`: none).
#[derive(Clone, Copy, Debug)]
enum Kind {
    Switch,
    Signal,
    Number,
    Rewrite,
}

/// A chunk of the words after argv[0]: any word, or an option of the
/// personality (whichever argv[0] picks) that takes a value of `kind`
/// (the `slot`-th such, or any if it has none), spelled in `form`, with
/// `value` if it takes one.
#[derive(Clone, Debug)]
enum Chunk {
    Word(Vec<u8>),
    Opt {
        kind: Kind,
        slot: usize,
        form: u8,
        value: Vec<u8>,
    },
}

fn chunk() -> impl Strategy<Value = Chunk> {
    // Only the branch drawn is generated: one value per chunk.
    let opt = |kind: Kind, value: BoxedStrategy<Vec<u8>>| {
        (0..64usize, 0..4u8, value).prop_map(move |(slot, form, value)| Chunk::Opt {
            kind,
            slot,
            form,
            value,
        })
    };
    prop_oneof![
        4 => arg().prop_map(Chunk::Word),
        2 => opt(Kind::Switch, Just(Vec::new()).boxed()),
        1 => opt(Kind::Signal, crate::signal::props::signal_word().boxed()),
        1 => opt(Kind::Number, number_word().boxed()),
        2 => opt(Kind::Rewrite, rewrite_word().boxed()),
    ]
}

/// The words of `chunk` for personality `p`: an option in one of its
/// spellings (`-r S:R`, `-rS:R`, `--rewrite S:R`, `--rewrite=S:R`; a
/// switch alone), with its value if it takes one.
fn spell(p: Personality, chunk: Chunk) -> Vec<Vec<u8>> {
    let (kind, slot, form, value) = match chunk {
        Chunk::Word(w) => return vec![w],
        Chunk::Opt {
            kind,
            slot,
            form,
            value,
        } => (kind, slot, form, value),
    };
    let specs = grammar(p);
    let of_kind: Vec<&Spec> = specs
        .iter()
        .filter(|s| match kind {
            Kind::Switch => !s.act.takes_value(),
            Kind::Signal => matches!(
                s.act,
                Act::Pdeathsig | Act::DrainSignal | Act::TimeoutSignal
            ),
            Kind::Number => matches!(s.act, Act::Remap | Act::Grace | Act::Timeout),
            Kind::Rewrite => s.act == Act::Rewrite,
        })
        .collect();
    let spec = match (
        of_kind.get(slot % of_kind.len().max(1)),
        specs.get(slot % specs.len().max(1)),
    ) {
        (Some(s), _) => *s,
        (None, Some(s)) => s,
        (None, None) => return vec![b"-v".to_vec()], // pause: its one word
    };
    let value = spec.act.takes_value().then_some(value);
    let short = vec![b'-', spec.letter];
    let long = format!("--{}", spec.long).into_bytes();
    let use_short = spec.letter != 0 && (spec.long.is_empty() || form < 2);
    match (use_short, value) {
        (true, None) => vec![short],
        (true, Some(v)) if form % 2 == 0 => vec![short, v],
        (true, Some(v)) => vec![[&short[..], &v[..]].concat()],
        (false, None) => vec![long],
        (false, Some(v)) if form % 2 == 0 => vec![long, v],
        (false, Some(v)) => vec![[&long[..], b"=", &v[..]].concat()],
    }
}

fn invocation() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<Vec<u8>>, Vec<u8>)> {
    (
        argv0(),
        proptest::collection::vec(chunk(), 0..8),
        proptest::collection::vec(env_entry(), 0..5),
        arg(),
    )
        .prop_map(|(a0, chunks, env, tail)| {
            let p = model_personality(&c_str(&a0));
            let mut argv = vec![a0];
            for c in chunks {
                argv.extend(spell(p, c));
            }
            (argv, env, tail)
        })
}

// ---------------------------------------------------------------------
// Command lines and environments.
// ---------------------------------------------------------------------

#[test]
fn parse_matches_model_for_arbitrary_invocations() {
    prop("parse", 40_000, invocation(), |(argv, env, tail)| {
        check_case_and_tail(&argv, &env, &tail)
    });
}

#[test]
fn parse_takes_arbitrary_bytes() {
    // Unbiased: any bytes at all, any number of arguments.
    let s = (
        argv0(),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..40),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..20),
    );
    prop("parse_bytes", 10_000, s, |(a0, mut argv, env)| {
        argv.insert(0, a0);
        check_case(&argv, &env);
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
    let long = vec![b'9'; 1 << 18];
    let mut zeros = vec![b'0'; 1 << 18];
    zeros.push(b'9');
    let mut cases = 1;
    for a0 in [&b"mite"[..], b"tini", b"dumb-init", b"catatonit", b"pause"] {
        for opt in [&b"-p"[..], b"-e", b"-r", b"--grace", b"--rewrite"] {
            for v in [&long, &zeros] {
                let joined = [opt, &v[..]].concat();
                check_case(&[a0.to_vec(), opt.to_vec(), v.clone(), b"x".to_vec()], &[]);
                check_case(&[a0.to_vec(), joined, b"x".to_vec()], &[]);
                cases += 2;
            }
        }
        for var in [
            &b"TINI_VERBOSITY="[..],
            b"MITE_GRACE=",
            b"MITE_REWRITE=",
            b"MITE_VERBOSE=",
        ] {
            check_case(&[a0.to_vec(), b"x".to_vec()], &[[var, &long].concat()]);
            cases += 1;
        }
        let commas = [&b"MITE_REMAP_EXIT="[..], &b"1,".repeat(100_000), b"2"].concat();
        check_case(&[a0.to_vec(), b"x".to_vec()], &[commas]);
        cases += 1;
    }
    report("parse_huge", cases);
}

/// Every sequence of up to four of `tokens` after `argv0`, in each of
/// `envs`. Tokens and environments are written as words (see
/// `testing::words`: `''` is the empty word); environments are separated
/// by `|`.
fn exhaustive(name: &str, argv0: &str, tokens: &str, envs: &str) {
    let tokens = words(tokens);
    let envs: Vec<Vec<String>> = envs.split('|').map(words).collect();
    let mut cases = 0usize;
    for env in &envs {
        let env: Vec<Vec<u8>> = env.iter().map(|e| e.clone().into_bytes()).collect();
        for len in 0..=4u32 {
            for mut k in 0..tokens.len().pow(len) {
                let mut argv = vec![argv0.as_bytes().to_vec()];
                for _ in 0..len {
                    argv.push(tokens[k % tokens.len()].clone().into_bytes());
                    k /= tokens.len();
                }
                check_case(&argv, &env);
                cases += 1;
            }
        }
    }
    let per: usize = (0..=4).map(|k| tokens.len().pow(k)).sum();
    assert_eq!(cases, per * envs.len());
    report(name, cases);
}

#[test]
fn exhaustive_mite() {
    exhaustive(
        "exhaustive_mite",
        "/x/mite",
        "'' - -- -e 143 -p KILL -sP -x --help --grace= -r TERM:0 --setsid",
        "| TINI_SUBREAPER= TINI_VERBOSITY=2 MITE_GRACE=7 MITE_SUBREAPER=0 \
         | TINI_VERBOSITY=x MITE_PGROUP=1 MITE_PAUSE=1",
    );
}

#[test]
fn exhaustive_tini() {
    exhaustive(
        "exhaustive_tini",
        "/usr/bin/tini",
        "'' - -- -e -e= 143 -p SIGKILL -sg -x --help --version --pgroup=1",
        "| TINI_SUBREAPER= TINI_VERBOSITY=2 MITE_PDEATHSIG=KILL | TINI_VERBOSITY=x",
    );
}

#[test]
fn exhaustive_dumb_init() {
    exhaustive(
        "exhaustive_dumb_init",
        "dumb-init",
        "'' - -- -r 15:0 ' 15:3x' -c -cv -x --help --version=1 --rewrite -V --single-child",
        "| DUMB_INIT_SETSID=0 DUMB_INIT_DEBUG=1 MITE_REWRITE=20:0 \
         | DUMB_INIT_SETSID=1 MITE_SETSID=0 MITE_VERBOSE=1",
    );
}

#[test]
fn exhaustive_catatonit() {
    exhaustive(
        "exhaustive_catatonit",
        "/usr/bin/catatonit",
        "'' - -- -g -gP -x -h -L -V --version --version=1 --help x",
        "| CATATONIT_DEBUG= MITE_PAUSE=1 MITE_REWRITE=tstp:stop | CATATONIT_LOG=x",
    );
}

#[test]
fn exhaustive_pause() {
    exhaustive(
        "exhaustive_pause",
        "/pause",
        "'' - -- -v -V --v x -h -vx --version",
        "| MITE_PAUSE=0 | MITE_VERBOSE=2 MITE_GRACE=x",
    );
}

/// Values near every edge of the value grammars: numbers around each
/// limit, with the spaces, signs and junk that sscanf would take; signal
/// spellings; `S:R` pairs over a grid of edges; comma lists.
fn tricky_values() -> Vec<Vec<u8>> {
    let mut v: Vec<String> = Vec::new();
    let numbers: Vec<u64> = (0..=70)
        .chain(250..=260)
        .chain([16777215, 16777216, 16777217, 2147483647, 2147483648])
        .chain([4294967295, 4294967296, 4294967311, u64::MAX])
        .collect();
    for n in &numbers {
        v.push(n.to_string());
    }
    for pre in ["0", "00", " ", "+", "-", "\t"] {
        for n in [0, 1, 15, 31, 32, 64, 65, 255, 256] {
            v.push(format!("{pre}{n}"));
        }
    }
    for post in [" ", "x", ".0", ","] {
        v.push(format!("15{post}"));
    }
    for name in crate::signal::props::SIGNAL_NAMES {
        v.push(name.into());
        v.push(format!("SIG{name}"));
        v.push(format!("sig{}", name.to_lowercase()));
    }
    for w in [
        "",
        "SIG",
        "RTMIN",
        "SIGRTMIN+1",
        "TERM ",
        " TERM",
        "SIGSIGTERM",
        "KILLX",
        "Term",
    ] {
        v.push(w.into());
    }
    let edges = [
        "-1", "0", "1", "15", "31", "32", "33", "63", "64", "65", "TERM", "sigkill", "SIGHUP",
        " 2", "+3", "4x", "",
    ];
    for s in edges {
        for r in edges {
            v.push(format!("{s}:{r}"));
        }
    }
    for w in [
        "15 :3",
        "15::3",
        "15;3",
        "15:3:4",
        "TERM:QUIT,HUP:0",
        "1,2",
        "1,,2",
        ",",
        "0,255",
    ] {
        v.push(w.into());
    }
    v.into_iter().map(String::into_bytes).collect()
}

/// Every option that takes a value, in every spelling, and every MITE_*
/// variable, under every personality, with every value of
/// `tricky_values`.
#[test]
fn every_value_of_every_option_and_variable() {
    let values = tricky_values();
    let mut cases = 0;
    for argv0 in [&b"mite"[..], b"tini", b"dumb-init", b"catatonit", b"pause"] {
        let p = model_personality(argv0);
        for spec in grammar(p).iter().filter(|s| s.act.takes_value()) {
            for v in &values {
                let mut forms: Vec<Vec<Vec<u8>>> = Vec::new();
                if spec.letter != 0 {
                    let short = vec![b'-', spec.letter];
                    forms.push(vec![short.clone(), v.clone()]);
                    forms.push(vec![[&short[..], v].concat()]);
                }
                if !spec.long.is_empty() {
                    let long = format!("--{}", spec.long).into_bytes();
                    forms.push(vec![long.clone(), v.clone()]);
                    forms.push(vec![[&long[..], b"=", v].concat()]);
                }
                for form in forms {
                    let argv = [vec![argv0.to_vec()], form, vec![b"x".to_vec()]].concat();
                    check_case(&argv, &[]);
                    cases += 1;
                }
            }
        }
        for spec in MITE.iter().filter(|s| !s.long.is_empty()) {
            let var = format!("MITE_{}=", spec.long.to_uppercase().replace('-', "_"));
            for v in &values {
                let env = [[var.as_bytes(), v].concat()];
                check_case(&[argv0.to_vec(), b"x".to_vec()], &env);
                cases += 1;
            }
        }
        for var in [
            &b"TINI_VERBOSITY="[..],
            b"DUMB_INIT_SETSID=",
            b"DUMB_INIT_DEBUG=",
        ] {
            for v in &values {
                check_case(&[argv0.to_vec(), b"x".to_vec()], &[[var, v].concat()]);
                cases += 1;
            }
        }
    }
    report("every_value", cases);
}

#[test]
fn no_argv_at_all() {
    // execve(path, NULL, NULL) gives argc 0: no argv[0], no program.
    check_case(&[], &[]);
    check_case(&[], &[b"TINI_VERBOSITY=x".to_vec()]);
    check_case(&[], &[b"MITE_PAUSE=1".to_vec()]);
    check_case(&[], &[b"MITE_GRACE=x".to_vec()]);
}

#[test]
fn personality_of_any_argv0() {
    prop("personality", 20_000, argv0(), |a0| {
        let a0 = c_str(&a0);
        assert_eq!(Personality::from_argv0(&a0), model_personality(&a0));
    });
}

// ---------------------------------------------------------------------
// The option tables.
// ---------------------------------------------------------------------

/// Each personality's packed table holds exactly the model's options:
/// every letter and long name is found (and no other), with a value
/// exactly when the model's option takes one.
#[test]
fn tables_hold_the_documented_options() {
    use super::{catatonit, dumb_init, find_opt, mite, opt, tini};
    let mut cases = 0;
    for (p, table) in [
        (Personality::Mite, mite::TABLE),
        (Personality::Tini, tini::TABLE),
        (Personality::DumbInit, dumb_init::TABLE),
        (Personality::Catatonit, catatonit::TABLE),
    ] {
        let specs = grammar(p);
        for c in 0..=255u8 {
            let want = specs.iter().find(|s| s.letter != 0 && s.letter == c);
            let got = find_opt(table, &[c], false);
            assert_eq!(got.is_some(), want.is_some(), "{p:?} -{}", c as char);
            if let (Some(code), Some(s)) = (got, want) {
                assert_eq!(
                    code & opt::VALUE != 0,
                    s.act.takes_value(),
                    "{p:?} -{}",
                    c as char
                );
            }
            cases += 1;
        }
        for name in LONG_NAMES
            .iter()
            .chain(["x", "versio", "version2", "="].iter())
        {
            let want = specs.iter().find(|s| !s.long.is_empty() && s.long == *name);
            let got = find_opt(table, name.as_bytes(), true);
            assert_eq!(got.is_some(), want.is_some(), "{p:?} --{name}");
            if let (Some(code), Some(s)) = (got, want) {
                assert_eq!(
                    code & opt::VALUE != 0,
                    s.act.takes_value(),
                    "{p:?} --{name}"
                );
            }
            cases += 1;
        }
    }
    report("tables", cases);
}

#[test]
fn find_opt_survives_any_table() {
    let s = (
        proptest::collection::vec(any::<u8>(), 0..40),
        proptest::collection::vec(any::<u8>(), 0..4),
        any::<bool>(),
    );
    prop("find_opt", 20_000, s, |(table, name, long)| {
        let _ = super::find_opt(&table, &name, long);
        for o in super::options(&table) {
            // Every entry lies inside the table.
            assert!(o.long.len() + 2 <= table.len());
        }
    });
}
