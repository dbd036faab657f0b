// The A64 core with stage 1 translation on (a64/translate.h, docs/mmu.md): loads, stores and
// fetches through the L1 TLBs, the aborts they take (ESR_EL1 and FAR_EL1 as ARM ARM D17.2 defines
// them), cache maintenance and AT by VA, TLBI of the L1 TLBs, and the TLB caching rules of the
// dirty state (issue 3, rule 3). Translation tables are built in the harness RAM with the 4KB
// granule and 48-bit VAs (four levels, start level 0); the platform MMU is played by
// A64MmuTest::test_translate. Every expected syndrome is computed from the ESR layout:
//   ESR = EC << 26 | IL (1 << 25) | ISS; data aborts ISS = CM << 8 | WnR << 6 | DFSC,
//   EC 0x25 (same EL) / 0x24 (from EL0), instruction aborts EC 0x21 / 0x20 with IFSC;
//   DFSC/IFSC: address size 0b0000LL, translation 0b0001LL, access flag 0b0010LL,
//   permission 0b0011LL, alignment 0b100001.
#include "a64_mmu_harness.h"

namespace {

// Encodings (aarch64-linux-gnu-as -march=armv8.1-a).
constexpr uint32_t kLdrX1X0 = 0xf9400001;     // ldr x1, [x0]
constexpr uint32_t kStrX1X0 = 0xf9000001;     // str x1, [x0]
constexpr uint32_t kLdtrX1X0 = 0xf8400801;    // ldtr x1, [x0]
constexpr uint32_t kLdaddX2X1X0 = 0xf8220001; // ldadd x2, x1, [x0]
constexpr uint32_t kLdxrX1X0 = 0xc85f7c01;    // ldxr x1, [x0]
constexpr uint32_t kDcZvaX0 = 0xd50b7420;     // dc zva, x0
constexpr uint32_t kDcCivacX0 = 0xd50b7e20;   // dc civac, x0
constexpr uint32_t kDcIvacX0 = 0xd5087620;    // dc ivac, x0
constexpr uint32_t kDcCvacX0 = 0xd50b7a20;    // dc cvac, x0
constexpr uint32_t kIcIvauX0 = 0xd50b7520;    // ic ivau, x0
constexpr uint32_t kAtS1e1rX0 = 0xd5087800;   // at s1e1r, x0
constexpr uint32_t kAtS1e1wX0 = 0xd5087820;   // at s1e1w, x0
constexpr uint32_t kAtS1e0rX0 = 0xd5087840;   // at s1e0r, x0
constexpr uint32_t kAtS1e0wX0 = 0xd5087860;   // at s1e0w, x0
constexpr uint32_t kStxrW3X1X0 = 0xc8037c01;  // stxr w3, x1, [x0]
constexpr uint32_t kTlbiVae1X2 = 0xd5088722;  // tlbi vae1, x2
constexpr uint32_t kTlbiVale1X2 = 0xd50887a2; // tlbi vale1, x2
constexpr uint32_t kTlbiVaae1X2 = 0xd5088762; // tlbi vaae1, x2
constexpr uint32_t kTlbiAside1X2 = 0xd5088742;// tlbi aside1, x2
constexpr uint32_t kTlbiVmalle1 = 0xd508871f; // tlbi vmalle1
constexpr uint32_t kMsrTtbr0X2 = 0xd5182002;  // msr ttbr0_el1, x2
constexpr uint32_t kMsrTcrX2 = 0xd5182042;    // msr tcr_el1, x2
constexpr uint32_t kNop = 0xd503201f;

constexpr uint32_t kDabt = 0x96000000;  // EC 0x25, IL
constexpr uint32_t kDabtEl0 = 0x92000000;  // EC 0x24, IL
constexpr uint32_t kIabt = 0x86000000;  // EC 0x21, IL
constexpr uint32_t kIabtEl0 = 0x82000000;  // EC 0x20, IL
constexpr uint32_t kWnR = 1u << 6;
constexpr uint32_t kCm = 1u << 8;

class Mmu : public A64MmuTest {
protected:
    // A data VA far from the identity-mapped code (its own level 1, 2 and 3 tables).
    static constexpr uint64_t kVa = 0x0000123456789000ull;
    static constexpr uint64_t kPa = kData;

    // Run one instruction at kCode (EL1 unless the test changed it).
    void run(uint32_t insn)
    {
        cpu.pc = kCode;
        code({insn}, kCode);
        step();
    }
    void expect_abort(uint32_t esr_value, uint64_t far)
    {
        EXPECT_EQ(esr(), esr_value) << std::hex << esr();
        EXPECT_EQ(cpu.sys.far_el1, far) << std::hex << cpu.sys.far_el1;
        EXPECT_EQ(cpu.sys.elr_el1, kCode);
    }
    // TLBI by VA operand: ASID in [63:48], VA[55:12] in [43:0].
    static uint64_t tlbi_va(uint64_t va, uint16_t asid = kAsid)
    {
        return (uint64_t)asid << 48 | ((va >> 12) & ((1ull << 44) - 1));
    }
};

// ---------------------------------------------------------------- loads, stores, fetches

TEST_F(Mmu, LoadMissesThenHitsTheL1DataTlb)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    put64(kPa + 8, 0xfeedface);
    cpu.x[0] = kVa + 8;
    code({kLdrX1X0, kLdrX1X0});
    step(2);
    EXPECT_EQ(cpu.x[1], 0xfeedfaceu);
    EXPECT_EQ(data_translations(), 1u);  // the second load hit without asking the platform
    EXPECT_EQ(mmu.l1d.misses, 1u);
    EXPECT_EQ(mmu.l1d.hits, 1u);
    // Fetches: the code page missed once, then hit.
    EXPECT_EQ(mmu.l1i.misses, 1u);
    EXPECT_EQ(mmu.l1i.hits, 1u);
    EXPECT_EQ(translate_calls.size(), 2u);
}

