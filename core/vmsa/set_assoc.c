/* Set-associative storage and LRU replacement (vmsa/set_assoc.h). */
#include "vmsa/set_assoc.h"

#include <stdlib.h>
#include <string.h>

void *vmsa_set_assoc_alloc(unsigned sets, unsigned ways, size_t entry_size)
{
    if (sets == 0 || ways == 0 || (sets & (sets - 1)) != 0)
        return NULL;
    return calloc((size_t)sets * ways, entry_size);
}

static const char *way_at(const void *set, unsigned w, const vmsa_set_assoc_layout *l)
{
    return (const char *)set + (size_t)w * l->size;
}

static bool way_valid(const void *set, unsigned w, const vmsa_set_assoc_layout *l)
{
    bool valid;
    memcpy(&valid, way_at(set, w, l) + l->valid_offset, sizeof(valid));
    return valid;
}

static uint64_t way_lru(const void *set, unsigned w, const vmsa_set_assoc_layout *l)
{
    uint64_t lru;
    memcpy(&lru, way_at(set, w, l) + l->lru_offset, sizeof(lru));
    return lru;
}

unsigned vmsa_set_assoc_victim(const void *set, unsigned ways, const vmsa_set_assoc_layout *l,
                               bool *evicted)
{
    *evicted = false;
    for (unsigned w = 0; w < ways; w++)
        if (!way_valid(set, w, l))
            return w;
    unsigned victim = 0;
    uint64_t oldest = way_lru(set, 0, l);
    for (unsigned w = 1; w < ways; w++) {
        uint64_t lru = way_lru(set, w, l);
        if (lru < oldest) {
            victim = w;
            oldest = lru;
        }
    }
    *evicted = true;
    return victim;
}
