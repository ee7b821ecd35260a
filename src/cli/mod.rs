//! Command lines and environment to a `Config`: pure code, no syscalls.
//!
//! Each personality (one file each) has a table of options and its
//! defaults; one getopt-style engine reads every table. Options end at `--`
//! or at the first argument that is not an option, so `mite sh -c 'x'` runs
//! `sh -c 'x'`. Short options can be bundled (`-sg`) and take their value
//! attached or as the next argument (`-pKILL`, `-p KILL`); long options take
//! `--opt=value` or `--opt value`.
//!
//! The supervisor reads only `Config` fields, never personality names: a
//! personality is nothing but a grammar, a set of defaults and the wording
//! of its messages.

pub mod catatonit;
pub mod dumb_init;
pub mod mite;
pub mod pause;
pub mod tini;

use crate::bytes::{basename, parse_u32, position};
use crate::signal::{self, Rewrite, Signal};
use crate::status::ExitMap;
use crate::sys::Argv;

/// Which init mite is impersonating, from the basename of argv[0].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Personality {
    /// mite's own CLI, for any name not below.
    Mite,
    /// tini 0.19: `tini`, `tini-static`, `docker-init`, `podman-init`.
    Tini,
    /// dumb-init 1.2.5.
    DumbInit,
    /// catatonit 0.1.7.
    Catatonit,
    /// The Kubernetes pause container.
    Pause,
}

/// The names that select a personality, NUL-separated: the first four are
/// tini's, then dumb-init, catatonit and pause.
const NAMES: &[u8] = b"tini\0tini-static\0docker-init\0podman-init\0dumb-init\0catatonit\0pause";

impl Personality {
    pub fn from_argv0(argv0: &[u8]) -> Personality {
        match name_index(argv0) {
            0..=3 => Personality::Tini,
            4 => Personality::DumbInit,
            5 => Personality::Catatonit,
            6 => Personality::Pause,
            _ => Personality::Mite,
        }
    }
}

/// The index of the basename of `argv0` in `NAMES` (7 if none).
// Out of line: about 100 bytes smaller on both targets.
#[inline(never)]
fn name_index(argv0: &[u8]) -> usize {
    position(NAMES, basename(argv0)).unwrap_or(7)
}

/// True for the names a container runtime gives its injected init
/// (`docker-init`, `podman-init`: the third and fourth of `NAMES`).
pub fn injected(argv0: &[u8]) -> bool {
    matches!(name_index(argv0), 2 | 3)
}

/// What mite does, as bits of `Config::flags`. An option that is a plain
/// switch names its bit in its option table (`opt::*` below).
pub mod flag {
    /// Become a child subreaper when not PID 1 (`-s`).
    pub const SUBREAPER: u32 = 1 << 0;
    /// ... and if that fails, only warn (mite's default); else it is fatal.
    pub const SOFT_REAPER: u32 = 1 << 1;
    /// Warn when neither PID 1 nor a subreaper: zombies would pile up.
    pub const WARN_NO_REAPER: u32 = 1 << 2;
    /// Warn for each reaped zombie that is not the main child (`-w`).
    pub const WARN_REAP: u32 = 1 << 3;
    /// Forward signals to the child's process group (`-g`).
    pub const PGROUP: u32 = 1 << 4;
    /// Forward signals to every process mite may signal (`--signal-all`).
    pub const SIGNAL_ALL: u32 = 1 << 5;
    /// dumb-init's session mode: mite leaves the terminal, the child gets
    /// a session of its own and the terminal, signals go to its group, and
    /// job-control signals stop mite too (`--setsid`).
    pub const SETSID: u32 = 1 << 6;
    /// The child gets a process group of its own (and the terminal's
    /// foreground, if mite had it), as under tini.
    pub const OWN_GROUP: u32 = 1 << 7;
    /// No child: wait for SIGINT or SIGTERM, reaping (`-P`).
    pub const PAUSE: u32 = 1 << 8;
    /// Close mite's inherited descriptors >= 3 once the child has them.
    pub const CLOSE_FDS: u32 = 1 << 9;
    /// Rewrite LISTEN_PID from mite's pid to the child's (socket activation).
    pub const LISTEN_PID: u32 = 1 << 10;
    /// `chdir("/")` once the child runs, so that mite pins no mount.
    pub const CHDIR_ROOT: u32 = 1 << 11;
}

