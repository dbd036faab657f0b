/* Set-associative storage and LRU replacement (vmsa/set_assoc.h). */
#include "vmsa/set_assoc.h"

#include <stdlib.h>

void *vmsa_set_assoc_alloc(unsigned sets, unsigned ways, size_t entry_size)
{
    if (sets == 0 || ways == 0 || (sets & (sets - 1)) != 0)
        return NULL;
    return calloc((size_t)sets * ways, entry_size);
}
