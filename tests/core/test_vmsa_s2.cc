// Stage 2 leaf rules on plain values (vmsa/s2_params.h, vmsa/s2_perms.h): the VTCR_EL2 decode
// (start level, concatenated tables, invalid SL0/T0SZ), VMIDs, HA/HD, the IPA checks, and every
// S2AP x DBM x HD x access case of the permission check and the hardware update, each against an
// answer written out here from the ARM ARM text, not computed by the code under test.
#include "test_vmsa_harness.h"

extern "C" {
#include "vmsa/s2_params.h"
#include "vmsa/s2_perms.h"
}

using namespace vmsatest;

namespace {

uint64_t vtcr(unsigned granule, unsigned t0sz, unsigned sl0, uint64_t extra = 0)
{
    return (uint64_t)t0sz << VTCR_T0SZ_SHIFT | (uint64_t)sl0 << VTCR_SL0_SHIFT |
           tg0_of(granule) << VTCR_TG0_SHIFT | 5ull << VTCR_PS_SHIFT | extra;
}

vmsa_s2_params decode(uint64_t vtcr_value, uint64_t vttbr = 0, uint64_t hcr = HCR_VM,
                      uint64_t mmfr0 = kMmfr0, unsigned hafdbs = 2, unsigned vmidbits = 2)
{
    vmsa_s2_regs r{};
    r.vtcr = vtcr_value;
    r.vttbr = vttbr;
    r.hcr = hcr;
    r.mmfr0 = mmfr0;
    r.mmfr1 = (uint64_t)hafdbs << ID_AA64MMFR1_HAFDBS_SHIFT |
              (uint64_t)vmidbits << ID_AA64MMFR1_VMIDBITS_SHIFT;
    vmsa_s2_params p{};
    vmsa_s2_params_decode(&p, &r);
    return p;
}

// The T0SZ values each granule and SL0 accept, and the start level SL0 names, as the ARM ARM's
// stage 2 tables of "initial lookup level" with concatenation list them (PARange 48 bits):
// 4KB:  SL0=2 -> L0 for T0SZ 16..24; SL0=1 -> L1 for 21..33; SL0=0 -> L2 for 30..39.
// 16KB: SL0=2 -> L1 for 16..27;      SL0=1 -> L2 for 24..38; SL0=0 -> L3 for 35..39.
// 64KB: SL0=2 -> L1 for 16..21;      SL0=1 -> L2 for 18..34; SL0=0 -> L3 for 31..39.
// SL0=3 is reserved for every granule (no FEAT_TTST, no FEAT_LPA2).
struct SlRange {
    unsigned granule, sl0;
    int level;
    unsigned t0sz_min, t0sz_max;
};
const SlRange kSlRanges[] = {
    {VMSA_GRANULE_4K, 2, 0, 16, 24},  {VMSA_GRANULE_4K, 1, 1, 21, 33},
    {VMSA_GRANULE_4K, 0, 2, 30, 39},  {VMSA_GRANULE_16K, 2, 1, 16, 27},
    {VMSA_GRANULE_16K, 1, 2, 24, 38}, {VMSA_GRANULE_16K, 0, 3, 35, 39},
    {VMSA_GRANULE_64K, 2, 1, 16, 21}, {VMSA_GRANULE_64K, 1, 2, 18, 34},
    {VMSA_GRANULE_64K, 0, 3, 31, 39},
};

}  // namespace

