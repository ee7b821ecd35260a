//! Packed text: every message, help and error text mite prints is stored
//! with its common words replaced by one byte each, 0x80 + the word's
//! index in `WORDS`. The source keeps the plain text (`packed!`, at
//! compile time); `out` expands it while printing. This saves about 1.5 KB
//! of the binary (measured: see the commit that introduced it), the price
//! of one small table and a few lines here. Pure code, no syscalls.
//!
//! Only printed text is packed: names that input is compared with (option
//! tables, signal names, variable names, paths) stay plain.

/// The words, NUL-separated, in the order of their codes (0x80, 0x81, ...).
/// Chosen by `scripts/pack-words` from the texts mite prints; any list
/// works (a word only has to be ASCII without NUL or a template byte), a
/// better one only saves more. At most 128 words.
pub const WORDS: &[u8] = b"\
\x20   \0signal\0MITE_\0 option \0 child\0 controlling tty\0\
] [--] PROGRAM [ARGS...\0 for \0 --\0subreaper\0sage\0rgument\0 process\0 the\0\
\x20with \0ot \0ing\0\n -\0version\0 to\0ite\0, -\0TINI_KILL_PROCESS_GROUP\0SIG\0\
; TINI_SUBREAPER,\n\0 re\0ed \0valid\0exit \0catatonit\0able\0orward\0status\0\
, TINI_VERBOSITY\0as \0<signum>\0 program\0ile\0help\0PID \0pause\0group\0\
No such\0timeout\0verbose\0 (DUMB_INIT_\0ion\0ini\0 an\0 [-\0icense\0zombie\0\
tach\0TERM\0 directory\0 de\0).\n\0   \0 [OPTIONS\0 (errno=\0for\0 wa\0 be\0\
en \0com\0pid\0, 1\0ermi\0xec \0name\0 0.1\0hild\0from\0gnor\0 parent\0TIMEOUT\0\
o long\0quires\0full u\0 first\0setsid\0SETSID";

/// The word of code `c` (0x80 + its index); empty if there is none.
pub fn word(c: u8) -> &'static [u8] {
    crate::bytes::nth(WORDS, usize::from(c.wrapping_sub(0x80)))
}

/// The words by their first byte, computed once at compile time so that
/// packing (also at compile time) only tries the words that can match:
/// `.0[c]` lists (start in `WORDS`, length, code) of the words (up to 40)
/// that begin with byte `c`, `.1[c]` how many there are.
#[allow(clippy::type_complexity)]
const BY_FIRST: ([[(u16, u8, u8); 40]; 128], [u8; 128]) = {
    let mut table = [[(0u16, 0u8, 0u8); 40]; 128];
    let mut counts = [0u8; 128];
    let (mut w, mut code) = (0, 0x80u8);
    while w < WORDS.len() {
        let mut n = 0;
        while w + n < WORDS.len() && WORDS[w + n] != 0 {
            n += 1;
        }
        let first = WORDS[w] as usize;
        assert!(
            first < 128 && code >= 0x80,
            "a word is not ASCII, or more than 128 words"
        );
        let k = counts[first] as usize;
        assert!(k < 40, "more than 40 words start with the same byte");
        table[first][k] = (w as u16, n as u8, code);
        counts[first] += 1;
        w += n + 1;
        code = code.wrapping_add(1);
    }
    (table, counts)
};

/// The length of the longest word that `s` starts with at `i`, and its code.
const fn longest(s: &[u8], i: usize) -> (usize, u8) {
    let first = s[i] as usize;
    let mut best = (0, 0);
    let mut j = 0;
    while j < BY_FIRST.1[first] as usize {
        let (w, n, code) = BY_FIRST.0[first][j];
        let (w, n) = (w as usize, n as usize);
        let mut k = 0;
        while k < n && i + k < s.len() && s[i + k] == WORDS[w + k] {
            k += 1;
        }
        if k == n && n > best.0 {
            best = (n, code);
        }
        j += 1;
    }
    best
}

/// How long `s` is once packed. Fails the build if `s` is not ASCII.
pub const fn packed_len(s: &[u8]) -> usize {
    let mut i = 0;
    let mut len = 0;
    while i < s.len() {
        assert!(s[i] < 0x80, "packed text must be ASCII");
        let (n, _) = longest(s, i);
        i += if n > 0 { n } else { 1 };
        len += 1;
    }
    len
}

/// `s` packed: each longest word match replaced by its code.
pub const fn pack<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    let mut o = 0;
    while i < s.len() {
        let (n, code) = longest(s, i);
        if n > 0 {
            out[o] = code;
            i += n;
        } else {
            out[o] = s[i];
            i += 1;
        }
        o += 1;
    }
    out
}

/// A `&'static [u8]` of the packed form of a constant byte string.
#[macro_export]
macro_rules! packed {
    ($s:expr) => {{
        const S: &[u8] = $s;
        const P: [u8; $crate::pack::packed_len(S)] = $crate::pack::pack(S);
        &P
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inverse of `pack`, for the tests.
    fn unpack(p: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for &c in p {
            if c >= 0x80 {
                v.extend_from_slice(word(c));
            } else {
                v.push(c);
            }
        }
        v
    }

    #[test]
    fn words_are_plain() {
        let n = WORDS.split(|&b| b == 0).count();
        assert!(n <= 128, "{n} words");
        for w in WORDS.split(|&b| b == 0) {
            assert!(!w.is_empty());
            assert!(
                w.iter().all(|&c| (b' '..0x7f).contains(&c) || c == b'\n'),
                "{w:?}"
            );
        }
    }

    #[test]
    fn round_trips() {
        const T: &[u8] = b"Forwarded signal \x03 to children.\n";
        let p: &[u8] = packed!(T);
        assert!(p.len() < T.len());
        assert_eq!(unpack(p), T);
        for s in [
            &b""[..],
            b"x",
            b"signals signal",
            b"\x01: invalid option -- '\x02'\n",
        ] {
            let mut v = vec![0; packed_len(s)];
            // The const fn, run at test time.
            let mut i = 0;
            while i < s.len() {
                let (n, c) = longest(s, i);
                v.push(if n > 0 { c } else { s[i] });
                i += n.max(1);
            }
            let packed: Vec<u8> = v.split_off(packed_len(s));
            assert_eq!(unpack(&packed), s);
        }
    }
}