/// Everything the supervisor needs to know, decided before anything runs.
#[derive(Clone, Copy)]
pub struct Config<'a> {
    /// The wording and streams of messages (`log`), nothing else.
    pub personality: Personality,
    /// `flag::*` bits.
    pub flags: u32,
    /// 0 quiet, 1 warnings (the default), 2 info, 3 debug (`log`).
    pub verbosity: u32,
    /// Signal to receive when the parent dies (`-p`).
    pub pdeathsig: Option<Signal>,
    /// Signals forwarded as others, or dropped (`-r`).
    pub rewrite: Rewrite,
    /// Exit codes reported as 0 (`-e`).
    pub remap: ExitMap,
    /// Seconds the rest get after the main child's end before SIGKILL; 0:
    /// no drain, exit at once (`--grace`).
    pub grace: u32,
    /// What the rest are sent when the drain starts; `None`: nothing, they
    /// are only waited for (`--drain-signal`).
    pub drain_signal: Option<Signal>,
    /// Seconds the main child may run; 0: no limit (`--timeout`).
    pub timeout: u32,
    /// What the main child is sent when its time is up (`--timeout-signal`).
    pub timeout_signal: Signal,
    /// The program and its arguments, in place in argv.
    pub child: Argv<'a>,
}

impl<'a> Config<'a> {
    /// The defaults of `personality`, with no program yet.
    pub fn new(personality: Personality, argv: Argv<'a>) -> Config<'a> {
        let mut cfg = Config {
            personality,
            flags: 0,
            verbosity: 1,
            pdeathsig: None,
            rewrite: Rewrite::default(),
            remap: ExitMap::default(),
            grace: 0,
            drain_signal: Some(Signal::TERM),
            timeout: 0,
            timeout_signal: Signal::TERM,
            child: argv.skip(argv.len()),
        };
        match personality {
            Personality::Mite => mite::defaults(&mut cfg),
            Personality::Tini => tini::defaults(&mut cfg),
            Personality::DumbInit => dumb_init::defaults(&mut cfg),
            Personality::Catatonit => catatonit::defaults(&mut cfg),
            Personality::Pause => cfg.flags = flag::PAUSE,
        }
        cfg
    }

    /// True when flag bit(s) `f` are set.
    pub fn on(&self, f: u32) -> bool {
        self.flags & f != 0
    }
}

/// What the command line asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Command {
    Run,
    Help,
    Version,
    License,
}

/// An option as the user spelled it: `-p` (short) or `--pdeathsig` (long).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct OptName<'a> {
    pub long: bool,
    pub name: &'a [u8],
}

