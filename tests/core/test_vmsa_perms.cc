// Stage 1 Direct permissions (ARM ARM D8.4.1.2 Tables D8-63, D8-64, D8-65; D8.4.5 PSTATE.PAN;
// D8.15.3 permissions of cache maintenance). Permission faults report the level of the leaf
// (D8.15.1.5 R_CSRQR): DFSC 0b0011LL.
#include "test_vmsa_harness.h"

using namespace vmsatest;

namespace {

constexpr uint64_t kOa = 0x0000000080000000ull;
constexpr uint64_t kAp00 = 0, kAp01 = DESC_AP1, kAp10 = DESC_AP2, kAp11 = DESC_AP2 | DESC_AP1;

enum : uint8_t {
    PR = VMSA_PERM_EL1_R, PW = VMSA_PERM_EL1_W, PX = VMSA_PERM_EL1_X,
    UR = VMSA_PERM_EL0_R, UW = VMSA_PERM_EL0_W, UX = VMSA_PERM_EL0_X,
};

struct SummaryRow {
    int uxn, pxn;
    uint64_t ap;
    int wxn;  // -1: either value
    uint8_t perms;
};

// Table D8-65, "Summary of possible memory access permissions using Direct permissions for a
// stage 1 translation supporting two Exception levels", row by row.
const SummaryRow kTableD8_65[] = {
    {0, 0, kAp00, 0, PR | PW | PX | UX},
    {0, 0, kAp00, 1, PR | PW | UX},
    {0, 0, kAp01, 0, PR | PW | UR | UW | UX},
    {0, 0, kAp01, 1, PR | PW | UR | UW},
    {0, 0, kAp10, -1, PR | PX | UX},
    {0, 0, kAp11, -1, PR | PX | UR | UX},
    {0, 1, kAp00, -1, PR | PW | UX},
    {0, 1, kAp01, 0, PR | PW | UR | UW | UX},
    {0, 1, kAp01, 1, PR | PW | UR | UW},
    {0, 1, kAp10, -1, PR | UX},
    {0, 1, kAp11, -1, PR | UR | UX},
    {1, 0, kAp00, 0, PR | PW | PX},
    {1, 0, kAp00, 1, PR | PW},
    {1, 0, kAp01, -1, PR | PW | UR | UW},
    {1, 0, kAp10, -1, PR | PX},
    {1, 0, kAp11, -1, PR | PX | UR},
    {1, 1, kAp00, -1, PR | PW},
    {1, 1, kAp01, -1, PR | PW | UR | UW},
    {1, 1, kAp10, -1, PR},
    {1, 1, kAp11, -1, PR | UR},
};

class Perms : public VmsaFixture {
protected:
    void SetUp() override { setup(VMSA_GRANULE_4K); }
    void wxn(bool on)
    {
        regs.sctlr = on ? (regs.sctlr | SCTLR_WXN) : (regs.sctlr & ~SCTLR_WXN);
        decode();
    }
};

}  // namespace

TEST(PermsSummary, TableD8_65)
{
    for (const auto &row : kTableD8_65) {
        for (int wxn = 0; wxn < 2; wxn++) {
            if (row.wxn >= 0 && row.wxn != wxn) continue;
            uint64_t desc = kPage | row.ap | (row.uxn ? DESC_UXN : 0) | (row.pxn ? DESC_PXN : 0);
            uint16_t in = vmsa_perm_inputs(desc, 0, false, wxn != 0);
            EXPECT_EQ(vmsa_perms_from_inputs(in), row.perms)
                << "UXN " << row.uxn << " PXN " << row.pxn << " AP " << (row.ap >> 6) << " WXN "
                << wxn;
        }
    }
}

TEST(PermsSummary, TableD8_64AptableLimitsLaterLevels)
{
    // APTable 01: removes UnprivRead/Write; 10: removes both writes; 11: all three.
    uint64_t desc = kPage | kAp01 | DESC_UXN | DESC_PXN;
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(desc, 0, false, false)), PR | PW | UR | UW);
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(desc, VMSA_TATTR_APTABLE0, false, false)),
              PR | PW);
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(desc, VMSA_TATTR_APTABLE1, false, false)),
              PR | UR);
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(
                  desc, VMSA_TATTR_APTABLE0 | VMSA_TATTR_APTABLE1, false, false)),
              PR);
    // XNTable: as if UXN / PXN were 1.
    desc = kPage | kAp10;
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(desc, VMSA_TATTR_UXNTABLE, false, false)),
              PR | PX);
    EXPECT_EQ(vmsa_perms_from_inputs(vmsa_perm_inputs(desc, VMSA_TATTR_PXNTABLE, false, false)),
              PR | UX);
}