TEST_F(Mmu, AnEntryEvictedFromTheL1TlbMissesAgain)
{
    // The harness L1 data TLB: 8 entries, 4 ways, 2 sets; 4KB pages with VA[12] = 0 share set 0.
    for (uint64_t i = 0; i < 5; i++) map_page(kVa + 0x2000 * i, kPa, kPage);
    enable_mmu();
    for (uint64_t i = 0; i < 5; i++) {   // the fifth evicts the first (least recently used)
        cpu.x[0] = kVa + 0x2000 * i;
        run(kLdrX1X0);
    }
    EXPECT_EQ(mmu.l1d.misses, 5u);
    EXPECT_EQ(mmu.l1d.evictions, 1u);
    cpu.x[0] = kVa + 8;
    run(kLdrX1X0);
    EXPECT_EQ(mmu.l1d.misses, 6u);
    EXPECT_EQ(mmu.l1d.hits, 0u);
    EXPECT_EQ(data_translations(), 6u);
    cpu.x[0] = kVa + 0x8000;             // the fifth is still cached (the first evicted the second)
    run(kLdrX1X0);
    EXPECT_EQ(mmu.l1d.hits, 1u);
}

TEST_F(Mmu, StoreWritesTheTranslatedAddress)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    cpu.x[0] = kVa + 0x10;
    cpu.x[1] = 0x1122334455667788ull;
    run(kStrX1X0);
    EXPECT_EQ(cpu.pc, kCode + 4);
    EXPECT_EQ(get64(kPa + 0x10), 0x1122334455667788ull);
}

TEST_F(Mmu, BlockMappingTranslatesAndIsCachedAsOneEntry)
{
    const uint64_t block_va = 0x0000004000000000ull;  // 2MB block -> PA 0x40000000
    map_block2(block_va, kRamBase, kBlock);
    enable_mmu();
    put64(kPa, 0xb10c);
    put64(kPa + 0x1000, 0xb10d);
    cpu.x[0] = block_va + (kPa - kRamBase);
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 0xb10cu);
    cpu.x[0] += 0x1000;   // another 4KB page of the same block: an L1 hit
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 0xb10du);
    EXPECT_EQ(data_translations(), 1u);
}

TEST_F(Mmu, FetchUsesTheL1InstructionTlb)
{
    const uint64_t code_va = 0x0000000080000000ull;
    map_page(code_va, kCode & ~0xfffull, kPage);
    enable_mmu();
    code({kNop, kNop}, kCode);
    cpu.pc = code_va + (kCode & 0xfff);
    step(2);
    EXPECT_EQ(cpu.pc, code_va + (kCode & 0xfff) + 8);
    EXPECT_EQ(mmu.l1i.misses, 1u);
    EXPECT_EQ(mmu.l1i.hits, 1u);
    EXPECT_EQ(mmu.l1d.misses + mmu.l1d.hits, 0u);
}

TEST_F(Mmu, AccessCrossingIntoANonContiguousPageReadsBothPages)
{
    map_page(kVa, kPa, kPage);
    map_page(kVa + 0x1000, kPa + 0x3000, kPage);
    enable_mmu();
    put32(kPa + 0xffc, 0x44332211);
    put32(kPa + 0x3000, 0x88776655);
    put32(kPa + 0x1000, 0xdeadbeef);  // what a wrong, contiguous read would see
    cpu.x[0] = kVa + 0xffc;
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 0x8877665544332211ull);
    cpu.x[1] = 0x0102030405060708ull;
    run(kStrX1X0);
    EXPECT_EQ(get32(kPa + 0xffc), 0x05060708u);
    EXPECT_EQ(get32(kPa + 0x3000), 0x01020304u);
    EXPECT_EQ(get32(kPa + 0x1000), 0xdeadbeefu);
}

TEST_F(Mmu, AccessCrossingIntoAnUnmappedPageFaultsOnTheSecondPage)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    cpu.x[0] = kVa + 0xffc;
    run(kLdrX1X0);
    expect_abort(kDabt | 0x07, kVa + 0x1000);
}

// ---------------------------------------------------------------- data aborts

TEST_F(Mmu, TranslationFaultAtEachLevel)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    struct { uint64_t va; uint32_t dfsc; } cases[] = {
        {0x0000700000000000ull, 0x04},   // level 0 entry invalid
        {kVa ^ (1ull << 30), 0x05},      // level 1 entry invalid (same level 0 entry)
        {kVa ^ (1ull << 21), 0x06},      // level 2 entry invalid
        {kVa ^ (1ull << 12), 0x07},      // level 3 entry invalid
    };
    for (auto &c : cases) {
        cpu.x[0] = c.va + 0x18;
        run(kLdrX1X0);
        expect_abort(kDabt | c.dfsc, c.va + 0x18);
    }
}

TEST_F(Mmu, StoreFaultReportsWnR)
{
    enable_mmu();
    cpu.x[0] = kVa;
    run(kStrX1X0);
    expect_abort(kDabt | kWnR | 0x04, kVa);
}

