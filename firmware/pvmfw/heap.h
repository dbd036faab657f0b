/* pvmfw's memory: a page allocator over the main heap, and the bounce buffers shared with the
 * host, by the --share policy:
 *   pool    a shared heap that grows from the main heap by --pool-chunk bytes (one MEM_SHARE per
 *           4 KiB granule at each refill, the chunk zeroed first); buffers come from it and go
 *           back to it; MEM_UNSHARE of every granule at teardown;
 *   direct  every buffer gets whole pages of its own from the main heap, zeroed, shared granule
 *           by granule before use and unshared after. */
#ifndef PVMFW_HEAP_H
#define PVMFW_HEAP_H

#include "pvmfw.h"

void heap_init(uint64_t base, uint64_t size);
uint64_t heap_alloc_pages(uint64_t npages); /* page-aligned address; dies when exhausted */
void heap_free_pages(uint64_t addr, uint64_t npages);

void *bounce_alloc(uint64_t bytes);
void bounce_free(void *p, uint64_t bytes);
void bounce_teardown(void); /* pool: unshare and release every chunk */

#endif