/// Why a command line was refused. Nothing has run when this is returned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UsageError<'a> {
    UnknownOption(OptName<'a>),
    MissingValue(OptName<'a>),
    /// A long option that takes no value was given one (`--pgroup=1`).
    UnexpectedValue(OptName<'a>),
    BadValue(OptName<'a>, &'a [u8]),
    /// An environment variable (its name, its value) with a bad value.
    BadEnv(&'a [u8], &'a [u8]),
    /// catatonit's CATATONIT_LOG, "reserved for future use", is set.
    Reserved,
    NoProgram,
}

/// What an option does: the codes of the packed option tables.
pub mod opt {
    // 0x00..=0x0f: a switch, by its bit number in `flag`: it sets the bit.
    /// Or'ed into a switch: the option clears its bit instead.
    pub const CLEAR: u8 = 0x40;
    pub const PDEATHSIG: u8 = 0x10;
    /// One more level of messages.
    pub const VERBOSE: u8 = 0x11;
    /// Every message, at once (dumb-init's `-v`).
    pub const DEBUG: u8 = 0x12;
    pub const REMAP: u8 = 0x13;
    pub const REWRITE: u8 = 0x14;
    pub const GRACE: u8 = 0x15;
    pub const DRAIN_SIGNAL: u8 = 0x16;
    pub const TIMEOUT: u8 = 0x17;
    pub const TIMEOUT_SIGNAL: u8 = 0x18;
    // Options that answer by themselves; not settable from the environment.
    pub const HELP: u8 = 0x1d;
    pub const VERSION: u8 = 0x1e;
    pub const LICENSE: u8 = 0x1f;
    /// Or'ed into a code: the option takes a value.
    pub const VALUE: u8 = 0x80;
}

/// One entry of a packed option table.
#[derive(Clone, Copy)]
pub struct Opt<'t> {
    /// The short letter, 0 for none.
    pub letter: u8,
    /// `opt::*`, with `opt::VALUE` if it takes a value.
    pub code: u8,
    /// The long name, empty for none.
    pub long: &'t [u8],
}

/// The entries of a packed option table. Each entry is: the short letter
/// (0 for none), the code, the long name (may be empty), a NUL. A table of
/// structs with slices would cost 24 bytes of pointers and lengths per
/// option in the binary.
pub fn options(table: &[u8]) -> impl Iterator<Item = Opt<'_>> {
    let mut rest = table;
    core::iter::from_fn(move || {
        let [letter, code, tail @ ..] = rest else {
            return None;
        };
        let end = tail.iter().position(|&c| c == 0)?;
        rest = tail.get(end + 1..)?;
        Some(Opt {
            letter: *letter,
            code: *code,
            long: tail.get(..end)?,
        })
    })
}

/// Finds an option in a packed table: `name` is a long name when `long`,
/// else one letter.
#[cfg_attr(target_arch = "x86_64", inline(never))]
pub fn find_opt(table: &[u8], name: &[u8], long: bool) -> Option<u8> {
    options(table)
        .find(|o| {
            if long {
                !o.long.is_empty() && o.long == name
            } else {
                o.letter != 0 && [o.letter][..] == *name
            }
        })
        .map(|o| o.code)
}

/// Parses a whole invocation into `cfg` (made by `Config::new` for the
/// personality of argv[0]).
///
/// Order: the `MITE_*` environment first (every personality honours it,
/// so that `docker run --init -e MITE_GRACE=10` works), then the command
/// line, which wins over it, then the personality's own variables, as the
/// reference reads them (catatonit reads its own before its options).
// Out of line on x86_64 only: smaller there (see run::run).
#[cfg_attr(target_arch = "x86_64", inline(never))]
pub fn parse<'a>(
    argv: Argv<'a>,
    envp: Argv<'a>,
    cfg: &mut Config<'a>,
) -> Result<Command, UsageError<'a>> {
    from_env(envp, cfg)?;
    if cfg.personality == Personality::Catatonit {
        // catatonit reads its variables before its options: CATATONIT_LOG
        // refuses even `-h`.
        catatonit::env(envp, cfg)?;
    }
    let first = match cfg.personality {
        Personality::Pause => match pause::parse(argv) {
            Some(cmd) => return Ok(cmd),
            None => argv.len(),
        },
        p => {
            let table = match p {
                Personality::Tini => tini::TABLE,
                Personality::DumbInit => dumb_init::TABLE,
                Personality::Catatonit => catatonit::TABLE,
                _ => mite::TABLE,
            };
            match getopt(argv, table, cfg)? {
                Flow::Program(i) => i,
                Flow::Done(cmd) => return Ok(cmd),
            }
        }
    };
    match cfg.personality {
        Personality::Tini | Personality::Mite => tini::env(envp, cfg)?,
        Personality::DumbInit => dumb_init::env(envp, cfg),
        Personality::Catatonit | Personality::Pause => {}
    }
    if cfg.on(flag::SETSID) {
        // Job control in a session of the child's own: a stop request is
        // passed on as SIGSTOP unless rewritten (mite stops itself too).
        cfg.rewrite.job_control(Some(Signal::STOP), false);
    }
    cfg.child = argv.skip(first);
    if cfg.child.is_empty() && !cfg.on(flag::PAUSE) {
        return Err(UsageError::NoProgram);
    }
    Ok(Command::Run)
}

