/* The CPU's side of the stage 1 MMU: L1 TLB fills, the miss path to env.translate, TLBI of the
 * L1 TLBs, AT, debug translations and the core's own functional walk (a64/translate.h,
 * docs/mmu.md). */
#include "translate.h"

#include <stdlib.h>

#include "exec.h"
#include "vmsa/desc.h"
#include "vmsa/tlbi.h"

bool a64_mmu_geometry_valid(unsigned entries, unsigned ways)
{
    if (entries == 0 || ways == 0 || entries % ways != 0)
        return false;
    unsigned sets = entries / ways;
    return (sets & (sets - 1)) == 0;
}

bool a64_mmu_init(a64_mmu *m, unsigned l1i_entries, unsigned l1i_ways, unsigned l1d_entries,
                  unsigned l1d_ways)
{
    memset(m, 0, sizeof(*m));
    if (!a64_mmu_geometry_valid(l1i_entries, l1i_ways) ||
        !a64_mmu_geometry_valid(l1d_entries, l1d_ways))
        return false;
    if (!vmsa_tlb_init(&m->l1i, l1i_entries / l1i_ways, l1i_ways))
        return false;
    if (!vmsa_tlb_init(&m->l1d, l1d_entries / l1d_ways, l1d_ways)) {
        vmsa_tlb_destroy(&m->l1i);
        return false;
    }
    m->l1i_gen = m->l1d_gen = 1;
    return true;
}

void a64_mmu_destroy(a64_mmu *m)
{
    vmsa_tlb_destroy(&m->l1i);
    vmsa_tlb_destroy(&m->l1d);
    m->params_valid = false;
}

void a64_mmu_reset(a64_mmu *m)
{
    static const vmsa_tlbi all = { .op = VMSA_TLBI_VMALLE1 };
    vmsa_tlb_invalidate(&m->l1i, &all);
    vmsa_tlb_invalidate(&m->l1d, &all);
    a64_mmu_l1_changed(m);
    m->miss_fill = NULL;
    m->params_valid = false;
}

const vmsa_params *a64_mmu_params(a64_cpu *cpu, vmsa_params *scratch)
{
    vmsa_regs regs;
    a64_mmu *m = cpu->cfg.mmu;
    if (m && m->params_valid)
        return &m->params;
    regs = vmsa_regs_from_a64(&cpu->sys);
    if (!m) {
        vmsa_params_decode(scratch, &regs);
        return scratch;
    }
    vmsa_params_decode(&m->params, &regs);
    m->params_valid = true;
    a64_mmu_l1_changed(m);   /* a new ASID or tables: the recent-entry caches start again */
    return &m->params;
}

void a64_mmu_count_fault(a64_mmu_fault_counters *c, const vmsa_fault *f)
{
    unsigned kind = (unsigned)f->kind;
    if (kind == VMSA_FAULT_NONE || kind >= A64_MMU_FAULT_KINDS)
        return;
    c->kind[kind]++;
    if (f->kind != VMSA_FAULT_ALIGNMENT)
        c->level[kind][f->level & 3]++;
}

a64_fault a64_mmu_hit_fault(a64_cpu *cpu, const vmsa_fault *f)
{
    if (cpu->cfg.mmu)
        a64_mmu_count_fault(&cpu->cfg.mmu->faults, f);
    return vmsa_fault_to_a64(f);
}

a64_fault a64_mmu_walk_external_abort(const vmsa_access *acc, uint64_t va, int level)
{
    /* WnR, CM and the abort class as for any fault of this access (vmsa_make_fault), with the
     * External abort status code instead of an MMU fault's. */
    vmsa_fault f = vmsa_make_fault(VMSA_RULE_NONE, level, va, acc);
    a64_fault a = vmsa_fault_to_a64(&f);
    a.fsc = (uint8_t)(A64_FSC_SYNC_EXTERNAL_WALK + (level & 3));
    return a;
}

void a64_mmu_cas_performed(a64_cpu *cpu, const vmsa_req *r, uint64_t observed)
{
    if (cpu && observed == r->old_desc)
        a64_monitor_note_store(cpu, r->addr, 8);
}

bool a64_mmu_walk_functional(a64_cpu *cpu, const vmsa_params *p, uint64_t va,
                             const vmsa_access *acc, bool update, vmsa_result *result,
                             a64_fault *fault, vmsa_fault *vfault)
{
    vmsa_walk w;
    vmsa_req r = vmsa_walk_start(&w, p, va, acc);
    while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
        uint8_t *host = a64_ram_ptr(cpu, r.addr, 8);
        if (!host) {
            *fault = a64_mmu_walk_external_abort(acc, va, r.level);
            memset(vfault, 0, sizeof(*vfault));
            return false;
        }
        uint64_t v;
        memcpy(&v, host, 8);
        if (r.kind == VMSA_REQ_CAS && !update) {
            v = a64_mmu_cas_skipped(&r);
        } else if (r.kind == VMSA_REQ_CAS) {
            /* One host operation: nothing else runs between the compare and the store. */
            if (v == r.old_desc)
                memcpy(host, &r.new_desc, 8);
            a64_mmu_cas_performed(cpu, &r, v);
        }
        r = vmsa_walk_step(&w, v);
    }
    if (r.kind == VMSA_REQ_DONE) {
        *result = *r.result;
        return true;
    }
    *vfault = *r.fault;
    *fault = vmsa_fault_to_a64(r.fault);
    return false;
}

