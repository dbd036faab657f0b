// A64 integer data processing (ARM ARM C4.1.86 "Data Processing -- Immediate" and C4.1.87
// "Data Processing -- Register"). Encodings were produced by aarch64-linux-gnu-as
// (-march=armv8.1-a) and are quoted next to each word; reserved encodings are built from a
// valid word by changing the named field. Expected values follow the ARM ARM pseudocode.
#include "a64_harness.h"

namespace {

constexpr uint64_t kAllOnes = ~0ull;
constexpr uint64_t kInt64Min = 0x8000000000000000ull;
constexpr uint64_t kGarbageHigh = 0xdeadbeef00000000ull;  // upper half that a W op must ignore

// NZCV as a 4-bit value (N = 8, Z = 4, C = 2, V = 1), as returned by A64Test::nzcv().
constexpr uint32_t kN = 8, kZ = 4, kC = 2, kV = 1;

class DataProc : public A64Test {
protected:
    // Execute one instruction that must be UNDEFINED: EC 0x00, registers untouched.
    void expect_undefined(uint32_t insn)
    {
        SetUp();
        for (unsigned i = 0; i < 31; i++) cpu.x[i] = 0x1111111111111111ull * (i % 15 + 1);
        uint64_t before[31];
        std::memcpy(before, cpu.x, sizeof before);
        uint64_t sp = cpu.sys.sp_el1;
        cpu.pstate.nzcv = 0x50000000;
        exec(insn);
        EXPECT_TRUE(took_exception()) << std::hex << "insn 0x" << insn;
        EXPECT_EQ(cpu.pc, kVectors + 0x200) << std::hex << "insn 0x" << insn;
        EXPECT_EQ(esr(), 0x02000000u) << std::hex << "insn 0x" << insn;
        EXPECT_EQ(cpu.sys.elr_el1, kCode);
        EXPECT_EQ(std::memcmp(before, cpu.x, sizeof before), 0) << std::hex << "insn 0x" << insn;
        EXPECT_EQ(cpu.sys.sp_el1, sp);
        EXPECT_EQ(cpu.ctr.insts, 0u);
    }
    void set_flags(uint32_t f) { cpu.pstate.nzcv = f << 28; }
    uint64_t sp() const { return cpu.sys.sp_el1; }  // EL1h: SP is SP_EL1
};

// ===================================================================================== immediate

// ---- C6.2.4 ADD/ADDS/SUB/SUBS (immediate) ----

TEST_F(DataProc, AddImmMaxImm12)
{
    cpu.x[1] = 1;
    set_flags(kN | kV);
    run(0x913ffc20u /* add x0, x1, #4095 */);
    EXPECT_EQ(cpu.x[0], 4096u);
    EXPECT_EQ(nzcv(), kN | kV);  // ADD leaves the flags alone
    EXPECT_EQ(cpu.ctr.insts, 1u);
}

TEST_F(DataProc, AddImmShifted12)
{
    cpu.x[1] = 0x10;
    run(0x916af020u /* add x0, x1, #0xabc, lsl #12 */);
    EXPECT_EQ(cpu.x[0], 0xabc010u);
}

TEST_F(DataProc, AddImmWZeroExtendsAndWraps)
{
    cpu.x[0] = kAllOnes;
    cpu.x[1] = kAllOnes;
    run(0x11000420u /* add w0, w1, #1 */);
    EXPECT_EQ(cpu.x[0], 0u);
    cpu.x[1] = kGarbageHigh | 0x7ffffffe;
    run(0x11000422u /* add w2, w1, #1 */);
    EXPECT_EQ(cpu.x[2], 0x7fffffffu);
}

TEST_F(DataProc, AddsImmCarryAndZero)
{
    cpu.x[1] = 0xfffffffffffff001ull;
    run(0xb13ffc20u /* adds x0, x1, #4095 */);
    EXPECT_EQ(cpu.x[0], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
}

TEST_F(DataProc, AddsImmWSignedOverflow)
{
    cpu.x[1] = kGarbageHigh | 0x7fffffff;
    run(0x31000420u /* adds w0, w1, #1 */);
    EXPECT_EQ(cpu.x[0], 0x80000000u);
    EXPECT_EQ(nzcv(), kN | kV);
}

TEST_F(DataProc, SubsImmBorrow)
{
    cpu.x[1] = 0;
    run(0xf1000420u /* subs x0, x1, #1 */);
    EXPECT_EQ(cpu.x[0], kAllOnes);
    EXPECT_EQ(nzcv(), kN);  // borrow: C = 0
}

TEST_F(DataProc, SubsImmSignedOverflow64)
{
    cpu.x[1] = kInt64Min;
    run(0xf1000420u /* subs x0, x1, #1 */);
    EXPECT_EQ(cpu.x[0], 0x7fffffffffffffffull);
    EXPECT_EQ(nzcv(), kC | kV);
}

TEST_F(DataProc, CmpImmEqualSetsZCAndWritesNothing)
{
    cpu.x[1] = 5;
    cpu.sys.sp_el1 = 0x1234;
    run(0xf100143fu /* cmp x1, #5 */);
    EXPECT_EQ(nzcv(), kZ | kC);
    EXPECT_EQ(sp(), 0x1234u);  // Rd = 31 is XZR for SUBS
}

TEST_F(DataProc, CmnImmW)
{
    cpu.x[1] = 0xffffffff;
    run(0x3100043fu /* cmn w1, #1 */);
    EXPECT_EQ(nzcv(), kZ | kC);
}

TEST_F(DataProc, SubImmLeavesFlags)
{
    cpu.x[1] = 0;
    set_flags(kZ);
    run(0xd1000420u /* sub x0, x1, #1 */);
    EXPECT_EQ(cpu.x[0], kAllOnes);
    EXPECT_EQ(nzcv(), kZ);
}

TEST_F(DataProc, AddImmSpAsSourceAndDestination)
{
    cpu.x[1] = 0x40008000;
    run(0x9100003fu /* mov sp, x1 */);
    EXPECT_EQ(sp(), 0x40008000u);
    run(0xd10083ffu /* sub sp, sp, #0x20 */);
    EXPECT_EQ(sp(), 0x40007fe0u);
    run(0x910003e0u /* mov x0, sp */);
    EXPECT_EQ(cpu.x[0], 0x40007fe0u);
    EXPECT_EQ(cpu.x[31], 0u);  // never touched
}

TEST_F(DataProc, AddImmUsesSpEl0AtEl1t)
{
    cpu.pstate.sp = 0;
    cpu.sys.sp_el0 = 0x100;
    cpu.sys.sp_el1 = 0x900;
    run(0x910043ffu /* add sp, sp, #0x10 */);
    EXPECT_EQ(cpu.sys.sp_el0, 0x110u);
    EXPECT_EQ(cpu.sys.sp_el1, 0x900u);
}

TEST_F(DataProc, AddImmWspZeroExtends)
{
    cpu.sys.sp_el1 = 0xffffffff00000010ull;
    run(0x110043ffu /* add wsp, wsp, #0x10 */);
    EXPECT_EQ(sp(), 0x20u);
}

TEST_F(DataProc, SubsImmReadsSpWritesXzr)
{
    cpu.sys.sp_el1 = 0x100;
    run(0xf10043e0u /* subs x0, sp, #0x10 */);
    EXPECT_EQ(cpu.x[0], 0xf0u);
    EXPECT_EQ(nzcv(), kC);
    run(0xf10403ffu /* cmp sp, #0x100 */);
    EXPECT_EQ(nzcv(), kZ | kC);
    EXPECT_EQ(sp(), 0x100u);
}

// ---- C6.2.10 ADR / C6.2.11 ADRP ----

TEST_F(DataProc, AdrForwardAndBackward)
{
    run(0x10000080u /* adr x0, .+16 */);
    EXPECT_EQ(cpu.x[0], kCode + 16);
    run(0x10ffffe1u /* adr x1, .-4 */);
    EXPECT_EQ(cpu.x[1], kCode + 4 - 4);
    run(0x707fffe2u /* adr x2, .+0xfffff */);    // largest positive offset, uses immlo
    EXPECT_EQ(cpu.x[2], kCode + 8 + 0xfffff);
}

TEST_F(DataProc, AdrpPageRelative)
{
    cpu.pc = kCode + 0x234;
    run(0xb0000000u);  // adrp x0, +1 page (immlo = 1, immhi = 0)
    EXPECT_EQ(cpu.x[0], kCode + 0x1000);
    cpu.pc = kCode + 0xffc;
    run(0xf0ffffe1u);  // adrp x1, -1 page (imm = all ones)
    EXPECT_EQ(cpu.x[1], kCode - 0x1000);
}

TEST_F(DataProc, AdrXzrDestinationDiscarded)
{
    cpu.sys.sp_el1 = 0x777;
    run(0x1000001fu);  // adr xzr, .
    EXPECT_EQ(sp(), 0x777u);
}

// ---- Logical (immediate) and DecodeBitMasks() ----

TEST_F(DataProc, LogicalImmAlternatingBits)
{
    run(0xb200f3e0u /* mov x0, #0x5555555555555555 */);
    EXPECT_EQ(cpu.x[0], 0x5555555555555555ull);
    run(0xb201f3e1u /* mov x1, #0xaaaaaaaaaaaaaaaa */);
    EXPECT_EQ(cpu.x[1], 0xaaaaaaaaaaaaaaaaull);
}

TEST_F(DataProc, LogicalImmByteLanes)
{
    cpu.x[1] = 0x123456789abcdef0ull;
    run(0x92009c20u /* and x0, x1, #0x00ff00ff00ff00ff */);
    EXPECT_EQ(cpu.x[0], 0x0034007800bc00f0ull);
}

TEST_F(DataProc, LogicalImmSingleBitAndRotatedRuns)
{
    cpu.x[1] = kGarbageHigh | 0x12345678;
    run(0x52010020u /* eor w0, w1, #0x80000000 */);
    EXPECT_EQ(cpu.x[0], 0x92345678u);
    cpu.x[1] = 0;
    run(0xb2441c22u /* orr x2, x1, #0xf00000000000000f */);   // Ones(8) rotated right by 4
    EXPECT_EQ(cpu.x[2], 0xf00000000000000full);
    run(0xb27ff423u /* orr x3, x1, #0x7ffffffffffffffe */);   // Ones(62) rotated right by 63
    EXPECT_EQ(cpu.x[3], 0x7ffffffffffffffeull);
    run(0xb2008424u /* orr x4, x1, #0x0003000300030003 */);   // 16-bit elements
    EXPECT_EQ(cpu.x[4], 0x0003000300030003ull);
    run(0xb2400025u /* orr x5, x1, #0x1 */);
    EXPECT_EQ(cpu.x[5], 1u);
    run(0xb2410026u /* orr x6, x1, #0x8000000000000000 */);
    EXPECT_EQ(cpu.x[6], kInt64Min);
    run(0xb203e427u /* orr x7, x1, #0x6666666666666666 */);   // 4-bit elements 0110
    EXPECT_EQ(cpu.x[7], 0x6666666666666666ull);
    run(0xb27ff828u /* orr x8, x1, #0xfffffffffffffffe */);
    EXPECT_EQ(cpu.x[8], 0xfffffffffffffffeull);
}

TEST_F(DataProc, LogicalImmWZeroExtends)
{
    cpu.x[0] = kAllOnes;
    run(0x3201f3e0u /* mov w0, #0xaaaaaaaa */);
    EXPECT_EQ(cpu.x[0], 0xaaaaaaaau);
    cpu.x[1] = kAllOnes;
    run(0x12001c22u /* and w2, w1, #0xff */);
    EXPECT_EQ(cpu.x[2], 0xffu);
}

TEST_F(DataProc, AndsImmFlagsClearCV)
{
    cpu.x[1] = kInt64Min | 1;
    set_flags(kC | kV);
    run(0xf2410020u /* ands x0, x1, #0x8000000000000000 */);
    EXPECT_EQ(cpu.x[0], kInt64Min);
    EXPECT_EQ(nzcv(), kN);
    cpu.x[1] = 2;
    run(0x7200003fu /* tst w1, #1 */);
    EXPECT_EQ(nzcv(), kZ);
    cpu.x[1] = kGarbageHigh;
    run(0x7201003fu /* tst w1, #0x80000000 */);
    EXPECT_EQ(nzcv(), kZ);   // only the W bits count
}

TEST_F(DataProc, LogicalImmWritesSpButReadsXzr)
{
    cpu.x[1] = 0x40001237;
    run(0x927cec3fu /* and sp, x1, #0xfffffffffffffff0 */);
    EXPECT_EQ(sp(), 0x40001230u);
    run(0xb2401fe0u /* orr x0, xzr, #0xff */);    // Rn = 31 is XZR, not SP
    EXPECT_EQ(cpu.x[0], 0xffu);
}

TEST_F(DataProc, LogicalImmReservedEncodingsUndefined)
{
    expect_undefined(0x12400020u);  // and w0, w1, #... with N = 1 (sf = 0)
    expect_undefined(0x9240fc20u);  // N = 1, imms = 111111: element of all ones
    expect_undefined(0x9200f420u);  // N = 0, imms = 111101: 2-bit element of all ones
    expect_undefined(0x9200f820u);  // N = 0, imms = 111110: len = 0
    expect_undefined(0x9200fc20u);  // N = 0, imms = 111111: no set bit in N:NOT(imms)
    expect_undefined(0x1200fc20u);  // the same, 32-bit
    expect_undefined(0x7200f420u);  // ANDS w0, 32-bit reserved element
}

// ---- C6.2.190-192 MOVK/MOVN/MOVZ ----

TEST_F(DataProc, MovzEveryHalfword)
{
    cpu.x[0] = kAllOnes;
    run(0xd2e24680u /* movz x0, #0x1234, lsl #48 */);
    EXPECT_EQ(cpu.x[0], 0x1234000000000000ull);
    run(0xd2dfffe1u /* movz x1, #0xffff, lsl #32 */);
    EXPECT_EQ(cpu.x[1], 0x0000ffff00000000ull);
    cpu.x[2] = kAllOnes;
    run(0x52b579a2u /* movz w2, #0xabcd, lsl #16 */);
    EXPECT_EQ(cpu.x[2], 0xabcd0000u);
}

TEST_F(DataProc, MovnInvertsWithinSize)
{
    run(0x92800000u /* movn x0, #0 */);
    EXPECT_EQ(cpu.x[0], kAllOnes);
    run(0x12800001u /* movn w1, #0 */);
    EXPECT_EQ(cpu.x[1], 0xffffffffu);
    run(0x92a24682u /* movn x2, #0x1234, lsl #16 */);
    EXPECT_EQ(cpu.x[2], 0xffffffffedcbffffull);
    run(0x12a00023u /* movn w3, #0x1, lsl #16 */);
    EXPECT_EQ(cpu.x[3], 0xfffeffffu);
}

TEST_F(DataProc, MovkKeepsOtherBits)
{
    cpu.x[0] = 0x1111222233334444ull;
    run(0xf2d7dde0u /* movk x0, #0xbeef, lsl #32 */);
    EXPECT_EQ(cpu.x[0], 0x1111beef33334444ull);
    run(0xf2800000u /* movk x0, #0x0, lsl #0 */);
    EXPECT_EQ(cpu.x[0], 0x1111beef33330000ull);
    cpu.x[1] = 0xffffffff12345678ull;
    run(0x72b579a1u /* movk w1, #0xabcd, lsl #16 */);
    EXPECT_EQ(cpu.x[1], 0xabcd5678u);   // W form zeroes the top half
}

TEST_F(DataProc, MoveWideToXzrIsDiscarded)
{
    cpu.sys.sp_el1 = 0x4444;
    run(0xd280003fu /* movz xzr, #1 */);
    EXPECT_EQ(sp(), 0x4444u);
}

TEST_F(DataProc, MoveWideReservedUndefined)
{
    expect_undefined(0xb2800000u);  // opc = 01
    expect_undefined(0x32800000u);  // opc = 01, 32-bit
    expect_undefined(0x52c00020u);  // movz w0, #1, lsl #32: hw<1> = 1 with sf = 0
    expect_undefined(0x12e00000u);  // movn w0, #0, lsl #48
    expect_undefined(0x72a00000u | (2u << 21));  // movk w0, lsl #32..48
}

// ---- C6.2.266 SBFM / C6.2.36 BFM / C6.2.387 UBFM and their aliases ----

TEST_F(DataProc, LslImmediateExtremes)
{
    cpu.x[1] = 3;
    run(0xd3410020u /* lsl x0, x1, #63 */);
    EXPECT_EQ(cpu.x[0], kInt64Min);
    cpu.x[1] = kGarbageHigh | 3;
    run(0x53010022u /* lsl w2, w1, #31 */);
    EXPECT_EQ(cpu.x[2], 0x80000000u);
    cpu.x[1] = 0x123456789abcdef0ull;
    run(0xd340fc23u /* lsl x3, x1, #0 */);
    EXPECT_EQ(cpu.x[3], 0x123456789abcdef0ull);
    run(0xd37ff824u /* lsl x4, x1, #1 */);
    EXPECT_EQ(cpu.x[4], 0x2468acf13579bde0ull);
    run(0x53007c25u /* lsl w5, w1, #0 */);
    EXPECT_EQ(cpu.x[5], 0x9abcdef0u);
}

TEST_F(DataProc, LsrAndAsrImmediate)
{
    cpu.x[1] = kInt64Min;
    run(0xd37ffc20u /* lsr x0, x1, #63 */);
    EXPECT_EQ(cpu.x[0], 1u);
    run(0x937ffc22u /* asr x2, x1, #63 */);
    EXPECT_EQ(cpu.x[2], kAllOnes);
    cpu.x[1] = 0xf000000000000000ull;
    run(0x9344fc23u /* asr x3, x1, #4 */);
    EXPECT_EQ(cpu.x[3], 0xff00000000000000ull);
    cpu.x[1] = kGarbageHigh | 0x80000000;
    run(0x131f7c24u /* asr w4, w1, #31 */);
    EXPECT_EQ(cpu.x[4], 0xffffffffu);
    run(0x531f7c25u /* lsr w5, w1, #31 */);
    EXPECT_EQ(cpu.x[5], 1u);
    cpu.x[1] = 0x7000000000000000ull;
    run(0x937cfc26u /* asr x6, x1, #60 */);
    EXPECT_EQ(cpu.x[6], 7u);
}

TEST_F(DataProc, SignAndZeroExtendAliases)
{
    cpu.x[1] = 0xffffff80;
    run(0x93401c20u /* sxtb x0, w1 */);
    EXPECT_EQ(cpu.x[0], 0xffffffffffffff80ull);
    cpu.x[1] = kGarbageHigh | 0x8000;
    run(0x13003c22u /* sxth w2, w1 */);
    EXPECT_EQ(cpu.x[2], 0xffff8000u);
    cpu.x[1] = kGarbageHigh | 0x80000000;
    run(0x93407c23u /* sxtw x3, w1 */);
    EXPECT_EQ(cpu.x[3], 0xffffffff80000000ull);
    cpu.x[1] = 0x7fffffff;
    run(0x93407c24u /* sxtw x4, w1 */);
    EXPECT_EQ(cpu.x[4], 0x7fffffffu);
    cpu.x[1] = kGarbageHigh | 0x1234;
    run(0x53001c25u /* uxtb w5, w1 */);
    EXPECT_EQ(cpu.x[5], 0x34u);
    cpu.x[1] = 0xffff12345678ull;
    run(0x53003c26u /* uxth w6, w1 */);
    EXPECT_EQ(cpu.x[6], 0x5678u);
    cpu.x[1] = 0x7f;
    run(0x13001c27u /* sxtb w7, w1 */);
    EXPECT_EQ(cpu.x[7], 0x7fu);
}

TEST_F(DataProc, BitfieldInsertKeepsDestination)
{
    cpu.x[0] = kAllOnes;
    cpu.x[1] = 0x5;
    run(0xb3780c20u /* bfi x0, x1, #8, #4 */);
    EXPECT_EQ(cpu.x[0], 0xfffffffffffff5ffull);
    cpu.x[2] = 0xffffffff00000000ull;
    cpu.x[1] = 0xa;
    run(0x33040c22u /* bfi w2, w1, #28, #4 */);
    EXPECT_EQ(cpu.x[2], 0xa0000000u);   // W form: upper half zeroed
    cpu.x[3] = 0;
    cpu.x[1] = kAllOnes;
    run(0xb3410023u /* bfi x3, x1, #63, #1 */);
    EXPECT_EQ(cpu.x[3], kInt64Min);
    cpu.x[4] = 0x0123456789abcdefull;
    cpu.x[1] = 0;
    run(0xb340fc24u /* bfxil x4, x1, #0, #64 */);  // the whole register: BFM x4, x1, #0, #63
    EXPECT_EQ(cpu.x[4], 0u);
}

TEST_F(DataProc, BitfieldExtractLowBits)
{
    cpu.x[0] = 0x1111111111111111ull;
    cpu.x[1] = 0xabc0;
    run(0xb3442c20u /* bfxil x0, x1, #4, #8 */);
    EXPECT_EQ(cpu.x[0], 0x11111111111111bcull);
    cpu.x[1] = 0x0f80;
    run(0x93442c22u /* sbfx x2, x1, #4, #8 */);
    EXPECT_EQ(cpu.x[2], 0xfffffffffffffff8ull);
    cpu.x[1] = 0x0780;
    run(0x93442c23u /* sbfx x3, x1, #4, #8 */);
    EXPECT_EQ(cpu.x[3], 0x78u);
    cpu.x[1] = kGarbageHigh | 0xf0000000;
    run(0x531c7c24u /* ubfx w4, w1, #28, #4 */);
    EXPECT_EQ(cpu.x[4], 0xfu);
    cpu.x[1] = kInt64Min;
    run(0x937ffc25u /* sbfx x5, x1, #63, #1 */);
    EXPECT_EQ(cpu.x[5], kAllOnes);
    run(0xd37ffc26u /* ubfx x6, x1, #63, #1 */);
    EXPECT_EQ(cpu.x[6], 1u);
    cpu.x[1] = 0x00000000c0000000ull;
    run(0x131e7c27u /* sbfx w7, w1, #30, #2 */);
    EXPECT_EQ(cpu.x[7], 0xffffffffu);
}

TEST_F(DataProc, BitfieldInsertInZero)
{
    cpu.x[1] = 0x8;
    run(0x937c0c20u /* sbfiz x0, x1, #4, #4 */);
    EXPECT_EQ(cpu.x[0], 0xffffffffffffff80ull);
    cpu.x[1] = 0xff;
    run(0x53040c22u /* ubfiz w2, w1, #28, #4 */);
    EXPECT_EQ(cpu.x[2], 0xf0000000u);
    cpu.x[1] = 0x80000000;
    run(0x937f7c23u /* sbfiz x3, x1, #1, #32 */);
    EXPECT_EQ(cpu.x[3], 0xffffffff00000000ull);
}

TEST_F(DataProc, BitfieldReservedUndefined)
{
    expect_undefined(0xd301fc20u);  // lsr x0, x1, #1 with N = 0 (sf = 1)
    expect_undefined(0x53407c20u);  // ubfm w0, w1, #0, #31 with N = 1 (sf = 0)
    expect_undefined(0x53008020u);  // ubfm w0, w1, #0, #32: imms<5> = 1
    expect_undefined(0x13200020u);  // sbfm w0, w1, #32, #0: immr<5> = 1
    expect_undefined(0xf341fc20u);  // opc = 11
}

// ---- C6.2.124 EXTR / ROR (immediate) ----

TEST_F(DataProc, ExtrConcatenates)
{
    cpu.x[1] = 0x0123456789abcdefull;
    cpu.x[2] = 0xfedcba9876543210ull;
    run(0x93c21020u /* extr x0, x1, x2, #4 */);
    EXPECT_EQ(cpu.x[0], 0xffedcba987654321ull);
    run(0x93c20023u /* extr x3, x1, x2, #0 */);
    EXPECT_EQ(cpu.x[3], 0xfedcba9876543210ull);
    run(0x93c2fc24u /* extr x4, x1, x2, #63 */);
    EXPECT_EQ(cpu.x[4], 0x02468acf13579bdfull);
    cpu.x[1] = kGarbageHigh | 0x89abcdef;
    cpu.x[2] = kGarbageHigh | 0x76543210;
    run(0x13822025u /* extr w5, w1, w2, #8 */);
    EXPECT_EQ(cpu.x[5], 0xef765432u);
    run(0x13820026u /* extr w6, w1, w2, #0 */);
    EXPECT_EQ(cpu.x[6], 0x76543210u);
}

TEST_F(DataProc, RorImmediate)
{
    cpu.x[1] = 1;
    run(0x93c1fc20u /* ror x0, x1, #63 */);
    EXPECT_EQ(cpu.x[0], 2u);
    run(0x93c10422u /* ror x2, x1, #1 */);
    EXPECT_EQ(cpu.x[2], kInt64Min);
    cpu.x[1] = kGarbageHigh | 1;
    run(0x13817c23u /* ror w3, w1, #31 */);
    EXPECT_EQ(cpu.x[3], 2u);
    run(0x13810424u /* ror w4, w1, #1 */);
    EXPECT_EQ(cpu.x[4], 0x80000000u);
}

TEST_F(DataProc, ExtrReservedUndefined)
{
    expect_undefined(0x13828020u);  // extr w0, w1, w2, #32: imms<5> = 1 with sf = 0
    expect_undefined(0x93821020u);  // extr x0, x1, x2, #4 with N = 0
    expect_undefined(0x13c21020u);  // extr w0, w1, w2, #4 with N = 1
    expect_undefined(0x93e21020u);  // o0 = 1
    expect_undefined(0xb3c21020u);  // op21 = 01
}

TEST_F(DataProc, AddSubImmWithTagsUndefined)
{
    expect_undefined(0x91800000u);  // ADDG (FEAT_MTE)
    expect_undefined(0xd1800000u);  // SUBG
    expect_undefined(0x91c00000u);  // SMAX (immediate), FEAT_CSSC
}

// ====================================================================================== register

// ---- Logical (shifted register) ----

TEST_F(DataProc, LogicalShiftedAndVariants)
{
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 1;
    run(0x8a02fc20u /* and x0, x1, x2, lsl #63 */);
    EXPECT_EQ(cpu.x[0], kInt64Min);
    cpu.x[1] = 0xff;
    cpu.x[2] = 0x0f;
    run(0x8a220023u /* bic x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 0xf0u);
    cpu.x[2] = 0xf0;
    run(0x8a621024u /* bic x4, x1, x2, lsr #4 */);
    EXPECT_EQ(cpu.x[4], 0xf0u);
}

TEST_F(DataProc, LogicalShiftedOrrRorAndMov)
{
    cpu.x[1] = 0;
    cpu.x[2] = kInt64Min | 1;
    run(0xaac2fc20u /* orr x0, x1, x2, ror #63 */);
    EXPECT_EQ(cpu.x[0], 3u);
    run(0xaac20423u /* orr x3, x1, x2, ror #1 */);
    EXPECT_EQ(cpu.x[3], 0xc000000000000000ull);
    cpu.sys.sp_el1 = 0x9999;
    cpu.x[5] = 0x1234;
    run(0xaa0503e4u /* mov x4, x5 */);   // ORR x4, xzr, x5: Rn = 31 is XZR
    EXPECT_EQ(cpu.x[4], 0x1234u);
    cpu.x[5] = kGarbageHigh | 0x80000001;
    run(0x2ac57fe6u /* orr w6, wzr, w5, ror #31 */);
    EXPECT_EQ(cpu.x[6], 3u);
}

TEST_F(DataProc, LogicalShiftedOrnMvnEorEon)
{
    cpu.x[1] = 0x00ff;
    cpu.x[0] = kAllOnes;
    run(0x2a2103e0u /* mvn w0, w1 */);
    EXPECT_EQ(cpu.x[0], 0xffffff00u);
    run(0xaa2103e2u /* mvn x2, x1 */);
    EXPECT_EQ(cpu.x[2], 0xffffffffffffff00ull);
    cpu.x[3] = 0xf0f0;
    run(0xaa212064u /* orn x4, x3, x1, lsl #8 */);
    EXPECT_EQ(cpu.x[4], 0xffffffffffff00ffull | 0xf0f0);
    cpu.x[1] = 0xff00000000000000ull;
    cpu.x[3] = 0x0f0f000000000000ull;
    run(0xca812065u /* eor x5, x3, x1, asr #8 */);
    EXPECT_EQ(cpu.x[5], 0x0f0f000000000000ull ^ 0xffff000000000000ull);
    cpu.x[1] = 0x80000000;
    cpu.x[3] = 0;
    run(0x4aa17c66u /* eon w6, w3, w1, asr #31 */);
    EXPECT_EQ(cpu.x[6], 0u);
    run(0x4a617c67u /* eon w7, w3, w1, lsr #31 */);
    EXPECT_EQ(cpu.x[7], 0xfffffffeu);
}

TEST_F(DataProc, LogicalShiftedFlags)
{
    cpu.x[1] = kInt64Min | 0xff;
    cpu.x[2] = kInt64Min;
    set_flags(kC | kV);
    run(0xea020020u /* ands x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], kInt64Min);
    EXPECT_EQ(nzcv(), kN);
    cpu.x[1] = 0xf;
    cpu.x[2] = 0xf;
    set_flags(kC | kV | kN);
    run(0x6a220023u /* bics w3, w1, w2 */);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(nzcv(), kZ);
    cpu.x[1] = kGarbageHigh | 0x80000000;
    run(0x6a01003fu /* tst w1, w1 */);
    EXPECT_EQ(nzcv(), kN);
    cpu.x[1] = kGarbageHigh;
    run(0x6a01003fu /* tst w1, w1 */);
    EXPECT_EQ(nzcv(), kZ);
    cpu.x[1] = 1;
    run(0xea01fc3fu /* tst x1, x1, lsl #63 */);
    EXPECT_EQ(nzcv(), kZ);
    cpu.x[1] = kInt64Min | 1;
    run(0xea01fc3fu /* tst x1, x1, lsl #63 */);
    EXPECT_EQ(nzcv(), kN);
}

TEST_F(DataProc, LogicalShiftedWithShiftAmount31And63)
{
    cpu.x[1] = kAllOnes;
    cpu.x[2] = kAllOnes;
    run(0x0a027c20u /* and w0, w1, w2, lsl #31 */);
    EXPECT_EQ(cpu.x[0], 0x80000000u);
    run(0x0a427c23u /* and w3, w1, w2, lsr #31 */);
    EXPECT_EQ(cpu.x[3], 1u);
    run(0x8a42fc24u /* and x4, x1, x2, lsr #63 */);
    EXPECT_EQ(cpu.x[4], 1u);
    run(0x8a82fc25u /* and x5, x1, x2, asr #63 */);
    EXPECT_EQ(cpu.x[5], kAllOnes);
}

TEST_F(DataProc, LogicalShiftedReservedUndefined)
{
    expect_undefined(0x0a028020u);  // and w0, w1, w2, lsl #32: imm6<5> with sf = 0
    expect_undefined(0x2a62fc20u);  // orn w0, w1, w2, lsr #63
}

// ---- Add/subtract (shifted register) ----

TEST_F(DataProc, AddSubShifted)
{
    cpu.x[1] = 5;
    cpu.x[2] = 1;
    run(0x8b02fc20u /* add x0, x1, x2, lsl #63 */);
    EXPECT_EQ(cpu.x[0], kInt64Min + 5);
    cpu.x[2] = kInt64Min;
    run(0xcb42fc23u /* sub x3, x1, x2, lsr #63 */);
    EXPECT_EQ(cpu.x[3], 4u);
    run(0x8b82fc24u /* add x4, x1, x2, asr #63 */);
    EXPECT_EQ(cpu.x[4], 4u);
    cpu.x[1] = kGarbageHigh | 0xfffffff0;
    cpu.x[2] = kGarbageHigh | 0x20;
    run(0x0b020025u /* add w5, w1, w2 */);
    EXPECT_EQ(cpu.x[5], 0x10u);
    run(0x4b027c26u /* sub w6, w1, w2, lsl #31 */);
    EXPECT_EQ(cpu.x[6], 0xfffffff0u);
}

TEST_F(DataProc, AddsSubsShiftedFlags)
{
    cpu.x[1] = 0x80000000;
    cpu.x[2] = 1;
    run(0x6b020020u /* subs w0, w1, w2 */);
    EXPECT_EQ(cpu.x[0], 0x7fffffffu);
    EXPECT_EQ(nzcv(), kC | kV);
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 1;
    run(0xab020023u /* adds x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.x[1] = 0x7fffffffffffffffull;
    run(0xab020024u /* adds x4, x1, x2 */);
    EXPECT_EQ(nzcv(), kN | kV);
    cpu.x[1] = 0x40000000;
    cpu.x[2] = 1;
    run(0x2b027825u /* adds w5, w1, w2, lsl #30 */);
    EXPECT_EQ(cpu.x[5], 0x80000000u);
    EXPECT_EQ(nzcv(), kN | kV);
}

TEST_F(DataProc, CmpRegisterUnsignedOrder)
{
    cpu.x[1] = 3;
    cpu.x[2] = 3;
    run(0xeb02003fu /* cmp x1, x2 */);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.x[2] = 4;
    run(0xeb02003fu /* cmp x1, x2 */);
    EXPECT_EQ(nzcv(), kN);      // 3 < 4: borrow, negative
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 1;
    run(0xeb02003fu /* cmp x1, x2 */);
    EXPECT_EQ(nzcv(), kN | kC); // 0xff..ff >= 1 unsigned
    cpu.x[1] = 1;
    run(0xab01fc3fu /* cmn x1, x1, lsl #63 */);
    EXPECT_EQ(nzcv(), kN);
}

TEST_F(DataProc, NegAndNegs)
{
    cpu.x[1] = 1;
    run(0xcb0103e0u /* neg x0, x1 */);
    EXPECT_EQ(cpu.x[0], kAllOnes);
    cpu.x[1] = kInt64Min;
    run(0xeb0103e2u /* negs x2, x1 */);
    EXPECT_EQ(cpu.x[2], kInt64Min);
    EXPECT_EQ(nzcv(), kN | kV);
    cpu.x[1] = 0;
    run(0x6b0103e3u /* negs w3, w1 */);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
}

TEST_F(DataProc, AddShiftedRegister31IsXzr)
{
    cpu.sys.sp_el1 = 0x5000;
    cpu.x[1] = 7;
    run(0x8b0103e0u);  // add x0, xzr, x1 (shifted register: Rn = 31 is XZR)
    EXPECT_EQ(cpu.x[0], 7u);
    run(0x8b01001fu);  // add xzr, x0, x1: discarded
    EXPECT_EQ(sp(), 0x5000u);
}

TEST_F(DataProc, AddSubShiftedReservedUndefined)
{
    expect_undefined(0x8bc20020u);  // add x0, x1, x2 with shift = ROR
    expect_undefined(0x0b028020u);  // add w0, w1, w2, lsl #32
    expect_undefined(0x6b42fc20u);  // subs w0, w1, w2, lsr #63
}

// ---- Add/subtract (extended register) ----

TEST_F(DataProc, AddExtendedFromSp)
{
    cpu.sys.sp_el1 = 0x1000;
    cpu.x[1] = 0xffffffff00000010ull;
    run(0x8b214be0u /* add x0, sp, w1, uxtw #2 */);
    EXPECT_EQ(cpu.x[0], 0x1040u);
    cpu.x[1] = 0x30;
    run(0x8b2163ffu /* add sp, sp, x1 */);
    EXPECT_EQ(sp(), 0x1030u);
    run(0xcb2173ffu /* sub sp, sp, x1, lsl #4 */);
    EXPECT_EQ(sp(), 0x1030u - 0x300);
}

TEST_F(DataProc, AddExtendedSignExtension)
{
    cpu.x[1] = 0;
    cpu.x[2] = 0x180;
    run(0xcb229020u /* sub x0, x1, w2, sxtb #4 */);
    EXPECT_EQ(cpu.x[0], 2048u);           // 0 - (-128 << 4)
    cpu.x[1] = 16;
    cpu.x[2] = 0xffffffff;
    run(0x8b22d023u /* add x3, x1, w2, sxtw #4 */);
    EXPECT_EQ(cpu.x[3], 0u);              // 16 + (-1 << 4)
    cpu.x[2] = 0x1ff;
    run(0x0b221024u /* add w4, w1, w2, uxtb #4 */);
    EXPECT_EQ(cpu.x[4], 0x1000u);         // 16 + (0xff << 4)
    cpu.x[2] = 0x12345678ffff8000ull;
    run(0x8b22a025u /* add x5, x1, w2, sxth */);
    EXPECT_EQ(cpu.x[5], 16ull - 0x8000);
    run(0x8b222426u /* add x6, x1, w2, uxth #1 */);
    EXPECT_EQ(cpu.x[6], 16u + 0x10000);
    cpu.x[2] = 0x0f00000000000001ull;
    run(0x8b227027u /* add x7, x1, x2, uxtx #4 */);
    EXPECT_EQ(cpu.x[7], 0xf000000000000000ull + 16 + 16);
    run(0x8b22f028u /* add x8, x1, x2, sxtx #4 */);
    EXPECT_EQ(cpu.x[8], 0xf000000000000000ull + 16 + 16);
    cpu.x[2] = 0x80000000;
    run(0x8b224029u /* add x9, x1, w2, uxtw */);
    EXPECT_EQ(cpu.x[9], 0x80000010u);
}

TEST_F(DataProc, AddsExtendedFlagsAndXzrDestination)
{
    cpu.x[1] = 0x8000;
    cpu.x[2] = 0x8000;
    run(0x2b22a020u /* adds w0, w1, w2, sxth */);
    EXPECT_EQ(cpu.x[0], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.sys.sp_el1 = 0x10;
    cpu.x[1] = 0x10;
    run(0xeb2163ffu /* cmp sp, x1 */);                 // SUBS xzr, sp, x1 (extended)
    EXPECT_EQ(nzcv(), kZ | kC);
    EXPECT_EQ(sp(), 0x10u);
    cpu.x[1] = 0x20;
    run(0xeb2143ffu /* cmp sp, w1, uxtw */);
    EXPECT_EQ(nzcv(), kN);
    run(0x2b2103ffu /* cmn wsp, w1, uxtb */);
    EXPECT_EQ(nzcv(), 0u);
    EXPECT_EQ(sp(), 0x10u);
}

TEST_F(DataProc, SubExtendedWForms)
{
    cpu.sys.sp_el1 = kGarbageHigh | 0x100;
    cpu.x[1] = 0x1;
    run(0x4b2153ffu /* sub wsp, wsp, w1, uxtw #4 */);
    EXPECT_EQ(sp(), 0xf0u);
    cpu.x[2] = kGarbageHigh | 0x10;
    run(0x6b21f043u /* subs w3, w2, w1, sxtx #4 */);   // sxtx on a W operation: just LSL
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
}

TEST_F(DataProc, AddSubExtendedReservedUndefined)
{
    expect_undefined(0x8b225420u);  // add x0, x1, w2, uxtw #5: imm3 > 4
    expect_undefined(0x8b227c20u);  // imm3 = 7
    expect_undefined(0x8b624820u);  // opt = 01
}

// ---- C6.2.1 ADC / C6.2.245 SBC and S forms ----

TEST_F(DataProc, AdcAddsCarryIn)
{
    cpu.x[1] = 1;
    cpu.x[2] = 2;
    set_flags(kC);
    run(0x9a020020u /* adc x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 4u);
    EXPECT_EQ(nzcv(), kC);
    set_flags(0);
    run(0x9a020023u /* adc x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 3u);
    cpu.x[1] = kGarbageHigh | 0xffffffff;
    set_flags(kC);
    run(0x1a1f0024u /* adc w4, w1, wzr */);
    EXPECT_EQ(cpu.x[4], 0u);
}

TEST_F(DataProc, AdcsFlags)
{
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 0;
    set_flags(kC);
    run(0xba020020u /* adcs x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.x[1] = 0x7fffffff;
    set_flags(kC);
    run(0x3a020023u /* adcs w3, w1, w2 */);
    EXPECT_EQ(cpu.x[3], 0x80000000u);
    EXPECT_EQ(nzcv(), kN | kV);
    cpu.x[1] = kAllOnes;
    cpu.x[2] = kAllOnes;
    set_flags(kC);
    run(0xba020024u /* adcs x4, x1, x2 */);
    EXPECT_EQ(cpu.x[4], kAllOnes);
    EXPECT_EQ(nzcv(), kN | kC);
    cpu.x[1] = kInt64Min;
    cpu.x[2] = kInt64Min;
    set_flags(0);
    run(0xba020025u /* adcs x5, x1, x2 */);
    EXPECT_EQ(cpu.x[5], 0u);
    EXPECT_EQ(nzcv(), kZ | kC | kV);
}

TEST_F(DataProc, SbcBorrowsWhenCarryClear)
{
    cpu.x[1] = 10;
    cpu.x[2] = 3;
    set_flags(kC);
    run(0xda020020u /* sbc x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 7u);
    set_flags(0);
    run(0xda020023u /* sbc x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 6u);
    set_flags(0);
    run(0x5a0203e4u /* ngc w4, w2 */);
    EXPECT_EQ(cpu.x[4], 0xfffffffcu);    // 0 - 3 - 1
}

TEST_F(DataProc, SbcsFlags)
{
    cpu.x[1] = 0;
    cpu.x[2] = 0;
    set_flags(0);
    run(0xfa020020u /* sbcs x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], kAllOnes);
    EXPECT_EQ(nzcv(), kN);
    set_flags(kC);
    run(0xfa020023u /* sbcs x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.x[1] = 0x80000000;
    cpu.x[2] = 0;
    set_flags(0);
    run(0x7a020024u /* sbcs w4, w1, w2 */);
    EXPECT_EQ(cpu.x[4], 0x7fffffffu);
    EXPECT_EQ(nzcv(), kC | kV);
}

TEST_F(DataProc, AdcReservedUndefined)
{
    expect_undefined(0x9a020420u);  // adc x0, x1, x2 with bits 15:10 = 000001 (RMIF space)
    expect_undefined(0x3a00080du);  // SETF8 w0 (FEAT_FlagM)
}

// ---- C6.2.57 CCMN / C6.2.59 CCMP ----

TEST_F(DataProc, CcmpRegisterConditionHoldsOrNot)
{
    cpu.x[1] = 7;
    cpu.x[2] = 7;
    set_flags(kZ);
    run(0xfa420025u /* ccmp x1, x2, #5, eq */);
    EXPECT_EQ(nzcv(), kZ | kC);
    set_flags(0);
    run(0xfa420025u /* ccmp x1, x2, #5, eq */);
    EXPECT_EQ(nzcv(), 5u);
    set_flags(0);
    cpu.x[2] = 8;
    run(0xfa421020u /* ccmp x1, x2, #0, ne */);
    EXPECT_EQ(nzcv(), kN);
}

TEST_F(DataProc, CcmnImmediateAndW)
{
    cpu.x[1] = kGarbageHigh | 0xffffffff;
    set_flags(0);
    run(0x3a411828u /* ccmn w1, #1, #8, ne */);
    EXPECT_EQ(nzcv(), kZ | kC);
    cpu.x[1] = 0x7fffffffffffffe0ull;
    run(0xba5fe820u /* ccmn x1, #31, #0, al */);
    EXPECT_EQ(nzcv(), 0u);
    cpu.x[1] = 0x7fffffffffffffe1ull;
    run(0xba5fe820u /* ccmn x1, #31, #0, al */);
    EXPECT_EQ(nzcv(), kN | kV);
    cpu.x[1] = 31;
    run(0xfa5fe820u /* ccmp x1, #31, #0, al */);
    EXPECT_EQ(nzcv(), kZ | kC);
    set_flags(kV);
    run(0xfa40782fu /* ccmp x1, #0, #0xf, vc */);
    EXPECT_EQ(nzcv(), 0xfu);
}

TEST_F(DataProc, CondCompareReservedUndefined)
{
    expect_undefined(0xba420025u & ~(1u << 29));  // ccmn with S = 0
    expect_undefined(0xfa420425u);                // ccmp with o2 = 1
    expect_undefined(0xfa420035u);                // ccmp with o3 = 1
}

// ---- C6.2.69 CSEL and siblings ----

TEST_F(DataProc, CselPicksByCondition)
{
    cpu.x[1] = 0x111;
    cpu.x[2] = 0x222;
    set_flags(kZ);
    run(0x9a820020u /* csel x0, x1, x2, eq */);
    EXPECT_EQ(cpu.x[0], 0x111u);
    set_flags(0);
    run(0x9a820023u /* csel x3, x1, x2, eq */);
    EXPECT_EQ(cpu.x[3], 0x222u);
    run(0x9a82e024u /* csel x4, x1, x2, al */);
    EXPECT_EQ(cpu.x[4], 0x111u);
    run(0x9a82f025u);  // csel x5, x1, x2, nv: NV behaves as AL
    EXPECT_EQ(cpu.x[5], 0x111u);
    cpu.x[1] = kGarbageHigh | 0x111;
    run(0x1a82e026u /* csel w6, w1, w2, al */);
    EXPECT_EQ(cpu.x[6], 0x111u);
}

TEST_F(DataProc, CsincCsetAndWrap)
{
    cpu.x[1] = 1;
    cpu.x[2] = 41;
    set_flags(kZ);
    run(0x9a821420u /* csinc x0, x1, x2, ne */);
    EXPECT_EQ(cpu.x[0], 42u);
    run(0x1a9f17e3u /* cset w3, eq */);
    EXPECT_EQ(cpu.x[3], 1u);
    run(0x9a9f07e4u /* cset x4, ne */);
    EXPECT_EQ(cpu.x[4], 0u);
    cpu.x[2] = kGarbageHigh | 0xffffffff;
    run(0x1a821425u /* csinc w5, w1, w2, ne */);
    EXPECT_EQ(cpu.x[5], 0u);
    cpu.x[2] = kAllOnes;
    run(0x9a821426u /* csinc x6, x1, x2, ne */);
    EXPECT_EQ(cpu.x[6], 0u);
    cpu.x[7] = 9;
    set_flags(kC);
    run(0x9a8734e8u /* cinc x8, x7, hs */);
    EXPECT_EQ(cpu.x[8], 10u);
}

TEST_F(DataProc, CsinvCsnegAndAliases)
{
    cpu.x[1] = 1;
    cpu.x[2] = 0xf0;
    set_flags(0);
    run(0xda820020u /* csinv x0, x1, x2, eq */);
    EXPECT_EQ(cpu.x[0], ~0xf0ull);
    run(0x5a820023u /* csinv w3, w1, w2, eq */);
    EXPECT_EQ(cpu.x[3], 0xffffff0fu);
    run(0xda9f03e4u /* csetm x4, ne */);
    EXPECT_EQ(cpu.x[4], kAllOnes);
    run(0x5a9f03e5u /* csetm w5, ne */);
    EXPECT_EQ(cpu.x[5], 0xffffffffu);
    run(0xda820426u /* csneg x6, x1, x2, eq */);
    EXPECT_EQ(cpu.x[6], (uint64_t)-0xf0ll);
    cpu.x[7] = 5;
    set_flags(kN);
    run(0x5a8754e8u /* cneg w8, w7, mi */);
    EXPECT_EQ(cpu.x[8], 0xfffffffbu);
    run(0xda8744e9u /* cneg x9, x7, pl */);
    EXPECT_EQ(cpu.x[9], 5u);
    cpu.x[7] = kInt64Min;
    run(0xda8754eau /* cneg x10, x7, mi */);
    EXPECT_EQ(cpu.x[10], kInt64Min);
}

TEST_F(DataProc, CondSelectConditionsSignedAndUnsigned)
{
    cpu.x[1] = 1;
    cpu.x[2] = 0;
    set_flags(kN | kV);  // GE, GT true; LT false
    run(0x9a82a020u /* csel x0, x1, x2, ge */);
    EXPECT_EQ(cpu.x[0], 1u);
    run(0x9a82b023u /* csel x3, x1, x2, lt */);
    EXPECT_EQ(cpu.x[3], 0u);
    set_flags(kC);       // HI true
    run(0x9a828024u /* csel x4, x1, x2, hi */);
    EXPECT_EQ(cpu.x[4], 1u);
    set_flags(kC | kZ);  // LS true
    run(0x9a829025u /* csel x5, x1, x2, ls */);
    EXPECT_EQ(cpu.x[5], 1u);
    run(0x9a82c026u /* csel x6, x1, x2, gt */);
    EXPECT_EQ(cpu.x[6], 0u);  // N == V but Z set: GT false
}

TEST_F(DataProc, CondSelectReservedUndefined)
{
    expect_undefined(0xba820020u);  // csel with S = 1
    expect_undefined(0x9a820820u);  // op2 = 10
    expect_undefined(0xda820c20u);  // op2 = 11
}

// ---- Data-processing (1 source) ----

TEST_F(DataProc, Rbit)
{
    cpu.x[1] = 1;
    run(0xdac00020u /* rbit x0, x1 */);
    EXPECT_EQ(cpu.x[0], kInt64Min);
    cpu.x[1] = kGarbageHigh | 1;
    run(0x5ac00022u /* rbit w2, w1 */);
    EXPECT_EQ(cpu.x[2], 0x80000000u);
    cpu.x[1] = 0x12345678;
    run(0x5ac00023u /* rbit w3, w1 */);
    EXPECT_EQ(cpu.x[3], 0x1e6a2c48u);
    cpu.x[1] = 0x0123456789abcdefull;
    run(0xdac00024u /* rbit x4, x1 */);
    EXPECT_EQ(cpu.x[4], 0xf7b3d591e6a2c480ull);
}

TEST_F(DataProc, ByteReversal)
{
    cpu.x[1] = 0x0011223344556677ull;
    run(0xdac00420u /* rev16 x0, x1 */);
    EXPECT_EQ(cpu.x[0], 0x1100332255447766ull);
    run(0xdac00822u /* rev32 x2, x1 */);
    EXPECT_EQ(cpu.x[2], 0x3322110077665544ull);
    run(0xdac00c23u /* rev x3, x1 */);
    EXPECT_EQ(cpu.x[3], 0x7766554433221100ull);
    run(0x5ac00824u /* rev w4, w1 */);
    EXPECT_EQ(cpu.x[4], 0x77665544u);
    run(0x5ac00425u /* rev16 w5, w1 */);
    EXPECT_EQ(cpu.x[5], 0x55447766u);
}

TEST_F(DataProc, ClzEdgeCases)
{
    cpu.x[1] = 0;
    run(0xdac01020u /* clz x0, x1 */);
    EXPECT_EQ(cpu.x[0], 64u);
    run(0x5ac01022u /* clz w2, w1 */);
    EXPECT_EQ(cpu.x[2], 32u);
    cpu.x[1] = kAllOnes;
    run(0xdac01023u /* clz x3, x1 */);
    EXPECT_EQ(cpu.x[3], 0u);
    run(0x5ac01024u /* clz w4, w1 */);
    EXPECT_EQ(cpu.x[4], 0u);
    cpu.x[1] = 1;
    run(0xdac01025u /* clz x5, x1 */);
    EXPECT_EQ(cpu.x[5], 63u);
    cpu.x[1] = 0xffffffff00000001ull;
    run(0x5ac01026u /* clz w6, w1 */);
    EXPECT_EQ(cpu.x[6], 31u);
}

TEST_F(DataProc, ClsEdgeCases)
{
    cpu.x[1] = 0;
    run(0xdac01420u /* cls x0, x1 */);
    EXPECT_EQ(cpu.x[0], 63u);
    run(0x5ac01422u /* cls w2, w1 */);
    EXPECT_EQ(cpu.x[2], 31u);
    cpu.x[1] = kAllOnes;
    run(0xdac01423u /* cls x3, x1 */);
    EXPECT_EQ(cpu.x[3], 63u);
    run(0x5ac01424u /* cls w4, w1 */);
    EXPECT_EQ(cpu.x[4], 31u);
    cpu.x[1] = 0x4000000000000000ull;
    run(0xdac01425u /* cls x5, x1 */);
    EXPECT_EQ(cpu.x[5], 0u);
    cpu.x[1] = 0xc000000000000000ull;
    run(0xdac01426u /* cls x6, x1 */);
    EXPECT_EQ(cpu.x[6], 1u);
    cpu.x[1] = kInt64Min;
    run(0xdac01427u /* cls x7, x1 */);
    EXPECT_EQ(cpu.x[7], 0u);
    cpu.x[1] = 0x00000000fffffff0ull;
    run(0x5ac01428u /* cls w8, w1 */);
    EXPECT_EQ(cpu.x[8], 27u);
    run(0xdac01429u /* cls x9, x1 */);
    EXPECT_EQ(cpu.x[9], 31u);
}

TEST_F(DataProc, OneSourceReservedUndefined)
{
    expect_undefined(0x5ac00c20u);  // rev with opcode 000011 and sf = 0
    expect_undefined(0xdac10020u);  // opcode2 = 00001 (PACIA, FEAT_PAuth)
    expect_undefined(0xfac00020u);  // S = 1
    expect_undefined(0xdac01820u);  // opcode 000110 (CTZ, FEAT_CSSC)
    expect_undefined(0xdac02020u);  // opcode 001000 (ABS, FEAT_CSSC)
}

// ---- Data-processing (2 source): division ----

TEST_F(DataProc, Udiv)
{
    cpu.x[1] = 100;
    cpu.x[2] = 7;
    run(0x9ac20820u /* udiv x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 14u);
    cpu.x[2] = 0;
    run(0x9ac20823u /* udiv x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 0u);
    cpu.x[1] = kGarbageHigh | 0xffffffff;
    cpu.x[2] = kGarbageHigh | 2;
    run(0x1ac20824u /* udiv w4, w1, w2 */);
    EXPECT_EQ(cpu.x[4], 0x7fffffffu);
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 1;
    run(0x9ac20825u /* udiv x5, x1, x2 */);
    EXPECT_EQ(cpu.x[5], kAllOnes);
    cpu.x[2] = kGarbageHigh;   // W divisor is 0
    run(0x1ac20826u /* udiv w6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0u);
}

TEST_F(DataProc, Sdiv)
{
    cpu.x[1] = (uint64_t)-7ll;
    cpu.x[2] = 2;
    run(0x9ac20c20u /* sdiv x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], (uint64_t)-3ll);   // rounds towards zero
    cpu.x[1] = kInt64Min;
    cpu.x[2] = kAllOnes;
    run(0x9ac20c23u /* sdiv x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], kInt64Min);
    cpu.x[2] = 0;
    run(0x9ac20c24u /* sdiv x4, x1, x2 */);
    EXPECT_EQ(cpu.x[4], 0u);
    cpu.x[1] = kGarbageHigh | 0x80000000;
    cpu.x[2] = kGarbageHigh | 0xffffffff;
    run(0x1ac20c25u /* sdiv w5, w1, w2 */);
    EXPECT_EQ(cpu.x[5], 0x80000000u);
    cpu.x[1] = 0xfffffff9;           // -7 as W
    cpu.x[2] = 2;
    run(0x1ac20c26u /* sdiv w6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0xfffffffdu);
    cpu.x[1] = 7;
    cpu.x[2] = (uint64_t)-2ll;
    run(0x9ac20c27u /* sdiv x7, x1, x2 */);
    EXPECT_EQ(cpu.x[7], (uint64_t)-3ll);
    cpu.x[1] = 5;
    cpu.x[2] = kAllOnes;
    run(0x9ac20c28u /* sdiv x8, x1, x2 */);
    EXPECT_EQ(cpu.x[8], (uint64_t)-5ll);
}

// ---- Data-processing (2 source): variable shifts ----

TEST_F(DataProc, VariableShiftsTakeAmountModuloSize)
{
    cpu.x[1] = 0x8000000000000001ull;
    cpu.x[2] = 64;
    run(0x9ac22020u /* lslv x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 0x8000000000000001ull);
    cpu.x[2] = 63;
    run(0x9ac22023u /* lsl x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], kInt64Min);
    run(0x9ac22424u /* lsr x4, x1, x2 */);
    EXPECT_EQ(cpu.x[4], 1u);
    run(0x9ac22825u /* asr x5, x1, x2 */);
    EXPECT_EQ(cpu.x[5], kAllOnes);
    cpu.x[2] = 65;
    run(0x9ac22c26u /* ror x6, x1, x2 */);
    EXPECT_EQ(cpu.x[6], 0xc000000000000000ull);
    cpu.x[2] = 0;
    run(0x9ac22c27u /* ror x7, x1, x2 */);
    EXPECT_EQ(cpu.x[7], 0x8000000000000001ull);
}

TEST_F(DataProc, VariableShiftsW)
{
    cpu.x[1] = kGarbageHigh | 0x80000001;
    cpu.x[2] = 32;
    run(0x1ac22020u /* lsl w0, w1, w2 */);
    EXPECT_EQ(cpu.x[0], 0x80000001u);
    cpu.x[2] = 31;
    run(0x1ac22023u /* lsl w3, w1, w2 */);
    EXPECT_EQ(cpu.x[3], 0x80000000u);
    run(0x1ac22424u /* lsr w4, w1, w2 */);
    EXPECT_EQ(cpu.x[4], 1u);
    run(0x1ac22825u /* asr w5, w1, w2 */);
    EXPECT_EQ(cpu.x[5], 0xffffffffu);
    cpu.x[2] = 33;
    run(0x1ac22c26u /* ror w6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0xc0000000u);
    cpu.x[2] = kGarbageHigh | 4;     // only the low 5 bits count
    run(0x1ac22827u /* asr w7, w1, w2 */);
    EXPECT_EQ(cpu.x[7], 0xf8000000u);
}

// ---- CRC32 / CRC32C: check values of "123456789" (init ~0, final ~) ----

class Crc : public DataProc {
protected:
    // Run one CRC instruction of the form crc32?? w0, w0, <r1>.
    uint32_t update(uint32_t insn, uint32_t crc, uint64_t value)
    {
        cpu.x[0] = crc;
        cpu.x[1] = value;
        run(insn);
        EXPECT_EQ(cpu.x[0] >> 32, 0u);
        return (uint32_t)cpu.x[0];
    }
    static uint64_t bytes_le(const char *s, unsigned n)
    {
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++) v |= (uint64_t)(uint8_t)s[i] << (8 * i);
        return v;
    }
};

TEST_F(Crc, Crc32ByteFormsGiveCheckValue)
{
    const char *msg = "123456789";
    uint32_t crc = 0xffffffff;
    for (unsigned i = 0; i < 9; i++)
        crc = update(0x1ac14000u /* crc32b w0, w0, w1 */, crc, (uint8_t)msg[i]);
    EXPECT_EQ(~crc, 0xcbf43926u);
}

TEST_F(Crc, Crc32cByteFormsGiveCheckValue)
{
    const char *msg = "123456789";
    uint32_t crc = 0xffffffff;
    for (unsigned i = 0; i < 9; i++)
        crc = update(0x1ac15000u /* crc32cb w0, w0, w1 */, crc, (uint8_t)msg[i]);
    EXPECT_EQ(~crc, 0xe3069283u);
}

TEST_F(Crc, Crc32WiderFormsMatchByteForms)
{
    const char *msg = "123456789";
    uint32_t crc = update(0x9ac14c00u /* crc32x w0, w0, x1 */, 0xffffffff, bytes_le(msg, 8));
    crc = update(0x1ac14000u /* crc32b w0, w0, w1 */, crc, (uint8_t)msg[8]);
    EXPECT_EQ(~crc, 0xcbf43926u);
    crc = update(0x1ac14800u /* crc32w w0, w0, w1 */, 0xffffffff, kGarbageHigh | bytes_le(msg, 4));
    crc = update(0x1ac14400u /* crc32h w0, w0, w1 */, crc, 0xffff0000u | bytes_le(msg + 4, 2));
    crc = update(0x1ac14400u /* crc32h w0, w0, w1 */, crc, bytes_le(msg + 6, 2));
    crc = update(0x1ac14000u /* crc32b w0, w0, w1 */, crc, 0xffffff00u | (uint8_t)msg[8]);
    EXPECT_EQ(~crc, 0xcbf43926u);
}

TEST_F(Crc, Crc32cWiderFormsMatchByteForms)
{
    const char *msg = "123456789";
    uint32_t crc = update(0x9ac15c00u /* crc32cx w0, w0, x1 */, 0xffffffff, bytes_le(msg, 8));
    crc = update(0x1ac15000u /* crc32cb w0, w0, w1 */, crc, (uint8_t)msg[8]);
    EXPECT_EQ(~crc, 0xe3069283u);
    crc = update(0x1ac15800u /* crc32cw w0, w0, w1 */, 0xffffffff, bytes_le(msg, 4));
    crc = update(0x1ac15400u /* crc32ch w0, w0, w1 */, crc, bytes_le(msg + 4, 2));
    crc = update(0x1ac15400u /* crc32ch w0, w0, w1 */, crc, 0xffff0000u | bytes_le(msg + 6, 2));
    crc = update(0x1ac15000u /* crc32cb w0, w0, w1 */, crc, (uint8_t)msg[8]);
    EXPECT_EQ(~crc, 0xe3069283u);
}

TEST_F(Crc, Crc32AccumulatorUsesOnlyLow32Bits)
{
    // CRC32 of a single zero byte with init ~0: known value 0xD202EF8D after final inversion.
    uint32_t crc = update(0x1ac14000u /* crc32b w0, w0, w1 */, 0xffffffff, 0);
    EXPECT_EQ(~crc, 0xd202ef8du);
    cpu.x[2] = 0xffffffffffffffffull;  // upper half of the accumulator is ignored
    cpu.x[1] = 0;
    run(0x1ac14043u /* crc32b w3, w2, w1 */);
    EXPECT_EQ(cpu.x[3], (uint64_t)(uint32_t)~0xd202ef8du);
}

TEST_F(Crc, Crc32ReservedSizeCombinationsUndefined)
{
    expect_undefined(0x1ac24c20u);  // crc32x with sf = 0
    expect_undefined(0x9ac24020u);  // crc32b with sf = 1
    expect_undefined(0x9ac25420u);  // crc32ch with sf = 1
    expect_undefined(0x1ac25c20u);  // crc32cx with sf = 0
}

TEST_F(DataProc, TwoSourceReservedUndefined)
{
    expect_undefined(0x3ac20820u);  // udiv w0, w1, w2 with S = 1
    expect_undefined(0x9ac23020u);  // PACGA (FEAT_PAuth)
    expect_undefined(0x9ac21020u);  // IRG (FEAT_MTE)
    expect_undefined(0x9ac20020u);  // SUBP (FEAT_MTE)
    expect_undefined(0x1ac20020u);  // opcode 000000, sf = 0
    expect_undefined(0x1ac20420u);  // opcode 000001
    expect_undefined(0x1ac26020u);  // opcode 011000 (SMAX, FEAT_CSSC)
}

// ---- Data-processing (3 source) ----

TEST_F(DataProc, MaddMsubMulMneg)
{
    cpu.x[1] = 3;
    cpu.x[2] = 4;
    cpu.x[3] = 5;
    run(0x9b020c20u /* madd x0, x1, x2, x3 */);
    EXPECT_EQ(cpu.x[0], 17u);
    run(0x9b028c24u /* msub x4, x1, x2, x3 */);
    EXPECT_EQ(cpu.x[4], (uint64_t)-7ll);
    run(0x9b02fc25u /* mneg x5, x1, x2 */);
    EXPECT_EQ(cpu.x[5], (uint64_t)-12ll);
    cpu.x[1] = kGarbageHigh | 0x10000;
    cpu.x[2] = kGarbageHigh | 0x10001;
    run(0x1b027c26u /* mul w6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0x10000u);
    cpu.x[3] = kGarbageHigh | 1;
    run(0x1b028c27u /* msub w7, w1, w2, w3 */);
    EXPECT_EQ(cpu.x[7], 0xffff0001u);
    cpu.x[1] = 0x100000000ull;
    cpu.x[2] = 0x100000000ull;
    run(0x9b027c28u /* mul x8, x1, x2 */);
    EXPECT_EQ(cpu.x[8], 0u);
}

TEST_F(DataProc, SignedLongMultiplyAccumulate)
{
    cpu.x[1] = kGarbageHigh | 0xfffffffe;   // -2
    cpu.x[2] = kGarbageHigh | 3;
    cpu.x[3] = 10;
    run(0x9b220c20u /* smaddl x0, w1, w2, x3 */);
    EXPECT_EQ(cpu.x[0], 4u);
    run(0x9b227c24u /* smull x4, w1, w2 */);
    EXPECT_EQ(cpu.x[4], (uint64_t)-6ll);
    run(0x9b228c25u /* smsubl x5, w1, w2, x3 */);
    EXPECT_EQ(cpu.x[5], 16u);
    cpu.x[1] = 0x80000000;
    cpu.x[2] = 0x80000000;
    run(0x9b227c26u /* smull x6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0x4000000000000000ull);
    run(0x9b22fc27u /* smnegl x7, w1, w2 */);
    EXPECT_EQ(cpu.x[7], 0xc000000000000000ull);
}

TEST_F(DataProc, UnsignedLongMultiplyAccumulate)
{
    cpu.x[1] = kGarbageHigh | 0xffffffff;
    cpu.x[2] = kGarbageHigh | 0xffffffff;
    cpu.x[3] = 2;
    run(0x9ba20c20u /* umaddl x0, w1, w2, x3 */);
    EXPECT_EQ(cpu.x[0], 0xfffffffe00000003ull);
    run(0x9ba27c24u /* umull x4, w1, w2 */);
    EXPECT_EQ(cpu.x[4], 0xfffffffe00000001ull);
    run(0x9ba28c25u /* umsubl x5, w1, w2, x3 */);
    EXPECT_EQ(cpu.x[5], 2 - 0xfffffffe00000001ull);
    run(0x9ba2fc26u /* umnegl x6, w1, w2 */);
    EXPECT_EQ(cpu.x[6], 0 - 0xfffffffe00000001ull);
}

TEST_F(DataProc, MultiplyHigh)
{
    cpu.x[1] = kAllOnes;
    cpu.x[2] = kAllOnes;
    run(0x9b427c20u /* smulh x0, x1, x2 */);
    EXPECT_EQ(cpu.x[0], 0u);                       // (-1)(-1) = 1
    run(0x9bc27c23u /* umulh x3, x1, x2 */);
    EXPECT_EQ(cpu.x[3], 0xfffffffffffffffeull);    // (2^64-1)^2 >> 64
    cpu.x[1] = kInt64Min;
    cpu.x[2] = kInt64Min;
    run(0x9b427c24u /* smulh x4, x1, x2 */);
    EXPECT_EQ(cpu.x[4], 0x4000000000000000ull);    // 2^126 >> 64
    run(0x9bc27c25u /* umulh x5, x1, x2 */);
    EXPECT_EQ(cpu.x[5], 0x4000000000000000ull);
    cpu.x[1] = kAllOnes;
    cpu.x[2] = 1;
    run(0x9b427c26u /* smulh x6, x1, x2 */);
    EXPECT_EQ(cpu.x[6], kAllOnes);                 // -1 sign-extends into the high half
    cpu.x[1] = kInt64Min;
    cpu.x[2] = 2;
    run(0x9b427c27u /* smulh x7, x1, x2 */);
    EXPECT_EQ(cpu.x[7], kAllOnes);                 // -2^64
    run(0x9bc27c28u /* umulh x8, x1, x2 */);
    EXPECT_EQ(cpu.x[8], 1u);
    cpu.x[1] = 0x123456789abcdef0ull;
    cpu.x[2] = 0xfedcba9876543210ull;
    run(0x9bc27c29u /* umulh x9, x1, x2 */);
    EXPECT_EQ(cpu.x[9], 0x121fa00ad77d7422ull);
    run(0x9b427c2au /* smulh x10, x1, x2 */);                   // x2 < 0: high part is umulh - x1
    EXPECT_EQ(cpu.x[10], 0x121fa00ad77d7422ull - 0x123456789abcdef0ull);
}

TEST_F(DataProc, ThreeSourceReservedUndefined)
{
    expect_undefined(0x1b220c20u);  // smaddl with sf = 0
    expect_undefined(0x1ba20c20u);  // umaddl with sf = 0
    expect_undefined(0x1b427c20u);  // smulh with sf = 0
    expect_undefined(0x9b42fc20u);  // smulh with o0 = 1
    expect_undefined(0x9bc2fc20u);  // umulh with o0 = 1
    expect_undefined(0xbb020c20u);  // op54 = 01
    expect_undefined(0x9b620c20u);  // op31 = 011
    expect_undefined(0x9b820c20u);  // op31 = 100
    expect_undefined(0x9be20c20u);  // op31 = 111
}

TEST_F(DataProc, RegisterGroupUnallocatedOp2Undefined)
{
    expect_undefined(0x1a200000u);  // op1 = 1, op2 = 0001
    expect_undefined(0x1a600000u);  // op2 = 0011
    expect_undefined(0x1aa00000u);  // op2 = 0101
    expect_undefined(0x1ae00000u);  // op2 = 0111
}

// ---- counting: a long sequence retires one instruction per step ----

TEST_F(DataProc, StraightLineFactorialRetiresEachInstruction)
{
    // x0 = 5 * 4 * 3 * 2; checks PC advance and the retire count over several instructions.
    code({
        0xd2800020u /* mov x0, #1 */,
        0xd28000a1u /* mov x1, #5 */,
        0x9b017c00u /* mul x0, x0, x1 */,
        0xd1000421u /* sub x1, x1, #1 */,
        0x9b017c00u /* mul x0, x0, x1 */,
        0xd1000421u /* sub x1, x1, #1 */,
        0x9b017c00u /* mul x0, x0, x1 */,
        0xd1000421u /* sub x1, x1, #1 */,
        0x9b017c00u /* mul x0, x0, x1 */,
        0xf1000421u /* subs x1, x1, #1 */,
    });
    step(10);
    EXPECT_EQ(cpu.x[0], 120u);
    EXPECT_EQ(cpu.x[1], 1u);
    EXPECT_EQ(nzcv(), kC);
    EXPECT_EQ(cpu.pc, kCode + 40);
    EXPECT_EQ(cpu.ctr.insts, 10u);
}

}  // namespace
