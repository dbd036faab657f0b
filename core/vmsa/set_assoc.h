/* Set-associative storage shared by the leaf TLB (vmsa/tlb.h) and the walk cache
 * (vmsa/walk_cache.h): allocation of the entry array and the choice of the way a fill replaces
 * (LRU). The entry types differ; a layout says where each keeps its valid flag and LRU stamp. */
#ifndef HTTUSIM_CORE_VMSA_SET_ASSOC_H
#define HTTUSIM_CORE_VMSA_SET_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An entry type: its size, and the offsets of its `bool valid` and `uint64_t lru` members. */
typedef struct vmsa_set_assoc_layout {
    size_t size;
    size_t valid_offset;
    size_t lru_offset;
} vmsa_set_assoc_layout;

/* sets * ways zeroed entries of `entry_size` bytes; NULL when `sets` is not a power of two,
 * `ways` is 0, or there is no memory. Freed with free(). */
void *vmsa_set_assoc_alloc(unsigned sets, unsigned ways, size_t entry_size);

/* Way `w` of `set`: whether it is valid, and its LRU stamp in *lru. */
static inline bool vmsa_set_assoc_way(const void *set, unsigned w, const vmsa_set_assoc_layout *l,
                                      uint64_t *lru)
{
    const char *entry = (const char *)set + (size_t)w * l->size;
    bool valid;
    memcpy(&valid, entry + l->valid_offset, sizeof(valid));
    memcpy(lru, entry + l->lru_offset, sizeof(*lru));
    return valid;
}

/* The way of `set` (its first entry) a fill goes to when no way already holds the same
 * translation: the first invalid way, else the least recently used one (lowest LRU stamp, the
 * first of equals), and then *evicted = true. One pass over the set. Inline, so that the layout
 * (a constant at each caller) folds into plain member loads on the TLB miss path. */
static inline unsigned vmsa_set_assoc_victim(const void *set, unsigned ways,
                                             const vmsa_set_assoc_layout *l, bool *evicted)
{
    uint64_t oldest, lru;
    *evicted = false;
    if (!vmsa_set_assoc_way(set, 0, l, &oldest))
        return 0;
    unsigned victim = 0;
    for (unsigned w = 1; w < ways; w++) {
        if (!vmsa_set_assoc_way(set, w, l, &lru))
            return w;
        if (lru < oldest) {
            victim = w;
            oldest = lru;
        }
    }
    *evicted = true;
    return victim;
}

#ifdef __cplusplus
}
#endif

#endif
