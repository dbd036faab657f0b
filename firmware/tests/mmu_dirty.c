/* mmu_dirty: dirty state with DBM (ARM ARM D8.5.2), managed by hardware and by software.
 * A leaf with DBM = 1 and AP[2] = 1 is writable-clean, with DBM = 1 and AP[2] = 0 writable-dirty.
 *  - hardware (TCR_EL1.HA = HD = 1, when ID_AA64MMFR1_EL1.HAFDBS = 2): a load leaves a
 *    writable-clean page clean; a store (STR, STRB, STP, an atomic RMW, DC ZVA) clears AP[2] in
 *    the descriptor with no abort, every other bit unchanged; with AF = 0 too, one update sets AF
 *    and clears AP[2]; a read-only page (DBM = 0) still takes a Permission fault; a 2 MiB block is
 *    made dirty at level 2; DC CVAC / DC CIVAC do not make a page dirty
 *  - software (TCR_EL1.HD = 0): a store to a writable-clean page takes a Permission fault,
 *    ESR 0x9600004F (EC 0x25, IL, WnR, DFSC 0x0F) or 0x9600004E for a level 2 block, FAR = the
 *    address, ELR = the store; the handler makes it writable-dirty (atomic RMW clearing AP[2],
 *    TLBI VALE1, DSB ISH, ISB) and the store completes; DC ZVA faults the same way (WnR = 1,
 *    CM = 0)
 *  - re-clean: software sets AP[2] again on a dirty page (atomically).
 *      (a) without a TLBI, a further store goes through and the descriptor stays clean: the TLB
 *          still holds the writable-dirty entry. [impl] The architecture allows a TLB to keep the
 *          entry (and does not require it); QEMU 7.2 and httusim keep it (issue 3 requires it).
 *      (b) after TLBI VALE1, the next store makes the page dirty again (hardware) or faults again
 *          (software)
 *  - counting dirty pages the pvmfw way (walk the tables, count leaves with DBM = 1 and
 *    AP[2] = 0) over 16 writable-clean pages after writing a chosen subset, re-cleaning all, and
 *    writing another subset
 *  - TCR_EL1.HD = 1 where it has no effect (HA = 0, or HAFDBS < 2): stores still fault. */
#include "mmutest.h"

#define PAGE MMU_PAGE_SIZE
#define NPAGES 8
#define NCOUNT 16
#define WIN_2M   0x0000008040800000ull         /* a 2 MiB block (level 2) */
#define BLK_PA   (FW_RAM_BASE + (64ull << 20)) /* RAM the image does not use */

static uint8_t pages[NPAGES][PAGE] __attribute__((aligned(PAGE)));
static uint8_t counted[NCOUNT][PAGE] __attribute__((aligned(PAGE)));
#define P(i) ((uint64_t)(uintptr_t)pages[i])
#define C(i) ((uint64_t)(uintptr_t)counted[i])

static const uint64_t rw = MMU_NORMAL | DESC_AF | MMU_RW;

static uint64_t leaf(uint64_t va)
{
    uint64_t *d = mmu_leaf_desc(va, NULL);
    return d ? desc_read(d) : 0;
}

/* Make the leaf of va writable-clean (keeping OA, type, AF as given) and TLBI. */
static uint64_t make_clean(uint64_t va, uint64_t af)
{
    uint64_t *d = mmu_leaf_desc(va, NULL);
    uint64_t v = (desc_read(d) & ~(DESC_AF | DESC_AP2)) | MMU_WRITABLE_CLEAN | af;
    desc_write(d, v);
    mmu_tlbi_page(va);
    return v;
}

/* hw: the stores make pages dirty by themselves; otherwise each first store to a clean page
 * takes one Permission fault that the handler resolves. */
static void expect_store(bool hw, const char *what, uint64_t far, uint64_t pc)
{
    if (hw)
        mt_check_no_abort(what);
    else
        mt_check_abort(what, ESR_DABT_EL1(FSC_PERMISSION(3), 1), far, pc);
}

/* Known contents: word j of each page holds j * 8. */
static void fill_pages(void)
{
    mt_expect(MT_FIX_DIRTY); /* some pages may be writable-clean */
    for (int i = 0; i < NPAGES; i++)
        for (int j = 0; j < (int)(PAGE / 8); j++)
            ((volatile uint64_t *)pages[i])[j] = (uint64_t)j * 8;
    mt_expect(MT_NONE);
}

