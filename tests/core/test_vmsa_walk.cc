// The table walk: descriptor types per granule and level, Translation and Address size faults,
// TTBR selection, TBI, memory attributes and Device alignment (ARM ARM D8.2, D8.3, D8.15;
// ASL AArch64.S1Walk). Expected fault codes from ESR_EL1.DFSC: 0b0001LL translation,
// 0b0000LL address size, 0b100001 alignment (D17.2).
#include "test_vmsa_harness.h"

using namespace vmsatest;

namespace {

struct GranuleCase {
    const char *name;
    unsigned granule;
    int start_level;       // 48-bit VA
    unsigned block2_log2;  // level 2 block size
    int forbidden_block_levels[2];  // levels where a Block descriptor is reserved (-1: none)
};

// Printed by name in test listings (gtest_discover_tests parses them).
void PrintTo(const GranuleCase &c, std::ostream *os) { *os << c.name; }

const GranuleCase kGranules[] = {
    {"4K", VMSA_GRANULE_4K, 0, 21, {0, -1}},
    {"16K", VMSA_GRANULE_16K, 0, 25, {0, 1}},
    {"64K", VMSA_GRANULE_64K, 1, 29, {1, -1}},
};

constexpr uint64_t kVa = 0x0000123456000000ull;    // TTBR0, aligned to 32MB
constexpr uint64_t kOa = 0x0000008000000000ull;    // 512GB, aligned to every block size
constexpr uint64_t kVaHigh = 0xffff876540000000ull; // TTBR1

class WalkGranule : public VmsaFixture, public ::testing::WithParamInterface<GranuleCase> {
protected:
    void SetUp() override { setup(GetParam().granule); }
    uint64_t page_size() const { return 1ull << GetParam().granule; }
    int levels() const { return 4 - GetParam().start_level; }
};

}  // namespace

TEST_P(WalkGranule, PageTranslates)
{
    uint64_t va = kVa + 3 * page_size() + 0x123;
    uint64_t leaf_addr = map(va, 3, kOa | kPage);
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    const vmsa_result &res = *r.result;
    EXPECT_EQ(res.pa, kOa + 0x123);
    EXPECT_EQ(res.pa_base, kOa);
    EXPECT_EQ(res.va_base, va & ~(page_size() - 1));
    EXPECT_EQ(res.size_log2, GetParam().granule);
    EXPECT_EQ(res.level, 3);
    EXPECT_EQ(res.desc_pa, leaf_addr);
    EXPECT_EQ(res.desc, kOa | kPage);
    EXPECT_EQ(res.asid, kAsid);
    EXPECT_TRUE(res.global);
    EXPECT_EQ(res.attr, 0xff);
    EXPECT_FALSE(res.device);
    // AP[2:1] = 00, UXN = PXN = 0: PrivRead, PrivWrite, PrivExecute, UnprivExecute (Table D8-65).
    EXPECT_EQ(res.perms, VMSA_PERM_EL1_R | VMSA_PERM_EL1_W | VMSA_PERM_EL1_X | VMSA_PERM_EL0_X);
    EXPECT_EQ(w.reads, (unsigned)levels());
    EXPECT_EQ(mem.reads.size(), (size_t)levels());
    EXPECT_EQ(mem.reads[0], root[0] + vmsa_level_index(&p.range[0], va, GetParam().start_level) * 8);
    EXPECT_EQ(w.table_pa[GetParam().start_level], root[0]);
    EXPECT_TRUE(mem.cas.empty());
}

TEST_P(WalkGranule, Level2BlockTranslates)
{
    uint64_t size = 1ull << GetParam().block2_log2;
    uint64_t va = kVa + 0x4567;
    map(va, 2, kOa | kBlock);
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->level, 2);
    EXPECT_EQ(r.result->size_log2, GetParam().block2_log2);
    EXPECT_EQ(r.result->va_base, va & ~(size - 1));
    EXPECT_EQ(r.result->pa, kOa + (va & (size - 1)));
    EXPECT_EQ(w.reads, (unsigned)(3 - GetParam().start_level));
}

