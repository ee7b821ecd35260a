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
pub mod run;
pub mod signal;
pub mod status;
pub mod sys;

use cli::{Command, Config, Personality, UsageError};
use out::{num, print};
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

/// Usage error messages, in the order of `UsageError`'s variants. In them
/// \x01 is argv[0], \x02 the pid, \x03 `-` or `--`, \x04 the option's name,
/// \x05 the bad value. tini's are getopt's wording and tini's FATAL lines.
const TINI_ERRORS: [&[u8]; 6] = [
    b"\x01: invalid option -- '\x04'\n",
    b"\x01: option requires an argument -- '\x04'\n",
    b"\x01: option '--\x04' doesn't allow an argument\n",
    b"[FATAL tini (\x02)] Not a valid option for -\x04: \x05\n",
    b"[FATAL tini (\x02)] Not a valid value for \x04: \x05\n",
    b"usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n",
];
const MITE_ERRORS: [&[u8]; 6] = [
    b"mite: unknown option '\x03\x04'\n",
    b"mite: option '\x03\x04' needs a value\n",
    b"mite: option '\x03\x04' takes no value\n",
    b"mite: invalid value for '\x03\x04': '\x05'\n",
    b"mite: invalid \x04: '\x05'\n",
    b"mite: no program given; usage: mite [OPTIONS] [--] PROGRAM [ARGS...]\n",
];

/// One line on stderr naming what was wrong.
#[inline(never)]
fn usage_error(tini: bool, argv0: &[u8], e: &UsageError<'_>) {
    let (kind, o, value) = match *e {
        UsageError::UnknownOption(o) => (0, o, &b""[..]),
        UsageError::MissingValue(o) => (1, o, &b""[..]),
        UsageError::UnexpectedValue(o) => (2, o, &b""[..]),
        UsageError::BadValue(o, v) => (3, o, v),
        UsageError::BadEnv(n, v) => (
            4,
            cli::OptName {
                long: false,
                name: n,
            },
            v,
        ),
        UsageError::NoProgram => (
            5,
            cli::OptName {
                long: false,
                name: b"",
            },
            &b""[..],
        ),
    };
    let mut tmpl = MITE_ERRORS.get(kind).copied().unwrap_or(b"");
    let mut argv0 = argv0;
    if tini {
        tmpl = TINI_ERRORS.get(kind).copied().unwrap_or(b"");
        if kind == 0 && o.long {
            tmpl = b"\x01: unrecognized option '--\x04'\n";
        }
        if kind == 5 {
            argv0 = cli::basename(argv0);
        }
    }
    let mut b = [0; 10];
    let pid = num(sys::getpid() as u32, &mut b);
    let dash: &[u8] = if o.long { b"--" } else { b"-" };
    print(STDERR, tmpl, &[argv0, pid, dash, o.name, value]);
}