TEST_F(Mmu, VaOutsideTheInputRangeIsLevel0TranslationFault)
{
    enable_mmu();
    cpu.x[0] = 0x0001000000000000ull;   // bit 48 set, bit 55 clear: outside both ranges
    run(kLdrX1X0);
    expect_abort(kDabt | 0x04, 0x0001000000000000ull);
}

TEST_F(Mmu, AccessFlagFaultWithoutHardwareUpdate)
{
    uint64_t d = map_page(kVa, kPa, kPage & ~DESC_AF);
    enable_mmu();   // HA = 0
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    expect_abort(kDabt | 0x0b, kVa);
    EXPECT_EQ(get64(d) & DESC_AF, 0u);
}

TEST_F(Mmu, HardwareSetsTheAccessFlagOnALoad)
{
    uint64_t d = map_page(kVa, kPa, kPage & ~DESC_AF);
    enable_mmu(TCR_HA);
    put64(kPa, 77);
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 77u);
    EXPECT_NE(get64(d) & DESC_AF, 0u);
    EXPECT_EQ(cas_done, 1u);
}

TEST_F(Mmu, PermissionFaultOnStoreToReadOnlyPageCountedByTheL1Check)
{
    uint64_t d = map_page(kVa, kPa, kPage | DESC_AP2);
    enable_mmu();
    cpu.x[0] = kVa;
    run(kLdrX1X0);           // fills the L1 TLB
    EXPECT_EQ(cpu.pc, kCode + 4);
    run(kStrX1X0);           // hits it: the L1 check produces the fault
    expect_abort(kDabt | kWnR | 0x0f, kVa);
    EXPECT_EQ(data_translations(), 1u);
    EXPECT_EQ(mmu.faults.kind[VMSA_FAULT_PERMISSION], 1u);
    EXPECT_EQ(mmu.faults.level[VMSA_FAULT_PERMISSION][3], 1u);
    EXPECT_EQ(get64(d), (kPa & DESC_OA_MASK_4K) | kPage | DESC_AP2);
}

TEST_F(Mmu, DbmWithoutHdIsStillReadOnly)
{
    map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA);   // HD = 0
    cpu.x[0] = kVa;
    run(kStrX1X0);
    expect_abort(kDabt | kWnR | 0x0f, kVa);
}

TEST_F(Mmu, DataAbortFromEl0IsEc0x24)
{
    map_page(kVa, kPa, kPage);   // AP[1] = 0: no EL0 access
    enable_mmu();
    cpu.pstate.el = 0;
    cpu.pstate.sp = 0;
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    expect_abort(kDabtEl0 | 0x0f, kVa);
    EXPECT_EQ(cpu.pc, kVectors + 0x400);
}

TEST_F(Mmu, PanAndUnprivilegedLoads)
{
    map_page(kVa, kPa, kPage | DESC_AP1);            // EL0 and EL1 read/write
    map_page(kVa + 0x1000, kPa, kPage);              // EL1 only
    enable_mmu();
    cpu.pstate.pan = true;
    cpu.x[0] = kVa;
    run(kLdrX1X0);                                   // PAN: EL1 may not touch EL0 memory
    expect_abort(kDabt | 0x0f, kVa);
    run(kLdtrX1X0);                                  // LDTR is an EL0 access: PAN does not apply
    EXPECT_EQ(cpu.pc, kCode + 4);
    cpu.pstate.pan = false;
    cpu.x[0] = kVa + 0x1000;
    run(kLdtrX1X0);                                  // EL0 permissions on an EL1-only page
    expect_abort(kDabt | 0x0f, kVa + 0x1000);
}

TEST_F(Mmu, AtomicNeedsWritePermission)
{
    map_page(kVa, kPa, kPage | DESC_AP2);
    enable_mmu();
    cpu.x[0] = kVa;
    run(kLdaddX2X1X0);
    expect_abort(kDabt | kWnR | 0x0f, kVa);
}

// ---------------------------------------------------------------- atomics: WnR
// ARM ARM D17.2 ESR_ELx, ISS of a Data Abort, WnR: for a fault on CAS, CASP, LD<op> or SWP,
// WnR is 0 if a read of the location would have generated the fault, 1 otherwise. So 0 for
// Alignment, Translation, Access flag, External abort and the Permission faults a read gets too
// (EL0 without access, PAN); 1 for a Permission fault of the write part only (AP[2] = 1,
// writable-clean without HD). The expected values come from that rule, for every form, on the
// walk path (L1 miss) and on the L1 TLB hit path (the entry filled by a load first).
struct AtomicForm {
    const char *name;
    uint32_t insn;    // Rn = x0
    unsigned bytes;
};
constexpr AtomicForm kAtomicForms[] = {
    {"ldadd x", kLdaddX2X1X0, 8}, {"ldaddal w", 0xb8e20001, 4}, {"ldclrlh", 0x78621001, 2},
    {"swp x", 0xf8228001, 8},     {"swpal w", 0xb8e28001, 4},   {"cas x", 0xc8a27c01, 8},
    {"casab", 0x08e27c01, 1},     {"caspal x", 0x4862fc04, 16},
};