/// The `MITE_*` variables: one per option of mite's own CLI, named after
/// its long name (`--remap-exit` is `MITE_REMAP_EXIT`), with the value
/// the option takes; a switch takes 1 or 0, `MITE_VERBOSE` a number of
/// `-v`, the repeatable `-e` and `-r` a comma-separated list. Unknown
/// `MITE_*` names are not mite's business.
fn from_env<'a>(envp: Argv<'a>, cfg: &mut Config<'a>) -> Result<(), UsageError<'a>> {
    for entry in envp.iter() {
        let Some(rest) = entry.strip_prefix(b"MITE_") else {
            continue;
        };
        let eq = rest.iter().position(|&c| c == b'=').unwrap_or(rest.len());
        // The long name: `GRACE` is `grace`, `_` is `-`; anything else in
        // the name matches no option. No name is longer than 16 bytes.
        let mut long = [0u8; 16];
        for (l, &c) in long.iter_mut().zip(rest) {
            *l = match c {
                b'A'..=b'Z' => c.to_ascii_lowercase(),
                b'_' => b'-',
                _ => 0,
            };
        }
        let Some(code) = long.get(..eq).and_then(|l| find_opt(mite::TABLE, l, true)) else {
            continue;
        };
        let code = code & !opt::VALUE;
        if code >= opt::HELP {
            continue;
        }
        let value = rest.get(eq + 1..).unwrap_or(b"");
        let list = code == opt::REMAP || code == opt::REWRITE;
        for v in value.split(|&c| list && c == b',') {
            if v.is_empty() || apply(cfg, code, v, false).is_err() {
                return Err(UsageError::BadEnv(
                    entry.get(..eq + 5).unwrap_or(entry),
                    value,
                ));
            }
        }
    }
    Ok(())
}

/// Where option parsing stopped.
pub enum Flow {
    /// At the program: its index in argv.
    Program(usize),
    /// At an option that answers by itself (help, version, license).
    Done(Command),
}

/// The getopt engine: applies each option of `table` found in `argv` to
/// `cfg`. Options end at `--` or at the first non-option.
pub fn getopt<'a>(
    argv: Argv<'a>,
    table: &[u8],
    cfg: &mut Config<'a>,
) -> Result<Flow, UsageError<'a>> {
    let strict = cfg.personality != Personality::Mite;
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        i += 1;
        let (long, body) = match arg {
            [b'-', b'-', body @ ..] => (true, body),
            [b'-', body @ ..] if !body.is_empty() => (false, body),
            // The first non-option (or a lone "-"): the program.
            _ => return Ok(Flow::Program(i - 1)),
        };
        if long && body.is_empty() {
            return Ok(Flow::Program(i));
        }
        // Short options: one letter at a time (`-sg`); long: the whole body.
        let mut j = 0;
        while j < body.len() {
            let (name, inline) = if long {
                let eq = body.iter().position(|&c| c == b'=').unwrap_or(body.len());
                j = body.len();
                (body.get(..eq).unwrap_or(body), body.get(eq + 1..))
            } else {
                j += 1;
                (
                    body.get(j - 1..j).unwrap_or(body),
                    body.get(j..).filter(|v| !v.is_empty()),
                )
            };
            let on = OptName { long, name };
            let code = find_opt(table, name, long).ok_or(UsageError::UnknownOption(OptName {
                long,
                name: if long { body } else { name },
            }))?;
            let mut value: &[u8] = &[];
            if code & opt::VALUE != 0 {
                value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        argv.get(i - 1).ok_or(UsageError::MissingValue(on))?
                    }
                };
                j = body.len();
            } else if long && inline.is_some() {
                return Err(UsageError::UnexpectedValue(on));
            }
            match apply(cfg, code & !opt::VALUE, value, strict) {
                Ok(Some(cmd)) => return Ok(Flow::Done(cmd)),
                Ok(None) => {}
                Err(()) => return Err(UsageError::BadValue(on, value)),
            }
        }
    }
    Ok(Flow::Program(i))
}