static void test_basic(bool hw)
{
    uint64_t pc, v, before;
    fill_pages();
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);

    before = make_clean(P(0), DESC_AF);
    CHECK_MSG(desc_is_writable_clean(before), "page 0 writable-clean");
    v = mt_ld64(P(0) + 0x238, &pc);
    CHECK_EQ_MSG("load: value", v, 0x238);
    mt_check_no_abort("load");
    CHECK_EQ_MSG("load: descriptor unchanged (clean)", leaf(P(0)), before);
    mt_st64(P(0) + 0x238, 0xd1d1, &pc);
    expect_store(hw, "store", P(0) + 0x238, pc);
    CHECK_EQ_MSG("store: memory", ((volatile uint64_t *)pages[0])[0x238 / 8], 0xd1d1);
    CHECK_EQ_MSG("store: descriptor = old without AP[2] (dirty)", leaf(P(0)), before & ~DESC_AP2);
    if (!hw)
        CHECK_EQ_MSG("store: handler saw the clean descriptor", mt_seen.desc_before, before);

    /* read-only: DBM = 0, AP[2] = 1 */
    uint64_t *d = mmu_leaf_desc(P(1), NULL);
    before = P(1) | rw | MMU_RO | DESC_TYPE_PAGE;
    desc_write(d, before);
    mmu_tlbi_page(P(1));
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY); /* no DBM: the handler skips the store */
    mt_st64(P(1) + 0x10, 0xbad, &pc);
    mt_check_abort("store to a read-only page (DBM = 0)", ESR_DABT_EL1(FSC_PERMISSION(3), 1), P(1) + 0x10, pc);
    CHECK_EQ_MSG("  memory unchanged", ((volatile uint64_t *)pages[1])[2], 0x10);
    CHECK_EQ_MSG("  descriptor unchanged", leaf(P(1)), before);
    desc_write(d, P(1) | rw | DESC_TYPE_PAGE);
    mmu_tlbi_page(P(1));

    if (hw) { /* AF = 0 and writable-clean: one update sets AF and clears AP[2] */
        mt_expect(MT_SKIP);
        before = make_clean(P(2), 0);
        mt_st8(P(2) + 0x5, 0x55, &pc);
        mt_check_no_abort("store to a writable-clean page with AF = 0");
        CHECK_EQ_MSG("  descriptor = old | AF without AP[2]", leaf(P(2)), (before | DESC_AF) & ~DESC_AP2);
        CHECK_EQ_MSG("  memory", pages[2][5], 0x55);
    }
}

static void test_reclean(bool hw)
{
    uint64_t pc, pc2, d_mid, d_after, before;
    uint64_t *d = mmu_leaf_desc(P(3), NULL);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    before = make_clean(P(3), DESC_AF);
    mt_st64(P(3) + 0x100, 1, &pc);
    expect_store(hw, "first store", P(3) + 0x100, pc);
    CHECK_MSG(desc_is_dirty(leaf(P(3))), "  page dirty");

    /* (a) re-clean without TLBI: no output between the stores, so that nothing but the
     * accesses themselves touches the TLB */
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    mt_st64(P(3) + 0x100, 2, &pc);          /* dirty, TLB holds the writable-dirty entry */
    desc_set_bits(d, DESC_AP2);             /* re-clean (atomic), no TLBI */
    isb();
    d_mid = desc_read(d);
    mt_st64(P(3) + 0x108, 3, &pc2);
    d_after = desc_read(d);
    CHECK_EQ_MSG("(a) re-cleaned descriptor", d_mid, before);
    CHECK_EQ_MSG("(a) [impl] store after re-clean without TLBI: no abort", mt_seen.count, 0);
    CHECK_EQ_MSG("(a) [impl]   the store went through", ((volatile uint64_t *)pages[3])[0x108 / 8], 3);
    CHECK_EQ_MSG("(a) [impl]   the descriptor stays clean", d_after, before);

    /* (b) re-clean with TLBI */
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    mmu_tlbi_page(P(3));
    mt_st64(P(3) + 0x110, 4, &pc);
    expect_store(hw, "(b) store after re-clean and TLBI VALE1", P(3) + 0x110, pc);
    CHECK_EQ_MSG("(b)   the store went through", ((volatile uint64_t *)pages[3])[0x110 / 8], 4);
    CHECK_EQ_MSG("(b)   the descriptor is dirty again", leaf(P(3)), before & ~DESC_AP2);
}

