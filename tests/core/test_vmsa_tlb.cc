// Set-associative TLB (pages and blocks, ASID/global tags, LRU), TLBI decode and matching
// (ARM ARM C5.5, D8.13), and the walk cache with vmsa_walk_start_at.
#include "test_vmsa_harness.h"

using namespace vmsatest;

namespace {

constexpr uint64_t kOa = 0x0000000080000000ull;

vmsa_result leaf(uint64_t va, unsigned size_log2, uint16_t asid, bool global,
                 uint64_t pa = 0x80000000ull)
{
    vmsa_result r{};
    r.va_base = va & ~((1ull << size_log2) - 1);
    r.va = va;
    r.pa_base = pa & ~((1ull << size_log2) - 1);
    r.pa = r.pa_base | (va & ((1ull << size_log2) - 1));
    r.size_log2 = (uint8_t)size_log2;
    r.level = 3;
    r.asid = asid;
    r.global = global;
    r.attr = 0xff;
    r.perm_inputs = vmsa_perm_inputs(kPage, 0, false, false);
    r.perms = vmsa_perms_from_inputs(r.perm_inputs);
    return r;
}

vmsa_tlbi tlbi(uint32_t sysop, uint64_t xt, bool asid16 = true)
{
    vmsa_tlbi op{};
    EXPECT_TRUE(a64_tlbi_decode(sysop, xt, asid16, &op));
    return op;
}

uint64_t xt_va(uint64_t va, uint16_t asid) { return (uint64_t)asid << 48 | ((va >> 12) & ((1ull << 44) - 1)); }

class Tlb : public ::testing::Test {
protected:
    vmsa_tlb t{};
    void SetUp() override { ASSERT_TRUE(vmsa_tlb_init(&t, 16, 4)); }
    void TearDown() override { vmsa_tlb_destroy(&t); }
    bool hit(uint64_t va, uint16_t asid) { return vmsa_tlb_lookup(&t, va, asid) != nullptr; }
};

}  // namespace

TEST(TlbInit, RejectsBadGeometry)
{
    vmsa_tlb t;
    EXPECT_FALSE(vmsa_tlb_init(&t, 12, 4));  // sets not a power of two
    EXPECT_FALSE(vmsa_tlb_init(&t, 0, 4));
    EXPECT_FALSE(vmsa_tlb_init(&t, 16, 0));
    ASSERT_TRUE(vmsa_tlb_init(&t, 1, 8));  // fully associative
    EXPECT_EQ(t.sets, 1u);
    EXPECT_EQ(t.ways, 8u);
    vmsa_tlb_destroy(&t);
    EXPECT_EQ(t.entries, nullptr);
}

TEST_F(Tlb, PageLookupHitsAnyAddressInThePage)
{
    vmsa_result r = leaf(0x12345000, 12, 1, false);
    vmsa_tlb_insert(&t, &r);
    vmsa_tlb_entry *e = vmsa_tlb_lookup(&t, 0x12345abc, 1);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(vmsa_tlb_pa(e, 0x12345abc), 0x80000abcull);
    EXPECT_TRUE(hit(0x12345000, 1));
    EXPECT_TRUE(hit(0x12345fff, 1));
    EXPECT_FALSE(hit(0x12346000, 1));
    EXPECT_FALSE(hit(0x12344fff, 1));
    EXPECT_EQ(t.hits, 3u);
    EXPECT_EQ(t.misses, 2u);
    EXPECT_EQ(t.evictions, 0u);
}

