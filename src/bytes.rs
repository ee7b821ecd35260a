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

/// Property tests: the number reader against a model written from its
/// specification (decimal digits), the list and path helpers on any bytes.
#[cfg(test)]
pub(crate) mod props {
    use super::*;
    use crate::testkit::{prop, show};
    use proptest::prelude::*;

    /// Decimal digits only, no sign, no space, value at most `max`
    /// (leading zeros are fine, as with strtoul).
    pub(crate) fn model_number(s: &[u8], max: u64) -> Option<u64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let zeros = s.iter().take_while(|&&c| c == b'0').count();
        let digits = &s[zeros..];
        if digits.len() > 19 {
            return None;
        }
        let v: u64 = if digits.is_empty() {
            0
        } else {
            std::str::from_utf8(digits).ok()?.parse().ok()?
        };
        (v <= max).then_some(v)
    }

    /// Words that look like numbers, and near misses.
    fn numeric() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(proptest::sample::select(&b"0123456789+- \t\n:x"[..]), 0..25),
            any::<u64>().prop_map(|n| n.to_string().into_bytes()),
            (0u32..300).prop_map(|n| n.to_string().into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..12),
        ]
    }

    #[test]
    fn parse_u32_matches_model() {
        let s = (
            numeric(),
            prop_oneof![
                Just(255u32),
                Just(64),
                Just(31),
                Just(9),
                Just(1 << 24),
                Just(u32::MAX),
                any::<u32>()
            ],
        );
        prop("parse_u32", 30_000, s, |(w, max)| {
            assert_eq!(
                parse_u32(&w, max).map(u64::from),
                model_number(&w, u64::from(max)),
                "{:?} max {max}",
                show(&w)
            );
        });
    }

    /// A NUL-separated list over a small alphabet, so that names repeat
    /// and entries are often empty.
    fn list() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(&b"ab/\0"[..]), 0..12)
    }

    #[test]
    fn positions_and_basenames_of_any_bytes() {
        let name = proptest::collection::vec(proptest::sample::select(&b"ab/\0"[..]), 0..4);
        prop(
            "position_basename",
            20_000,
            (list(), name),
            |(list, name)| {
                let want = if name.contains(&0) {
                    None
                } else {
                    list.split(|&c| c == 0).position(|n| n == &name[..])
                };
                assert_eq!(position(&list, &name), want, "{list:?} {name:?}");
                let b = basename(&list);
                assert!(!b.contains(&b'/') && list.ends_with(b));
                assert!(b.len() == list.len() || list[list.len() - b.len() - 1] == b'/');
                let mut dst = [7u8; 6];
                copy(&mut dst, &list);
                let n = list.len().min(6);
                assert_eq!(&dst[..n], &list[..n]);
                assert!(dst[n..].iter().all(|&c| c == 7));
            },
        );
    }

    /// `nth` is the `n`-th entry of `split` on NUL, empty past the end;
    /// `position` and `nth` are inverse where the name is found.
    #[test]
    fn nth_of_any_list() {
        prop("nth", 20_000, (list(), 0usize..16), |(list, n)| {
            let entries: Vec<&[u8]> = list.split(|&c| c == 0).collect();
            let want = entries.get(n).copied().unwrap_or(b"");
            assert_eq!(nth(&list, n), want, "{list:?} {n}");
            if let Some(i) = position(&list, want) {
                assert!(i <= n && nth(&list, i) == want);
            }
        });
    }
}