/// Applies one option (`code` without `opt::VALUE`) with its value (empty
/// for a switch on the command line; from the environment a switch takes
/// 1 or 0, `-v` a count). `strict` selects the reference programs' value
/// grammar: tini takes only its exact signal names (`SIGKILL`), dumb-init
/// only numbers in `-r` (`15:3`); mite takes names in any form and numbers.
fn apply(
    cfg: &mut Config<'_>,
    code: u8,
    value: &[u8],
    strict: bool,
) -> Result<Option<Command>, ()> {
    // A signal number from a value: 0 for `0` (none); else a name or a
    // number as mite takes them, or strictly as the reference does: tini's
    // `-p SIGNAME`, dumb-init's `-r` numbers up to 31.
    let number = |v: &[u8]| match v {
        b"0" => Some(0),
        _ if !strict => signal::parse(v).map(Signal::get),
        _ if code == opt::PDEATHSIG => signal::parse_strict(v).map(Signal::get),
        _ => parse_u32(v, 31),
    };
    let signal = |v: &[u8]| number(v).and_then(Signal::new).ok_or(());
    let secs = |v: &[u8]| parse_u32(v, 1 << 24).ok_or(());
    match code {
        0..=0x0f => match value {
            b"" | b"1" => {
                cfg.flags |= 1 << code;
                if 1 << code == flag::SUBREAPER {
                    // Asked for: failing to become a subreaper is fatal.
                    cfg.flags &= !flag::SOFT_REAPER;
                }
            }
            b"0" => cfg.flags &= !(1 << code),
            _ => return Err(()),
        },
        0x40..=0x4f => cfg.flags &= !(1 << (code & 0x0f)),
        opt::PDEATHSIG => cfg.pdeathsig = Some(signal(value)?),
        opt::VERBOSE => {
            cfg.verbosity = match value {
                b"" => cfg.verbosity.saturating_add(1),
                n => cfg.verbosity + parse_u32(n, 9).ok_or(())?,
            }
        }
        opt::DEBUG => cfg.verbosity = crate::log::DEBUG,
        opt::REMAP => cfg.remap.insert(parse_u32(value, 255).ok_or(())? as u8),
        opt::REWRITE => {
            // S:R, R = 0 drops S.
            let colon = value.iter().position(|&c| c == b':').ok_or(())?;
            let (from, to) = (
                value.get(..colon).ok_or(())?,
                value.get(colon + 1..).ok_or(())?,
            );
            let to = number(to).ok_or(())?;
            cfg.rewrite.set(signal(from)?, Signal::new(to));
        }
        opt::GRACE => cfg.grace = secs(value)?,
        opt::DRAIN_SIGNAL => cfg.drain_signal = Signal::new(number(value).ok_or(())?),
        opt::TIMEOUT => cfg.timeout = secs(value)?,
        opt::TIMEOUT_SIGNAL => cfg.timeout_signal = signal(value)?,
        opt::HELP => return Ok(Some(Command::Help)),
        opt::VERSION => return Ok(Some(Command::Version)),
        _ => return Ok(Some(Command::License)),
    }
    Ok(None)
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod testing;
