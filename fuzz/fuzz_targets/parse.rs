//! Fuzz target: mite's argument and environment parsing, for every
//! personality.
//!
//! The input is split at its first 0xff byte into an argv part and an
//! envp part; each part is split on NUL into strings (a C string cannot
//! hold a NUL, so that is every argv the kernel could hand mite). The
//! invocation is parsed under the argv[0] of the input and again under
//! each personality's name (mite, tini, dumb-init, catatonit, pause), so
//! every personality sees every input. Each word also goes through the
//! signal and number parsers and the packed-list reader, and the first
//! bytes through the wait-status decoder.
//!
//! What counts as a finding: any panic (an out-of-bounds index, an
//! overflow in a debug build, a failed invariant below) or a hang. The
//! exact answers are checked against a model of the grammar by the
//! property tests (src/cli/props.rs); here, what must hold for any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mite::bytes::{nth, parse_u32, position};
use mite::cli::{self, flag, Command, Config, Personality, UsageError};
use mite::signal;
use mite::status::{self, ExitMap};
use mite::sys::{Argv, OwnedArgv};

fn split(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        return Vec::new();
    }
    b.split(|&c| c == 0).collect()
}

/// True when `s` lies inside one of the strings of `list`.
fn points_into(s: &[u8], list: Argv<'_>) -> bool {
    list.iter().any(|w| {
        let (lo, hi) = (w.as_ptr() as usize, w.as_ptr() as usize + w.len());
        let p = s.as_ptr() as usize;
        p >= lo && p + s.len() <= hi
    })
}

/// A word of argv[1..] that is a short-option bundle holding `c`.
fn bundle(a: Argv<'_>, c: u8) -> bool {
    a.iter()
        .skip(1)
        .any(|w| w.len() >= 2 && w[0] == b'-' && w[1] != b'-' && w.contains(&c))
}

/// Parses and checks what must hold for any input.
fn check(argv: &[&[u8]], env: &[&[u8]]) {
    let owned = OwnedArgv::new(argv);
    let owned_env = OwnedArgv::new(env);
    let (a, e) = (owned.argv(), owned_env.argv());
    let p = Personality::from_argv0(a.get(0).unwrap_or(b""));
    let mut cfg = Config::new(p, a);
    let result = cli::parse(a, e, &mut cfg);
    let mut again = Config::new(p, a);
    assert_eq!(cli::parse(a, e, &mut again), result);
    let word = |x: &[u8]| a.iter().skip(1).any(|w| w == x);
    match result {
        Ok(Command::Run) => {
            // The program is a suffix of argv in place, never argv[0];
            // none only in pause mode, always none for pause.
            let n = a.len() - cfg.child.len();
            assert_eq!(cfg.child.as_ptr(), a.as_ptr().wrapping_add(n));
            if cfg.child.is_empty() {
                assert!(cfg.on(flag::PAUSE));
            } else {
                assert!(n >= 1 && p != Personality::Pause);
                let first = a.get(n).unwrap();
                let prev = a.get(n - 1).unwrap();
                assert!(prev == b"--" || first.len() < 2 || first[0] != b'-');
            }
            assert!(cfg.flags < 1 << 12);
            if cfg.on(flag::SETSID) {
                // Job control: the stop signals go on as something.
                for s in [
                    signal::Signal::TSTP,
                    signal::Signal::TTIN,
                    signal::Signal::TTOU,
                ] {
                    assert!(cfg.rewrite.get(s).is_some());
                }
            }
            assert!(cfg.grace <= 1 << 24 && cfg.timeout <= 1 << 24);
        }
        Ok(Command::Help) => assert!(word(b"--help") || bundle(a, b'h')),
        Ok(Command::License) => {
            assert!(word(b"--license") || bundle(a, b'l') || bundle(a, b'L'))
        }
        Ok(Command::Version) => assert!(
            word(b"--version")
                || bundle(a, b'V')
                || (p == Personality::Pause
                    && a.iter().skip(1).any(|w| w.eq_ignore_ascii_case(b"-v")))
        ),
        // CATATONIT_LOG, refused by catatonit only.
        Err(UsageError::Reserved) => {
            assert!(p == Personality::Catatonit && e.getenv(b"CATATONIT_LOG").is_some())
        }
        Err(UsageError::NoProgram) => {}
        Err(UsageError::UnknownOption(o))
        | Err(UsageError::MissingValue(o))
        | Err(UsageError::UnexpectedValue(o)) => {
            assert!(points_into(o.name, a) && (o.long || !o.name.is_empty()))
        }
        Err(UsageError::BadValue(o, v)) => {
            assert!(points_into(o.name, a));
            assert!(v.is_empty() || points_into(v, a));
        }
        Err(UsageError::BadEnv(n, v)) => {
            assert!(v.is_empty() || points_into(v, e));
            assert!(e.iter().any(|x| x.starts_with(n)));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (args, env) = match data.iter().position(|&c| c == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let mut argv = split(args);
    let env = split(env);
    check(&argv, &env);
    for name in [
        &b"/usr/local/bin/mite"[..],
        b"tini",
        b"dumb-init",
        b"/usr/libexec/podman/catatonit",
        b"pause",
    ] {
        if argv.is_empty() {
            argv.push(name);
        } else {
            argv[0] = name;
        }
        check(&argv, &env);
    }
    for w in argv.iter().chain(env.iter()) {
        let s = signal::parse(w);
        if let Some(t) = signal::parse_strict(w) {
            assert_eq!(Some(t), s);
        }
        if let Some(s) = s {
            if let Some(name) = signal::name(s) {
                assert_eq!(signal::parse(name), Some(s));
            }
        }
        if let Some(v) = parse_u32(w, 255) {
            assert!(v <= 255 && !w.is_empty() && w.iter().all(u8::is_ascii_digit));
        }
    }
    // The argv part as a packed NUL-separated list, as mite's tables are
    // read: entry k is the k-th string, and its name finds it (or an
    // earlier equal one).
    let strings = split(args);
    for k in 0..strings.len().min(8) + 1 {
        let entry = nth(args, k);
        assert_eq!(entry, strings.get(k).copied().unwrap_or(b""));
        if k < strings.len() {
            assert!(position(args, entry).is_some_and(|i| i <= k));
        }
    }
    if let Some(bytes) = data.get(..4) {
        let st = i32::from_le_bytes(bytes.try_into().unwrap());
        let mut map = ExitMap::default();
        map.insert(bytes[1]);
        if let Some(e) = status::decode(st) {
            let _ = status::exit_code(e, &map);
        }
    }
});
