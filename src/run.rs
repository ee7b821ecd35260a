//! Set-up, spawn and the supervision loop.
//!
//! Failure policy: during set-up (before the child exists) any error is a
//! FATAL message and exit 1. Once the child runs, mite must not bail out:
//! it warns and carries on, and only the child's end makes it exit.

use crate::cli::{Config, Personality};
use crate::log::{Log, FATAL, INFO, WARN};
use crate::out::strerror;
use crate::signal::{self, SigSet, Signal};
use crate::status;
use crate::sys::{self, Argv, Errno, Pid, STDIN};

/// Where an unset PATH makes execvp look: glibc's default, so a PATH-less
/// environment finds what it finds under tini.
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin";

/// The signals mite blocks and waits for.
///
/// tini leaves the synchronous ones (SEGV, ABRT, ...) unblocked, so the
/// kernel drops them when they are sent to a namespace's PID 1 (tini#104);
/// the tini personality keeps that, the mite personality blocks and
/// forwards them too. A real fault in mite is still fatal either way: the
/// kernel forces a synchronous fault through a blocked mask.
///
/// tini ignores SIGTTIN/SIGTTOU so that the terminal can never stop it
/// once its child holds the foreground. mite blocks them instead: for job
/// control the kernel treats a blocked signal exactly like an ignored one
/// (no stop; a background read gets EIO), so the protection is the same,
/// while a TTIN/TTOU sent with kill() is still forwarded and the child
/// inherits the dispositions untouched: there is nothing to save and
/// restore but the mask.
pub fn blocked_set(p: Personality) -> SigSet {
    match p {
        Personality::Tini => SigSet(SigSet::FULL.0 & !signal::SYNCHRONOUS.0),
        Personality::Mite => SigSet::FULL,
    }
}

/// Runs the program of `cfg` under supervision; returns mite's exit status.
/// `block` is mite's signal mask (`blocked_set`), already in place; `mask`
/// the one mite started with, for the child.
// Inlining hints per architecture (here and on join, find_opt, parse,
// Argv::get, kill): each measured to make that target's binary smaller,
// which matters under the 8192-byte ceiling; they change no behaviour.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn run(cfg: &Config<'_>, envp: Argv<'_>, block: SigSet, mask: SigSet) -> u8 {
    let pid = sys::getpid();
    let log = Log {
        personality: cfg.personality,
        verbosity: cfg.verbosity,
        pid,
    };

    // --- Set-up: errors are fatal (exit 1), no child exists yet. ---

    if let Some(sig) = cfg.pdeathsig {
        let parent = sys::getppid();
        sys::set_parent_death_signal(sig);
        // The parent may have died before the prctl took effect: then the
        // signal will never come, so send it to ourselves. It is blocked,
        // so it waits and is forwarded to the child like any other (or,
        // for SIGKILL, ends mite).
        if sys::getppid() != parent {
            let _ = sys::kill(pid, sig);
        }
    }

    if cfg.subreaper {
        if let Err(e) = sys::set_child_subreaper() {
            return fatal(&log, b"cannot become a child subreaper: \x04\n", e);
        }
    } else if pid != 1 && !sys::is_child_subreaper().unwrap_or(false) {
        warn_not_reaper(&log);
    }

    let child = match sys::clone_process() {
        Ok(Some(child)) => child,
        Ok(None) => exec_child(cfg, &log, mask, envp),
        Err(e) => return fatal(&log, b"fork failed: \x04\n", e),
    };
    if cfg.pgroup {
        // Also set the child's group from here, so that a signal forwarded
        // to the group before the child runs setpgid still finds it. It
        // fails harmlessly if the child has already exec'd.
        let _ = sys::setpgid(child, child);
    }

    // --- Supervision: never bail out; only the child's end exits. ---
    let wait_set = block.without(Signal::KILL).without(Signal::STOP);
    loop {
        match sys::sigtimedwait(&wait_set, None) {
            Ok(Signal::CHLD) => {
                if let Some(code) = reap_zombies(cfg, &log, child) {
                    return code;
                }
            }
            Ok(sig) => forward_signal(cfg, &log, child, sig),
            // EINTR: a stop/continue of mite itself or a tracer; just wait again.
            Err(_) => {}
        }
    }
}

/// A set-up failure: `tmpl` names what failed, \x04 in it the reason.
fn fatal(log: &Log, tmpl: &[u8], e: Errno) -> u8 {
    log.say(FATAL, tmpl, b"", e.into_raw() as u32);
    1
}

fn warn_not_reaper(log: &Log) {
    let who: &[u8] = if log.personality == Personality::Tini {
        b"Tini is "
    } else {
        b""
    };
    log.say(
        WARN,
        b"\x01not running as PID 1 and isn't registered as a child subreaper: zombies won't be reaped (use -s)\n",
        who,
        0,
    );
}

/// Sends `sig` to the child (or its group with -g). The child cannot have
/// been reaped yet (mite exits as soon as it is), so its pid cannot have
/// been reused: an exited but unreaped child is a zombie that keeps it.
fn forward_signal(cfg: &Config<'_>, log: &Log, child: Pid, sig: Signal) {
    let target = if cfg.pgroup { -child } else { child };
    if let Err(e) = sys::kill(target, sig) {
        // ESRCH: the child (group) is gone but not yet reaped by us.
        log.say(
            WARN,
            b"cannot forward signal \x03: \x01\n",
            strerror(e),
            sig.get(),
        );
    }
}