// Table D8-63: AP[2:1] 00 EL1 RW; 01 EL1 RW, EL0 RW; 10 EL1 R; 11 EL1 R, EL0 R.
TEST_F(Perms, DataAccessByApAndPrivilege)
{
    const struct { uint64_t ap; bool unpriv; vmsa_acc_type t; vmsa_rule rule; } cases[] = {
        {kAp00, false, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp00, false, VMSA_ACC_WRITE, VMSA_RULE_NONE},
        {kAp00, true, VMSA_ACC_READ, VMSA_RULE_PERM_EL0_NO_ACCESS},
        {kAp00, true, VMSA_ACC_WRITE, VMSA_RULE_PERM_EL0_NO_ACCESS},
        {kAp01, false, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp01, false, VMSA_ACC_WRITE, VMSA_RULE_NONE},
        {kAp01, true, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp01, true, VMSA_ACC_WRITE, VMSA_RULE_NONE},
        {kAp10, false, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp10, false, VMSA_ACC_WRITE, VMSA_RULE_PERM_WRITE_READONLY},
        {kAp10, true, VMSA_ACC_READ, VMSA_RULE_PERM_EL0_NO_ACCESS},
        {kAp10, true, VMSA_ACC_WRITE, VMSA_RULE_PERM_EL0_NO_ACCESS},
        {kAp11, false, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp11, false, VMSA_ACC_WRITE, VMSA_RULE_PERM_WRITE_READONLY},
        {kAp11, true, VMSA_ACC_READ, VMSA_RULE_NONE},
        {kAp11, true, VMSA_ACC_WRITE, VMSA_RULE_PERM_WRITE_READONLY},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(testing::Message() << "AP[2:1] " << (c.ap >> 6) << " unpriv " << c.unpriv
                                        << " write " << (c.t == VMSA_ACC_WRITE));
        map(0x1000, 3, kOa | kPage | c.ap);
        vmsa_req r = walk(0x1000, acc(c.t, c.unpriv));
        if (c.rule == VMSA_RULE_NONE) {
            expect_done(r);
        } else {
            expect_fault(r, c.rule, 0x0f);
            EXPECT_EQ(r.fault->kind, VMSA_FAULT_PERMISSION);
            EXPECT_EQ(r.fault->write, c.t == VMSA_ACC_WRITE);
        }
    }
}

TEST_F(Perms, PermissionFaultReportsLeafLevel)
{
    map(0x40000000, 1, kOa | kBlock | kAp10);
    map(0x00200000, 2, kOa | kBlock | kAp10);
    expect_fault(walk(0x40000000, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0d);
    expect_fault(walk(0x00200000, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0e);
}

TEST_F(Perms, ExecuteNever)
{
    map(0x1000, 3, kOa | kPage | DESC_UXN);
    map(0x2000, 3, kOa | kPage | DESC_PXN);
    expect_fault(walk(0x1000, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_PERM_XN, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, false)));
    expect_fault(walk(0x2000, acc(VMSA_ACC_FETCH, false)), VMSA_RULE_PERM_XN, 0x0f);
    expect_done(walk(0x2000, acc(VMSA_ACC_FETCH, true)));
    // XN does not prevent data accesses (R_WRCYB).
    expect_done(walk(0x1000, acc(VMSA_ACC_READ)));
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_FETCH, true));
    EXPECT_TRUE(r.fault->fetch);
    EXPECT_FALSE(r.fault->write);
}

TEST_F(Perms, El0ExecuteOnlyMemory)
{
    // AP[2:1] = 00 without UXN: EL0 may execute but not read.
    map(0x1000, 3, kOa | kPage | kAp00);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, true)));
    expect_fault(walk(0x1000, acc(VMSA_ACC_READ, true)), VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
}

TEST_F(Perms, El0WritableImpliesPrivilegedExecuteNever)
{
    map(0x1000, 3, kOa | kPage | kAp01);  // EL0 writable
    map(0x2000, 3, kOa | kPage | kAp11);  // EL0 read-only
    expect_fault(walk(0x1000, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_PXN_EL0_WRITABLE, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, true)));
    expect_done(walk(0x2000, acc(VMSA_ACC_FETCH)));
}

TEST_F(Perms, WxnMakesWritableMemoryExecuteNever)
{
    wxn(true);
    map(0x1000, 3, kOa | kPage | kAp00);  // EL1 writable
    map(0x2000, 3, kOa | kPage | kAp10);  // read-only
    map(0x3000, 3, kOa | kPage | kAp01);  // EL0 writable
    expect_fault(walk(0x1000, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_WXN, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, true)));  // not EL0-writable: UX stays
    expect_done(walk(0x2000, acc(VMSA_ACC_FETCH)));
    expect_fault(walk(0x3000, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_PERM_WXN, 0x0f);
    wxn(false);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH)));
    expect_done(walk(0x3000, acc(VMSA_ACC_FETCH, true)));
}

