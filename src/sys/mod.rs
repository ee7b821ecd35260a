//! The kernel interface: one short safe function per syscall.
//!
//! # Safety
//!
//! This module, `arch` and the entry glue in `main.rs` are the only places
//! allowed `unsafe`. Each wrapper passes the kernel only pointers derived
//! from Rust references that outlive the call, with the lengths of the
//! objects they point to, so the kernel never reads or writes outside them.
//! Syscall numbers come from `syscalls::Sysno`, constants and layouts from
//! `linux-raw-sys`, verbatim.
#![allow(unsafe_code)]

mod argv;

pub use argv::Argv;
#[cfg(any(test, feature = "std"))]
pub use argv::OwnedArgv;

use crate::signal::{SigSet, Signal};
use core::mem::size_of;
use linux_raw_sys::general as k;
use linux_raw_sys::ioctl;
use linux_raw_sys::prctl;
pub use syscalls::Errno;
use syscalls::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5, Sysno};

/// A process, process group or session id.
pub type Pid = i32;
pub type Result<T> = core::result::Result<T, Errno>;

pub const STDIN: i32 = 0;
pub const STDOUT: i32 = 1;
pub const STDERR: i32 = 2;

/// The kernel's sigset is 64 bits on every architecture mite supports.
const SIGSET_SIZE: usize = size_of::<SigSet>();

/// `write(fd, buf)`: writes some of `buf`, returns how many bytes.
pub fn write(fd: i32, buf: &[u8]) -> Result<usize> {
    // SAFETY: the kernel reads at most buf.len() bytes from buf.
    unsafe { syscall3(Sysno::write, fd as usize, buf.as_ptr() as usize, buf.len()) }
}

/// `exit_group(code)`: ends the process.
#[doc(alias = "exit_group")]
pub fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes no pointer and does not return.
    let _ = unsafe { syscall1(Sysno::exit_group, code as usize) };
    #[allow(clippy::empty_loop)]
    loop {}
}

/// `getpid()`.
pub fn getpid() -> Pid {
    // SAFETY: no arguments; getpid cannot fail.
    unsafe { syscall0(Sysno::getpid) }.unwrap_or(0) as Pid
}

/// `getppid()`: 0 when the parent is outside our PID namespace.
pub fn getppid() -> Pid {
    // SAFETY: no arguments; getppid cannot fail.
    unsafe { syscall0(Sysno::getppid) }.unwrap_or(0) as Pid
}

/// `rt_sigprocmask(SIG_SETMASK, set)`: replaces the signal mask, returns
/// the old one. It cannot fail: SIG_SETMASK is valid, both pointers are to
/// live sets, and the kernel silently keeps SIGKILL/SIGSTOP unblocked.
#[doc(alias = "rt_sigprocmask")]
pub fn set_sigmask(set: SigSet) -> SigSet {
    let mut old = SigSet::EMPTY;
    // SAFETY: both pointers are to live SigSets of SIGSET_SIZE bytes.
    let _ = unsafe {
        syscall4(
            Sysno::rt_sigprocmask,
            k::SIG_SETMASK as usize,
            &set as *const SigSet as usize,
            &mut old as *mut SigSet as usize,
            SIGSET_SIZE,
        )
    };
    old
}

/// A duration for the kernel (`struct __kernel_timespec`).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}
const _: () = assert!(size_of::<Timespec>() == size_of::<k::__kernel_timespec>());

/// `rt_sigtimedwait(set, info, timeout)`: takes one pending signal of `set`,
/// waiting without a time limit when `timeout` is `None`. `EAGAIN` means the
/// timeout passed, `EINTR` that the wait was interrupted (e.g. by SIGCONT).
#[doc(alias = "rt_sigtimedwait")]
pub fn sigtimedwait(set: &SigSet, timeout: Option<&Timespec>) -> Result<Signal> {
    let t = timeout.map_or(0, |t| t as *const Timespec as usize);
    // SAFETY: set and timeout point to live values; no siginfo is asked
    // for (a null info pointer is allowed).
    let n = unsafe {
        syscall4(
            Sysno::rt_sigtimedwait,
            set as *const SigSet as usize,
            0,
            t,
            SIGSET_SIZE,
        )
    }?;
    Signal::new(n as u32).ok_or(Errno::EINVAL)
}

/// Takes a pending, blocked `sig` off the queue without waiting
/// (`rt_sigtimedwait` with a zero timeout); nothing if none is pending.
pub fn discard_pending(sig: Signal) {
    let _ = sigtimedwait(&SigSet::EMPTY.with(sig), Some(&Timespec::default()));
}

/// `kill(pid, sig)`: a negative `pid` names a process group.
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn kill(pid: Pid, sig: Signal) -> Result<()> {
    // SAFETY: no pointers.
    unsafe { syscall2(Sysno::kill, pid as isize as usize, sig.get() as usize) }.map(drop)
}

