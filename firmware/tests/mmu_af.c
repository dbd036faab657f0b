/* mmu_af: the Access flag (ARM ARM D8.5.1), managed by hardware and by software.
 *  - hardware (TCR_EL1.HA = 1, when ID_AA64MMFR1_EL1.HAFDBS >= 1): a load, a store and an
 *    instruction fetch through leaves with AF = 0 (pages, a 2 MiB and a 1 GiB block) take no
 *    abort and leave AF = 1 in the descriptor, every other bit unchanged; over 6 pages with
 *    AF = 0, exactly the 3 accessed ones have AF = 1 afterwards
 *  - software (TCR_EL1.HA = 0): the same accesses take an Access flag fault with the exact ESR
 *    (EC 0x25, DFSC 0x08 + level, WnR; EC 0x21, IFSC 0x0B for a fetch), FAR and ELR; the handler
 *    sets AF (atomic OR), TLBI VALE1, DSB ISH, ISB and returns, and the access completes; an
 *    Access flag fault takes priority over a Permission fault (a store to a read-only page with
 *    AF = 0 reports DFSC 0x0B)
 *  - when HAFDBS = 0, TCR_EL1.HA = 1 is RES0: the load still faults
 * Not tested (the architecture leaves them open): whether AT or a faulting access sets AF. */
#include "mmutest.h"

#define PAGE MMU_PAGE_SIZE
#define NPAGES 10
#define WIN_X    0x0000008040604000ull        /* alias of the probe code page */
#define WIN_2M   0x0000008040800000ull        /* a 2 MiB block (level 2) */
#define WIN_1G   0x0000008080000000ull        /* a 1 GiB block (level 1) */
#define BLK_PA   (FW_RAM_BASE + (64ull << 20)) /* RAM the image does not use */
#define BLK_OFF  0x1a2b0ull

static uint8_t pages[NPAGES][PAGE] __attribute__((aligned(PAGE)));
#define P(i) ((uint64_t)(uintptr_t)pages[i])

static const uint64_t rw = MMU_NORMAL | MMU_RW; /* AF added or not by the test */

/* Make the leaf that maps va have AF = 0 (or 1), then TLBI. Returns the new descriptor. */
static uint64_t set_af(uint64_t va, int af)
{
    uint64_t *d = mmu_leaf_desc(va, NULL);
    if (af)
        desc_set_bits(d, DESC_AF);
    else
        desc_clear_bits(d, DESC_AF);
    mmu_tlbi_page(va);
    return desc_read(d);
}

static uint64_t leaf(uint64_t va)
{
    uint64_t *d = mmu_leaf_desc(va, NULL);
    return d ? desc_read(d) : 0;
}

static void map_windows(uint64_t af)
{
    mmu_map(WIN_X, (uint64_t)(uintptr_t)mt_probe_page, PAGE, rw | MMU_RO | af, MMU_MAP_PAGES);
    mmu_map(WIN_2M, BLK_PA, MMU_BLOCK_2M, rw | af, MMU_MAP_BLOCKS);
    mmu_map(WIN_1G, FW_RAM_BASE, MMU_BLOCK_1G, rw | af, MMU_MAP_BLOCKS);
    mmu_tlbi_all();
}