TEST_F(Tlb, BlocksAndLargePagesOfEverySize)
{
    // Five of the seven share set 0 of a 16-set TLB: use 8 ways so none is evicted.
    vmsa_tlb_destroy(&t);
    ASSERT_TRUE(vmsa_tlb_init(&t, 16, 8));
    const unsigned sizes[] = {12, 14, 16, 21, 25, 29, 30};
    uint64_t base = 0x0000004000000000ull;
    for (unsigned i = 0; i < 7; i++) {
        uint64_t va = base + (uint64_t)i * (1ull << 31);
        vmsa_result r = leaf(va, sizes[i], 7, false, 0x100000000ull * (i + 1));
        vmsa_tlb_insert(&t, &r);
    }
    for (unsigned i = 0; i < 7; i++) {
        SCOPED_TRACE(testing::Message() << "size 2^" << sizes[i]);
        uint64_t va = base + (uint64_t)i * (1ull << 31);
        uint64_t last = va + (1ull << sizes[i]) - 1;
        vmsa_tlb_entry *e = vmsa_tlb_lookup(&t, last, 7);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->size_log2, sizes[i]);
        EXPECT_EQ(vmsa_tlb_pa(e, last), 0x100000000ull * (i + 1) + (1ull << sizes[i]) - 1);
        EXPECT_FALSE(hit(last + 1, 7));
    }
    EXPECT_EQ(t.evictions, 0u);
    EXPECT_EQ(t.size_mask, (1ull << 12) | (1ull << 14) | (1ull << 16) | (1ull << 21) |
                               (1ull << 25) | (1ull << 29) | (1ull << 30));
}

TEST_F(Tlb, BlockFoundForAnyVaInside)
{
    vmsa_result r = leaf(0x40000000, 30, 3, true);
    vmsa_tlb_insert(&t, &r);
    EXPECT_TRUE(hit(0x40000000, 3));
    EXPECT_TRUE(hit(0x5234567f, 9));
    EXPECT_TRUE(hit(0x7fffffff, 3));
    EXPECT_FALSE(hit(0x80000000, 3));
}

TEST_F(Tlb, AsidAndGlobalTags)
{
    vmsa_result a = leaf(0x1000, 12, 1, false, 0x1000000);
    vmsa_result b = leaf(0x1000, 12, 2, false, 0x2000000);
    vmsa_result g = leaf(0x5000, 12, 1, true, 0x3000000);
    vmsa_tlb_insert(&t, &a);
    vmsa_tlb_insert(&t, &b);
    vmsa_tlb_insert(&t, &g);
    EXPECT_EQ(vmsa_tlb_lookup(&t, 0x1000, 1)->pa_base, 0x1000000u);
    EXPECT_EQ(vmsa_tlb_lookup(&t, 0x1000, 2)->pa_base, 0x2000000u);
    EXPECT_FALSE(hit(0x1000, 3));
    EXPECT_TRUE(hit(0x5000, 1));
    EXPECT_TRUE(hit(0x5000, 0xffff));  // global: any ASID
}

TEST_F(Tlb, LruEvictionOrder)
{
    vmsa_tlb one;
    ASSERT_TRUE(vmsa_tlb_init(&one, 1, 4));
    uint64_t va[6];
    for (int i = 0; i < 6; i++) va[i] = 0x10000ull * (i + 1);
    for (int i = 0; i < 4; i++) {
        vmsa_result r = leaf(va[i], 12, 1, false);
        vmsa_tlb_insert(&one, &r);
    }
    EXPECT_EQ(one.evictions, 0u);
    ASSERT_NE(vmsa_tlb_lookup(&one, va[0], 1), nullptr);  // A is now the most recent
    vmsa_result e = leaf(va[4], 12, 1, false);
    vmsa_tlb_insert(&one, &e);  // evicts B, the least recently used
    EXPECT_EQ(one.evictions, 1u);
    EXPECT_EQ(vmsa_tlb_lookup(&one, va[1], 1), nullptr);
    vmsa_result f = leaf(va[5], 12, 1, false);
    vmsa_tlb_insert(&one, &f);  // then C
    EXPECT_EQ(one.evictions, 2u);
    EXPECT_EQ(vmsa_tlb_lookup(&one, va[2], 1), nullptr);
    EXPECT_NE(vmsa_tlb_lookup(&one, va[0], 1), nullptr);
    EXPECT_NE(vmsa_tlb_lookup(&one, va[3], 1), nullptr);
    EXPECT_NE(vmsa_tlb_lookup(&one, va[4], 1), nullptr);
    EXPECT_NE(vmsa_tlb_lookup(&one, va[5], 1), nullptr);
    vmsa_tlb_destroy(&one);
}