TEST_P(WalkGranule, BlockOutputAddressIgnoresRes0BitsBelowBlockSize)
{
    uint64_t size = 1ull << GetParam().block2_log2;
    uint64_t va = kVa + 0x4567;
    map(va, 2, kOa | (size >> 1 & desc_oa_mask(GetParam().granule)) | kBlock);
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->pa_base, kOa);
}

TEST_P(WalkGranule, InvalidDescriptorAtEachLevel)
{
    for (int level = GetParam().start_level; level <= 3; level++) {
        SCOPED_TRACE(testing::Message() << "level " << level);
        mem = Mem{};
        next_table = kTableArena + 0x100000;
        uint64_t va = kVa + page_size();
        map(va, 3, kOa | kPage);
        // bit[0] = 0: invalid, bits[63:1] ignored (R_DYNYQ)
        mem.at(table_desc_addr(va, level)) = ~DESC_VALID;
        vmsa_req r = walk(va, acc(VMSA_ACC_READ));
        expect_fault(r, VMSA_RULE_INVALID_DESC, 0x04 + level);
        EXPECT_EQ(r.fault->kind, VMSA_FAULT_TRANSLATION);
        EXPECT_EQ(r.fault->level, level);
        EXPECT_EQ(r.fault->va, va);
        EXPECT_EQ(w.reads, (unsigned)(level - GetParam().start_level + 1));
    }
}

TEST_P(WalkGranule, Level3ReservedEncodingIsTranslationFault)
{
    uint64_t va = kVa;
    map(va, 3, kOa | DESC_VALID | DESC_AF);  // bits[1:0] = 01 at level 3
    expect_fault(walk(va, acc(VMSA_ACC_READ)), VMSA_RULE_RESERVED_DESC, 0x07);
}

TEST_P(WalkGranule, BlockNotAllowedLevels)
{
    for (int level : GetParam().forbidden_block_levels) {
        if (level < 0) continue;
        SCOPED_TRACE(testing::Message() << "level " << level);
        mem = Mem{};
        map(kVa, level, kOa | kBlock);
        expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_BLOCK_NOT_ALLOWED, 0x04 + level);
    }
}

TEST_P(WalkGranule, LeafAboveOutputSizeIsAddressSizeFault)
{
    regs.tcr &= ~(TCR_IPS_MASK << TCR_IPS_SHIFT);  // IPS = 000: 32 bits
    decode();
    map(kVa, 3, (1ull << 32) | kPage);
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_OA_TOO_LARGE, 0x03);
    // The highest page inside 4GB is fine.
    map(kVa, 3, ((1ull << 32) - page_size()) | kPage);
    expect_done(walk(kVa, acc(VMSA_ACC_READ)));
    // A level 2 block above the output size: level 2.
    map(kVa + (1ull << GetParam().block2_log2), 2, (1ull << 35) | kBlock);
    expect_fault(walk(kVa + (1ull << GetParam().block2_log2), acc(VMSA_ACC_READ)),
                 VMSA_RULE_OA_TOO_LARGE, 0x02);
}

TEST_P(WalkGranule, TableAboveOutputSizeIsAddressSizeFaultAtItsLevel)
{
    regs.tcr &= ~(TCR_IPS_MASK << TCR_IPS_SHIFT);
    regs.tcr |= 2ull << TCR_IPS_SHIFT;  // 40 bits
    decode();
    map(kVa, 3, kOa | kPage);
    int l = GetParam().start_level;
    uint64_t a = table_desc_addr(kVa, l);
    mem.at(a) |= 1ull << 40;
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_TABLE_ADDR_TOO_LARGE, 0x00 + l);
    EXPECT_EQ(w.reads, 1u);
}