static void test_hardware(void)
{
    t_section("hardware Access flag");
    if (mmu_hafdbs() < HAFDBS_AF) {
        printf("  skipped: no hardware Access flag on this CPU\n");
        return;
    }
    mt_set_hw(TCR_HA);
    uint64_t pc, v, before;
    mt_expect(MT_SKIP); /* an abort would be counted, and the access skipped */

    before = set_af(P(0), 0);
    CHECK_EQ_MSG("page 0 AF = 0", before & DESC_AF, 0);
    v = mt_ld64(P(0) + 0x40, &pc);
    CHECK_EQ_MSG("load from page 0: value", v, 0x40);
    CHECK_EQ_MSG("load from page 0: no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("load from page 0: descriptor = old | AF", leaf(P(0)), before | DESC_AF);

    before = set_af(P(1), 0);
    mt_st64(P(1) + 0x18, 0x5151, &pc);
    CHECK_EQ_MSG("store to page 1: no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("store to page 1: descriptor = old | AF", leaf(P(1)), before | DESC_AF);
    CHECK_EQ_MSG("store to page 1: memory", ((volatile uint64_t *)pages[1])[3], 0x5151);

    before = set_af(WIN_2M, 0);
    v = mt_ld64(WIN_2M + BLK_OFF, &pc);
    CHECK_EQ_MSG("load through a 2 MiB block with AF = 0: value", v, 0x2a2a2a2a);
    CHECK_EQ_MSG("  no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("  level 2 descriptor = old | AF", leaf(WIN_2M), before | DESC_AF);

    before = set_af(WIN_1G, 0);
    v = mt_ld64(WIN_1G + (BLK_PA - FW_RAM_BASE) + BLK_OFF, &pc);
    CHECK_EQ_MSG("load through a 1 GiB block with AF = 0: value", v, 0x2a2a2a2a);
    CHECK_EQ_MSG("  no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("  level 1 descriptor = old | AF", leaf(WIN_1G), before | DESC_AF);

    before = set_af(WIN_X, 0);
    mt_expect(MT_RETURN);
    v = mt_call(WIN_X, 7);
    CHECK_EQ_MSG("fetch from a page with AF = 0: runs", v, MT_PROBE_RESULT(7));
    CHECK_EQ_MSG("  no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(WIN_X), before | DESC_AF);

    /* pages 2..7: AF = 0, access 2 (load), 5 (store), 7 (byte load) */
    mt_expect(MT_SKIP);
    for (int i = 2; i < 8; i++)
        set_af(P(i), 0);
    CHECK_EQ_MSG("6 pages with AF = 1 before", mmu_count_leaves(P(2), 6 * PAGE, DESC_AF, DESC_AF), 0);
    mt_ld64(P(2) + 0xff8, &pc);
    mt_st64(P(5) + 0x800, 5, &pc);
    mt_ld8(P(7) + 0x3, &pc);
    CHECK_EQ_MSG("after accessing 3 of them: pages with AF = 1",
                 mmu_count_leaves(P(2), 6 * PAGE, DESC_AF, DESC_AF), 3);
    unsigned mask = 0;
    for (int i = 2; i < 8; i++)
        mask |= (leaf(P(i)) & DESC_AF) ? 1u << i : 0;
    CHECK_EQ_MSG("  which (bit mask)", mask, (1u << 2) | (1u << 5) | (1u << 7));
    CHECK_EQ_MSG("  no abort", mt_seen.count, 0);
}

/* long: one test sequence; each step depends on the descriptors and TLB the previous one left. */
static void test_software(uint64_t hw)
{
    t_section("software Access flag (Access flag faults)");
    mt_set_hw(hw);
    uint64_t pc, v, before;

    before = set_af(P(0), 0);
    mt_expect(MT_FIX_AF);
    v = mt_ld64(P(0) + 0x48, &pc);
    mt_check_abort("load, page AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(3), 0), P(0) + 0x48, pc);
    CHECK_EQ_MSG("  the load completed after the handler", v, 0x48);
    CHECK_EQ_MSG("  handler saw the descriptor with AF = 0", mt_seen.desc_before, before);
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(P(0)), before | DESC_AF);

    before = set_af(P(1), 0);
    mt_expect(MT_FIX_AF);
    mt_st8(P(1) + 0x777, 0x77, &pc);
    mt_check_abort("store, page AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(3), 1), P(1) + 0x777, pc);
    CHECK_EQ_MSG("  the store completed", pages[1][0x777], 0x77);
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(P(1)), before | DESC_AF);

    before = set_af(WIN_2M, 0);
    mt_expect(MT_FIX_AF);
    v = mt_ld64(WIN_2M + BLK_OFF, &pc);
    mt_check_abort("load, 2 MiB block AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(2), 0), WIN_2M + BLK_OFF, pc);
    CHECK_EQ_MSG("  value", v, 0x2a2a2a2a);
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(WIN_2M), before | DESC_AF);

    before = set_af(WIN_1G, 0);
    mt_expect(MT_FIX_AF);
    uint64_t va1g = WIN_1G + (BLK_PA - FW_RAM_BASE) + BLK_OFF + 8;
    mt_st64(va1g, 0x1616, &pc);
    mt_check_abort("store, 1 GiB block AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(1), 1), va1g, pc);
    CHECK_EQ_MSG("  memory", *(volatile uint64_t *)(BLK_PA + BLK_OFF + 8), 0x1616);
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(WIN_1G), before | DESC_AF);

    before = set_af(WIN_X, 0);
    mt_expect(MT_FIX_AF);
    v = mt_call(WIN_X, 9);
    CHECK_EQ_MSG("fetch, page AF = 0: one abort", mt_seen.count, 1);
    CHECK_EQ_MSG("  ESR (EC 0x21, IFSC 0x0B)", mt_seen.esr, ESR_IABT_EL1(FSC_ACCESS_FLAG(3)));
    CHECK_EQ_MSG("  FAR", mt_seen.far, WIN_X);
    CHECK_EQ_MSG("  ELR", mt_seen.elr, WIN_X);
    CHECK_EQ_MSG("  the call completed after the handler", v, MT_PROBE_RESULT(9));
    CHECK_EQ_MSG("  descriptor = old | AF", leaf(WIN_X), before | DESC_AF);

    /* Access flag fault before Permission fault: a store to a read-only page with AF = 0. */
    uint64_t *d = mmu_leaf_desc(P(8), NULL);
    desc_write(d, P(8) | rw | MMU_RO | DESC_TYPE_PAGE);
    mmu_tlbi_page(P(8));
    mt_expect(MT_SKIP);
    mt_st64(P(8) + 0x10, 1, &pc);
    mt_check_abort("store, read-only page AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(3), 1), P(8) + 0x10, pc);
    desc_write(d, P(8) | rw | DESC_AF | DESC_TYPE_PAGE);
    mmu_tlbi_page(P(8));

    /* pages 2..7 again: 3 (load) and 4 (store) */
    for (int i = 2; i < 8; i++)
        set_af(P(i), 0);
    mt_expect(MT_FIX_AF);
    mt_ld64(P(3), &pc);
    mt_st64(P(4) + 0x8, 4, &pc);
    mt_ld64(P(4) + 0x8, &pc); /* AF now set: no second abort */
    CHECK_EQ_MSG("two pages of six accessed: two aborts", mt_seen.count, 2);
    CHECK_EQ_MSG("  pages with AF = 1", mmu_count_leaves(P(2), 6 * PAGE, DESC_AF, DESC_AF), 2);
    mt_expect(MT_NONE);
}

static void test_ha_without_feature(void)
{
    t_section("TCR_EL1.HA = 1 without hardware Access flag (RES0)");
    mt_set_hw(TCR_HA);
    uint64_t pc, v;
    set_af(P(9), 0);
    mt_expect(MT_FIX_AF);
    v = mt_ld64(P(9) + 0x100, &pc);
    mt_check_abort("load, page AF = 0", ESR_DABT_EL1(FSC_ACCESS_FLAG(3), 0), P(9) + 0x100, pc);
    CHECK_EQ_MSG("  value", v, 0x100);
    mt_expect(MT_NONE);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mt_begin("mmu_af");
    for (int i = 0; i < NPAGES; i++)
        for (int j = 0; j < (int)(PAGE / 8); j++)
            ((uint64_t *)pages[i])[j] = (uint64_t)j * 8;
    for (int j = 0; j < 8; j++)
        ((uint64_t *)(BLK_PA + BLK_OFF))[j] = 0x2a2a2a2a;
    uint64_t hw = mmu_hw_supported() & TCR_HA;
    mt_enable(hw);
    map_windows(DESC_AF);
    test_hardware();
    test_software(0);
    if (mmu_hafdbs() == HAFDBS_NONE)
        test_ha_without_feature();
    mmu_disable();
    return t_end();
}
