/* bits: bit manipulation.
 *  - CLZ/CLS/RBIT/REV/REV16/REV32 (builtins and inline asm, incl. the zero and all-ones inputs)
 *  - count trailing zeros, popcount and parity (libgcc or CLZ/RBIT sequences)
 *  - rotates (C idiom -> ROR, and ROR by register modulo the width), EXTR
 *  - bitfields in structs (UBFX/SBFX/BFI/BFXIL), logical immediates, BIC/ORN/EON, TBZ/TBNZ */
#include "fwtest.h"

static uint64_t rotl64(uint64_t x, unsigned n) { return (x << (n & 63)) | (x >> (-n & 63)); }
static uint32_t rotr32(uint32_t x, unsigned n) { return (x >> (n & 31)) | (x << (-n & 31)); }

static void test_counts(void)
{
    t_section("clz / ctz / popcount / parity / cls");
    CHECK_EQ(__builtin_clzll(OPAQUE(1ull)), 63);
    CHECK_EQ(__builtin_clzll(OPAQUE(0x8000000000000000ull)), 0);
    CHECK_EQ(__builtin_clz(OPAQUE(0x00010000u)), 15);
    CHECK_EQ(__builtin_ctzll(OPAQUE(0x8000000000000000ull)), 63);
    CHECK_EQ(__builtin_ctz(OPAQUE(0x00000100u)), 8);
    CHECK_EQ(__builtin_ctzll(OPAQUE(0x0123456789abcde0ull)), 5);
    CHECK_EQ(__builtin_popcountll(OPAQUE(0x0123456789abcdefull)), 32);
    CHECK_EQ(__builtin_popcount(OPAQUE(0xf0f0f0f0u)), 16);
    CHECK_EQ(__builtin_popcountll(OPAQUE(~0ull)), 64);
    CHECK_EQ(__builtin_popcountll(OPAQUE(0ull)), 0);
    CHECK_EQ(__builtin_parityll(OPAQUE(0x0123456789abcdefull)), 0);
    CHECK_EQ(__builtin_parity(OPAQUE(0x7u)), 1);
    CHECK_EQ(__builtin_clrsbll(OPAQUE(-1ll)), 63);
    CHECK_EQ(__builtin_clrsbll(OPAQUE(0x00ffffffffffffffll)), 7);
    CHECK_EQ(__builtin_clrsb(OPAQUE((int)0xfff00000)), 11);
    CHECK_EQ(__builtin_ffsll(OPAQUE(0x1000ll)), 13);
    CHECK_EQ(__builtin_ffsll(OPAQUE(0ll)), 0);

    uint64_t r;
    __asm__("clz %0, %1" : "=r"(r) : "r"(OPAQUE(0ull)));
    CHECK_EQ_MSG("clz x(0)", r, 64);
    __asm__("clz %w0, %w1" : "=r"(r) : "r"(OPAQUE(0ull)));
    CHECK_EQ_MSG("clz w(0)", r, 32);
    __asm__("cls %0, %1" : "=r"(r) : "r"(OPAQUE(0ull)));
    CHECK_EQ_MSG("cls x(0)", r, 63);
    __asm__("cls %w0, %w1" : "=r"(r) : "r"(OPAQUE(0x3fffffffull)));
    CHECK_EQ_MSG("cls w(0x3fffffff)", r, 1);
    __asm__("cls %0, %1" : "=r"(r) : "r"(OPAQUE(0xfff0000000000000ull)));
    CHECK_EQ_MSG("cls x(0xfff0...)", r, 11);

    /* a software popcount loop over many values against the builtin */
    uint64_t x = 0x9e3779b97f4a7c15ull, mism = 0;
    for (int i = 0; i < OPAQUE(200); i++) {
        uint64_t v = x, n = 0;
        while (v) {
            v &= v - 1;
            n++;
        }
        if (n != (uint64_t)__builtin_popcountll(x))
            mism++;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
    CHECK_EQ_MSG("popcount loop mismatches", mism, 0);
}

static void test_reverse(void)
{
    t_section("byte and bit reversal");
    CHECK_EQ(__builtin_bswap16(OPAQUE((uint16_t)0x1234)), 0x3412);
    CHECK_EQ(__builtin_bswap32(OPAQUE(0x12345678u)), 0x78563412u);
    CHECK_EQ(__builtin_bswap64(OPAQUE(0x0123456789abcdefull)), 0xefcdab8967452301ull);
    uint64_t r;
    __asm__("rev16 %0, %1" : "=r"(r) : "r"(OPAQUE(0x0123456789abcdefull)));
    CHECK_EQ_MSG("rev16 x", r, 0x23016745ab89efcdull);
    __asm__("rev32 %0, %1" : "=r"(r) : "r"(OPAQUE(0x0123456789abcdefull)));
    CHECK_EQ_MSG("rev32 x", r, 0x67452301efcdab89ull);
    __asm__("rev16 %w0, %w1" : "=r"(r) : "r"(OPAQUE(0xffffffff12345678ull)));
    CHECK_EQ_MSG("rev16 w", r, 0x34127856ull);
    __asm__("rbit %0, %1" : "=r"(r) : "r"(OPAQUE(0x0123456789abcdefull)));
    CHECK_EQ_MSG("rbit x", r, 0xf7b3d591e6a2c480ull);
    __asm__("rbit %w0, %w1" : "=r"(r) : "r"(OPAQUE(1ull)));
    CHECK_EQ_MSG("rbit w(1)", r, 0x80000000ull);
    __asm__("rbit %w0, %w1" : "=r"(r) : "r"(OPAQUE(0x12345678ull)));
    CHECK_EQ_MSG("rbit w", r, 0x1e6a2c48ull);
}

static void test_rotate(void)
{
    t_section("rotates and extract");
    CHECK_EQ(rotl64(OPAQUE(0x0123456789abcdefull), OPAQUE(52u)), 0xdef0123456789abcull);
    CHECK_EQ(rotr32(OPAQUE(0x12345678u), OPAQUE(4u)), 0x81234567u);
    CHECK_EQ(rotl64(OPAQUE(0x8000000000000001ull), OPAQUE(0u)), 0x8000000000000001ull);
    uint64_t r;
    __asm__("ror %0, %1, %2" : "=r"(r) : "r"(OPAQUE(0x0123456789abcdefull)), "r"(OPAQUE(200ull)));
    CHECK_EQ_MSG("ror x by 200 (mod 64)", r, 0xef0123456789abcdull);
    __asm__("ror %w0, %w1, #4" : "=r"(r) : "r"(OPAQUE(0x12345678ull)));
    CHECK_EQ_MSG("ror w #4", r, 0x81234567ull);
    __asm__("extr %0, %1, %2, #56" : "=r"(r)
            : "r"(OPAQUE(0x0123456789abcdefull)), "r"(OPAQUE(0xfedcba9876543210ull)));
    CHECK_EQ_MSG("extr #56", r, 0x23456789abcdeffeull);
    __asm__("extr %w0, %w1, %w2, #8" : "=r"(r) : "r"(OPAQUE(0x11223344ull)), "r"(OPAQUE(0xaabbccddull)));
    CHECK_EQ_MSG("extr w #8", r, 0x44aabbccull);
}

struct bf32 {
    uint32_t a : 3;
    int32_t b : 5;
    uint32_t c : 12;
    int32_t d : 12;
};
struct bf64 {
    uint64_t lo : 40;
    int64_t hi : 24;
};
union u32bf {
    struct bf32 s;
    uint32_t raw;
};
union u64bf {
    struct bf64 s;
    uint64_t raw;
};

static void test_bitfields(void)
{
    t_section("bitfields");
    volatile union u32bf u;
    u.raw = 0;
    u.s.a = OPAQUE(5u);
    u.s.b = OPAQUE(-3);
    u.s.c = OPAQUE(0xabcu);
    u.s.d = OPAQUE(-1234);
    CHECK_EQ(u.raw, 5u | (0x1du << 3) | (0xabcu << 8) | ((uint32_t)(-1234 & 0xfff) << 20));
    CHECK_EQ(u.s.a, 5);
    CHECK_EQ((int64_t)u.s.b, (uint64_t)-3ll);
    CHECK_EQ(u.s.c, 0xabc);
    CHECK_EQ((int64_t)u.s.d, (uint64_t)-1234ll);
    u.s.b = u.s.b + 20; /* 17 wraps to -15 in 5 bits */
    CHECK_EQ((int64_t)u.s.b, (uint64_t)-15ll);
    CHECK_EQ(u.s.c, 0xabc);
    u.raw = OPAQUE(0xffffffffu);
    CHECK_EQ(u.s.a, 7);
    CHECK_EQ((int64_t)u.s.d, (uint64_t)-1ll);
    u.s.c = 0;
    CHECK_EQ(u.raw, 0xfff000ffu);

    volatile union u64bf w;
    w.raw = 0;
    w.s.lo = OPAQUE(0x123456789aull);
    w.s.hi = OPAQUE(-2);
    CHECK_EQ(w.raw, 0xfffffe123456789aull);
    CHECK_EQ((int64_t)w.s.hi, (uint64_t)-2ll);
    w.s.lo++;
    CHECK_EQ(w.raw, 0xfffffe123456789bull);

    uint64_t r;
    __asm__("ubfx %0, %1, #8, #12" : "=r"(r) : "r"(OPAQUE(0x12345678ull)));
    CHECK_EQ_MSG("ubfx", r, 0x456);
    __asm__("sbfx %0, %1, #4, #8" : "=r"(r) : "r"(OPAQUE(0x0f80ull)));
    CHECK_EQ_MSG("sbfx", r, (uint64_t)-8ll);
    r = OPAQUE(0xffffffffffffffffull);
    __asm__("bfi %0, %1, #16, #8" : "+r"(r) : "r"(OPAQUE(0x12ull)));
    CHECK_EQ_MSG("bfi", r, 0xffffffffff12ffffull);
    r = OPAQUE(0ull);
    __asm__("bfxil %0, %1, #60, #4" : "+r"(r) : "r"(OPAQUE(0xa000000000000000ull)));
    CHECK_EQ_MSG("bfxil", r, 0xa);
    __asm__("sbfiz %0, %1, #60, #4" : "=r"(r) : "r"(OPAQUE(0x9ull)));
    CHECK_EQ_MSG("sbfiz", r, 0x9000000000000000ull);
    __asm__("ubfiz %w0, %w1, #28, #4" : "=r"(r) : "r"(OPAQUE(0xffull)));
    CHECK_EQ_MSG("ubfiz w", r, 0xf0000000ull);
    __asm__("sxtb %w0, %w1" : "=r"(r) : "r"(OPAQUE(0x80ull)));
    CHECK_EQ_MSG("sxtb w (upper half zero)", r, 0xffffff80ull);
}

static void test_logic(void)
{
    t_section("logical operations");
    uint64_t a = OPAQUE(0x0123456789abcdefull), b = OPAQUE(0xff00ff00ff00ff00ull);
    CHECK_EQ(a & ~b, 0x0023006700ab00efull);
    CHECK_EQ(a | ~b, 0x01ff45ff89ffcdffull);
    CHECK_EQ(a ^ ~b, 0x01dc45988954cd10ull);
    CHECK_EQ(a & 0x5555555555555555ull, 0x0101454501014545ull);
    CHECK_EQ(a | 0x00ff00ff00ff00ffull, 0x01ff45ff89ffcdffull);
    CHECK_EQ(a ^ 0xaaaaaaaaaaaaaaaaull, 0xab89efcd23016745ull);
    CHECK_EQ((uint32_t)a & 0x00fff000u, 0x00abc000u);
    uint64_t r;
    __asm__("eon %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    CHECK_EQ_MSG("eon", r, a ^ ~b);
    __asm__("orn %0, %1, %2, lsr #4" : "=r"(r) : "r"(a), "r"(b));
    CHECK_EQ_MSG("orn lsr #4", r, a | ~(b >> 4));
    __asm__("bic %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(b));
    CHECK_EQ_MSG("bic ror #8", r, a & ~0x00ff00ff00ff00ffull);
    __asm__("and %0, %1, #0xffff0000ffff0000" : "=r"(r) : "r"(a));
    CHECK_EQ_MSG("and logical immediate", r, 0x0123000089ab0000ull);
    __asm__("orr %w0, %w1, #0x3c3c3c3c" : "=r"(r) : "r"(OPAQUE(0xffffffff00000000ull)));
    CHECK_EQ_MSG("orr w immediate", r, 0x3c3c3c3cull);

    /* test-bit branches over every bit */
    uint64_t v = OPAQUE(0x8421000000001248ull), seen = 0;
    for (int i = 0; i < 64; i++)
        if (v & (1ull << i))
            seen |= 1ull << i;
    CHECK_EQ(seen, v);
    unsigned tb = 0;
    __asm__("mov %w0, #0\n\t"
            "tbz %1, #3, 1f\n\t"
            "orr %w0, %w0, #1\n"
            "1:\ttbnz %1, #63, 2f\n\t"
            "orr %w0, %w0, #2\n"
            "2:\ttbz %1, #62, 3f\n\t"
            "orr %w0, %w0, #4\n"
            "3:\tcbz %1, 4f\n\t"
            "orr %w0, %w0, #8\n"
            "4:"
            : "=&r"(tb) : "r"(v) : "cc");
    CHECK_EQ_MSG("tbz/tbnz/cbz", tb, 0x9);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("bits");
    test_counts();
    test_reverse();
    test_rotate();
    test_bitfields();
    test_logic();
    return t_end();
}