TEST_F(Perms, PanBlocksPrivilegedDataAccessToEl0Memory)
{
    map(0x1000, 3, kOa | kPage | kAp01);
    map(0x2000, 3, kOa | kPage | kAp11);
    map(0x3000, 3, kOa | kPage | kAp00);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_READ, false, true));
    expect_fault(r, VMSA_RULE_PERM_PAN, 0x0f);
    EXPECT_FALSE(r.fault->write);
    expect_fault(walk(0x1000, acc(VMSA_ACC_WRITE, false, true)), VMSA_RULE_PERM_PAN, 0x0f);
    expect_fault(walk(0x2000, acc(VMSA_ACC_READ, false, true)), VMSA_RULE_PERM_PAN, 0x0f);
    expect_done(walk(0x3000, acc(VMSA_ACC_READ, false, true)));   // not EL0-accessible
    expect_done(walk(0x1000, acc(VMSA_ACC_READ, false, false)));  // PAN = 0
    expect_done(walk(0x1000, acc(VMSA_ACC_READ, true, true)));    // LDTR: unprivileged access
}

TEST_F(Perms, PanExemptions)
{
    // R_PMTWB: no effect on fetches, on data cache instructions other than DC ZVA, on AT.
    map(0x2000, 3, kOa | kPage | kAp11);
    map(0x1000, 3, kOa | kPage | kAp01);
    expect_done(walk(0x2000, acc(VMSA_ACC_FETCH, false, true)));
    expect_done(walk(0x1000, acc(VMSA_ACC_DC_CLEAN, false, true)));
    expect_done(walk(0x1000, acc(VMSA_ACC_DC_INVAL, false, true)));
    expect_done(walk(0x1000, acc(VMSA_ACC_IC_INVAL, false, true)));
    expect_done(walk(0x1000, acc(VMSA_ACC_AT_READ, false, true)));
    expect_fault(walk(0x1000, acc(VMSA_ACC_DC_ZVA, false, true)), VMSA_RULE_PERM_PAN, 0x0f);
    expect_fault(walk(0x1000, acc(VMSA_ACC_RMW, false, true)), VMSA_RULE_PERM_PAN, 0x0f);
}

TEST_F(Perms, PanIgnoresMemoryMadeUnprivilegedInaccessibleByApTable)
{
    table_bits[2] = DESC_APTABLE0;
    map(0x1000, 3, kOa | kPage | kAp01);
    expect_done(walk(0x1000, acc(VMSA_ACC_READ, false, true)));
}

TEST_F(Perms, HierarchicalApTable)
{
    table_bits[0] = DESC_APTABLE0;  // level 0 Table descriptor: no EL0 access below
    map(0x1000, 3, kOa | kPage | kAp01);
    expect_fault(walk(0x1000, acc(VMSA_ACC_READ, true)), VMSA_RULE_PERM_APTABLE_EL0, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_WRITE)));

    mem = Mem{};
    next_table = kTableArena + 0x100000;
    table_bits[0] = 0;
    table_bits[1] = DESC_APTABLE1;  // level 1 Table descriptor: read-only below
    map(0x1000, 3, kOa | kPage | kAp01);
    expect_fault(walk(0x1000, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_APTABLE_READONLY, 0x0f);
    expect_fault(walk(0x1000, acc(VMSA_ACC_WRITE, true)), VMSA_RULE_PERM_APTABLE_READONLY, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_READ, true)));
    // Read-only below: no longer EL0-writable, so EL1 may execute it.
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH)));
}

TEST_F(Perms, HierarchicalXnTable)
{
    table_bits[2] = DESC_UXNTABLE;
    map(0x1000, 3, kOa | kPage);
    expect_fault(walk(0x1000, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_PERM_XNTABLE, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH)));

    mem = Mem{};
    next_table = kTableArena + 0x100000;
    table_bits[2] = DESC_PXNTABLE;
    map(0x1000, 3, kOa | kPage);
    expect_fault(walk(0x1000, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_XNTABLE, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, true)));
}

