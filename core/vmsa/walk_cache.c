/* Walk cache of Table descriptors: fill from a walk, deepest-level lookup, TLBI matching. */
#include "vmsa/walk_cache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vmsa/set_assoc.h"

bool vmsa_walk_cache_init(vmsa_walk_cache *c, unsigned sets, unsigned ways)
{
    memset(c, 0, sizeof(*c));
    c->entries = vmsa_set_assoc_alloc(sets, ways, sizeof(vmsa_wc_entry));
    if (!c->entries)
        return false;
    c->sets = sets;
    c->ways = ways;
    c->set_mask = sets - 1;
    return true;
}

void vmsa_walk_cache_destroy(vmsa_walk_cache *c)
{
    free(c->entries);
    c->entries = NULL;
    c->sets = c->ways = 0;
}

static const vmsa_set_assoc_layout wc_layout = {
    sizeof(vmsa_wc_entry), offsetof(vmsa_wc_entry, valid), offsetof(vmsa_wc_entry, lru),
};

static vmsa_wc_entry *set_of(vmsa_walk_cache *c, uint64_t tag, int level)
{
    return &c->entries[((tag + (uint64_t)level) & c->set_mask) * c->ways];
}

const vmsa_wc_entry *vmsa_walk_cache_lookup(vmsa_walk_cache *c, const vmsa_params *p,
                                            uint64_t va, uint16_t asid)
{
    const vmsa_range *r = &p->range[vmsa_va_range_index(va)];
    va = vmsa_va_sign_extend55(va);
    for (int level = 3; level > r->start_level; level--) {
        /* The level-`level` table translates the region one level-(level-1) entry maps. */
        unsigned shift = vmsa_level_shift(r, level - 1);
        uint64_t tag = va >> shift;
        vmsa_wc_entry *e = set_of(c, tag, level);
        for (unsigned w = 0; w < c->ways; w++, e++) {
            if (e->valid && e->level == level && e->shift == shift && e->va_tag == tag &&
                e->asid == asid) {
                e->lru = ++c->clock;
                c->hits++;
                return e;
            }
        }
    }
    c->misses++;
    return NULL;
}

static void insert(vmsa_walk_cache *c, uint64_t tag, unsigned shift, int level, uint16_t asid,
                   uint64_t table_pa, uint8_t attrs)
{
    vmsa_wc_entry *set = set_of(c, tag, level);
    vmsa_wc_entry *victim = NULL;
    for (unsigned w = 0; w < c->ways && !victim; w++)
        if (set[w].valid && set[w].level == level && set[w].shift == shift &&
            set[w].va_tag == tag && set[w].asid == asid)
            victim = &set[w];
    if (!victim) {
        bool evicted;
        victim = &set[vmsa_set_assoc_victim(set, c->ways, &wc_layout, &evicted)];
        if (evicted)
            c->evictions++;
    }
    victim->va_tag = tag;
    victim->table_pa = table_pa;
    victim->asid = asid;
    victim->level = (int8_t)level;
    victim->shift = (uint8_t)shift;
    victim->attrs = attrs;
    victim->valid = true;
    victim->lru = ++c->clock;
}

void vmsa_walk_cache_fill(vmsa_walk_cache *c, const vmsa_walk *w)
{
    const vmsa_range *r = vmsa_walk_range(w);
    if (w->reads == 0)
        return;
    int from = w->first_level > r->start_level ? w->first_level : r->start_level + 1;
    for (int level = from; level <= w->level; level++) {
        unsigned shift = vmsa_level_shift(r, level - 1);
        insert(c, w->va_canonical >> shift, shift, level, w->p.asid, w->table_pa[level],
               w->table_attrs[level]);
    }
}

unsigned vmsa_walk_cache_invalidate(vmsa_walk_cache *c, const vmsa_tlbi *op)
{
    if (vmsa_tlbi_last_level(op->op))
        return 0;
    unsigned dropped = 0;
    uint64_t va = vmsa_va_sign_extend55(op->va);
    for (unsigned i = 0; i < c->sets * c->ways; i++) {
        vmsa_wc_entry *e = &c->entries[i];
        if (!e->valid)
            continue;
        bool match = false;
        switch (op->op) {
        case VMSA_TLBI_VMALLE1: match = true; break;
        case VMSA_TLBI_ASIDE1: match = e->asid == op->asid; break;
        case VMSA_TLBI_VAE1:
        case VMSA_TLBI_VAAE1: match = (va >> e->shift) == e->va_tag; break;
        default: break;
        }
        if (match) {
            e->valid = false;
            dropped++;
        }
    }
    return dropped;
}
