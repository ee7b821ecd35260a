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
use out::{num, print, Msg};
use sys::{Argv, STDERR, STDOUT};

/// mite's main: parse, then run the program or answer the request. `argv`
/// and `envp` are the kernel's arrays, read in place.
pub fn main(argv: Argv<'_>, envp: Argv<'_>) -> ! {
    let argv0 = argv.get(0).unwrap_or(b"mite");
    let personality = Personality::from_argv0(argv0);
    let tini = personality == Personality::Tini;
    let mut cfg = Config::new(personality, argv);
    let name = cli::basename(argv0);
    let code = match cli::parse(argv, envp, &mut cfg) {
        Ok(Command::Run) => run::run(&cfg, envp),
        Ok(cmd) => {
            let text = match (cmd, tini) {
                (Command::Help, _) => cli::mite::HELP,
                (Command::Version, true) => cli::tini::VERSION,
                (Command::Version, false) => VERSION,
                _ => LICENSE,
            };
            // A sixth argument selects the long-option parts of the help.
            let e: &[u8] = b"";
            let args = [name, e, e, e, e, e];
            print(
                STDOUT,
                text,
                args.get(..if tini { 1 } else { 6 }).unwrap_or(&[]),
            );
            0
        }
        Err(e) => {
            usage_error(tini, argv0, &e);
            1
        }
    };
    sys::exit(code)
}

const VERSION: &[u8] = concat!("mite ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// The full MIT text would cost a kilobyte in every copy of the binary.
const LICENSE: &[u8] = b"mite is under the MIT License: Copyright (c) 2026 the mite authors.\n\
Provided as is, without warranty. Full text: the LICENSE file of its source.\n";

/// Usage error messages, the same for both personalities: getopt's wording
/// and tini's FATAL lines. \x01 is the program (argv[0] for tini, as getopt
/// prints it; `mite` for mite), \x02 the FATAL prefix, \x03 `-` or `--`,
/// \x04 the option's name, \x05 the bad value.
const ERRORS: [&[u8]; 8] = [
    b"\x01: invalid option -- '\x04'\n",
    b"\x01: unrecognized option '--\x04'\n",
    b"\x01: option requires an argument -- '\x04'\n",
    b"\x01: option '--\x04' requires an argument\n",
    b"\x01: option '--\x04' doesn't allow an argument\n",
    b"\x02 Not a valid option for \x03\x04: \x05\n",
    b"\x02 Not a valid value for \x04: \x05\n",
    b"usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n",
];

/// One line on stderr naming what was wrong.
fn usage_error(tini: bool, argv0: &[u8], e: &UsageError<'_>) {
    let (kind, o, value) = match *e {
        UsageError::UnknownOption(o) => (0, o, &b""[..]),
        UsageError::MissingValue(o) => (2, o, &b""[..]),
        UsageError::UnexpectedValue(o) => (4, o, &b""[..]),
        UsageError::BadValue(o, v) => (5, o, v),
        UsageError::BadEnv(n, v) => (
            6,
            cli::OptName {
                long: false,
                name: n,
            },
            v,
        ),
        UsageError::NoProgram => (
            7,
            cli::OptName {
                long: false,
                name: b"",
            },
            &b""[..],
        ),
    };
    // The long form of an option message is the next template.
    let kind = kind + usize::from(o.long && kind < 4);
    let mut b = [0; 10];
    let mut f = Msg::new(STDERR);
    let (prog, fatal): (&[u8], &[u8]) = if tini {
        f.put(b"[FATAL tini (\x01)]", &[num(sys::getpid() as u32, &mut b)]);
        (
            if kind == 7 {
                cli::basename(argv0)
            } else {
                argv0
            },
            f.text(),
        )
    } else {
        (b"mite", b"mite:")
    };
    let dash: &[u8] = if o.long { b"--" } else { b"-" };
    print(
        STDERR,
        ERRORS.get(kind).copied().unwrap_or(b""),
        &[prog, fatal, dash, o.name, value],
    );
}
