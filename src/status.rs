//! Exit status mapping: pure functions from what the kernel reported to the
//! code mite exits with.

use crate::sys::Errno;

/// A set of exit codes 0..=255 (tini's `-e`): each one is reported as 0.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct ExitMap([u64; 4]);

impl ExitMap {
    pub fn insert(&mut self, code: u8) {
        if let Some(w) = self.0.get_mut(usize::from(code >> 6)) {
            *w |= 1 << (code & 63);
        }
    }

    pub fn contains(&self, code: u8) -> bool {
        self.0
            .get(usize::from(code >> 6))
            .is_some_and(|w| w & (1 << (code & 63)) != 0)
    }

    /// `code`, or 0 when `code` is in the set.
    pub fn apply(&self, code: u8) -> u8 {
        if self.contains(code) {
            0
        } else {
            code
        }
    }
}

/// How a child ended, decoded from a wait status.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ended {
    Exited(u8),
    Killed(u8),
}

/// Decodes a wait4 status; `None` for a stop or continue report (mite never
/// asks for those, so they cannot be an exit).
pub fn decode(status: i32) -> Option<Ended> {
    let sig = (status & 0x7f) as u8;
    if sig == 0 {
        Some(Ended::Exited(((status >> 8) & 0xff) as u8))
    } else if sig != 0x7f {
        // Terminated by a signal (bit 7 is the core-dump flag).
        Some(Ended::Killed(sig))
    } else {
        None
    }
}

/// The status a shell would report: the exit code, or 128 + the signal
/// number (emulate what sh does). Then `remap` turns listed codes into 0.
pub fn exit_code(ended: Ended, remap: &ExitMap) -> u8 {
    let code = match ended {
        Ended::Exited(c) => c,
        Ended::Killed(s) => 128u8.wrapping_add(s),
    };
    remap.apply(code)
}

/// The status for a program that could not be executed: 127 when it was
/// not found, 126 when it was found but cannot be run, 1 otherwise (tini's
/// mapping; tini has no ENOEXEC case, as glibc's execvp runs such a file
/// with /bin/sh).
pub fn exec_failure_code(e: Errno) -> u8 {
    match e {
        Errno::ENOENT => 127,
        Errno::EACCES | Errno::ENOEXEC | Errno::EISDIR | Errno::EPERM => 126,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exited(c: i32) -> i32 {
        c << 8
    }

    #[test]
    fn exit_codes_pass_through() {
        let none = ExitMap::default();
        for c in 0..=255 {
            assert_eq!(decode(exited(c)), Some(Ended::Exited(c as u8)));
            assert_eq!(exit_code(decode(exited(c)).unwrap(), &none), c as u8);
        }
    }

    #[test]
    fn signals_are_128_plus_n() {
        let none = ExitMap::default();
        for s in 1..=64 {
            assert_eq!(decode(s), Some(Ended::Killed(s as u8)), "sig {s}");
            assert_eq!(decode(s | 0x80), Some(Ended::Killed(s as u8)), "core {s}");
            assert_eq!(exit_code(Ended::Killed(s as u8), &none), 128 + s as u8);
        }
    }

    #[test]
    fn stops_and_continues_are_not_exits() {
        // WIFSTOPPED: low byte 0x7f, stop signal in the next byte.
        assert_eq!(decode(0x137f), None);
        assert_eq!(decode(0x137f | (19 << 8)), None);
        // WIFCONTINUED
        assert_eq!(decode(0xffff), None);
    }

    #[test]
    fn remap() {
        let mut m = ExitMap::default();
        m.insert(143);
        m.insert(0);
        m.insert(255);
        m.insert(3);
        assert_eq!(exit_code(Ended::Killed(15), &m), 0);
        assert_eq!(exit_code(Ended::Killed(9), &m), 137);
        assert_eq!(exit_code(Ended::Exited(3), &m), 0);
        assert_eq!(exit_code(Ended::Exited(4), &m), 4);
        assert_eq!(exit_code(Ended::Exited(255), &m), 0);
        for c in 0..=255u8 {
            assert_eq!(m.contains(c), [0, 3, 143, 255].contains(&c));
        }
    }

    #[test]
    fn exec_failures() {
        assert_eq!(exec_failure_code(Errno::ENOENT), 127);
        assert_eq!(exec_failure_code(Errno::EACCES), 126);
        assert_eq!(exec_failure_code(Errno::ENOEXEC), 126);
        assert_eq!(exec_failure_code(Errno::E2BIG), 1);
        assert_eq!(exec_failure_code(Errno::ENOTDIR), 1);
        assert_eq!(exec_failure_code(Errno::ENOMEM), 1);
    }
}
