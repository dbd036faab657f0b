/* The CPU's side of the stage 1 MMU (docs/mmu.md): the L1 instruction and data TLBs, the decoded
 * translation registers, and the glue between the A64 memory accesses and core/vmsa.
 *
 * A data access or fetch with SCTLR_EL1.M = 1 (mem.c):
 *   canonical VA -> L1 TLB lookup (inline, no callback) -> vmsa_tlb_check:
 *     OK    -> PA
 *     FAULT -> the abort (counted here: the fault is produced by the L1 check)
 *     WALK, or a miss -> env.translate (the platform's Mmu: L2 TLB, walk cache, table walker;
 *              or, when NULL, a functional walk in this file) -> insert into the L1 TLB.
 *
 * The decoded vmsa_params are cached and re-decoded only after a write to SCTLR_EL1, TCR_EL1,
 * TTBR0/1_EL1 or MAIR_EL1 (a64_mmu_regs_changed, called by MSR and reset; code that writes
 * cpu->sys directly must call it too).
 *
 * Pure C11: no SystemC, no I/O, no globals. The TLB storage is allocated once by a64_mmu_init.
 */
#ifndef HTTUSIM_CORE_A64_TRANSLATE_H
#define HTTUSIM_CORE_A64_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "a64/cpu.h"
#include "a64/vmsa_glue.h"
#include "vmsa/access.h"
#include "vmsa/fault.h"
#include "vmsa/params.h"
#include "vmsa/tlb.h"
#include "vmsa/walk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fault kinds by vmsa_fault_kind (index VMSA_FAULT_NONE unused). */
#define A64_MMU_FAULT_KINDS (VMSA_FAULT_ALIGNMENT + 1)

/* MMU faults, counted where they are produced: by the L1 TLB check (this file), by the platform's
 * MMU (L2 TLB check, table walk), or by the core's own walk when env.translate is NULL. Faults
 * reported by AT in PAR_EL1 and debug translations are not counted (they raise no abort). */
typedef struct a64_mmu_fault_counters {
    uint64_t kind[A64_MMU_FAULT_KINDS];
    uint64_t level[A64_MMU_FAULT_KINDS][4];   /* by lookup level (not for Alignment faults) */
} a64_mmu_fault_counters;

/* A data access crossing a page boundary into a page that is not physically contiguous: the
 * PA a64_translate_data returns carries A64_PA_SPLIT and the index of a64_cpu.split[] holding
 * the second part; a64_phys_load/a64_phys_store split the access there. */
#define A64_PA_SPLIT            (1ull << 63)
#define A64_PA_SPLIT_SLOT_SHIFT 60
#define A64_PA_SPLIT_PA_MASK    ((1ull << 48) - 1)

/* The smallest page of any translation granule (4 KiB): the unit of the recent-entry caches and
 * of the page-crossing test of data accesses (mem.c). */
#define A64_MIN_PAGE_SHIFT 12
#define A64_MIN_PAGE_SIZE  (1ull << A64_MIN_PAGE_SHIFT)

/* Recently used L1 TLB entries of an access class (fetch, read, write), per 4KB page, with the
 * check already passed: a repeat access to the same page with the same key skips the lookup and
 * the check, but still counts an L1 hit and refreshes the entry's LRU stamp, so the L1
 * statistics and replacement are exactly those of a lookup. A slot is valid while `gen` equals
 * the TLB's generation (bumped by every insertion, invalidation, reset and parameter decode), so
 * it never outlives its entry. Direct-mapped by VA[15:12]. Not an architectural structure. */
#define A64_MMU_RECENT_SLOTS 16
typedef struct a64_mmu_recent_entry {
    uint64_t va_page;          /* VA >> A64_MIN_PAGE_SHIFT as the access gave it */
    uint64_t pa_page;          /* PA of that 4KB page */
    vmsa_tlb_entry *entry;
    uint64_t gen;              /* 0: empty */
    unsigned key;              /* access class: see mem.c */
} a64_mmu_recent_entry;

