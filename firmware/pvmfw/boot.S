/* pv_run_on_sp_el0(fn, stack_top): run fn (which does not return) on SP_EL0 (EL1t).
 *
 * Exceptions taken to EL1 always use SP_EL1 (PSTATE.SP := 1 on entry), so the boot flow and the
 * exception handlers get separate stacks: an overflow of the boot stack into its guard page takes
 * a Translation fault that the handler, on its own stack, can still report. The runtime's vectors
 * handle exceptions from EL1t ("current EL with SP0") like those from EL1h and restore SP_EL0. */
    .section .text.pv_run_on_sp_el0, "ax"
    .global pv_run_on_sp_el0
    .type pv_run_on_sp_el0, %function
pv_run_on_sp_el0:
    msr     sp_el0, x1
    msr     spsel, #0               /* SP is now SP_EL0 */
    mov     x29, xzr                /* a fresh frame chain */
    mov     x30, xzr
    blr     x0
1:  wfi
    b       1b
    .size pv_run_on_sp_el0, . - pv_run_on_sp_el0
