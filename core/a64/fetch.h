/* Instruction fetch, the first thing every instruction does: the common cases inline in the
 * step loop (no call), everything else in a64_fetch_slow (mem.c).
 *
 * Inline: an aligned PC in RAM with stage 1 disabled (PA = VA), or with stage 1 enabled a hit in
 * the recent-fetch cache (a64_mmu_recent_entry), which is an L1 instruction TLB hit counted and
 * LRU-refreshed exactly as vmsa_tlb_lookup would count it. */
#ifndef HTTUSIM_CORE_A64_FETCH_H
#define HTTUSIM_CORE_A64_FETCH_H

#include "exec.h"
#include "translate.h"

static inline bool a64_fetch(a64_cpu *cpu, uint32_t *insn)
{
    uint64_t pc = cpu->pc, pa = pc;
    if (A64_UNLIKELY(pc & 3))
        return a64_fetch_slow(cpu, insn);        /* PC alignment fault */
    if (cpu->sys.sctlr_el1 & SCTLR_M) {
        a64_mmu *m = cpu->cfg.mmu;
        unsigned key = cpu->pstate.el == 0 ? A64_MMU_KEY_UNPRIV : 0;
        if (A64_UNLIKELY(m == NULL || !m->params_valid) ||
            !a64_mmu_recent_hit(a64_mmu_recent_slot(m->recent_fetch, pc), m->l1i_gen, pc, key,
                                &m->l1i, &pa))
            return a64_fetch_slow(cpu, insn);
    }
    uint8_t *p = a64_ram_ptr(cpu, pa, 4);
    if (A64_UNLIKELY(p == NULL))
        return a64_fetch_device(cpu, pc, pa, insn); /* MMIO, or nothing there */
    memcpy(insn, p, 4);
    return true;
}

#endif