TEST_P(WalkGranule, TtbrAboveOutputSizeIsLevel0AddressSizeFault)
{
    regs.tcr &= ~(TCR_IPS_MASK << TCR_IPS_SHIFT);  // 32 bits
    regs.ttbr0 = (1ull << 33) | root[0];
    decode();
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_fault(r, VMSA_RULE_TTBR_ADDR_TOO_LARGE, 0x00);
    EXPECT_EQ(r.fault->kind, VMSA_FAULT_ADDRESS_SIZE);
    EXPECT_TRUE(mem.reads.empty());
}

TEST_P(WalkGranule, VaOutOfRangeIsLevel0TranslationFault)
{
    vmsa_req r = walk(1ull << 48, acc(VMSA_ACC_READ));
    expect_fault(r, VMSA_RULE_VA_OUT_OF_RANGE, 0x04);
    EXPECT_EQ(r.fault->level, 0);
    EXPECT_TRUE(mem.reads.empty());
}

TEST_P(WalkGranule, EpdIsLevel0TranslationFault)
{
    map(kVa, 3, kOa | kPage);
    tcr_set(TCR_EPD0);
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_EPD_DISABLED, 0x04);
    EXPECT_TRUE(mem.reads.empty());
}

TEST_P(WalkGranule, Ttbr1RangeWithNonGlobalPage)
{
    uint64_t va = kVaHigh + 0x10;
    map(va, 3, kOa | kPage | DESC_NG);
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->pa, kOa + 0x10);
    EXPECT_FALSE(r.result->global);
    EXPECT_EQ(r.result->asid, kAsid);  // TCR.A1 = 0: the ASID of TTBR0
    EXPECT_EQ(w.range_index, 1);
    EXPECT_EQ(w.table_pa[GetParam().start_level], root[1]);
}

INSTANTIATE_TEST_SUITE_P(Granules, WalkGranule, ::testing::ValuesIn(kGranules),
                         [](const ::testing::TestParamInfo<GranuleCase> &i) {
                             return std::string(i.param.name);
                         });

// ---- granule-specific cases ----

class Walk : public VmsaFixture {
protected:
    void SetUp() override { setup(VMSA_GRANULE_4K); }
};

TEST_F(Walk, Level1BlockIs1GB4K)
{
    uint64_t va = 0x0000004012345678ull;
    map(va, 1, kOa | kBlock);
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->level, 1);
    EXPECT_EQ(r.result->size_log2, 30u);
    EXPECT_EQ(r.result->pa, kOa + 0x12345678);
    EXPECT_EQ(w.reads, 2u);
}

TEST_F(Walk, SixtyFourKHighOutputBitsAreAddressSizeFault)
{
    setup(VMSA_GRANULE_64K);
    map(kVa, 3, kOa | (1ull << 12) | kPage);  // OA[51:48] field nonzero, no 52-bit PA
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_OA_64K_HIGH_BITS, 0x03);
    mem = Mem{};
    next_table = kTableArena + 0x100000;
    map(kVa, 3, kOa | kPage);
    mem.at(table_desc_addr(kVa, 2)) |= 1ull << 13;
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_OA_64K_HIGH_BITS, 0x02);
}

TEST_F(Walk, StartLevel1And2With4K)
{
    setup(VMSA_GRANULE_4K, 25);  // 39-bit: start at level 1
    map(0x12345000, 3, kOa | kPage);
    expect_done(walk(0x12345000, acc(VMSA_ACC_READ)));
    EXPECT_EQ(w.reads, 3u);
    EXPECT_EQ(mem.reads[0], root[0] + 0 * 8);
    mem = Mem{};
    setup(VMSA_GRANULE_4K, 34);  // 30-bit: start at level 2
    map(0x12345000, 3, kOa | kPage);
    expect_done(walk(0x12345000, acc(VMSA_ACC_READ)));
    EXPECT_EQ(w.reads, 2u);
    EXPECT_EQ(mem.reads[0], root[0] + (0x12345000ull >> 21) * 8);
    expect_fault(walk(0x40000000, acc(VMSA_ACC_READ)), VMSA_RULE_VA_OUT_OF_RANGE, 0x04);
}