/* long: one test sequence, one kind of write (DC ZVA, atomics...) after another, same pages. */
static void test_other_writes(bool hw)
{
    uint64_t pc, before;
    /* DC ZVA */
    uint64_t dczid = read_sysreg(DCZID_EL0);
    if (dczid & DCZID_DZP) {
        printf("  DC ZVA prohibited (DCZID_EL0.DZP = 1): not tested\n");
    } else {
        uint64_t bs = 4ull << DCZID_BS(dczid);
        memset(pages[4], 0xee, PAGE);
        before = make_clean(P(4), DESC_AF);
        mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
        mt_dc_zva(P(4), &pc);
        expect_store(hw, "DC ZVA to a writable-clean page", P(4), pc);
        CHECK_EQ_MSG("  descriptor dirty", leaf(P(4)), before & ~DESC_AP2);
        unsigned nonzero = 0;
        for (uint64_t i = 0; i < bs; i++)
            nonzero += pages[4][i] != 0;
        CHECK_EQ_MSG("  the block is zero", nonzero, 0);
        CHECK_EQ_MSG("  the byte after the block is not", bs < PAGE ? pages[4][bs] : 0xee, 0xee);
    }

    /* DC CVAC, DC CIVAC: not writes, the page stays clean */
    before = make_clean(P(5), DESC_AF);
    mt_expect(MT_SKIP);
    __asm__ __volatile__("dc cvac, %0\n\tdc civac, %0\n\tdsb ish" :: "r"(P(5) + 0x40) : "memory");
    mt_check_no_abort("DC CVAC, DC CIVAC to a writable-clean page");
    CHECK_EQ_MSG("  descriptor still clean", leaf(P(5)), before);

    /* atomic read-modify-write (LDADD with LSE, else LDAXR/STLXR) */
    before = make_clean(P(6), DESC_AF);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    uint64_t old = __atomic_fetch_add((uint64_t *)(P(6) + 0x80), 0x100, __ATOMIC_SEQ_CST);
    CHECK_EQ_MSG("atomic add on a writable-clean page: old value", old, 0x80);
    CHECK_EQ_MSG("  new value", ((volatile uint64_t *)pages[6])[0x10], 0x180);
    CHECK_EQ_MSG(hw ? "  aborts" : "  aborts (one Permission fault)", mt_seen.count, hw ? 0 : 1);
    if (!hw)
        CHECK_EQ_MSG("  ESR", mt_seen.esr, ESR_DABT_EL1(FSC_PERMISSION(3), 1));
    CHECK_EQ_MSG("  descriptor dirty", leaf(P(6)), before & ~DESC_AP2);

    /* STP: a pair store */
    before = make_clean(P(7), DESC_AF);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    __asm__ __volatile__("stp %0, %1, [%2]" :: "r"(0x1111ull), "r"(0x2222ull), "r"(P(7) + 0x30) : "memory");
    CHECK_EQ_MSG("STP to a writable-clean page: memory", ((volatile uint64_t *)pages[7])[7], 0x2222);
    CHECK_EQ_MSG(hw ? "  aborts" : "  aborts (one Permission fault)", mt_seen.count, hw ? 0 : 1);
    if (!hw)
        CHECK_EQ_MSG("  FAR", mt_seen.far, P(7) + 0x30);
    CHECK_EQ_MSG("  descriptor dirty", leaf(P(7)), before & ~DESC_AP2);

    /* a 2 MiB block */
    before = make_clean(WIN_2M, DESC_AF);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    mt_st64(WIN_2M + 0x10008, 0xb1, &pc);
    if (hw)
        mt_check_no_abort("store to a writable-clean 2 MiB block");
    else
        mt_check_abort("store to a writable-clean 2 MiB block", ESR_DABT_EL1(FSC_PERMISSION(2), 1),
                    WIN_2M + 0x10008, pc);
    CHECK_EQ_MSG("  memory", *(volatile uint64_t *)(BLK_PA + 0x10008), 0xb1);
    CHECK_EQ_MSG("  level 2 descriptor dirty", leaf(WIN_2M), before & ~DESC_AP2);
}

static unsigned dirty_mask(void)
{
    unsigned m = 0;
    for (int i = 0; i < NCOUNT; i++)
        m |= desc_is_dirty(leaf(C(i))) ? 1u << i : 0;
    return m;
}

