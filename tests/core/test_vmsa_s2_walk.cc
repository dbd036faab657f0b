// The stage 2 walk (vmsa_walk_start_s2) on a plain array: concatenated start tables, blocks and
// pages, the Access flag with and without VTCR_EL2.HA, the dirty state (S2AP[1]) with HD, the CAS
// and its restart, no update on a faulting walk, stage 2 fault records (stage, IPA, S1PTW, WnR),
// and a stage 1 walk's descriptor accesses (read permission, the hardware update as a write,
// HCR_EL2.PTW). Expected values come from the ARM ARM rules named in each test.
#include "test_vmsa_harness.h"

extern "C" {
#include "vmsa/s2_params.h"
#include "vmsa/s2_perms.h"
}

using namespace vmsatest;

namespace {

constexpr uint64_t kS2Normal = 0xfull << S2DESC_MEMATTR_SHIFT;   // Normal, Write-Back
constexpr uint64_t kRW = S2DESC_S2AP_R | S2DESC_S2AP_W;

class S2Walk : public ::testing::Test {
protected:
    static constexpr uint64_t kArena = 0x10000000ull;
    Mem mem;
    vmsa_s2_regs regs{};
    vmsa_s2_params p{};
    vmsa_walk w{};
    uint64_t next = kArena;
    uint64_t root = 0;

    // 4KB granule, 40-bit IPA, start at level 1: two concatenated level 1 tables (8KB aligned).
    void SetUp() override { setup(24, 1); }

    void setup(unsigned t0sz, unsigned sl0, uint64_t vtcr_extra = 0, uint64_t hcr = HCR_VM)
    {
        next = kArena;
        regs = {};
        regs.vtcr = (uint64_t)t0sz << VTCR_T0SZ_SHIFT | (uint64_t)sl0 << VTCR_SL0_SHIFT |
                    TCR_TG0_4K << VTCR_TG0_SHIFT | 5ull << VTCR_PS_SHIFT | vtcr_extra;
        regs.hcr = hcr;
        regs.mmfr0 = kMmfr0;
        regs.mmfr1 = 2ull << ID_AA64MMFR1_HAFDBS_SHIFT;
        vmsa_s2_params_decode(&p, &regs);
        ASSERT_EQ(p.config_rule, VMSA_RULE_NONE);
        root = alloc(8ull << (64 - t0sz - vmsa_level_shift(&p.range, p.range.start_level)));
        regs.vttbr = root | 7ull << VTTBR_VMID_SHIFT;
        vmsa_s2_params_decode(&p, &regs);
    }
    void set_ha_hd(bool ha, bool hd)
    {
        regs.vtcr &= ~(VTCR_HA | VTCR_HD);
        if (ha) regs.vtcr |= VTCR_HA;
        if (hd) regs.vtcr |= VTCR_HD;
        vmsa_s2_params_decode(&p, &regs);
    }
    uint64_t alloc(uint64_t size)
    {
        size = size < 4096 ? 4096 : size;
        next = (next + size - 1) & ~(size - 1);
        uint64_t t = next;
        next += size;
        return t;
    }
    uint64_t slot(uint64_t ipa, int level)
    {
        return s2_slot(mem, p, ipa, level, [this] { return alloc(4096); });
    }
    uint64_t map(uint64_t ipa, int level, uint64_t leaf)
    {
        uint64_t a = slot(ipa, level);
        mem.at(a) = leaf;
        return a;
    }
    vmsa_req walk(uint64_t ipa, vmsa_acc_type t, bool s1ptw = false, bool s1_update = false)
    {
        vmsa_access a = acc(t);
        return mem.run(&w, vmsa_walk_start_s2(&w, &p, ipa, &a, s1ptw, s1_update));
    }
};

}  // namespace

