//! Output without `core::fmt`.
//!
//! A message is a template with up to two strings and one number: in it,
//! byte 1 stands for `a`, 2 for `b`, 3 for `n` in decimal and 4 for the
//! text of error number `n` (`b"exec \x01 failed: \x04\n"`). Passing the
//! parts in registers instead of an array keeps each call site small.
//!
//! The literal runs and the arguments are written as they come, one
//! `write` each, with no buffer: like tini's unbuffered stderr. A message
//! can therefore interleave with a child's output; mite's messages are
//! rare (warnings, errors, -v), so the bytes saved win.
//!
//! Write errors are ignored on purpose: a closed or broken stderr must not
//! stop an init from supervising (SIGPIPE is blocked, so EPIPE just
//! returns).

use crate::signal::Signal;
use crate::sys::{self, Errno};

/// Writes `tmpl` to `fd`, expanded (see the module comment). Bytes 6 and
/// 7 bracket a part that is written only when `b` is not empty (the long
/// options in `--help`).
pub fn print(fd: i32, tmpl: &[u8], a: &[u8], b: &[u8], n: u32) {
    let mut digits = [0; 10];
    let mut skip = false;
    let mut run = 0;
    for (i, &c) in tmpl.iter().enumerate() {
        if c >= 8 {
            continue;
        }
        if !skip {
            write_all(fd, tmpl.get(run..i).unwrap_or(b""));
        }
        run = i + 1;
        let arg: &[u8] = match c {
            1 => a,
            2 => b,
            3 => num(n, &mut digits),
            4 => strerror(Errno::new(n as i32)),
            6 => {
                skip = b.is_empty();
                continue;
            }
            7 => {
                skip = false;
                continue;
            }
            _ => continue,
        };
        if !skip {
            write_all(fd, arg);
        }
    }
    if !skip {
        write_all(fd, tmpl.get(run..).unwrap_or(b""));
    }
}

/// Writes all of `b`, retrying after partial writes and EINTR; gives up
/// silently on any other error. A write to a broken pipe raises SIGPIPE,
/// which mite has blocked: it is taken back at once, so that mite never
/// forwards its own SIGPIPE to the child as if someone had sent it.
fn write_all(fd: i32, mut b: &[u8]) {
    while !b.is_empty() {
        match sys::write(fd, b) {
            Ok(n) if n > 0 => b = b.get(n..).unwrap_or(&[]),
            Err(Errno::EINTR) => {}
            Err(Errno::EPIPE) => return sys::discard_pending(Signal::PIPE),
            _ => return,
        }
    }
}

/// `v` in decimal, in `buf`.
pub fn num(v: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    let mut u = v;
    while i > 0 {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (u % 10) as u8;
        }
        u /= 10;
        if u == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or(&[])
}

/// glibc's texts for the errors an init is likely to meet (exec, fork,
/// prctl, kill), each after a marker byte 0x80 + errno (the texts are
/// ASCII). One packed string: a match would become a table of 16-byte
/// slices. Other errors print as "Unknown error".
const ERRORS: &[u8] = b"\x81Operation not permitted\x82No such file or directory\x83No such process\
\x86No such device or address\x87Argument list too long\x88Exec format error\x8bResource temporarily unavailable\
\x89Bad file descriptor\x8cCannot allocate memory\x8dPermission denied\x94Not a directory\x96Invalid argument\
\x99Inappropriate ioctl for device\x9aText file busy\xa4File name too long\xa8Too many levels of symbolic links\xff";

/// The text of a known error number.
fn known_error(e: u32) -> Option<&'static [u8]> {
    let mut start = None;
    for (i, &c) in ERRORS.iter().enumerate() {
        if c >= 0x80 {
            if let Some(s) = start {
                return ERRORS.get(s..i);
            }
            if u32::from(c) == 0x80 + e {
                start = Some(i + 1);
            }
        }
    }
    None
}

/// The text of an error number, as strerror gives it.
pub fn strerror(e: Errno) -> &'static [u8] {
    known_error(e.into_raw() as u32).unwrap_or(b"Unknown error")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `print` writes, captured through a pipe.
    fn expand(tmpl: &[u8], a: &[u8], b: &[u8], n: u32) -> Vec<u8> {
        use std::io::Read;
        use std::os::fd::AsRawFd;
        let (mut r, w) = std::io::pipe().unwrap();
        print(w.as_raw_fd(), tmpl, a, b, n);
        drop(w);
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn templates() {
        assert_eq!(
            expand(b"exec \x01 failed: \x04\n", b"prog", b"", 2),
            b"exec prog failed: No such file or directory\n"
        );
        assert_eq!(expand(b"\x02\x01 pid=\x03", b"a", b"b", 143), b"ba pid=143");
        assert_eq!(expand(b"plain", b"", b"", 0), b"plain");
        assert_eq!(expand(b"a\x06b\x07c", b"x", b"", 0), b"ac");
        assert_eq!(expand(b"a\x06b\x07c", b"", b"--", 0), b"abc");
    }

    #[test]
    fn numbers() {
        for v in [0u32, 7, 10, 143, 65535, 4_000_000, u32::MAX] {
            let mut b = [0; 10];
            assert_eq!(num(v, &mut b), v.to_string().as_bytes());
        }
    }

    #[test]
    fn errors() {
        for (e, t) in [
            (Errno::EPERM, &b"Operation not permitted"[..]),
            (Errno::ENOENT, b"No such file or directory"),
            (Errno::ESRCH, b"No such process"),
            (Errno::E2BIG, b"Argument list too long"),
            (Errno::ENOEXEC, b"Exec format error"),
            (Errno::EAGAIN, b"Resource temporarily unavailable"),
            (Errno::ENOMEM, b"Cannot allocate memory"),
            (Errno::EACCES, b"Permission denied"),
            (Errno::EINVAL, b"Invalid argument"),
            (Errno::ETXTBSY, b"Text file busy"),
            (Errno::ENXIO, b"No such device or address"),
            (Errno::EBADF, b"Bad file descriptor"),
            (Errno::ENOTTY, b"Inappropriate ioctl for device"),
            (Errno::ENOTDIR, b"Not a directory"),
            (Errno::ENAMETOOLONG, b"File name too long"),
            (Errno::ELOOP, b"Too many levels of symbolic links"),
            (Errno::new(200), b"Unknown error"),
            (Errno::new(4), b"Unknown error"),
        ] {
            assert_eq!(strerror(e), t, "{e:?}");
        }
        assert_eq!(expand(b"\x04", b"", b"", 200), b"Unknown error");
    }

}
