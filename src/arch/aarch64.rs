//! aarch64 start-up: hand the initial stack pointer to Rust.

/// The ELF entry point. The kernel starts us with `sp` pointing at argc.
///
/// # Safety
/// Only the kernel calls this, once, at exec.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov x29, #0",      // mark the outermost frame: no frame pointer
        "mov x30, #0",      // and no return address
        "mov x0, sp",       // first argument: the initial stack pointer (argc, argv, envp)
        "bl {entry}",       // entry(sp) -> !, never returns (sp is 16-byte aligned at exec)
        "udf #0",           // unreachable: trap if it ever does
        entry = sym crate::entry,
    )
}

// The memory functions LLVM may call for copies, fills and compares (there
// is no libc to provide them): plain byte loops, small rather than fast.
core::arch::global_asm!(
    ".globl memcpy",
    ".globl memmove",
    "memmove:",
    "memcpy:",
    "    mov x3, x0", // x3: dest cursor; x0 stays the return value
    "    cmp x0, x1", // dest above src: copy backwards (memmove)
    "    b.hi 2f",
    "1:  cbz x2, 9f", // forward byte copy
    "    ldrb w4, [x1], #1",
    "    strb w4, [x3], #1",
    "    sub x2, x2, #1",
    "    b 1b",
    "2:  cbz x2, 9f", // backward byte copy
    "    sub x2, x2, #1",
    "    ldrb w4, [x1, x2]",
    "    strb w4, [x0, x2]",
    "    b 2b",
    "9:  ret",
    ".globl memset",
    "memset:",
    "    mov x3, x0", // dest cursor
    "3:  cbz x2, 4f",
    "    strb w1, [x3], #1",
    "    sub x2, x2, #1",
    "    b 3b",
    "4:  ret",
    ".globl memcmp",
    ".globl bcmp",
    "bcmp:",
    "memcmp:",
    "5:  cbz x2, 6f", // no bytes left: equal
    "    ldrb w3, [x0], #1",
    "    ldrb w4, [x1], #1",
    "    sub x2, x2, #1",
    "    subs w3, w3, w4", // difference of the bytes
    "    b.eq 5b",
    "    mov w0, w3",
    "    ret",
    "6:  mov w0, #0",
    "    ret",
    ".globl strlen",
    "strlen:",
    "    mov x1, x0", // scan cursor
    "7:  ldrb w2, [x1], #1",
    "    cbnz w2, 7b",
    "    sub x0, x1, x0", // one past the NUL minus start
    "    sub x0, x0, #1",
    "    ret",
);
