// Hardware management of the Access flag and dirty state, FEAT_HAFDBS (ARM ARM D8.5.1, D8.5.2;
// ASL AArch64.S1Translate descriptor update loop, AArch64.MemSwapTableDesc). DFSC: 0b0010LL
// access flag, 0b0011LL permission.
#include "test_vmsa_harness.h"

using namespace vmsatest;

namespace {

constexpr uint64_t kOa = 0x0000000080000000ull;
constexpr uint64_t kVa = 0x0000000000401000ull;

class Hafdbs : public VmsaFixture {
protected:
    void SetUp() override { setup(VMSA_GRANULE_4K); }
};

// One configuration of the DBM x AP[2] x read/write x HA/HD matrix, AF = 1 in the descriptor.
struct DirtyCase {
    bool dbm, ap2, write, ha, hd;
};

enum class Outcome { Done, DoneDirtied, PermFault };

// D8.5.2: with HD (which needs HA) a DBM = 1, AP[2] = 1 descriptor is writable-clean and a
// write makes it writable-dirty by clearing AP[2]; otherwise DBM is ignored and AP[2] = 1 makes
// a write a Permission fault. Reads never update (AF is already 1).
Outcome expected(const DirtyCase &c)
{
    bool hd_effective = c.ha && c.hd;
    if (!c.write) return Outcome::Done;
    if (!c.ap2) return Outcome::Done;
    if (hd_effective && c.dbm) return Outcome::DoneDirtied;
    return Outcome::PermFault;
}

}  // namespace

TEST_F(Hafdbs, DbmApWriteHaHdMatrix)
{
    for (int bits = 0; bits < 32; bits++) {
        DirtyCase c{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                    (bits & 16) != 0};
        SCOPED_TRACE(testing::Message() << "DBM " << c.dbm << " AP[2] " << c.ap2 << " write "
                                        << c.write << " HA " << c.ha << " HD " << c.hd);
        mem = Mem{};
        set_ha_hd(c.ha, c.hd);
        uint64_t desc = kOa | kPage | (c.dbm ? DESC_DBM : 0) | (c.ap2 ? DESC_AP2 : 0);
        uint64_t a = map(kVa, 3, desc);
        vmsa_req r = walk(kVa, acc(c.write ? VMSA_ACC_WRITE : VMSA_ACC_READ));
        bool hd_effective = c.ha && c.hd;
        switch (expected(c)) {
        case Outcome::Done:
            expect_done(r);
            EXPECT_TRUE(mem.cas.empty());
            EXPECT_EQ(mem.get(a), desc);
            EXPECT_FALSE(r.result->dirty_updated);
            if (hd_effective && c.dbm)
                EXPECT_EQ(r.result->dirty, c.ap2 ? VMSA_DIRTY_CLEAN : VMSA_DIRTY_DIRTY);
            else
                EXPECT_EQ(r.result->dirty, VMSA_DIRTY_UNTRACKED);
            // A writable-clean read still grants write permission (it needs an update first).
            EXPECT_EQ((r.result->perms & VMSA_PERM_EL1_W) != 0,
                      !c.ap2 || (hd_effective && c.dbm));
            break;
        case Outcome::DoneDirtied:
            expect_done(r);
            ASSERT_EQ(mem.cas.size(), 1u);
            EXPECT_EQ(mem.cas[0].addr, a);
            EXPECT_EQ(mem.cas[0].old_desc, desc);
            EXPECT_EQ(mem.cas[0].new_desc, desc & ~DESC_AP2);
            EXPECT_EQ(mem.get(a), desc & ~DESC_AP2);
            EXPECT_TRUE(r.result->dirty_updated);
            EXPECT_FALSE(r.result->af_updated);
            EXPECT_EQ(r.result->dirty, VMSA_DIRTY_DIRTY);
            EXPECT_EQ(r.result->desc, desc & ~DESC_AP2);
            break;
        case Outcome::PermFault:
            expect_fault(r, VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
            EXPECT_TRUE(r.fault->write);
            EXPECT_TRUE(mem.cas.empty());
            EXPECT_EQ(mem.get(a), desc);
            break;
        }
    }
}

TEST_F(Hafdbs, AccessFlagFaultWithoutHa)
{
    set_ha_hd(false, false);
    map(kVa, 3, (kOa | kPage) & ~DESC_AF);
    map(0x00600000, 2, (kOa | kBlock) & ~DESC_AF);
    map(0x40000000, 1, (kOa | kBlock) & ~DESC_AF);
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_fault(r, VMSA_RULE_AF_CLEAR, 0x0b);
    EXPECT_EQ(r.fault->kind, VMSA_FAULT_ACCESS_FLAG);
    expect_fault(walk(0x00600000, acc(VMSA_ACC_READ)), VMSA_RULE_AF_CLEAR, 0x0a);
    expect_fault(walk(0x40000000, acc(VMSA_ACC_READ)), VMSA_RULE_AF_CLEAR, 0x09);
    EXPECT_TRUE(mem.cas.empty());
}

TEST_F(Hafdbs, AccessFlagFaultBeforePermissionFault)
{
    set_ha_hd(false, false);
    map(kVa, 3, (kOa | kPage | DESC_AP2 | DESC_UXN) & ~DESC_AF);
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE)), VMSA_RULE_AF_CLEAR, 0x0b);
    expect_fault(walk(kVa, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_AF_CLEAR, 0x0b);
}