/// What `wait4` reported: a pid and its raw wait status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reaped {
    pub pid: Pid,
    pub status: i32,
}

/// `wait4(-1, WNOHANG)`: reaps one terminated child if there is one.
/// `Ok(None)` when children remain but none has terminated; `ECHILD` when
/// there are no children at all.
#[doc(alias = "wait4")]
pub fn reap_any() -> Result<Option<Reaped>> {
    let mut status: i32 = 0;
    // SAFETY: status points to a live i32; no rusage is asked for.
    let pid = unsafe {
        syscall4(
            Sysno::wait4,
            -1isize as usize,
            &mut status as *mut i32 as usize,
            k::WNOHANG as usize,
            0,
        )
    }?;
    Ok(if pid == 0 {
        None
    } else {
        Some(Reaped {
            pid: pid as Pid,
            status,
        })
    })
}

/// `clone(SIGCHLD)`, i.e. fork(): `Ok(None)` in the child, the child's pid in
/// the parent.
#[doc(alias = "fork")]
pub fn clone_process() -> Result<Option<Pid>> {
    // SAFETY: without CLONE_VM and with a null stack, the child runs on its
    // own copy of our memory and stack, exactly as after fork(). mite has
    // no threads and no locks, so the copy is consistent.
    let pid = unsafe { syscall5(Sysno::clone, k::SIGCHLD as usize, 0, 0, 0, 0) }?;
    Ok(if pid == 0 { None } else { Some(pid as Pid) })
}

/// `execve(path, argv, envp)`: only returns, with the reason, on failure.
/// `path` must end with a NUL byte.
pub fn execve(path: &[u8], argv: Argv<'_>, envp: Argv<'_>) -> Errno {
    if path.last() != Some(&0) {
        return Errno::EINVAL;
    }
    // SAFETY: path is NUL-terminated (checked above); argv and envp are
    // NULL-terminated arrays of NUL-terminated strings (the Argv invariant).
    match unsafe {
        syscall3(
            Sysno::execve,
            path.as_ptr() as usize,
            argv.as_ptr() as usize,
            envp.as_ptr() as usize,
        )
    } {
        Ok(_) => Errno::EINVAL,
        Err(e) => e,
    }
}

/// `setpgid(pid, pgid)`: 0 means the calling process.
pub fn setpgid(pid: Pid, pgid: Pid) -> Result<()> {
    // SAFETY: no pointers.
    unsafe { syscall2(Sysno::setpgid, pid as usize, pgid as usize) }.map(drop)
}

/// `getpgid(0)`: the caller's process group.
#[doc(alias = "getpgid")]
pub fn getpgrp() -> Result<Pid> {
    // SAFETY: no pointers.
    unsafe { syscall1(Sysno::getpgid, 0) }.map(|p| p as Pid)
}

/// `ioctl(fd, TIOCGPGRP)`: the terminal's foreground process group.
#[doc(alias = "tcgetpgrp")]
pub fn foreground_pgrp(fd: i32) -> Result<Pid> {
    let mut pgrp: Pid = 0;
    // SAFETY: TIOCGPGRP writes one pid_t to the pointer.
    unsafe {
        syscall3(
            Sysno::ioctl,
            fd as usize,
            ioctl::TIOCGPGRP as usize,
            &mut pgrp as *mut Pid as usize,
        )
    }?;
    Ok(pgrp)
}

/// `ioctl(fd, TIOCSPGRP)`: makes `pgrp` the terminal's foreground group.
#[doc(alias = "tcsetpgrp")]
pub fn set_foreground_pgrp(fd: i32, pgrp: Pid) -> Result<()> {
    // SAFETY: TIOCSPGRP reads one pid_t from the pointer.
    unsafe {
        syscall3(
            Sysno::ioctl,
            fd as usize,
            ioctl::TIOCSPGRP as usize,
            &pgrp as *const Pid as usize,
        )
    }
    .map(drop)
}

/// `prctl(PR_SET_CHILD_SUBREAPER, 1)`: orphaned descendants are
/// re-parented to us instead of to the namespace's PID 1.
pub fn set_child_subreaper() -> Result<()> {
    // SAFETY: no pointers.
    unsafe { syscall2(Sysno::prctl, prctl::PR_SET_CHILD_SUBREAPER as usize, 1) }.map(drop)
}

/// `prctl(PR_GET_CHILD_SUBREAPER)`: whether we are a subreaper (it is kept
/// across execve, so a parent may have set it for us).
pub fn is_child_subreaper() -> Result<bool> {
    let mut v: i32 = 0;
    // SAFETY: the kernel writes one int to the pointer.
    unsafe {
        syscall2(
            Sysno::prctl,
            prctl::PR_GET_CHILD_SUBREAPER as usize,
            &mut v as *mut i32 as usize,
        )
    }?;
    Ok(v != 0)
}

