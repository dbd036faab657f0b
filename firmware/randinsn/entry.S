/* Entry into and exit from a generated block (tests/randinsn/gen.py).
 *
 * ri_run(struct ri_state *s): saves the callee-saved registers, loads NZCV and X0-X30 from *s and
 * branches to ri_block. The block ends with "b ri_exit", which stores X0-X30, NZCV and the SP
 * delta back into *s (TPIDR_EL1 holds X0 meanwhile: the block never touches it) and returns to
 * ri_run's caller. The block does not use SP: the exception vectors push their frame there. */
#include "randinsn.h"

    .section .text.ri_entry, "ax"
    .global ri_run
    .type ri_run, %function
ri_run:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    adrp    x1, ri_state_ptr
    str     x0, [x1, :lo12:ri_state_ptr]
    mov     x1, sp
    adrp    x2, ri_entry_sp
    str     x1, [x2, :lo12:ri_entry_sp]
    ldr     x1, [x0, #RI_STATE_NZCV]
    msr     nzcv, x1
    ldp     x2, x3, [x0, #RI_STATE_X(2)]
    ldp     x4, x5, [x0, #RI_STATE_X(4)]
    ldp     x6, x7, [x0, #RI_STATE_X(6)]
    ldp     x8, x9, [x0, #RI_STATE_X(8)]
    ldp     x10, x11, [x0, #RI_STATE_X(10)]
    ldp     x12, x13, [x0, #RI_STATE_X(12)]
    ldp     x14, x15, [x0, #RI_STATE_X(14)]
    ldp     x16, x17, [x0, #RI_STATE_X(16)]
    ldp     x18, x19, [x0, #RI_STATE_X(18)]
    ldp     x20, x21, [x0, #RI_STATE_X(20)]
    ldp     x22, x23, [x0, #RI_STATE_X(22)]
    ldp     x24, x25, [x0, #RI_STATE_X(24)]
    ldp     x26, x27, [x0, #RI_STATE_X(26)]
    ldp     x28, x29, [x0, #RI_STATE_X(28)]
    ldr     x30, [x0, #RI_STATE_X(30)]
    ldp     x0, x1, [x0, #RI_STATE_X(0)]
    b       ri_block
    .size ri_run, . - ri_run

    .global ri_exit
    .type ri_exit, %function
ri_exit:
    msr     tpidr_el1, x0
    mrs     x0, nzcv                    /* before anything here could change it (nothing does) */
    msr     tpidrro_el0, x0
    adrp    x0, ri_state_ptr
    ldr     x0, [x0, :lo12:ri_state_ptr]
    stp     x1, x2, [x0, #RI_STATE_X(1)]
    stp     x3, x4, [x0, #RI_STATE_X(3)]
    stp     x5, x6, [x0, #RI_STATE_X(5)]
    stp     x7, x8, [x0, #RI_STATE_X(7)]
    stp     x9, x10, [x0, #RI_STATE_X(9)]
    stp     x11, x12, [x0, #RI_STATE_X(11)]
    stp     x13, x14, [x0, #RI_STATE_X(13)]
    stp     x15, x16, [x0, #RI_STATE_X(15)]
    stp     x17, x18, [x0, #RI_STATE_X(17)]
    stp     x19, x20, [x0, #RI_STATE_X(19)]
    stp     x21, x22, [x0, #RI_STATE_X(21)]
    stp     x23, x24, [x0, #RI_STATE_X(23)]
    stp     x25, x26, [x0, #RI_STATE_X(25)]
    stp     x27, x28, [x0, #RI_STATE_X(27)]
    stp     x29, x30, [x0, #RI_STATE_X(29)]
    mrs     x1, tpidr_el1
    str     x1, [x0, #RI_STATE_X(0)]
    mrs     x1, tpidrro_el0
    str     x1, [x0, #RI_STATE_NZCV]
    mov     x1, sp
    adrp    x2, ri_entry_sp
    ldr     x2, [x2, :lo12:ri_entry_sp]
    sub     x1, x1, x2
    str     x1, [x0, #RI_STATE_SPDELTA]
    mov     sp, x2                      /* whatever the block did */
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
    .size ri_exit, . - ri_exit

    .bss
    .balign 8
ri_state_ptr:   .skip 8
ri_entry_sp:    .skip 8