TEST_F(Tlb, ReinsertReplacesInPlaceAndEvictionKeepsSizeMask)
{
    vmsa_tlb one;
    ASSERT_TRUE(vmsa_tlb_init(&one, 1, 2));
    vmsa_result a = leaf(0x1000, 12, 1, false, 0x100000);
    vmsa_result a2 = leaf(0x1000, 12, 1, false, 0x200000);
    vmsa_tlb_insert(&one, &a);
    vmsa_tlb_entry *e = vmsa_tlb_insert(&one, &a2);
    EXPECT_EQ(one.evictions, 0u);
    EXPECT_EQ(vmsa_tlb_lookup(&one, 0x1000, 1), e);
    EXPECT_EQ(e->pa_base, 0x200000u);
    // A block evicted by pages leaves no stale size bit behind.
    vmsa_result blk = leaf(0x200000, 21, 1, false);
    vmsa_tlb_insert(&one, &blk);
    vmsa_result p1 = leaf(0x5000, 12, 1, false), p2 = leaf(0x6000, 12, 1, false);
    vmsa_tlb_lookup(&one, 0x200000, 1);
    vmsa_tlb_insert(&one, &p1);  // evicts the 0x1000 page
    vmsa_tlb_insert(&one, &p2);  // evicts the block
    EXPECT_EQ(one.size_mask, 1ull << 12);
    EXPECT_EQ(one.size_count[21], 0u);
    vmsa_tlb_destroy(&one);
}

// ---- TLBI operand decode (C5.5: Xt[63:48] ASID, Xt[43:0] VA[55:12]) ----

TEST(Tlbi, DecodeOperands)
{
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VAE1, xt_va(0x0000123456789000ull, 0x1234));
    EXPECT_EQ(op.op, VMSA_TLBI_VAE1);
    EXPECT_FALSE(op.inner_shareable);
    EXPECT_EQ(op.va, 0x0000123456789000ull);
    EXPECT_EQ(op.asid, 0x1234);
    // TTBR1 address: VA[55] = 1 is sign-extended.
    op = tlbi(A64_SYSOP_TLBI_VALE1IS, xt_va(0xffff800000042000ull, 5));
    EXPECT_EQ(op.op, VMSA_TLBI_VALE1);
    EXPECT_TRUE(op.inner_shareable);
    EXPECT_EQ(op.va, 0xffff800000042000ull);
    // 8-bit ASIDs: ASID[15:8] ignored.
    op = tlbi(A64_SYSOP_TLBI_ASIDE1, 0xab12ull << 48, false);
    EXPECT_EQ(op.op, VMSA_TLBI_ASIDE1);
    EXPECT_EQ(op.asid, 0x12);
    op = tlbi(A64_SYSOP_TLBI_VAAE1, xt_va(0x5000, 0x77));
    EXPECT_EQ(op.op, VMSA_TLBI_VAAE1);
    EXPECT_EQ(op.va, 0x5000u);
    EXPECT_EQ(op.asid, 0);  // ignored
    op = tlbi(A64_SYSOP_TLBI_VMALLE1IS, 0x123);
    EXPECT_EQ(op.op, VMSA_TLBI_VMALLE1);
    EXPECT_TRUE(op.inner_shareable);
    vmsa_tlbi bad;
    EXPECT_FALSE(a64_tlbi_decode(A64_SYSOP_DC_CIVAC, 0, true, &bad));
}

TEST(Tlbi, Names)
{
    const struct { uint32_t enc; const char *name; } cases[] = {
        {A64_SYSOP_TLBI_VMALLE1, "VMALLE1"},   {A64_SYSOP_TLBI_VMALLE1IS, "VMALLE1IS"},
        {A64_SYSOP_TLBI_ASIDE1, "ASIDE1"},     {A64_SYSOP_TLBI_ASIDE1IS, "ASIDE1IS"},
        {A64_SYSOP_TLBI_VAE1, "VAE1"},         {A64_SYSOP_TLBI_VAE1IS, "VAE1IS"},
        {A64_SYSOP_TLBI_VAAE1, "VAAE1"},       {A64_SYSOP_TLBI_VAAE1IS, "VAAE1IS"},
        {A64_SYSOP_TLBI_VALE1, "VALE1"},       {A64_SYSOP_TLBI_VALE1IS, "VALE1IS"},
        {A64_SYSOP_TLBI_VAALE1, "VAALE1"},     {A64_SYSOP_TLBI_VAALE1IS, "VAALE1IS"},
    };
    for (const auto &c : cases) {
        vmsa_tlbi op = tlbi(c.enc, 0);
        EXPECT_STREQ(vmsa_tlbi_name(&op), c.name);
    }
}