class MmuAtomics : public Mmu {
protected:
    // Each form at `va`, each from the PSTATE (EL, PAN) as set: the ESR and FAR it reports.
    void expect_every_form(uint64_t va, uint32_t esr_value)
    {
        const auto pstate = cpu.pstate;
        for (const AtomicForm &f : kAtomicForms) {
            SCOPED_TRACE(f.name);
            cpu.pstate = pstate;   // the abort took us to EL1
            cpu.x[0] = va;
            run(f.insn);
            expect_abort(esr_value, va);
        }
        cpu.pstate = pstate;
    }
    // Fill the L1 data TLB with the entry of `va` by an EL1 load (it must not fault).
    void fill_l1(uint64_t va)
    {
        const auto pstate = cpu.pstate;
        cpu.pstate.el = 1;
        cpu.pstate.sp = 1;
        cpu.pstate.pan = false;
        cpu.x[0] = va;
        run(kLdrX1X0);
        EXPECT_EQ(cpu.pc, kCode + 4);
        cpu.pstate = pstate;
    }
};

TEST_F(MmuAtomics, TranslationFaultIsARead)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    expect_every_form(kVa + 0x1000, kDabt | 0x07);   // invalid page: level 3
    expect_every_form(0x0000700000000000ull, kDabt | 0x04);   // never-mapped level 0 entry
}

TEST_F(MmuAtomics, AccessFlagFaultIsARead)
{
    map_page(kVa, kPa, kPage & ~DESC_AF);
    enable_mmu();   // HA = 0
    expect_every_form(kVa + 0x40, kDabt | 0x0b);
}

TEST_F(MmuAtomics, AlignmentFaultIsARead)
{
    map_page(kVa, kPa, kPage);
    map_page(kVa + 0x1000, kMmioBase, kPage | kAttrDevice);
    enable_mmu();
    for (const AtomicForm &f : kAtomicForms) {
        if (f.bytes == 1)
            continue;
        SCOPED_TRACE(f.name);
        for (uint64_t base : {kVa, kVa + 0x1000}) {   // Normal and Device memory
            cpu.x[0] = base + 0x100 + f.bytes / 2;
            run(f.insn);
            expect_abort(kDabt | 0x21, base + 0x100 + f.bytes / 2);
        }
    }
}

TEST_F(MmuAtomics, AlignmentFaultWithTheMmuOffIsARead)
{
    for (const AtomicForm &f : kAtomicForms) {
        if (f.bytes == 1)
            continue;
        SCOPED_TRACE(f.name);
        cpu.x[0] = kData + f.bytes / 2;
        run(f.insn);
        expect_abort(kDabt | 0x21, kData + f.bytes / 2);
    }
}

TEST_F(MmuAtomics, ExternalAbortOnTheWalkIsARead)
{
    enable_mmu();
    put64(slot(kVa, 0), 0x0000000100000000ull | kTable);   // next table in no memory
    expect_every_form(kVa, kDabt | 0x15);
}

TEST_F(MmuAtomics, ReadOnlyPageIsAWriteFault)
{
    map_page(kVa, kPa, kPage | DESC_AP2);
    enable_mmu();
    expect_every_form(kVa + 0x20, kDabt | kWnR | 0x0f);   // walk path (faults fill no TLB)
    fill_l1(kVa);
    uint64_t translations = data_translations();
    expect_every_form(kVa + 0x20, kDabt | kWnR | 0x0f);   // L1 hit path
    EXPECT_EQ(data_translations(), translations);
}

TEST_F(MmuAtomics, WritableCleanPageWithoutHdIsAWriteFault)
{
    map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA);   // HD = 0: DBM is ignored, the page is read-only
    expect_every_form(kVa + 0x20, kDabt | kWnR | 0x0f);
    fill_l1(kVa);
    expect_every_form(kVa + 0x20, kDabt | kWnR | 0x0f);
}

TEST_F(MmuAtomics, El0WithoutAccessIsAReadFault)
{
    map_page(kVa, kPa, kPage);                           // AP[1] = 0: no EL0 access
    map_page(kVa + 0x1000, kPa, kPage | DESC_AP2);       // ... and read-only at EL1
    enable_mmu();
    cpu.pstate.el = 0;
    cpu.pstate.sp = 0;
    expect_every_form(kVa, kDabtEl0 | 0x0f);
    expect_every_form(kVa + 0x1000, kDabtEl0 | 0x0f);    // read and write fail: a read's fault
    fill_l1(kVa);
    fill_l1(kVa + 0x1000);
    expect_every_form(kVa, kDabtEl0 | 0x0f);
    expect_every_form(kVa + 0x1000, kDabtEl0 | 0x0f);
}

TEST_F(MmuAtomics, El0ReadOnlyPageIsAWriteFault)
{
    map_page(kVa, kPa, kPage | DESC_AP1 | DESC_AP2);     // read-only at EL0 and EL1
    enable_mmu();
    cpu.pstate.el = 0;
    cpu.pstate.sp = 0;
    expect_every_form(kVa, kDabtEl0 | kWnR | 0x0f);
    fill_l1(kVa);
    expect_every_form(kVa, kDabtEl0 | kWnR | 0x0f);
}

TEST_F(MmuAtomics, PanIsAReadFault)
{
    map_page(kVa, kPa, kPage | DESC_AP1);                // EL0 read/write
    enable_mmu();
    fill_l1(kVa);
    cpu.pstate.pan = true;
    expect_every_form(kVa, kDabt | 0x0f);                // L1 hit path
    a64_mmu_reset(&mmu);
    expect_every_form(kVa, kDabt | 0x0f);                // walk path
}

TEST_F(MmuAtomics, StoreExclusiveIsStillAWrite)
{
    map_page(kVa, kPa, kPage);
    enable_mmu();
    cpu.x[0] = kVa + 0x1000;
    run(kStxrW3X1X0);
    expect_abort(kDabt | kWnR | 0x07, kVa + 0x1000);
}

