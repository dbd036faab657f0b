/* Data and instruction memory access for the A64 core.
 *
 * With SCTLR_EL1.M = 0 the output address equals the input address, data accesses are
 * Device-nGnRnE and instruction fetches Normal (ARM ARM D8.2.10). An unaligned data access to a
 * Device memory location takes an Alignment fault (B2.5.2); exclusives, atomics and
 * acquire/release accesses must always be aligned (B2.5.2, C3.2.x); SCTLR_EL1.A makes every
 * unaligned data access fault.
 *
 * With SCTLR_EL1.M = 1 stage 1 translates (a64/translate.h): the L1 TLB hit is handled inline here,
 * with no callback; a miss goes to a64_mmu_translate_miss (env.translate).
 */
#include "exec.h"
#include "fetch.h"
#include "translate.h"
#include "vmsa/desc.h"

/* Take the abort of a fault on the access itself (not an MMU fault): status code `fsc`,
 * FAR = va, WnR from A64_MEM_WRITE, CM from A64_MEM_CMO. The callers give the direction of the
 * part that failed: an atomic's read part is a read (WnR = 0), its write part, which is reached
 * only after the read succeeded, a write. */
static bool raise_access_fault(a64_cpu *cpu, uint8_t fsc, uint64_t va, unsigned flags,
                               bool fetch)
{
    a64_fault f = { .fsc = fsc, .write = (flags & A64_MEM_WRITE) != 0, .va = va,
                    .cache_maint = (flags & A64_MEM_CMO) != 0, .fetch = fetch };
    a64_take_abort(cpu, &f);
    return false;
}

/* An Alignment fault is checked before any part of the access: for an atomic read-modify-write
 * its read would take it too, so WnR = 0 (ARM ARM D17.2 ESR_ELx.WnR: for CAS, CASP, LD<op>, SWP,
 * WnR is 0 when a read of the location would have generated the fault). */
static bool raise_alignment(a64_cpu *cpu, uint64_t va, unsigned flags)
{
    unsigned first_part = (flags & A64_MEM_RMW) ? flags & ~A64_MEM_WRITE : flags;
    return raise_access_fault(cpu, A64_FSC_ALIGNMENT, va, first_part, false);
}

/* Physical address size from ID_AA64MMFR0_EL1.PARange (D17.2.64). */
static unsigned pa_size_bits(const a64_cpu *cpu)
{
    return vmsa_pa_bits((unsigned)(cpu->sys.id_aa64mmfr0_el1 >> ID_AA64MMFR0_PARANGE_SHIFT));
}

/* With stage 1 disabled, an input address with bits set above the PA size takes an Address size
 * fault at level 0 (ARM ARM D8.2.10, AArch64.S1DisabledOutput). RAM hits never get here. */
static bool mmu_off_address_too_large(const a64_cpu *cpu, uint64_t va)
{
    return !(cpu->sys.sctlr_el1 & SCTLR_M) && (va >> pa_size_bits(cpu)) != 0;
}

/* The vmsa_access of a data access (ARM ARM D8.4: which permissions, PAN, alignment and
 * hardware-update rules apply). EL0 permissions at EL0 and for LDTR/STTR. */
static inline vmsa_access data_access(const a64_cpu *cpu, unsigned size, unsigned flags)
{
    vmsa_access a;
    if (flags & A64_MEM_ZVA)
        a.type = VMSA_ACC_DC_ZVA;
    else if (flags & A64_MEM_CMO)
        a.type = (flags & A64_MEM_IC)      ? VMSA_ACC_IC_INVAL
                 : (flags & A64_MEM_WRITE) ? VMSA_ACC_DC_INVAL
                                           : VMSA_ACC_DC_CLEAN;
    else if (flags & A64_MEM_RMW)
        a.type = VMSA_ACC_RMW;
    else if (flags & A64_MEM_WRITE)
        a.type = VMSA_ACC_WRITE;
    else
        a.type = VMSA_ACC_READ;
    a.unpriv = cpu->pstate.el == 0 || (flags & A64_MEM_UNPRIV) != 0;
    a.pan = cpu->pstate.pan;
    a.size = (uint8_t)size;
    return a;
}

