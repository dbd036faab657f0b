// Exclusives and the local monitor (ARM ARM B2.9), load-acquire/store-release and LORegion forms,
// compare-and-swap (pair) and the LSE atomic memory operations (C6.2). Encodings come from
// aarch64-linux-gnu-as -march=armv8.1-a; expected values follow the ARM ARM descriptions.
#include "a64_harness.h"

namespace {

class Atomics : public A64Test {
protected:
    void put_sized(uint64_t pa, unsigned bytes, uint64_t v) { std::memcpy(&ram[pa - kRamBase], &v, bytes); }
    uint64_t get_sized(uint64_t pa, unsigned bytes) const
    {
        uint64_t v = 0;
        std::memcpy(&v, &ram[pa - kRamBase], bytes);
        return v;
    }
    // Back to the entry point with no exception state, for table-driven tests.
    void rewind() { cpu.pc = kCode; }
};

constexpr uint64_t kUnmapped = 0x20000000;
constexpr uint32_t kEsrAlignLoad = 0x96000021;   // EC 0x25, IL, DFSC 0x21
constexpr uint32_t kEsrAlignStore = 0x96000061;  // ... WnR
constexpr uint32_t kEsrExtLoad = 0x96000010;     // DFSC 0x10
constexpr uint32_t kEsrSpAlign = 0x9a000000;     // EC 0x26
constexpr uint32_t kEsrUndef = 0x02000000;

// ---------------------------------------------------------------- exclusives

constexpr uint32_t kLdxrX = 0xc85f7c41;    // ldxr x1, [x2]
constexpr uint32_t kStxrX = 0xc8037c44;    // stxr w3, x4, [x2]
constexpr uint32_t kLdxrW = 0x885f7c41;    // ldxr w1, [x2]
constexpr uint32_t kStxrW = 0x88037c44;    // stxr w3, w4, [x2]
constexpr uint32_t kStrX9 = 0xf9000049;    // str x9, [x2]
constexpr uint32_t kLdxpX = 0xc87f1441;    // ldxp x1, x5, [x2]
constexpr uint32_t kStxpX = 0xc8231844;    // stxp w3, x4, x6, [x2]
constexpr uint32_t kLdxpW = 0x887f1441;    // ldxp w1, w5, [x2]
constexpr uint32_t kStxpW = 0x88231844;    // stxp w3, w4, w6, [x2]

TEST_F(Atomics, LdxrStxrPass)
{
    put64(kData, 0x1111);
    cpu.x[2] = kData;
    cpu.x[4] = 0x2222;
    cpu.x[3] = 0x77;
    run(kLdxrX);
    EXPECT_EQ(cpu.x[1], 0x1111u);
    EXPECT_TRUE(cpu.excl_valid);
    EXPECT_EQ(cpu.excl_addr, kData);
    EXPECT_EQ(cpu.excl_size, 8u);
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 0u);               // status 0: the store happened
    EXPECT_EQ(get64(kData), 0x2222u);
    EXPECT_FALSE(cpu.excl_valid);          // and the monitor is back to Open Access
}

TEST_F(Atomics, StxrWithoutReservationFails)
{
    put64(kData, 0x1111);
    cpu.x[2] = kData;
    cpu.x[4] = 0x2222;
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
    EXPECT_EQ(get64(kData), 0x1111u);
}

TEST_F(Atomics, SecondStxrFailsBecauseEveryStxrClearsTheMonitor)
{
    cpu.x[2] = kData;
    cpu.x[4] = 5;
    run(kLdxrX);
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 0u);
    cpu.x[4] = 6;
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
    EXPECT_EQ(get64(kData), 5u);
}

// The test: a plain store to the reserved address clears the monitor.
TEST_F(Atomics, PlainStoreToReservedAddressClearsMonitor)
{
    put64(kData, 0x1111);
    cpu.x[2] = kData;
    cpu.x[4] = 0x2222;
    cpu.x[9] = 0x9999;
    run(kLdxrX);
    run(kStrX9);
    EXPECT_FALSE(cpu.excl_valid);
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
    EXPECT_EQ(get64(kData), 0x9999u);      // the plain store's value stays
}

TEST_F(Atomics, OverlappingByteStoreClearsMonitor)
{
    cpu.x[2] = kData;
    run(kLdxrX);
    cpu.x[7] = kData + 7;
    run(0x390000e1);                        // strb w1, [x7]
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
}

TEST_F(Atomics, StoreOutsideReservationKeepsMonitor)
{
    cpu.x[2] = kData;
    cpu.x[4] = 0x44;
    run(kLdxrX);
    cpu.x[7] = kData + 8;
    run(0x390000e1);                        // strb w1, [x7]: next doubleword
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData), 0x44u);
}

TEST_F(Atomics, StxrToOtherAddressFailsAndClears)
{
    put64(kData + 8, 0xabc);
    cpu.x[2] = kData;
    run(kLdxrX);
    cpu.x[2] = kData + 8;
    cpu.x[4] = 1;
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
    EXPECT_EQ(get64(kData + 8), 0xabcu);
    cpu.x[2] = kData;
    run(kStxrX);                           // the failed STXR cleared the monitor too
    EXPECT_EQ(cpu.x[3], 1u);
}

TEST_F(Atomics, StxrOfOtherSizeFails)
{
    cpu.x[2] = kData;
    run(kLdxrW);
    run(kStxrX);
    EXPECT_EQ(cpu.x[3], 1u);
}

