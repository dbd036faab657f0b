// Decode of TCR_EL1 / TTBRn_EL1 / SCTLR_EL1 / ID registers into vmsa_params (ARM ARM D8.2,
// D17.2 TCR_EL1; ASL AArch64.GetS1TTWParams, AArch64.S1StartLevel, AArch64.VAIsOutOfRange).
#include "test_vmsa_harness.h"

using namespace vmsatest;

namespace {

vmsa_params decode_tcr(uint64_t tcr, uint64_t mmfr0 = kMmfr0, uint64_t mmfr1 = 2,
                       uint64_t ttbr0 = 0, uint64_t ttbr1 = 0, uint64_t sctlr = 0)
{
    vmsa_regs r{};
    r.tcr = tcr;
    r.mmfr0 = mmfr0;
    r.mmfr1 = mmfr1 << ID_AA64MMFR1_HAFDBS_SHIFT;
    r.ttbr0 = ttbr0;
    r.ttbr1 = ttbr1;
    r.sctlr = sctlr;
    r.mair = kMair;
    vmsa_params p{};
    vmsa_params_decode(&p, &r);
    return p;
}

uint64_t tcr_for(unsigned granule, unsigned t0sz, unsigned t1sz = 16)
{
    return (uint64_t)t0sz << TCR_T0SZ_SHIFT | (uint64_t)t1sz << TCR_T1SZ_SHIFT |
           tg0_of(granule) << TCR_TG0_SHIFT | tg1_of(granule) << TCR_TG1_SHIFT |
           5ull << TCR_IPS_SHIFT;
}

struct StartLevelCase {
    unsigned granule, txsz;
    int start_level;
};

// Initial lookup level by granule and TxSZ (ARM ARM D8.2 tables of "Input address size and
// initial lookup level"): 4KB 16..24 -> L0, 25..33 -> L1, 34..39 -> L2;
// 16KB 16 -> L0, 17..27 -> L1, 28..38 -> L2, 39 -> L3; 64KB 16..21 -> L1, 22..34 -> L2, 35..39 -> L3.
const StartLevelCase kStartLevels[] = {
    {VMSA_GRANULE_4K, 16, 0},  {VMSA_GRANULE_4K, 24, 0},  {VMSA_GRANULE_4K, 25, 1},
    {VMSA_GRANULE_4K, 33, 1},  {VMSA_GRANULE_4K, 34, 2},  {VMSA_GRANULE_4K, 39, 2},
    {VMSA_GRANULE_16K, 16, 0}, {VMSA_GRANULE_16K, 17, 1}, {VMSA_GRANULE_16K, 27, 1},
    {VMSA_GRANULE_16K, 28, 2}, {VMSA_GRANULE_16K, 38, 2}, {VMSA_GRANULE_16K, 39, 3},
    {VMSA_GRANULE_64K, 16, 1}, {VMSA_GRANULE_64K, 21, 1}, {VMSA_GRANULE_64K, 22, 2},
    {VMSA_GRANULE_64K, 34, 2}, {VMSA_GRANULE_64K, 35, 3}, {VMSA_GRANULE_64K, 39, 3},
};

}  // namespace

TEST(VmsaParams, StartLevelPerGranuleAndTxSZ)
{
    for (const auto &c : kStartLevels) {
        vmsa_params p = decode_tcr(tcr_for(c.granule, c.txsz, c.txsz));
        SCOPED_TRACE(testing::Message() << "granule 2^" << c.granule << " TxSZ " << c.txsz);
        EXPECT_EQ(p.range[0].granule, c.granule);
        EXPECT_EQ(p.range[0].iasize, 64 - c.txsz);
        EXPECT_EQ(p.range[0].start_level, c.start_level);
        EXPECT_EQ(p.range[1].start_level, c.start_level);
        EXPECT_EQ(p.range[0].stride, c.granule - 3);
    }
}

