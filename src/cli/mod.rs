//! Command lines and environment to a `Config`: pure code, no syscalls.
//!
//! Each personality has a table of options; one getopt-style engine reads
//! them. Options end at `--` or at the first argument that is not an option,
//! so `mite sh -c 'x'` runs `sh -c 'x'`. Short options can be bundled
//! (`-sg`) and take their value attached or as the next argument (`-pKILL`,
//! `-p KILL`); long options take `--opt=value` or `--opt value`.

pub mod mite;
pub mod tini;

use crate::signal::{self, parse_u32, Signal};
use crate::status::ExitMap;
use crate::sys::Argv;

/// Which init mite is impersonating, from the basename of argv[0].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Personality {
    /// tini 0.19: `tini`, `tini-static`, `docker-init`, `podman-init`.
    Tini,
    /// mite's own CLI, for any other name.
    Mite,
}

/// Names that select the tini personality, NUL-separated.
const TINI_NAMES: &[u8] = b"tini\0tini-static\0docker-init\0podman-init";

impl Personality {
    pub fn from_argv0(argv0: &[u8]) -> Personality {
        if position(TINI_NAMES, basename(argv0)).is_some() {
            Personality::Tini
        } else {
            Personality::Mite
        }
    }
}

/// The index of `name` in a NUL-separated list of names. (A packed list
/// costs only its bytes; an array of slices or a `match` on strings costs
/// far more code and data.)
pub fn position(list: &[u8], name: &[u8]) -> Option<usize> {
    list.split(|&c| c == 0).position(|n| n == name)
}

/// The part of a path after the last `/`.
pub fn basename(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&c| c == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or(&[]),
        None => path,
    }
}

/// Everything the supervisor needs to know, decided before anything runs.
#[derive(Clone, Copy)]
pub struct Config<'a> {
    pub personality: Personality,
    /// Become a child subreaper (`-s`, `TINI_SUBREAPER`).
    pub subreaper: bool,
    /// Signal to receive when the parent dies (`-p`).
    pub pdeathsig: Option<Signal>,
    /// 0 quiet, 1 warnings (default), 2 info, 3+ debug.
    pub verbosity: u32,
    /// Warn for each reaped zombie that is not the main child (`-w`).
    pub warn_reap: bool,
    /// Forward signals to the child's process group (`-g`).
    pub pgroup: bool,
    /// Exit codes reported as 0 (`-e`).
    pub remap: ExitMap,
    /// The program and its arguments, in place in argv.
    pub child: Argv<'a>,
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
    BadEnv(&'static [u8], &'a [u8]),
    NoProgram,
}

/// What an option does: the codes used in the packed option tables.
pub mod opt {
    pub const SUBREAPER: u8 = 1;
    pub const PDEATHSIG: u8 = 2;
    pub const VERBOSE: u8 = 3;
    pub const WARN_REAP: u8 = 4;
    pub const PGROUP: u8 = 5;
    pub const REMAP: u8 = 6;
    pub const LICENSE: u8 = 7;
    pub const HELP: u8 = 8;
    pub const VERSION: u8 = 9;
    /// Or'ed into a code: the option takes a value.
    pub const VALUE: u8 = 0x80;
}

/// Finds an option in a packed table. Each entry is: the short letter (0
/// for none), the code (`opt::*`, with `opt::VALUE` if it takes one), the
/// long name (may be empty) and a NUL. A table of structs with slices
/// would cost 16 bytes of pointer and length per name in the binary.
/// `name` is a long name when `long`, else one letter.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn find_opt(table: &[u8], name: &[u8], long: bool) -> Option<u8> {
    let mut rest = table;
    while let [letter, code, tail @ ..] = rest {
        let end = tail.iter().position(|&c| c == 0)?;
        let entry = tail.get(..end)?;
        let hit = if long {
            !entry.is_empty() && entry == name
        } else {
            *letter != 0 && [*letter][..] == *name
        };
        if hit {
            return Some(*code);
        }
        rest = tail.get(end + 1..)?;
    }
    None
}

