// Branches, exception generation and the system instruction space (ARM ARM C4.1.65).
// Every encoding below was produced with aarch64-linux-gnu-as -march=armv8.2-a.
#include "a64_mmu_harness.h"

namespace {

class BranchSys : public A64Test {
protected:
    // Run one instruction at the current PC and return what a64_step returned.
    a64_step_result run(uint32_t insn)
    {
        code({insn}, cpu.pc);
        return a64_step(&cpu);
    }
    void expect_undefined_at(uint64_t pc)
    {
        EXPECT_EQ(esr(), 0x02000000u) << std::hex << esr();
        EXPECT_EQ(cpu.sys.elr_el1, pc);
        EXPECT_TRUE(took_exception());
    }
    void enter_el0()
    {
        cpu.pstate.el = 0;
        cpu.pstate.sp = 0;
    }
};

// ---------------------------------------------------------------- B, BL

TEST_F(BranchSys, BForward)
{
    exec(0x14000002);  // b .+8
    EXPECT_EQ(cpu.pc, kCode + 8);
    EXPECT_EQ(cpu.ctr.insts, 1u);
}

TEST_F(BranchSys, BBackward)
{
    exec(0x17ffffff);  // b .-4
    EXPECT_EQ(cpu.pc, kCode - 4);
}

TEST_F(BranchSys, BMaximumForwardRange)
{
    exec(0x15ffffff);  // b .+0x7fffffc (imm26 = 0x1ffffff)
    EXPECT_EQ(cpu.pc, kCode + 0x7fffffc);
}

TEST_F(BranchSys, BMaximumBackwardRange)
{
    exec(0x16000000);  // b .-0x8000000 (imm26 = 0x2000000)
    EXPECT_EQ(cpu.pc, kCode - 0x8000000);
}

TEST_F(BranchSys, BlLinksNextInstruction)
{
    exec(0x94000040);  // bl .+0x100
    EXPECT_EQ(cpu.pc, kCode + 0x100);
    EXPECT_EQ(cpu.x[30], kCode + 4);
}

// ---------------------------------------------------------------- B.cond

TEST_F(BranchSys, BeqTakenWhenZSet)
{
    cpu.pstate.nzcv = 0x40000000;  // Z
    exec(0x54000200);              // b.eq .+0x40
    EXPECT_EQ(cpu.pc, kCode + 0x40);
}

TEST_F(BranchSys, BeqNotTakenWhenZClear)
{
    cpu.pstate.nzcv = 0;
    exec(0x54000200);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, BneBackward)
{
    cpu.pstate.nzcv = 0;
    exec(0x54ffff81);  // b.ne .-0x10
    EXPECT_EQ(cpu.pc, kCode - 0x10);
}

TEST_F(BranchSys, BgeMaximumForwardRange)
{
    cpu.pstate.nzcv = 0x90000000;  // N == V
    exec(0x547fffea);              // b.ge .+0xffffc
    EXPECT_EQ(cpu.pc, kCode + 0xffffc);
}

TEST_F(BranchSys, BltMaximumBackwardRange)
{
    cpu.pstate.nzcv = 0x80000000;  // N != V
    exec(0x5480000b);              // b.lt .-0x100000
    EXPECT_EQ(cpu.pc, kCode - 0x100000);
}

TEST_F(BranchSys, BcCondIsUndefinedWithoutFeatHbc)
{
    exec(0x54000210);  // bc.eq .+0x40 (o0 = 1)
    expect_undefined_at(kCode);
}

// ---------------------------------------------------------------- CBZ, CBNZ, TBZ, TBNZ

TEST_F(BranchSys, CbzOnWIgnoresUpperHalf)
{
    cpu.x[1] = 0xffffffff00000000ull;
    exec(0x34000041);  // cbz w1, .+8
    EXPECT_EQ(cpu.pc, kCode + 8);
}

TEST_F(BranchSys, CbzOnXSeesUpperHalf)
{
    cpu.x[1] = 0xffffffff00000000ull;
    exec(0xb4000041);  // cbz x1, .+8
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, CbnzBackward)
{
    cpu.x[2] = 5;
    exec(0xb5ffffc2);  // cbnz x2, .-8
    EXPECT_EQ(cpu.pc, kCode - 8);
}

TEST_F(BranchSys, TbzBit63)
{
    cpu.x[3] = 1ull << 63;
    exec(0xb6f80083);  // tbz x3, #63, .+0x10
    EXPECT_EQ(cpu.pc, kCode + 4);
    cpu.pc = kCode;
    cpu.x[3] = ~(1ull << 63);
    exec(0xb6f80083);
    EXPECT_EQ(cpu.pc, kCode + 0x10);
}

TEST_F(BranchSys, TbnzBit0)
{
    cpu.x[3] = 1;
    exec(0x37000083);  // tbnz w3, #0, .+0x10
    EXPECT_EQ(cpu.pc, kCode + 0x10);
    cpu.pc = kCode;
    cpu.x[3] = 2;
    exec(0x37000083);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, TbnzMaximumBackwardRange)
{
    cpu.x[3] = 1ull << 63;
    exec(0xb7fc0003);  // tbnz x3, #63, .-0x8000
    EXPECT_EQ(cpu.pc, kCode - 0x8000);
}

TEST_F(BranchSys, TbzMaximumForwardRange)
{
    cpu.x[3] = 0;
    exec(0x362bffe3);  // tbz w3, #5, .+0x7ffc
    EXPECT_EQ(cpu.pc, kCode + 0x7ffc);
}

// ---------------------------------------------------------------- BR, BLR, RET

TEST_F(BranchSys, RetUsesX30)
{
    cpu.x[30] = kCode + 0x400;
    exec(0xd65f03c0);  // ret
    EXPECT_EQ(cpu.pc, kCode + 0x400);
}

TEST_F(BranchSys, RetWithOtherRegister)
{
    cpu.x[3] = kCode + 0x800;
    cpu.x[30] = 0;
    exec(0xd65f0060);  // ret x3
    EXPECT_EQ(cpu.pc, kCode + 0x800);
}

TEST_F(BranchSys, BrDoesNotLink)
{
    cpu.x[4] = kCode + 0x20;
    cpu.x[30] = 7;
    exec(0xd61f0080);  // br x4
    EXPECT_EQ(cpu.pc, kCode + 0x20);
    EXPECT_EQ(cpu.x[30], 7u);
}

TEST_F(BranchSys, BlrX30BranchesToOldValueAndLinks)
{
    cpu.x[30] = kCode + 0x40;
    exec(0xd63f03c0);  // blr x30
    EXPECT_EQ(cpu.pc, kCode + 0x40);
    EXPECT_EQ(cpu.x[30], kCode + 4);
}

TEST_F(BranchSys, PointerAuthBranchesAreUndefined)
{
    for (uint32_t insn : {0xd65f0bffu /* retaa */, 0xd71f0822u /* braa x1, x2 */,
                          0xd69f0bffu /* eretaa */, 0xd6bf03e0u /* drps */}) {
        cpu.pc = kCode;
        exec(insn);
        expect_undefined_at(kCode);
    }
}

// ---------------------------------------------------------------- SVC, HVC, SMC, BRK, HLT, DCPS

TEST_F(BranchSys, SvcSyndromeAndReturnAddress)
{
    exec(0xd4000841);  // svc #0x42
    EXPECT_EQ(esr(), 0x56000042u);
    EXPECT_EQ(cpu.sys.elr_el1, kCode + 4);
    EXPECT_EQ(cpu.pc, kVectors + 0x200);
    EXPECT_EQ(cpu.ctr.exceptions_by_ec[0x15], 1u);
}

TEST_F(BranchSys, SvcFromEl0GoesToLowerElVector)
{
    enter_el0();
    exec(0xd4000841);
    EXPECT_EQ(esr(), 0x56000042u);
    EXPECT_EQ(cpu.pc, kVectors + 0x400);
    EXPECT_EQ(cpu.pstate.el, 1);
}

TEST_F(BranchSys, BrkSyndromeAndReturnAddress)
{
    exec(0xd4200020);  // brk #1
    EXPECT_EQ(esr(), 0xf2000001u);
    EXPECT_EQ(cpu.sys.elr_el1, kCode);
}

TEST_F(BranchSys, HvcReachesHypervisorAndContinues)
{
    exec(0xd4024682);  // hvc #0x1234
    ASSERT_EQ(hvcs.size(), 1u);
    EXPECT_EQ(hvcs[0], 0x1234);
    EXPECT_EQ(cpu.x[0], 0x10001u);
    EXPECT_EQ(cpu.pc, kCode + 4);
    EXPECT_EQ(cpu.ctr.exceptions, 0u);
    EXPECT_EQ(cpu.ctr.insts, 1u);
}

TEST_F(BranchSys, HvcWithoutHypervisorIsUndefined)
{
    hvc_present = false;
    exec(0xd4024682);
    expect_undefined_at(kCode);
}

TEST_F(BranchSys, HvcAtEl0IsUndefined)
{
    enter_el0();
    exec(0xd4024682);
    EXPECT_EQ(esr(), 0x02000000u);
    EXPECT_TRUE(hvcs.empty());
}

TEST_F(BranchSys, HvcThatHaltsReturnsHalt)
{
    cpu.cfg.env.hvc = [](void *, a64_cpu *c, uint16_t) {
        c->halted = true;  // PSCI SYSTEM_OFF
        return true;
    };
    EXPECT_EQ(run(0xd4000002), A64_STEP_HALT);  // hvc #0
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, SmcIsUndefinedWithoutEl3)
{
    exec(0xd4000023);  // smc #1
    expect_undefined_at(kCode);
}

TEST_F(BranchSys, HltOtherThanSemihostingIsUndefined)
{
    semihost_handler = [](a64_cpu *) { return true; };
    exec(0xd4400000);  // hlt #0
    expect_undefined_at(kCode);
}

TEST_F(BranchSys, SemihostingTrapCallsPlatform)
{
    int calls = 0;
    semihost_handler = [&](a64_cpu *c) {
        calls++;
        c->x[0] = 99;
        return true;
    };
    exec(0xd45e0000);  // hlt #0xf000
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(cpu.x[0], 99u);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, SemihostingDisabledIsUndefined)
{
    semihost_handler = [](a64_cpu *) { return false; };
    exec(0xd45e0000);
    expect_undefined_at(kCode);
}

TEST_F(BranchSys, SemihostingExitReturnsHalt)
{
    semihost_handler = [](a64_cpu *c) {
        c->halted = true;
        return true;
    };
    EXPECT_EQ(run(0xd45e0000), A64_STEP_HALT);
}

TEST_F(BranchSys, DcpsIsUndefined)
{
    for (uint32_t insn : {0xd4a00001u, 0xd4a00002u, 0xd4a00003u}) {
        cpu.pc = kCode;
        exec(insn);
        expect_undefined_at(kCode);
    }
}

// ---------------------------------------------------------------- ERET

TEST_F(BranchSys, EretToEl0)
{
    cpu.sys.spsr_el1 = 0x60000000;  // EL0t, Z and C, DAIF clear
    cpu.sys.elr_el1 = kCode + 0x100;
    cpu.excl_valid = true;
    exec(0xd69f03e0);  // eret
    EXPECT_EQ(cpu.pstate.el, 0);
    EXPECT_EQ(cpu.pstate.sp, 0);
    EXPECT_EQ(cpu.pstate.daif, 0u);
    EXPECT_EQ(cpu.pstate.nzcv, 0x60000000u);
    EXPECT_EQ(cpu.pc, kCode + 0x100);
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(BranchSys, EretToEl1t)
{
    cpu.sys.spsr_el1 = 0x3c4;  // EL1t, DAIF masked
    cpu.sys.elr_el1 = kCode + 0x200;
    exec(0xd69f03e0);
    EXPECT_EQ(cpu.pstate.el, 1);
    EXPECT_EQ(cpu.pstate.sp, 0);
    EXPECT_EQ(cpu.pstate.daif, 0x3c0u);
    EXPECT_EQ(cpu.pc, kCode + 0x200);
}

TEST_F(BranchSys, EretAtEl0IsUndefined)
{
    enter_el0();
    exec(0xd69f03e0);
    EXPECT_EQ(esr(), 0x02000000u);
    EXPECT_EQ(cpu.pc, kVectors + 0x400);
}

TEST_F(BranchSys, IllegalEretKeepsElAndTrapsNext)
{
    cpu.sys.spsr_el1 = 0x9;  // EL2h: not implemented
    cpu.sys.elr_el1 = kCode + 0x100;
    exec(0xd69f03e0);
    EXPECT_TRUE(cpu.pstate.il);
    EXPECT_EQ(cpu.pstate.el, 1);
    EXPECT_EQ(cpu.pstate.sp, 1);
    EXPECT_EQ(cpu.pc, kCode + 0x100);
    step();
    EXPECT_EQ(ec(), 0x0eu);
    EXPECT_EQ(cpu.sys.elr_el1, kCode + 0x100);
}

TEST_F(BranchSys, EretToAarch32IsIllegal)
{
    cpu.sys.spsr_el1 = 0x10;  // M[4] = 1: AArch32 User
    cpu.sys.elr_el1 = kCode + 0x100;
    exec(0xd69f03e0);
    EXPECT_TRUE(cpu.pstate.il);
    EXPECT_EQ(cpu.pstate.el, 1);
}

// ---------------------------------------------------------------- hints and barriers

TEST_F(BranchSys, HintsExecuteAsNop)
{
    const uint32_t hints[] = {
        0xd503201f, /* nop */   0xd503203f, /* yield */ 0xd503209f, /* sev */
        0xd50320bf, /* sevl */  0xd503221f, /* esb */   0xd503223f, /* psb csync */
        0xd503229f, /* csdb */  0xd503241f, /* bti */   0xd503233f, /* paciasp */
        0xd50323bf, /* autiasp */ 0xd50320ff, /* xpaclri */ 0xd5032fff, /* hint #0x7f */
    };
    for (uint32_t insn : hints) {
        cpu.pc = kCode;
        cpu.x[30] = 0x1234;
        exec(insn);
        EXPECT_EQ(cpu.pc, kCode + 4) << std::hex << insn;
        EXPECT_EQ(cpu.x[30], 0x1234u) << std::hex << insn;
    }
    EXPECT_EQ(cpu.ctr.exceptions, 0u);
}

TEST_F(BranchSys, WfiReturnsWfi)
{
    EXPECT_EQ(run(0xd503207f), A64_STEP_WFI);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, WfeReturnsWfi)
{
    EXPECT_EQ(run(0xd503205f), A64_STEP_WFI);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, WfiAtEl0TrapsWhenNtwiClear)
{
    enter_el0();
    cpu.sys.sctlr_el1 &= ~(1ull << 16);  // nTWI = 0
    EXPECT_EQ(run(0xd503207f), A64_STEP_OK);
    EXPECT_EQ(esr(), 0x07e00000u);  // EC 0x01, IL, CV, COND 0xE, TI = WFI
    EXPECT_EQ(cpu.sys.elr_el1, kCode);
}

TEST_F(BranchSys, WfeAtEl0TrapsWhenNtweClear)
{
    enter_el0();
    cpu.sys.sctlr_el1 &= ~(1ull << 18);  // nTWE = 0
    run(0xd503205f);
    EXPECT_EQ(esr(), 0x07e00001u);  // TI = WFE
}

TEST_F(BranchSys, WfiAtEl0AllowedWhenNtwiSet)
{
    enter_el0();
    cpu.sys.sctlr_el1 |= 1ull << 16;
    EXPECT_EQ(run(0xd503207f), A64_STEP_WFI);
}

TEST_F(BranchSys, BarriersRetire)
{
    for (uint32_t insn : {0xd5033f9fu /* dsb sy */, 0xd5033bbfu /* dmb ish */,
                          0xd5033fdfu /* isb */, 0xd50330ffu /* sb */, 0xd503309fu /* ssbb */,
                          0xd503349fu /* pssbb */}) {
        cpu.pc = kCode;
        cpu.excl_valid = true;
        exec(insn);
        EXPECT_EQ(cpu.pc, kCode + 4) << std::hex << insn;
        EXPECT_TRUE(cpu.excl_valid) << std::hex << insn;
    }
}

TEST_F(BranchSys, ClrexClearsMonitor)
{
    cpu.excl_valid = true;
    exec(0xd5033f5f);  // clrex
    EXPECT_FALSE(cpu.excl_valid);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

// ---------------------------------------------------------------- MSR (immediate)

TEST_F(BranchSys, MsrDaifSetAndClear)
{
    cpu.pstate.daif = 0;
    exec(0xd5034fdf);  // msr daifset, #0xf
    EXPECT_EQ(cpu.pstate.daif, 0x3c0u);
    exec(0xd50342ff);  // msr daifclr, #2 (I)
    EXPECT_EQ(cpu.pstate.daif, 0x340u);
}

TEST_F(BranchSys, MsrDaifSetAtEl0TrapsUnlessUma)
{
    enter_el0();
    cpu.pstate.daif = 0;
    exec(0xd5034fdf);
    // EC 0x18; ISS Op0 0, Op2 6, Op1 3, CRn 4, Rt 31, CRm 0xf, write.
    EXPECT_EQ(esr(), 0x620cd3feu);
    EXPECT_EQ(cpu.sys.elr_el1, kCode);

    enter_el0();
    cpu.pstate.daif = 0;
    cpu.sys.sctlr_el1 |= 1ull << 9;  // UMA
    cpu.pc = kCode;
    exec(0xd5034fdf);
    EXPECT_EQ(cpu.pstate.daif, 0x3c0u);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, MsrSpSel)
{
    cpu.sys.sp_el0 = 0x1000;
    cpu.sys.sp_el1 = 0x2000;
    exec(0xd50040bf);  // msr spsel, #0
    EXPECT_EQ(cpu.pstate.sp, 0);
    exec(0xd50041bf);  // msr spsel, #1
    EXPECT_EQ(cpu.pstate.sp, 1);
}

TEST_F(BranchSys, MsrSpSelAndPanAtEl0AreUndefined)
{
    for (uint32_t insn : {0xd50041bfu, 0xd500419fu}) {
        enter_el0();
        cpu.pc = kCode;
        exec(insn);
        EXPECT_EQ(esr(), 0x02000000u) << std::hex << insn;
    }
}

TEST_F(BranchSys, MsrPan)
{
    exec(0xd500419f);  // msr pan, #1
    EXPECT_TRUE(cpu.pstate.pan);
    exec(0xd500409f);  // msr pan, #0
    EXPECT_FALSE(cpu.pstate.pan);
}

TEST_F(BranchSys, MsrUaoIsUndefinedWithoutFeatUao)
{
    exec(0xd500417f);  // msr uao, #1
    expect_undefined_at(kCode);
}

// ---------------------------------------------------------------- DC, IC

TEST_F(BranchSys, DcZvaWithMmuOffIsAlignmentFault)
{
    // With SCTLR_EL1.M = 0 data accesses are Device-nGnRnE, and DC ZVA to Device memory takes
    // an Alignment fault (ARM ARM C5.3.12). DC ZVA is not a cache maintenance instruction: CM = 0.
    cpu.x[5] = kData + 0x48;
    put64(kData + 0x40, ~0ull);
    exec(0xd50b7425);  // dc zva, x5
    EXPECT_EQ(esr(), 0x96000061u);  // EC 0x25, IL, WnR, DFSC alignment
    EXPECT_EQ(cpu.sys.far_el1, kData + 0x48);
    EXPECT_EQ(get64(kData + 0x40), ~0ull);
    EXPECT_TRUE(sysops.empty());
}

// DC ZVA needs Normal memory: the MMU on, with the data page identity-mapped Normal.
class BranchSysMmu : public A64MmuTest {
protected:
    void SetUp() override
    {
        A64MmuTest::SetUp();
        map_page(kData, kData, kPage);
        enable_mmu();
    }
};

TEST_F(BranchSysMmu, DcZvaZeroesAlignedBlockAndReports)
{
    for (uint64_t a = kData; a < kData + 0xc0; a += 8) put64(a, ~0ull);
    cpu.x[5] = kData + 0x48;
    exec(0xd50b7425);  // dc zva, x5
    EXPECT_EQ(cpu.pc, kCode + 4);
    for (uint64_t a = kData + 0x40; a < kData + 0x80; a += 8) EXPECT_EQ(get64(a), 0u) << a;
    EXPECT_EQ(get64(kData + 0x38), ~0ull);
    EXPECT_EQ(get64(kData + 0x80), ~0ull);
    ASSERT_EQ(sysops.size(), 1u);
    EXPECT_EQ(sysops[0].op, (uint32_t)A64_SYSOP_DC_ZVA);
    EXPECT_EQ(sysops[0].value, kData + 0x48);
    EXPECT_EQ(sysops[0].pa, kData + 0x40);
}

TEST_F(BranchSysMmu, DcZvaClearsOverlappingReservation)
{
    cpu.excl_valid = true;
    cpu.excl_addr = kData + 0x50;
    cpu.excl_size = 8;
    cpu.x[5] = kData + 0x40;
    exec(0xd50b7425);
    EXPECT_EQ(cpu.pc, kCode + 4);  // completed (no abort, which would also clear the monitor)
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(BranchSys, DcZvaAtEl0TrapsUnlessDze)
{
    enter_el0();
    cpu.x[5] = kData;
    exec(0xd50b7425);
    // EC 0x18; ISS Op0 1, Op2 1, Op1 3, CRn 7, Rt 5, CRm 4, write.
    EXPECT_EQ(esr(), 0x6212dca8u);
    EXPECT_TRUE(sysops.empty());
}

TEST_F(BranchSys, DcCvacReportsVaAndPa)
{
    cpu.x[1] = kData + 0x123;
    exec(0xd50b7a21);  // dc cvac, x1
    ASSERT_EQ(sysops.size(), 1u);
    EXPECT_EQ(sysops[0].op, (uint32_t)A64_SYSOP_DC_CVAC);
    EXPECT_EQ(sysops[0].value, kData + 0x123);
    EXPECT_EQ(sysops[0].pa, kData + 0x123);
    EXPECT_EQ(cpu.pc, kCode + 4);
}

TEST_F(BranchSys, CacheMaintenanceByVaOpsAreRouted)
{
    struct { uint32_t insn; uint32_t op; } ops[] = {
        {0xd5087620, A64_SYSOP_DC_IVAC},  {0xd50b7b21, A64_SYSOP_DC_CVAU},
        {0xd50b7c21, A64_SYSOP_DC_CVAP},  {0xd50b7e21, A64_SYSOP_DC_CIVAC},
        {0xd50b7522, A64_SYSOP_IC_IVAU},
    };
    cpu.x[0] = cpu.x[1] = cpu.x[2] = kData;
    for (auto &o : ops) {
        cpu.pc = kCode;
        exec(o.insn);
        EXPECT_EQ(cpu.pc, kCode + 4) << std::hex << o.insn;
    }
    ASSERT_EQ(sysops.size(), 5u);
    for (size_t i = 0; i < 5; i++) {
        EXPECT_EQ(sysops[i].op, ops[i].op);
        EXPECT_EQ(sysops[i].pa, kData);
    }
}

TEST_F(BranchSys, SetWayAndInvalidateAllOpsAreRouted)
{
    struct { uint32_t insn; uint32_t op; } ops[] = {
        {0xd5087641, A64_SYSOP_DC_ISW}, {0xd5087a41, A64_SYSOP_DC_CSW},
        {0xd5087e41, A64_SYSOP_DC_CISW}, {0xd508751f, A64_SYSOP_IC_IALLU},
        {0xd508711f, A64_SYSOP_IC_IALLUIS},
    };
    cpu.x[1] = 0x40;  // set/way operand
    for (auto &o : ops) {
        cpu.pc = kCode;
        exec(o.insn);
    }
    ASSERT_EQ(sysops.size(), 5u);
    for (size_t i = 0; i < 5; i++) EXPECT_EQ(sysops[i].op, ops[i].op);
    EXPECT_EQ(sysops[0].value, 0x40u);
    EXPECT_EQ(sysops[3].value, 0u);  // Rt = 31: XZR
}

TEST_F(BranchSys, CacheMaintenanceAtEl0NeedsUci)
{
    enter_el0();
    cpu.x[1] = kData;
    exec(0xd50b7e21);  // dc civac, x1
    // EC 0x18; ISS Op0 1, Op2 1, Op1 3, CRn 7, Rt 1, CRm 14, write.
    EXPECT_EQ(esr(), 0x6212dc3cu);
    EXPECT_TRUE(sysops.empty());

    enter_el0();
    cpu.sys.sctlr_el1 |= 1ull << 26;  // UCI
    cpu.pc = kCode;
    exec(0xd50b7e21);
    EXPECT_EQ(cpu.pc, kCode + 4);
    ASSERT_EQ(sysops.size(), 1u);
    EXPECT_EQ(sysops[0].op, (uint32_t)A64_SYSOP_DC_CIVAC);
}

TEST_F(BranchSys, PrivilegedMaintenanceAtEl0IsUndefined)
{
    cpu.sys.sctlr_el1 |= (1ull << 26) | (1ull << 14);  // UCI, DZE: irrelevant for these
    for (uint32_t insn : {0xd5087625u /* dc ivac */, 0xd5087641u /* dc isw */,
                          0xd508751fu /* ic iallu */, 0xd508831fu /* tlbi vmalle1is */,
                          0xd5087823u /* at s1e1w */}) {
        enter_el0();
        cpu.pc = kCode;
        exec(insn);
        EXPECT_EQ(esr(), 0x02000000u) << std::hex << insn;
    }
    EXPECT_TRUE(sysops.empty());
}

// ---------------------------------------------------------------- TLBI, AT, SYS

TEST_F(BranchSys, TlbiOpsRoutedWithXt)
{
    struct { uint32_t insn; uint32_t op; uint64_t value; } ops[] = {
        {0xd508831f, A64_SYSOP_TLBI_VMALLE1IS, 0},
        {0xd508871f, A64_SYSOP_TLBI_VMALLE1, 0},
        {0xd5088744, A64_SYSOP_TLBI_ASIDE1, 0x0005000000000000ull},
        {0xd50883a4, A64_SYSOP_TLBI_VALE1IS, 0x0005000000000000ull},
        {0xd5088364, A64_SYSOP_TLBI_VAAE1IS, 0x0005000000000000ull},
        {0xd50887e4, A64_SYSOP_TLBI_VAALE1, 0x0005000000000000ull},
    };
    cpu.x[4] = 0x0005000000000000ull;
    for (auto &o : ops) {
        cpu.pc = kCode;
        exec(o.insn);
        EXPECT_EQ(cpu.pc, kCode + 4);
    }
    ASSERT_EQ(sysops.size(), 6u);
    for (size_t i = 0; i < 6; i++) {
        EXPECT_EQ(sysops[i].op, ops[i].op);
        EXPECT_EQ(sysops[i].value, ops[i].value);
    }
}

TEST_F(BranchSys, TlbiForEl2IsUndefined)
{
    exec(0xd50c871f);  // tlbi alle2
    expect_undefined_at(kCode);
    EXPECT_TRUE(sysops.empty());
}

TEST_F(BranchSys, AtWithMmuOffWritesFlatPar)
{
    cpu.x[3] = 0x40012345;
    exec(0xd5087823);  // at s1e1w, x3
    // PA[47:12], bit 11 RES1, SH = 0b10 (Device), ATTR = 0x00 (Device-nGnRnE), F = 0.
    EXPECT_EQ(cpu.sys.par_el1, 0x40012900u);
    ASSERT_EQ(sysops.size(), 1u);
    EXPECT_EQ(sysops[0].op, (uint32_t)A64_SYSOP_AT_S1E1W);
    EXPECT_EQ(sysops[0].pa, 0x40012345u);
    cpu.x[3] = 0x7000;
    exec(0xd5087843);  // at s1e0r, x3
    EXPECT_EQ(cpu.sys.par_el1, 0x7900u);
}

TEST_F(BranchSys, SyslAndUnknownSysAreUndefined)
{
    exec(0xd5287620);  // sysl x0, #0, c7, c6, #1
    expect_undefined_at(kCode);
    cpu.pc = kCode;
    exec(0xd5087f00);  // sys #0, c7, c15, #0, x0: unallocated
    expect_undefined_at(kCode);
}

}  // namespace

// D1.6.1: SEVL sets the Event Register; a WFE then clears it and completes without waiting;
// a second WFE finds it clear and waits.
TEST_F(A64Test, WfeConsumesTheEventRegisterSetBySevl)
{
    code({0xd50320bf /* sevl */, 0xd503205f /* wfe */, 0xd503205f /* wfe */});
    EXPECT_EQ(a64_step(&cpu), A64_STEP_OK);
    EXPECT_EQ(a64_step(&cpu), A64_STEP_OK);
    EXPECT_EQ(cpu.pc, kCode + 8);
    EXPECT_EQ(a64_step(&cpu), A64_STEP_WFI);
    EXPECT_EQ(cpu.pc, kCode + 12);
}
