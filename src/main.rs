//! The `mite` executable: entry point and panic handler, nothing else.
//!
//! # Safety
//! `entry` trusts the kernel's initial stack layout (see `arch`).
#![no_std]
#![no_main]

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
mod arch;

use mite::sys::Argv;

/// Called by `_start` with the initial stack pointer, which points at
/// `argc`, then argv's pointers and a null, then envp's and a null.
///
/// # Safety
/// `sp` must be the stack pointer the kernel gave the process at exec.
unsafe extern "C" fn entry(sp: *const usize) -> ! {
    // SAFETY: at exec the kernel lays out argv as a NULL-terminated array
    // of NUL-terminated strings right after argc, and envp the same way
    // right after it; neither is ever freed or moved.
    let argv = unsafe { Argv::from_raw(sp.add(1).cast()) };
    // SAFETY: as above; envp starts right after argv's terminating null.
    let envp = unsafe { Argv::from_raw(argv.end()) };
    mite::main(argv, envp)
}

/// mite must never panic. In release builds a reachable panic fails the
/// link (the symbol below exists nowhere), so the shipped binary provably
/// has no panic path and pulls in no `core::fmt`.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    #[cfg(not(debug_assertions))]
    {
        extern "Rust" {
            fn mite_has_a_reachable_panic_path() -> !;
        }
        // SAFETY: never runs: the link fails if this call is reachable.
        unsafe { mite_has_a_reachable_panic_path() }
    }
    #[cfg(debug_assertions)]
    mite::sys::exit(101)
}
