// MRS and MSR (register): the system register table, access rules and side effects (ARM ARM D17).
// Encodings checked with aarch64-linux-gnu-as; generic ones are built from the register key.
#include "a64_harness.h"

extern "C" {
#include "a64/sysregs.h"
}

namespace {

constexpr unsigned key(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return A64_SYSREG_KEY(op0, op1, crn, crm, op2);
}
constexpr uint32_t mrs(unsigned k, unsigned rt) { return 0xd5200000u | (k << 5) | rt; }
constexpr uint32_t msr(unsigned k, unsigned rt) { return 0xd5000000u | (k << 5) | rt; }

constexpr unsigned kSctlr = key(3, 0, 1, 0, 0);
constexpr unsigned kCtr = key(3, 3, 0, 0, 1);
constexpr unsigned kDczid = key(3, 3, 0, 0, 7);
constexpr unsigned kNzcv = key(3, 3, 4, 2, 0);
constexpr unsigned kDaif = key(3, 3, 4, 2, 1);
constexpr unsigned kFpcr = key(3, 3, 4, 4, 0);
constexpr unsigned kFpsr = key(3, 3, 4, 4, 1);
constexpr unsigned kCurrentEl = key(3, 0, 4, 2, 2);
constexpr unsigned kSpSel = key(3, 0, 4, 2, 0);
constexpr unsigned kPan = key(3, 0, 4, 2, 3);
constexpr unsigned kSpEl0 = key(3, 0, 4, 1, 0);
constexpr unsigned kSpEl1 = key(3, 4, 4, 1, 0);
constexpr unsigned kCntfrq = key(3, 3, 14, 0, 0);
constexpr unsigned kCntpct = key(3, 3, 14, 0, 1);
constexpr unsigned kCntvct = key(3, 3, 14, 0, 2);
constexpr unsigned kCntpTval = key(3, 3, 14, 2, 0);
constexpr unsigned kCntpCtl = key(3, 3, 14, 2, 1);
constexpr unsigned kCntpCval = key(3, 3, 14, 2, 2);
constexpr unsigned kCntvCtl = key(3, 3, 14, 3, 1);
constexpr unsigned kCntkctl = key(3, 0, 14, 1, 0);
constexpr unsigned kTpidrEl0 = key(3, 3, 13, 0, 2);
constexpr unsigned kTpidrroEl0 = key(3, 3, 13, 0, 3);
constexpr unsigned kOslar = key(2, 0, 1, 0, 4);
constexpr unsigned kOslsr = key(2, 0, 1, 1, 4);
constexpr unsigned kIsr = key(3, 0, 12, 1, 0);
constexpr unsigned kMidr = key(3, 0, 0, 0, 0);

class Sysregs : public A64Test {
protected:
    uint64_t read(unsigned k)
    {
        cpu.x[9] = 0xdeadbeef;
        exec(mrs(k, 9));
        return cpu.x[9];
    }
    void write(unsigned k, uint64_t v)
    {
        cpu.x[9] = v;
        exec(msr(k, 9));
    }
    void enter_el0()
    {
        cpu.pstate.el = 0;
        cpu.pstate.sp = 0;
    }
    void expect_undefined()
    {
        EXPECT_EQ(esr(), 0x02000000u) << std::hex << esr();
        EXPECT_TRUE(took_exception());
    }
    // Back to EL1h at the entry point after an exception.
    void reset_pc()
    {
        cpu.pc = kCode;
        cpu.sys.esr_el1 = 0;
    }
};

TEST_F(Sysregs, TableIsSortedAndNamed)
{
    EXPECT_TRUE(a64_sysreg_table_valid());
    EXPECT_GE(a64_sysreg_count(), 90u);
    EXPECT_STREQ(a64_sysreg_name(kSctlr), "SCTLR_EL1");
    EXPECT_STREQ(a64_sysreg_name(kCtr), "CTR_EL0");
    EXPECT_STREQ(a64_sysreg_name(key(2, 0, 0, 2, 2)), "MDSCR_EL1");
    EXPECT_EQ(a64_sysreg_name(key(3, 0, 15, 0, 0)), nullptr);
}

TEST_F(Sysregs, AssemblerEncodingsMatchKeys)
{
    EXPECT_EQ(mrs(kCtr, 0), 0xd53b0020u);         // mrs x0, ctr_el0
    EXPECT_EQ(mrs(kCurrentEl, 0), 0xd5384240u);   // mrs x0, currentel
    EXPECT_EQ(msr(kNzcv, 0), 0xd51b4200u);        // msr nzcv, x0
    EXPECT_EQ(mrs(kOslsr, 12), 0xd530118cu);      // mrs x12, oslsr_el1
    EXPECT_EQ(msr(kSctlr, 1), 0xd5181001u);       // msr sctlr_el1, x1
}

TEST_F(Sysregs, CurrentElAtEl1)
{
    EXPECT_EQ(read(kCurrentEl), 0x4u);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(Sysregs, CurrentElAtEl0IsUndefined)
{
    enter_el0();
    read(kCurrentEl);
    expect_undefined();
    EXPECT_EQ(cpu.x[9], 0xdeadbeefu);  // destination untouched
}

TEST_F(Sysregs, WriteToReadOnlyRegistersIsUndefined)
{
    for (unsigned k : {kCurrentEl, kMidr, kCtr, kIsr, kOslsr, kCntpct,
                       key(3, 0, 0, 7, 1) /* ID_AA64MMFR1_EL1 */}) {
        reset_pc();
        write(k, 1);
        expect_undefined();
    }
    EXPECT_EQ(cpu.sys.midr_el1, 0x410fd034u);
}

TEST_F(Sysregs, UnknownRegisterIsUndefined)
{
    read(key(3, 0, 15, 0, 0));  // s3_0_c15_c0_0: IMPLEMENTATION DEFINED, not implemented
    expect_undefined();
    reset_pc();
    write(key(3, 0, 15, 0, 0), 1);
    expect_undefined();
    reset_pc();
    read(key(3, 0, 0, 0, 1));   // s3_0_c0_c0_1: not in the RAZ ID range
    expect_undefined();
}

TEST_F(Sysregs, ReservedIdRegistersReadAsZero)
{
    EXPECT_EQ(read(key(3, 0, 0, 3, 7)), 0u);  // s3_0_c0_c3_7
    EXPECT_EQ(read(key(3, 0, 0, 7, 7)), 0u);  // s3_0_c0_c7_7
    EXPECT_EQ(read(key(3, 0, 0, 1, 0)), 0u);  // ID_PFR0_EL1 (AArch32)
    reset_pc();
    write(key(3, 0, 0, 3, 7), 1);
    expect_undefined();
}

// The reserved ID space is op0 = 3, op1 = 0, CRn = 0, CRm = 1..7 only (ARM ARM C5.3, the ID
// register table: "Reserved, RAZ"). CRm = 8..15 is unallocated: UNDEFINED in both directions.
TEST_F(Sysregs, IdSpaceBeyondCrm7IsUndefined)
{
    for (unsigned crm = 8; crm <= 15; crm++) {
        for (unsigned op2 = 0; op2 <= 7; op2++) {
            SCOPED_TRACE(testing::Message() << "s3_0_c0_c" << crm << "_" << op2);
            EXPECT_EQ(a64_sysreg_name(key(3, 0, 0, crm, op2)), nullptr);
            reset_pc();
            read(key(3, 0, 0, crm, op2));
            expect_undefined();
            EXPECT_EQ(cpu.x[9], 0xdeadbeefu);
            reset_pc();
            write(key(3, 0, 0, crm, op2), 1);
            expect_undefined();
        }
    }
}

// The named ID registers of CRm = 1..7 that hold a value (the AArch64 ones of this PE); every
// other encoding there, the AArch32 ID registers included (no AArch32), reads as zero.
uint64_t expected_id_value(const a64_cpu &cpu, unsigned crm, unsigned op2)
{
    switch (crm * 8 + op2) {
    case 4 * 8 + 0: return cpu.sys.id_aa64pfr0_el1;
    case 4 * 8 + 1: return cpu.sys.id_aa64pfr1_el1;
    case 5 * 8 + 0: return cpu.sys.id_aa64dfr0_el1;
    case 5 * 8 + 1: return cpu.sys.id_aa64dfr1_el1;
    case 6 * 8 + 0: return cpu.sys.id_aa64isar0_el1;
    case 6 * 8 + 1: return cpu.sys.id_aa64isar1_el1;
    case 7 * 8 + 0: return cpu.sys.id_aa64mmfr0_el1;
    case 7 * 8 + 1: return cpu.sys.id_aa64mmfr1_el1;
    case 7 * 8 + 2: return cpu.sys.id_aa64mmfr2_el1;
    default: return 0;
    }
}

// The reset value the vmsa and model tests assume (A64_ID_AA64MMFR0_RESET, from named fields).
TEST_F(Sysregs, IdAa64Mmfr0ResetsToTheNamedValue)
{
    EXPECT_EQ(cpu.sys.id_aa64mmfr0_el1, A64_ID_AA64MMFR0_RESET);
}

TEST_F(Sysregs, IdSpaceCrm1To7IsReadableAndReadOnly)
{
    EXPECT_NE(cpu.sys.id_aa64pfr0_el1, 0u);  // so that the comparison below can tell RAZ apart
    for (unsigned crm = 1; crm <= 7; crm++) {
        for (unsigned op2 = 0; op2 <= 7; op2++) {
            SCOPED_TRACE(testing::Message() << "s3_0_c0_c" << crm << "_" << op2);
            reset_pc();
            EXPECT_EQ(read(key(3, 0, 0, crm, op2)), expected_id_value(cpu, crm, op2));
            EXPECT_EQ(cpu.pc, kCode + 4);
            reset_pc();
            write(key(3, 0, 0, crm, op2), 1);
            expect_undefined();
        }
    }
}

TEST_F(Sysregs, ReservedIdRegistersAtEl0AreUndefined)
{
    enter_el0();
    read(key(3, 0, 0, 3, 7));  // no FEAT_IDST: UNDEFINED, not trapped with EC 0x18
    expect_undefined();
}

TEST_F(Sysregs, IdSpaceCrm0HasOnlyTheThreeIdentificationRegisters)
{
    for (unsigned op2 : {1u, 2u, 3u, 4u, 7u}) {
        SCOPED_TRACE(testing::Message() << "s3_0_c0_c0_" << op2);
        reset_pc();
        read(key(3, 0, 0, 0, op2));
        expect_undefined();
    }
}

// RVBAR_EL1 is implemented when EL1 is the highest Exception level (ARM ARM D17.2): read-only
// at EL1, the reset address of the virt platform (0, as QEMU -M virt -cpu max reads it).
TEST_F(Sysregs, RvbarEl1ReadableAtEl1)
{
    constexpr unsigned kRvbar = key(3, 0, 12, 0, 1);
    EXPECT_STREQ(a64_sysreg_name(kRvbar), "RVBAR_EL1");
    EXPECT_EQ(read(kRvbar), 0u);
    EXPECT_EQ(cpu.pc, kCode + 4);
    reset_pc();
    write(kRvbar, 0x40000000);
    expect_undefined();
    reset_pc();
    enter_el0();
    read(kRvbar);
    expect_undefined();
}

TEST_F(Sysregs, IdentificationRegistersReturnResetValues)
{
    EXPECT_EQ(read(kMidr), 0x410fd034u);
    EXPECT_EQ(read(key(3, 0, 0, 0, 5)), 0x80000000u);           // MPIDR_EL1
    EXPECT_EQ(read(key(3, 0, 0, 7, 1)), cpu.sys.id_aa64mmfr1_el1);
    EXPECT_EQ(read(key(3, 0, 0, 7, 1)) & 0xf, 2u);              // HAFDBS = 2
    EXPECT_EQ(read(key(3, 0, 0, 6, 0)), (0x2ull << 20) | (0x1ull << 16)); // ID_AA64ISAR0: LSE, CRC32
    EXPECT_EQ(read(key(3, 1, 0, 0, 1)), 0x0a200023u);           // CLIDR_EL1
}

TEST_F(Sysregs, IdRegistersAtEl0AreUndefined)
{
    enter_el0();
    read(kMidr);
    expect_undefined();
}

TEST_F(Sysregs, NzcvRoundTrip)
{
    write(kNzcv, 0xa00000ffu);  // only bits 31:28 exist
    EXPECT_EQ(cpu.pstate.nzcv, 0xa0000000u);
    EXPECT_EQ(read(kNzcv), 0xa0000000u);
}

TEST_F(Sysregs, NzcvAccessibleAtEl0)
{
    enter_el0();
    write(kNzcv, 0x50000000u);
    EXPECT_EQ(read(kNzcv), 0x50000000u);
}

TEST_F(Sysregs, DaifRoundTrip)
{
    write(kDaif, 0x1c0);
    EXPECT_EQ(cpu.pstate.daif, 0x1c0u);
    EXPECT_EQ(read(kDaif), 0x1c0u);
}

TEST_F(Sysregs, DaifAtEl0TrapsUnlessUma)
{
    enter_el0();
    read(kDaif);
    // mrs x9, daif: EC 0x18; Op0 3, Op2 1, Op1 3, CRn 4, Rt 9, CRm 2, read.
    EXPECT_EQ(esr(), 0x6232d125u);
    enter_el0();
    reset_pc();
    cpu.sys.sctlr_el1 |= 1ull << 9;  // UMA
    EXPECT_EQ(read(kDaif), 0x3c0u);
}

TEST_F(Sysregs, SpSelAndSpEl0)
{
    cpu.sys.sp_el0 = 0x1000;
    EXPECT_EQ(read(kSpSel), 1u);
    EXPECT_EQ(read(kSpEl0), 0x1000u);
    write(kSpEl0, 0x2000);
    EXPECT_EQ(cpu.sys.sp_el0, 0x2000u);
    write(kSpSel, 0);
    EXPECT_EQ(cpu.pstate.sp, 0);
    // With SP_EL0 selected it is the current SP: SP_EL0 through MRS/MSR is UNDEFINED (C5.2.16).
    read(kSpEl0);
    expect_undefined();
}

TEST_F(Sysregs, SpEl1IsNotAccessibleFromEl1)
{
    read(kSpEl1);  // mrs x9, sp_el1
    expect_undefined();
}

TEST_F(Sysregs, PanRoundTrip)
{
    write(kPan, 1ull << 22);
    EXPECT_TRUE(cpu.pstate.pan);
    EXPECT_EQ(read(kPan), 1ull << 22);
    write(kPan, 0);
    EXPECT_FALSE(cpu.pstate.pan);
}

TEST_F(Sysregs, SctlrWriteForcesRes1)
{
    // C (bit 2) rather than M: with M = 1 the next fetch would need translation tables.
    write(kSctlr, 0x4);
    EXPECT_EQ(cpu.sys.sctlr_el1, 0x30500804u);  // C plus RES1 bits 11, 20, 22, 28, 29
    EXPECT_EQ(read(kSctlr), 0x30500804u);
}

TEST_F(Sysregs, SctlrAtEl0IsUndefined)
{
    enter_el0();
    read(kSctlr);
    expect_undefined();
}

TEST_F(Sysregs, CtrAtEl0TrapsWithSyndromeWhenUctClear)
{
    enter_el0();
    cpu.sys.sctlr_el1 &= ~(1ull << 15);
    exec(0xd53b0020);  // mrs x0, ctr_el0
    // EC 0x18, IL; ISS Op0 3, Op2 1, Op1 3, CRn 0, Rt 0, CRm 0, Direction 1 (read).
    EXPECT_EQ(esr(), 0x6232c001u);
    EXPECT_EQ(cpu.sys.elr_el1, kCode);
    EXPECT_EQ(cpu.pc, kVectors + 0x400);
}

TEST_F(Sysregs, CtrAtEl0WithUct)
{
    enter_el0();
    cpu.sys.sctlr_el1 |= 1ull << 15;
    EXPECT_EQ(read(kCtr), 0x84448004u);
}

TEST_F(Sysregs, DczidReportsProhibitionAtEl0)
{
    EXPECT_EQ(read(kDczid), 0x4u);
    enter_el0();
    cpu.sys.sctlr_el1 &= ~(1ull << 14);
    EXPECT_EQ(read(kDczid), 0x14u);  // DZP
    cpu.sys.sctlr_el1 |= 1ull << 14; // DZE
    EXPECT_EQ(read(kDczid), 0x4u);
}

TEST_F(Sysregs, CounterRegisters)
{
    EXPECT_EQ(read(kCntfrq), 62500000u);
    EXPECT_EQ(read(kCntpct), 1000u);
    EXPECT_EQ(read(kCntvct), 1000u);
    write(kCntfrq, 1);  // writable only at the highest EL: ignored
    EXPECT_EQ(read(kCntfrq), 62500000u);
}

TEST_F(Sysregs, CountersAtEl0FollowCntkctl)
{
    enter_el0();
    cpu.sys.cntkctl_el1 = 0;
    exec(0xd53be04d);  // mrs x13, cntvct_el0
    EXPECT_EQ(ec(), 0x18u);
    EXPECT_EQ(esr() & 0x1ffffff, 0x34f9a1u);  // Op0 3, Op2 2, Op1 3, CRn 14, Rt 13, CRm 0, read

    enter_el0();
    reset_pc();
    cpu.sys.cntkctl_el1 = 2;  // EL0VCTEN
    EXPECT_EQ(read(kCntvct), 1000u);
    EXPECT_EQ(read(kCntfrq), 62500000u);
    read(kCntpct);  // EL0PCTEN still 0
    EXPECT_EQ(ec(), 0x18u);
}

TEST_F(Sysregs, TimerAtEl0FollowsCntkctl)
{
    enter_el0();
    read(kCntpCtl);
    EXPECT_EQ(ec(), 0x18u);
    enter_el0();
    reset_pc();
    cpu.sys.cntkctl_el1 = 1ull << 9;  // EL0PTEN
    write(kCntpCval, 5);
    EXPECT_EQ(cpu.sys.cntp_cval_el0, 5u);
    read(kCntvCtl);  // EL0VTEN still 0
    EXPECT_EQ(ec(), 0x18u);
}

TEST_F(Sysregs, TimerValueIsSignedOffsetFromCounter)
{
    write(kCntpTval, 500);
    EXPECT_EQ(cpu.sys.cntp_cval_el0, 1500u);
    EXPECT_EQ(read(kCntpTval), 500u);
    write(kCntpTval, 0xffffff9cu);  // -100
    EXPECT_EQ(cpu.sys.cntp_cval_el0, 900u);
    EXPECT_EQ(read(kCntpTval), 0xffffff9cu);
}

TEST_F(Sysregs, TimerControlStatus)
{
    write(kCntpCtl, 7);  // ISTATUS is read-only
    EXPECT_EQ(cpu.sys.cntp_ctl_el0, 3u);
    cpu.sys.cntp_cval_el0 = 2000;
    EXPECT_EQ(read(kCntpCtl), 3u);
    cpu.sys.cntp_cval_el0 = 1000;
    EXPECT_EQ(read(kCntpCtl), 7u);  // condition met
    write(kCntpCtl, 0);
    EXPECT_EQ(read(kCntpCtl), 0u);  // disabled: no status
}

TEST_F(Sysregs, ThreadIdRegistersAtEl0)
{
    cpu.sys.tpidrro_el0 = 0x77;
    enter_el0();
    write(kTpidrEl0, 0x1234);
    EXPECT_EQ(cpu.sys.tpidr_el0, 0x1234u);
    EXPECT_EQ(read(kTpidrEl0), 0x1234u);
    EXPECT_EQ(read(kTpidrroEl0), 0x77u);
    write(kTpidrroEl0, 1);
    expect_undefined();
    EXPECT_EQ(cpu.sys.tpidrro_el0, 0x77u);
}

TEST_F(Sysregs, TpidrroWritableAtEl1)
{
    write(kTpidrroEl0, 0x99);
    EXPECT_EQ(cpu.sys.tpidrro_el0, 0x99u);
}

TEST_F(Sysregs, FpRegistersTrapWhileFpenTraps)
{
    cpu.sys.cpacr_el1 = 0;
    read(kFpcr);
    EXPECT_EQ(esr(), 0x1fe00000u);  // EC 0x07, IL, CV, COND 0xE
    EXPECT_EQ(cpu.x[9], 0xdeadbeefu);
}

TEST_F(Sysregs, FpRegistersRoundTripWhenEnabled)
{
    cpu.sys.cpacr_el1 = 3ull << 20;
    write(kFpcr, 0x03c00000);
    write(kFpsr, 0x8000009f);
    EXPECT_EQ(read(kFpcr), 0x03c00000u);
    EXPECT_EQ(read(kFpsr), 0x8000009fu);
}

TEST_F(Sysregs, FpenEl0OnlyTrapsEl0)
{
    cpu.sys.cpacr_el1 = 1ull << 20;
    write(kFpsr, 1);
    EXPECT_EQ(cpu.sys.fpsr, 1u);
    enter_el0();
    read(kFpsr);
    EXPECT_EQ(ec(), 0x07u);
}

TEST_F(Sysregs, OsLock)
{
    EXPECT_EQ(read(kOslsr), 0x8u);  // OSLM = 0b10, unlocked
    write(kOslar, 1);
    EXPECT_EQ(read(kOslsr), 0xau);  // OSLK
    write(kOslar, 0);
    EXPECT_EQ(read(kOslsr), 0x8u);
    read(kOslar);  // write-only
    expect_undefined();
}

TEST_F(Sysregs, InterruptStatusReadsZero)
{
    EXPECT_EQ(read(kIsr), 0u);
}

TEST_F(Sysregs, CacheIdentification)
{
    // CCSIDR_EL1: 128 sets, 4 ways, 64-byte lines.
    uint64_t ccsidr = read(key(3, 1, 0, 0, 0));
    EXPECT_EQ((ccsidr >> 13) & 0x7fff, 127u);
    EXPECT_EQ((ccsidr >> 3) & 0x3ff, 3u);
    EXPECT_EQ(ccsidr & 7, 2u);
    write(key(3, 2, 0, 0, 0), 2);  // CSSELR_EL1: RAZ/WI
    EXPECT_EQ(read(key(3, 2, 0, 0, 0)), 0u);
}

TEST_F(Sysregs, PlainRegistersRoundTrip)
{
    struct { unsigned k; uint64_t a64_sysregs::*field; } regs[] = {
        {key(3, 0, 1, 0, 1), &a64_sysregs::actlr_el1},
        {key(3, 0, 1, 0, 2), &a64_sysregs::cpacr_el1},
        {key(3, 0, 2, 0, 0), &a64_sysregs::ttbr0_el1},
        {key(3, 0, 2, 0, 1), &a64_sysregs::ttbr1_el1},
        {key(3, 0, 2, 0, 2), &a64_sysregs::tcr_el1},
        {key(3, 0, 4, 0, 0), &a64_sysregs::spsr_el1},
        {key(3, 0, 4, 0, 1), &a64_sysregs::elr_el1},
        {key(3, 0, 5, 1, 0), &a64_sysregs::afsr0_el1},
        {key(3, 0, 5, 1, 1), &a64_sysregs::afsr1_el1},
        {key(3, 0, 5, 2, 0), &a64_sysregs::esr_el1},
        {key(3, 0, 6, 0, 0), &a64_sysregs::far_el1},
        {key(3, 0, 7, 4, 0), &a64_sysregs::par_el1},
        {key(3, 0, 10, 2, 0), &a64_sysregs::mair_el1},
        {key(3, 0, 10, 3, 0), &a64_sysregs::amair_el1},
        {key(3, 0, 12, 0, 0), &a64_sysregs::vbar_el1},
        {key(3, 0, 13, 0, 1), &a64_sysregs::contextidr_el1},
        {key(3, 0, 13, 0, 4), &a64_sysregs::tpidr_el1},
        {kCntkctl, &a64_sysregs::cntkctl_el1},
        {key(3, 3, 14, 3, 2), &a64_sysregs::cntv_cval_el0},
        {key(2, 0, 0, 2, 2), &a64_sysregs::mdscr_el1},
    };
    uint64_t value = 0x0123456789abcde0ull;
    for (auto &r : regs) {
        value += 0x10;
        uint64_t vbar = cpu.sys.vbar_el1;
        write(r.k, value);
        EXPECT_EQ(cpu.sys.*r.field, value) << a64_sysreg_name(r.k);
        EXPECT_EQ(read(r.k), value) << a64_sysreg_name(r.k);
        cpu.sys.vbar_el1 = vbar;  // keep the vectors where the harness put them
        EXPECT_EQ(cpu.ctr.exceptions, 0u) << a64_sysreg_name(r.k);
    }
}

TEST_F(Sysregs, LorRegistersAreRazWi)
{
    write(key(3, 0, 10, 4, 0), 0x1000);  // LORSA_EL1
    EXPECT_EQ(read(key(3, 0, 10, 4, 0)), 0u);
    EXPECT_EQ(read(key(3, 0, 10, 4, 7)), 0u);  // LORID_EL1: no regions
}

TEST_F(Sysregs, MrsToXzrDiscards)
{
    exec(mrs(kMidr, 31));
    EXPECT_EQ(cpu.pc, kCode + 4);
    cpu.x[9] = 0;
    exec(msr(kTpidrEl0, 31));  // msr tpidr_el0, xzr
    EXPECT_EQ(cpu.sys.tpidr_el0, 0u);
}

}  // namespace
