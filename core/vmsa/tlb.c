/* Set-associative leaf TLB: allocation, insertion with LRU replacement, TLBI matching, and the
 * check of an access against a cached entry. */
#include "vmsa/tlb.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vmsa/align.h"
#include "vmsa/desc.h"
#include "vmsa/set_assoc.h"

bool vmsa_tlb_init(vmsa_tlb *t, unsigned sets, unsigned ways)
{
    memset(t, 0, sizeof(*t));
    t->entries = vmsa_set_assoc_alloc(sets, ways, sizeof(vmsa_tlb_entry));
    if (!t->entries)
        return false;
    t->sets = sets;
    t->ways = ways;
    t->set_mask = sets - 1;
    return true;
}

void vmsa_tlb_destroy(vmsa_tlb *t)
{
    free(t->entries);
    t->entries = NULL;
    t->sets = t->ways = 0;
    t->size_mask = 0;
}

static void count_remove(vmsa_tlb *t, vmsa_tlb_entry *e)
{
    if (!e->valid)
        return;
    e->valid = false;
    if (--t->size_count[e->size_log2] == 0)
        t->size_mask &= ~(1ull << e->size_log2);
}

static void count_add(vmsa_tlb *t, unsigned s)
{
    t->size_count[s]++;
    t->size_mask |= 1ull << s;
}

static const vmsa_set_assoc_layout tlb_layout = {
    sizeof(vmsa_tlb_entry), offsetof(vmsa_tlb_entry, valid), offsetof(vmsa_tlb_entry, lru),
};

/* Same translation slot: same page/block, and the same tag (global, or the same ASID). */
static bool same_slot(const vmsa_tlb_entry *e, const vmsa_result *r)
{
    return e->valid && e->size_log2 == r->size_log2 && e->va_base == r->va_base &&
           e->global == r->global && (r->global || e->asid == r->asid);
}

vmsa_tlb_entry *vmsa_tlb_insert(vmsa_tlb *t, const vmsa_result *r)
{
    vmsa_tlb_entry *set = &t->entries[((r->va_base >> r->size_log2) & t->set_mask) * t->ways];
    vmsa_tlb_entry *victim = NULL;

    for (unsigned w = 0; w < t->ways && !victim; w++)
        if (same_slot(&set[w], r))
            victim = &set[w];
    if (!victim) {
        bool evicted;
        victim = &set[vmsa_set_assoc_victim(set, t->ways, &tlb_layout, &evicted)];
        if (evicted)
            t->evictions++;
    }
    count_remove(t, victim);

    victim->va_base = r->va_base;
    victim->pa_base = r->pa_base;
    victim->desc_pa = r->desc_pa;
    victim->desc = r->desc;
    victim->asid = r->asid;
    victim->perm_inputs = r->perm_inputs;
    victim->size_log2 = r->size_log2;
    victim->level = r->level;
    victim->perms = r->perms;
    victim->attr = r->attr;
    victim->dirty = (uint8_t)r->dirty;
    victim->global = r->global;
    victim->device = r->device;
    victim->valid = true;
    victim->lru = ++t->clock;
    count_add(t, r->size_log2);
    return victim;
}

vmsa_result vmsa_tlb_entry_result(const vmsa_tlb_entry *e, uint64_t va)
{
    vmsa_result r;
    memset(&r, 0, sizeof(r));
    r.va = va;
    r.pa = vmsa_tlb_pa(e, va);
    r.va_base = e->va_base;
    r.pa_base = e->pa_base;
    r.size_log2 = e->size_log2;
    r.level = e->level;
    r.asid = e->asid;
    r.global = e->global;
    r.attr = e->attr;
    r.device = e->device;
    r.sh = (uint8_t)((e->desc & DESC_SH_MASK) >> DESC_SH_SHIFT);
    r.contiguous = (e->desc & DESC_CONTIG) != 0;
    r.perms = e->perms;
    r.perm_inputs = e->perm_inputs;
    r.dirty = (vmsa_dirty)e->dirty;
    r.desc_pa = e->desc_pa;
    r.desc = e->desc;
    return r;
}

static bool op_matches_tag(const vmsa_tlbi *op, const vmsa_tlb_entry *e)
{
    switch (op->op) {
    case VMSA_TLBI_VMALLE1:
        return true;
    case VMSA_TLBI_ASIDE1:
        return !e->global && e->asid == op->asid;
    case VMSA_TLBI_VAE1:
    case VMSA_TLBI_VALE1:
        return e->global || e->asid == op->asid;
    case VMSA_TLBI_VAAE1:
    case VMSA_TLBI_VAALE1:
        return true;
    case VMSA_TLBI_OP_COUNT:
        break;
    }
    return false;
}

unsigned vmsa_tlb_invalidate(vmsa_tlb *t, const vmsa_tlbi *op)
{
    unsigned dropped = 0;
    if (!vmsa_tlbi_by_va(op->op)) {
        for (unsigned i = 0; i < t->sets * t->ways; i++) {
            vmsa_tlb_entry *e = &t->entries[i];
            if (e->valid && op_matches_tag(op, e)) {
                count_remove(t, e);
                dropped++;
            }
        }
        return dropped;
    }
    /* By VA: an entry containing the VA is in the VA's set for its size. Every entry here is a
     * last-level (leaf) entry, so VALE1/VAALE1 drop the same entries as VAE1/VAAE1. */
    uint64_t sizes = t->size_mask;
    for (; sizes != 0; sizes &= sizes - 1) {
        unsigned s = (unsigned)__builtin_ctzll(sizes);
        vmsa_tlb_entry *e = &t->entries[((op->va >> s) & t->set_mask) * t->ways];
        for (unsigned w = 0; w < t->ways; w++, e++) {
            if (e->valid && e->size_log2 == s && ((e->va_base ^ op->va) >> s) == 0 &&
                op_matches_tag(op, e)) {
                count_remove(t, e);
                dropped++;
            }
        }
    }
    return dropped;
}

vmsa_hit vmsa_tlb_check(const vmsa_tlb_entry *e, const vmsa_access *acc, uint64_t va,
                        vmsa_fault *fault)
{
    vmsa_rule rule = vmsa_check_alignment(e->device, acc->type, va, acc->size);
    if (rule == VMSA_RULE_NONE)
        rule = vmsa_check_permission(e->perm_inputs, acc);
    if (rule != VMSA_RULE_NONE) {
        *fault = vmsa_make_fault(rule, e->level, va, acc);
        return VMSA_HIT_FAULT;
    }
    if ((e->perm_inputs & VMSA_PERM_INPUT_WCLEAN) && vmsa_acc_updates_dirty(acc->type))
        return VMSA_HIT_WALK;
    return VMSA_HIT_OK;
}