TEST_F(Hafdbs, HaSetsAccessFlagByCas)
{
    set_ha_hd(true, false);
    uint64_t desc = (kOa | kPage) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_done(r);
    ASSERT_EQ(mem.cas.size(), 1u);
    EXPECT_EQ(mem.cas[0].addr, a);
    EXPECT_EQ(mem.cas[0].old_desc, desc);
    EXPECT_EQ(mem.cas[0].new_desc, desc | DESC_AF);
    EXPECT_EQ(mem.get(a), desc | DESC_AF);
    EXPECT_TRUE(r.result->af_updated);
    EXPECT_EQ(r.result->desc, desc | DESC_AF);
    EXPECT_EQ(w.cas_issued, 1u);
    EXPECT_EQ(w.cas_retries, 0u);
    // Next walk: AF already set, no update.
    mem.cas.clear();
    r = walk(kVa, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_TRUE(mem.cas.empty());
    EXPECT_FALSE(r.result->af_updated);
}

TEST_F(Hafdbs, HaSetsAccessFlagOfABlock)
{
    set_ha_hd(true, true);
    uint64_t a = map(0x00600000, 2, (kOa | kBlock) & ~DESC_AF);
    expect_done(walk(0x00612345, acc(VMSA_ACC_FETCH)));
    EXPECT_EQ(mem.get(a), kOa | kBlock);
}

TEST_F(Hafdbs, AccessFlagAndDirtyStateInOneCas)
{
    set_ha_hd(true, true);
    uint64_t desc = (kOa | kPage | DESC_DBM | DESC_AP2) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    vmsa_req r = walk(kVa, acc(VMSA_ACC_WRITE));
    expect_done(r);
    ASSERT_EQ(mem.cas.size(), 1u);  // D8.5.2.1 R_PRHKD: one atomic update may do both
    EXPECT_EQ(mem.cas[0].new_desc, (desc | DESC_AF) & ~DESC_AP2);
    EXPECT_EQ(mem.get(a), (desc | DESC_AF) & ~DESC_AP2);
    EXPECT_TRUE(r.result->af_updated);
    EXPECT_TRUE(r.result->dirty_updated);
}

TEST_F(Hafdbs, ReadOfCleanDescriptorSetsOnlyAf)
{
    set_ha_hd(true, true);
    uint64_t desc = (kOa | kPage | DESC_DBM | DESC_AP2) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(mem.get(a), desc | DESC_AF);
    EXPECT_EQ(r.result->dirty, VMSA_DIRTY_CLEAN);
}

TEST_F(Hafdbs, NoUpdateWhenTheWalkFaults)
{
    set_ha_hd(true, true);
    // UXN fetch at EL0 from AF = 0: Permission fault, AF stays 0.
    uint64_t a = map(kVa, 3, (kOa | kPage | DESC_UXN | DESC_AP1) & ~DESC_AF);
    expect_fault(walk(kVa, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_PERM_XN, 0x0f);
    EXPECT_TRUE(mem.cas.empty());
    EXPECT_EQ(mem.get(a) & DESC_AF, 0u);
    // Write to a read-only (no DBM) AF = 0 page.
    a = map(kVa + 0x1000, 3, (kOa | kPage | DESC_AP2) & ~DESC_AF);
    expect_fault(walk(kVa + 0x1000, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_TRUE(mem.cas.empty());
    // Unaligned access to Device memory with AF = 0.
    a = map(kVa + 0x2000, 3, (kOa | kPage | kAttrDevice) & ~DESC_AF);
    expect_fault(walk(kVa + 0x2001, acc(VMSA_ACC_READ, false, false, 2)),
                 VMSA_RULE_ALIGN_DEVICE, 0x21);
    EXPECT_TRUE(mem.cas.empty());
    // PAN.
    map(kVa + 0x3000, 3, (kOa | kPage | DESC_AP1) & ~DESC_AF);
    expect_fault(walk(kVa + 0x3000, acc(VMSA_ACC_READ, false, true)), VMSA_RULE_PERM_PAN, 0x0f);
    EXPECT_TRUE(mem.cas.empty());
}

TEST_F(Hafdbs, ApTableReadOnlyIsNotWritableClean)
{
    // AP[2] is not the only reason the write is refused (R_XZFQH): Permission fault, no update.
    set_ha_hd(true, true);
    table_bits[2] = DESC_APTABLE1;
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    uint64_t a = map(kVa, 3, desc);
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_APTABLE_READONLY, 0x0f);
    EXPECT_TRUE(mem.cas.empty());
    EXPECT_EQ(mem.get(a), desc);
}

TEST_F(Hafdbs, El0WriteToEl1OnlyCleanPageFaults)
{
    set_ha_hd(true, true);
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;  // AP[1] = 0: no EL0 access
    uint64_t a = map(kVa, 3, desc);
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE, true)), VMSA_RULE_PERM_EL0_NO_ACCESS, 0x0f);
    EXPECT_EQ(mem.get(a), desc);
    // EL0 accessible writable-clean: an EL0 write dirties it.
    a = map(kVa + 0x1000, 3, desc | DESC_AP1);
    expect_done(walk(kVa + 0x1000, acc(VMSA_ACC_WRITE, true)));
    EXPECT_EQ(mem.get(a), (desc | DESC_AP1) & ~DESC_AP2);
}

