//! Signal numbers, names and sets: pure tables, no syscalls.
//!
//! Numbers 1..=31 are the same on x86_64 and aarch64 (asm-generic layout);
//! 32..=64 are the real-time signals. The kernel reserves none of them:
//! glibc keeps 32 and 33 for itself, but mite has no libc, so it can wait
//! for and forward every one of them.

use crate::bytes::{parse_u32, position};

/// A signal number, always within 1..=64.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Signal(u8);

/// Highest signal number the kernel knows on these architectures.
pub const NSIG: u32 = 64;

impl Signal {
    pub const HUP: Signal = Signal(1);
    pub const INT: Signal = Signal(2);
    pub const QUIT: Signal = Signal(3);
    pub const ILL: Signal = Signal(4);
    pub const TRAP: Signal = Signal(5);
    pub const ABRT: Signal = Signal(6);
    pub const BUS: Signal = Signal(7);
    pub const FPE: Signal = Signal(8);
    pub const KILL: Signal = Signal(9);
    pub const SEGV: Signal = Signal(11);
    pub const PIPE: Signal = Signal(13);
    pub const TERM: Signal = Signal(15);
    pub const CHLD: Signal = Signal(17);
    pub const CONT: Signal = Signal(18);
    pub const STOP: Signal = Signal(19);
    pub const TSTP: Signal = Signal(20);
    pub const TTIN: Signal = Signal(21);
    pub const TTOU: Signal = Signal(22);
    pub const SYS: Signal = Signal(31);
    /// First real-time signal as the kernel numbers them (not glibc's 34).
    pub const RTMIN: u32 = 32;

    /// The signal numbered `n`, if `n` is in 1..=64.
    pub const fn new(n: u32) -> Option<Signal> {
        if n >= 1 && n <= NSIG {
            Some(Signal(n as u8))
        } else {
            None
        }
    }

    /// The signal's number.
    pub const fn get(self) -> u32 {
        self.0 as u32
    }
}

/// Names of signals 1..=31 without `SIG`, in numeric order, each ended by
/// a NUL. Packed in one string: a table of slices would cost 16 bytes of
/// pointer and length per name in the binary.
const NAMES: &[u8] = b"HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0USR1\0SEGV\0USR2\0PIPE\0\
ALRM\0TERM\0STKFLT\0CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS";

/// The number of the standard signal called `name` (without `SIG`).
fn lookup(name: &[u8]) -> Option<u32> {
    position(NAMES, name).map(|i| i as u32 + 1)
}

/// The conventional name of a standard signal without `SIG`, e.g. `TERM`.
/// Real-time signals have no fixed name: `None`.
pub fn name(sig: Signal) -> Option<&'static [u8]> {
    Some(crate::bytes::nth(NAMES, sig.get() as usize - 1)).filter(|n| !n.is_empty())
}

/// Parses a signal the way mite's own CLI takes one: a number 1..=64
/// (`15`; real-time signals by number, `34`) or a name with or without
/// `SIG` in any case (`TERM`, `sigterm`).
pub fn parse(s: &[u8]) -> Option<Signal> {
    if let Some(n) = parse_u32(s, NSIG) {
        return Signal::new(n);
    }
    let mut buf = [0u8; 12];
    let up = buf.get_mut(..s.len())?;
    for (o, c) in up.iter_mut().zip(s) {
        *o = c.to_ascii_uppercase();
    }
    let bare = up.strip_prefix(b"SIG").unwrap_or(up);
    Signal::new(lookup(bare)?)
}

/// Parses a name the way tini does: `SIG` and an upper-case name
/// (`SIGKILL`; not `KILL`, `sigkill` or `9`).
pub fn parse_strict(s: &[u8]) -> Option<Signal> {
    if !s.starts_with(b"SIG") || s.iter().any(|c| c.is_ascii_lowercase()) {
        return None;
    }
    parse(s)
}

/// A set of signals in the kernel's layout (bit n-1 for signal n).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[repr(transparent)]
pub struct SigSet(pub u64);

impl SigSet {
    pub const EMPTY: SigSet = SigSet(0);
    pub const FULL: SigSet = SigSet(!0);

    pub const fn with(self, s: Signal) -> SigSet {
        SigSet(self.0 | 1 << (s.0 - 1))
    }
    pub const fn without(self, s: Signal) -> SigSet {
        SigSet(self.0 & !(1 << (s.0 - 1)))
    }
    pub const fn contains(self, s: Signal) -> bool {
        self.0 & (1 << (s.0 - 1)) != 0
    }
}

/// How signals are rewritten before they are forwarded (`-r S:R`): for
/// each signal, nothing (forward it as it is), another signal, or none
/// (drop it). One byte per signal: 0 for "as it is", else R + 1.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Rewrite([u8; NSIG as usize]);

impl Default for Rewrite {
    fn default() -> Rewrite {
        Rewrite([0; NSIG as usize])
    }
}

