//! The release binary has no panic path, no `core::fmt` and no heap
//! allocator: checked on the built ELF, for the architecture of the
//! binary under test (MITE_BIN, else the one cargo built).
//!
//! Two proofs, one per layer:
//! - The link: `main.rs`'s panic handler (`rust_begin_unwind`) calls a
//!   symbol that exists nowhere, so in a release build any reachable
//!   panic fails the link; `--gc-sections` drops the handler when nothing
//!   reaches it. A binary that linked has no reachable panic.
//! - This test: the shipped (stripped) file holds none of the texts that
//!   panics and formatting bring along, and a copy built with symbols
//!   (same profile, `strip = false`, sections kept, in
//!   target/unstripped so the normal build is untouched) has no symbol of
//!   the panic, fmt, alloc or unwinding machinery. The copy's loaded
//!   bytes are checked to be the shipped ones, so it is the same program.
//!
//! The extra build takes seconds after the first run (its own target
//! directory keeps the compiled dependencies).
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn u16_at(b: &[u8], o: usize) -> usize {
    u16::from_le_bytes(b[o..o + 2].try_into().unwrap()) as usize
}
fn u32_at(b: &[u8], o: usize) -> usize {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) as usize
}
fn u64_at(b: &[u8], o: usize) -> usize {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap()) as usize
}

const EM_X86_64: usize = 62;
const EM_AARCH64: usize = 183;
const SHT_SYMTAB: usize = 2;
const PT_LOAD: usize = 1;

/// The names in the ELF's symbol table (empty when it has none).
fn symbols(elf: &[u8]) -> Vec<String> {
    let (shoff, shentsize, shnum) = (u64_at(elf, 0x28), u16_at(elf, 0x3a), u16_at(elf, 0x3c));
    let sh = |i: usize| shoff + i * shentsize;
    let mut names = Vec::new();
    for i in 0..shnum {
        if u32_at(elf, sh(i) + 4) != SHT_SYMTAB {
            continue;
        }
        let (off, size, entsize) = (
            u64_at(elf, sh(i) + 24),
            u64_at(elf, sh(i) + 32),
            u64_at(elf, sh(i) + 56),
        );
        let strtab = u64_at(elf, sh(u32_at(elf, sh(i) + 40)) + 24);
        for s in (off..off + size).step_by(entsize) {
            let name = strtab + u32_at(elf, s);
            let end = elf[name..].iter().position(|&c| c == 0).unwrap();
            names.push(String::from_utf8_lossy(&elf[name..name + end]).into_owned());
        }
    }
    names
}

/// The end of the last loadable segment in the file.
fn loaded_end(elf: &[u8]) -> usize {
    let (phoff, phentsize, phnum) = (u64_at(elf, 0x20), u16_at(elf, 0x36), u16_at(elf, 0x38));
    (0..phnum)
        .map(|i| phoff + i * phentsize)
        .filter(|&p| u32_at(elf, p) == PT_LOAD)
        .map(|p| u64_at(elf, p + 8) + u64_at(elf, p + 32))
        .max()
        .unwrap()
}

/// Texts that only panics, formatting or allocation put in a binary.
const FORBIDDEN_TEXT: &[&str] = &[
    "panicked",
    "called `Option::unwrap()`",
    "called `Result::unwrap()`",
    "index out of bounds",
    "range end index",
    "slice index starts",
    "attempt to ",
    "capacity overflow",
    "memory allocation",
    "core::fmt",
    "fmt::",
    "alloc::",
    "/rustc/",
    ".rs\0",
    "src/",
];

/// Symbol name parts of the panic, fmt, alloc and unwinding machinery
/// (mangled or not).
const FORBIDDEN_SYMBOL: &[&str] = &[
    "panic",
    "fmt",
    "alloc",
    "unwrap",
    "expect_failed",
    "unwind",
    "eh_personality",
    "mite_has_a_reachable_panic_path",
];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn target_of(elf: &[u8]) -> Option<&'static str> {
    match u16_at(elf, 0x12) {
        EM_X86_64 => None,
        EM_AARCH64 => Some("aarch64-unknown-linux-musl"),
        m => panic!("unexpected e_machine {m}"),
    }
}

/// Builds mite with symbols into target/unstripped; returns its path.
fn unstripped(target: Option<&str>) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/unstripped");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut c = Command::new(cargo);
    c.current_dir(root)
        .args(["build", "--release", "--bin", "mite"])
        .env("CARGO_TARGET_DIR", &dir)
        .env("CARGO_PROFILE_RELEASE_STRIP", "false")
        // scripts/linker-gcc keeps the section headers (and symbols).
        .env("MITE_KEEP_SECTIONS", "1");
    if let Some(t) = target {
        c.args(["--target", t]);
    }
    // Bounded, as every wait in the suite (a build takes seconds to
    // minutes on a loaded machine).
    let o = common::run(&mut c, 900);
    assert_eq!(o.code, Some(0), "the unstripped build failed: {o:#?}");
    match target {
        Some(t) => dir.join(t).join("release/mite"),
        None => dir.join("release/mite"),
    }
}

#[test]
fn shipped_binary_holds_no_panic_or_fmt_text() {
    let path = common::bin();
    let elf = std::fs::read(&path).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    let found: Vec<&str> = FORBIDDEN_TEXT
        .iter()
        .copied()
        .filter(|t| contains(&elf, t.as_bytes()))
        .collect();
    assert!(found.is_empty(), "{}: {found:?}", path.display());
    // Stripped: no symbol table to hide behind.
    assert!(symbols(&elf).is_empty(), "the shipped binary has symbols");
}

#[test]
fn no_panic_fmt_or_alloc_symbols() {
    let shipped = std::fs::read(common::bin()).unwrap();
    let path = unstripped(target_of(&shipped));
    let elf = std::fs::read(&path).unwrap();
    let names = symbols(&elf);
    assert!(
        names.iter().any(|n| n == "_start"),
        "{}: no symbol table to check ({} names)",
        path.display(),
        names.len()
    );
    let bad: Vec<&String> = names
        .iter()
        .filter(|n| {
            let l = n.to_lowercase();
            FORBIDDEN_SYMBOL.iter().any(|f| l.contains(f))
        })
        .collect();
    assert!(bad.is_empty(), "{}: {bad:?}", path.display());
    // The handler itself is gone too: nothing reaches it.
    assert!(!names.iter().any(|n| n == "rust_begin_unwind"));
    // The same program as the shipped file: identical loaded bytes
    // (the shipped file has no section header table: its e_shoff,
    // e_shnum and e_shstrndx are zero).
    let end = loaded_end(&shipped);
    assert_eq!(end, shipped.len(), "the shipped file ends with its segment");
    assert_eq!(loaded_end(&elf), end, "the copy's segment differs in size");
    let masked = |b: &[u8]| {
        let mut v = b[..end].to_vec();
        v[0x28..0x30].fill(0);
        v[0x3c..0x40].fill(0);
        v
    };
    assert!(
        masked(&elf) == masked(&shipped),
        "the unstripped copy is not the shipped program (rebuild: scripts/build.sh)"
    );
    eprintln!(
        "{}: {} symbols, none of {FORBIDDEN_SYMBOL:?}",
        path.display(),
        names.len()
    );
}
