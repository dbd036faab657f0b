// Two-stage translation (vmsa/s12_walk.h) on a plain array: every stage 1 descriptor access goes
// through a stage 2 walk first (S1PTW), then the output IPA does; stage 1 hardware updates are
// stage 2 writes; faults of either stage say which, with the VA (FAR) and the IPA (HPFAR).
#include "test_vmsa_harness.h"

extern "C" {
#include "vmsa/s12_walk.h"
#include "vmsa/s2_params.h"
}

using namespace vmsatest;

namespace {

constexpr uint64_t kS2Normal = 0xfull << S2DESC_MEMATTR_SHIFT;
constexpr uint64_t kS2RW = S2DESC_S2AP_R | S2DESC_S2AP_W;
// The IPA window [kIpaBase, +16MB) maps to PA kIpaBase + kIpaToPa by 2MB stage 2 blocks.
constexpr uint64_t kIpaBase = 0x40000000ull, kIpaToPa = 0x40000000ull;
constexpr uint64_t kS2Root = 0x10000000ull;   // PA of the stage 2 tables (not in the window)

class S12Walk : public ::testing::Test {
protected:
    Mem mem;
    vmsa_params s1{};
    vmsa_s2_params s2{};
    vmsa_s12_walk w{};
    vmsa_regs r1{};
    vmsa_s2_regs r2{};
    uint64_t s1_next = kIpaBase;   // IPA of the next stage 1 table
    uint64_t s2_next = kS2Root + 0x2000;

    void SetUp() override
    {
        // Stage 2: 4KB, 40-bit IPA from level 1 (two concatenated tables at kS2Root).
        r2.vtcr = 24ull << VTCR_T0SZ_SHIFT | 1ull << VTCR_SL0_SHIFT |
                  TCR_TG0_4K << VTCR_TG0_SHIFT | 5ull << VTCR_PS_SHIFT;
        r2.vttbr = kS2Root | 1ull << VTTBR_VMID_SHIFT;
        r2.hcr = HCR_VM;
        r2.mmfr0 = kMmfr0;
        r2.mmfr1 = 2ull << ID_AA64MMFR1_HAFDBS_SHIFT;
        vmsa_s2_params_decode(&s2, &r2);
        for (uint64_t ipa = kIpaBase; ipa < kIpaBase + (16ull << 20); ipa += 1ull << 21)
            s2_map(ipa, 2, (ipa + kIpaToPa) | DESC_VALID | DESC_AF | kS2Normal | kS2RW);
        // Stage 1: 4KB, 39-bit VA from level 1, tables in the IPA window.
        r1.tcr = 25ull << TCR_T0SZ_SHIFT | 25ull << TCR_T1SZ_SHIFT |
                 TCR_TG0_4K << TCR_TG0_SHIFT | TCR_TG1_4K << TCR_TG1_SHIFT |
                 5ull << TCR_IPS_SHIFT | TCR_EPD1;
        r1.mair = kMair;
        r1.sctlr = SCTLR_M;
        r1.mmfr0 = kMmfr0;
        r1.mmfr1 = 2ull << ID_AA64MMFR1_HAFDBS_SHIFT;
        r1.ttbr0 = s1_alloc();
        vmsa_params_decode(&s1, &r1);
    }
    void s2_set(uint64_t vtcr_bits)
    {
        r2.vtcr |= vtcr_bits;
        vmsa_s2_params_decode(&s2, &r2);
    }
    void s1_set(uint64_t tcr_bits)
    {
        r1.tcr |= tcr_bits;
        vmsa_params_decode(&s1, &r1);
    }
    uint64_t s1_alloc() { uint64_t t = s1_next; s1_next += 4096; return t; }
    static uint64_t pa_of(uint64_t ipa) { return ipa + kIpaToPa; }