struct a64_mmu {
    vmsa_params params;        /* decoded from cpu->sys: valid when params_valid */
    bool params_valid;
    vmsa_tlb l1i, l1d;         /* L1 instruction / data TLBs (hits, misses, evictions inside) */
    uint64_t l1i_gen, l1d_gen; /* bumped on any change of the TLB's contents (never 0) */
    a64_mmu_recent_entry recent_fetch[A64_MMU_RECENT_SLOTS];
    a64_mmu_recent_entry recent_read[A64_MMU_RECENT_SLOTS];
    a64_mmu_recent_entry recent_write[A64_MMU_RECENT_SLOTS];
    vmsa_tlb_entry *miss_fill; /* the entry the last a64_mmu_translate_miss inserted, or NULL */
    a64_mmu_fault_counters faults;
    uint64_t l1_lookup_cost;   /* cycles of one L1 TLB lookup, hit or miss (the platform's
                                  timing, docs/timing.md; 0 after a64_mmu_init) */
};
typedef struct a64_mmu a64_mmu;

/* Cycles spent looking up L1 TLB `t` of `m` (l1i or l1d): its lookups (hits + misses, which
 * count every lookup, the recent-entry caches' included) times the cost of one. Derived from
 * the counters so that the lookup itself pays nothing for the timing. */
static inline uint64_t a64_mmu_l1_cycles(const a64_mmu *m, const vmsa_tlb *t)
{
    return (t->hits + t->misses) * m->l1_lookup_cost;
}

/* Allocate the L1 TLBs: `entries` = sets * ways, sets a power of two. False on a bad geometry
 * or no memory (then nothing is allocated). */
bool a64_mmu_init(a64_mmu *m, unsigned l1i_entries, unsigned l1i_ways, unsigned l1d_entries,
                  unsigned l1d_ways);
void a64_mmu_destroy(a64_mmu *m);

/* Is ENTRIES:WAYS a usable TLB geometry (ENTRIES a non-zero multiple of WAYS, ENTRIES / WAYS a
 * power of two)? */
bool a64_mmu_geometry_valid(unsigned entries, unsigned ways);

/* Access class keys: EL0 permissions, PSTATE.PAN. */
#define A64_MMU_KEY_UNPRIV 1u
#define A64_MMU_KEY_PAN    2u

/* The recent-entry cache of an access class (a64_mmu_recent_entry): a hit is an L1 hit on that
 * entry, counted and LRU-refreshed as vmsa_tlb_lookup would. */
static inline a64_mmu_recent_entry *a64_mmu_recent_slot(a64_mmu_recent_entry *slots, uint64_t va)
{
    return &slots[(va >> A64_MIN_PAGE_SHIFT) & (A64_MMU_RECENT_SLOTS - 1)];
}

static inline bool a64_mmu_recent_hit(const a64_mmu_recent_entry *l, uint64_t gen, uint64_t va,
                                      unsigned key, vmsa_tlb *tlb, uint64_t *pa)
{
    if (__builtin_expect(!!(l->gen == gen && l->va_page == va >> A64_MIN_PAGE_SHIFT &&
                            l->key == key), 1)) {
        l->entry->lru = ++tlb->clock;
        tlb->hits++;
        *pa = l->pa_page | (va & (A64_MIN_PAGE_SIZE - 1));
        return true;
    }
    return false;
}

/* Reset: empty L1 TLBs, parameters to re-decode (a64_cpu_reset calls it). */
void a64_mmu_reset(a64_mmu *m);

/* SCTLR_EL1, TCR_EL1, TTBR0/1_EL1, MAIR_EL1 or ID_AA64MMFR0/1_EL1 changed: re-decode before the
 * next translation. */
static inline void a64_mmu_regs_changed(a64_cpu *cpu)
{
    if (cpu->cfg.mmu)
        cpu->cfg.mmu->params_valid = false;
}

/* The L1 TLBs changed: forget the recent-entry caches. */
static inline void a64_mmu_l1_changed(a64_mmu *m)
{
    m->l1i_gen++;
    m->l1d_gen++;
}

/* The decoded parameters (re-decoded if stale). With no MMU state, decoded into *scratch. */
const vmsa_params *a64_mmu_params(a64_cpu *cpu, vmsa_params *scratch);

/* Count a fault where it is produced. */
void a64_mmu_count_fault(a64_mmu_fault_counters *c, const vmsa_fault *f);