TEST_F(Walk, SixteenKStartLevel3)
{
    setup(VMSA_GRANULE_16K, 39);  // 25-bit IA: one level 3 table of 2048 entries
    map(0x1ffc000, 3, kOa | kPage);
    vmsa_req r = walk(0x1ffc123, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(w.reads, 1u);
    EXPECT_EQ(mem.reads[0], root[0] + 0x7ff * 8);
    EXPECT_EQ(r.result->pa, kOa + 0x123);
}

TEST_F(Walk, SixteenKLevel0HasTwoEntries)
{
    setup(VMSA_GRANULE_16K, 16);
    uint64_t va = 0x0000800000000000ull;  // VA[47] = 1: level 0 index 1
    map(va, 3, kOa | kPage);
    expect_done(walk(va, acc(VMSA_ACC_READ)));
    EXPECT_EQ(mem.reads[0], root[0] + 8);
}

TEST_F(Walk, TopByteIgnoredWalk)
{
    tcr_set(TCR_TBI0);
    map(0x5000, 3, kOa | kPage);
    uint64_t tagged = 0x5a00000000005008ull;
    vmsa_req r = walk(tagged, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->va, 0x5008u);
    EXPECT_EQ(r.result->va_base, 0x5000u);
    EXPECT_EQ(r.result->pa, kOa + 8);
    // A fault reports the VA as given (FAR).
    r = walk(0x5a00000000009000ull, acc(VMSA_ACC_READ));
    expect_fault(r, VMSA_RULE_INVALID_DESC, 0x07);
    EXPECT_EQ(r.fault->va, 0x5a00000000009000ull);
    tcr_clear(TCR_TBI0);
    expect_fault(walk(tagged, acc(VMSA_ACC_READ)), VMSA_RULE_VA_OUT_OF_RANGE, 0x04);
}

TEST_F(Walk, MisalignedTtbrBaseBitsAreIgnored)
{
    regs.ttbr0 |= 0x38;  // inside the 4KB level 0 table alignment
    decode();
    map(kVa, 3, kOa | kPage);
    expect_done(walk(kVa, acc(VMSA_ACC_READ)));
    EXPECT_EQ(mem.reads[0], root[0] + vmsa_level_index(&p.range[0], kVa, 0) * 8);
}

TEST_F(Walk, MemoryAttributesFromMair)
{
    map(0x1000, 3, kOa | kPage | kAttrDevice);
    map(0x2000, 3, kOa | kPage | 3ull << DESC_ATTRINDX_SHIFT | 3ull << DESC_SH_SHIFT);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->attr, 0x00);
    EXPECT_TRUE(r.result->device);
    r = walk(0x2000, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->attr, 0x44);
    EXPECT_FALSE(r.result->device);
    EXPECT_EQ(r.result->sh, 3);
}