TEST_F(S2Walk, PageThroughTheSecondConcatenatedTable)
{
    // IPA 0x80_4000_1000 (512 GB + 1 GB + 4 KB): level 1 index 513 lies in the second of the
    // two concatenated level 1 tables (ARM ARM D8.2 "concatenated translation tables").
    const uint64_t ipa = 0x8040001000ull;
    uint64_t leaf = 0x80005000ull | DESC_VALID | DESC_TYPE_PAGE | DESC_AF | kS2Normal | kRW;
    map(ipa, 3, leaf);
    vmsa_req r = walk(ipa + 0x123, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(r.result->pa, 0x80005123ull);
    EXPECT_EQ(r.result->size_log2, 12);
    EXPECT_EQ(mem.reads.size(), 3u);
    EXPECT_EQ(mem.reads[0], root + 4096 + 8);   // second table, entry 1
    EXPECT_EQ(r.result->attr, 0xf);
    EXPECT_FALSE(r.result->device);
    EXPECT_EQ(r.result->dirty, VMSA_DIRTY_UNTRACKED);
    EXPECT_EQ(r.result->perms & (VMSA_PERM_EL1_W | VMSA_PERM_EL0_X),
              VMSA_PERM_EL1_W | VMSA_PERM_EL0_X);
}

TEST_F(S2Walk, BlocksAtLevelsOneAndTwo)
{
    map(0x40000000ull, 1, 0xc0000000ull | DESC_VALID | DESC_AF | kS2Normal | kRW);
    vmsa_req r = walk(0x40001234ull, VMSA_ACC_WRITE);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(r.result->pa, 0xc0001234ull);
    EXPECT_EQ(r.result->size_log2, 30);
    map(0x80200000ull, 2, 0x1000000ull | DESC_VALID | DESC_AF | kS2Normal | kRW);
    r = walk(0x80200010ull, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(r.result->pa, 0x1000010ull);
    EXPECT_EQ(r.result->level, 2);
}

TEST_F(S2Walk, Level0ChecksAndInvalidDescriptorsAreStage2Faults)
{
    vmsa_req r = walk(1ull << 40, VMSA_ACC_READ);   // above the 40-bit IPA size
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_S2_IPA_OUT_OF_RANGE);
    EXPECT_EQ(r.fault->level, 0);
    EXPECT_EQ(r.fault->stage, 2);
    EXPECT_EQ(r.fault->ipa, 1ull << 40);
    EXPECT_TRUE(mem.reads.empty());

    r = walk(0x1000, VMSA_ACC_WRITE);   // nothing mapped: invalid level 1 descriptor
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_INVALID_DESC);
    EXPECT_EQ(r.fault->level, 1);
    EXPECT_EQ(r.fault->stage, 2);
    EXPECT_FALSE(r.fault->s1ptw);
    EXPECT_TRUE(r.fault->write);
    EXPECT_EQ(vmsa_fault_fsc(r.fault), 0x05);
}