/// Reaps every terminated child (SIGCHLDs coalesce: one may stand for
/// many). Returns the exit status once the main child is among them.
fn reap_zombies(cfg: &Config<'_>, log: &Log, child: Pid) -> Option<u8> {
    let mut result = None;
    loop {
        match sys::reap_any() {
            Ok(Some(r)) => {
                if r.pid == child {
                    if let Some(ended) = status::decode(r.status) {
                        let code = status::exit_code(ended, &cfg.remap);
                        report_exit(log, code);
                        result = Some(code);
                    }
                } else if cfg.warn_reap {
                    log.say(
                        WARN,
                        b"Reaped zombie process with pid=\x03\n",
                        b"",
                        r.pid as u32,
                    );
                }
            }
            Err(Errno::EINTR) => {}
            // None: children remain, none has ended. ECHILD: none left.
            // Nothing else can fail with these arguments.
            _ => return result,
        }
    }
}

fn report_exit(log: &Log, code: u8) {
    log.say(INFO, b"Main child exited (status \x03)\n", b"", code.into());
}

/// In the child: own process group, the terminal's foreground if mite had
/// it, mite's signal set-up undone, then exec. Never returns.
fn exec_child(cfg: &Config<'_>, log: &Log, mask: SigSet, envp: Argv<'_>) -> ! {
    let log = Log {
        pid: sys::getpid(),
        ..*log
    };
    let parent_group = sys::getpgrp();
    // A forked child is never a session leader, so this cannot fail.
    let _ = sys::setpgid(0, 0);
    // Take the terminal only if mite's group held its foreground: never
    // steal it from a shell that runs mite in the background. No terminal
    // (ENOTTY), a hung-up one (ENXIO) or a closed stdin (EBADF) is fine.
    if let (Ok(fg), Ok(group)) = (sys::foreground_pgrp(STDIN), parent_group) {
        if fg == group {
            let _ = sys::set_foreground_pgrp(STDIN, log.pid);
        }
    }
    sys::set_sigmask(mask);

    let e = execvp(cfg.child, envp);
    // Block everything again: a broken stderr must not SIGPIPE us before
    // the exit status says why the exec failed.
    sys::set_sigmask(SigSet::FULL);
    let prog = cfg.child.get(0).unwrap_or(b"");
    // tini's wording, for both personalities.
    log.say(
        FATAL,
        b"exec \x01 failed: \x04\n",
        prog,
        e.into_raw() as u32,
    );
    sys::exit(status::exec_failure_code(e))
}

/// execvp: a name with a `/` is executed as is; otherwise each directory of
/// PATH is tried in turn (an empty entry means the current directory).
/// Returns why it failed: EACCES if some candidate was not executable,
/// else the last error.
// `contains` would pull in core's word-at-a-time memchr: 200 bytes.
#[allow(clippy::manual_contains)]
fn execvp(argv: Argv<'_>, envp: Argv<'_>) -> Errno {
    let file = argv.get(0).unwrap_or(b"");
    // A name with a '/' (or an empty one) is looked up in a PATH of one
    // empty entry: itself.
    let path = if file.is_empty() || file.iter().any(|&c| c == b'/') {
        b""
    } else {
        envp.getenv(b"PATH").unwrap_or(DEFAULT_PATH)
    };
    let mut buf = [0u8; 4096];
    let mut err = Errno::ENOENT;
    for dir in path.split(|&c| c == b':') {
        let e = match join(&mut buf, dir, file) {
            Some(candidate) => sys::execve(candidate, argv, envp),
            None => Errno::ENAMETOOLONG,
        };
        match e {
            // Not here (or not a usable path): try the next directory.
            Errno::ENOENT
            | Errno::ENOTDIR
            | Errno::ENAMETOOLONG
            | Errno::ELOOP
            | Errno::ESTALE
            | Errno::ENODEV
            | Errno::ETIMEDOUT
            | Errno::EACCES => {}
            // Found but failed for a reason another directory won't fix.
            _ => return e,
        }
        // A candidate that exists but may not be executed wins over
        // "not found" from the other directories.
        if err != Errno::EACCES {
            err = e;
        }
    }
    err
}

/// `dir/file\0` (or `file\0` for an empty dir) in `buf`.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
fn join<'b>(buf: &'b mut [u8], dir: &[u8], file: &[u8]) -> Option<&'b [u8]> {
    let slash = usize::from(!dir.is_empty());
    let len = dir.len() + slash + file.len();
    crate::out::copy(buf.get_mut(..dir.len())?, dir);
    if slash == 1 {
        *buf.get_mut(dir.len())? = b'/';
    }
    crate::out::copy(buf.get_mut(dir.len() + slash..len)?, file);
    *buf.get_mut(len)? = 0;
    buf.get(..=len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_paths() {
        let mut b = [0u8; 16];
        assert_eq!(join(&mut b, b"/bin", b"sh"), Some(&b"/bin/sh\0"[..]));
        assert_eq!(join(&mut b, b"", b"sh"), Some(&b"sh\0"[..]));
        assert_eq!(join(&mut b, b"/usr/local/bin", b"x"), None);
        assert_eq!(
            join(&mut b, b"/usr/local/bi", b"x"),
            Some(&b"/usr/local/bi/x\0"[..])
        );
    }

    #[test]
    fn signal_sets() {
        let t = blocked_set(Personality::Tini);
        assert!(!t.contains(Signal::ABRT) && !t.contains(Signal::SEGV) && t.contains(Signal::TTOU));
        assert!(
            t.contains(Signal::TERM)
                && t.contains(Signal::CHLD)
                && t.contains(Signal::new(64).unwrap())
        );
        assert_eq!(blocked_set(Personality::Mite), SigSet::FULL);
    }
}