/* Ask the platform (or walk), with or without hardware updates. */
static bool translate_out(a64_cpu *cpu, const vmsa_params *p, uint64_t va, const vmsa_access *acc,
                          unsigned flags, vmsa_result *res, a64_fault *fault)
{
    if (cpu->cfg.env.translate)
        return cpu->cfg.env.translate(cpu->cfg.env.ctx, cpu, p, va, acc, flags, res, fault);
    vmsa_fault vf;
    bool update = !(flags & A64_XLATE_NO_UPDATE);
    if (a64_mmu_walk_functional(cpu, p, va, acc, update, res, fault, &vf))
        return true;
    if (update && cpu->cfg.mmu)
        a64_mmu_count_fault(&cpu->cfg.mmu->faults, &vf);
    return false;
}

bool a64_mmu_translate_miss(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, bool fetch,
                            uint64_t *pa, a64_fault *fault)
{
    vmsa_params scratch;
    const vmsa_params *p = a64_mmu_params(cpu, &scratch);
    vmsa_result res;
    if (!translate_out(cpu, p, va, acc, 0, &res, fault))
        return false;
    a64_mmu *m = cpu->cfg.mmu;
    if (m) {
        m->miss_fill = vmsa_tlb_insert(fetch ? &m->l1i : &m->l1d, &res);
        if (fetch)
            m->l1i_gen++;
        else
            m->l1d_gen++;
    }
    *pa = res.pa;
    return true;
}

bool a64_mmu_tlbi(a64_cpu *cpu, uint32_t sysop, uint64_t xt, vmsa_tlbi *op)
{
    vmsa_params scratch;
    const vmsa_params *p = a64_mmu_params(cpu, &scratch);
    if (!a64_tlbi_decode(sysop, xt, p->asid16, op))
        return false;
    a64_mmu *m = cpu->cfg.mmu;
    if (m) {
        vmsa_tlb_invalidate(&m->l1i, op);
        vmsa_tlb_invalidate(&m->l1d, op);
        a64_mmu_l1_changed(m);
    }
    return true;
}

/* PAREncodeShareability (ASL): Device memory, and Normal memory that is Inner and Outer
 * Non-cacheable, report Outer Shareable; otherwise the descriptor's SH. */
static uint64_t par_shareability(const vmsa_result *r)
{
    bool normal_nc = (r->attr & 0xf0u) == 0x40u && (r->attr & 0x0fu) == 0x04u;
    if (r->device || normal_nc)
        return 2;
    return r->sh;
}

/* A Synchronous External abort on the table walk (DFSC 0b0101LL), as opposed to an MMU fault. */
static bool is_external_abort_on_walk(const a64_fault *f)
{
    return (f->fsc & 0x3cu) == A64_FSC_SYNC_EXTERNAL_WALK;
}

bool a64_mmu_at(a64_cpu *cpu, uint32_t sysop, uint64_t va, uint64_t *par)
{
    vmsa_access acc = { 0 };
    acc.type = (sysop == A64_SYSOP_AT_S1E1W || sysop == A64_SYSOP_AT_S1E0W) ? VMSA_ACC_AT_WRITE
                                                                              : VMSA_ACC_AT_READ;
    acc.unpriv = sysop == A64_SYSOP_AT_S1E0R || sysop == A64_SYSOP_AT_S1E0W;
    acc.pan = cpu->pstate.pan;   /* no effect on AT without FEAT_PAN2 (D8.4.5 R_PMTWB) */
    vmsa_params scratch;
    const vmsa_params *p = a64_mmu_params(cpu, &scratch);
    vmsa_result res;
    a64_fault f;
    if (!translate_out(cpu, p, va, &acc, A64_XLATE_NO_UPDATE, &res, &f)) {
        if (is_external_abort_on_walk(&f)) {
            /* PAR_EL1 reports only the MMU faults of the translation; a Synchronous External
             * abort on the walk is taken as a Data Abort exception and PAR_EL1 is not updated
             * (ARM ARM DDI 0487F.a D5.2.11 "Synchronous faults generated by address translation
             * instructions"), with CM = 1 and WnR = 1 as for every abort of an AT (D17.2
             * ESR_EL1, ISS of a Data Abort: CM, WnR; the pseudocode's AArch64.FaultSyndrome sets
             * both for AccType_AT) and FAR = the VA given to AT (a64_mmu_walk_external_abort). */
            a64_take_abort(cpu, &f);
            return false;
        }
        /* F = 1: FST, PTW (stage 2 fault on the stage 1 walk), S = 0 (stage 1). */
        *par = PAR_F | ((uint64_t)(f.fsc & 0x3f) << PAR_FST_SHIFT) | (f.s1ptw ? PAR_PTW : 0) |
               PAR_RES1;
        return true;
    }
    /* F = 0: PA[47:12], SH, NS (UNKNOWN for a Non-secure regime: 1, as QEMU), ATTR. */
    *par = (res.pa & PAR_PA_MASK) | (par_shareability(&res) << PAR_SH_SHIFT) | PAR_NS |
           PAR_RES1 | ((uint64_t)res.attr << PAR_ATTR_SHIFT);
    return true;
}

bool a64_mmu_debug_translate(a64_cpu *cpu, uint64_t va, uint64_t *pa, uint64_t *span)
{
    vmsa_params scratch;
    vmsa_regs regs = vmsa_regs_from_a64(&cpu->sys);
    /* Decode afresh: a debug access must not change the CPU's state, not even its cache. */
    vmsa_params_decode(&scratch, &regs);
    vmsa_access acc = { .type = VMSA_ACC_READ };
    vmsa_result res;
    a64_fault f;
    vmsa_fault vf;
    if (!a64_mmu_walk_functional(cpu, &scratch, va, &acc, false, &res, &f, &vf))
        return false;
    uint64_t size = 1ull << res.size_log2;
    *pa = res.pa;
    *span = size - (res.va & (size - 1));
    return true;
}
