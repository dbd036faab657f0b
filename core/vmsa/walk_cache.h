/* A walk cache: non-leaf (Table descriptor) entries, so that a TLB miss can resume the walk
 * below the start level (ARM ARM "Translation Lookaside Buffers": caching of intermediate table entries).
 *
 * An entry says: for VAs of region `va_tag << shift` under `asid`, the table at lookup `level`
 * is at `table_pa`, reached with inherited attributes `attrs`. Lookup returns the deepest level
 * cached; vmsa_walk_start_at() resumes from it.
 *
 * Invalidation (D8.13): VMALLE1 drops all; ASIDE1 drops the entries of that ASID; VAE1 and VAAE1
 * drop every entry covering the VA, whatever its ASID (Table descriptors carry no nG, so an entry
 * reached through a global mapping must go with either); VALE1/VAALE1 only need to invalidate
 * last-level entries and leave the walk cache alone.
 *
 * Storage is allocated by init and freed by destroy; `sets` must be a power of two.
 */
#ifndef HTTUSIM_CORE_VMSA_WALK_CACHE_H
#define HTTUSIM_CORE_VMSA_WALK_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/params.h"
#include "vmsa/tlbi.h"
#include "vmsa/walk.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vmsa_wc_entry {
    uint64_t va_tag;    /* canonical VA >> shift */
    uint64_t table_pa;  /* the table at `level` */
    uint64_t lru;
    uint16_t asid;
    int8_t level;       /* lookup level of the cached table (1..3) */
    uint8_t shift;      /* log2 of the VA region the table translates */
    uint8_t attrs;      /* VMSA_TATTR_* in force for that table */
    bool valid;
} vmsa_wc_entry;

typedef struct vmsa_walk_cache {
    vmsa_wc_entry *entries;
    unsigned sets, ways;
    uint64_t set_mask;
    uint64_t clock;
    uint64_t hits, misses, evictions;
} vmsa_walk_cache;

bool vmsa_walk_cache_init(vmsa_walk_cache *c, unsigned sets, unsigned ways);
void vmsa_walk_cache_destroy(vmsa_walk_cache *c);

/* The deepest cached table for canonical `va` under `asid`, or NULL (counts hit or miss). */
const vmsa_wc_entry *vmsa_walk_cache_lookup(vmsa_walk_cache *c, const vmsa_params *p,
                                            uint64_t va, uint16_t asid);

/* Cache the tables a walk went through below its start level (any walk that read at least one
 * descriptor: Table descriptors read without fault are cacheable even if the leaf faulted). */
void vmsa_walk_cache_fill(vmsa_walk_cache *c, const vmsa_walk *w);

/* Returns the number of entries dropped. */
unsigned vmsa_walk_cache_invalidate(vmsa_walk_cache *c, const vmsa_tlbi *op);

#ifdef __cplusplus
}
#endif

#endif
