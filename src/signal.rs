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

/// Property tests: the signal grammar against a model written from the
/// documentation (numbers 1-64; the names `kill -l` lists, with or
/// without `SIG`, in any case; tini's strict form), and `Rewrite` and
/// `SigSet` against plain maps and sets.
#[cfg(test)]
pub(crate) mod props {
    use super::*;
    use crate::bytes::props::model_number;
    use crate::testkit::{prop, report, show};
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The standard signals 1..=31, as `kill -l` lists them on Linux
    /// (x86_64 and aarch64 share the numbering).
    pub(crate) const SIGNAL_NAMES: [&str; 31] = [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
        "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// mite's documented signal syntax: a number 1-64 (real-time signals
    /// by number only), or a name with or without `SIG`, in any case.
    pub(crate) fn model_signal(s: &[u8]) -> Option<u32> {
        if let Some(n) = model_number(s, u64::MAX) {
            return (1..=64).contains(&n).then_some(n as u32);
        }
        let up = s.to_ascii_uppercase();
        let bare = up.strip_prefix(b"SIG").unwrap_or(&up);
        SIGNAL_NAMES
            .iter()
            .position(|n| n.as_bytes() == bare)
            .map(|i| i as u32 + 1)
    }

    /// tini's: `SIG` and the upper-case name (`SIGKILL`), nothing else.
    pub(crate) fn model_signal_strict(s: &[u8]) -> Option<u32> {
        let bare = s.strip_prefix(b"SIG")?;
        SIGNAL_NAMES
            .iter()
            .position(|n| n.as_bytes() == bare)
            .map(|i| i as u32 + 1)
    }

    /// Spellings of signals and near misses: `[SIG]NAME[+-0 digits]` in
    /// mixed case, numbers, any bytes.
    pub(crate) fn signal_word() -> impl Strategy<Value = Vec<u8>> {
        let names: Vec<Vec<u8>> = SIGNAL_NAMES
            .iter()
            .map(|n| n.as_bytes().to_vec())
            .chain(["RTMIN", "RTMAX", "RTMIN+", "RTMAX-", "RT", "SIG", ""].map(|s| s.into()))
            .collect();
        prop_oneof![
            3 => (
                any::<bool>(),
                proptest::sample::select(names),
                proptest::option::of((proptest::sample::select(&b"+-0 "[..]), 0u32..70)),
                any::<u32>(),
            )
                .prop_map(|(sig, name, suffix, case)| {
                    let mut w = if sig { b"SIG".to_vec() } else { vec![] };
                    w.extend(name);
                    if let Some((c, d)) = suffix {
                        w.push(c);
                        w.extend(d.to_string().bytes());
                    }
                    // Bit i of `case`: letter i in lower case.
                    for (i, c) in w.iter_mut().enumerate().take(32) {
                        if case >> i & 1 == 1 {
                            *c = c.to_ascii_lowercase();
                        }
                    }
                    w
                }),
            1 => (0u64..200).prop_map(|n| format!("{n:0>3}").into_bytes()),
            1 => (0u64..200).prop_map(|n| n.to_string().into_bytes()),
            1 => any::<u64>().prop_map(|n| n.to_string().into_bytes()),
            1 => proptest::collection::vec(any::<u8>(), 0..16),
        ]
    }

    #[test]
    fn names_and_numbers_round_trip() {
        let mut cases = 0;
        for n in 1..=64u32 {
            let s = Signal::new(n).unwrap();
            assert_eq!(s.get(), n);
            assert_eq!(parse(n.to_string().as_bytes()), Some(s));
            assert_eq!(parse(format!("000{n}").as_bytes()), Some(s));
            assert_eq!(parse_strict(n.to_string().as_bytes()), None);
            cases += 3;
            match name(s) {
                Some(nm) => {
                    assert!(n <= 31);
                    assert_eq!(nm, SIGNAL_NAMES[n as usize - 1].as_bytes());
                    let full = [b"SIG", nm].concat();
                    for spelling in [nm.to_vec(), full.clone(), full.to_ascii_lowercase()] {
                        assert_eq!(parse(&spelling), Some(s), "{}", show(&spelling));
                    }
                    assert_eq!(parse_strict(&full), Some(s));
                    assert_eq!(parse_strict(nm), None);
                    assert_eq!(parse_strict(&full.to_ascii_lowercase()), None);
                    cases += 6;
                }
                None => assert!(n >= 32, "signal {n} has no name"),
            }
            if n >= 32 {
                let rt = format!("SIGRTMIN+{}", n - 32);
                assert_eq!(parse(rt.as_bytes()), None);
                cases += 1;
            }
        }
        for bad in [0u64, 65, 255, 256, 1 << 32, u64::MAX] {
            assert_eq!(parse(bad.to_string().as_bytes()), None, "{bad}");
            cases += 1;
        }
        report("signal_round_trip", cases);
    }

    #[test]
    fn parse_matches_model() {
        prop("signal_parse", 50_000, signal_word(), |w| {
            let got = parse(&w).map(Signal::get);
            assert_eq!(got, model_signal(&w), "parse {:?}", show(&w));
            let strict = parse_strict(&w).map(Signal::get);
            assert_eq!(strict, model_signal_strict(&w), "strict {:?}", show(&w));
            // The strict form is a subset of mite's.
            if strict.is_some() {
                assert_eq!(strict, got);
            }
        });
    }

    #[test]
    fn new_and_name_for_any_number() {
        prop("signal_new", 20_000, any::<u32>(), |n| {
            assert_eq!(
                Signal::new(n).map(Signal::get),
                (1..=64).contains(&n).then_some(n)
            );
            if let Some(s) = Signal::new(n) {
                match name(s) {
                    Some(nm) => assert_eq!(parse(nm), Some(s)),
                    None => assert!(n > 31),
                }
            }
        });
    }

    fn sig() -> impl Strategy<Value = Signal> {
        (1u32..=64).prop_map(|n| Signal::new(n).unwrap())
    }

    /// One change to a `Rewrite`: `set(from, to)`, or `job_control(to,
    /// all)` on TSTP, TTOU and TTIN (those not rewritten yet unless `all`).
    #[derive(Debug, Clone)]
    enum RewriteOp {
        Set(Signal, Option<Signal>),
        JobControl(Option<Signal>, bool),
    }

    #[test]
    fn rewrite_is_a_map() {
        let op = prop_oneof![
            6 => (sig(), proptest::option::of(sig())).prop_map(|(f, t)| RewriteOp::Set(f, t)),
            1 => (proptest::option::of(sig()), any::<bool>())
                .prop_map(|(t, all)| RewriteOp::JobControl(t, all)),
        ];
        let ops = proptest::collection::vec(op, 0..80);
        prop("rewrite", 10_000, ops, |ops| {
            let mut r = Rewrite::default();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    RewriteOp::Set(from, to) => {
                        r.set(from, to);
                        model.insert(from.get(), to.map_or(0, Signal::get));
                    }
                    RewriteOp::JobControl(to, all) => {
                        r.job_control(to, all);
                        for s in [20, 21, 22] {
                            if all || !model.contains_key(&s) {
                                model.insert(s, to.map_or(0, Signal::get));
                            }
                        }
                    }
                }
            }
            for n in 1..=64 {
                let s = Signal::new(n).unwrap();
                assert_eq!(r.get(s), model.get(&n).copied(), "signal {n}");
            }
        });
    }

    #[test]
    fn sigset_is_a_set() {
        let ops = proptest::collection::vec((sig(), any::<bool>()), 0..80);
        prop("sigset", 10_000, (any::<u64>(), ops), |(start, ops)| {
            let mut s = SigSet(start);
            let mut model: BTreeSet<u32> = (1..=64).filter(|n| start >> (n - 1) & 1 == 1).collect();
            for (sig, add) in ops {
                if add {
                    s = s.with(sig);
                    model.insert(sig.get());
                } else {
                    s = s.without(sig);
                    model.remove(&sig.get());
                }
            }
            for n in 1..=64 {
                let sig = Signal::new(n).unwrap();
                assert_eq!(s.contains(sig), model.contains(&n), "signal {n}");
            }
            assert_eq!(s.0.count_ones() as usize, model.len());
        });
        let sync: BTreeSet<u32> = (1..=64)
            .filter(|&n| SYNCHRONOUS.contains(Signal::new(n).unwrap()))
            .collect();
        assert_eq!(sync, BTreeSet::from([4, 5, 6, 7, 8, 11, 31]));
    }
}
