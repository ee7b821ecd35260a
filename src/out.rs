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

/// Property tests: the template writer against a model of the template
/// language of the module comment (with the packed words of `pack`),
/// numbers against `to_string`, error texts against the C library's own
/// `strerror`.
#[cfg(test)]
mod props {
    use super::*;
    use crate::testkit::{prop, report, show};
    use proptest::prelude::*;

    /// The template language: 1 is `a`, 2 is `b`, 3 is `n` in decimal, 4
    /// the text of error `n`, each byte from 0x80 the word of that code
    /// in `pack::WORDS` (nothing past the last word); any other byte is
    /// itself.
    fn model_print(tmpl: &[u8], a: &[u8], b: &[u8], n: u32) -> Vec<u8> {
        let words: Vec<&[u8]> = crate::pack::WORDS.split(|&c| c == 0).collect();
        let mut out = Vec::new();
        for &c in tmpl {
            match c {
                1 => out.extend_from_slice(a),
                2 => out.extend_from_slice(b),
                3 => out.extend_from_slice(n.to_string().as_bytes()),
                4 => out.extend_from_slice(glibc_strerror(n as i32).as_bytes()),
                0x80.. => {
                    out.extend_from_slice(words.get(usize::from(c - 0x80)).unwrap_or(&&[][..]))
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The C library's text, or "Unknown error" where mite has none.
    fn glibc_strerror(e: i32) -> String {
        if KNOWN.contains(&e) {
            let s = std::io::Error::from_raw_os_error(e).to_string();
            s.split(" (os error").next().unwrap().to_string()
        } else {
            "Unknown error".into()
        }
    }

    /// The errors mite has a text for (exec, fork, prctl, kill, ioctl).
    const KNOWN: &[i32] = &[1, 2, 3, 6, 7, 8, 9, 11, 12, 13, 20, 22, 25, 26, 36, 40];

    /// What `print` writes, through a pipe.
    fn captured(tmpl: &[u8], a: &[u8], b: &[u8], n: u32) -> Vec<u8> {
        use std::io::Read;
        use std::os::fd::AsRawFd;
        let (mut r, w) = std::io::pipe().unwrap();
        print(w.as_raw_fd(), tmpl, a, b, n);
        drop(w);
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        v
    }

    /// Templates: plain bytes, the template bytes, packed words; now and
    /// then longer than the 256-byte buffer, which is then written in
    /// pieces.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![4 => 8u8..0x80, 2 => 0x80u8..=255, 1 => 0u8..8, 1 => Just(b' ')];
        prop_oneof![
            8 => proptest::collection::vec(byte.clone(), 0..30),
            1 => proptest::collection::vec(byte, 200..400),
        ]
    }

    #[test]
    fn print_matches_model() {
        let n = prop_oneof![0u32..200, any::<u32>()];
        let arg = prop_oneof![
            8 => proptest::collection::vec(any::<u8>(), 0..6),
            1 => proptest::collection::vec(any::<u8>(), 250..300),
        ];
        prop(
            "print",
            5_000,
            (text(), arg.clone(), arg, n),
            |(tmpl, a, b, n)| {
                assert_eq!(
                    show(&captured(&tmpl, &a, &b, n)),
                    show(&model_print(&tmpl, &a, &b, n)),
                    "{tmpl:?} {a:?} {b:?} {n}"
                );
            },
        );
    }

    #[test]
    fn num_for_any_number() {
        prop("num", 50_000, any::<u32>(), |v| {
            let mut b = [0; 10];
            assert_eq!(num(v, &mut b), v.to_string().as_bytes());
        });
    }

    /// The texts mite has are the C library's, byte for byte once
    /// unpacked (`\x04` expands them); any other number is "Unknown
    /// error".
    #[test]
    fn strerror_is_the_c_librarys() {
        for e in -200..4200 {
            let t = captured(b"\x04", b"", b"", e as u32);
            assert_eq!(show(&t), glibc_strerror(e), "errno {e}");
        }
        report("strerror", 4400);
        prop("strerror_any", 20_000, any::<u32>(), |e| {
            let t = captured(b"\x04", b"", b"", e);
            assert!(t.iter().all(|&c| (0x20..0x7f).contains(&c)), "{e}");
            assert_eq!(show(&t), glibc_strerror(e as i32), "errno {e}");
        });
    }
}