TEST_F(Mmu, UnalignedAccessToDeviceMemoryIsAlignmentFault)
{
    map_page(kVa, kMmioBase, kPage | kAttrDevice);
    enable_mmu();
    cpu.x[0] = kVa + 4;
    run(kLdrX1X0);
    expect_abort(kDabt | 0x21, kVa + 4);
    cpu.x[0] = kVa + 8;
    run(kLdrX1X0);   // aligned: reaches the device at the translated address
    EXPECT_EQ(cpu.x[1], 0x1234u);
    ASSERT_EQ(mmio.size(), 1u);
    EXPECT_EQ(mmio[0].pa, kMmioBase + 8);
}

// ---------------------------------------------------------------- instruction aborts

TEST_F(Mmu, FetchFromUnmappedAddressIsInstructionAbort)
{
    enable_mmu();
    const uint64_t pc = 0x0000000080000000ull;
    cpu.pc = pc;
    step();
    EXPECT_EQ(esr(), kIabt | 0x05u);   // no level 1 entry for 0x8000_0000
    EXPECT_EQ(cpu.sys.far_el1, pc);
    EXPECT_EQ(cpu.sys.elr_el1, pc);
}

TEST_F(Mmu, FetchFromPrivilegedExecuteNeverPage)
{
    const uint64_t code_va = 0x0000000080000000ull;
    map_page(code_va, kCode & ~0xfffull, kPage | DESC_PXN);
    enable_mmu();
    cpu.pc = code_va;
    step();
    EXPECT_EQ(esr(), kIabt | 0x0fu);
    EXPECT_EQ(cpu.sys.far_el1, code_va);
}

TEST_F(Mmu, FetchFaultAtEl0IsEc0x20)
{
    enable_mmu();
    cpu.pstate.el = 0;
    cpu.pstate.sp = 0;
    cpu.pc = 0x0000700000000000ull;
    step();
    EXPECT_EQ(esr(), kIabtEl0 | 0x04u);
    EXPECT_EQ(cpu.sys.far_el1, 0x0000700000000000ull);
}

// ---------------------------------------------------------------- cache maintenance by VA

TEST_F(Mmu, CacheMaintenanceFaultsReportCmAndWnR)
{
    map_page(kVa, kPa, kPage | DESC_AP2);
    enable_mmu();
    cpu.x[0] = kVa + 0x1000;   // unmapped
    run(kDcCivacX0);
    expect_abort(kDabt | kCm | kWnR | 0x07, kVa + 0x1000);
    run(kIcIvauX0);
    expect_abort(kDabt | kCm | kWnR | 0x07, kVa + 0x1000);
    cpu.x[0] = kVa + 0x40;     // read-only page: DC IVAC needs write permission
    run(kDcIvacX0);
    expect_abort(kDabt | kCm | kWnR | 0x0f, kVa + 0x40);
    sysops.clear();
    run(kDcCvacX0);            // a clean never takes a Permission fault at EL1
    EXPECT_EQ(cpu.pc, kCode + 4);
    ASSERT_EQ(sysops.size(), 1u);
    EXPECT_EQ(sysops[0].pa, kPa + 0x40);
}

TEST_F(Mmu, DcZvaMakesAWritableCleanPageDirty)
{
    uint64_t d = map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA | TCR_HD);
    for (uint64_t a = kPa + 0x40; a < kPa + 0x80; a += 8) put64(a, ~0ull);
    cpu.x[0] = kVa + 0x48;
    run(kDcZvaX0);
    EXPECT_EQ(cpu.pc, kCode + 4);
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);   // writable-dirty
    for (uint64_t a = kPa + 0x40; a < kPa + 0x80; a += 8) EXPECT_EQ(get64(a), 0u);
    EXPECT_EQ(cas_done, 1u);
}

TEST_F(Mmu, DcZvaToDeviceMemoryIsAlignmentFaultWithoutCm)
{
    map_page(kVa, kMmioBase, kPage | kAttrDevice);
    enable_mmu();
    cpu.x[0] = kVa;
    run(kDcZvaX0);
    expect_abort(kDabt | kWnR | 0x21, kVa);
}

// ---------------------------------------------------------------- AT

TEST_F(Mmu, AtWritesParWithAddressAndAttributes)
{
    map_page(kVa, kPa, kPage);
    map_page(kVa + 0x1000, kMmioBase, kPage | kAttrDevice);
    map_page(kVa + 0x2000, kPa + 0x1000, kPage | kAttrNc);
    enable_mmu();
    // F = 0: ATTR[63:56], PA[47:12], RES1 bit 11, NS bit 9 (1, as QEMU), SH[8:7].
    cpu.x[0] = kVa + 0x123;
    run(kAtS1e1rX0);
    EXPECT_EQ(cpu.sys.par_el1, 0xff00000040080b80ull);   // Normal WB, Inner Shareable
    cpu.x[0] = kVa + 0x1000;
    run(kAtS1e1rX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x0000000009000b00ull);   // Device-nGnRnE: SH reads 0b10
    cpu.x[0] = kVa + 0x2000;
    run(kAtS1e1wX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x4400000040081b00ull);   // Normal NC: SH reads 0b10
    unsigned at_calls = 0;
    for (const TranslateCall &c : translate_calls) {
        if (c.type == VMSA_ACC_AT_READ || c.type == VMSA_ACC_AT_WRITE) {
            EXPECT_EQ(c.flags, (unsigned)A64_XLATE_NO_UPDATE);
            at_calls++;
        }
    }
    EXPECT_EQ(at_calls, 3u);
    EXPECT_EQ(mmu.l1d.misses + mmu.l1d.hits, 0u);   // AT neither looks up nor fills the L1 TLB
}