TEST(VmsaS2Params, StartLevelAndValidT0szPerGranuleAndSl0)
{
    for (const SlRange &c : kSlRanges) {
        for (unsigned t0sz = 16; t0sz <= 39; t0sz++) {
            vmsa_s2_params p = decode(vtcr(c.granule, t0sz, c.sl0));
            SCOPED_TRACE(testing::Message() << "granule 2^" << c.granule << " SL0 " << c.sl0
                                            << " T0SZ " << t0sz);
            bool valid = t0sz >= c.t0sz_min && t0sz <= c.t0sz_max;
            EXPECT_EQ(p.config_rule,
                      valid ? VMSA_RULE_NONE : VMSA_RULE_S2_BAD_START_LEVEL);
            if (valid) {
                EXPECT_EQ(p.range.start_level, c.level);
                EXPECT_EQ(p.range.iasize, 64 - t0sz);
                EXPECT_EQ(vmsa_s2_check_ipa(&p, 0), VMSA_RULE_NONE);
            } else {
                EXPECT_EQ(vmsa_s2_check_ipa(&p, 0), VMSA_RULE_S2_BAD_START_LEVEL);
            }
        }
        vmsa_s2_params reserved = decode(vtcr(c.granule, c.t0sz_min, 3));
        EXPECT_EQ(reserved.config_rule, VMSA_RULE_S2_BAD_START_LEVEL);
    }
}

TEST(VmsaS2Params, ConcatenatedStartTables)
{
    // 4KB, start at level 1 (L1 entries map 1GB): a 40-bit IPA space is 1024 GB = 2 tables of
    // 512 entries; 43 bits = 16 tables; 39 bits = 1 table. Level 2 start (2MB entries): 34 bits
    // = 16 tables. 64KB level 2 start (512MB entries, 8192 per table): 42 bits = 1 table,
    // 46 bits = 16 tables.
    // `entries`: start-level descriptors the IPA space needs (the 40-bit level 0 start uses 2
    // entries of one table).
    const struct { unsigned granule, t0sz, sl0, tables; uint64_t entries; } cases[] = {
        {VMSA_GRANULE_4K, 24, 1, 2, 1024},   {VMSA_GRANULE_4K, 21, 1, 16, 8192},
        {VMSA_GRANULE_4K, 25, 1, 1, 512},    {VMSA_GRANULE_4K, 30, 0, 16, 8192},
        {VMSA_GRANULE_4K, 33, 0, 2, 1024},   {VMSA_GRANULE_4K, 24, 2, 1, 2},
        {VMSA_GRANULE_64K, 22, 1, 1, 8192},  {VMSA_GRANULE_64K, 18, 1, 16, 131072},
    };
    for (const auto &c : cases) {
        vmsa_s2_params p = decode(vtcr(c.granule, c.t0sz, c.sl0));
        SCOPED_TRACE(testing::Message() << "granule 2^" << c.granule << " T0SZ " << c.t0sz
                                        << " SL0 " << c.sl0);
        ASSERT_EQ(p.config_rule, VMSA_RULE_NONE);
        // Concatenated tables are aligned to their total size: a VTTBR one granule above an
        // aligned base keeps that granule only when there is a single table.
        const uint64_t base = 1ull << 32, granule = 1ull << c.granule;
        vmsa_s2_params q = decode(vtcr(c.granule, c.t0sz, c.sl0), base + granule);
        EXPECT_EQ(q.range.table_base, c.tables == 1 ? base + granule : base);
        // The start-level index reaches every entry the IPA space needs, and no further.
        uint64_t last_ipa = (1ull << (64 - c.t0sz)) - 1;
        EXPECT_EQ(vmsa_level_index(&p.range, last_ipa, p.range.start_level) + 1, c.entries);
    }
}

TEST(VmsaS2Params, TableBaseAlignedToTheConcatenatedTables)
{
    // Two 4KB tables: 8KB aligned, so VTTBR BADDR bit 12 is treated as zero.
    vmsa_s2_params p = decode(vtcr(VMSA_GRANULE_4K, 24, 1), 0x40001000ull | 0x0005ull << 48);
    EXPECT_EQ(p.range.table_base, 0x40000000ull);
    EXPECT_EQ(p.range.ttbr_baddr, 0x40001000ull);
    EXPECT_EQ(p.vmid, 5);
}

