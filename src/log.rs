//! mite's own messages, in the format of the personality in use. Every
//! prefix that tools or people grep for is the reference's:
//!
//! - mite: `mite: ...` on stderr;
//! - tini: `[LEVEL tini (PID)] ...`, FATAL and WARN on stderr, INFO and
//!   DEBUG on stdout, as tini prints them;
//! - dumb-init: `[dumb-init] ...` on stderr;
//! - catatonit: `LEVEL (catatonit:PID): ...` on stderr;
//! - pause: the bare text on stderr.
//!
//! The events themselves (child spawned, signal received, forwarded,
//! rewritten, dropped, child exited) are told in dumb-init's words for
//! every personality: one set of templates, and dumb-init's are the ones
//! that name each event.

use crate::bytes::nth;
use crate::cli::Personality;
use crate::out::Out;
use crate::sys::{Pid, STDERR, STDOUT};

pub const FATAL: u32 = 0;
pub const WARN: u32 = 1;
pub const INFO: u32 = 2;
pub const DEBUG: u32 = 3;

/// Each personality's line prefix, a template (\x01: the level's name,
/// \x03: the pid), NUL-separated in the order of `Personality`.
const PREFIXES: &[u8] = b"mite: \0[\x01 tini (\x03)] \0[dumb-init] \0\x01 (catatonit:\x03): \0";
/// The level names, NUL-separated by level: tini's (padded to 5), then
/// catatonit's (which calls its fatal errors ERROR).
const LEVELS: &[u8] = b"FATAL\0WARN \0INFO \0DEBUG\0ERROR\0WARN\0INFO\0DEBUG";

#[derive(Clone, Copy)]
pub struct Log {
    pub personality: Personality,
    pub verbosity: u32,
    pub pid: Pid,
}

impl Log {
    /// Writes one line: the prefix for `level`, then `tmpl` (which ends
    /// with a newline) expanded with `a` and `n` (see `out`), with one
    /// `write`. Nothing when the verbosity hides that level; FATAL is
    /// always shown.
    pub fn say(&self, level: u32, tmpl: &[u8], a: &[u8], n: u32) {
        self.line(level, tmpl, a, b"", n);
    }

    /// `say` without a string.
    pub fn note(&self, level: u32, tmpl: &[u8], n: u32) {
        self.line(level, tmpl, b"", b"", n);
    }

    /// `say` with a second string (`\x02`).
    pub fn line(&self, level: u32, tmpl: &[u8], a: &[u8], b: &[u8], n: u32) {
        if !self.shows(level) {
            return;
        }
        let p = self.personality;
        let fd = if p == Personality::Tini && level >= INFO {
            STDOUT
        } else {
            STDERR
        };
        let catatonit = usize::from(p == Personality::Catatonit) * 4;
        let mut out = Out::new(fd);
        out.put(
            nth(PREFIXES, p as usize),
            nth(LEVELS, level as usize + catatonit),
            b"",
            self.pid as u32,
        );
        out.put(tmpl, a, b, n);
        out.flush();
    }

    /// True when lines of `level` are shown.
    pub fn shows(&self, level: u32) -> bool {
        level <= self.verbosity || level == FATAL
    }
}