/// `prctl(PR_SET_PDEATHSIG, sig)`: `sig` is sent to us when our parent
/// dies. It only fails for an invalid signal, which `Signal` rules out.
pub fn set_parent_death_signal(sig: Signal) {
    // SAFETY: no pointers.
    let _ = unsafe {
        syscall2(
            Sysno::prctl,
            prctl::PR_SET_PDEATHSIG as usize,
            sig.get() as usize,
        )
    };
}

/// `setsid()`: a new session and process group, led by the caller.
pub fn setsid() -> Result<()> {
    // SAFETY: no arguments.
    unsafe { syscall0(Sysno::setsid) }.map(drop)
}

/// `getsid(0)`: the caller's session.
pub fn getsid() -> Result<Pid> {
    // SAFETY: no pointers.
    unsafe { syscall1(Sysno::getsid, 0) }.map(|p| p as Pid)
}

/// `ioctl(fd, TIOCNOTTY)`: gives up the controlling terminal. Done by a
/// session leader, it hangs the terminal up for the session: the
/// foreground group gets SIGHUP and SIGCONT.
#[doc(alias = "TIOCNOTTY")]
pub fn detach_terminal(fd: i32) -> Result<()> {
    // SAFETY: TIOCNOTTY takes no argument.
    unsafe { syscall2(Sysno::ioctl, fd as usize, ioctl::TIOCNOTTY as usize) }.map(drop)
}

/// `ioctl(fd, TIOCSCTTY, 0)`: makes the terminal on `fd` the controlling
/// terminal of the caller, a session leader without one.
#[doc(alias = "TIOCSCTTY")]
pub fn attach_terminal(fd: i32) -> Result<()> {
    // SAFETY: TIOCSCTTY takes an int by value (0: do not steal).
    unsafe { syscall3(Sysno::ioctl, fd as usize, ioctl::TIOCSCTTY as usize, 0) }.map(drop)
}

/// `chdir(path)`; `path` must end with a NUL byte.
pub fn chdir(path: &[u8]) -> Result<()> {
    if path.last() != Some(&0) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: path is NUL-terminated (checked above).
    unsafe { syscall1(Sysno::chdir, path.as_ptr() as usize) }.map(drop)
}

/// `close_range(first, ~0, 0)`: closes every descriptor from `first` on
/// (Linux 5.9; ENOSYS before).
pub fn close_from(first: u32) -> Result<()> {
    // SAFETY: no pointers.
    unsafe { syscall3(Sysno::close_range, first as usize, u32::MAX as usize, 0) }.map(drop)
}

/// `openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)`; `path` must end with a
/// NUL byte.
#[doc(alias = "openat")]
pub fn open(path: &[u8]) -> Result<i32> {
    if path.last() != Some(&0) {
        return Err(Errno::EINVAL);
    }
    // SAFETY: path is NUL-terminated (checked above).
    unsafe {
        syscall3(
            Sysno::openat,
            k::AT_FDCWD as usize,
            path.as_ptr() as usize,
            (k::O_RDONLY | k::O_CLOEXEC) as usize,
        )
    }
    .map(|fd| fd as i32)
}

/// `prlimit64(0, RLIMIT_NOFILE)`: the soft limit on descriptors, so every
/// open descriptor is below it (capped to what an fd can be).
#[doc(alias = "getrlimit")]
pub fn fd_limit() -> u32 {
    let mut lim = [0u64; 2];
    // SAFETY: the kernel writes one struct rlimit64 (two u64) to lim.
    let _ = unsafe {
        syscall4(
            Sysno::prlimit64,
            0,
            k::RLIMIT_NOFILE as usize,
            0,
            lim.as_mut_ptr() as usize,
        )
    };
    lim[0].min(i32::MAX as u64) as u32
}

/// `read(fd, buf)`: reads some bytes into `buf`, returns how many.
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most buf.len() bytes into buf.
    unsafe {
        syscall3(
            Sysno::read,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    }
}

/// `close(fd)`. Errors are ignored: the descriptor is gone either way.
pub fn close(fd: i32) {
    // SAFETY: no pointers.
    let _ = unsafe { syscall1(Sysno::close, fd as usize) };
}

/// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds. It cannot fail for
/// this clock and a valid pointer.
#[doc(alias = "clock_gettime")]
pub fn monotonic_ns() -> u64 {
    let mut t = Timespec::default();
    // SAFETY: the kernel writes one timespec to the pointer.
    let _ = unsafe {
        syscall2(
            Sysno::clock_gettime,
            k::CLOCK_MONOTONIC as usize,
            &mut t as *mut Timespec as usize,
        )
    };
    t.sec as u64 * 1_000_000_000 + t.nsec as u64
}