TEST_F(Mmu, AtReportsFaultsInPar)
{
    map_page(kVa, kPa, kPage | DESC_AP2);              // read-only, EL1 only
    map_page(kVa + 0x1000, kPa, kPage & ~DESC_AF);     // Access flag 0
    enable_mmu();
    // F = 1: FST[6:1], RES1 bit 11.
    cpu.x[0] = kVa + 0x3000;
    run(kAtS1e1rX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x80full);   // translation fault, level 3
    cpu.x[0] = kVa;
    run(kAtS1e1wX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x81full);   // permission fault, level 3
    run(kAtS1e0rX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x81full);   // EL0 has no access
    cpu.x[0] = kVa + 0x1000;
    run(kAtS1e1rX0);
    EXPECT_EQ(cpu.sys.par_el1, 0x817ull);   // access flag fault, level 3
    EXPECT_EQ(cpu.ctr.exceptions, 0u);
    EXPECT_EQ(mmu.faults.kind[VMSA_FAULT_PERMISSION] + mmu.faults.kind[VMSA_FAULT_TRANSLATION], 0u);
}

TEST_F(Mmu, AtDoesNotSetTheAccessFlagOrDirtyState)
{
    uint64_t d1 = map_page(kVa, kPa, kPage & ~DESC_AF);
    uint64_t d2 = map_page(kVa + 0x1000, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA | TCR_HD);
    cpu.x[0] = kVa;
    run(kAtS1e1rX0);
    EXPECT_EQ(cpu.sys.par_el1 & 1, 0u);
    EXPECT_EQ(get64(d1) & DESC_AF, 0u);
    cpu.x[0] = kVa + 0x1000;
    run(kAtS1e1wX0);
    EXPECT_EQ(cpu.sys.par_el1 & 1, 0u);   // writable-clean counts as writable
    EXPECT_NE(get64(d2) & DESC_AP2, 0u);
    EXPECT_EQ(cas_done, 0u);
    // The core's own walk (no platform MMU) behaves the same.
    cpu.cfg.env.translate = nullptr;
    cpu.x[0] = kVa;
    run(kAtS1e1rX0);
    EXPECT_EQ(get64(d1) & DESC_AF, 0u);
}

// ---------------------------------------------------------------- TLB maintenance

TEST_F(Mmu, StaleEntryIsUsedUntilTlbiVae1)
{
    uint64_t d = map_page(kVa, kPa, kPage);
    enable_mmu();
    put64(kPa, 1);
    put64(kPa + 0x1000, 2);
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 1u);
    put64(d, ((kPa + 0x1000) & DESC_OA_MASK_4K) | kPage);   // remapped without TLBI
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 1u);                                // the L1 TLB still has the old one
    cpu.x[2] = tlbi_va(kVa);
    run(kTlbiVae1X2);
    ASSERT_EQ(sysops.size(), 1u);                           // routed out to the platform too
    EXPECT_EQ(sysops[0].op, (uint32_t)A64_SYSOP_TLBI_VAE1);
    ASSERT_EQ(tlbis.size(), 1u);                            // decoded once, by the core
    EXPECT_EQ(tlbis[0].op, VMSA_TLBI_VAE1);
    EXPECT_FALSE(tlbis[0].inner_shareable);
    EXPECT_EQ(tlbis[0].va, kVa);
    EXPECT_EQ(tlbis[0].asid, kAsid);
    run(kLdrX1X0);
    EXPECT_EQ(cpu.x[1], 2u);
}

TEST_F(Mmu, TlbiOperationsAndAsidMatching)
{
    // One global page and one non-global (nG) page of ASID kAsid.
    uint64_t dg = map_page(kVa, kPa, kPage);
    uint64_t dn = map_page(kVa + 0x1000, kPa, kPage | DESC_NG);
    enable_mmu();
    put64(kPa, 1);
    put64(kPa + 0x1000, 2);
    auto load_both = [&](uint64_t &g, uint64_t &n) {
        cpu.x[0] = kVa;
        run(kLdrX1X0);
        g = cpu.x[1];
        cpu.x[0] = kVa + 0x1000;
        run(kLdrX1X0);
        n = cpu.x[1];
    };
    auto remap = [&](uint64_t pa) {
        put64(dg, (pa & DESC_OA_MASK_4K) | kPage);
        put64(dn, (pa & DESC_OA_MASK_4K) | kPage | DESC_NG);
    };
    uint64_t g, n;
    put64(kPa + 0x2000, 3);
    load_both(g, n);                              // both cached, pointing at kPa
    EXPECT_EQ(g, 1u);
    EXPECT_EQ(n, 1u);

    remap(kPa + 0x1000);
    cpu.x[2] = tlbi_va(0, kAsid);
    run(kTlbiAside1X2);                           // ASIDE1 drops only non-global entries
    load_both(g, n);
    EXPECT_EQ(g, 1u);
    EXPECT_EQ(n, 2u);

    remap(kPa + 0x2000);
    cpu.x[2] = tlbi_va(kVa + 0x1000, kAsid + 1);
    run(kTlbiVale1X2);                            // another ASID: the nG entry stays
    cpu.x[2] = tlbi_va(kVa, kAsid + 1);
    run(kTlbiVale1X2);                            // ... but a global entry matches any ASID
    load_both(g, n);
    EXPECT_EQ(g, 3u);
    EXPECT_EQ(n, 2u);

    remap(kPa);
    cpu.x[2] = tlbi_va(kVa + 0x1000, 0x7);
    run(kTlbiVaae1X2);                            // VAAE1: any ASID, only that VA
    load_both(g, n);
    EXPECT_EQ(g, 3u);
    EXPECT_EQ(n, 1u);

    remap(kPa + 0x1000);
    run(kTlbiVmalle1);                            // everything
    load_both(g, n);
    EXPECT_EQ(g, 2u);
    EXPECT_EQ(n, 2u);
}