TEST(VmsaParams, Tg1EncodingDiffersFromTg0)
{
    // TG0: 00 4KB, 01 64KB, 10 16KB. TG1: 01 16KB, 10 4KB, 11 64KB.
    vmsa_params p = decode_tcr(0ull << TCR_TG0_SHIFT | 2ull << TCR_TG1_SHIFT | 16 | 16 << 16);
    EXPECT_EQ(p.range[0].granule, 12);
    EXPECT_EQ(p.range[1].granule, 12);
    p = decode_tcr(1ull << TCR_TG0_SHIFT | 1ull << TCR_TG1_SHIFT | 16 | 16 << 16);
    EXPECT_EQ(p.range[0].granule, 16);  // TG0 = 01: 64KB
    EXPECT_EQ(p.range[1].granule, 14);  // TG1 = 01: 16KB
    p = decode_tcr(2ull << TCR_TG0_SHIFT | 3ull << TCR_TG1_SHIFT | 16 | 16 << 16);
    EXPECT_EQ(p.range[0].granule, 14);  // TG0 = 10: 16KB
    EXPECT_EQ(p.range[1].granule, 16);  // TG1 = 11: 64KB
}

TEST(VmsaParams, ReservedTgSelectsAnImplementedGranule)
{
    // TG0 = 11 and TG1 = 00 are reserved: IMPLEMENTATION DEFINED choice, httusim picks 4KB.
    vmsa_params p = decode_tcr(3ull << TCR_TG0_SHIFT | 0ull << TCR_TG1_SHIFT | 16 | 16 << 16);
    EXPECT_EQ(p.range[0].granule, 12);
    EXPECT_EQ(p.range[1].granule, 12);
}

TEST(VmsaParams, UnimplementedGranuleFallsBack)
{
    // TGran4 = 0xf (4KB not implemented): 4KB requests get 16KB.
    uint64_t mmfr0 = kMmfr0 | 0xfull << ID_AA64MMFR0_TGRAN4_SHIFT;
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16), mmfr0);
    EXPECT_EQ(p.range[0].granule, 14);
    // TGran16 = 0 (16KB not implemented): 16KB requests get 4KB.
    mmfr0 = kMmfr0 & ~(0xfull << ID_AA64MMFR0_TGRAN16_SHIFT);
    p = decode_tcr(tcr_for(VMSA_GRANULE_16K, 16), mmfr0);
    EXPECT_EQ(p.range[0].granule, 12);
    // TGran64 = 0xf: 64KB requests get 4KB.
    mmfr0 = kMmfr0 | 0xfull << ID_AA64MMFR0_TGRAN64_SHIFT;
    p = decode_tcr(tcr_for(VMSA_GRANULE_64K, 16), mmfr0);
    EXPECT_EQ(p.range[0].granule, 12);
}

TEST(VmsaParams, TxSZOutsideLimitsIsClamped)
{
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 10, 45));
    EXPECT_EQ(p.range[0].txsz, 16);
    EXPECT_EQ(p.range[0].start_level, 0);
    EXPECT_EQ(p.range[1].txsz, 39);
    EXPECT_EQ(p.range[1].iasize, 25);
}

TEST(VmsaParams, OutputSizeIsMinOfIpsAndPARange)
{
    // IPS: 000 32, 001 36, 010 40, 011 42, 100 44, 101 48 bits.
    const unsigned ips_bits[] = {32, 36, 40, 42, 44, 48, 48, 48};  // 110/111 limited by PARange
    for (unsigned ips = 0; ips < 8; ips++) {
        uint64_t tcr = (tcr_for(VMSA_GRANULE_4K, 16) & ~(TCR_IPS_MASK << TCR_IPS_SHIFT)) |
                       (uint64_t)ips << TCR_IPS_SHIFT;
        EXPECT_EQ(decode_tcr(tcr).oasize, ips_bits[ips]) << "IPS " << ips;
    }
    // PARange = 0010 (40 bits) limits IPS = 48 bits.
    uint64_t mmfr0 = (kMmfr0 & ~0xfull) | 2;
    EXPECT_EQ(decode_tcr(tcr_for(VMSA_GRANULE_4K, 16), mmfr0).oasize, 40);
}

TEST(VmsaParams, HaHdNeedHafdbsAndHdNeedsHa)
{
    uint64_t tcr = tcr_for(VMSA_GRANULE_4K, 16) | TCR_HA | TCR_HD;
    vmsa_params p = decode_tcr(tcr, kMmfr0, 0);
    EXPECT_FALSE(p.ha);
    EXPECT_FALSE(p.hd);
    p = decode_tcr(tcr, kMmfr0, ID_HAFDBS_AF);
    EXPECT_TRUE(p.ha);
    EXPECT_FALSE(p.hd);
    p = decode_tcr(tcr, kMmfr0, ID_HAFDBS_AF_DIRTY);
    EXPECT_TRUE(p.ha);
    EXPECT_TRUE(p.hd);
    p = decode_tcr(tcr & ~TCR_HA, kMmfr0, ID_HAFDBS_AF_DIRTY);  // HD only with HA
    EXPECT_FALSE(p.ha);
    EXPECT_FALSE(p.hd);
}