// ---- TLBI matching (D8.13) ----

class TlbiMatch : public Tlb {
protected:
    // Entries: ASID 1 and ASID 2 at VA 0x1000 (non-global), global at 0x1000 in another slot
    // (VA 0x1000 in a 2MB block), ASID 1 at 0x3000, global at 0x9000.
    void SetUp() override
    {
        Tlb::SetUp();
        vmsa_result rs[] = {leaf(0x1000, 12, 1, false), leaf(0x1000, 12, 2, false),
                            leaf(0x3000, 12, 1, false), leaf(0x9000, 12, 1, true),
                            leaf(0x40000000, 21, 3, true)};
        for (auto &r : rs) vmsa_tlb_insert(&t, &r);
    }
};

TEST_F(TlbiMatch, Vmalle1DropsEverything)
{
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &(const vmsa_tlbi &)tlbi(A64_SYSOP_TLBI_VMALLE1, 0)), 5u);
    EXPECT_FALSE(hit(0x9000, 1));
    EXPECT_EQ(t.size_mask, 0u);
}

TEST_F(TlbiMatch, Aside1DropsNonGlobalEntriesOfTheAsid)
{
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_ASIDE1, 1ull << 48);
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 2u);
    EXPECT_FALSE(hit(0x1000, 1));
    EXPECT_FALSE(hit(0x3000, 1));
    EXPECT_TRUE(hit(0x1000, 2));
    EXPECT_TRUE(hit(0x9000, 1));  // global survives
    EXPECT_TRUE(hit(0x40000000, 1));
}

TEST_F(TlbiMatch, Vae1DropsTheAsidsEntryAndGlobalEntriesForTheVa)
{
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VAE1, xt_va(0x1000, 1));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0x1000, 1));
    EXPECT_TRUE(hit(0x1000, 2));  // other ASID
    EXPECT_TRUE(hit(0x3000, 1));  // other VA
    op = tlbi(A64_SYSOP_TLBI_VAE1, xt_va(0x9000, 5));  // global entry, any ASID operand
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0x9000, 1));
    // A VA inside a block drops the block.
    op = tlbi(A64_SYSOP_TLBI_VAE1IS, xt_va(0x401ff000, 9));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0x40000000, 3));
}

TEST_F(TlbiMatch, Vaae1DropsEntriesForTheVaOfEveryAsid)
{
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VAAE1, xt_va(0x1000, 0));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 2u);
    EXPECT_FALSE(hit(0x1000, 1));
    EXPECT_FALSE(hit(0x1000, 2));
    EXPECT_TRUE(hit(0x3000, 1));
    EXPECT_TRUE(hit(0x9000, 1));
}

TEST_F(TlbiMatch, LastLevelFormsMatchTheSameLeafEntries)
{
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VALE1, xt_va(0x3000, 1));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0x3000, 1));
    op = tlbi(A64_SYSOP_TLBI_VALE1, xt_va(0x1000, 2));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_TRUE(hit(0x1000, 1));
    op = tlbi(A64_SYSOP_TLBI_VAALE1IS, xt_va(0x1000, 0));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0x1000, 1));
    op = tlbi(A64_SYSOP_TLBI_VALE1IS, xt_va(0x9000, 7));  // global
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
}

TEST_F(TlbiMatch, Ttbr1AddressesMatchTheirSignExtendedTag)
{
    vmsa_result r = leaf(0xffff800000042000ull, 12, 1, false);
    vmsa_tlb_insert(&t, &r);
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VAE1, xt_va(0xffff800000042000ull, 1));
    EXPECT_EQ(vmsa_tlb_invalidate(&t, &op), 1u);
    EXPECT_FALSE(hit(0xffff800000042000ull, 1));
}

