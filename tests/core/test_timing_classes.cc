// The timing class of each kind of instruction (a64_iclass, docs/timing.md): the core counts
// retired instructions per class and exception entries. Weighting the count of class c by 2^c
// and exception entries by 2^12, the signature of one instruction names exactly the class it
// was counted in (or the exception, or nothing for an answered HVC).
#include "a64_harness.h"
#include "a64/sysreg_bits.h"

#include <string>

namespace {

constexpr uint64_t kException = uint64_t{1} << 12;
constexpr uint64_t cost_of(a64_iclass c) { return uint64_t{1} << c; }

class TimingClassTest : public A64Test {
protected:
    void SetUp() override
    {
        A64Test::SetUp();
        semihost_handler = [](a64_cpu *) { return true; };
    }

    // Runs `insn` from a fresh reset with x1 = the data block, x2 = 6, x30 = a return address;
    // `setup` may change the state first. The signature of what the core counted for it.
    uint64_t signature_of(uint32_t insn, const std::function<void()> &setup = {})
    {
        a64_cpu_reset(&cpu, kCode);
        cpu.sys.vbar_el1 = kVectors;
        cpu.x[1] = kData;
        cpu.x[2] = 6;
        cpu.x[30] = kCode + 0x100;
        if (setup)
            setup();
        code({insn});
        a64_step(&cpu);
        return signature();
    }

    // The counts of the core weighted by cost_of and kException.
    uint64_t signature() const
    {
        uint64_t sum = cpu.ctr.exception_entries * kException;
        for (int c = 0; c < A64_IC_COUNT; c++)
            sum += cpu.ctr.insts_by_class[c] * cost_of(static_cast<a64_iclass>(c));
        return sum;
    }
};

struct Case {
    const char *what;
    uint32_t insn;
    uint64_t cycles;
};

} // namespace

TEST_F(TimingClassTest, EachInstructionIsChargedToItsClass)
{
    const uint64_t alu = cost_of(A64_IC_ALU), mul = cost_of(A64_IC_MUL), div = cost_of(A64_IC_DIV),
                   taken = cost_of(A64_IC_BRANCH_TAKEN),
                   not_taken = cost_of(A64_IC_BRANCH_NOT_TAKEN), load = cost_of(A64_IC_LOAD),
                   store = cost_of(A64_IC_STORE), atomic = cost_of(A64_IC_ATOMIC),
                   barrier = cost_of(A64_IC_BARRIER), sysreg = cost_of(A64_IC_SYSREG),
                   sysop = cost_of(A64_IC_SYSOP);
    const Case cases[] = {
        {"ADD x0, x1, #1", 0x91000420, alu},
        {"MOVZ x0, #5", 0xd28000a0, alu},
        {"ORR x0, x1, x2", 0xaa020020, alu},
        {"CSEL x0, x1, x2, EQ", 0x9a820020, alu},
        {"CLZ x0, x1", 0xdac01020, alu},
        {"LSLV x0, x1, x2", 0x9ac22020, alu},
        {"NOP", 0xd503201f, alu},
        {"SEV", 0xd503209f, alu},
        {"MUL x0, x1, x2", 0x9b027c20, mul},
        {"UMULH x0, x1, x2", 0x9bc27c20, mul},
        {"SMULL x0, w1, w2", 0x9b227c20, mul},
        {"UDIV x0, x1, x2", 0x9ac20820, div},
        {"SDIV w0, w1, w2", 0x1ac20c20, div},
        {"B +8", 0x14000002, taken},
        {"BL +8", 0x94000002, taken},
        {"BR x1", 0xd61f0020, taken},
        {"RET", 0xd65f03c0, taken},
        {"B.EQ +8 (Z clear)", 0x54000040, not_taken},
        {"CBZ x1, +8 (x1 != 0)", 0xb4000041, not_taken},
        {"CBNZ x1, +8 (x1 != 0)", 0xb5000041, taken},
        {"TBZ x2, #1, +8 (bit set)", 0x36080042, not_taken},
        {"TBNZ x2, #1, +8 (bit set)", 0x37080042, taken},
        {"LDR x0, [x1]", 0xf9400020, load},
        {"LDP x0, x2, [x1]", 0xa9400820, load},
        {"PRFM PLDL1KEEP, [x1]", 0xf9800020, load},
        {"LDXR x0, [x1]", 0xc85f7c20, load},
        {"LDAR x0, [x1]", 0xc8dffc20, load},
        {"STR x0, [x1]", 0xf9000020, store},
        {"STP x0, x2, [x1]", 0xa9000820, store},
        {"STXR w3, x0, [x1] (fails: no reservation)", 0xc8037c20, store},
        {"STLR x0, [x1]", 0xc89ffc20, store},
        {"CAS x0, x2, [x1]", 0xc8a07c22, atomic},
        {"SWP x0, x2, [x1]", 0xf8208022, atomic},
        {"LDADD x0, x2, [x1]", 0xf8200022, atomic},
        {"DMB ISH", 0xd5033bbf, barrier},
        {"DSB SY", 0xd5033f9f, barrier},
        {"ISB", 0xd5033fdf, barrier},
        {"CLREX", 0xd5033f5f, barrier},
        {"MRS x0, TPIDR_EL0", 0xd53bd040, sysreg},
        {"MSR TPIDR_EL0, x0", 0xd51bd040, sysreg},
        {"MSR DAIFSet, #2", 0xd50342df, sysreg},
        {"DC CIVAC, x1", 0xd50b7e21, sysop},
        {"IC IALLU", 0xd508751f, sysop},
        {"TLBI VMALLE1", 0xd508871f, sysop},
        {"AT S1E1R, x1", 0xd5087801, sysop},
        {"HLT #0xF000 (semihosting)", 0xd45e0000, sysop},
        {"HVC #0 (answered: the platform's round trip)", 0xd4000002, 0},
        {"SVC #0", 0xd4000001, kException},
        {"UDF", 0x00000000, kException},
        {"DC ZVA, x1 (MMU off: Alignment fault)", 0xd50b7421, kException},
        {"LDR x0, [x1] (unmapped: external abort)", 0xf9400020, kException},
    };
    for (const Case &c : cases) {
        bool unmapped = std::string(c.what).find("unmapped") != std::string::npos;
        uint64_t got = signature_of(c.insn, [&] {
            if (unmapped)
                cpu.x[1] = 0x08000000;   // no memory there
        });
        EXPECT_EQ(got, c.cycles) << c.what;
    }
}