TEST(VmsaParams, AsidWidthAndSource)
{
    uint64_t ttbr0 = 0x1234ull << TTBR_ASID_SHIFT | 0x80000000ull;
    uint64_t ttbr1 = 0xabcdull << TTBR_ASID_SHIFT | 0x90000000ull;
    uint64_t tcr = tcr_for(VMSA_GRANULE_4K, 16);
    vmsa_params p = decode_tcr(tcr | TCR_AS, kMmfr0, 2, ttbr0, ttbr1);
    EXPECT_TRUE(p.asid16);
    EXPECT_EQ(p.asid, 0x1234);
    p = decode_tcr(tcr | TCR_AS | TCR_A1, kMmfr0, 2, ttbr0, ttbr1);
    EXPECT_EQ(p.asid, 0xabcd);
    p = decode_tcr(tcr, kMmfr0, 2, ttbr0, ttbr1);  // AS = 0: 8-bit ASID
    EXPECT_FALSE(p.asid16);
    EXPECT_EQ(p.asid, 0x34);
    uint64_t mmfr0_8bit = kMmfr0 & ~(0xfull << ID_AA64MMFR0_ASIDBITS_SHIFT);
    p = decode_tcr(tcr | TCR_AS, mmfr0_8bit, 2, ttbr0, ttbr1);  // ASIDBits = 8: AS ignored
    EXPECT_FALSE(p.asid16);
    EXPECT_EQ(p.asid, 0x34);
}

TEST(VmsaParams, TableBaseIgnoresBitsBelowTableAlignmentAndCnP)
{
    // 4KB, T0SZ = 39: start level 2 with 16 descriptors = 128-byte table.
    uint64_t ttbr0 = 0x80001000ull | 0x48 | TTBR_CNP;
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 39), kMmfr0, 2, ttbr0);
    EXPECT_EQ(p.range[0].table_base, 0x80001000ull);
    // 48-bit 4KB: 512 descriptors = 4KB table.
    p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16), kMmfr0, 2, 0x80001ff8ull);
    EXPECT_EQ(p.range[0].table_base, 0x80001000ull);
    // 16KB 48-bit: level 0 has 2 descriptors = 16 bytes.
    p = decode_tcr(tcr_for(VMSA_GRANULE_16K, 16), kMmfr0, 2, 0x80001010ull);
    EXPECT_EQ(p.range[0].table_base, 0x80001010ull);
}

TEST(VmsaParams, SctlrWxnAndMmuEnable)
{
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16), kMmfr0, 2, 0, 0, SCTLR_WXN | SCTLR_M);
    EXPECT_TRUE(p.wxn);
    EXPECT_TRUE(p.mmu_enabled);
    p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16));
    EXPECT_FALSE(p.wxn);
    EXPECT_FALSE(p.mmu_enabled);
}

TEST(VmsaParams, RegsFromCpu)
{
    a64_sysregs s{};
    s.tcr_el1 = 1;
    s.ttbr0_el1 = 2;
    s.ttbr1_el1 = 3;
    s.sctlr_el1 = 4;
    s.mair_el1 = 5;
    s.id_aa64mmfr0_el1 = 6;
    s.id_aa64mmfr1_el1 = 7;
    vmsa_regs r = vmsa_regs_from_a64(&s);
    EXPECT_EQ(r.tcr, 1u);
    EXPECT_EQ(r.ttbr0, 2u);
    EXPECT_EQ(r.ttbr1, 3u);
    EXPECT_EQ(r.sctlr, 4u);
    EXPECT_EQ(r.mair, 5u);
    EXPECT_EQ(r.mmfr0, 6u);
    EXPECT_EQ(r.mmfr1, 7u);
}

// ---- TTBR selection and the level 0 checks (D8.15.1.1 R_VZZSZ) ----

TEST(VmsaParams, VaRangeSelectionByBit55)
{
    EXPECT_EQ(vmsa_va_range_index(0x0000ffffffffffffull), 0u);
    EXPECT_EQ(vmsa_va_range_index(0xffff000000000000ull), 1u);
    EXPECT_EQ(vmsa_va_range_index(0x0080000000000000ull), 1u);  // VA[55] decides, not VA[63]
}