TEST_F(Hafdbs, WhichAccessesDirty)
{
    set_ha_hd(true, true);
    const uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    const struct { vmsa_acc_type t; bool dirties; } cases[] = {
        {VMSA_ACC_READ, false},     {VMSA_ACC_WRITE, true},     {VMSA_ACC_RMW, true},
        {VMSA_ACC_DC_ZVA, true},    {VMSA_ACC_FETCH, false},    {VMSA_ACC_DC_CLEAN, false},
        {VMSA_ACC_DC_INVAL, false}, {VMSA_ACC_IC_INVAL, false}, {VMSA_ACC_AT_READ, false},
        {VMSA_ACC_AT_WRITE, false},
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(testing::Message() << "access type " << c.t);
        mem = Mem{};
        uint64_t a = map(kVa, 3, desc);
        vmsa_req r = walk(kVa, acc(c.t));
        // DC IVAC and AT S1E1W: writable-clean grants write, no update (D8.5.2.2 R_RKMHW).
        expect_done(r);
        EXPECT_EQ(mem.get(a), c.dirties ? desc & ~DESC_AP2 : desc);
        EXPECT_EQ(mem.cas.size(), c.dirties ? 1u : 0u);
        EXPECT_EQ(r.result->dirty, c.dirties ? VMSA_DIRTY_DIRTY : VMSA_DIRTY_CLEAN);
    }
}

TEST_F(Hafdbs, HdWithoutHaIsNotEffective)
{
    set_ha_hd(false, true);
    map(kVa, 3, kOa | kPage | DESC_DBM | DESC_AP2);
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
}

TEST_F(Hafdbs, HafdbsAccessFlagOnlyIgnoresHd)
{
    setup(VMSA_GRANULE_4K, 16, 16, ID_HAFDBS_AF);
    set_ha_hd(true, true);
    uint64_t desc = (kOa | kPage | DESC_DBM | DESC_AP2) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_EQ(mem.get(a), desc);
    expect_done(walk(kVa, acc(VMSA_ACC_READ)));
    EXPECT_EQ(mem.get(a), desc | DESC_AF);
}

