/* EL1 vector table: every entry saves the full register state in a struct fw_frame (fw.h) on the
 * current stack, calls fw_exception_dispatch(frame, kind), restores the (possibly changed)
 * registers, ELR_EL1 and SPSR_EL1, and returns with ERET. */

#define FRAME_X(n)   ((n) * 8)
#define FRAME_SP     (31 * 8)
#define FRAME_ELR    (32 * 8)
#define FRAME_SPSR   (33 * 8)
#define FRAME_ESR    (34 * 8)
#define FRAME_FAR    (35 * 8)
#define FRAME_SIZE   (36 * 8)       /* 288, a multiple of 16 */

    .macro VENTRY kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #FRAME_X(0)]
    mov     x1, #\kind
    b       fw_vector_common
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global __vectors
__vectors:
    VENTRY 0            /* current EL, SP0: sync, IRQ, FIQ, SError */
    VENTRY 1
    VENTRY 2
    VENTRY 3
    VENTRY 4            /* current EL, SPx */
    VENTRY 5
    VENTRY 6
    VENTRY 7
    VENTRY 8            /* lower EL, AArch64 */
    VENTRY 9
    VENTRY 10
    VENTRY 11
    VENTRY 12           /* lower EL, AArch32 */
    VENTRY 13
    VENTRY 14
    VENTRY 15

    .balign 0x80
    .type fw_vector_common, %function
fw_vector_common:
    stp     x2, x3, [sp, #FRAME_X(2)]
    stp     x4, x5, [sp, #FRAME_X(4)]
    stp     x6, x7, [sp, #FRAME_X(6)]
    stp     x8, x9, [sp, #FRAME_X(8)]
    stp     x10, x11, [sp, #FRAME_X(10)]
    stp     x12, x13, [sp, #FRAME_X(12)]
    stp     x14, x15, [sp, #FRAME_X(14)]
    stp     x16, x17, [sp, #FRAME_X(16)]
    stp     x18, x19, [sp, #FRAME_X(18)]
    stp     x20, x21, [sp, #FRAME_X(20)]
    stp     x22, x23, [sp, #FRAME_X(22)]
    stp     x24, x25, [sp, #FRAME_X(24)]
    stp     x26, x27, [sp, #FRAME_X(26)]
    stp     x28, x29, [sp, #FRAME_X(28)]
    /* Interrupted SP: SP_EL0 for exceptions from EL0 (kind >= 8) or taken with SPSel = 0, else
     * the value before the frame was pushed. */
    add     x2, sp, #FRAME_SIZE
    cmp     x1, #8
    b.hs    1f
    cmp     x1, #4
    b.hs    2f
1:  mrs     x2, sp_el0
2:  stp     x30, x2, [sp, #FRAME_X(30)]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #FRAME_ELR]
    mrs     x2, esr_el1
    mrs     x3, far_el1
    stp     x2, x3, [sp, #FRAME_ESR]
    mov     x19, x1                 /* kind, callee-saved across the call */
    mov     x0, sp
    bl      fw_exception_dispatch

    ldp     x2, x3, [sp, #FRAME_ELR]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    cmp     x19, #8                 /* back to EL0 or to SP0: restore SP_EL0 */
    b.hs    3f
    cmp     x19, #4
    b.hs    4f
3:  ldr     x2, [sp, #FRAME_SP]
    msr     sp_el0, x2
4:  ldp     x0, x1, [sp, #FRAME_X(0)]
    ldp     x2, x3, [sp, #FRAME_X(2)]
    ldp     x4, x5, [sp, #FRAME_X(4)]
    ldp     x6, x7, [sp, #FRAME_X(6)]
    ldp     x8, x9, [sp, #FRAME_X(8)]
    ldp     x10, x11, [sp, #FRAME_X(10)]
    ldp     x12, x13, [sp, #FRAME_X(12)]
    ldp     x14, x15, [sp, #FRAME_X(14)]
    ldp     x16, x17, [sp, #FRAME_X(16)]
    ldp     x18, x19, [sp, #FRAME_X(18)]
    ldp     x20, x21, [sp, #FRAME_X(20)]
    ldp     x22, x23, [sp, #FRAME_X(22)]
    ldp     x24, x25, [sp, #FRAME_X(24)]
    ldp     x26, x27, [sp, #FRAME_X(26)]
    ldp     x28, x29, [sp, #FRAME_X(28)]
    ldr     x30, [sp, #FRAME_X(30)]
    add     sp, sp, #FRAME_SIZE
    eret
    .size fw_vector_common, . - fw_vector_common