TEST_F(Walk, ContiguousHintIsReportedOnly)
{
    map(0x3000, 3, kOa | kPage | DESC_CONTIG);
    vmsa_req r = walk(0x3000, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_TRUE(r.result->contiguous);
    EXPECT_EQ(r.result->size_log2, 12u);
}

TEST_F(Walk, UnalignedAccessToDeviceIsAlignmentFault)
{
    map(0x1000, 3, kOa | kPage | kAttrDevice);
    vmsa_req r = walk(0x1002, acc(VMSA_ACC_READ, false, false, 4));
    expect_fault(r, VMSA_RULE_ALIGN_DEVICE, 0x21);
    EXPECT_EQ(r.fault->kind, VMSA_FAULT_ALIGNMENT);
    expect_fault(walk(0x1004, acc(VMSA_ACC_WRITE, false, false, 8)), VMSA_RULE_ALIGN_DEVICE, 0x21);
    expect_done(walk(0x1004, acc(VMSA_ACC_WRITE, false, false, 4)));
    expect_done(walk(0x1003, acc(VMSA_ACC_READ, false, false, 1)));
    expect_done(walk(0x1003, acc(VMSA_ACC_READ, false, false, 0)));  // size unknown: no check
    // Cache maintenance has no alignment requirement; fetches are not checked here.
    expect_done(walk(0x1003, acc(VMSA_ACC_DC_CLEAN, false, false, 8)));
    expect_done(walk(0x1002, acc(VMSA_ACC_FETCH, false, false, 4)));
    // DC ZVA to Device memory faults whatever the alignment.
    expect_fault(walk(0x1000, acc(VMSA_ACC_DC_ZVA, false, false, 64)),
                 VMSA_RULE_ALIGN_DC_ZVA_DEVICE, 0x21);
}

TEST_F(Walk, UnalignedAccessToNormalMemoryIsFine)
{
    map(0x1000, 3, kOa | kPage);
    expect_done(walk(0x1002, acc(VMSA_ACC_READ, false, false, 4)));
    expect_done(walk(0x1000, acc(VMSA_ACC_DC_ZVA, false, false, 64)));
}

TEST_F(Walk, AlignmentFaultBeforePermissionFault)
{
    // Read-only Device page, unaligned write: Alignment first (ASL AArch64.S1Translate).
    map(0x1000, 3, kOa | kPage | kAttrDevice | DESC_AP2);
    expect_fault(walk(0x1001, acc(VMSA_ACC_WRITE, false, false, 2)), VMSA_RULE_ALIGN_DEVICE, 0x21);
    expect_fault(walk(0x1000, acc(VMSA_ACC_WRITE, false, false, 2)),
                 VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
}

TEST_F(Walk, AccessFlagFaultBeforeAlignmentFault)
{
    map(0x1000, 3, (kOa | kPage | kAttrDevice) & ~DESC_AF);
    expect_fault(walk(0x1001, acc(VMSA_ACC_READ, false, false, 2)), VMSA_RULE_AF_CLEAR, 0x0b);
}

TEST_F(Walk, WalkStateExposesTablesAndInheritedAttributes)
{
    table_bits[1] = DESC_APTABLE0;  // the level 1 Table descriptor
    uint64_t leaf = map(kVa, 3, kOa | kPage | DESC_AP1);
    expect_fault(walk(kVa, acc(VMSA_ACC_READ, true)), VMSA_RULE_PERM_APTABLE_EL0, 0x0f);
    EXPECT_EQ(w.first_level, 0);
    EXPECT_EQ(w.level, 3);
    EXPECT_EQ(w.table_pa[0], root[0]);
    EXPECT_EQ(w.table_pa[1], mem.get(table_desc_addr(kVa, 0)) & DESC_OA_MASK_4K);
    EXPECT_EQ(w.table_pa[2], mem.get(table_desc_addr(kVa, 1)) & DESC_OA_MASK_4K);
    EXPECT_EQ(w.table_pa[3], mem.get(table_desc_addr(kVa, 2)) & DESC_OA_MASK_4K);
    EXPECT_EQ(w.table_pa[3] + vmsa_level_index(&p.range[0], kVa, 3) * 8, leaf);
    EXPECT_EQ(w.table_attrs[0], 0);
    EXPECT_EQ(w.table_attrs[1], 0);
    EXPECT_EQ(w.table_attrs[2], VMSA_TATTR_APTABLE0);
    EXPECT_EQ(w.table_attrs[3], VMSA_TATTR_APTABLE0);
}

TEST_F(Walk, StepAfterTheEndRepeatsTheFinalRequest)
{
    map(0x1000, 3, kOa | kPage);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_READ));
    expect_done(r);
    vmsa_req again = vmsa_walk_step(&w, 0);
    EXPECT_EQ(again.kind, VMSA_REQ_DONE);
    EXPECT_EQ(again.result, r.result);
}