/* Stage 1 with the MMU on: an L1 TLB hit is answered here; a miss, a write to a writable-clean
 * entry, or stale parameters go to the slow path. False with *fault when the access faults.
 * *entry: the L1 entry that translated and passed the check (NULL when unknown). */
static inline bool mmu_translate(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, bool fetch,
                                 uint64_t *pa, a64_fault *fault, vmsa_tlb_entry **entry)
{
    a64_mmu *m = cpu->cfg.mmu;
    *entry = NULL;
    if (A64_UNLIKELY(m == NULL))   /* no L1 TLBs: the core walks the tables itself */
        return a64_mmu_translate_miss(cpu, va, acc, fetch, pa, fault);
    if (A64_UNLIKELY(!m->params_valid))
        a64_mmu_params(cpu, NULL); /* re-decode after an MSR to a controlling register */
    uint64_t vc = vmsa_va_canonical(&m->params, va);
    vmsa_tlb_entry *e;
    vmsa_fault vf;
    switch (vmsa_tlb_lookup_check(fetch ? &m->l1i : &m->l1d, vc, m->params.asid, acc, va, &e,
                                  &vf)) {
    case VMSA_HIT_OK:
        *pa = vmsa_tlb_pa(e, vc);
        *entry = e;
        return true;
    case VMSA_HIT_FAULT:
        *fault = a64_mmu_hit_fault(cpu, &vf);
        return false;
    case VMSA_HIT_WALK:   /* a miss, or a write to a writable-clean entry */
        break;
    }
    if (!a64_mmu_translate_miss(cpu, va, acc, fetch, pa, fault))
        return false;
    *entry = m->miss_fill;
    return true;
}

bool a64_mmu_translate(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, bool fetch,
                       uint64_t *pa, a64_fault *fault)
{
    vmsa_tlb_entry *entry;
    return mmu_translate(cpu, va, acc, fetch, pa, fault, &entry);
}

static inline void recent_fill(a64_mmu_recent_entry *l, uint64_t gen, uint64_t va, unsigned key,
                             vmsa_tlb_entry *e, uint64_t pa)
{
    if (!e || e->device)   /* Device memory: the alignment check depends on each access */
        return;
    l->gen = gen;
    l->va_page = va >> A64_MIN_PAGE_SHIFT;
    l->pa_page = pa & ~(A64_MIN_PAGE_SIZE - 1);
    l->key = key;
    l->entry = e;
}


/* Smallest translation granule: an access may change pages only at a multiple of it. */
#define MIN_PAGE A64_MIN_PAGE_SIZE

/* A data access that crosses a 4KB boundary: the second page is translated too (its fault is
 * reported with FAR = its first byte). When the two pages are not physically contiguous the
 * PA carries A64_PA_SPLIT and a slot of cpu->split, which a64_phys_load/store follow. */
static bool translate_crossing(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, uint64_t *pa)
{
    uint64_t va2 = (va | (MIN_PAGE - 1)) + 1, pa2;
    unsigned len1 = (unsigned)(va2 - va);
    a64_fault f;
    vmsa_tlb_entry *e;
    if (!mmu_translate(cpu, va2, acc, false, &pa2, &f, &e)) {
        a64_take_abort(cpu, &f);
        return false;
    }
    if (pa2 == *pa + len1)
        return true;
    unsigned slot = cpu->split_next++ & 3;
    cpu->split[slot].pa2 = pa2;
    cpu->split[slot].len1 = len1;
    *pa = A64_PA_SPLIT | ((uint64_t)slot << A64_PA_SPLIT_SLOT_SHIFT) | (*pa & A64_PA_SPLIT_PA_MASK);
    return true;
}

/* Flags of the plain loads and stores the recent-entry caches serve. */
#define PLAIN_ACCESS_FLAGS (A64_MEM_WRITE | A64_MEM_ALIGN | A64_MEM_EXCL | A64_MEM_UNPRIV)

