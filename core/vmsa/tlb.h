/* A set-associative TLB array of leaf translations with LRU replacement (ARM ARM "Translation
 * Lookaside Buffers", D8.13 TLB maintenance).
 *
 * Entries hold pages (4KB/16KB/64KB) and blocks (2MB/32MB/512MB/1GB) side by side. An entry of
 * size 2^s lives in set (va_base >> s) & (sets - 1); `size_mask` records which sizes are present
 * so a lookup probes one set per present size. Global entries (nG = 0) match any ASID.
 *
 * The storage is allocated once by vmsa_tlb_init and freed by vmsa_tlb_destroy; lookup, insert
 * and invalidation never allocate. `sets` must be a power of two.
 */
#ifndef HTTUSIM_CORE_VMSA_TLB_H
#define HTTUSIM_CORE_VMSA_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/access.h"
#include "vmsa/fault.h"
#include "vmsa/perms.h"
#include "vmsa/tlbi.h"
#include "vmsa/walk.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vmsa_tlb_entry {
    uint64_t va_base;   /* canonical VA of the first byte of the page or block */
    uint64_t pa_base;
    uint64_t desc_pa;   /* leaf descriptor address, for a later dirty-state update */
    uint64_t desc;      /* leaf descriptor value when cached */
    uint64_t lru;       /* stamp of the last use */
    uint16_t asid;
    uint16_t perm_inputs; /* VMSA_PERM_INPUT_* */
    uint8_t size_log2;
    int8_t level;
    uint8_t perms;      /* VMSA_PERM_* */
    uint8_t attr;       /* MAIR attribute byte */
    uint8_t dirty;      /* vmsa_dirty */
    bool valid;
    bool global;
    bool device;
} vmsa_tlb_entry;

typedef struct vmsa_tlb {
    vmsa_tlb_entry *entries; /* sets * ways, set-major */
    unsigned sets, ways;
    uint64_t set_mask;
    uint64_t clock;          /* LRU stamp source */
    uint64_t size_mask;      /* bit s set: some valid entry has size_log2 == s */
    uint32_t size_count[64]; /* valid entries per size_log2 */
    uint64_t hits, misses, evictions;
} vmsa_tlb;

/* Allocate sets * ways invalid entries. False if sets is not a power of two, a size is 0, or
 * allocation failed. */
bool vmsa_tlb_init(vmsa_tlb *t, unsigned sets, unsigned ways);
void vmsa_tlb_destroy(vmsa_tlb *t);

static inline bool vmsa_tlb_entry_matches(const vmsa_tlb_entry *e, uint64_t va, unsigned s,
                                          uint16_t asid)
{
    return e->valid && e->size_log2 == s && ((e->va_base ^ va) >> s) == 0 &&
           (e->global || e->asid == asid);
}

/* The entry translating canonical `va` for `asid`, or NULL. Counts a hit or a miss and
 * refreshes the entry's LRU stamp. */
static inline vmsa_tlb_entry *vmsa_tlb_lookup(vmsa_tlb *t, uint64_t va, uint16_t asid)
{
    for (uint64_t m = t->size_mask; m != 0; m &= m - 1) {
        unsigned s = (unsigned)__builtin_ctzll(m);
        vmsa_tlb_entry *e = &t->entries[((va >> s) & t->set_mask) * t->ways];
        for (unsigned w = 0; w < t->ways; w++, e++) {
            if (vmsa_tlb_entry_matches(e, va, s, asid)) {
                e->lru = ++t->clock;
                t->hits++;
                return e;
            }
        }
    }
    t->misses++;
    return NULL;
}

/* Cache a walk result. An entry with the same VA, size and ASID/global tag is overwritten in
 * place (e.g. after a dirty-state update); otherwise an invalid way is used, else the least
 * recently used one is evicted (counted). */
vmsa_tlb_entry *vmsa_tlb_insert(vmsa_tlb *t, const vmsa_result *r);

/* The walk result a hit on `e` stands for, at canonical `va` (what an L2 TLB hit hands back to
 * the requester, which may cache it in turn with vmsa_tlb_insert). Only the hardware-update
 * flags of the walk (af_updated, dirty_updated) are not kept in an entry: false. */
vmsa_result vmsa_tlb_entry_result(const vmsa_tlb_entry *e, uint64_t va);

/* Drop the entries an operation covers (D8.13: VMALLE1 all; ASIDE1 non-global entries of the
 * ASID; VAE1/VALE1 entries containing VA of the ASID or global; VAAE1/VAALE1 entries containing
 * VA, any ASID; a leaf-only TLB treats the last-level forms as the full ones). Returns the
 * number of entries dropped. */
unsigned vmsa_tlb_invalidate(vmsa_tlb *t, const vmsa_tlbi *op);

/* What a TLB hit means for an access. */
typedef enum vmsa_hit {
    VMSA_HIT_OK = 0,  /* use pa */
    VMSA_HIT_FAULT,   /* *fault is filled */
    VMSA_HIT_WALK,    /* write to a writable-clean entry: walk again to update the dirty state
                         (ARM ARM D8.5.2.1 I_HQBGN) */
} vmsa_hit;

/* Check an access against a cached entry: alignment by memory type, permissions with the
 * current PSTATE.PAN, dirty state. `va` is the VA as the access gave it (for FAR). */
vmsa_hit vmsa_tlb_check(const vmsa_tlb_entry *e, const vmsa_access *acc, uint64_t va,
                        vmsa_fault *fault);

static inline uint64_t vmsa_tlb_pa(const vmsa_tlb_entry *e, uint64_t va)
{
    return e->pa_base | (va & ((1ull << e->size_log2) - 1));
}

/* A TLB level as every requester uses it: look up the canonical VA `va_canonical` for `asid` (counted, LRU
 * refreshed), then check the access on a hit (vmsa_tlb_check; `va` as the access gave it, for
 * FAR). VMSA_HIT_OK: *entry is the entry that translated; VMSA_HIT_FAULT: *fault is filled;
 * VMSA_HIT_WALK: a miss (*entry NULL) or a hit that must walk again (*entry the hit). Inline:
 * the L1 TLB hit of the executor is the hot path. */
static inline vmsa_hit vmsa_tlb_lookup_check(vmsa_tlb *t, uint64_t va_canonical, uint16_t asid,
                                             const vmsa_access *acc, uint64_t va,
                                             vmsa_tlb_entry **entry, vmsa_fault *fault)
{
    vmsa_tlb_entry *e = vmsa_tlb_lookup(t, va_canonical, asid);
    *entry = e;
    if (e == NULL)
        return VMSA_HIT_WALK;
    return vmsa_tlb_check(e, acc, va, fault);
}

#ifdef __cplusplus
}
#endif

#endif
