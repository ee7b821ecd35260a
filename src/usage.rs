//! The answers that need no child: help, version, license, and usage
//! errors, each in the form and on the stream of the personality's
//! reference (dumb-init and catatonit print help on stderr, dumb-init its
//! version too).

use crate::cli::{self, catatonit, dumb_init, mite, opt, tini, Command, Personality, UsageError};
use crate::log::{Log, FATAL};
use crate::out::{print, Line};
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
const LICENSE: &[u8] =
    b"mite: MIT License, Copyright (c) 2026 the mite authors; no warranty. See LICENSE.\n";

/// Prints the answer to `cmd`; returns the exit status (0).
pub fn answer(cmd: Command, p: Personality, argv0: &[u8]) -> u8 {
    match cmd {
        Command::Help => help(p, argv0),
        Command::Version => {
            // Each reference's own line (Docker parses tini's and
            // catatonit's; people read dumb-init's and pause's), then mite.
            let (fd, first): (i32, &[u8]) = match p {
                Personality::DumbInit => (STDERR, b"dumb-init v1.2.5"),
                Personality::Catatonit => (STDOUT, b"tini version 0.1.7_catatonit"),
                Personality::Pause => (STDOUT, b"pause.c v3.10"),
                _ => (STDOUT, b"tini version 0.19.0"),
            };
            print(fd, b"\x01\x02", first, SUFFIX, 0);
        }
        _ => print(STDOUT, LICENSE, b"", b"", 0),
    }
    0
}

/// `--help`: a usage line, then one line per option of the personality's
/// table (mite's with the environment variable of each), then notes.
fn help(p: Personality, argv0: &[u8]) {
    let name = crate::bytes::basename(argv0);
    let (fd, head, table, end): (i32, &[u8], &[u8], &[u8]) = match p {
        Personality::DumbInit => (
            STDERR,
            b"Usage: \x01 [option] command [[arg] ...]\n",
            dumb_init::TABLE,
            b"",
        ),
        Personality::Catatonit => (STDERR, catatonit::USAGE, catatonit::TABLE, b""),
        Personality::Tini => (STDOUT, USAGE, tini::TABLE, tini::HELP_END),
        _ => (STDOUT, USAGE, mite::TABLE, mite::HELP_END),
    };
    print(fd, head, name, b"", 0);
    let env = p == Personality::Mite;
    for o in cli::options(table) {
        let mut line = Line::new();
        line.push(b"  ");
        match (o.letter, o.long.is_empty()) {
            (0, _) => line.push(b"    "),
            (l, true) => line.push(&[b'-', l]),
            (l, false) => line.push(&[b'-', l, b',', b' ']),
        }
        if !o.long.is_empty() {
            line.push(b"--");
            line.push(o.long);
        }
        let tab = o.help.iter().position(|&c| c == b'\t').unwrap_or(0);
        let (value, what) = (
            o.help.get(..tab).unwrap_or(b""),
            o.help.get(tab + 1..).unwrap_or(b""),
        );
        if !value.is_empty() {
            line.push(b" ");
            line.push(value);
        }
        if env {
            line.pad(28);
            if o.code & !opt::VALUE < opt::HELP {
                line.push(b"MITE_");
                for &c in o.long {
                    line.push(&[if c == b'-' {
                        b'_'
                    } else {
                        c.to_ascii_uppercase()
                    }]);
                }
            }
            line.pad(49);
        } else {
            line.pad(26);
        }
        line.push(what);
        line.push(b"\n");
        line.write(fd);
    }
    print(fd, end, b"", b"", 0);
}

/// The usage line of mite and tini.
const USAGE: &[u8] = b"usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n";

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
        UsageError::BadValue(_, _) if p == Personality::DumbInit => {
            // The only dumb-init option with a value is -r.
            print(
                STDERR,
                b"Usage: -r option takes <signum>:<signum>, where <signum> is between 1 and 31.\n\
                  This option can be specified multiple times.\nUse --help for full usage.\n",
                b"",
                b"",
                0,
            );
            return 1;
        }
        UsageError::BadValue(o, v) => {
            let tmpl: &[u8] = if o.long {
                b"Not a valid option for --\x01: \x02\n"
            } else {
                b"Not a valid option for -\x01: \x02\n"
            };
            print(log.prefix(FATAL), tmpl, o.name, v, 0);
            return 1;
        }
        UsageError::BadEnv(b"CATATONIT_LOG", _) => {
            log.say(FATAL, b"CATATONIT_LOG is reserved for future use\n", b"", 0);
            return 1;
        }
        UsageError::BadEnv(n, v) => {
            print(
                log.prefix(FATAL),
                b"Not a valid value for \x01: \x02\n",
                n,
                v,
                0,
            );
            return 1;
        }
        UsageError::NoProgram => match p {
            Personality::DumbInit => (
                b"Usage: \x01 [option] program [args]\nTry \x01 --help for full usage.\n",
                b"",
            ),
            Personality::Catatonit => {
                log.say(FATAL, b"missing program name\n", b"", 0);
                (catatonit::USAGE, b"")
            }
            _ => (b"\x01: usage: \x01 [OPTIONS] [--] PROGRAM [ARGS...]\n", b""),
        },
    };
    print(STDERR, tmpl, prog, name, 0);
    if p == Personality::Catatonit && *e != UsageError::NoProgram {
        print(STDERR, catatonit::USAGE, b"", b"", 0);
    }
    1
}