TEST_F(Mmu, MsrToTtbr0SwitchesAsidAndTables)
{
    // Two address spaces with non-global mappings of kVa: ASID kAsid -> kPa, ASID 7 -> kPa+0x1000.
    map_page(kVa, kPa, kPage | DESC_NG);
    enable_mmu();
    uint64_t root_b = alloc_table();
    map_page_in(root_b, kCode & ~0xfffull, kCode & ~0xfffull, kPage);
    map_page_in(root_b, kVa, kPa + 0x1000, kPage | DESC_NG);
    put64(kPa, 10);
    put64(kPa + 0x1000, 20);
    cpu.x[0] = kVa;
    cpu.x[2] = root_b | 7ull << 48;
    code({kLdrX1X0, kMsrTtbr0X2, kLdrX1X0});
    cpu.pc = kCode;
    step();
    EXPECT_EQ(cpu.x[1], 10u);
    step(2);
    EXPECT_EQ(cpu.x[1], 20u);   // new ASID, new tables: no TLBI needed
}

TEST_F(Mmu, MsrToTcrTakesEffect)
{
    map_page(kVa, kPa, kPage & ~DESC_AF);
    enable_mmu();   // HA = 0: Access flag fault
    cpu.x[2] = tcr(TCR_HA);
    run(kMsrTcrX2);
    cpu.x[0] = kVa;
    run(kLdrX1X0);   // HA = 1 now: the walk sets AF
    EXPECT_EQ(cpu.pc, kCode + 4);
    EXPECT_EQ(cas_done, 1u);
}

// ---------------------------------------------------------------- dirty state and the TLB

// Issue 3 rule 3: an entry cached from a writable-clean descriptor never lets a write through
// without the dirty update reaching the descriptor in memory first.
TEST_F(Mmu, WritableCleanEntryNeverLetsAWriteThroughWithoutTheUpdate)
{
    uint64_t d = map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA | TCR_HD);
    put64(kPa, 5);
    cpu.x[0] = kVa;
    run(kLdrX1X0);                       // caches the writable-clean entry
    EXPECT_EQ(data_translations(), 1u);
    EXPECT_NE(get64(d) & DESC_AP2, 0u);
    bool data_written_before_update = true;
    before_cas = [&](uint64_t addr, uint64_t, uint64_t) {
        EXPECT_EQ(addr, d);
        data_written_before_update = get64(kPa) != 5;
    };
    cpu.x[1] = 6;
    run(kStrX1X0);                       // L1 hit on a clean entry -> translated again
    EXPECT_FALSE(data_written_before_update);
    EXPECT_EQ(data_translations(), 2u);
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);
    EXPECT_EQ(get64(kPa), 6u);
    run(kStrX1X0);                       // the entry is dirty now: a plain hit
    EXPECT_EQ(data_translations(), 2u);
}

// Issue 3 rule 3: an entry cached as writable-dirty keeps allowing writes after software
// re-cleans the descriptor, until a TLBI removes it.
TEST_F(Mmu, StaleWritableDirtyEntryAllowsWritesUntilTlbi)
{
    uint64_t d = map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA | TCR_HD);
    cpu.x[0] = kVa;
    cpu.x[1] = 1;
    run(kStrX1X0);
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);
    put64(d, get64(d) | DESC_AP2);       // software re-cleans, no TLBI
    cpu.x[1] = 2;
    run(kStrX1X0);
    EXPECT_EQ(get64(kPa), 2u);           // written through the stale dirty entry
    EXPECT_NE(get64(d) & DESC_AP2, 0u);  // and the descriptor stays clean
    EXPECT_EQ(cas_done, 1u);
    cpu.x[2] = tlbi_va(kVa);
    run(kTlbiVale1X2);
    cpu.x[1] = 3;
    run(kStrX1X0);                       // a fresh walk marks it dirty again
    EXPECT_EQ(get64(kPa), 3u);
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);
    EXPECT_EQ(cas_done, 2u);
}

// --hafdbs: ID_AA64MMFR1_EL1.HAFDBS limits what TCR_EL1.HA/HD enable (HA needs >= 1, HD 2).
TEST_F(Mmu, HafdbsFieldLimitsHardwareUpdates)
{
    uint64_t d = map_page(kVa, kPa, (kPage & ~DESC_AF) | DESC_DBM | DESC_AP2);
    enable_mmu(TCR_HA | TCR_HD);
    auto set_hafdbs = [&](uint64_t v) {
        cpu.sys.id_aa64mmfr1_el1 = (cpu.sys.id_aa64mmfr1_el1 & ~0xfull) | v;
        a64_mmu_regs_changed(&cpu);
    };
    cpu.x[0] = kVa;
    set_hafdbs(0);
    run(kLdrX1X0);
    expect_abort(kDabt | 0x0b, kVa);            // no HA: Access flag fault
    set_hafdbs(1);
    run(kStrX1X0);
    expect_abort(kDabt | kWnR | 0x0f, kVa);     // HA but no HD: read-only, and no AF update
    EXPECT_EQ(get64(d) & DESC_AF, 0u);          // (a faulting access updates nothing)
    run(kLdrX1X0);
    EXPECT_NE(get64(d) & DESC_AF, 0u);          // a load sets AF
    set_hafdbs(2);
    cpu.x[2] = tlbi_va(kVa);
    run(kTlbiVae1X2);
    run(kStrX1X0);
    EXPECT_EQ(cpu.pc, kCode + 4);
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);         // HD: the store made it dirty
}

