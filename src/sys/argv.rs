//! argv and envp in place: the kernel's NULL-terminated arrays of
//! NUL-terminated strings, read without copying.

use core::marker::PhantomData;

/// A NULL-terminated array of C strings, as the kernel lays out argv and
/// envp and as `execve` takes them.
///
/// Invariant: `ptrs[..len]` are non-null pointers to NUL-terminated strings
/// that live for `'a`, and `ptrs[len]` exists and is null. Every suffix
/// (`skip`) keeps the invariant, so a program's arguments can be handed to
/// `execve` without a copy.
#[derive(Clone, Copy)]
pub struct Argv<'a> {
    ptr: *const *const u8,
    len: usize,
    _life: PhantomData<&'a [u8]>,
}

impl<'a> Argv<'a> {
    /// Reads the array at `ptr` up to its terminating null.
    ///
    /// # Safety
    /// `ptr` must point to a NULL-terminated array of pointers to
    /// NUL-terminated strings, all valid and unchanged for `'a`.
    pub unsafe fn from_raw(ptr: *const *const u8) -> Argv<'a> {
        let mut len = 0;
        // SAFETY: the array is NULL-terminated (caller's contract), so every
        // element up to and including the null is readable.
        while !unsafe { *ptr.add(len) }.is_null() {
            len += 1;
        }
        Argv {
            ptr,
            len,
            _life: PhantomData,
        }
    }

    /// The address just after the terminating null.
    pub fn end(&self) -> *const *const u8 {
        self.ptr.wrapping_add(self.len + 1)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `i`-th string, without its NUL.
    // Out of line: 72 bytes smaller on aarch64, the same on x86_64.
    #[inline(never)]
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.len {
            return None;
        }
        // SAFETY: i < len, so the element is a valid non-null string
        // pointer (type invariant); strlen stays within the string.
        unsafe {
            let s = *self.ptr.add(i);
            let mut n = 0;
            while *s.add(n) != 0 {
                n += 1;
            }
            Some(core::slice::from_raw_parts(s, n))
        }
    }

    /// The suffix from element `n` on (empty when `n` is past the end).
    pub fn skip(self, n: usize) -> Argv<'a> {
        let n = if n > self.len { self.len } else { n };
        Argv {
            ptr: self.ptr.wrapping_add(n),
            len: self.len - n,
            _life: PhantomData,
        }
    }

    pub fn iter(self) -> impl Iterator<Item = &'a [u8]> {
        (0..self.len).filter_map(move |i| self.get(i))
    }

    /// The value of environment variable `name` in an envp array.
    pub fn getenv(self, name: &[u8]) -> Option<&'a [u8]> {
        self.iter().find_map(|e| match e.strip_prefix(name) {
            Some([b'=', v @ ..]) => Some(v),
            _ => None,
        })
    }

    pub fn as_ptr(&self) -> *const *const u8 {
        self.ptr
    }

    /// Makes entry `i` point at `s`, which must end with a NUL byte; the
    /// array lives on, its new entry only as long as `s`. Used in a forked
    /// child just before execve (LISTEN_PID): the child's copy of the
    /// kernel's envp array, on its own stack, is writable memory that
    /// nothing else reads.
    pub fn replace<'b>(self, i: usize, s: &'b [u8]) -> Argv<'b>
    where
        'a: 'b,
    {
        if i < self.len && s.last() == Some(&0) {
            // SAFETY: i < len, so the slot is inside the array (type
            // invariant); the array is writable (see above) and s is a
            // NUL-terminated string that outlives the returned Argv.
            unsafe { *(self.ptr as *mut *const u8).add(i) = s.as_ptr() };
        }
        Argv {
            ptr: self.ptr,
            len: self.len,
            _life: PhantomData,
        }
    }
}

/// An owned argv for host tests and fuzzing: strings plus a pointer array
/// with the terminating null, from which a valid `Argv` can be borrowed.
#[cfg(any(test, feature = "std"))]
pub struct OwnedArgv {
    _strings: Vec<std::ffi::CString>,
    ptrs: Vec<*const u8>,
    /// `ptrs`' buffer, taken mutably once, so that `Argv::replace` may
    /// write through the `Argv`s borrowed from it.
    base: *mut *const u8,
}

#[cfg(any(test, feature = "std"))]
impl OwnedArgv {
    /// Builds an argv; interior NUL bytes end a string early, as in C.
    pub fn new<S: AsRef<[u8]>>(items: &[S]) -> OwnedArgv {
        let strings: Vec<std::ffi::CString> = items
            .iter()
            .map(|s| {
                let b = s.as_ref();
                let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                std::ffi::CString::new(&b[..end]).unwrap()
            })
            .collect();
        let mut ptrs: Vec<*const u8> = strings.iter().map(|c| c.as_ptr().cast()).collect();
        ptrs.push(core::ptr::null());
        let base = ptrs.as_mut_ptr();
        OwnedArgv {
            _strings: strings,
            ptrs,
            base,
        }
    }

    /// Splits on spaces: `OwnedArgv::words("mite -s -- true")`.
    pub fn words(s: &str) -> OwnedArgv {
        OwnedArgv::new(&s.split_whitespace().collect::<Vec<_>>())
    }

    pub fn argv(&self) -> Argv<'_> {
        debug_assert_eq!(self.base as *const _, self.ptrs.as_ptr());
        // SAFETY: base is ptrs' buffer (never reallocated): pointers to
        // the CStrings owned by self, then a null; both live as long as
        // the borrow of self.
        #[allow(unsafe_code)]
        unsafe {
            Argv::from_raw(self.base)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_place() {
        let o = OwnedArgv::words("mite -s -- sh -c");
        let a = o.argv();
        assert_eq!(a.len(), 5);
        assert_eq!(a.get(0), Some(&b"mite"[..]));
        assert_eq!(a.get(4), Some(&b"-c"[..]));
        assert_eq!(a.get(5), None);
        let rest = a.skip(3);
        assert_eq!(rest.len(), 2);
        assert_eq!(rest.get(0), Some(&b"sh"[..]));
        // The suffix is still NULL-terminated.
        // SAFETY: the Argv invariant: the slot after the last is readable.
        assert!(unsafe { *rest.as_ptr().add(rest.len()) }.is_null());
        assert!(a.skip(99).is_empty());
        // SAFETY: as above; an empty suffix points at the terminator.
        assert!(unsafe { *a.skip(99).as_ptr() }.is_null());
    }

    #[test]
    fn replace_an_entry() {
        let o = OwnedArgv::new(&["A=1", "LISTEN_PID=1", "B=2"]);
        let e = o.argv();
        let new = b"LISTEN_PID=42\0";
        let r = e.replace(1, new);
        assert_eq!(r.getenv(b"LISTEN_PID"), Some(&b"42"[..]));
        assert_eq!(r.get(2), Some(&b"B=2"[..]));
        // Without a NUL, or out of range: nothing changes.
        let r = r.replace(0, b"A=9");
        let r = r.replace(7, b"X=1\0");
        assert_eq!(r.get(0), Some(&b"A=1"[..]));
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn getenv() {
        let o = OwnedArgv::new(&["A=1", "PATH=/bin", "PATHX=no", "B", "EMPTY="]);
        let e = o.argv();
        assert_eq!(e.getenv(b"PATH"), Some(&b"/bin"[..]));
        assert_eq!(e.getenv(b"EMPTY"), Some(&b""[..]));
        assert_eq!(e.getenv(b"B"), None);
        assert_eq!(e.getenv(b"C"), None);
    }
}
