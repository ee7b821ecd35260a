//! Byte-string helpers shared by the parsers and the writers: pure code,
//! no syscalls. They sit below `cli` and `signal`, which both use them, so
//! that neither imports the other.

/// The index of `name` in a NUL-separated list of names. (A packed list
/// costs only its bytes; an array of slices or a `match` on strings costs
/// far more code and data.)
pub fn position(list: &[u8], name: &[u8]) -> Option<usize> {
    list.split(|&c| c == 0).position(|n| n == name)
}

/// Entry `n` of a NUL-separated list (empty past its end). One loop for
/// every packed list (words, level names, signal names, getopt's
/// messages).
#[inline(never)]
pub fn nth(list: &[u8], n: usize) -> &[u8] {
    let mut k = 0;
    let mut start = 0;
    for (i, &c) in list.iter().enumerate() {
        if c == 0 {
            if k == n {
                return list.get(start..i).unwrap_or(&[]);
            }
            k += 1;
            start = i + 1;
        }
    }
    if k == n {
        list.get(start..).unwrap_or(&[])
    } else {
        &[]
    }
}

/// The part of a path after the last `/`.
pub fn basename(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&c| c == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or(&[]),
        None => path,
    }
}

/// Parses a decimal number without sign, at most `max`.
pub fn parse_u32(s: &[u8], max: u32) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in s {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
        if n > u64::from(max) {
            return None;
        }
    }
    Some(n as u32)
}

/// Copies as much of `src` as fits into `dst`. Unlike `copy_from_slice`
/// it has no length-mismatch panic, which mite must not contain.
pub fn copy(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_basenames() {
        assert_eq!(position(b"a\0bc\0d", b"bc"), Some(1));
        assert_eq!(position(b"a\0bc\0d", b"b"), None);
        assert_eq!(nth(b"a\0bc\0d", 0), b"a");
        assert_eq!(nth(b"a\0bc\0d", 1), b"bc");
        assert_eq!(nth(b"a\0bc\0d", 2), b"d");
        assert_eq!(nth(b"a\0bc\0d", 3), b"");
        assert_eq!(nth(b"", 0), b"");
        assert_eq!(basename(b"/usr/bin/tini"), b"tini");
        assert_eq!(basename(b"tini"), b"tini");
        assert_eq!(basename(b"tini/"), b"");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u32(b"0", 5), Some(0));
        assert_eq!(parse_u32(b"005", 5), Some(5));
        assert_eq!(parse_u32(b"6", 5), None);
        assert_eq!(parse_u32(b"", 5), None);
        assert_eq!(parse_u32(b"-1", 5), None);
        assert_eq!(parse_u32(b"4294967295", u32::MAX), Some(u32::MAX));
        assert_eq!(parse_u32(b"4294967296", u32::MAX), None);
    }
}
