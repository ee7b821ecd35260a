//! The child's side of the spawn: its session or process group, the
//! terminal, mite's signal set-up undone, LISTEN_PID, then execvp. Nothing
//! here returns: the child execs or exits.

use crate::bytes::{copy, parse_u32};
use crate::cli::{flag, Config, Personality};
use crate::log::{Log, Msg};
use crate::out::num;
use crate::signal::SigSet;
use crate::status;
use crate::sys::{self, Argv, Errno, STDIN};

/// Where an unset PATH makes execvp look: glibc's default, so a PATH-less
/// environment finds what it finds under tini.
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin";

/// In the child: a session (dumb-init) or process group of its own, the
/// terminal, the original signal mask, LISTEN_PID, then exec. `parent` is
/// mite's pid.
pub fn exec_child(cfg: &Config<'_>, log: &Log, mask: SigSet, envp: Argv<'_>) -> ! {
    let parent = log.pid;
    let log = Log {
        pid: sys::getpid(),
        ..*log
    };
    if cfg.on(flag::SETSID) {
        // A forked child leads no group, so setsid cannot fail.
        let _ = sys::setsid();
        // Take the terminal mite gave up, if there is one on stdin.
        if let Err(e) = sys::attach_terminal(STDIN) {
            log.note(Msg::NoAttach, e.into_raw() as u32);
        }
        log.note(Msg::SetsidDone, 0);
    } else if cfg.on(flag::OWN_GROUP) {
        let parent_group = sys::getpgrp();
        // A forked child is never a session leader, so this cannot fail.
        let _ = sys::setpgid(0, 0);
        // Take the terminal only if mite's group held its foreground: never
        // steal it from a shell that runs mite in the background. No
        // terminal (ENOTTY), a hung-up one (ENXIO) or a closed stdin
        // (EBADF) is fine.
        if let (Ok(fg), Ok(group)) = (sys::foreground_pgrp(STDIN), parent_group) {
            if fg == group {
                let _ = sys::set_foreground_pgrp(STDIN, log.pid);
            }
        }
    }
    sys::set_sigmask(mask);

    // Socket activation: the activator set LISTEN_PID to the pid it
    // started, mite; the program must see its own pid there.
    let mut entry = *b"LISTEN_PID=\0\0\0\0\0\0\0\0\0\0\0";
    let mut envp = envp;
    if cfg.on(flag::LISTEN_PID) {
        let named = |i| {
            envp.get(i)
                .and_then(|e| e.strip_prefix(b"LISTEN_PID="))
                .and_then(|v| parse_u32(v, u32::MAX))
        };
        if let Some(i) = (0..envp.len()).find(|&i| named(i) == Some(parent as u32)) {
            let mut digits = [0; 10];
            copy(
                entry.get_mut(11..).unwrap_or(&mut []),
                num(log.pid as u32, &mut digits),
            );
            envp = envp.replace(i, &entry);
        }
    }

    let e = execvp(cfg.child, envp);
    // Block everything again: a broken stderr must not SIGPIPE us before
    // the exit status says why the exec failed.
    sys::set_sigmask(SigSet::FULL);
    let prog = cfg.child.get(0).unwrap_or(b"");
    let (m, code) = match cfg.personality {
        Personality::DumbInit => (Msg::ExecFailedDumbInit, 2),
        Personality::Catatonit => (Msg::ExecFailedCatatonit, 1),
        _ => (Msg::ExecFailed, status::exec_failure_code(e)),
    };
    log.say(m, prog, e.into_raw() as u32);
    sys::exit(code)
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
    copy(buf.get_mut(..dir.len())?, dir);
    if slash == 1 {
        *buf.get_mut(dir.len())? = b'/';
    }
    copy(buf.get_mut(dir.len() + slash..len)?, file);
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
}