TEST_F(Perms, HierarchicalControlsOnABlock)
{
    table_bits[0] = DESC_APTABLE1 | DESC_PXNTABLE;
    map(0x40000000, 1, kOa | kBlock);
    expect_fault(walk(0x40000000, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_APTABLE_READONLY, 0x0d);
    expect_fault(walk(0x40000000, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_XNTABLE, 0x0d);
}

TEST_F(Perms, HpdDisablesHierarchicalControlsOfItsRange)
{
    table_bits[1] = DESC_APTABLE0 | DESC_APTABLE1 | DESC_UXNTABLE | DESC_PXNTABLE;
    map(0x1000, 3, kOa | kPage | kAp01 | DESC_PXN);
    map(0xffff000000001000ull, 3, kOa | kPage | kAp01 | DESC_PXN);
    tcr_set(TCR_HPD0);
    expect_done(walk(0x1000, acc(VMSA_ACC_WRITE, true)));
    expect_done(walk(0x1000, acc(VMSA_ACC_FETCH, true)));
    EXPECT_EQ(w.table_attrs[3], 0);
    // TTBR1 still honours them.
    expect_fault(walk(0xffff000000001000ull, acc(VMSA_ACC_READ, true)),
                 VMSA_RULE_PERM_APTABLE_EL0, 0x0f);
    tcr_clear(TCR_HPD0);
    tcr_set(TCR_HPD1);
    expect_done(walk(0xffff000000001000ull, acc(VMSA_ACC_WRITE, true)));
    expect_fault(walk(0x1000, acc(VMSA_ACC_WRITE, true)), VMSA_RULE_PERM_APTABLE_EL0, 0x0f);
}

TEST_F(Perms, CacheCleanNeedsReadAtEl0Only)
{
    map(0x1000, 3, kOa | kPage | kAp00);  // no EL0 access
    map(0x2000, 3, kOa | kPage | kAp10 | DESC_UXN | DESC_PXN);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_DC_CLEAN, true));
    expect_fault(r, VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
    EXPECT_TRUE(r.fault->cache_maint);
    EXPECT_TRUE(r.fault->write);  // WnR = 1 for cache maintenance
    expect_done(walk(0x1000, acc(VMSA_ACC_DC_CLEAN, false)));
    expect_done(walk(0x2000, acc(VMSA_ACC_DC_CLEAN, false)));  // read-only: clean is fine
    expect_fault(walk(0x1000, acc(VMSA_ACC_IC_INVAL, true)), VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
    expect_done(walk(0x1000, acc(VMSA_ACC_IC_INVAL, false)));
}

TEST_F(Perms, CacheInvalidateAndZeroNeedWrite)
{
    map(0x1000, 3, kOa | kPage | kAp10);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_DC_INVAL));
    expect_fault(r, VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_TRUE(r.fault->cache_maint);
    r = walk(0x1000, acc(VMSA_ACC_DC_ZVA));
    expect_fault(r, VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_FALSE(r.fault->cache_maint);  // DC ZVA is not a cache maintenance instruction
    EXPECT_TRUE(r.fault->write);
}

TEST_F(Perms, AtomicNeedsReadAndWrite)
{
    map(0x1000, 3, kOa | kPage | kAp11);  // EL1/EL0 read-only
    map(0x2000, 3, kOa | kPage | kAp00);  // no EL0 access
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_RMW));
    expect_fault(r, VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_TRUE(r.fault->write);  // failed on write
    r = walk(0x2000, acc(VMSA_ACC_RMW, true));
    expect_fault(r, VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
    EXPECT_FALSE(r.fault->write);  // failed on read: WnR = !failedread = 0
    expect_done(walk(0x2000, acc(VMSA_ACC_RMW)));
}

TEST_F(Perms, AddressTranslationInstructions)
{
    map(0x1000, 3, kOa | kPage | kAp10);
    expect_done(walk(0x1000, acc(VMSA_ACC_AT_READ)));
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_AT_WRITE));
    expect_fault(r, VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_TRUE(r.fault->cache_maint);
    expect_fault(walk(0x1000, acc(VMSA_ACC_AT_READ, true)), VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
}

TEST_F(Perms, CachedInputsGiveTheSameAnswerWithCurrentPan)
{
    // A TLB keeps perm_inputs; PSTATE.PAN is applied at each access, not cached.
    map(0x1000, 3, kOa | kPage | kAp01);
    vmsa_req r = walk(0x1000, acc(VMSA_ACC_READ));
    expect_done(r);
    vmsa_access a = acc(VMSA_ACC_READ, false, true);
    EXPECT_EQ(vmsa_check_permission(r.result->perm_inputs, &a), VMSA_RULE_PERM_PAN);
    a.pan = false;
    EXPECT_EQ(vmsa_check_permission(r.result->perm_inputs, &a), VMSA_RULE_NONE);
    EXPECT_EQ(r.result->perms, PR | PW | UR | UW | UX);
}