TEST_F(Atomics, ExclusivesOfEverySize)
{
    const struct { uint32_t ld, st; const char *text; unsigned bytes; } cases[] = {
        {0x085f7c41, 0x08037c44, "ldxrb/stxrb", 1},
        {0x485f7c41, 0x48037c44, "ldxrh/stxrh", 2},
        {0x885f7c41, 0x88037c44, "ldxr/stxr w", 4},
        {0xc85f7c41, 0xc8037c44, "ldxr/stxr x", 8},
        {0x085ffc41, 0x0803fc44, "ldaxrb/stlxrb", 1},
        {0x485ffc41, 0x4803fc44, "ldaxrh/stlxrh", 2},
        {0x885ffc41, 0x8803fc44, "ldaxr/stlxr w", 4},
        {0xc85ffc41, 0xc803fc44, "ldaxr/stlxr x", 8},
    };
    for (const auto &c : cases) {
        put64(kData, 0x8877665544332211ull);
        put64(kData + 8, 0);
        rewind();
        cpu.x[1] = ~0ull;
        cpu.x[2] = kData;
        cpu.x[4] = 0xf0e0d0c0b0a09080ull;
        run(c.ld);
        uint64_t mask = c.bytes == 8 ? ~0ull : (1ull << (8 * c.bytes)) - 1;
        EXPECT_EQ(cpu.x[1], 0x8877665544332211ull & mask) << c.text;  // zero-extended
        EXPECT_EQ(cpu.excl_size, c.bytes) << c.text;
        run(c.st);
        EXPECT_EQ(cpu.x[3], 0u) << c.text;
        uint64_t expect = (0x8877665544332211ull & ~mask) | (0xf0e0d0c0b0a09080ull & mask);
        EXPECT_EQ(get64(kData), expect) << c.text;
    }
}

TEST_F(Atomics, StxrMisalignedTakesAlignmentFaultAndLeavesStatus)
{
    cpu.x[2] = kData + 4;
    cpu.x[3] = 0x77;
    run_faulting(kStxrX);
    EXPECT_EQ(esr(), kEsrAlignStore);
    EXPECT_EQ(cpu.sys.far_el1, kData + 4);
    EXPECT_EQ(cpu.x[3], 0x77u);
}

TEST_F(Atomics, LdxrMisalignedTakesAlignmentFault)
{
    cpu.x[2] = kData + 2;
    cpu.x[1] = 0x55;
    run_faulting(kLdxrW);
    EXPECT_EQ(esr(), kEsrAlignLoad);
    EXPECT_EQ(cpu.x[1], 0x55u);
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(Atomics, StxrWithoutReservationToUnmappedAddressFailsQuietly)
{
    cpu.x[2] = kUnmapped;
    run(kStxrX);                           // no store is attempted
    EXPECT_EQ(cpu.x[3], 1u);
}

TEST_F(Atomics, ExclusivesOnMmio)
{
    cpu.x[2] = kMmioBase + 0x40;
    cpu.x[4] = 0xbeef;
    run(kLdxrW);
    EXPECT_EQ(cpu.x[1], 0x1234u);
    run(kStxrW);
    EXPECT_EQ(cpu.x[3], 0u);
    ASSERT_EQ(mmio.size(), 2u);
    EXPECT_FALSE(mmio[0].write);
    EXPECT_EQ(mmio[0].size, 4u);
    EXPECT_TRUE(mmio[1].write);
    EXPECT_EQ(mmio[1].size, 4u);
    EXPECT_EQ(mmio[1].value, 0xbeefu);
}

TEST_F(Atomics, ExclusiveWithSpBase)
{
    put64(kData, 3);
    cpu.sys.sp_el1 = kData;
    cpu.x[4] = 4;
    run(0xc85f7fe1);                       // ldxr x1, [sp]
    run(0xc8037fe4);                       // stxr w3, x4, [sp]
    EXPECT_EQ(cpu.x[1], 3u);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData), 4u);
    cpu.sys.sp_el1 = kData + 8;
    run_faulting(0xc85f7fe1);
    EXPECT_EQ(esr(), kEsrSpAlign);
}

// STXR with Rs == Rt is CONSTRAINED UNPREDICTABLE: the original register value is stored.
TEST_F(Atomics, StxrStatusRegisterEqualToDataRegister)
{
    cpu.x[2] = kData;
    cpu.x[4] = 0x4444;
    run(kLdxrX);
    run(0xc8047c44);                       // stxr w4, x4, [x2]
    EXPECT_EQ(get64(kData), 0x4444u);
    EXPECT_EQ(cpu.x[4], 0u);
}

// ---------------------------------------------------------------- exclusive pairs

TEST_F(Atomics, LdxpStxpXPass)
{
    put64(kData, 0xa); put64(kData + 8, 0xb);
    cpu.x[2] = kData;
    cpu.x[4] = 0xc; cpu.x[6] = 0xd;
    run(kLdxpX);
    EXPECT_EQ(cpu.x[1], 0xau);
    EXPECT_EQ(cpu.x[5], 0xbu);
    EXPECT_EQ(cpu.excl_size, 16u);
    run(kStxpX);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData), 0xcu);
    EXPECT_EQ(get64(kData + 8), 0xdu);
}