// ---- TLB hit checks ----

TEST_F(Tlb, HitCheckAppliesAlignmentPermissionAndPan)
{
    vmsa_result r = leaf(0x1000, 12, 1, false);
    r.device = true;
    r.level = 3;
    r.perm_inputs = vmsa_perm_inputs(kPage | DESC_AP1 | DESC_AP2, 0, false, false);
    vmsa_tlb_entry *e = vmsa_tlb_insert(&t, &r);
    vmsa_fault f{};
    vmsa_access a = acc(VMSA_ACC_READ, false, false, 4);
    EXPECT_EQ(vmsa_tlb_check(e, &a, 0x1004, &f), VMSA_HIT_OK);
    EXPECT_EQ(vmsa_tlb_check(e, &a, 0x1002, &f), VMSA_HIT_FAULT);
    EXPECT_EQ(f.rule, VMSA_RULE_ALIGN_DEVICE);
    EXPECT_EQ(f.va, 0x1002u);
    a = acc(VMSA_ACC_WRITE, false, false, 4);
    EXPECT_EQ(vmsa_tlb_check(e, &a, 0x1004, &f), VMSA_HIT_FAULT);
    EXPECT_EQ(f.rule, VMSA_RULE_PERM_WRITE_READONLY);
    EXPECT_EQ(vmsa_fault_fsc(&f), 0x0f);
    a = acc(VMSA_ACC_READ, false, true, 4);
    EXPECT_EQ(vmsa_tlb_check(e, &a, 0x1004, &f), VMSA_HIT_FAULT);
    EXPECT_EQ(f.rule, VMSA_RULE_PERM_PAN);
}

TEST_F(Tlb, LookupCheckCountsAndAnswersLikeLookupThenCheck)
{
    vmsa_result r = leaf(0x1000, 12, 1, false);
    r.perm_inputs = vmsa_perm_inputs(kPage | DESC_AP2, 0, false, false);   // read-only
    vmsa_tlb_entry *inserted = vmsa_tlb_insert(&t, &r);
    vmsa_tlb_entry *e = inserted;
    vmsa_fault f{};
    vmsa_access rd = acc(VMSA_ACC_READ, false, false, 8);
    // A miss answers WALK with no entry, and is counted.
    EXPECT_EQ(vmsa_tlb_lookup_check(&t, 0x5000, 1, &rd, 0x5000, &e, &f), VMSA_HIT_WALK);
    EXPECT_EQ(e, nullptr);
    EXPECT_EQ(t.misses, 1u);
    // A hit that passes: the entry, counted, LRU refreshed.
    uint64_t lru = inserted->lru;
    EXPECT_EQ(vmsa_tlb_lookup_check(&t, 0x1008, 1, &rd, 0x1008, &e, &f), VMSA_HIT_OK);
    EXPECT_EQ(e, inserted);
    EXPECT_EQ(t.hits, 1u);
    EXPECT_GT(inserted->lru, lru);
    // A hit that faults: the check's fault, with the VA as given (FAR).
    vmsa_access wr = acc(VMSA_ACC_WRITE, false, false, 8);
    EXPECT_EQ(vmsa_tlb_lookup_check(&t, 0x1010, 1, &wr, 0x1010, &e, &f), VMSA_HIT_FAULT);
    EXPECT_EQ(f.rule, VMSA_RULE_PERM_WRITE_READONLY);
    EXPECT_EQ(f.va, 0x1010u);
    EXPECT_EQ(t.hits, 2u);
}

// ---- walk cache and vmsa_walk_start_at ----

class WalkCache : public VmsaFixture {
protected:
    vmsa_walk_cache wc{};
    void SetUp() override
    {
        setup(VMSA_GRANULE_4K);
        ASSERT_TRUE(vmsa_walk_cache_init(&wc, 8, 2));
    }
    void TearDown() override { vmsa_walk_cache_destroy(&wc); }

    vmsa_req walk_from(const vmsa_wc_entry *e, uint64_t va, const vmsa_access &a)
    {
        return mem.run(&w, vmsa_walk_start_at(&w, &p, va, &a, e->level, e->table_pa, e->attrs));
    }
};

