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
    #[cfg_attr(target_arch = "aarch64", inline(always))]
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
}

/// An owned argv for host tests and fuzzing: strings plus a pointer array
/// with the terminating null, from which a valid `Argv` can be borrowed.
#[cfg(any(test, feature = "std"))]
pub struct OwnedArgv {
    _strings: Vec<std::ffi::CString>,
    ptrs: Vec<*const u8>,
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
        OwnedArgv {
            _strings: strings,
            ptrs,
        }
    }

    /// Splits on spaces: `OwnedArgv::words("mite -s -- true")`.
    pub fn words(s: &str) -> OwnedArgv {
        OwnedArgv::new(&s.split_whitespace().collect::<Vec<_>>())
    }

    pub fn argv(&self) -> Argv<'_> {
        // SAFETY: ptrs holds pointers to the CStrings owned by self, then a
        // null; both live as long as the borrow of self.
        #[allow(unsafe_code)]
        unsafe {
            Argv::from_raw(self.ptrs.as_ptr())
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
    fn getenv() {
        let o = OwnedArgv::new(&["A=1", "PATH=/bin", "PATHX=no", "B", "EMPTY="]);
        let e = o.argv();
        assert_eq!(e.getenv(b"PATH"), Some(&b"/bin"[..]));
        assert_eq!(e.getenv(b"EMPTY"), Some(&b""[..]));
        assert_eq!(e.getenv(b"B"), None);
        assert_eq!(e.getenv(b"C"), None);
    }
}