TEST_F(Atomics, LdxpStxpWPass)
{
    put64(kData, 0x2222222211111111ull);
    cpu.x[2] = kData;
    cpu.x[1] = cpu.x[5] = ~0ull;
    cpu.x[4] = 0xffffffff33333333ull; cpu.x[6] = 0x44444444;
    run(kLdxpW);
    EXPECT_EQ(cpu.x[1], 0x11111111u);      // Rt from the lower address
    EXPECT_EQ(cpu.x[5], 0x22222222u);
    EXPECT_EQ(cpu.excl_size, 8u);
    run(kStxpW);
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData), 0x4444444433333333ull);
}

TEST_F(Atomics, AcquireReleasePairsDecode)
{
    put64(kData, 1); put64(kData + 8, 2);
    cpu.x[2] = kData;
    cpu.x[4] = 3; cpu.x[6] = 4;
    run(0xc87f9441);                       // ldaxp x1, x5, [x2]
    EXPECT_EQ(cpu.x[5], 2u);
    run(0xc8239844);                       // stlxp w3, x4, x6, [x2]
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData + 8), 4u);
    run(0x887f9441);                       // ldaxp w1, w5, [x2]
    EXPECT_EQ(cpu.x[1], 3u);
    EXPECT_EQ(cpu.x[5], 0u);
    run(0x88239844);                       // stlxp w3, w4, w6, [x2]
    EXPECT_EQ(cpu.x[3], 0u);
    EXPECT_EQ(get64(kData), 0x0000000400000003ull);
}

TEST_F(Atomics, LdxpXMustBeAlignedToSixteen)
{
    cpu.x[2] = kData + 8;
    run_faulting(kLdxpX);
    EXPECT_EQ(esr(), kEsrAlignLoad);
    EXPECT_EQ(cpu.sys.far_el1, kData + 8);
}

TEST_F(Atomics, LdxpWMustBeAlignedToEight)
{
    cpu.x[2] = kData + 4;
    run_faulting(kLdxpW);
    EXPECT_EQ(esr(), kEsrAlignLoad);
}

TEST_F(Atomics, StxpAfterSingleLdxrFails)
{
    cpu.x[2] = kData;
    run(kLdxrX);
    run(kStxpX);
    EXPECT_EQ(cpu.x[3], 1u);
}

TEST_F(Atomics, StoreToSecondHalfOfReservedPairClearsMonitor)
{
    cpu.x[2] = kData;
    run(kLdxpX);
    cpu.x[7] = kData + 8;
    run(0xf90000e9);                       // str x9, [x7]
    run(kStxpX);
    EXPECT_EQ(cpu.x[3], 1u);
}

// ---------------------------------------------------------------- load-acquire / store-release

TEST_F(Atomics, LoadAcquireAndLoadLoAcquireAllSizes)
{
    put64(kData, 0x8877665544332211ull);
    const struct { uint32_t insn; const char *text; uint64_t expected; } cases[] = {
        {0xc8dffc41, "ldar x1, [x2]", 0x8877665544332211ull},
        {0x88dffc41, "ldar w1, [x2]", 0x44332211},
        {0x48dffc41, "ldarh w1, [x2]", 0x2211},
        {0x08dffc41, "ldarb w1, [x2]", 0x11},
        {0xc8df7c41, "ldlar x1, [x2]", 0x8877665544332211ull},
        {0x88df7c41, "ldlar w1, [x2]", 0x44332211},
        {0x48df7c41, "ldlarh w1, [x2]", 0x2211},
        {0x08df7c41, "ldlarb w1, [x2]", 0x11},
    };
    for (const auto &c : cases) {
        rewind();
        cpu.x[1] = ~0ull;
        cpu.x[2] = kData;
        run(c.insn);
        EXPECT_EQ(cpu.x[1], c.expected) << c.text;
    }
}

TEST_F(Atomics, StoreReleaseAndStoreLoReleaseAllSizes)
{
    const struct { uint32_t insn; const char *text; uint64_t expected; } cases[] = {
        {0xc89ffc41, "stlr x1, [x2]", 0x1122334455667788ull},
        {0x889ffc41, "stlr w1, [x2]", 0xa5a5a5a555667788ull},
        {0x489ffc41, "stlrh w1, [x2]", 0xa5a5a5a5a5a57788ull},
        {0x089ffc41, "stlrb w1, [x2]", 0xa5a5a5a5a5a5a588ull},
        {0xc89f7c41, "stllr x1, [x2]", 0x1122334455667788ull},
        {0x889f7c41, "stllr w1, [x2]", 0xa5a5a5a555667788ull},
        {0x489f7c41, "stllrh w1, [x2]", 0xa5a5a5a5a5a57788ull},
        {0x089f7c41, "stllrb w1, [x2]", 0xa5a5a5a5a5a5a588ull},
    };
    for (const auto &c : cases) {
        rewind();
        put64(kData, 0xa5a5a5a5a5a5a5a5ull);
        cpu.x[1] = 0x1122334455667788ull;
        cpu.x[2] = kData;
        run(c.insn);
        EXPECT_EQ(get64(kData), c.expected) << c.text;
    }
}