    uint64_t s2_slot_of(uint64_t ipa, int level)
    {
        return s2_slot(mem, s2, ipa, level, [this] {
            uint64_t t = s2_next;
            s2_next += 4096;
            return t;
        });
    }
    uint64_t s2_map(uint64_t ipa, int level, uint64_t leaf)
    {
        uint64_t a = s2_slot_of(ipa, level);
        mem.at(a) = leaf;
        return a;
    }
    // Stage 1 leaf for `va` at `level`; returns the leaf's IPA. Tables are in the IPA window,
    // written at their PA.
    uint64_t s1_map(uint64_t va, int level, uint64_t leaf)
    {
        const vmsa_range &r = s1.range[0];
        uint64_t table = r.table_base;
        for (int l = r.start_level; l < level; l++) {
            uint64_t a = table + vmsa_level_index(&r, va, l) * 8;
            if (!(mem.get(pa_of(a)) & DESC_VALID))
                mem.at(pa_of(a)) = s1_alloc() | kTable;
            table = mem.get(pa_of(a)) & desc_oa_mask(12);
        }
        uint64_t ipa = table + vmsa_level_index(&r, va, level) * 8;
        mem.at(pa_of(ipa)) = leaf;
        return ipa;
    }
    vmsa_req run(uint64_t va, vmsa_acc_type t)
    {
        vmsa_access a = acc(t);
        vmsa_req r = vmsa_s12_walk_start(&w, &s1, &s2, va, &a);
        for (int guard = 0; guard < 200; guard++) {
            if (r.kind == VMSA_REQ_READ) {
                mem.reads.push_back(r.addr);
                r = vmsa_s12_walk_step(&w, mem.get(r.addr));
            } else if (r.kind == VMSA_REQ_CAS) {
                uint64_t found = mem.get(r.addr);
                if (found == r.old_desc) mem.at(r.addr) = r.new_desc;
                mem.cas.push_back({r.addr, r.old_desc, r.new_desc, found});
                r = vmsa_s12_walk_step(&w, found);
            } else {
                return r;
            }
        }
        ADD_FAILURE() << "translation did not finish";
        return r;
    }
};

}  // namespace

TEST_F(S12Walk, EveryStage1ReadIsTranslatedByStage2First)
{
    const uint64_t va = 0x12345000ull, out_ipa = kIpaBase + 0x600000;   // stage 1 page -> IPA
    s1_map(va, 3, out_ipa | kPage);
    vmsa_req r = run(va + 0x9a, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(r.result->pa, pa_of(out_ipa) + 0x9a);
    // Three stage 1 levels, each after a stage 2 walk of two reads (level 1, level 2 block), then
    // the output's stage 2 walk: 4 stage 2 walks, 8 stage 2 reads, 11 reads in all.
    EXPECT_EQ(w.s2_walks, 4u);
    EXPECT_EQ(w.s2_reads, 8u);
    EXPECT_EQ(mem.reads.size(), 11u);
    // The stage 1 reads went to PAs: the third read is the stage 1 level 1 descriptor.
    EXPECT_EQ(mem.reads[2], pa_of(s1.range[0].table_base + vmsa_level_index(&s1.range[0], va, 1) * 8));
    // Combined: the 4KB stage 1 page inside a 2MB stage 2 block is a 4KB entry.
    EXPECT_EQ(r.result->size_log2, 12);
    EXPECT_EQ(r.result->pa_base, pa_of(out_ipa));
    EXPECT_EQ(r.result->va_base, va);
    EXPECT_EQ(w.s1.result.pa, out_ipa + 0x9a);   // each stage's own result stays
}

TEST_F(S12Walk, Stage2FaultOnAStage1TableIsS1ptwWithTheTableIpa)
{
    const uint64_t va = 0x200000ull;
    s1_map(va, 3, (kIpaBase + 0x400000) | kPage);
    // Unmap (at stage 2) the 2MB block holding the stage 1 tables.
    uint64_t a = s2_slot_of(kIpaBase, 2);
    mem.at(a) = 0;
    vmsa_req r = run(va, VMSA_ACC_WRITE);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->stage, 2);
    EXPECT_TRUE(r.fault->s1ptw);
    EXPECT_FALSE(r.fault->write);   // the walk's read, not the store, faulted
    EXPECT_EQ(r.fault->rule, VMSA_RULE_INVALID_DESC);
    EXPECT_EQ(r.fault->level, 2);
    EXPECT_EQ(r.fault->va, va);
    EXPECT_EQ(r.fault->ipa, s1.range[0].table_base + vmsa_level_index(&s1.range[0], va, 1) * 8);
}

