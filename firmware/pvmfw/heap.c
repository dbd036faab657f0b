/* Main heap pages and shared bounce buffers (heap.h). */
#include "heap.h"

#include "hyp.h"

#define HEAP_MAX_PAGES (64 * PV_MIB / PV_PAGE_SIZE)
#define POOL_MAX_CHUNKS 64
#define POOL_UNITS 64 /* allocation units per chunk: one bit each in a 64-bit mask */

static uint64_t heap_base, heap_pages;
static uint64_t heap_used[HEAP_MAX_PAGES / 64]; /* bit set: page allocated */

static bool page_used(uint64_t i) { return (heap_used[i / 64] >> (i % 64)) & 1; }
static void page_set(uint64_t i, bool used)
{
    if (used)
        heap_used[i / 64] |= 1ull << (i % 64);
    else
        heap_used[i / 64] &= ~(1ull << (i % 64));
}

void heap_init(uint64_t base, uint64_t size)
{
    heap_base = base;
    heap_pages = size / PV_PAGE_SIZE;
}

/* First fit. */
uint64_t heap_alloc_pages(uint64_t n)
{
    uint64_t run = 0;
    for (uint64_t i = 0; i < heap_pages; i++) {
        run = page_used(i) ? 0 : run + 1;
        if (run == n) {
            uint64_t first = i + 1 - n;
            for (uint64_t j = first; j <= i; j++)
                page_set(j, true);
            return heap_base + first * PV_PAGE_SIZE;
        }
    }
    pv_die(PV_EXIT_SETUP, "heap exhausted (%lu pages asked; --heap=%luK)", (unsigned long)n,
           (unsigned long)(heap_pages * PV_PAGE_SIZE / PV_KIB));
}

void heap_free_pages(uint64_t addr, uint64_t n)
{
    uint64_t first = (addr - heap_base) / PV_PAGE_SIZE;
    for (uint64_t j = first; j < first + n; j++)
        page_set(j, false);
}

static void zero_pages(uint64_t addr, uint64_t n)
{
    memset((void *)(uintptr_t)addr, 0, n * PV_PAGE_SIZE);
}

static void share_pages(uint64_t addr, uint64_t n)
{
    for (uint64_t g = 0; g < n; g++)
        hyp_mem_share(addr + g * PV_PAGE_SIZE);
}

static void unshare_pages(uint64_t addr, uint64_t n)
{
    for (uint64_t g = 0; g < n; g++)
        hyp_mem_unshare(addr + g * PV_PAGE_SIZE);
}

/* ---- the shared pool ------------------------------------------------------------------------ */
struct chunk {
    uint64_t base;
    uint64_t used; /* bit u: unit u allocated */
};
static struct chunk pool[POOL_MAX_CHUNKS];
static unsigned pool_nchunks;

static uint64_t unit_size(void) { return pv_opt.pool_chunk / POOL_UNITS; }

static uint64_t run_mask(unsigned units, unsigned first)
{
    return (units >= 64 ? ~0ull : ((1ull << units) - 1)) << first;
}

static void *pool_alloc(uint64_t bytes)
{
    uint64_t unit = unit_size();
    uint64_t units = (bytes + unit - 1) / unit;
    if (units > POOL_UNITS)
        pv_die(PV_EXIT_SETUP, "bounce buffer of %lu bytes larger than --pool-chunk",
               (unsigned long)bytes);
    for (;;) {
        for (unsigned c = 0; c < pool_nchunks; c++)
            for (unsigned u = 0; u + units <= POOL_UNITS; u++) {
                uint64_t m = run_mask((unsigned)units, u);
                if (!(pool[c].used & m)) {
                    pool[c].used |= m;
                    return (void *)(uintptr_t)(pool[c].base + u * unit);
                }
            }
        /* Refill: one more chunk from the main heap, zeroed, shared granule by granule. */
        if (pool_nchunks == POOL_MAX_CHUNKS)
            pv_die(PV_EXIT_SETUP, "shared pool: too many chunks");
        uint64_t pages = pv_opt.pool_chunk / PV_PAGE_SIZE;
        uint64_t base = heap_alloc_pages(pages);
        zero_pages(base, pages);
        share_pages(base, pages);
        pool[pool_nchunks].base = base;
        pool[pool_nchunks].used = 0;
        pool_nchunks++;
        pv_stats.pool_chunks++;
    }
}

static void pool_free(void *p, uint64_t bytes)
{
    uint64_t a = (uintptr_t)p, unit = unit_size();
    uint64_t units = (bytes + unit - 1) / unit;
    for (unsigned c = 0; c < pool_nchunks; c++)
        if (a - pool[c].base < pv_opt.pool_chunk) {
            pool[c].used &= ~run_mask((unsigned)units, (unsigned)((a - pool[c].base) / unit));
            return;
        }
    pv_die(PV_EXIT_SETUP, "bounce buffer 0x%lx not in the pool", (unsigned long)a);
}

/* ---- bounce buffers --------------------------------------------------------------------------- */
void *bounce_alloc(uint64_t bytes)
{
    if (pv_opt.share == PV_SHARE_POOL)
        return pool_alloc(bytes);
    uint64_t pages = (bytes + PV_PAGE_SIZE - 1) / PV_PAGE_SIZE;
    uint64_t base = heap_alloc_pages(pages);
    zero_pages(base, pages);
    share_pages(base, pages);
    return (void *)(uintptr_t)base;
}

void bounce_free(void *p, uint64_t bytes)
{
    if (pv_opt.share == PV_SHARE_POOL) {
        pool_free(p, bytes);
        return;
    }
    uint64_t pages = (bytes + PV_PAGE_SIZE - 1) / PV_PAGE_SIZE;
    unshare_pages((uintptr_t)p, pages);
    heap_free_pages((uintptr_t)p, pages);
}

void bounce_teardown(void)
{
    uint64_t pages = pv_opt.pool_chunk / PV_PAGE_SIZE;
    for (unsigned c = 0; c < pool_nchunks; c++) {
        if (pool[c].used)
            pv_die(PV_EXIT_SETUP, "shared pool: buffers still in use at teardown");
        unshare_pages(pool[c].base, pages);
        heap_free_pages(pool[c].base, pages);
    }
    pool_nchunks = 0;
}