TEST_F(Atomics, StoreReleaseClearsOverlappingReservation)
{
    cpu.x[2] = kData;
    run(kLdxrX);
    run(0x089ffc41);                       // stlrb w1, [x2]
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(Atomics, MisalignedAcquireReleaseFaults)
{
    cpu.x[2] = kData + 2;
    run_faulting(0x88dffc41);              // ldar w1, [x2]
    EXPECT_EQ(esr(), kEsrAlignLoad);
    rewind();
    cpu.x[2] = kData + 1;
    run_faulting(0x489ffc41);              // stlrh w1, [x2]
    EXPECT_EQ(esr(), kEsrAlignStore);
    EXPECT_EQ(cpu.sys.far_el1, kData + 1);
}

// ---------------------------------------------------------------- compare and swap

struct CasForm {
    uint32_t insn;
    const char *text;
    unsigned bytes;
};
// cas* w1/x1, w3/x3, [x2]: Rs = 1 (compare, receives old), Rt = 3 (new value)
const CasForm kCasForms[] = {
    {0x08a17c43, "casb", 1}, {0x08e17c43, "casab", 1}, {0x08a1fc43, "caslb", 1}, {0x08e1fc43, "casalb", 1},
    {0x48a17c43, "cash", 2}, {0x48e17c43, "casah", 2}, {0x48a1fc43, "caslh", 2}, {0x48e1fc43, "casalh", 2},
    {0x88a17c43, "cas w", 4}, {0x88e17c43, "casa w", 4}, {0x88a1fc43, "casl w", 4}, {0x88e1fc43, "casal w", 4},
    {0xc8a17c43, "cas x", 8}, {0xc8e17c43, "casa x", 8}, {0xc8a1fc43, "casl x", 8}, {0xc8e1fc43, "casal x", 8},
};

TEST_F(Atomics, CasSucceedsForEverySizeAndOrdering)
{
    for (const auto &f : kCasForms) {
        uint64_t mask = f.bytes == 8 ? ~0ull : (1ull << (8 * f.bytes)) - 1;
        uint64_t old = 0x8182838485868788ull & mask;
        rewind();
        put64(kData, 0xa5a5a5a5a5a5a5a5ull);
        put_sized(kData, f.bytes, old);
        // Bits of Ws above the access size do not take part in the comparison.
        cpu.x[1] = f.bytes == 8 ? old : (0xffffffffull & ~mask) | old;
        cpu.x[3] = 0x0102030405060708ull;
        cpu.x[2] = kData;
        run(f.insn);
        EXPECT_EQ(get_sized(kData, f.bytes), 0x0102030405060708ull & mask) << f.text;
        EXPECT_EQ(cpu.x[1], old) << f.text;   // old value, zero-extended
        if (f.bytes < 8) {
            EXPECT_EQ(get_sized(kData + f.bytes, 8 - f.bytes),
                      0xa5a5a5a5a5a5a5a5ull >> (8 * f.bytes)) << f.text;
        }
    }
}

TEST_F(Atomics, CasFailsForEverySizeAndOrdering)
{
    for (const auto &f : kCasForms) {
        uint64_t mask = f.bytes == 8 ? ~0ull : (1ull << (8 * f.bytes)) - 1;
        uint64_t old = 0x8182838485868788ull & mask;
        rewind();
        put64(kData, 0);
        put_sized(kData, f.bytes, old);
        cpu.x[1] = old ^ 1;                  // differs in the lowest bit
        cpu.x[3] = 0x0102030405060708ull;
        cpu.x[2] = kData;
        run(f.insn);
        EXPECT_EQ(get_sized(kData, f.bytes), old) << f.text;   // memory unchanged
        EXPECT_EQ(cpu.x[1], old) << f.text;                    // Rs gets the value read
    }
}

TEST_F(Atomics, FailedCasDoesNotClearReservationButSuccessfulCasDoes)
{
    put64(kData, 5);
    cpu.x[2] = kData;
    run(kLdxrX);
    cpu.x[1] = 6; cpu.x[3] = 7;
    run(0xc8a17c43);                       // cas x1, x3, [x2]: fails, no write
    EXPECT_TRUE(cpu.excl_valid);
    cpu.x[1] = 5;
    run(0xc8a17c43);                       // succeeds: writes the reserved location
    EXPECT_FALSE(cpu.excl_valid);
    EXPECT_EQ(get64(kData), 7u);
}

TEST_F(Atomics, CasMisalignedFaultsAndKeepsRs)
{
    cpu.x[1] = 0x11;
    cpu.x[2] = kData + 4;
    run_faulting(0xc8a17c43);              // cas x1, x3, [x2]
    EXPECT_EQ(esr(), kEsrAlignLoad);       // WnR = 0: a read of the location faults too
    EXPECT_EQ(cpu.sys.far_el1, kData + 4);
    EXPECT_EQ(cpu.x[1], 0x11u);
}

TEST_F(Atomics, CasOnMmioWritesOnlyOnSuccess)
{
    cpu.x[2] = kMmioBase;
    cpu.x[1] = 0x1233;                     // the bus answers 0x1234: fails
    cpu.x[3] = 0x99;
    run(0x88a17c43);                       // cas w1, w3, [x2]
    ASSERT_EQ(mmio.size(), 1u);
    EXPECT_FALSE(mmio[0].write);
    EXPECT_EQ(cpu.x[1], 0x1234u);
    run(0x88a17c43);                       // now Ws = 0x1234: succeeds
    ASSERT_EQ(mmio.size(), 3u);
    EXPECT_TRUE(mmio[2].write);
    EXPECT_EQ(mmio[2].size, 4u);
    EXPECT_EQ(mmio[2].value, 0x99u);
}

TEST_F(Atomics, CasWithSpBase)
{
    put64(kData, 8);
    cpu.sys.sp_el1 = kData;
    cpu.x[1] = 8; cpu.x[3] = 9;
    run(0xc8a17fe3);                       // cas x1, x3, [sp]
    EXPECT_EQ(get64(kData), 9u);
}

// casp* x4, x5, x6, x7, [x2] / w4, w5, w6, w7
const CasForm kCaspForms[] = {
    {0x48247c46, "casp x", 8}, {0x48647c46, "caspa x", 8}, {0x4824fc46, "caspl x", 8}, {0x4864fc46, "caspal x", 8},
    {0x08247c46, "casp w", 4}, {0x08647c46, "caspa w", 4}, {0x0824fc46, "caspl w", 4}, {0x0864fc46, "caspal w", 4},
};

TEST_F(Atomics, CaspSucceedsAndFails)
{
    for (const auto &f : kCaspForms) {
        uint64_t mask = f.bytes == 8 ? ~0ull : 0xffffffffull;
        uint64_t lo = 0x1111111111111111ull & mask, hi = 0x2222222222222222ull & mask;
        // success
        rewind();
        put64(kData, 0); put64(kData + 8, 0);
        put_sized(kData, f.bytes, lo);
        put_sized(kData + f.bytes, f.bytes, hi);
        cpu.x[2] = kData;
        cpu.x[4] = lo; cpu.x[5] = hi;
        cpu.x[6] = 0x3333333333333333ull; cpu.x[7] = 0x4444444444444444ull;
        run(f.insn);
        EXPECT_EQ(get_sized(kData, f.bytes), 0x3333333333333333ull & mask) << f.text;
        EXPECT_EQ(get_sized(kData + f.bytes, f.bytes), 0x4444444444444444ull & mask) << f.text;
        EXPECT_EQ(cpu.x[4], lo) << f.text;
        EXPECT_EQ(cpu.x[5], hi) << f.text;
        // failure: only the second element differs
        rewind();
        cpu.x[4] = 0x3333333333333333ull & mask;
        cpu.x[5] = 0;
        cpu.x[6] = 0x5555555555555555ull; cpu.x[7] = 0x6666666666666666ull;
        run(f.insn);
        EXPECT_EQ(get_sized(kData, f.bytes), 0x3333333333333333ull & mask) << f.text;
        EXPECT_EQ(get_sized(kData + f.bytes, f.bytes), 0x4444444444444444ull & mask) << f.text;
        EXPECT_EQ(cpu.x[4], 0x3333333333333333ull & mask) << f.text;
        EXPECT_EQ(cpu.x[5], 0x4444444444444444ull & mask) << f.text;
    }
}

TEST_F(Atomics, CaspWithXzrAsSecondCompareRegister)
{
    put64(kData, 0xaa); put64(kData + 8, 0);
    cpu.x[30] = 0xaa;
    cpu.x[4] = 0xbb; cpu.x[5] = 0xcc;
    cpu.x[2] = kData;
    run(0x483e7c44);                       // casp x30, xzr, x4, x5, [x2]
    EXPECT_EQ(get64(kData), 0xbbu);
    EXPECT_EQ(get64(kData + 8), 0xccu);
    EXPECT_EQ(cpu.x[30], 0xaau);
}

TEST_F(Atomics, CaspOddRegistersAreUndefined)
{
    cpu.x[2] = kData;
    run_faulting(0x48257c46);              // casp with Rs = 5
    EXPECT_EQ(esr(), kEsrUndef);
    rewind();
    run_faulting(0x48247c47);              // casp with Rt = 7
    EXPECT_EQ(esr(), kEsrUndef);
}

TEST_F(Atomics, CaspXMustBeAlignedToSixteen)
{
    cpu.x[2] = kData + 8;
    run_faulting(0x48247c46);
    EXPECT_EQ(esr(), kEsrAlignLoad);
}

// ---------------------------------------------------------------- LSE atomic memory operations

enum { ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN, SWP };

struct LseForms {
    const char *name;
    uint32_t enc[4][4];   // [size B, H, W, X][ordering: none, A, L, AL]; w1/x1, w3/x3, [x2]
};
const LseForms kLse[] = {
    {"ldadd", {{0x38210043, 0x38a10043, 0x38610043, 0x38e10043}, {0x78210043, 0x78a10043, 0x78610043, 0x78e10043}, {0xb8210043, 0xb8a10043, 0xb8610043, 0xb8e10043}, {0xf8210043, 0xf8a10043, 0xf8610043, 0xf8e10043}}},
    {"ldclr", {{0x38211043, 0x38a11043, 0x38611043, 0x38e11043}, {0x78211043, 0x78a11043, 0x78611043, 0x78e11043}, {0xb8211043, 0xb8a11043, 0xb8611043, 0xb8e11043}, {0xf8211043, 0xf8a11043, 0xf8611043, 0xf8e11043}}},
    {"ldeor", {{0x38212043, 0x38a12043, 0x38612043, 0x38e12043}, {0x78212043, 0x78a12043, 0x78612043, 0x78e12043}, {0xb8212043, 0xb8a12043, 0xb8612043, 0xb8e12043}, {0xf8212043, 0xf8a12043, 0xf8612043, 0xf8e12043}}},
    {"ldset", {{0x38213043, 0x38a13043, 0x38613043, 0x38e13043}, {0x78213043, 0x78a13043, 0x78613043, 0x78e13043}, {0xb8213043, 0xb8a13043, 0xb8613043, 0xb8e13043}, {0xf8213043, 0xf8a13043, 0xf8613043, 0xf8e13043}}},
    {"ldsmax", {{0x38214043, 0x38a14043, 0x38614043, 0x38e14043}, {0x78214043, 0x78a14043, 0x78614043, 0x78e14043}, {0xb8214043, 0xb8a14043, 0xb8614043, 0xb8e14043}, {0xf8214043, 0xf8a14043, 0xf8614043, 0xf8e14043}}},
    {"ldsmin", {{0x38215043, 0x38a15043, 0x38615043, 0x38e15043}, {0x78215043, 0x78a15043, 0x78615043, 0x78e15043}, {0xb8215043, 0xb8a15043, 0xb8615043, 0xb8e15043}, {0xf8215043, 0xf8a15043, 0xf8615043, 0xf8e15043}}},
    {"ldumax", {{0x38216043, 0x38a16043, 0x38616043, 0x38e16043}, {0x78216043, 0x78a16043, 0x78616043, 0x78e16043}, {0xb8216043, 0xb8a16043, 0xb8616043, 0xb8e16043}, {0xf8216043, 0xf8a16043, 0xf8616043, 0xf8e16043}}},
    {"ldumin", {{0x38217043, 0x38a17043, 0x38617043, 0x38e17043}, {0x78217043, 0x78a17043, 0x78617043, 0x78e17043}, {0xb8217043, 0xb8a17043, 0xb8617043, 0xb8e17043}, {0xf8217043, 0xf8a17043, 0xf8617043, 0xf8e17043}}},
    {"swp", {{0x38218043, 0x38a18043, 0x38618043, 0x38e18043}, {0x78218043, 0x78a18043, 0x78618043, 0x78e18043}, {0xb8218043, 0xb8a18043, 0xb8618043, 0xb8e18043}, {0xf8218043, 0xf8a18043, 0xf8618043, 0xf8e18043}}},
};
const char *const kOrderings[4] = {"", "a", "l", "al"};

struct LseCase {
    int op;
    unsigned size;     // 0 B, 1 H, 2 W, 3 X
    uint64_t mem;      // memory before
    uint64_t rs;       // the whole Xs register (upper bits must be ignored)
    uint64_t result;   // memory after
};

// Hand-computed from the operation definitions (C6.2 LDADD ... SWP): comparisons of
// LDSMAX/LDSMIN are signed at the access size, LDUMAX/LDUMIN unsigned; LDCLR is mem AND NOT Rs.
const LseCase kLseCases[] = {
    // bytes
    {ADD, 0, 0xff, 0xffffff01, 0x00},
    {ADD, 0, 0x7f, 0x01, 0x80},
    {CLR, 0, 0xf0, 0x3c, 0xc0},
    {EOR, 0, 0xf0, 0x3c, 0xcc},
    {SET, 0, 0xf0, 0x0f, 0xff},
    {SMAX, 0, 0x80, 0x7f, 0x7f},
    {SMAX, 0, 0xff, 0xfe, 0xff},
    {SMAX, 0, 0x01, 0xffffff80, 0x01},
    {SMIN, 0, 0x80, 0x7f, 0x80},
    {SMIN, 0, 0x01, 0xff, 0xff},
    {UMAX, 0, 0x80, 0x7f, 0x80},
    {UMAX, 0, 0x01, 0xff, 0xff},
    {UMIN, 0, 0x80, 0x7f, 0x7f},
    {UMIN, 0, 0xff, 0xfffffffe, 0xfe},
    {SWP, 0, 0x12, 0xabcdef34, 0x34},
    // halfwords
    {ADD, 1, 0xffff, 0x0001, 0x0000},
    {ADD, 1, 0x7fff, 0x0001, 0x8000},
    {CLR, 1, 0xff00, 0x0ff0, 0xf000},
    {EOR, 1, 0xff00, 0x0ff0, 0xf0f0},
    {SET, 1, 0xff00, 0x00ff, 0xffff},
    {SMAX, 1, 0x8000, 0x7fff, 0x7fff},
    {SMAX, 1, 0xffff, 0xfffe, 0xffff},
    {SMIN, 1, 0x8000, 0x7fff, 0x8000},
    {SMIN, 1, 0x0001, 0xffff, 0xffff},
    {UMAX, 1, 0x8000, 0x7fff, 0x8000},
    {UMAX, 1, 0x0001, 0xffff0000, 0x0001},
    {UMIN, 1, 0x8000, 0x7fff, 0x7fff},
    {UMIN, 1, 0x0001, 0xffff, 0x0001},
    {SWP, 1, 0x1234, 0xffff5678, 0x5678},
    // words
    {ADD, 2, 0xffffffff, 1, 0},
    {ADD, 2, 0x7fffffff, 1, 0x80000000},
    {CLR, 2, 0xffff0000, 0x00ffff00, 0xff000000},
    {EOR, 2, 0xffff0000, 0x00ffff00, 0xff00ff00},
    {SET, 2, 0xffff0000, 0x0000ffff, 0xffffffff},
    {SMAX, 2, 0x80000000, 0x7fffffff, 0x7fffffff},
    {SMAX, 2, 0xffffffff, 0x00000001, 0x00000001},
    {SMIN, 2, 0x80000000, 0x7fffffff, 0x80000000},
    {SMIN, 2, 0x00000001, 0xffffffff, 0xffffffff},
    {UMAX, 2, 0x80000000, 0x7fffffff, 0x80000000},
    {UMAX, 2, 0xffffffff, 0x00000001, 0xffffffff},
    {UMIN, 2, 0x80000000, 0x7fffffff, 0x7fffffff},
    {UMIN, 2, 0xffffffff, 0x00000001, 0x00000001},
    {SWP, 2, 0x12345678, 0x9abcdef0, 0x9abcdef0},
    // doublewords
    {ADD, 3, 0xffffffffffffffffull, 1, 0},
    {ADD, 3, 0x7fffffffffffffffull, 1, 0x8000000000000000ull},
    {CLR, 3, 0xffffffff00000000ull, 0x0000ffffffff0000ull, 0xffff000000000000ull},
    {EOR, 3, 0xffffffff00000000ull, 0x0000ffffffff0000ull, 0xffff0000ffff0000ull},
    {SET, 3, 0xffffffff00000000ull, 0x00000000ffffffffull, 0xffffffffffffffffull},
    {SMAX, 3, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x7fffffffffffffffull},
    {SMAX, 3, 0xffffffffffffffffull, 1, 1},
    {SMIN, 3, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull},
    {SMIN, 3, 1, 0xffffffffffffffffull, 0xffffffffffffffffull},
    {UMAX, 3, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull},
    {UMAX, 3, 0xffffffffffffffffull, 1, 0xffffffffffffffffull},
    {UMIN, 3, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x7fffffffffffffffull},
    {UMIN, 3, 0xffffffffffffffffull, 1, 1},
    {SWP, 3, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0xfedcba9876543210ull},
};

TEST_F(Atomics, LseOperationsEverySizeAndOrdering)
{
    for (const auto &c : kLseCases) {
        unsigned bytes = 1u << c.size;
        for (unsigned o = 0; o < 4; o++) {
            std::string what = std::string(kLse[c.op].name) + kOrderings[o] + "BHWX"[c.size] +
                               " mem=" + std::to_string(c.mem) + " rs=" + std::to_string(c.rs);
            rewind();
            put64(kData, 0xa5a5a5a5a5a5a5a5ull);
            put64(kData + 8, 0xa5a5a5a5a5a5a5a5ull);
            put_sized(kData, bytes, c.mem);
            cpu.x[1] = c.rs;
            cpu.x[2] = kData;
            cpu.x[3] = 0x5555555555555555ull;
            run(kLse[c.op].enc[c.size][o]);
            EXPECT_EQ(get_sized(kData, bytes), c.result) << what;
            EXPECT_EQ(cpu.x[3], c.mem) << what;    // old value, zero-extended
            EXPECT_EQ(cpu.x[1], c.rs) << what;     // Rs unchanged
            if (bytes < 8) {
                EXPECT_EQ(get_sized(kData + bytes, 8 - bytes),
                          0xa5a5a5a5a5a5a5a5ull >> (8 * bytes)) << what;
            }
            EXPECT_EQ(get64(kData + 8), 0xa5a5a5a5a5a5a5a5ull) << what;
        }
    }
}

TEST_F(Atomics, StoreAliasesDiscardTheOldValue)
{
    const struct { uint32_t insn; const char *text; unsigned bytes; uint64_t result; } cases[] = {
        {0xb821005f, "stadd w1, [x2]", 4, 0x00000105},
        {0xf861005f, "staddl x1, [x2]", 8, 0x0000000000000105ull},
        {0x3821305f, "stsetb w1, [x2]", 1, 0x05},        // 0x04 | 0x01
        {0xb821105f, "stclr w1, [x2]", 4, 0x04},         // 0x04 & ~0x101
        {0xb861205f, "steorl w1, [x2]", 4, 0x105},
        {0x7821405f, "stsmaxh w1, [x2]", 2, 0x0101},
        {0x3861505f, "stsminlb w1, [x2]", 1, 0x01},
        {0xf821605f, "stumax x1, [x2]", 8, 0x101},
        {0xb861705f, "stuminl w1, [x2]", 4, 0x04},
    };
    for (const auto &c : cases) {
        rewind();
        put64(kData, 0x04);
        std::memset(cpu.x, 0x77, sizeof cpu.x);
        cpu.x[1] = 0x101;
        cpu.x[2] = kData;
        a64_cpu before = cpu;
        run(c.insn);
        EXPECT_EQ(get_sized(kData, c.bytes), c.result) << c.text;
        for (int r = 0; r < 31; r++)
            EXPECT_EQ(cpu.x[r], before.x[r]) << c.text << " x" << r;
    }
}

TEST_F(Atomics, AcquireFormWithXzrDestination)
{
    put64(kData, 10);
    cpu.x[1] = 5;
    cpu.x[2] = kData;
    run(0xf8a1005f);                       // ldadda x1, xzr, [x2]
    EXPECT_EQ(get64(kData), 15u);
}

TEST_F(Atomics, LdaddSameRegisterForOperandAndResult)
{
    put64(kData, 10);
    cpu.x[3] = 5;
    cpu.x[2] = kData;
    run(0xf8230043);                       // ldadd x3, x3, [x2]
    EXPECT_EQ(get64(kData), 15u);
    EXPECT_EQ(cpu.x[3], 10u);
}

TEST_F(Atomics, AtomicClearsOverlappingReservation)
{
    cpu.x[2] = kData;
    run(kLdxrX);
    run(0x38210043);                       // ldaddb w1, w3, [x2]
    EXPECT_FALSE(cpu.excl_valid);
}

TEST_F(Atomics, AtomicOnMmioReadsThenWritesWithItsSize)
{
    cpu.x[1] = 0x10;
    cpu.x[2] = kMmioBase + 0x80;
    run(0x78210043);                       // ldaddh w1, w3, [x2]
    ASSERT_EQ(mmio.size(), 2u);
    EXPECT_FALSE(mmio[0].write);
    EXPECT_EQ(mmio[0].size, 2u);
    EXPECT_TRUE(mmio[1].write);
    EXPECT_EQ(mmio[1].size, 2u);
    EXPECT_EQ(mmio[1].pa, kMmioBase + 0x80);
    EXPECT_EQ(mmio[1].value, 0x1244u);     // the bus reads 0x1234
    EXPECT_EQ(cpu.x[3], 0x1234u);
}

TEST_F(Atomics, MisalignedAtomicIsAlignmentFault)
{
    cpu.x[2] = kData + 2;
    cpu.x[3] = 0x33;
    run_faulting(0xb8210043);              // ldadd w1, w3, [x2]
    EXPECT_EQ(esr(), kEsrAlignLoad);       // EC 0x25, DFSC 0x21, WnR = 0
    EXPECT_EQ(cpu.sys.far_el1, kData + 2);
    EXPECT_EQ(cpu.x[3], 0x33u);
}

TEST_F(Atomics, AtomicToUnmappedAddressIsExternalAbort)
{
    cpu.x[2] = kUnmapped;
    run_faulting(0xf8210043);              // ldadd x1, x3, [x2]
    EXPECT_EQ(esr(), kEsrExtLoad);         // EC 0x25, DFSC 0x10, WnR = 0 (the read faulted)
    EXPECT_EQ(cpu.sys.far_el1, kUnmapped);
}

// ESR_ELx.WnR of an atomic read-modify-write (ARM ARM D17.2 ESR_ELx, ISS of a Data Abort, WnR):
// "for CAS, CASP, LD<op>, SWP, WnR is 0 if a read of the location would have generated the
// fault, else 1". With the MMU off every fault below is one a read gets: misalignment (atomics
// must be aligned), no memory at the address, an address beyond the PA size. Every LSE form.
struct AtomicForm {
    const char *name;
    uint32_t insn;   // Rs = x1, Rt = x3 (CASP: x4/x5 and x6/x7), Rn = x2
    unsigned bytes;  // size of the access (the pair for CASP)
};
constexpr AtomicForm kAtomicForms[] = {
    {"ldadd x", 0xf8210043, 8},   {"ldaddal w", 0xb8e10043, 4}, {"ldclrlh", 0x78611043, 2},
    {"ldeora x", 0xf8a12043, 8},  {"ldsetb", 0x38213043, 1},    {"ldsmax w", 0xb8214043, 4},
    {"ldumin x", 0xf8217043, 8},  {"swp x", 0xf8218043, 8},     {"swpal w", 0xb8e18043, 4},
    {"cas x", 0xc8a17c43, 8},     {"casal w", 0x88e1fc43, 4},   {"casb", 0x08a17c43, 1},
    {"caspal x", 0x4864fc46, 16}, {"casp w", 0x08247c46, 8},
};

TEST_F(Atomics, AtomicFaultsThatAReadWouldTakeReportWnR0)
{
    for (const AtomicForm &f : kAtomicForms) {
        SCOPED_TRACE(f.name);
        if (f.bytes > 1) {                         // misaligned by half its size
            rewind();
            cpu.x[2] = kData + f.bytes / 2;
            run_faulting(f.insn);
            EXPECT_EQ(esr(), kEsrAlignLoad) << std::hex << esr();
            EXPECT_EQ(cpu.sys.far_el1, kData + f.bytes / 2);
        }
        rewind();
        cpu.x[2] = kUnmapped;                      // nothing answers: External abort on the read
        run_faulting(f.insn);
        EXPECT_EQ(esr(), kEsrExtLoad) << std::hex << esr();
        EXPECT_EQ(cpu.sys.far_el1, kUnmapped);
        rewind();
        cpu.x[2] = 1ull << 52;                     // above any PA size: Address size, level 0
        run_faulting(f.insn);
        EXPECT_EQ(esr(), 0x96000000u) << std::hex << esr();
        EXPECT_EQ(cpu.sys.far_el1, 1ull << 52);
    }
}

TEST_F(Atomics, StoreExclusiveFaultsStillReportWnR1)
{
    // Not an atomic read-modify-write: a store exclusive is a write (WnR = 1).
    cpu.x[2] = kData + 4;
    run_faulting(kStxrX);
    EXPECT_EQ(esr(), kEsrAlignStore);
    rewind();
    cpu.x[2] = kData + 4;
    run_faulting(kStxpW);
    EXPECT_EQ(esr(), kEsrAlignStore);
}

TEST_F(Atomics, AtomicWithMisalignedSpTakesSpAlignmentFault)
{
    cpu.sys.sp_el1 = kData + 8;
    run_faulting(0xf82103e3);              // ldadd x1, x3, [sp]
    EXPECT_EQ(esr(), kEsrSpAlign);
    cpu.sys.sp_el1 = kData;
    put64(kData, 1);
    cpu.x[1] = 2;
    rewind();
    run(0xf82103e3);
    EXPECT_EQ(get64(kData), 3u);
}

TEST_F(Atomics, UnallocatedAtomicEncodingsAreUndefined)
{
    cpu.x[2] = kData;
    for (uint32_t insn : {0x38bfc041u,   // ldaprb w1, [x2] (FEAT_LRCPC, ARMv8.3)
                          0xf8219043u,   // o3 = 1, opc = 001
                          0xfc218043u}) {// V = 1 in the atomic space (no SIMD&FP form)
        rewind();
        run_faulting(insn);
        EXPECT_EQ(esr(), kEsrUndef) << std::hex << insn;
    }
}

}  // namespace
