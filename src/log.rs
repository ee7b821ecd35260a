//! mite's own messages, in the format of the personality in use.
//!
//! mite: `mite: ...` on stderr, every level. tini: `[LEVEL tini (PID)] ...`,
//! FATAL and WARN on stderr, INFO and DEBUG on stdout, as tini prints them.

use crate::cli::Personality;
use crate::out::print;
use crate::sys::{Pid, STDERR, STDOUT};

pub const FATAL: u32 = 0;
pub const WARN: u32 = 1;
pub const INFO: u32 = 2;

/// tini's level names, 5 bytes each, for its `[LEVEL tini (PID)] ` prefix.
const TINI_LEVELS: &[u8] = b"FATALWARN INFO ";

#[derive(Clone, Copy)]
pub struct Log {
    pub personality: Personality,
    pub verbosity: u32,
    pub pid: Pid,
}

impl Log {
    /// Writes one line: the prefix for `level`, then `tmpl` (which ends
    /// with a newline) expanded with `a` and `n` (see `out`). Nothing when
    /// the verbosity hides that level; FATAL is always shown.
    pub fn say(&self, level: u32, tmpl: &[u8], a: &[u8], n: u32) {
        if level > FATAL && level > self.verbosity {
            return;
        }
        let fd = self.prefix(level);
        print(fd, tmpl, a, b"", n);
    }

    /// Writes the prefix of a line of `level`; returns the stream it goes
    /// to, for the rest of the line.
    pub fn prefix(&self, level: u32) -> i32 {
        let (fd, prefix): (i32, &[u8]) = match self.personality {
            Personality::Tini => {
                let l = level as usize * 5;
                (
                    if level >= INFO { STDOUT } else { STDERR },
                    TINI_LEVELS.get(l..l + 5).unwrap_or(b""),
                )
            }
            Personality::Mite => (STDERR, b""),
        };
        let tmpl: &[u8] = if prefix.is_empty() {
            b"mite: "
        } else {
            b"[\x01 tini (\x03)] "
        };
        print(fd, tmpl, prefix, b"", self.pid as u32);
        fd
    }
}