/* The whole translation as the executor does it, L1 lookup included (mem.c); for tests and
 * tools that translate without an access. */
bool a64_mmu_translate(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, bool fetch,
                       uint64_t *pa, a64_fault *fault);

/* Translate `va` for `acc` with the MMU on, after (fetch ? l1i : l1d) missed, or hit an entry
 * whose check answered WALK. Asks env.translate (or walks) and caches the result in the L1 TLB
 * (m->miss_fill). False with *fault filled when the access faults (not yet taken). */
bool a64_mmu_translate_miss(a64_cpu *cpu, uint64_t va, const vmsa_access *acc, bool fetch,
                            uint64_t *pa, a64_fault *fault);

/* The fault of an L1 TLB check: counted, converted. */
a64_fault a64_mmu_hit_fault(a64_cpu *cpu, const vmsa_fault *f);

/* TLBI (A64_SYSOP_TLBI_*, Xt): decode it into *op (ASID width from the current TCR_EL1) and
 * invalidate the L1 TLBs. False, with nothing done, for an encoding that is not a TLBI of
 * EL1&0. The platform's MMU invalidates its L2 TLB and walk cache when the decoded operation is
 * routed out (a64_sysop.tlbi). */
bool a64_mmu_tlbi(a64_cpu *cpu, uint32_t sysop, uint64_t xt, vmsa_tlbi *op);

/* AT S1E1R/W, S1E0R/W with the MMU on: the PAR_EL1 value in *par (ARM ARM D17.2 PAR_EL1). A
 * fresh walk with no hardware update and no TLB fill; an MMU fault is reported in PAR, not
 * taken. A Synchronous External abort on the walk is taken as a Data Abort (EC 0x25, CM = 1,
 * WnR = 1, DFSC 0b0101LL, FAR = va): then false, *par untouched. */
bool a64_mmu_at(a64_cpu *cpu, uint32_t sysop, uint64_t va, uint64_t *par);

/* Side-effect-free functional translation for debug accesses (semihosting buffers): walks the
 * tables in the RAM window, answers CAS as if it succeeded, caches and counts nothing. PA of
 * `va` and the number of bytes from va to the end of its page or block. */
bool a64_mmu_debug_translate(a64_cpu *cpu, uint64_t va, uint64_t *pa, uint64_t *span);

/* The record of a Synchronous External abort on a table walk at `level` (a descriptor address
 * that no memory answers): DFSC/IFSC 0b0101LL (ARM ARM D17.2 ESR_EL1). */
a64_fault a64_mmu_walk_external_abort(const vmsa_access *acc, uint64_t va, int level);

/* The two rules of a walk's hardware-update CAS (VMSA_REQ_CAS) that every walker of this CPU
 * applies, whatever performs the CAS (the core's functional walk on RAM, the platform's
 * TableWalker through the interconnect):
 *  - a walk without hardware updates (AT, debug translations) performs no CAS and answers it as
 *    if it had succeeded: the value the walk expected, memory untouched (a64_mmu_cas_skipped);
 *  - a performed CAS that succeeded (it observed the expected value) is a store to the
 *    descriptor by another observer: it clears an exclusive reservation covering it (ARM ARM
 *    B2.9.5; the firmware's LDXR/STXR on a descriptor then fails and retries, D8.5 atomicity of
 *    hardware updates) (a64_mmu_cas_performed; `cpu` may be NULL: no monitor to clear). */
static inline uint64_t a64_mmu_cas_skipped(const vmsa_req *r)
{
    return r->old_desc;
}
void a64_mmu_cas_performed(a64_cpu *cpu, const vmsa_req *r, uint64_t observed);

/* A walk driven by the core itself in its RAM window (used when env.translate is NULL, by
 * tests, and by debug translations). `update`: perform hardware updates as atomic CAS on RAM
 * (clearing an overlapping exclusive reservation), else answer them as if they succeeded.
 * A descriptor outside RAM is a Synchronous External abort on the walk. */
bool a64_mmu_walk_functional(a64_cpu *cpu, const vmsa_params *p, uint64_t va,
                             const vmsa_access *acc, bool update, vmsa_result *result,
                             a64_fault *fault, vmsa_fault *vfault);

#ifdef __cplusplus
}
#endif

#endif