TEST_F(Hafdbs, NoHafdbsMeansNoHardwareUpdates)
{
    setup(VMSA_GRANULE_4K, 16, 16, 0);
    set_ha_hd(true, true);
    map(kVa, 3, (kOa | kPage) & ~DESC_AF);
    expect_fault(walk(kVa, acc(VMSA_ACC_READ)), VMSA_RULE_AF_CLEAR, 0x0b);
}

TEST_F(Hafdbs, WritableCleanCountsAsWritableForWxnAndPxn)
{
    // D8.5.2.2 R_TTLCV, R_NKLQN.
    set_ha_hd(true, true);
    map(kVa, 3, kOa | kPage | DESC_DBM | DESC_AP2);                 // EL1 writable-clean
    map(kVa + 0x1000, 3, kOa | kPage | DESC_DBM | DESC_AP2 | DESC_AP1);  // EL0 writable-clean
    expect_done(walk(kVa, acc(VMSA_ACC_FETCH)));
    expect_fault(walk(kVa + 0x1000, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_PXN_EL0_WRITABLE, 0x0f);
    regs.sctlr |= SCTLR_WXN;
    decode();
    expect_fault(walk(kVa, acc(VMSA_ACC_FETCH)), VMSA_RULE_PERM_WXN, 0x0f);
    expect_fault(walk(kVa + 0x1000, acc(VMSA_ACC_FETCH, true)), VMSA_RULE_PERM_WXN, 0x0f);
    // Without HD the same descriptors are read-only and executable.
    set_ha_hd(true, false);
    expect_done(walk(kVa, acc(VMSA_ACC_FETCH)));
    expect_done(walk(kVa + 0x1000, acc(VMSA_ACC_FETCH)));
}

// ---- the CAS found memory changed between the read and the update ----

TEST_F(Hafdbs, CasRestartWhenDescriptorBecameInvalid)
{
    set_ha_hd(true, true);
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = 0;  // software unmapped it
    };
    vmsa_req r = walk(kVa, acc(VMSA_ACC_WRITE));
    expect_fault(r, VMSA_RULE_INVALID_DESC, 0x07);
    EXPECT_EQ(mem.cas.size(), 1u);
    EXPECT_EQ(w.cas_retries, 1u);
    EXPECT_EQ(mem.get(a), 0u);
}

TEST_F(Hafdbs, CasRestartWhenDescriptorAlreadyDirty)
{
    set_ha_hd(true, true);
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = desc & ~DESC_AP2;  // another agent dirtied it
    };
    vmsa_req r = walk(kVa, acc(VMSA_ACC_WRITE));
    expect_done(r);
    EXPECT_EQ(mem.cas.size(), 1u);  // nothing left to update: no second CAS
    EXPECT_EQ(w.cas_retries, 1u);
    EXPECT_EQ(r.result->desc, desc & ~DESC_AP2);
    EXPECT_EQ(r.result->dirty, VMSA_DIRTY_DIRTY);
    EXPECT_FALSE(r.result->dirty_updated);
}

TEST_F(Hafdbs, CasRestartWithDifferentDescriptor)
{
    set_ha_hd(true, true);
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    uint64_t moved = (kOa + 0x10000) | kPage | DESC_DBM | DESC_AP2 | DESC_NG;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = moved;
    };
    vmsa_req r = walk(kVa + 0x10, acc(VMSA_ACC_WRITE));
    expect_done(r);
    ASSERT_EQ(mem.cas.size(), 2u);
    EXPECT_EQ(mem.cas[0].found, moved);
    EXPECT_EQ(mem.cas[1].old_desc, moved);
    EXPECT_EQ(mem.cas[1].new_desc, moved & ~DESC_AP2);
    EXPECT_EQ(mem.get(a), moved & ~DESC_AP2);
    EXPECT_EQ(r.result->pa, kOa + 0x10010);
    EXPECT_FALSE(r.result->global);
    EXPECT_TRUE(r.result->dirty_updated);
    EXPECT_EQ(w.cas_retries, 1u);
}