TEST(VmsaS2Params, IpaAndBaseAddressChecks)
{
    vmsa_s2_params p = decode(vtcr(VMSA_GRANULE_4K, 24, 1), 0x40000000ull);
    EXPECT_EQ(vmsa_s2_check_ipa(&p, (1ull << 40) - 1), VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_s2_check_ipa(&p, 1ull << 40), VMSA_RULE_S2_IPA_OUT_OF_RANGE);
    vmsa_access read = acc(VMSA_ACC_READ);
    vmsa_fault f = vmsa_make_fault(VMSA_RULE_S2_IPA_OUT_OF_RANGE, 0, 0, &read);
    EXPECT_EQ(vmsa_fault_fsc(&f), 0x04);   // Translation fault, level 0
    // VTCR_EL2.PS = 40 bits (2): a VTTBR above 1TB is an Address size fault.
    uint64_t ps40 = vtcr(VMSA_GRANULE_4K, 24, 1) & ~(VTCR_PS_MASK << VTCR_PS_SHIFT);
    ps40 |= 2ull << VTCR_PS_SHIFT;
    vmsa_s2_params q = decode(ps40, 1ull << 41);
    EXPECT_EQ(q.oasize, 40);
    EXPECT_EQ(vmsa_s2_check_ipa(&q, 0), VMSA_RULE_TTBR_ADDR_TOO_LARGE);
}

TEST(VmsaS2Params, DeepestStartNeedsPaRange)
{
    // SL0 = 2 (start at level 0 with 4KB, level 1 with 64KB) needs PARange >= 44 bits; 16KB
    // needs 42. PARange 40 bits (encoding 2) refuses all three; 42 bits (3) only 16KB's.
    uint64_t mmfr0_40 = (kMmfr0 & ~0xfull) | 2, mmfr0_42 = (kMmfr0 & ~0xfull) | 3;
    EXPECT_EQ(decode(vtcr(VMSA_GRANULE_4K, 24, 2), 0, HCR_VM, mmfr0_40).config_rule,
              VMSA_RULE_S2_BAD_START_LEVEL);
    EXPECT_EQ(decode(vtcr(VMSA_GRANULE_64K, 21, 2), 0, HCR_VM, mmfr0_42).config_rule,
              VMSA_RULE_S2_BAD_START_LEVEL);
    EXPECT_EQ(decode(vtcr(VMSA_GRANULE_16K, 27, 2), 0, HCR_VM, mmfr0_40).config_rule,
              VMSA_RULE_S2_BAD_START_LEVEL);
    EXPECT_EQ(decode(vtcr(VMSA_GRANULE_16K, 27, 2), 0, HCR_VM, mmfr0_42).config_rule,
              VMSA_RULE_NONE);
}

TEST(VmsaS2Params, HardwareUpdatesVmidAndHcrBits)
{
    const uint64_t base = vtcr(VMSA_GRANULE_4K, 24, 1);
    // HD only counts with HA; each needs the HAFDBS level the ID register advertises.
    EXPECT_FALSE(decode(base | VTCR_HD).hd);
    EXPECT_TRUE(decode(base | VTCR_HA | VTCR_HD).hd);
    EXPECT_FALSE(decode(base | VTCR_HA | VTCR_HD, 0, HCR_VM, kMmfr0, 1).hd);
    EXPECT_TRUE(decode(base | VTCR_HA | VTCR_HD, 0, HCR_VM, kMmfr0, 1).ha);
    EXPECT_FALSE(decode(base | VTCR_HA, 0, HCR_VM, kMmfr0, 0).ha);
    // VMID[15:8] count only with VTCR_EL2.VS and 16-bit VMIDBits.
    const uint64_t vttbr = 0x1234ull << VTTBR_VMID_SHIFT;
    EXPECT_EQ(decode(base | VTCR_VS, vttbr).vmid, 0x1234);
    EXPECT_EQ(decode(base, vttbr).vmid, 0x34);
    EXPECT_EQ(decode(base | VTCR_VS, vttbr, HCR_VM, kMmfr0, 2, 0).vmid, 0x34);
    EXPECT_TRUE(decode(base).enabled);
    EXPECT_FALSE(decode(base, 0, 0).enabled);
    EXPECT_TRUE(decode(base, 0, HCR_VM | HCR_PTW).ptw);
}

