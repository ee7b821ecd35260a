//! The shipped binaries, inspected as files: static, no dynamic loader, no
//! relocations to apply, a non-executable stack, one loadable segment, and
//! at most CEILING bytes each (the hard ceiling). Both architectures are
//! checked whatever MITE_BIN says: scripts/build.sh builds both first.

use std::path::PathBuf;

// The ceiling the binary is held to today: 15 KiB, about 500 bytes above
// the current size (x86_64 14832, aarch64 14840) so that a growth shows.
// Issue 8 asks for 12288 with every personality and issue 7's drain; mite
// does not meet that yet (README, "Size"): this number only comes down.
const CEILING: u64 = 15360;

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_GNU_STACK: u32 = 0x6474_e551;
const PF_X: u32 = 1;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn binary(rel: &str) -> Vec<u8> {
    let p = root().join(rel);
    std::fs::read(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (build it with scripts/build.sh)", p.display()))
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes(b[o..o + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}

struct Phdr {
    kind: u32,
    flags: u32,
    offset: u64,
    filesz: u64,
}

fn phdrs(b: &[u8]) -> Vec<Phdr> {
    let (off, size, n) = (
        u64_at(b, 32) as usize,
        u16_at(b, 54) as usize,
        u16_at(b, 56) as usize,
    );
    (0..n)
        .map(|i| {
            let p = off + i * size;
            Phdr {
                kind: u32_at(b, p),
                flags: u32_at(b, p + 4),
                offset: u64_at(b, p + 8),
                filesz: u64_at(b, p + 32),
            }
        })
        .collect()
}

fn check(rel: &str, machine: u16) {
    let b = binary(rel);
    assert_eq!(&b[..4], b"\x7fELF", "{rel}: not ELF");
    assert_eq!(b[4], 2, "{rel}: not 64-bit");
    assert_eq!(
        u16_at(&b, 16),
        2,
        "{rel}: not ET_EXEC: a PIE would need relocating at start"
    );
    assert_eq!(u16_at(&b, 18), machine, "{rel}: wrong e_machine");
    assert!(
        b.len() as u64 <= CEILING,
        "{rel}: {} bytes, above the {CEILING}-byte ceiling",
        b.len()
    );

    let ph = phdrs(&b);
    assert!(
        ph.iter().all(|p| p.kind != PT_INTERP),
        "{rel}: has PT_INTERP (dynamic loader)"
    );
    assert!(
        ph.iter().all(|p| p.kind != PT_DYNAMIC),
        "{rel}: has PT_DYNAMIC"
    );
    let loads: Vec<&Phdr> = ph.iter().filter(|p| p.kind == PT_LOAD).collect();
    assert_eq!(loads.len(), 1, "{rel}: expected one PT_LOAD");
    // The file is the loaded image and nothing more: no section headers or
    // other trailing tables (scripts/linker-gcc drops them).
    assert_eq!(
        loads[0].offset + loads[0].filesz,
        b.len() as u64,
        "{rel}: bytes beyond the loaded segment"
    );
    assert_eq!(u16_at(&b, 60), 0, "{rel}: has section headers");
    let stack = ph
        .iter()
        .find(|p| p.kind == PT_GNU_STACK)
        .unwrap_or_else(|| panic!("{rel}: no PT_GNU_STACK"));
    assert_eq!(stack.flags & PF_X, 0, "{rel}: executable stack");

    // No libc, no formatting machinery, no panic strings.
    for needle in [
        &b"GLIBC"[..],
        b"libc.so",
        b"panicked",
        b"unwrap",
        b"called `Option",
        b"index out of bounds",
    ] {
        assert!(
            !b.windows(needle.len()).any(|w| w == needle),
            "{rel}: contains {:?}",
            String::from_utf8_lossy(needle)
        );
    }
}

#[test]
fn x86_64_binary_is_static_small_and_clean() {
    check("target/release/mite", 62);
}

#[test]
fn aarch64_binary_is_static_small_and_clean() {
    check("target/aarch64-unknown-linux-musl/release/mite", 183);
}