TEST_F(TimingClassTest, TakenAndNotTakenFollowTheCondition)
{
    EXPECT_EQ(signature_of(0x54000040, [&] { cpu.pstate.nzcv = 0x40000000; }),   // B.EQ, Z set
              cost_of(A64_IC_BRANCH_TAKEN));
    EXPECT_EQ(signature_of(0xb4000041, [&] { cpu.x[1] = 0; }),   // CBZ x1 with x1 = 0
              cost_of(A64_IC_BRANCH_TAKEN));
}

TEST_F(TimingClassTest, EretAndExceptionEntry)
{
    // ERET to EL1h at kCode + 0x100.
    EXPECT_EQ(signature_of(0xd69f03e0,
                        [&] {
                            cpu.sys.elr_el1 = kCode + 0x100;
                            cpu.sys.spsr_el1 = 0x3c5;
                        }),
              cost_of(A64_IC_ERET));
    EXPECT_EQ(cpu.pc, kCode + 0x100);
    EXPECT_EQ(cpu.ctr.insts_by_class[A64_IC_ERET], 1u);
    // SVC: no class cost, one exception entry.
    EXPECT_EQ(signature_of(0xd4000001), kException);
    EXPECT_EQ(cpu.ctr.exception_entries, 1u);
    EXPECT_EQ(cpu.ctr.insts, 0u);
}

TEST_F(TimingClassTest, ResetKeepsTheConfigurationAndClearsTheCounts)
{
    cpu.cfg.hafdbs = 1;
    cpu.cfg.fault_loop_limit = 7;
    const a64_cpu_config before = cpu.cfg;
    signature_of(0x91000420);
    EXPECT_EQ(signature(), cost_of(A64_IC_ALU));
    signature_of(0xd4000001);   // SVC
    EXPECT_EQ(signature(), kException);
    a64_cpu_reset(&cpu, kCode);
    EXPECT_EQ(signature(), 0u);
    EXPECT_EQ(cpu.ctr.insts, 0u);
    EXPECT_EQ(cpu.ctr.exceptions, 0u);
    EXPECT_EQ(std::memcmp(&cpu.cfg, &before, sizeof before), 0);
    EXPECT_EQ(cpu.sys.id_aa64mmfr1_el1 & ID_AA64MMFR1_HAFDBS_MASK, 1u);
}
