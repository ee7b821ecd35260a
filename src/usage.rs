//! The answers that need no child: help, version, license, and usage
//! errors, each in the form and on the stream of the personality's
//! reference (dumb-init and catatonit print help on stderr, dumb-init its
//! version too).

use crate::cli::{catatonit, dumb_init, mite, tini, Command, Personality, UsageError};
use crate::log::{Log, Msg};
use crate::out::print;
use crate::sys::{self, STDERR, STDOUT};

/// What every version line ends with: mite's version and the commit it
/// was built from (build.rs), as ` - git.COMMIT`, which Docker parses.
const SUFFIX: &[u8] = concat!(
    " (mite ",
    env!("CARGO_PKG_VERSION"),
    ") - git.",
    env!("MITE_COMMIT"),
    "\n"
)
.as_bytes();

/// The full MIT text would cost a kilobyte in every copy of the binary.
const LICENSE: &[u8] = crate::packed!(
    b"mite: MIT License, Copyright (c) 2026 the mite authors; no warranty. See LICENSE.\n"
);

/// Prints the answer to `cmd`; returns the exit status (0).
pub fn answer(cmd: Command, p: Personality, argv0: &[u8]) -> u8 {
    match cmd {
        Command::Help => help(p, argv0),
        Command::Version => {
            // Each reference's own line (Docker parses tini's and
            // catatonit's; people read dumb-init's and pause's), then mite.
            // \x02 in each: SUFFIX.
            let (fd, first): (i32, &[u8]) = match p {
                Personality::DumbInit => (STDERR, crate::packed!(b"dumb-init v1.2.5\x02")),
                Personality::Catatonit => {
                    (STDOUT, crate::packed!(b"tini version 0.1.7_catatonit\x02"))
                }
                Personality::Pause => (STDOUT, crate::packed!(b"pause.c v3.10\x02")),
                _ => (STDOUT, crate::packed!(b"tini version 0.19.0\x02")),
            };
            print(fd, first, b"", SUFFIX, 0);
        }
        _ => print(STDOUT, LICENSE, b"", b"", 0),
    }
    0
}

/// `--help`, on the stream the reference prints it to.
fn help(p: Personality, argv0: &[u8]) {
    let (fd, text): (i32, &[u8]) = match p {
        Personality::DumbInit => (STDERR, dumb_init::HELP),
        Personality::Catatonit => {
            print(STDERR, catatonit::USAGE, b"", b"", 0);
            (STDERR, catatonit::HELP)
        }
        Personality::Tini => (STDOUT, tini::HELP),
        _ => (STDOUT, mite::HELP),
    };
    print(fd, text, crate::bytes::basename(argv0), b"", 0);
}

/// getopt's messages, NUL-separated, as `refuse` indexes them: an unknown
/// short and long option, a missing value of a short and a long one, a
/// value given to a long option that takes none.
const GETOPT: &[u8] = crate::packed!(
    b"\x01: invalid option -- '\x02'\n\0\
\x01: unrecognized option '--\x02'\n\0\
\x01: option requires an argument -- '\x02'\n\0\
\x01: option '--\x02' requires an argument\n\0\
\x01: option '--\x02' doesn't allow an argument\n"
);

/// dumb-init's words for a bad `-r` (its only option with a value).
const DUMB_INIT_REWRITE: &[u8] = crate::packed!(
    b"Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n\
This option can be specified multiple times.\nUse --help for full usage.\n"
);

/// Prints why the command line was refused, as the personality's
/// reference words it: getopt's lines for option errors (with argv[0] as
/// given; `mite` for mite), the reference's own for the rest. Returns the
/// exit status: 1, as every reference.
pub fn refuse(p: Personality, argv0: &[u8], e: &UsageError<'_>) -> u8 {
    let log = Log {
        personality: p,
        verbosity: 0,
        pid: sys::getpid(),
    };
    let prog: &[u8] = if p == Personality::Mite {
        b"mite"
    } else {
        argv0
    };
    // (stream, template, \x01, \x02)
    let (fd, tmpl, a, b): (i32, &[u8], &[u8], &[u8]) = match *e {
        UsageError::UnknownOption(o)
        | UsageError::MissingValue(o)
        | UsageError::UnexpectedValue(o) => {
            let kind = match *e {
                UsageError::UnknownOption(_) => 0,
                UsageError::MissingValue(_) => 2,
                _ => 3,
            };
            let tmpl = crate::bytes::nth(GETOPT, kind + usize::from(o.long));
            (STDERR, tmpl, prog, o.name)
        }
        UsageError::BadValue(..) if p == Personality::DumbInit => {
            (STDERR, DUMB_INIT_REWRITE, b"", b"")
        }
        UsageError::BadValue(o, v) => {
            let m = if o.long {
                Msg::BadLongValue
            } else {
                Msg::BadShortValue
            };
            return fatal(&log, m, o.name, v);
        }
        UsageError::Reserved => return fatal(&log, Msg::Reserved, b"", b""),
        UsageError::BadEnv(n, v) => return fatal(&log, Msg::BadEnv, n, v),
        UsageError::NoProgram => match p {
            Personality::DumbInit => (
                STDERR,
                crate::packed!(
                    b"Usage: \x01 [option] program [args]\nTry \x01 --help for full usage.\n"
                ),
                prog,
                b"",
            ),
            Personality::Catatonit => {
                log.note(Msg::MissingProgram, 0);
                (STDERR, catatonit::USAGE, b"", b"")
            }
            _ => (
                STDERR,
                crate::packed!(b"\x01: usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n"),
                prog,
                b"",
            ),
        },
    };
    print(fd, tmpl, a, b, 0);
    // catatonit follows each getopt error with its usage line.
    if p == Personality::Catatonit && !matches!(e, UsageError::NoProgram) {
        print(STDERR, catatonit::USAGE, b"", b"", 0);
    }
    1
}

/// A FATAL line in the personality's format; exit status 1.
fn fatal(log: &Log, m: Msg, a: &[u8], b: &[u8]) -> u8 {
    log.line(m, a, b, 0);
    1
}