namespace {

// S2AP x DBM x HD, written out: readable = S2AP[0]; writable = S2AP[1], or writable-clean
// (HD = 1, DBM = 1, S2AP[1] = 0) which is writable for the check and made dirty by a write.
struct LeafCase {
    unsigned s2ap;   // S2AP[1:0]
    bool dbm, hd;
    bool readable, writable, wclean;
    vmsa_dirty dirty;
};
const LeafCase kLeaves[] = {
    {0, false, false, false, false, false, VMSA_DIRTY_UNTRACKED},
    {1, false, false, true, false, false, VMSA_DIRTY_UNTRACKED},
    {2, false, false, false, true, false, VMSA_DIRTY_UNTRACKED},
    {3, false, false, true, true, false, VMSA_DIRTY_UNTRACKED},
    {0, true, false, false, false, false, VMSA_DIRTY_UNTRACKED},
    {1, true, false, true, false, false, VMSA_DIRTY_UNTRACKED},
    {2, true, false, false, true, false, VMSA_DIRTY_UNTRACKED},
    {3, true, false, true, true, false, VMSA_DIRTY_UNTRACKED},
    {0, false, true, false, false, false, VMSA_DIRTY_UNTRACKED},
    {1, false, true, true, false, false, VMSA_DIRTY_UNTRACKED},
    {2, false, true, false, true, false, VMSA_DIRTY_UNTRACKED},
    {3, false, true, true, true, false, VMSA_DIRTY_UNTRACKED},
    {0, true, true, false, true, true, VMSA_DIRTY_CLEAN},
    {1, true, true, true, true, true, VMSA_DIRTY_CLEAN},
    {2, true, true, false, true, false, VMSA_DIRTY_DIRTY},
    {3, true, true, true, true, false, VMSA_DIRTY_DIRTY},
};

// What each access needs at stage 2 (ASL AArch64.S2CheckPermissions): reads and AT reads need
// read; writes, DC ZVA, DC IVAC and AT writes need write; atomics need both (read first); data
// cache clean by VA and IC IVAU need nothing; fetches need XN = 0. `dirties`: a write that
// makes a writable-clean entry dirty (not DC IVAC, not AT).
struct AccessCase {
    vmsa_acc_type type;
    bool needs_read, needs_write, dirties;
};
const AccessCase kAccesses[] = {
    {VMSA_ACC_READ, true, false, false},     {VMSA_ACC_WRITE, false, true, true},
    {VMSA_ACC_RMW, true, true, true},        {VMSA_ACC_FETCH, false, false, false},
    {VMSA_ACC_DC_CLEAN, false, false, false}, {VMSA_ACC_DC_INVAL, false, true, false},
    {VMSA_ACC_DC_ZVA, false, true, true},    {VMSA_ACC_IC_INVAL, false, false, false},
    {VMSA_ACC_AT_READ, true, false, false},  {VMSA_ACC_AT_WRITE, false, true, false},
};

uint64_t s2_leaf(unsigned s2ap, bool dbm, bool af, bool xn)
{
    uint64_t d = DESC_VALID | DESC_TYPE_PAGE | 0xfull << S2DESC_MEMATTR_SHIFT | 0x80000000ull;
    if (s2ap & 1) d |= S2DESC_S2AP_R;
    if (s2ap & 2) d |= S2DESC_S2AP_W;
    if (dbm) d |= DESC_DBM;
    if (af) d |= DESC_AF;
    if (xn) d |= S2DESC_XN;
    return d;
}

}  // namespace

