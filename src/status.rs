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

/// Property tests: wait statuses decoded as the libc macros say (written
/// out as glibc defines them), `-e` as a set, exec failures as tini maps
/// them.
#[cfg(test)]
mod props {
    use super::*;
    use crate::testkit::prop;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    // glibc's <bits/waitstatus.h>, in plain arithmetic.
    fn wifexited(s: i32) -> bool {
        s & 0x7f == 0
    }
    fn wexitstatus(s: i32) -> i32 {
        (s & 0xff00) >> 8
    }
    fn wifsignaled(s: i32) -> bool {
        (((s & 0x7f) + 1) as i8 >> 1) > 0
    }
    fn wtermsig(s: i32) -> i32 {
        s & 0x7f
    }
    fn wifstopped(s: i32) -> bool {
        s & 0xff == 0x7f
    }
    fn wifcontinued(s: i32) -> bool {
        s == 0xffff
    }

    fn status_word() -> impl Strategy<Value = i32> {
        prop_oneof![
            any::<i32>(),
            (0..=255i32).prop_map(|c| c << 8),
            (1..=64i32, any::<bool>()).prop_map(|(s, core)| s | if core { 0x80 } else { 0 }),
            (1..=64i32).prop_map(|s| s << 8 | 0x7f),
            Just(0xffff),
            Just(0x7f),
            Just(0xff),
            Just(i32::MIN),
            Just(-1),
        ]
    }

    fn exit_set() -> impl Strategy<Value = BTreeSet<u8>> {
        proptest::collection::btree_set(any::<u8>(), 0..40)
    }

    fn map_of(set: &BTreeSet<u8>) -> ExitMap {
        let mut map = ExitMap::default();
        for &c in set {
            map.insert(c);
        }
        map
    }

    #[test]
    fn decode_matches_libc_macros() {
        prop("decode", 50_000, (status_word(), exit_set()), |(s, set)| {
            let map = map_of(&set);
            let d = decode(s);
            if wifexited(s) {
                assert_eq!(d, Some(Ended::Exited(wexitstatus(s) as u8)), "{s:#x}");
            } else if wifsignaled(s) {
                assert_eq!(d, Some(Ended::Killed(wtermsig(s) as u8)), "{s:#x}");
            } else {
                assert_eq!(d, None, "{s:#x}");
                // What is left: stops (and 0xff, which wait never reports).
                assert!(
                    wifstopped(s) || wifcontinued(s) || s & 0x7f == 0x7f,
                    "{s:#x}"
                );
            }
            if let Some(e) = d {
                // What a shell reports, then `-e` applied.
                let raw = if wifexited(s) {
                    wexitstatus(s)
                } else {
                    128 + wtermsig(s)
                };
                assert!((0..=255).contains(&raw));
                let want = if set.contains(&(raw as u8)) {
                    0
                } else {
                    raw as u8
                };
                assert_eq!(exit_code(e, &map), want, "{s:#x} {set:?}");
            }
        });
    }

    #[test]
    fn exit_map_is_a_set() {
        prop(
            "exit_map",
            20_000,
            (exit_set(), exit_set()),
            |(set, again)| {
                let mut map = map_of(&set);
                // Inserting is idempotent and adds nothing else.
                for &c in &again {
                    map.insert(c);
                }
                let union: BTreeSet<u8> = set.union(&again).copied().collect();
                for c in 0..=255u8 {
                    assert_eq!(map.contains(c), union.contains(&c), "{c} in {union:?}");
                    assert_eq!(map.apply(c), if union.contains(&c) { 0 } else { c });
                }
                assert!(map == map_of(&union));
            },
        );
    }

    #[test]
    fn exec_failure_codes_for_any_errno() {
        prop("exec_failure_code", 20_000, -5000i32..5000, |e| {
            let want = match e {
                2 => 127,               // ENOENT
                1 | 8 | 13 | 21 => 126, // EPERM ENOEXEC EACCES EISDIR
                _ => 1,
            };
            assert_eq!(exec_failure_code(Errno::new(e)), want, "errno {e}");
        });
    }
}
