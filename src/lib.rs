//! mite: a tiny libc-free init for containers.
//!
//! The library holds all of mite's logic; `main.rs` only provides the entry
//! point and panic handler. Built for the host (`cargo test`), it uses std
//! so the pure parts (parsing, tables, status mapping) are unit-tested.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![deny(unsafe_code)]

pub mod cli;
pub mod log;
pub mod out;
#[cfg(test)]
mod props;
pub mod run;
pub mod signal;
pub mod status;
pub mod sys;

use cli::{Command, Config, Personality, UsageError};
use log::{Log, FATAL};
use out::print;
use sys::{Argv, STDERR, STDOUT};

/// mite's main: parse, then run the program or answer the request. `argv`
/// and `envp` are the kernel's arrays, read in place.
pub fn main(argv: Argv<'_>, envp: Argv<'_>) -> ! {
    let argv0 = argv.get(0).unwrap_or(b"mite");
    let personality = Personality::from_argv0(argv0);
    let tini = personality == Personality::Tini;
    let mut cfg = Config::new(personality, argv);
    let name = cli::basename(argv0);
    // Block signals before anything is written: a usage error printed to a
    // broken stderr must still exit 1, not die of SIGPIPE. The child gets
    // the original mask back.
    let block = run::blocked_set(personality);
    let mask = sys::set_sigmask(block);
    let code = match cli::parse(argv, envp, &mut cfg) {
        Ok(Command::Run) => run::run(&cfg, envp, block, mask),
        Ok(cmd) => {
            let text = match (cmd, tini) {
                (Command::Help, _) => cli::mite::HELP,
                (Command::Version, _) => VERSION,
                _ => LICENSE,
            };
            // A non-empty `b` selects the long-option parts of the help
            // (mite has long options, tini has none).
            print(STDOUT, text, name, if tini { b"" } else { b"--" }, 0);
            0
        }
        Err(e) => {
            usage_error(tini, argv0, &e);
            1
        }
    };
    sys::exit(code)
}

/// The line Docker parses from `<init-path> --version` (moby's
/// parseInitVersion): `tini version X - git.COMMIT`. The version names
/// mite, the commit is the one the binary was built from (build.rs).
const VERSION: &[u8] = concat!(
    "tini version 0.19.0 (mite ",
    env!("CARGO_PKG_VERSION"),
    ") - git.",
    env!("MITE_COMMIT"),
    "\n"
)
.as_bytes();

/// The full MIT text would cost a kilobyte in every copy of the binary.
const LICENSE: &[u8] =
    b"mite: MIT License, Copyright (c) 2026 the mite authors; no warranty. See LICENSE.\n";

/// One line on stderr naming what was wrong: getopt's wording for option
/// errors (`tini: invalid option -- 'x'`; `mite` as the program name for
/// mite), tini's FATAL lines for bad values.
fn usage_error(tini: bool, argv0: &[u8], e: &UsageError<'_>) {
    let log = Log {
        personality: if tini {
            Personality::Tini
        } else {
            Personality::Mite
        },
        verbosity: 0,
        pid: sys::getpid(),
    };
    let prog: &[u8] = if tini { argv0 } else { b"mite" };
    let (tmpl, name): (&[u8], &[u8]) = match *e {
        UsageError::UnknownOption(o) if o.long => (b"\x01: unrecognized option '--\x02'\n", o.name),
        UsageError::UnknownOption(o) => (b"\x01: invalid option -- '\x02'\n", o.name),
        UsageError::MissingValue(o) if o.long => {
            (b"\x01: option '--\x02' requires an argument\n", o.name)
        }
        UsageError::MissingValue(o) => (b"\x01: option requires an argument -- '\x02'\n", o.name),
        UsageError::UnexpectedValue(o) => {
            (b"\x01: option '--\x02' doesn't allow an argument\n", o.name)
        }
        UsageError::BadValue(o, v) => {
            let tmpl: &[u8] = if o.long {
                b"Not a valid option for --\x01: \x02\n"
            } else {
                b"Not a valid option for -\x01: \x02\n"
            };
            return print(log.prefix(FATAL), tmpl, o.name, v, 0);
        }
        UsageError::BadEnv(n, v) => {
            return print(
                log.prefix(FATAL),
                b"Not a valid value for \x01: \x02\n",
                n,
                v,
                0,
            )
        }
        UsageError::NoProgram => (b"\x01: usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n", b""),
    };
    print(STDERR, tmpl, prog, name, 0);
}
