//! Output without `core::fmt`.
//!
//! A message is a template with up to two strings and one number: in it,
//! byte 1 stands for `a`, 2 for `b`, 3 for `n` in decimal and 4 for the
//! text of error number `n` (`b"exec \x01 failed: \x04\n"`); bytes 0x80
//! and up are packed words (`pack`). Passing the parts in registers
//! instead of an array keeps each call site small.
//!
//! A message is expanded into a small buffer on the stack and written
//! with one `write`, so that a line of mite's never interleaves with a
//! child's output (longer texts, such as `--help`, in 256-byte pieces).
//!
//! Write errors are ignored on purpose: a closed or broken stderr must not
//! stop an init from supervising (SIGPIPE is blocked, so EPIPE just
//! returns).

use crate::pack::word;
use crate::signal::Signal;
use crate::sys::{self, Errno};

/// A line being assembled for one `write`.
pub struct Out {
    fd: i32,
    len: usize,
    buf: [u8; 256],
}

impl Out {
    pub fn new(fd: i32) -> Out {
        Out {
            fd,
            len: 0,
            buf: [0; 256],
        }
    }

    /// Appends `tmpl`, expanded (see the module comment). The strings
    /// `a` and `b` are copied as they are: they may hold any bytes (an
    /// argument, a value), which are never read as packed words.
    pub fn put(&mut self, tmpl: &[u8], a: &[u8], b: &[u8], n: u32) {
        let mut digits = [0; 10];
        for c in tmpl {
            let part: &[u8] = match *c {
                1 => a,
                2 => b,
                3 => num(n, &mut digits),
                4 => {
                    self.put(strerror(n), b"", b"", 0);
                    continue;
                }
                0x80.. => word(*c),
                _ => core::slice::from_ref(c),
            };
            self.raw(part);
        }
    }

    /// Appends `s` as it is.
    fn raw(&mut self, s: &[u8]) {
        for &c in s {
            if self.len == self.buf.len() {
                self.flush();
            }
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = c;
                self.len += 1;
            }
        }
    }

    /// Writes what has been assembled.
    pub fn flush(&mut self) {
        write_all(self.fd, self.buf.get(..self.len).unwrap_or(&[]));
        self.len = 0;
    }
}

/// Writes `tmpl` to `fd`, expanded (see the module comment).
pub fn print(fd: i32, tmpl: &[u8], a: &[u8], b: &[u8], n: u32) {
    let mut o = Out::new(fd);
    o.put(tmpl, a, b, n);
    o.flush();
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
/// prctl, ioctl), packed, NUL-separated by number from errno 1 (an empty
/// entry for the others): a match would become a table of 16-byte slices.
const ERRORS: &[u8] = crate::packed!(
    b"Operation not permitted\0No such file or directory\0No such process\0\
\0\0No such device or address\0Argument list too long\0\
Exec format error\0Bad file descriptor\0\0\
Resource temporarily unavailable\0Cannot allocate memory\0\
Permission denied\0\0\0\0\0\0\0Not a directory\0\0Invalid argument\0\0\
\0Inappropriate ioctl for device\0Text file busy\0\0\0\0\0\0\0\0\0\0\
File name too long\0\0\0\0Too many levels of symbolic links"
);

/// The (packed) text of error number `e`, as strerror gives it.
fn strerror(e: u32) -> &'static [u8] {
    match crate::bytes::nth(ERRORS, (e as usize).wrapping_sub(1)) {
        b"" => b"Unknown error",
        t => t,
    }
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
        assert_eq!(
            expand(crate::packed!(b"signal \x03\n"), b"", b"", 9),
            b"signal 9\n"
        );
        // Arguments are copied as they are, packed words or not.
        assert_eq!(
            expand(b"<\x01>", &[0x81, 0xff], b"", 0),
            [b'<', 0x81, 0xff, b'>']
        );
        // Longer than the buffer: written in pieces, all of it.
        let long = vec![b'x'; 1000];
        assert_eq!(expand(&long, b"", b"", 0), long);
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
            assert_eq!(expand(b"\x04", b"", b"", e.into_raw() as u32), t, "{e:?}");
        }
    }
}
