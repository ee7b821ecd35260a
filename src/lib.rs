//! mite: a tiny libc-free init for containers.
//!
//! The library holds all of mite's logic; `main.rs` only provides the entry
//! point and panic handler. Built for the host (`cargo test`), it uses std
//! so the pure parts (parsing, tables, status mapping) are unit-tested.
#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![deny(unsafe_code)]

pub mod bytes;
pub mod cli;
pub mod log;
pub mod out;
pub mod pack;
pub mod run;
pub mod signal;
pub mod spawn;
pub mod status;
pub mod sys;
#[cfg(test)]
mod testkit;
pub mod usage;

use cli::{Command, Config, Personality};
use sys::Argv;

/// mite's main: parse, then run the program or answer the request. `argv`
/// and `envp` are the kernel's arrays, read in place.
pub fn main(argv: Argv<'_>, envp: Argv<'_>) -> ! {
    let argv0 = argv.get(0).unwrap_or(b"mite");
    let personality = Personality::from_argv0(argv0);
    let mut cfg = Config::new(personality, argv);
    // Block signals before anything is written: a usage error printed to a
    // broken stderr must still exit 1, not die of SIGPIPE. The child gets
    // the original mask back.
    // Injected by a runtime (docker-init, podman-init), mite also forwards
    // the synchronous signals: `docker kill -s ABRT` must reach the program
    // (tini, which leaves them unblocked, loses them: tini#104).
    let block = run::blocked_set(if cli::injected(argv0) {
        Personality::Mite
    } else {
        personality
    });
    let mask = sys::set_sigmask(block);
    let code = match cli::parse(argv, envp, &mut cfg) {
        Ok(Command::Run) => run::run(&cfg, envp, block, mask),
        Ok(cmd) => usage::answer(cmd, personality, argv0),
        Err(e) => usage::refuse(personality, argv0, &e),
    };
    sys::exit(code)
}
