/* Entry point of every firmware program.
 *
 * QEMU `virt -kernel fw.elf` and httusim both enter here at EL1h, MMU off, DAIF masked. The
 * initial NZCV and general-purpose registers are not architecturally defined (QEMU 7.2 starts
 * with Z set and x0 = 0: it places no DTB in RAM for an ELF image), so nothing here depends on them.
 */
    .section .text.boot, "ax"
    .global _start
    .type _start, %function
_start:
    msr     nzcv, xzr               /* known flags from the first instruction on */
    msr     daifset, #0xf           /* keep interrupts masked (already are, on both platforms) */
    msr     spsel, #1               /* run on SP_EL1 (EL1h) */
    adrp    x9, __stack_top
    add     x9, x9, :lo12:__stack_top
    mov     sp, x9
    mov     x29, xzr
    mov     x30, xzr

    /* Zero .bss with aligned 8-byte stores (the linker script aligns both ends to 16). */
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
1:  cmp     x9, x10
    b.hs    2f
    str     xzr, [x9], #8
    b       1b
2:
    /* Vector table. */
    adrp    x9, __vectors
    add     x9, x9, :lo12:__vectors
    msr     vbar_el1, x9
    isb

    bl      fw_start                /* C part: command line, main(), exit; does not return */
3:  wfi
    b       3b
    .size _start, . - _start