/* A data access with stage 1 on that the recent-entry cache did not answer (`last`: the slot
 * to fill, or NULL). */
__attribute__((noinline)) static bool translate_data_miss(a64_cpu *cpu, uint64_t va,
                                                          unsigned size, unsigned flags,
                                                          uint64_t *pa, a64_mmu_recent_entry *last,
                                                          unsigned key)
{
    vmsa_access acc = data_access(cpu, size, flags);
    a64_fault f;
    vmsa_tlb_entry *e;
    if (A64_UNLIKELY(!mmu_translate(cpu, va, &acc, false, pa, &f, &e))) {
        a64_take_abort(cpu, &f);
        return false;
    }
    if (last && cpu->cfg.mmu->params_valid)
        recent_fill(last, cpu->cfg.mmu->l1d_gen, va, key, e, *pa);
    if (A64_UNLIKELY((va & (MIN_PAGE - 1)) + size > MIN_PAGE) && !(flags & A64_MEM_CMO))
        return translate_crossing(cpu, va, &acc, pa);
    return true;
}

/* Not inlined: the MMU-off path of the callers keeps its small prologue. */
__attribute__((noinline)) static bool translate_data_mmu(a64_cpu *cpu, uint64_t va,
                                                         unsigned size, unsigned flags,
                                                         uint64_t *pa)
{
    a64_mmu *m = cpu->cfg.mmu;
    a64_mmu_recent_entry *last = NULL;
    unsigned key = 0;
    if (A64_LIKELY(m != NULL && m->params_valid && !(flags & ~PLAIN_ACCESS_FLAGS))) {
        last = a64_mmu_recent_slot((flags & A64_MEM_WRITE) ? m->recent_write : m->recent_read, va);
        key = ((cpu->pstate.el == 0 || (flags & A64_MEM_UNPRIV)) ? A64_MMU_KEY_UNPRIV : 0) |
              (cpu->pstate.pan ? A64_MMU_KEY_PAN : 0);
        if (a64_mmu_recent_hit(last, m->l1d_gen, va, key, &m->l1d, pa)) {
            if (A64_LIKELY((va & (MIN_PAGE - 1)) + size <= MIN_PAGE))
                return true;
            /* A hit that crosses into the next page: that page is translated apart. */
            vmsa_access acc = data_access(cpu, size, flags);
            return translate_crossing(cpu, va, &acc, pa);
        }
    }
    return translate_data_miss(cpu, va, size, flags, pa, last, key);
}

/* The CPU's alignment checks, then stage 1 (the cases a64_translate_data does not finish). */
__attribute__((noinline)) static bool translate_data_slow(a64_cpu *cpu, uint64_t va,
                                                          unsigned size, unsigned flags,
                                                          uint64_t *pa)
{
    bool unaligned = (va & (size - 1)) != 0 && !(flags & A64_MEM_CMO);
    bool mmu_on = (cpu->sys.sctlr_el1 & SCTLR_M) != 0;
    /* MMU off: every data access is to Device memory, so any misalignment faults. */
    if (unaligned && ((flags & A64_MEM_ALIGN) || (cpu->sys.sctlr_el1 & SCTLR_A) || !mmu_on))
        return raise_alignment(cpu, va, flags);
    if (mmu_on)
        return translate_data_mmu(cpu, va, size, flags, pa);
    *pa = va;
    return true;
}

bool a64_translate_data(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *pa)
{
    /* The common case first: aligned, stage 1 disabled, PA = VA. */
    if (A64_LIKELY((va & (size - 1)) == 0) && A64_LIKELY(!(cpu->sys.sctlr_el1 & SCTLR_M))) {
        *pa = va;
        return true;
    }
    return translate_data_slow(cpu, va, size, flags, pa);
}