TEST(VmsaS2Perms, S2apDbmHdAccessMatrix)
{
    for (const LeafCase &l : kLeaves)
        for (const AccessCase &a : kAccesses)
            for (int xn = 0; xn < 2; xn++)
                for (int ha = 0; ha < 2; ha++) {
                    SCOPED_TRACE(testing::Message() << "S2AP " << l.s2ap << " DBM " << l.dbm
                                                    << " HD " << l.hd << " HA " << ha << " XN "
                                                    << xn << " access " << a.type);
                    uint64_t desc = s2_leaf(l.s2ap, l.dbm, !ha, xn);
                    uint8_t in = vmsa_s2_perm_inputs(desc, l.hd);
                    EXPECT_EQ(vmsa_s2_dirty_state(desc, l.hd), l.dirty);
                    vmsa_access access = acc(a.type);

                    vmsa_rule expected = VMSA_RULE_NONE;
                    if (a.type == VMSA_ACC_FETCH && xn)
                        expected = VMSA_RULE_PERM_S2_XN;
                    else if (a.needs_read && !l.readable)
                        expected = VMSA_RULE_PERM_S2_NO_READ;
                    else if (a.needs_write && !l.writable)
                        expected = VMSA_RULE_PERM_S2_NO_WRITE;
                    vmsa_rule got = vmsa_s2_check_permission(in, &access);
                    EXPECT_EQ(got, expected) << vmsa_rule_name(got);
                    if (got != VMSA_RULE_NONE)
                        continue;   // a faulting access makes no update

                    uint64_t want = desc;
                    if (ha) want |= DESC_AF;
                    if (l.wclean && a.dirties) want |= S2DESC_S2AP_W;
                    EXPECT_EQ(vmsa_s2_updated_desc(desc, in, ha, &access, false), want);
                }
}

TEST(VmsaS2Perms, AtomicWnROfStage2PermissionFaults)
{
    // An atomic that stage 2 forbids to read reports WnR = 0, one it forbids to write WnR = 1.
    vmsa_access rmw = acc(VMSA_ACC_RMW);
    EXPECT_FALSE(vmsa_make_fault(VMSA_RULE_PERM_S2_NO_READ, 3, 0, &rmw).write);
    EXPECT_TRUE(vmsa_make_fault(VMSA_RULE_PERM_S2_NO_WRITE, 3, 0, &rmw).write);
    EXPECT_EQ(vmsa_rule_kind(VMSA_RULE_PERM_S2_NO_WRITE), VMSA_FAULT_PERMISSION);
    EXPECT_EQ(vmsa_rule_kind(VMSA_RULE_S2_BAD_START_LEVEL), VMSA_FAULT_TRANSLATION);
}

TEST(VmsaS2Perms, StageOneWalkAccessThroughStage2)
{
    // Reading a stage 1 descriptor needs stage 2 read; a hardware update of it is a stage 2
    // write, which makes a writable-clean stage 2 entry dirty; with HCR_EL2.PTW the stage 1
    // tables may not sit in stage 2 Device memory.
    const uint64_t ro = s2_leaf(1, false, true, false), rw = s2_leaf(3, false, true, false);
    const uint64_t wclean = s2_leaf(1, true, true, false), none = s2_leaf(0, false, true, false);
    const uint64_t device = rw & ~S2DESC_MEMATTR_MASK;   // MemAttr 0000: Device-nGnRnE
    const bool hd = true;
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(ro, hd), false, false),
              VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(ro, hd), true, false),
              VMSA_RULE_PERM_S2_NO_WRITE);
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(none, hd), false, false),
              VMSA_RULE_PERM_S2_NO_READ);
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(wclean, hd), true, false),
              VMSA_RULE_NONE);
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(device, hd), false, true),
              VMSA_RULE_PERM_S2_PTW_DEVICE);
    EXPECT_EQ(vmsa_s2_check_walk_access(vmsa_s2_perm_inputs(device, hd), false, false),
              VMSA_RULE_NONE);
    vmsa_access read = acc(VMSA_ACC_READ);
    EXPECT_EQ(vmsa_s2_updated_desc(wclean, vmsa_s2_perm_inputs(wclean, hd), false, &read, true),
              wclean | S2DESC_S2AP_W);
    EXPECT_EQ(vmsa_s2_updated_desc(wclean, vmsa_s2_perm_inputs(wclean, hd), false, &read, false),
              wclean);
}
