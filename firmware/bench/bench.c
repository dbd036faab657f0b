/* bench.elf: the compute-and-memory workload of scripts/bench.sh (docs/bench.md).
 *
 * MMU on (firmware/lib/pagetable.h identity map), plus a window of BENCH_PAGES 4 KiB pages at a
 * VA of its own (BENCH_VA, an L0 entry of its own: its own level 1, 2 and 3 tables) mapped
 * writable-clean (DBM = 1, AP[2] = 1) with AF = 0, so that with TCR_EL1.HA/HD the hardware sets
 * AF on the first access to each page and clears AP[2] on the first store.
 *
 * Each iteration:
 *   1. visits every page of the window once in a scattered order (page = k * BENCH_STRIDE mod
 *      BENCH_PAGES, an odd stride: a permutation), so that the L1 and L2 TLBs (10 and 512
 *      entries by default) miss on nearly every page and the walker runs: per page two loads,
 *      BENCH_ROUNDS rounds of multiply-add mixing, and on one page in BENCH_WRITE_EVERY a store
 *      (a hardware dirty update when the page is clean);
 *   2. counts the dirty pages by reading the level 3 tables (as pvmfw does) and re-cleans them
 *      (sets AP[2] again, an atomic LDSET), then TLBI VMALLE1IS: the next iteration's stores
 *      make the pages dirty again.
 *
 * Without hardware dirty state (HAFDBS < 2) the window is mapped writable-dirty with AF = 1 and
 * nothing is re-cleaned; the work and the checksum are the same.
 *
 * Length: BENCH_ITERS iterations (a build option, default below), or `iters=N` on the command
 * line (semihosting: `httusim bench.elf -- iters=N`, QEMU `-semihosting-config arg=...`).
 * `reclean=0` leaves out step 2 (no re-clean, no TLBI): then a TLB that holds the whole window
 * stops walking after the first iteration, which scripts/bench.sh uses to measure the host cost
 * of a walk (a run with a large L2 TLB against one with a tiny L2 TLB).
 * Output (the same on httusim and QEMU -cpu max for the same iterations), exit status 0:
 *   bench: mode=hw              (sw without hardware dirty state)
 *   bench: iters=N pages=N accesses=N stores=N
 *   bench: checksum=0x...
 *   bench: dirty_seen=N         (hw only: dirty pages counted over all iterations) */
#include "fw.h"
#include "pagetable.h"

#ifndef BENCH_ITERS
#define BENCH_ITERS 40
#endif
#define BENCH_PAGES       8192u                      /* 32 MiB */
#define BENCH_STRIDE      2999u                      /* odd: k -> k * stride is a permutation */
#define BENCH_ROUNDS      8
#define BENCH_WRITE_EVERY 4u
#define BENCH_VA          0x0000008000000000ull      /* L0 index 1 */
#define BENCH_PA          (FW_RAM_BASE + (64ull << 20))
#define BENCH_BYTES       ((uint64_t)BENCH_PAGES * MMU_PAGE_SIZE)

/* The value of the argument `name=N`, or `dflt`. */
static unsigned arg_value(int argc, char **argv, const char *name, unsigned dflt)
{
    size_t len = strlen(name);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, name, len) != 0 || a[len] != '=')
            continue;
        unsigned v = 0;
        for (a += len + 1; *a >= '0' && *a <= '9'; a++)
            v = v * 10 + (unsigned)(*a - '0');
        return v;
    }
    return dflt;
}

/* One pass over the window: the checksum of what it read. */
static uint64_t visit(unsigned iter, uint64_t *stores)
{
    uint64_t sum = 0;
    unsigned page = 0;
    for (unsigned k = 0; k < BENCH_PAGES; k++) {
        page = (page + BENCH_STRIDE) & (BENCH_PAGES - 1);
        uint64_t va = BENCH_VA + (uint64_t)page * MMU_PAGE_SIZE + ((k + iter) & 63u) * 64u;
        volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)va;
        uint64_t v = p[0] ^ (p[1] + page);
        for (int r = 0; r < BENCH_ROUNDS; r++)
            v = v * 0x9e3779b97f4a7c15ull + (v >> 29) + (uint64_t)r;
        sum += v;
        if ((k + iter) % BENCH_WRITE_EVERY == 0) {
            p[0] = v;
            (*stores)++;
        }
    }
    return sum;
}

/* Count the dirty leaves of the window from the level 3 tables and make them clean again. */
static unsigned reclean(void)
{
    unsigned dirty = 0;
    for (uint64_t va = BENCH_VA; va < BENCH_VA + BENCH_BYTES; va += MMU_BLOCK_2M) {
        uint64_t *table = mmu_desc_addr(va, MMU_LEAF_LEVEL);
        for (unsigned i = 0; i < MMU_ENTRIES; i++) {
            if (desc_is_dirty(table[i])) {
                dirty++;
                __atomic_fetch_or(&table[i], DESC_AP2, __ATOMIC_RELAXED);
            }
        }
    }
    mmu_tlbi_all(); /* DSB ISHST; TLBI VMALLE1IS; DSB ISH; ISB */
    return dirty;
}

int main(int argc, char **argv)
{
    unsigned iters = arg_value(argc, argv, "iters", BENCH_ITERS);
    bool reclean_on = arg_value(argc, argv, "reclean", 1) != 0;
    if (iters == 0)
        iters = 1;
    uint64_t hw = mmu_hw_supported();
    bool hd = (hw & TCR_HD) != 0, ha = (hw & TCR_HA) != 0;

    mmu_init();
    uint64_t attrs = MMU_NORMAL | MMU_XN | (ha ? 0 : DESC_AF) |
                     (hd ? MMU_WRITABLE_CLEAN : MMU_WRITABLE_DIRTY);
    if (mmu_map(BENCH_VA, BENCH_PA, BENCH_BYTES, attrs, MMU_MAP_PAGES) != 0) {
        printf("bench: mmu_map failed (tables used %u of %u)\n", mmu_tables_used(),
               MMU_POOL_TABLES);
        return 1;
    }
    mmu_enable(hw);
    printf("bench: mode=%s\n", hd ? "hw" : "sw");

    uint64_t sum = 0, stores = 0, dirty_seen = 0;
    for (unsigned it = 0; it < iters; it++) {
        sum = sum * 31 + visit(it, &stores);
        if (hd && reclean_on)
            dirty_seen += reclean();
    }
    mmu_disable();
    printf("bench: iters=%u pages=%u accesses=%lu stores=%lu\n", iters, BENCH_PAGES,
           (unsigned long)((uint64_t)iters * BENCH_PAGES), (unsigned long)stores);
    printf("bench: checksum=0x%016lx\n", (unsigned long)sum);
    if (hd && reclean_on)
        printf("bench: dirty_seen=%lu\n", (unsigned long)dirty_seen);
    return 0;
}