/* The two parts of an access split by translate_crossing, byte by byte (rare). */
__attribute__((noinline)) static bool split_load(a64_cpu *cpu, uint64_t pa, uint64_t va,
                                                 unsigned size, unsigned flags, uint64_t *out)
{
    unsigned slot = (unsigned)(pa >> A64_PA_SPLIT_SLOT_SHIFT) & 3;
    uint64_t pa1 = pa & A64_PA_SPLIT_PA_MASK, v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned len1 = cpu->split[slot].len1;
        uint64_t a = i < len1 ? pa1 + i : cpu->split[slot].pa2 + (i - len1), b;
        if (!a64_phys_load(cpu, a, va + i, 1, flags, &b))
            return false;
        v |= (b & 0xff) << (8 * i);
    }
    *out = v;
    return true;
}

__attribute__((noinline)) static bool split_store(a64_cpu *cpu, uint64_t pa, uint64_t va,
                                                  unsigned size, unsigned flags, uint64_t value)
{
    unsigned slot = (unsigned)(pa >> A64_PA_SPLIT_SLOT_SHIFT) & 3;
    uint64_t pa1 = pa & A64_PA_SPLIT_PA_MASK;
    for (unsigned i = 0; i < size; i++) {
        unsigned len1 = cpu->split[slot].len1;
        uint64_t a = i < len1 ? pa1 + i : cpu->split[slot].pa2 + (i - len1);
        if (!a64_phys_store(cpu, a, va + i, 1, flags, (value >> (8 * i)) & 0xff))
            return false;
    }
    return true;
}

bool a64_phys_load(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                   uint64_t *out)
{
    uint8_t *p = a64_ram_ptr(cpu, pa, size);
    if (A64_LIKELY(p != NULL)) {
        *out = a64_host_load(p, size);
        return true;
    }
    if (A64_UNLIKELY(pa & A64_PA_SPLIT))
        return split_load(cpu, pa, va, size, flags, out);
    if (mmu_off_address_too_large(cpu, va))
        return raise_access_fault(cpu, A64_FSC_ADDR_SIZE, va, flags & ~A64_MEM_WRITE, false);
    if (cpu->cfg.env.phys_read && cpu->cfg.env.phys_read(cpu->cfg.env.ctx, pa, size, out) == A64_BUS_OK) {
        if (size < 8)
            *out &= (1ull << (size * 8)) - 1; /* a device may drive more bytes than asked for */
        return true;
    }
    return raise_access_fault(cpu, A64_FSC_SYNC_EXTERNAL, va, flags & ~A64_MEM_WRITE, false);
}

bool a64_phys_store(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                    uint64_t value)
{
    a64_monitor_note_store(cpu, pa, size);
    uint8_t *p = a64_ram_ptr(cpu, pa, size);
    if (A64_LIKELY(p != NULL)) {
        a64_host_store(p, size, value);
        return true;
    }
    if (A64_UNLIKELY(pa & A64_PA_SPLIT))
        return split_store(cpu, pa, va, size, flags, value);
    if (mmu_off_address_too_large(cpu, va))
        return raise_access_fault(cpu, A64_FSC_ADDR_SIZE, va, flags | A64_MEM_WRITE, false);
    if (cpu->cfg.env.phys_write && cpu->cfg.env.phys_write(cpu->cfg.env.ctx, pa, size, value) == A64_BUS_OK)
        return true;
    return raise_access_fault(cpu, A64_FSC_SYNC_EXTERNAL, va, flags | A64_MEM_WRITE, false);
}

bool a64_load(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *out)
{
    uint64_t pa;
    if (!a64_translate_data(cpu, va, size, flags, &pa))
        return false;
    return a64_phys_load(cpu, pa, va, size, flags, out);
}

bool a64_store(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t value)
{
    uint64_t pa;
    flags |= A64_MEM_WRITE;
    if (!a64_translate_data(cpu, va, size, flags, &pa))
        return false;
    return a64_phys_store(cpu, pa, va, size, flags, value);
}

/* An instruction fetch outside the RAM window: an MMIO read, or the abort. */
__attribute__((noinline)) bool a64_fetch_device(a64_cpu *cpu, uint64_t pc, uint64_t pa,
                                                uint32_t *insn)
{
    if (mmu_off_address_too_large(cpu, pc))
        return raise_access_fault(cpu, A64_FSC_ADDR_SIZE, pc, 0, true);
    uint64_t v;
    if (cpu->cfg.env.phys_read && cpu->cfg.env.phys_read(cpu->cfg.env.ctx, pa, 4, &v) == A64_BUS_OK) {
        *insn = (uint32_t)v;
        return true;
    }
    return raise_access_fault(cpu, A64_FSC_SYNC_EXTERNAL, pc, 0, true);
}