TEST_F(WalkCache, FillThenDeepestLookupAndResume)
{
    uint64_t va = 0x0000123456789000ull;
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    uint64_t l3_table = w.table_pa[3];

    const vmsa_wc_entry *e = vmsa_walk_cache_lookup(&wc, &p, va + 0x10, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->level, 3);
    EXPECT_EQ(e->table_pa, l3_table);
    EXPECT_EQ(wc.hits, 1u);

    mem.reads.clear();
    vmsa_req r = walk_from(e, va + 0x10, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(mem.reads.size(), 1u);  // only the level 3 descriptor
    EXPECT_EQ(w.first_level, 3);
    EXPECT_EQ(r.result->pa, kOa + 0x10);

    // Same level 2 table, different level 3 table: the level 2 entry is the deepest hit.
    uint64_t va2 = va + (1ull << 21);
    map(va2, 3, (kOa + 0x1000) | kPage);
    e = vmsa_walk_cache_lookup(&wc, &p, va2, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->level, 2);
    mem.reads.clear();
    r = walk_from(e, va2, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(mem.reads.size(), 2u);
    EXPECT_EQ(r.result->pa, kOa + 0x1000);
    // Fill again: the new level 3 table is cached too.
    vmsa_walk_cache_fill(&wc, &w);
    e = vmsa_walk_cache_lookup(&wc, &p, va2, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->level, 3);
}

TEST_F(WalkCache, MissForOtherRegionOrAsid)
{
    uint64_t va = 0x0000123456789000ull;
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    EXPECT_EQ(vmsa_walk_cache_lookup(&wc, &p, 0x0000823456789000ull, kAsid), nullptr);
    EXPECT_EQ(vmsa_walk_cache_lookup(&wc, &p, va, kAsid + 1), nullptr);
    EXPECT_EQ(wc.misses, 2u);
}

TEST_F(WalkCache, InheritedAttributesTravelWithTheEntry)
{
    table_bits[1] = DESC_APTABLE0;
    uint64_t va = 0x0000000040201000ull;
    map(va, 3, kOa | kPage | DESC_AP1);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    const vmsa_wc_entry *e = vmsa_walk_cache_lookup(&wc, &p, va, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->attrs, VMSA_TATTR_APTABLE0);
    expect_fault(walk_from(e, va, acc(VMSA_ACC_READ, true)), VMSA_RULE_PERM_APTABLE_EL0, 0x0f);
}

TEST_F(WalkCache, FaultingWalkCachesTheTablesItRead)
{
    uint64_t va = 0x0000000040201000ull;
    map(va + 0x1000, 3, kOa | kPage);  // va itself is invalid at level 3
    expect_fault(walk(va, acc(VMSA_ACC_READ)), VMSA_RULE_INVALID_DESC, 0x07);
    vmsa_walk_cache_fill(&wc, &w);
    const vmsa_wc_entry *e = vmsa_walk_cache_lookup(&wc, &p, va, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->level, 3);
    // A level 0 fault reads nothing and caches nothing.
    vmsa_walk_cache c2;
    ASSERT_TRUE(vmsa_walk_cache_init(&c2, 4, 1));
    expect_fault(walk(1ull << 50, acc(VMSA_ACC_READ)), VMSA_RULE_VA_OUT_OF_RANGE, 0x04);
    vmsa_walk_cache_fill(&c2, &w);
    EXPECT_EQ(vmsa_walk_cache_lookup(&c2, &p, va, kAsid), nullptr);
    vmsa_walk_cache_destroy(&c2);
}

TEST_F(WalkCache, StartAtStillChecksTheVaAndLevel)
{
    uint64_t va = 0x0000000040201000ull;
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_access a = acc(VMSA_ACC_READ);
    vmsa_req r = vmsa_walk_start_at(&w, &p, 1ull << 49, &a, 3, w.table_pa[3], 0);
    expect_fault(r, VMSA_RULE_VA_OUT_OF_RANGE, 0x04);
    tcr_set(TCR_EPD0);
    r = vmsa_walk_start_at(&w, &p, va, &a, 3, 0x1234000, 0);
    expect_fault(r, VMSA_RULE_EPD_DISABLED, 0x04);
    tcr_clear(TCR_EPD0);
    // A level at or above the start level: an ordinary walk from TTBR0.
    mem.reads.clear();
    r = mem.run(&w, vmsa_walk_start_at(&w, &p, va, &a, 0, 0xdead000, 0));
    expect_done(r);
    EXPECT_EQ(mem.reads.size(), 4u);
    EXPECT_EQ(mem.reads[0], root[0] + vmsa_level_index(&p.range[0], va, 0) * 8);
}

TEST_F(WalkCache, TlbiRules)
{
    uint64_t va_a = 0x0000000040201000ull;
    uint64_t va_g = 0xffff000000201000ull;  // TTBR1 range
    map(va_a, 3, kOa | kPage | DESC_NG);
    map(va_g, 3, kOa | kPage);
    expect_done(walk(va_a, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    expect_done(walk(va_g, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    auto present = [&](uint64_t va) { return vmsa_walk_cache_lookup(&wc, &p, va, kAsid) != nullptr; };

    // Last-level forms leave the walk cache alone.
    vmsa_tlbi op = tlbi(A64_SYSOP_TLBI_VALE1, xt_va(va_a, kAsid));
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 0u);
    op = tlbi(A64_SYSOP_TLBI_VAALE1, xt_va(va_a, 0));
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 0u);
    EXPECT_TRUE(present(va_a));
    // VAE1 drops every level covering the VA, whatever the ASID operand.
    op = tlbi(A64_SYSOP_TLBI_VAE1, xt_va(va_a, kAsid + 5));
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 3u);
    EXPECT_FALSE(present(va_a));
    EXPECT_TRUE(present(va_g));
    // VAAE1 on the TTBR1 address (sign-extended operand).
    op = tlbi(A64_SYSOP_TLBI_VAAE1IS, xt_va(va_g, 0));
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 3u);
    EXPECT_FALSE(present(va_g));

    // ASIDE1 and VMALLE1.
    expect_done(walk(va_a, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    op = tlbi(A64_SYSOP_TLBI_ASIDE1, (uint64_t)(kAsid + 1) << 48);
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 0u);
    op = tlbi(A64_SYSOP_TLBI_ASIDE1, (uint64_t)kAsid << 48);
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 3u);
    expect_done(walk(va_a, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    op = tlbi(A64_SYSOP_TLBI_VMALLE1IS, 0);
    EXPECT_EQ(vmsa_walk_cache_invalidate(&wc, &op), 3u);
    EXPECT_FALSE(present(va_a));
}

TEST_F(WalkCache, LruEviction)
{
    vmsa_walk_cache small;
    ASSERT_TRUE(vmsa_walk_cache_init(&small, 1, 3));
    uint64_t va = 0x0000000040201000ull;
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&small, &w);  // levels 1, 2, 3: full
    EXPECT_EQ(small.evictions, 0u);
    uint64_t other = 0x0000008040201000ull;  // another level 0 entry: new level 1..3 tables
    map(other, 3, kOa | kPage);
    expect_done(walk(other, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&small, &w);
    EXPECT_EQ(small.evictions, 3u);
    EXPECT_EQ(vmsa_walk_cache_lookup(&small, &p, va, kAsid), nullptr);
    EXPECT_NE(vmsa_walk_cache_lookup(&small, &p, other, kAsid), nullptr);
    vmsa_walk_cache_destroy(&small);
}

TEST_F(WalkCache, SixtyFourKGranule)
{
    setup(VMSA_GRANULE_64K);
    uint64_t va = 0x0000123456780000ull;
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    vmsa_walk_cache_fill(&wc, &w);
    const vmsa_wc_entry *e = vmsa_walk_cache_lookup(&wc, &p, va + 0xffff, kAsid);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->level, 3);
    EXPECT_EQ(e->shift, 29);  // a level 3 table maps 512MB
    mem.reads.clear();
    expect_done(walk_from(e, va + 0xffff, acc(VMSA_ACC_READ)));
    EXPECT_EQ(mem.reads.size(), 1u);
}
