// Exception entry (ARM ARM D1.10.2), the fatal reports, and the top-level decode's traps.
#include "a64_harness.h"

namespace {

constexpr uint32_t kUdf0 = 0x00000000;       // UDF #0: permanently UNDEFINED
constexpr uint32_t kFmovD0X1 = 0x9e670020;   // FMOV d0, x1: an FP instruction

class Exception : public A64Test {};

TEST_F(Exception, UndefinedGoesToCurrentElSpxVectorWithEc0)
{
    exec(kUdf0);
    EXPECT_EQ(cpu.pc, kVectors + 0x200);     // current EL with SP_ELx, synchronous
    EXPECT_EQ(esr(), 0x02000000u);           // EC 0x00, IL = 1, ISS = 0
    EXPECT_EQ(cpu.sys.elr_el1, kCode);       // preferred return: the UNDEFINED instruction
    EXPECT_EQ(cpu.sys.spsr_el1, 0x3c5u);     // EL1h with DAIF masked, as at reset
    EXPECT_EQ(cpu.ctr.exceptions, 1u);
    EXPECT_EQ(cpu.ctr.exceptions_by_ec[0], 1u);
    EXPECT_EQ(cpu.ctr.insts, 0u);            // the faulting instruction did not retire
}

TEST_F(Exception, FromSpEl0UsesVectorOffsetZeroAndSavesMode)
{
    cpu.pstate.sp = 0;
    cpu.pstate.nzcv = 0x60000000;
    cpu.pstate.daif = 0;
    exec(kUdf0);
    EXPECT_EQ(cpu.pc, kVectors + 0x000);
    EXPECT_EQ(cpu.sys.spsr_el1, 0x60000004u);  // Z and C, EL1t, DAIF clear
    EXPECT_EQ(cpu.pstate.sp, 1);               // entry selects SP_EL1
    EXPECT_EQ(cpu.pstate.daif, 0x3c0u);        // and masks D, A, I, F
}

TEST_F(Exception, FromEl0UsesLowerElVector)
{
    cpu.pstate.el = 0;
    cpu.pstate.sp = 0;
    exec(kUdf0);
    EXPECT_EQ(cpu.pc, kVectors + 0x400);
    EXPECT_EQ(cpu.pstate.el, 1);
    EXPECT_EQ(cpu.sys.spsr_el1 & 0xf, 0u);     // EL0t
}

TEST_F(Exception, FpInstructionTrapsWithEc7WhileFpenTraps)
{
    cpu.sys.cpacr_el1 = 0;                   // FPEN = 0b00: trap EL0 and EL1
    exec(kFmovD0X1);
    EXPECT_EQ(esr(), 0x1fe00000u);           // EC 0x07, IL, CV = 1, COND = 0xE
}

TEST_F(Exception, FpenEl0OnlyDoesNotTrapEl1)
{
    cpu.sys.cpacr_el1 = 1ull << 20;          // FPEN = 0b01: trap EL0 only
    exec(kFmovD0X1);
    EXPECT_EQ(ec(), 0x00u);                  // not modelled: UNDEFINED rather than trapped
}

TEST_F(Exception, FetchOutsideMemoryIsInstructionAbortWithSyncExternalFsc)
{
    cpu.pc = 0x20000000;                     // nothing there
    step();
    EXPECT_EQ(esr(), 0x86000010u);           // EC 0x21, IL, IFSC 0x10
    EXPECT_EQ(cpu.sys.far_el1, 0x20000000u);
    EXPECT_EQ(cpu.sys.elr_el1, 0x20000000u);
}

TEST_F(Exception, MisalignedPcIsPcAlignmentFault)
{
    cpu.pc = kCode + 2;
    step();
    EXPECT_EQ(esr(), 0x8a000000u);           // EC 0x22, IL
    EXPECT_EQ(cpu.sys.far_el1, kCode + 2);
}

TEST_F(Exception, NoVectorTableIsFatalWithReport)
{
    cpu.sys.vbar_el1 = 0;                    // reset value: no memory at 0
    code({kUdf0});
    EXPECT_EQ(a64_step(&cpu), A64_STEP_FATAL);
    EXPECT_EQ(cpu.fatal.kind, A64_FATAL_NO_VECTORS);
    EXPECT_EQ(cpu.fatal.pc, kCode);
    EXPECT_TRUE(cpu.fatal.insn_valid);
    EXPECT_EQ(cpu.fatal.insn, kUdf0);
    EXPECT_EQ(cpu.fatal.esr, 0x02000000u);
    // Counted as taken, but never entered: no exception entry to time (docs/timing.md).
    EXPECT_EQ(cpu.ctr.exceptions, 1u);
    EXPECT_EQ(cpu.ctr.exception_entries, 0u);
}

TEST_F(Exception, HandlerThatReturnsToTheFaultLoopsAndIsReported)
{
    cpu.cfg.fault_loop_limit = 50;
    code({kUdf0});
    cpu.cfg.ram.host = ram.data();
    // The vector itself is UNDEFINED too: every exception is taken at the same place.
    code({kUdf0}, kVectors + 0x200);
    a64_step_result r = A64_STEP_OK;
    unsigned steps = 0;
    while (r == A64_STEP_OK && steps < 1000) { r = a64_step(&cpu); steps++; }
    EXPECT_EQ(r, A64_STEP_FATAL);
    EXPECT_EQ(cpu.fatal.kind, A64_FATAL_FAULT_LOOP);
    EXPECT_EQ(cpu.fatal.pc, kVectors + 0x200);
    EXPECT_EQ(cpu.fatal.repeats, 50u);
    // The UDF at kCode, then 50 at the vector: the 50th ended the run without being entered.
    EXPECT_EQ(cpu.ctr.exceptions, 51u);
    EXPECT_EQ(cpu.ctr.exception_entries, 50u);
}

TEST_F(Exception, IllegalExceptionReturnStateTrapsOnNextInstruction)
{
    a64_pstate_from_spsr(&cpu, 0x8);         // M = EL2h: not implemented here
    EXPECT_TRUE(cpu.pstate.il);
    EXPECT_EQ(cpu.pstate.el, 1);
    code({kUdf0});
    step();
    EXPECT_EQ(ec(), 0x0eu);
    EXPECT_FALSE(cpu.pstate.il);
}

TEST_F(Exception, SpsrRoundTripKeepsFlagsMaskAndMode)
{
    a64_pstate_from_spsr(&cpu, 0x900003c4);  // N and V, DAIF, EL1t
    EXPECT_EQ(cpu.pstate.nzcv, 0x90000000u);
    EXPECT_EQ(cpu.pstate.el, 1);
    EXPECT_EQ(cpu.pstate.sp, 0);
    EXPECT_EQ(a64_pstate_to_spsr(&cpu), 0x900003c4u);
}

}  // namespace

namespace {
// D8.2.10: with stage 1 disabled, an address with bits above PARange (48 bits here) takes an
// Address size fault at level 0 rather than reaching the bus.
TEST_F(Exception, MmuOffAddressAbovePaSizeIsAddressSizeFaultLevel0)
{
    cpu.x[1] = 1ull << 48;
    exec(0xf9400020);                       // ldr x0, [x1]
    EXPECT_EQ(esr(), 0x96000000u);          // EC 0x25, IL, DFSC 0x00
    EXPECT_EQ(cpu.sys.far_el1, 1ull << 48);
}

TEST_F(Exception, MmuOffFetchAbovePaSizeIsInstructionAddressSizeFault)
{
    cpu.pc = 1ull << 50;
    step();
    EXPECT_EQ(esr(), 0x86000000u);          // EC 0x21, IL, IFSC 0x00
}
}  // namespace