/* Read the instruction at physical `pa` (fetched from `pc`). */
static inline bool fetch_physical(a64_cpu *cpu, uint64_t pc, uint64_t pa, uint32_t *insn)
{
    uint8_t *p = a64_ram_ptr(cpu, pa, 4);
    if (A64_LIKELY(p != NULL)) {
        memcpy(insn, p, 4);
        return true;
    }
    return a64_fetch_device(cpu, pc, pa, insn);
}

/* A fetch with stage 1 on that the recent-fetch cache did not answer (fetch.h). */
__attribute__((noinline)) static bool fetch_mmu_miss(a64_cpu *cpu, uint64_t pc, uint32_t *insn)
{
    a64_mmu *m = cpu->cfg.mmu;
    unsigned key = cpu->pstate.el == 0 ? A64_MMU_KEY_UNPRIV : 0;
    uint64_t pa;
    vmsa_access acc = { .type = VMSA_ACC_FETCH, .unpriv = cpu->pstate.el == 0,
                        .pan = cpu->pstate.pan, .size = 4 };
    a64_fault f;
    vmsa_tlb_entry *e;
    if (!mmu_translate(cpu, pc, &acc, true, &pa, &f, &e)) {
        a64_take_abort(cpu, &f);   /* Instruction Abort, FAR = PC */
        return false;
    }
    if (m != NULL && m->params_valid)
        recent_fill(a64_mmu_recent_slot(m->recent_fetch, pc), m->l1i_gen, pc, key, e, pa);
    return fetch_physical(cpu, pc, pa, insn);
}

bool a64_fetch_slow(a64_cpu *cpu, uint32_t *insn)
{
    uint64_t pc = cpu->pc;
    /* PC alignment fault (ARM ARM D1.3.5): EC 0x22, FAR = the misaligned PC. */
    if (A64_UNLIKELY(pc & 3)) {
        a64_take_exception(cpu, a64_esr(A64_EC_PC_ALIGN, 0), pc, pc, true);
        return false;
    }
    if (A64_UNLIKELY(cpu->sys.sctlr_el1 & SCTLR_M))
        return fetch_mmu_miss(cpu, pc, insn);   /* the inline recent-fetch cache missed */
    return fetch_physical(cpu, pc, pc, insn);   /* stage 1 disabled: PA = VA */
}

/* Debug copies (semihosting): the VA translated as a data read with no side effect (MMU on:
 * a64_mmu_debug_translate), one page or block at a time; only RAM is reachable. */
static bool debug_copy(a64_cpu *cpu, uint64_t va, void *buf, const void *src, uint64_t len)
{
    uint64_t done = 0;
    while (done < len) {
        uint64_t pa = va + done, span = len - done;
        if ((cpu->sys.sctlr_el1 & SCTLR_M) && !a64_mmu_debug_translate(cpu, va + done, &pa, &span))
            return false;
        uint64_t n = span < len - done ? span : len - done;
        uint64_t off = pa - cpu->cfg.ram.base;
        if (!cpu->cfg.ram.host || off >= cpu->cfg.ram.size || n > cpu->cfg.ram.size - off)
            return false;
        uint8_t *p = cpu->cfg.ram.host + off;
        if (buf)
            memcpy((uint8_t *)buf + done, p, n);
        else
            memcpy(p, (const uint8_t *)src + done, n);
        done += n;
    }
    return true;
}

bool a64_debug_read(a64_cpu *cpu, uint64_t va, void *buf, uint64_t len)
{
    return debug_copy(cpu, va, buf, NULL, len);
}

bool a64_debug_write(a64_cpu *cpu, uint64_t va, const void *buf, uint64_t len)
{
    return debug_copy(cpu, va, NULL, buf, len);
}