// ---------------------------------------------------------------- the core's own walk

TEST_F(Mmu, CoreWalkUpdatesAtomicallyAndClearsAnOverlappingReservation)
{
    uint64_t d = map_page(kVa, kPa, kPage | DESC_AP2 | DESC_DBM);
    enable_mmu(TCR_HA | TCR_HD);
    cpu.cfg.env.translate = nullptr;
    // A reservation on the descriptor (as firmware's LDXR of the descriptor would leave).
    cpu.excl_valid = true;
    cpu.excl_addr = d;
    cpu.excl_size = 8;
    cpu.x[0] = kVa;
    run(kLdrX1X0);                       // AF already set: no update, reservation kept
    EXPECT_TRUE(cpu.excl_valid);
    run(kStrX1X0);                       // dirty update of the descriptor
    EXPECT_EQ(get64(d) & DESC_AP2, 0u);
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(Mmu, ReservationOnAnotherWordSurvivesAHardwareUpdate)
{
    uint64_t d = map_page(kVa, kPa, kPage & ~DESC_AF);
    enable_mmu(TCR_HA);
    cpu.cfg.env.translate = nullptr;
    cpu.excl_valid = true;
    cpu.excl_addr = d + 8;               // the next descriptor
    cpu.excl_size = 8;
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    EXPECT_NE(get64(d) & DESC_AF, 0u);   // the walk set AF
    EXPECT_TRUE(cpu.excl_valid);
}

TEST_F(Mmu, CoreWalkCountsItsFaults)
{
    enable_mmu();
    cpu.cfg.env.translate = nullptr;
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    expect_abort(kDabt | 0x04, kVa);
    EXPECT_EQ(mmu.faults.kind[VMSA_FAULT_TRANSLATION], 1u);
    EXPECT_EQ(mmu.faults.level[VMSA_FAULT_TRANSLATION][0], 1u);
}

TEST_F(Mmu, DescriptorOutsideMemoryIsExternalAbortOnTheWalk)
{
    enable_mmu();
    put64(slot(kVa, 0), 0x0000000100000000ull | kTable);   // next table in no memory
    cpu.x[0] = kVa;
    run(kLdrX1X0);
    expect_abort(kDabt | 0x15, kVa);   // Synchronous External abort on the walk, level 1
}

TEST_F(Mmu, AtWhoseWalkGetsAnExternalAbortTakesADataAbort)
{
    // ARM ARM (DDI 0487F.a D5.2.11): PAR_EL1 reports the MMU faults of an AT; a Synchronous
    // External abort on its walk is taken as a Data Abort, PAR_EL1 unchanged. ESR: EC 0x25, CM = 1
    // and WnR = 1 (every abort of an AT instruction, D17.2 ESR_ELx ISS), DFSC 0b010101 (level 1:
    // the level 0 entry points at no memory); FAR = the VA given to AT; ELR = the AT.
    enable_mmu();
    put64(slot(kVa, 0), 0x0000000100000000ull | kTable);
    for (uint32_t at : {kAtS1e1rX0, kAtS1e1wX0, kAtS1e0rX0, kAtS1e0wX0}) {
        SCOPED_TRACE(at);
        cpu.sys.par_el1 = 0x0000000040123b80ull;   // a PAR of an earlier AT
        cpu.x[0] = kVa + 0x345;
        run(at);
        expect_abort(kDabt | kCm | kWnR | 0x15, kVa + 0x345);
        EXPECT_EQ(cpu.pc, kVectors + 0x200);         // current EL with SPx, synchronous
        EXPECT_EQ(cpu.sys.par_el1, 0x0000000040123b80ull);
    }
    EXPECT_EQ(cpu.ctr.exceptions, 4u);
}

// ---------------------------------------------------------------- debug accesses

TEST_F(Mmu, DebugAccessesTranslateWithoutSideEffects)
{
    uint64_t d = map_page(kVa, kPa, kPage & ~DESC_AF & ~DESC_DBM);
    map_page(kVa + 0x1000, kPa + 0x2000, kPage);
    enable_mmu(TCR_HA);
    put64(kPa + 0xff8, 0x1111);
    put64(kPa + 0x2000, 0x2222);
    uint64_t buf[2] = {0, 0};
    ASSERT_TRUE(a64_debug_read(&cpu, kVa + 0xff8, buf, 16));   // crosses into the other page
    EXPECT_EQ(buf[0], 0x1111u);
    EXPECT_EQ(buf[1], 0x2222u);
    uint64_t w = 0x3333;
    ASSERT_TRUE(a64_debug_write(&cpu, kVa + 8, &w, 8));
    EXPECT_EQ(get64(kPa + 8), 0x3333u);
    EXPECT_EQ(get64(d) & DESC_AF, 0u);    // no Access flag update
    EXPECT_TRUE(translate_calls.empty());
    EXPECT_EQ(mmu.l1d.misses + mmu.l1d.hits, 0u);
    EXPECT_FALSE(a64_debug_read(&cpu, kVa + 0x3000, buf, 8));
}

}  // namespace
