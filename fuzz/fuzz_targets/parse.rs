//! Fuzz target: mite's argument and environment parsing.
//!
//! The input is split at its first 0xff byte into an argv part and an
//! envp part; each part is split on NUL into strings (a C string cannot
//! hold a NUL, so that is every argv the kernel could hand mite). The
//! invocation is parsed under the argv[0] of the input and again as
//! `tini` and as `mite`, so both personalities see every input. Each word
//! also goes through the signal and number parsers, and the first bytes
//! through the wait-status decoder.
//!
//! What counts as a finding: any panic (an out-of-bounds index, an
//! overflow in a debug build, a failed invariant below) or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mite::cli::{self, Command, Config, Personality, UsageError};
use mite::signal;
use mite::status::{self, ExitMap};
use mite::sys::OwnedArgv;

fn split(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        return Vec::new();
    }
    b.split(|&c| c == 0).collect()
}

/// Parses and checks what must hold for any input.
fn check(argv: &[&[u8]], env: &[&[u8]]) {
    let owned = OwnedArgv::new(argv);
    let owned_env = OwnedArgv::new(env);
    let a = owned.argv();
    let p = Personality::from_argv0(a.get(0).unwrap_or(b""));
    let mut cfg = Config::new(p, a);
    match cli::parse(a, owned_env.argv(), &mut cfg) {
        Ok(Command::Run) => {
            // The program is a non-empty suffix of argv, never argv[0].
            let n = a.len() - cfg.child.len();
            assert!(!cfg.child.is_empty() && n >= 1);
            assert_eq!(cfg.child.as_ptr(), a.as_ptr().wrapping_add(n));
            let first = a.get(n).unwrap();
            let prev = a.get(n - 1).unwrap();
            assert!(prev == b"--" || first.len() < 2 || first[0] != b'-');
            assert!(cfg.pdeathsig.map_or(true, |s| (1..=64).contains(&s.get())));
        }
        Ok(Command::Help) | Ok(Command::License) => {
            assert!(a.iter().skip(1).any(|x| x.len() >= 2 && x[0] == b'-'));
        }
        Ok(Command::Version) => {
            assert!(a.iter().skip(1).any(|x| x.starts_with(b"--version")));
        }
        Err(UsageError::NoProgram) => {}
        Err(UsageError::UnknownOption(o))
        | Err(UsageError::MissingValue(o))
        | Err(UsageError::UnexpectedValue(o)) => assert!(!o.name.is_empty() || o.long),
        Err(UsageError::BadValue(_, _)) | Err(UsageError::BadEnv(_, _)) => {}
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
    for name in [&b"tini"[..], b"/usr/local/bin/mite"] {
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
        let _ = signal::parse_u32(w, 255);
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