TEST_F(Hafdbs, CasRestartWhenDescriptorBecameReadOnly)
{
    set_ha_hd(true, true);
    uint64_t desc = kOa | kPage | DESC_DBM | DESC_AP2;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = desc & ~DESC_DBM;  // software write-protected it
    };
    expect_fault(walk(kVa, acc(VMSA_ACC_WRITE)), VMSA_RULE_PERM_WRITE_READONLY, 0x0f);
    EXPECT_EQ(mem.get(a), desc & ~DESC_DBM);
}

TEST_F(Hafdbs, CasRestartWhenAccessFlagSetConcurrently)
{
    set_ha_hd(true, false);
    uint64_t desc = (kOa | kPage) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = desc | DESC_AF;
    };
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(mem.cas.size(), 1u);
    EXPECT_FALSE(r.result->af_updated);
    EXPECT_EQ(w.cas_retries, 1u);
}

TEST_F(Hafdbs, CasRestartWhenLeafBecameATable)
{
    // Software replaced a level 2 block by a Table descriptor between the read and the update:
    // the walk continues to the next level.
    set_ha_hd(true, false);
    uint64_t va = 0x00600000;
    uint64_t block = (kOa | kBlock) & ~DESC_AF;
    uint64_t a = map(va, 2, block);
    uint64_t l3 = alloc_table(VMSA_GRANULE_4K);
    mem.at(l3) = (kOa + 0x200000) | kPage;
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i == 0) m.at(a) = l3 | kTable;
    };
    vmsa_req r = walk(va, acc(VMSA_ACC_READ));
    expect_done(r);
    EXPECT_EQ(r.result->level, 3);
    EXPECT_EQ(r.result->pa, kOa + 0x200000);
    EXPECT_EQ(mem.cas.size(), 1u);
}

TEST_F(Hafdbs, RepeatedCasFailures)
{
    set_ha_hd(true, true);
    uint64_t desc = (kOa | kPage | DESC_DBM | DESC_AP2) & ~DESC_AF;
    uint64_t a = map(kVa, 3, desc);
    mem.before_cas = [&](Mem &m, const vmsa_req &, size_t i) {
        if (i < 3) m.at(a) = (kOa + 0x1000 * (i + 1)) | (desc & ~DESC_OA_MASK_4K);
    };
    vmsa_req r = walk(kVa, acc(VMSA_ACC_WRITE));
    expect_done(r);
    EXPECT_EQ(mem.cas.size(), 4u);
    EXPECT_EQ(w.cas_retries, 3u);
    EXPECT_EQ(w.cas_issued, 4u);
    EXPECT_EQ(r.result->pa_base, kOa + 0x3000);
    EXPECT_EQ(mem.get(a), ((kOa + 0x3000) | desc | DESC_AF) & ~DESC_AP2);
}

TEST_F(Hafdbs, TlbHitOnWritableCleanEntryAsksForAWalk)
{
    set_ha_hd(true, true);
    map(kVa, 3, kOa | kPage | DESC_DBM | DESC_AP2);
    vmsa_req r = walk(kVa, acc(VMSA_ACC_READ));
    expect_done(r);
    vmsa_tlb tlb;
    ASSERT_TRUE(vmsa_tlb_init(&tlb, 4, 2));
    vmsa_tlb_entry *e = vmsa_tlb_insert(&tlb, r.result);
    vmsa_fault f{};
    vmsa_access rd = acc(VMSA_ACC_READ), wr = acc(VMSA_ACC_WRITE), inval = acc(VMSA_ACC_DC_INVAL);
    EXPECT_EQ(vmsa_tlb_check(e, &rd, kVa, &f), VMSA_HIT_OK);
    EXPECT_EQ(vmsa_tlb_check(e, &wr, kVa, &f), VMSA_HIT_WALK);
    EXPECT_EQ(vmsa_tlb_check(e, &inval, kVa, &f), VMSA_HIT_OK);
    // The walk dirties it; the new result replaces the entry in place.
    r = walk(kVa, wr);
    expect_done(r);
    vmsa_tlb_entry *e2 = vmsa_tlb_insert(&tlb, r.result);
    EXPECT_EQ(e2, e);
    EXPECT_EQ(tlb.evictions, 0u);
    EXPECT_EQ(vmsa_tlb_check(e2, &wr, kVa, &f), VMSA_HIT_OK);
    EXPECT_EQ(e2->dirty, VMSA_DIRTY_DIRTY);
    vmsa_tlb_destroy(&tlb);
}