impl<'a> Config<'a> {
    /// The defaults of `personality`, with no program yet.
    pub fn new(personality: Personality, argv: Argv<'a>) -> Config<'a> {
        Config {
            personality,
            subreaper: false,
            pdeathsig: None,
            verbosity: 1,
            warn_reap: false,
            pgroup: false,
            remap: ExitMap::default(),
            child: argv.skip(argv.len()),
        }
    }
}

/// Parses a whole invocation into `cfg` (made by `Config::new` for the
/// personality of argv[0]).
// Out of line on x86_64 only: 190 bytes smaller there (see run::run).
#[cfg_attr(target_arch = "x86_64", inline(never))]
pub fn parse<'a>(
    argv: Argv<'a>,
    envp: Argv<'a>,
    cfg: &mut Config<'a>,
) -> Result<Command, UsageError<'a>> {
    let table = match cfg.personality {
        Personality::Tini => tini::TABLE,
        Personality::Mite => mite::TABLE,
    };
    let first = getopt(argv, table, cfg)?;
    let first = match first {
        Flow::Program(i) => i,
        Flow::Done(cmd) => return Ok(cmd),
    };
    // Options are applied first; the environment can only switch features
    // on, except TINI_VERBOSITY, which overrides -v as in tini.
    if envp.getenv(b"TINI_SUBREAPER").is_some() {
        cfg.subreaper = true;
    }
    if envp.getenv(b"TINI_KILL_PROCESS_GROUP").is_some() {
        cfg.pgroup = true;
    }
    if let Some(v) = envp.getenv(b"TINI_VERBOSITY") {
        cfg.verbosity = parse_u32(v, u32::MAX).ok_or(UsageError::BadEnv(b"TINI_VERBOSITY", v))?;
    }
    cfg.child = argv.skip(first);
    if cfg.child.is_empty() {
        return Err(UsageError::NoProgram);
    }
    Ok(Command::Run)
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
            if let Some(cmd) = apply(cfg, code, on, value)? {
                return Ok(Flow::Done(cmd));
            }
        }
    }
    Ok(Flow::Program(i))
}

/// Applies one option. Signals: tini takes only its exact names
/// (`SIGKILL`); mite takes names in any form, numbers and RTMIN+n.
fn apply<'a>(
    cfg: &mut Config<'a>,
    code: u8,
    on: OptName<'a>,
    value: &'a [u8],
) -> Result<Option<Command>, UsageError<'a>> {
    let bad = UsageError::BadValue(on, value);
    match code & !opt::VALUE {
        opt::SUBREAPER => cfg.subreaper = true,
        opt::PDEATHSIG => {
            let sig = match cfg.personality {
                Personality::Tini => signal::parse_strict(value),
                Personality::Mite => signal::parse(value),
            };
            cfg.pdeathsig = Some(sig.ok_or(bad)?);
        }
        opt::VERBOSE => cfg.verbosity = cfg.verbosity.saturating_add(1),
        opt::WARN_REAP => cfg.warn_reap = true,
        opt::PGROUP => cfg.pgroup = true,
        opt::REMAP => cfg.remap.insert(parse_u32(value, 255).ok_or(bad)? as u8),
        opt::LICENSE => return Ok(Some(Command::License)),
        opt::HELP => return Ok(Some(Command::Help)),
        _ => return Ok(Some(Command::Version)),
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::OwnedArgv;

    #[test]
    fn personalities() {
        for (name, p) in [
            (&b"tini"[..], Personality::Tini),
            (b"/usr/bin/tini-static", Personality::Tini),
            (b"/dev/init", Personality::Mite),
            (b"docker-init", Personality::Tini),
            (b"/run/podman-init", Personality::Tini),
            (b"mite", Personality::Mite),
            (b"./target/release/mite", Personality::Mite),
            (b"", Personality::Mite),
            (b"/", Personality::Mite),
            (b"tini/", Personality::Mite),
        ] {
            assert_eq!(
                Personality::from_argv0(name),
                p,
                "{}",
                String::from_utf8_lossy(name)
            );
        }
    }

    #[test]
    fn no_argv0_at_all() {
        let a = OwnedArgv::new::<&str>(&[]);
        let e = OwnedArgv::new::<&str>(&[]);
        let mut cfg = Config::new(Personality::Mite, a.argv());
        assert_eq!(
            parse(a.argv(), e.argv(), &mut cfg),
            Err(UsageError::NoProgram)
        );
    }
}