impl Rewrite {
    /// From now on, forward `from` as `to` (`None`: drop it).
    pub fn set(&mut self, from: Signal, to: Option<Signal>) {
        if let Some(slot) = self.0.get_mut(from.0 as usize - 1) {
            *slot = to.map_or(0, |t| t.0) + 1;
        }
    }

    /// Rewrites the job-control signals (TSTP, TTOU, TTIN) to `to`; only
    /// those not rewritten yet unless `all`.
    pub fn job_control(&mut self, to: Option<Signal>, all: bool) {
        for s in [Signal::TSTP, Signal::TTOU, Signal::TTIN] {
            if all || self.get(s).is_none() {
                self.set(s, to);
            }
        }
    }

    /// What `sig` is forwarded as, if it is rewritten: `Some(0)` when it is
    /// dropped, `Some(R)` for signal R; `None` when it is not rewritten.
    pub fn get(&self, sig: Signal) -> Option<u32> {
        match self.0.get(sig.0 as usize - 1) {
            Some(&v) if v != 0 => Some(u32::from(v) - 1),
            _ => None,
        }
    }
}

/// Signals the kernel raises for a fault in the faulting thread itself.
/// tini leaves them unblocked so that a fault in tini kills it; that also
/// means a `kill -ABRT 1` is dropped by the kernel (tini#104).
pub const SYNCHRONOUS: SigSet = SigSet::EMPTY
    .with(Signal::FPE)
    .with(Signal::ILL)
    .with(Signal::SEGV)
    .with(Signal::BUS)
    .with(Signal::ABRT)
    .with(Signal::TRAP)
    .with(Signal::SYS);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        assert_eq!(
            NAMES.split(|&c| c == 0).filter(|n| !n.is_empty()).count(),
            31
        );
        for n in 1..=31 {
            let s = Signal::new(n).unwrap();
            let name = name(s).unwrap();
            assert_eq!(parse(name), Some(s));
            let mut full = b"SIG".to_vec();
            full.extend_from_slice(name);
            assert_eq!(parse(&full), Some(s));
            assert_eq!(parse_strict(&full), Some(s));
            assert_eq!(parse(&full.to_ascii_lowercase()), Some(s));
            assert_eq!(parse(n.to_string().as_bytes()), Some(s));
        }
    }

    #[test]
    fn well_known_numbers() {
        assert_eq!(parse(b"TERM"), Some(Signal::TERM));
        assert_eq!(parse(b"SIGKILL").unwrap().get(), 9);
        assert_eq!(parse(b"CHLD").unwrap().get(), 17);
        assert_eq!(parse(b"STKFLT").unwrap().get(), 16);
        assert_eq!(parse(b"PWR").unwrap().get(), 30);
        assert_eq!(parse(b"SYS").unwrap().get(), 31);
    }

    #[test]
    fn real_time_by_number_only() {
        assert_eq!(parse(b"64").unwrap().get(), 64);
        assert_eq!(parse(b"34").unwrap().get(), 34);
        assert_eq!(parse(b"RTMIN"), None);
        assert_eq!(parse(b"SIGRTMIN+2"), None);
        assert_eq!(name(Signal::new(40).unwrap()), None);
    }

    #[test]
    fn rejects() {
        for bad in [
            &b""[..],
            b"0",
            b"65",
            b"-1",
            b"+1",
            b"SIG",
            b"TERMX",
            b"SIGSIGTERM",
            b"RTMIN+",
            b"RTMIN+x",
            b"99999999999999",
            b"VERYLONGSIGNALNAME",
            b" TERM",
        ] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse_strict(b"TERM"), None);
        assert_eq!(parse_strict(b"sigterm"), None);
        assert_eq!(parse_strict(b"15"), None);
        assert_eq!(name(Signal::new(64).unwrap()), None);
    }

    #[test]
    fn rewrites() {
        let mut r = Rewrite::default();
        assert_eq!(r.get(Signal::TERM), None);
        r.set(Signal::TERM, Some(Signal::QUIT));
        r.set(Signal::HUP, None);
        r.set(Signal::new(64).unwrap(), Some(Signal::new(40).unwrap()));
        assert_eq!(r.get(Signal::TERM), Some(3));
        assert_eq!(r.get(Signal::HUP), Some(0));
        assert_eq!(r.get(Signal::new(64).unwrap()), Some(40));
        assert_eq!(r.get(Signal::INT), None);
    }

    #[test]
    fn sets() {
        let s = SigSet::EMPTY
            .with(Signal::TERM)
            .with(Signal::new(64).unwrap());
        assert!(s.contains(Signal::TERM));
        assert!(!s.contains(Signal::INT));
        assert_eq!(s.0, (1 << 14) | (1 << 63));
        assert_eq!(SigSet::FULL.without(Signal::HUP).0, !1);
        assert_eq!(SYNCHRONOUS.0.count_ones(), 7);
    }
}