TEST_F(Walk, FaultRecordsConvertToA64Syndromes)
{
    // Translation fault level 3 on a store: DFSC 0x07, WnR 1.
    map(0x8000, 3, kOa | kPage);  // the level 3 table exists, 0x7000 is invalid in it
    vmsa_req r = walk(0x7000, acc(VMSA_ACC_WRITE));
    expect_fault(r, VMSA_RULE_INVALID_DESC, 0x07);
    EXPECT_EQ(vmsa_rule_kind(r.fault->rule), VMSA_FAULT_TRANSLATION);
    a64_fault a = vmsa_fault_to_a64(r.fault);
    EXPECT_EQ(a.fsc, 0x07);
    EXPECT_EQ(r.fault->level, 3);
    EXPECT_TRUE(a.write);
    EXPECT_FALSE(a.fetch);
    EXPECT_FALSE(a.cache_maint);
    EXPECT_FALSE(a.s1ptw);
    EXPECT_EQ(a.va, 0x7000u);
    EXPECT_EQ(a.rule, VMSA_RULE_INVALID_DESC);   // kept: the trace names the kind from it
    // Instruction fetch: Instruction Abort, WnR 0.
    r = walk(0x7000, acc(VMSA_ACC_FETCH));
    a = vmsa_fault_to_a64(r.fault);
    EXPECT_TRUE(a.fetch);
    EXPECT_FALSE(a.write);
    // Cache maintenance (and AT): CM = 1 and WnR = 1 even for a clean.
    r = walk(0x7000, acc(VMSA_ACC_DC_CLEAN));
    a = vmsa_fault_to_a64(r.fault);
    EXPECT_TRUE(a.cache_maint);
    EXPECT_TRUE(a.write);
    r = walk(0x7000, acc(VMSA_ACC_AT_READ));
    EXPECT_TRUE(r.fault->cache_maint);
    EXPECT_TRUE(r.fault->write);
    // DC ZVA is a store, not maintenance: CM = 0, WnR = 1.
    r = walk(0x7000, acc(VMSA_ACC_DC_ZVA));
    EXPECT_FALSE(r.fault->cache_maint);
    EXPECT_TRUE(r.fault->write);
    // Loads: WnR 0.
    r = walk(0x7000, acc(VMSA_ACC_READ));
    EXPECT_FALSE(r.fault->write);
}

TEST_F(Walk, FaultStatusCodesPerKindAndLevel)
{
    vmsa_fault f{};
    vmsa_access a = acc(VMSA_ACC_READ);
    const struct { vmsa_rule rule; int level; unsigned fsc; } cases[] = {
        {VMSA_RULE_INVALID_DESC, 0, 0x04},     {VMSA_RULE_INVALID_DESC, 3, 0x07},
        {VMSA_RULE_OA_TOO_LARGE, 1, 0x01},     {VMSA_RULE_TTBR_ADDR_TOO_LARGE, 0, 0x00},
        {VMSA_RULE_AF_CLEAR, 1, 0x09},         {VMSA_RULE_AF_CLEAR, 3, 0x0b},
        {VMSA_RULE_PERM_XN, 2, 0x0e},          {VMSA_RULE_PERM_WRITE_READONLY, 3, 0x0f},
        {VMSA_RULE_ALIGN_DEVICE, 3, 0x21},
    };
    for (const auto &c : cases) {
        f = vmsa_make_fault(c.rule, c.level, 0, &a);
        EXPECT_EQ(vmsa_fault_fsc(&f), c.fsc) << vmsa_rule_name(c.rule);
    }
    for (int r = VMSA_RULE_NONE + 1; r < VMSA_RULE_COUNT; r++) {
        EXPECT_NE(vmsa_rule_kind((vmsa_rule)r), VMSA_FAULT_NONE) << r;
        EXPECT_STRNE(vmsa_rule_name((vmsa_rule)r), "?");
    }
    EXPECT_STREQ(vmsa_fault_kind_name(VMSA_FAULT_ACCESS_FLAG), "access_flag");
}