TEST_F(S12Walk, Stage1HardwareUpdateIsAStage2WriteThatCanDirtyIt)
{
    s1_set(TCR_HA);
    s2_set(VTCR_HA | VTCR_HD);
    const uint64_t va = 0x400000ull;
    uint64_t leaf = (kIpaBase + 0x800000) | (kPage & ~DESC_AF);   // AF = 0: hardware sets it
    uint64_t leaf_ipa = s1_map(va, 3, leaf);
    // Make the stage 2 block holding the stage 1 tables writable-clean (DBM, S2AP = 01).
    uint64_t s2a = s2_slot_of(kIpaBase, 2);
    uint64_t clean = (mem.get(s2a) & ~S2DESC_S2AP_W) | DESC_DBM;
    mem.at(s2a) = clean;
    vmsa_req r = run(va, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    ASSERT_EQ(mem.cas.size(), 2u);
    EXPECT_EQ(mem.cas[0].addr, s2a);                       // stage 2 made dirty first,
    EXPECT_EQ(mem.get(s2a), clean | S2DESC_S2AP_W);
    EXPECT_EQ(mem.cas[1].addr, pa_of(leaf_ipa));           // then the stage 1 AF, at its PA
    EXPECT_EQ(mem.get(pa_of(leaf_ipa)), leaf | DESC_AF);
    EXPECT_EQ(w.s2_cas, 1u);

    // Without HD the writable-clean stage 2 entry refuses the update: S1PTW, WnR = 1.
    r2.vtcr &= ~VTCR_HD;
    vmsa_s2_params_decode(&s2, &r2);
    mem.at(s2a) = clean;
    mem.at(pa_of(leaf_ipa)) = leaf;
    r = run(va, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_NO_WRITE);
    EXPECT_TRUE(r.fault->s1ptw);
    EXPECT_TRUE(r.fault->write);
    EXPECT_EQ(r.fault->ipa, leaf_ipa);
    EXPECT_EQ(mem.get(pa_of(leaf_ipa)), leaf);   // no stage 1 update after the fault
}

TEST_F(S12Walk, OutputStage2PermissionFaultCarriesTheOutputIpa)
{
    const uint64_t va = 0x600000ull, out_ipa = kIpaBase + 0xa00000;
    s1_map(va, 3, out_ipa | kPage);   // stage 1 read-write
    uint64_t s2a = s2_slot_of(out_ipa, 2);
    mem.at(s2a) &= ~S2DESC_S2AP_W;     // stage 2 read-only
    vmsa_req r = run(va + 8, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_FALSE(r.result->perms & VMSA_PERM_EL1_W);   // only what both stages grant
    EXPECT_TRUE(r.result->perms & VMSA_PERM_EL1_R);
    r = run(va + 8, VMSA_ACC_WRITE);
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->stage, 2);
    EXPECT_FALSE(r.fault->s1ptw);
    EXPECT_TRUE(r.fault->write);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_PERM_S2_NO_WRITE);
    EXPECT_EQ(r.fault->va, va + 8);
    EXPECT_EQ(r.fault->ipa, out_ipa + 8);
}

TEST_F(S12Walk, Stage1FaultIsAStage1Fault)
{
    vmsa_req r = run(0x800000ull, VMSA_ACC_READ);   // nothing mapped at stage 1
    ASSERT_EQ(r.kind, VMSA_REQ_FAULT);
    EXPECT_EQ(r.fault->stage, 1);
    EXPECT_FALSE(r.fault->s1ptw);
    EXPECT_EQ(r.fault->rule, VMSA_RULE_INVALID_DESC);
    EXPECT_EQ(r.fault->va, 0x800000ull);
}

TEST_F(S12Walk, Stage1DisabledTranslatesTheVaAsTheIpa)
{
    r1.sctlr = 0;
    vmsa_params_decode(&s1, &r1);
    vmsa_req r = run(kIpaBase + 0x123456, VMSA_ACC_READ);
    ASSERT_EQ(r.kind, VMSA_REQ_DONE);
    EXPECT_EQ(r.result->pa, pa_of(kIpaBase + 0x123456));
    EXPECT_EQ(r.result->size_log2, 21);
    EXPECT_EQ(w.s2_walks, 1u);
    EXPECT_EQ(mem.reads.size(), 2u);
}
