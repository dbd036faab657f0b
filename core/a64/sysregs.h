/* System register moves, MRS and MSR (register) (ARM ARM C5.3, C6.2.218 MRS, C6.2.220 MSR), and
 * the trap helpers the system instruction space shares with branch_sys.c.
 *
 * A system register is named by (op0, op1, CRn, CRm, op2), which the MRS/MSR encoding holds in
 * insn[20:5]; the same 16 bits are the key of the register table in sysregs.c.
 */
#ifndef HTTUSIM_CORE_A64_SYSREGS_H
#define HTTUSIM_CORE_A64_SYSREGS_H

#include "exec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Packed op0:op1:CRn:CRm:op2, exactly insn[20:5] of MRS/MSR. */
#define A64_SYSREG_KEY(op0, op1, crn, crm, op2) \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
static inline unsigned a64_sysreg_key_of(uint32_t insn) { return a64_bits(insn, 20, 5); }

/* ISS of EC 0x18 (ARM ARM, ESR_ELx, "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution"): Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1]
 * Direction[0] (1 = read: MRS, SYSL). Every field comes from the instruction, including MSR
 * (immediate), whose Op0 is 0b00 and whose CRm is the immediate. */
static inline uint32_t a64_sys_trap_iss(uint32_t insn)
{
    return (a64_bits(insn, 20, 19) << 20) | (a64_bits(insn, 7, 5) << 17) |
           (a64_bits(insn, 18, 16) << 14) | (a64_bits(insn, 15, 12) << 10) |
           (a64_bits(insn, 4, 0) << 5) | (a64_bits(insn, 11, 8) << 1) | a64_bit(insn, 21);
}

/* Trap the system instruction or register access `insn` to EL1 with EC 0x18. */
a64_step_result a64_trap_sys(a64_cpu *cpu, uint32_t insn);

/* The CPACR_EL1.FPEN trap of FP/SIMD registers (FPCR, FPSR) and instructions: is an access at
 * the current EL trapped, and take the trap (EC 0x07). */
bool a64_fp_access_trapped(const a64_cpu *cpu);
a64_step_result a64_trap_fp_access(a64_cpu *cpu);

/* MRS / MSR (register): insn[31:22] = 1101010100, insn[20] = 1. */
a64_step_result a64_exec_sysreg_move(a64_cpu *cpu, uint32_t insn);

/* ---- for tests, tracing and tools ---- */
/* Name of the register with `key` ("SCTLR_EL1"), or NULL when the table does not hold it
 * (reserved ID registers that read as zero have no name). */
const char *a64_sysreg_name(unsigned key);
/* Number of entries in the register table, and a self-check (sorted, unique keys). */
unsigned a64_sysreg_count(void);
bool a64_sysreg_table_valid(void);

#ifdef __cplusplus
}
#endif

#endif