TEST_F(S2Walk, AccessFlagFaultWithoutHaAndCasWithHa)
{
    const uint64_t ipa = 0x2000;
    uint64_t leaf = 0x90000000ull | DESC_VALID | DESC_TYPE_PAGE | kS2Normal | kRW;   // AF = 0
    uint64_t a = map(ipa, 3, leaf);
    vmsa_req r = walk(ipa, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_AF_CLEAR);
    EXPECT_EQ(r.fault->stage, 2);
    EXPECT_EQ(vmsa_fault_fsc(r.fault), 0x0b);
    EXPECT_TRUE(mem.cas.empty());

    set_ha_hd(true, false);   // VTCR_EL2.HA: hardware sets AF (D8.5.1 at stage 2)
    r = walk(ipa, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    ASSERT_EQ(mem.cas.size(), 1u);
    EXPECT_EQ(mem.get(a), leaf | DESC_AF);
    EXPECT_TRUE(r.result->af_updated);
    EXPECT_FALSE(r.result->dirty_updated);
}

TEST_F(S2Walk, WriteMakesWritableCleanDirtyByS2apOne)
{
    set_ha_hd(true, true);
    const uint64_t ipa = 0x3000;
    uint64_t clean = 0x91000000ull | DESC_VALID | DESC_TYPE_PAGE | DESC_AF | kS2Normal |
                     S2DESC_S2AP_R | DESC_DBM;   // S2AP = 01, DBM: writable-clean
    uint64_t a = map(ipa, 3, clean);
    vmsa_req r = walk(ipa, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_TRUE(mem.cas.empty());
    EXPECT_EQ(r.result->dirty, VMSA_DIRTY_CLEAN);
    r = walk(ipa, VMSA_ACC_WRITE);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(mem.get(a), clean | S2DESC_S2AP_W);
    EXPECT_TRUE(r.result->dirty_updated);
    EXPECT_EQ(r.result->dirty, VMSA_DIRTY_DIRTY);

    // Without HD the same entry is read-only: a stage 2 Permission fault, and no update.
    set_ha_hd(true, false);
    mem.at(a) = clean;
    r = walk(ipa, VMSA_ACC_WRITE);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_NO_WRITE);
    EXPECT_EQ(vmsa_fault_fsc(r.fault), 0x0f);
    EXPECT_EQ(mem.get(a), clean);
}

TEST_F(S2Walk, FailedCasReEvaluatesTheNewValue)
{
    // Software made the entry invalid between the walk's read and its CAS (D8.5.2 I_YZSVV).
    set_ha_hd(true, true);
    const uint64_t ipa = 0x4000;
    uint64_t leaf = 0x92000000ull | DESC_VALID | DESC_TYPE_PAGE | kS2Normal | kRW;
    uint64_t a = map(ipa, 3, leaf);
    mem.before_cas = [a](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = 0;
    };
    vmsa_req r = walk(ipa, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_INVALID_DESC);
    EXPECT_EQ(w.cas_retries, 1u);
    EXPECT_EQ(mem.get(a), 0u);
}

TEST_F(S2Walk, StageOneDescriptorAccesses)
{
    set_ha_hd(true, true);
    const uint64_t table_ipa = 0x5000;
    uint64_t ro = 0x93000000ull | DESC_VALID | DESC_TYPE_PAGE | DESC_AF | kS2Normal |
                  S2DESC_S2AP_R;
    uint64_t a = map(table_ipa, 3, ro);
    // A stage 1 descriptor read needs stage 2 read permission only.
    vmsa_req r = walk(table_ipa + 0x18, VMSA_ACC_WRITE, true, false);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_TRUE(mem.cas.empty());
    // Its hardware update is a write at stage 2: a Permission fault with S1PTW = 1, WnR = 1.
    r = walk(table_ipa + 0x18, VMSA_ACC_READ, true, true);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_NO_WRITE);
    EXPECT_TRUE(r.fault->s1ptw);
    EXPECT_TRUE(r.fault->write);
    EXPECT_EQ(r.fault->ipa, table_ipa + 0x18);
    // With DBM the stage 2 entry is writable-clean: the update dirties it.
    mem.at(a) = ro | DESC_DBM;
    r = walk(table_ipa + 0x18, VMSA_ACC_READ, true, true);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(mem.get(a), ro | DESC_DBM | S2DESC_S2AP_W);
    // A plain read of a stage 1 descriptor never dirties, even for a store's walk.
    mem.at(a) = ro | DESC_DBM;
    mem.cas.clear();
    r = walk(table_ipa + 0x18, VMSA_ACC_WRITE, true, false);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_TRUE(mem.cas.empty());
    // No read permission: S1PTW fault with WnR = 0.
    mem.at(a) = (ro & ~S2DESC_S2AP_R) | S2DESC_S2AP_W;
    r = walk(table_ipa + 0x18, VMSA_ACC_WRITE, true, false);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_NO_READ);
    EXPECT_FALSE(r.fault->write);
}

TEST_F(S2Walk, PtwForbidsStageOneTablesInDeviceMemory)
{
    const uint64_t ipa = 0x6000;
    uint64_t device = 0x94000000ull | DESC_VALID | DESC_TYPE_PAGE | DESC_AF | kRW;   // MemAttr 0
    map(ipa, 3, device);
    vmsa_req r = walk(ipa, VMSA_ACC_READ, true, false);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);   // HCR_EL2.PTW = 0
    setup(24, 1, 0, HCR_VM | HCR_PTW);
    map(ipa, 3, device);
    r = walk(ipa, VMSA_ACC_READ, true, false);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_PTW_DEVICE);
    EXPECT_TRUE(r.fault->s1ptw);
    // A data access to stage 2 Device memory is checked for alignment at stage 2.
    vmsa_access unaligned = acc(VMSA_ACC_READ, false, false, 8);
    r = mem.run(&w, vmsa_walk_start_s2(&w, &p, ipa + 4, &unaligned, false, false));
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->kind, VMSA_FAULT_ALIGNMENT);
    EXPECT_EQ(r.fault->stage, 2);
}

TEST_F(S2Walk, InvalidStartLevelFaultsAtLevel0)
{
    regs.vtcr = (regs.vtcr & ~(VTCR_SL0_MASK << VTCR_SL0_SHIFT)) | 3ull << VTCR_SL0_SHIFT;
    vmsa_s2_params_decode(&p, &regs);
    vmsa_req r = walk(0x1000, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_S2_BAD_START_LEVEL);
    EXPECT_EQ(vmsa_fault_fsc(r.fault), 0x04);
    EXPECT_TRUE(mem.reads.empty());
}
