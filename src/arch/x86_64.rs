//! x86_64 start-up: hand the initial stack pointer to Rust.

/// The ELF entry point. The kernel starts us with `rsp` pointing at argc.
///
/// # Safety
/// Only the kernel calls this, once, at exec.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "xor ebp, ebp",     // mark the outermost frame for unwinders and debuggers
        "mov rdi, rsp",     // first argument: the initial stack pointer (argc, argv, envp)
        "and rsp, -16",     // the ABI wants a 16-byte aligned stack at the call
        "call {entry}",     // entry(sp) -> !, never returns
        "ud2",              // unreachable: trap if it ever does
        entry = sym crate::entry,
    )
}

// The memory functions LLVM may call for copies, fills and compares (there
// is no libc to provide them). `rep movsb`/`rep stosb` are small and, on
// current CPUs, fast for the short copies mite makes.
core::arch::global_asm!(
    ".globl memcpy",
    ".globl memmove",
    "memmove:",
    "memcpy:",
    "    mov rax, rdi", // return dest
    "    mov rcx, rdx", // count
    "    cmp rdi, rsi", // dest above src: copy backwards (memmove)
    "    ja 2f",
    "    rep movsb",
    "    ret",
    "2:  lea rsi, [rsi + rcx - 1]",
    "    lea rdi, [rdi + rcx - 1]",
    "    std", // descending copy
    "    rep movsb",
    "    cld", // the ABI requires DF clear on return
    "    ret",
    ".globl memset",
    "memset:",
    "    mov r8, rdi",  // keep dest for the return value
    "    mov eax, esi", // fill byte
    "    mov rcx, rdx", // count
    "    rep stosb",
    "    mov rax, r8",
    "    ret",
    ".globl memcmp",
    ".globl bcmp",
    "bcmp:",
    "memcmp:",
    "    xor eax, eax",  // equal so far
    "3:  test rdx, rdx", // no bytes left: equal
    "    jz 4f",
    "    movzx eax, byte ptr [rdi]",
    "    movzx ecx, byte ptr [rsi]",
    "    sub eax, ecx", // difference of the first unequal bytes
    "    jnz 4f",
    "    inc rdi",
    "    inc rsi",
    "    dec rdx",
    "    jmp 3b",
    "4:  ret",
    ".globl strlen",
    "strlen:",
    "    mov rax, rdi", // scan pointer
    "5:  cmp byte ptr [rax], 0",
    "    je 6f",
    "    inc rax",
    "    jmp 5b",
    "6:  sub rax, rdi", // length = end - start
    "    ret",
);