TEST(VmsaParams, VaOutOfRange)
{
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 25, 25));  // 39-bit ranges
    EXPECT_EQ(vmsa_check_va(&p, 0x0000007fffffffffull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_check_va(&p, 0x0000008000000000ull), VMSA_RULE_VA_OUT_OF_RANGE);
    EXPECT_EQ(vmsa_check_va(&p, 0xffffff8000000000ull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_check_va(&p, 0xffffff0000000000ull), VMSA_RULE_VA_OUT_OF_RANGE);
    EXPECT_EQ(vmsa_check_va(&p, 0x8000000000001000ull), VMSA_RULE_VA_OUT_OF_RANGE);  // VA[55]=0
    // 48-bit: VA[63:48] must equal VA[55].
    p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16, 16));
    EXPECT_EQ(vmsa_check_va(&p, 0x0000ffffffffffffull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_check_va(&p, 0x0001000000000000ull), VMSA_RULE_VA_OUT_OF_RANGE);
    EXPECT_EQ(vmsa_check_va(&p, 0xffff000000000000ull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_check_va(&p, 0xfeff000000000000ull), VMSA_RULE_VA_OUT_OF_RANGE);
}

TEST(VmsaParams, TopByteIgnored)
{
    uint64_t tcr = tcr_for(VMSA_GRANULE_4K, 16, 16);
    vmsa_params p = decode_tcr(tcr);
    EXPECT_EQ(vmsa_check_va(&p, 0xab00000000001000ull), VMSA_RULE_VA_OUT_OF_RANGE);
    p = decode_tcr(tcr | TCR_TBI0);
    EXPECT_EQ(vmsa_check_va(&p, 0xab00000000001000ull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_va_canonical(&p, 0xab00000000001000ull), 0x0000000000001000ull);
    EXPECT_EQ(vmsa_check_va(&p, 0xabff000000001000ull), VMSA_RULE_VA_OUT_OF_RANGE);  // TBI1 = 0
    p = decode_tcr(tcr | TCR_TBI1);
    EXPECT_EQ(vmsa_check_va(&p, 0x12ff800000001000ull), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_va_canonical(&p, 0x12ff800000001000ull), 0xffff800000001000ull);
    EXPECT_EQ(vmsa_va_canonical(&p, 0xab00000000001000ull), 0xab00000000001000ull);  // TBI0 = 0
}

TEST(VmsaParams, EpdDisablesWalksOfItsRange)
{
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16, 16) | TCR_EPD0);
    EXPECT_EQ(vmsa_check_va(&p, 0x1000), VMSA_RULE_EPD_DISABLED);
    EXPECT_EQ(vmsa_check_va(&p, 0xffff000000001000ull), VMSA_RULE_NONE);
    p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16, 16) | TCR_EPD1);
    EXPECT_EQ(vmsa_check_va(&p, 0x1000), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_check_va(&p, 0xffff000000001000ull), VMSA_RULE_EPD_DISABLED);
}

TEST(VmsaParams, HpdPerRange)
{
    vmsa_params p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16, 16) | TCR_HPD0);
    EXPECT_TRUE(p.range[0].hpd);
    EXPECT_FALSE(p.range[1].hpd);
    p = decode_tcr(tcr_for(VMSA_GRANULE_4K, 16, 16) | TCR_HPD1);
    EXPECT_FALSE(p.range[0].hpd);
    EXPECT_TRUE(p.range[1].hpd);
}

TEST(VmsaParams, MairDecoding)
{
    EXPECT_EQ(mair_attr(kMair, 0), 0xff);
    EXPECT_EQ(mair_attr(kMair, 1), 0x00);
    EXPECT_EQ(mair_attr(kMair, 2), 0x04);
    EXPECT_EQ(mair_attr(kMair, 3), 0x44);
    EXPECT_FALSE(mair_is_device(0xff));
    EXPECT_TRUE(mair_is_device(MAIR_DEVICE_nGnRnE));
    EXPECT_TRUE(mair_is_device(MAIR_DEVICE_nGnRE));
    EXPECT_TRUE(mair_is_device(0x0c));  // Device-GRE
    EXPECT_FALSE(mair_is_device(MAIR_NORMAL_NC));
    EXPECT_FALSE(mair_is_device(0x40));  // outer NC, inner UNPREDICTABLE-free Normal
}
