/* Loads and stores shared by ldst.c and atomics.c: base-register rules, and the entry points of
 * the two groups that live in atomics.c (ARM ARM C4.1.66, "Loads and Stores"):
 *   - Load/store exclusive and ordered (LDXR/STXR, LDXP/STXP, LDAR/STLR, LDLAR/STLLR, CAS, CASP)
 *   - Atomic memory operations (LDADD, LDCLR, LDEOR, LDSET, LD{S,U}{MAX,MIN}, SWP; ST* aliases)
 */
#ifndef HTTUSIM_CORE_A64_ATOMICS_H
#define HTTUSIM_CORE_A64_ATOMICS_H

#include "exec.h"

/* What an instruction returns after a memory helper took an exception (the helper already set
 * PC to the vector): OK, or FATAL when exception entry found no vectors or a fault loop. */
static inline a64_step_result a64_ldst_fault_result(const a64_cpu *cpu)
{
    return cpu->fatal.kind != A64_FATAL_NONE ? A64_STEP_FATAL : A64_STEP_OK;
}

/* Retire a load/store of timing class `c` (LOAD, STORE or ATOMIC): the next instruction is
 * sequential. */
static inline a64_step_result a64_ldst_retire(a64_cpu *cpu, a64_iclass c)
{
    a64_charge(cpu, c);
    cpu->pc += 4;
    return A64_STEP_OK;
}

/* Base register of a load/store: X[n], or SP when n == 31, in which case the SP alignment check
 * comes first (ARM ARM D1.3.6, CheckSPAlignment()): with SCTLR_EL1.SA (at EL1) or SA0 (at EL0)
 * set, an SP that is not 16-byte aligned takes an SP alignment fault, EC 0x26, ISS 0, preferred
 * return = this instruction, before any memory access. Prefetches skip the check (the pseudocode
 * calls CheckSPAlignment() only when memop != MemOp_PREFETCH). Returns false when the fault was
 * taken. */
static inline bool a64_ldst_base(a64_cpu *cpu, unsigned rn, uint64_t *base)
{
    if (rn != 31) {
        *base = cpu->x[rn];
        return true;
    }
    uint64_t sp = a64_get_sp(cpu);
    uint64_t check = cpu->pstate.el == 0 ? SCTLR_SA0 : SCTLR_SA;
    if (A64_UNLIKELY((cpu->sys.sctlr_el1 & check) && (sp & 0xf) != 0)) {
        a64_take_exception(cpu, a64_esr(A64_EC_SP_ALIGN, 0), cpu->pc, 0, false);
        return false;
    }
    *base = sp;
    return true;
}

/* Load/store exclusive and ordered, compare and swap: size(31:30) 001000 o2 L o1 Rs o0 Rt2 Rn Rt
 * (bits 29:24 = 001000). */
a64_step_result a64_exec_ldst_exclusive(a64_cpu *cpu, uint32_t insn);

/* Atomic memory operations: size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt. */
a64_step_result a64_exec_atomic_memop(a64_cpu *cpu, uint32_t insn);

#endif
