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

/// Declares the message catalog: `Msg`, one variant per message, and the
/// levels and packed texts in the same order. A call site names a message
/// (`log.note(Msg::Spawned, pid)`): one byte instead of a level, a pointer
/// and a length, about 9 bytes of code per call site.
macro_rules! messages {
    ($($name:ident: $level:ident $text:literal,)*) => {
        /// mite's messages; the wording is in `messages!` below.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u8)]
        pub enum Msg {
            $($name,)*
        }
        /// Their levels, by `Msg`.
        const MSG_LEVELS: &[u8] = &[$($level as u8,)*];
        /// Their templates (see `out`), packed, NUL-separated by `Msg`.
        const MSG_TEXTS: &[u8] = crate::packed!(concat!($($text, "\0",)*).as_bytes());
    };
}

messages! {
    SubreaperFailed: FATAL "cannot become a child subreaper: \x04\n",
    // tini's key phrase, which tools grep for.
    NotAReaper: WARN "\x01not running as PID 1 and isn't registered as a child subreaper: zombie reaping won't work (use -s)\n",
    PauseNotPid1: WARN "Warning: pause should be the first process\n",
    ForkFailed: FATAL "fork failed: \x04\n",
    // The events, in dumb-init's words, for every personality.
    Spawned: INFO "Child spawned with PID \x03.\n",
    NoDetach: DEBUG "Unable to detach from controlling tty (errno=\x03 \x04).\n",
    Detached: DEBUG "Detached from controlling tty, ignoring the first SIGHUP and SIGCONT we receive.\n",
    DetachedNotLeader: DEBUG "Detached from controlling tty, but was not session leader.\n",
    NoAttach: DEBUG "Unable to attach to controlling tty (errno=\x03 \x04).\n",
    SetsidDone: DEBUG "setsid complete.\n",
    Received: DEBUG "Received signal \x03.\n",
    HandOff: DEBUG "Ignoring tty hand-off signal \x03.\n",
    Suspending: DEBUG "Suspending self due to TTY signal.\n",
    Translating: DEBUG "Translating signal \x01 to \x03.\n",
    NotForwarding: DEBUG "Not forwarding signal \x03 to children (ignored).\n",
    Forwarded: DEBUG "Forwarded signal \x03 to children.\n",
    Exited: DEBUG "A child with PID \x01 exited with exit status \x03.\n",
    Killed: DEBUG "A child with PID \x01 was terminated by signal \x03.\n",
    Reaped: WARN "Reaped zombie process with pid=\x03\n",
    Goodbye: INFO "Child exited with status \x03. Goodbye.\n",
    // The drain.
    Asked: INFO "Asked pid \x01 to stop (signal \x03).\n",
    Killing: INFO "Killing pid \x01 (signal \x03).\n",
    // pause.c's psignal line.
    ShuttingDown: WARN "Shutting down, got signal: \x01\n",
    // Exec failures, in each reference's words.
    ExecFailed: FATAL "exec \x01 failed: \x04\n",
    ExecFailedDumbInit: FATAL "\x01: \x04\n",
    ExecFailedCatatonit: FATAL "failed to exec pid1: \x04\n",
    // Usage errors that are not getopt's.
    BadShortValue: FATAL "Not a valid option for -\x01: \x02\n",
    BadLongValue: FATAL "Not a valid option for --\x01: \x02\n",
    BadEnv: FATAL "Not a valid value for \x01: \x02\n",
    Reserved: FATAL "CATATONIT_LOG is reserved for future use\n",
    MissingProgram: FATAL "missing program name\n",
}

#[derive(Clone, Copy)]
pub struct Log {
    pub personality: Personality,
    pub verbosity: u32,
    pub pid: Pid,
}

impl Log {
    /// Writes one line: the prefix for the message's level, then the
    /// message (which ends with a newline) expanded with `a` and `n` (see
    /// `out`), with one `write`. Nothing when the verbosity hides that
    /// level; FATAL is always shown.
    pub fn say(&self, m: Msg, a: &[u8], n: u32) {
        self.line(m, a, b"", n);
    }

    /// `say` without a string.
    pub fn note(&self, m: Msg, n: u32) {
        self.line(m, b"", b"", n);
    }

    /// `say` with a second string (`\x02`).
    pub fn line(&self, m: Msg, a: &[u8], b: &[u8], n: u32) {
        let level = u32::from(MSG_LEVELS.get(m as usize).copied().unwrap_or(0));
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
        out.put(nth(MSG_TEXTS, m as usize), a, b, n);
        out.flush();
    }

    /// True when lines of `level` are shown.
    pub fn shows(&self, level: u32) -> bool {
        level <= self.verbosity || level == FATAL
    }
}