static void test_count(bool hw)
{
    /* all 16 pages writable-clean */
    mmu_map(C(0), C(0), NCOUNT * PAGE, rw | MMU_WRITABLE_CLEAN, MMU_MAP_PAGES);
    mmu_tlbi_all();
    CHECK_EQ_MSG("16 writable-clean pages: dirty", mmu_count_dirty(C(0), NCOUNT * PAGE), 0);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    /* write pages 0, 3, 4, 9, 15 (two writes to page 4); read pages 1 and 2. Volatile accesses:
     * the compiler must not move them past the reads of mt_seen. */
    ((volatile uint8_t *)counted[0])[0] = 1;
    ((volatile uint64_t *)counted[3])[100] = 3;
    ((volatile uint32_t *)counted[4])[7] = 4;
    ((volatile uint32_t *)counted[4])[8] = 4;
    __atomic_fetch_or((uint64_t *)counted[9], 9, __ATOMIC_SEQ_CST);
    ((volatile uint16_t *)counted[15])[2047] = 15;
    uint64_t sum = ((volatile uint64_t *)counted[1])[5] + ((volatile uint64_t *)counted[2])[6];
    CHECK_EQ_MSG("reads of pages 1, 2", sum, 0);
    CHECK_EQ_MSG(hw ? "aborts" : "aborts (one per page written)", mt_seen.count, hw ? 0 : 5);
    CHECK_EQ_MSG("dirty pages counted", mmu_count_dirty(C(0), NCOUNT * PAGE), 5);
    CHECK_EQ_MSG("  which (bit mask)", dirty_mask(), 0x8219);

    /* re-clean them all, one TLBI for all */
    for (int i = 0; i < NCOUNT; i++)
        desc_set_bits(mmu_leaf_desc(C(i), NULL), DESC_AP2);
    mmu_tlbi_all();
    CHECK_EQ_MSG("after re-cleaning: dirty", mmu_count_dirty(C(0), NCOUNT * PAGE), 0);
    mt_expect(hw ? MT_SKIP : MT_FIX_DIRTY);
    ((volatile uint8_t *)counted[2])[4095] = 2;
    ((volatile uint8_t *)counted[7])[2048] = 7;
    ((volatile uint8_t *)counted[7])[2049] = 7;
    CHECK_EQ_MSG(hw ? "aborts" : "aborts (one per page written)", mt_seen.count, hw ? 0 : 2);
    CHECK_EQ_MSG("dirty pages counted", mmu_count_dirty(C(0), NCOUNT * PAGE), 2);
    CHECK_EQ_MSG("  which (bit mask)", dirty_mask(), 0x84);
    CHECK_EQ_MSG("  data", counted[0][0] + counted[2][4095] + counted[7][2049], 10);
}

static void test_hd_without_effect(uint64_t hw, const char *why)
{
    char title[96];
    snprintf(title, sizeof title, "TCR_EL1.HD = 1 without effect (%s)", why);
    t_section(title);
    mt_set_hw(hw);
    uint64_t pc, before = make_clean(P(0), DESC_AF);
    mt_expect(MT_FIX_DIRTY);
    mt_st64(P(0) + 0x20, 0x20, &pc);
    mt_check_abort("store to a writable-clean page", ESR_DABT_EL1(FSC_PERMISSION(3), 1), P(0) + 0x20, pc);
    CHECK_EQ_MSG("  descriptor dirty (by the handler)", leaf(P(0)), before & ~DESC_AP2);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mt_begin("mmu_dirty");
    uint64_t hw = mmu_hw_supported();
    mt_enable(hw);
    mmu_map(WIN_2M, BLK_PA, MMU_BLOCK_2M, rw, MMU_MAP_BLOCKS);
    isb();

    if (mmu_hafdbs() >= HAFDBS_AF_DIRTY) {
        t_section("hardware dirty state");
        mt_set_hw(TCR_HA | TCR_HD);
        test_basic(true);
        t_section("hardware dirty state: re-clean");
        test_reclean(true);
        t_section("hardware dirty state: other writes");
        test_other_writes(true);
        t_section("hardware dirty state: counting dirty pages");
        test_count(true);
    } else {
        t_section("hardware dirty state");
        printf("  skipped: no hardware dirty state on this CPU\n");
    }

    t_section("software dirty state (Permission faults)");
    mt_set_hw(hw & TCR_HA);
    test_basic(false);
    t_section("software dirty state: re-clean");
    test_reclean(false);
    t_section("software dirty state: other writes");
    test_other_writes(false);
    t_section("software dirty state: counting dirty pages");
    test_count(false);

    if (mmu_hafdbs() >= HAFDBS_AF_DIRTY)
        test_hd_without_effect(TCR_HD, "HA = 0");
    else
        test_hd_without_effect((hw & TCR_HA) | TCR_HD, "HAFDBS < 2");
    mt_expect(MT_NONE);
    mmu_disable();
    return t_end();
}
