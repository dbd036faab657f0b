/* --selftest: the page-table manager's block split under a live mapping, which the boot flow
 * itself never needs (its lazy device blocks are invalid entries). Uses a window at VA
 * 0xc000_0000, outside the identity map, over the first 2 MiB of RAM, and checks through the
 * translations themselves (loads, stores, AT S1E1R/W): no fault is taken, no RESULT counter
 * changes. */
#include "pt.h"

extern char __text_start[];

#define ST_VA   0xc0000000ull      /* the window: 3 GiB, below 2^32 for any --va-bits */
#define ST_PA   PV_RAM_BASE        /* dt region, an unused hole, the image */
#define ST_HOLE 0x40000ull         /* PA 0x4004_0000..0x4007_ffff: not used by anything */
#define PAR_F   1ull
#define PAR_FST(p) (((p) >> 1) & 0x3fu)
#define PAR_PA(p)  ((p) & PT_OA_MASK)
#define FST_IS_TRANSLATION(f) ((f) >= 0x04u && (f) <= 0x07u)
#define FST_IS_PERMISSION(f)  ((f) >= 0x0cu && (f) <= 0x0fu)

static uint64_t at_s1e1r(uint64_t va)
{
    __asm__ __volatile__("at s1e1r, %0" ::"r"(va) : "memory");
    isb();
    return read_sysreg(PAR_EL1);
}

static uint64_t at_s1e1w(uint64_t va)
{
    __asm__ __volatile__("at s1e1w, %0" ::"r"(va) : "memory");
    isb();
    return read_sysreg(PAR_EL1);
}

static unsigned fails;

static void st(bool ok, const char *what)
{
    if (!ok) {
        printf("pvmfw: selftest: FAIL %s\n", what);
        fails++;
    }
}

bool pv_selftest(void)
{
    const uint64_t ro = ST_VA + ST_HOLE + PV_PAGE_SIZE; /* the page made read-only */
    volatile uint64_t *rw = (volatile uint64_t *)(uintptr_t)(ST_VA + ST_HOLE);
    volatile uint64_t *rop = (volatile uint64_t *)(uintptr_t)ro;
    unsigned level = 0;
    uint64_t *e;

    st(pt_map(ST_VA, ST_PA, PT_BLOCK_2M, PT_ATTR_RW, PT_MAP_BLOCKS), "map a 2 MiB window");
    e = pt_lookup(ST_VA + ST_HOLE, &level);
    st(e && level == 2 && (*e & PT_TYPE_MASK) == PT_TYPE_BLOCK, "the window is one level-2 block");
    st(*(volatile uint64_t *)(uintptr_t)(ST_VA + ((uintptr_t)__text_start - ST_PA)) ==
           *(volatile uint64_t *)(uintptr_t)__text_start, "the window reads the image");
    rw[0] = 0x5e1f7e5700000001ull;
    rop[0] = 0x5e1f7e5700000002ull;

    /* One page of the live block made read-only: split into a table, break-before-make. */
    uint64_t splits = pv_stats.splits;
    st(pt_map(ro, ST_PA + ST_HOLE + PV_PAGE_SIZE, PV_PAGE_SIZE, PT_ATTR_RODATA, 0),
       "remap one page read-only");
    st(pv_stats.splits == splits + 1, "the block was split");
    e = pt_lookup(ST_VA + ST_HOLE, &level);
    st(e && level == 3 && (*e & PT_OA_MASK) == ST_PA + ST_HOLE &&
           (*e & ~(PT_OA_MASK | PT_TYPE_MASK)) == PT_ATTR_RW,
       "a neighbour page keeps the block's output address and attributes");
    st(rw[0] == 0x5e1f7e5700000001ull, "data kept across the split");
    rw[1] = 0x5e1f7e5700000003ull; /* still writable: no fault */
    st(rw[1] == 0x5e1f7e5700000003ull, "the neighbour is writable");
    st(rop[0] == 0x5e1f7e5700000002ull, "the read-only page reads the same memory");
    uint64_t par = at_s1e1r(ro);
    st(!(par & PAR_F) && PAR_PA(par) == ST_PA + ST_HOLE + PV_PAGE_SIZE, "AT S1E1R of the page");
    par = at_s1e1w(ro);
    st((par & PAR_F) && FST_IS_PERMISSION(PAR_FST(par)), "AT S1E1W: Permission fault");
    par = at_s1e1w(ST_VA + ST_HOLE);
    st(!(par & PAR_F), "AT S1E1W of the neighbour");

    /* Remove the window. */
    st(pt_unmap(ST_VA, PT_BLOCK_2M, 0), "unmap the window");
    par = at_s1e1r(ST_VA + ST_HOLE);
    st((par & PAR_F) && FST_IS_TRANSLATION(PAR_FST(par)), "AT S1E1R after unmap: Translation fault");

    printf("pvmfw: selftest: %s (live 2 MiB block split, break-before-make, AT checks)\n",
           fails ? "FAILED" : "passed");
    return fails == 0;
}
