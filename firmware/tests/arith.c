/* arith: integer arithmetic and condition flags.
 *  - ADDS/SUBS/ADCS/SBCS/ANDS/NEGS/CMN/CCMP results and NZCV (64- and 32-bit), read with MRS NZCV
 *  - every condition code (CSEL and B.cond) for all 16 NZCV values against a C reference
 *  - overflow builtins (signed/unsigned add, sub, mul on 32 and 64 bits)
 *  - 128-bit add/sub/mul (ADDS/ADCS, UMULH) and division through libgcc (__udivti3, __divti3, ...)
 *  - signed/unsigned comparisons of every width, extensions, shifts by register
 * Deterministic: no timers, no ID registers (it is the lock-step test program). */
#include "fwtest.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

#define U128(hi, lo) (((u128)(uint64_t)(hi) << 64) | (uint64_t)(lo))
#define HI(x) ((uint64_t)((u128)(x) >> 64))
#define LO(x) ((uint64_t)(x))

/* ---- flag-setting instructions ------------------------------------------------------------- */
#define FLAG_OP64(name, insn)                                                                      \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t *res)                                    \
    {                                                                                              \
        uint64_t r, f;                                                                             \
        __asm__ __volatile__(insn " %0, %2, %3\n\tmrs %1, nzcv"                                    \
                             : "=&r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");                         \
        *res = r;                                                                                  \
        return f >> 28;                                                                            \
    }
#define FLAG_OP32(name, insn)                                                                      \
    static uint64_t name(uint32_t a, uint32_t b, uint32_t *res)                                    \
    {                                                                                              \
        uint32_t r;                                                                                \
        uint64_t f;                                                                                \
        __asm__ __volatile__(insn " %w0, %w2, %w3\n\tmrs %1, nzcv"                                 \
                             : "=&r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");                         \
        *res = r;                                                                                  \
        return f >> 28;                                                                            \
    }
/* With carry in: NZCV is set first (C = cin). */
#define FLAG_OPC64(name, insn)                                                                     \
    static uint64_t name(uint64_t a, uint64_t b, int cin, uint64_t *res)                           \
    {                                                                                              \
        uint64_t r, f;                                                                             \
        __asm__ __volatile__("msr nzcv, %4\n\t" insn " %0, %2, %3\n\tmrs %1, nzcv"                 \
                             : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"((uint64_t)cin << 29)       \
                             : "cc");                                                              \
        *res = r;                                                                                  \
        return f >> 28;                                                                            \
    }
FLAG_OP64(adds64, "adds")
FLAG_OP64(subs64, "subs")
FLAG_OP64(ands64, "ands")
FLAG_OP64(bics64, "bics")
FLAG_OP32(adds32, "adds")
FLAG_OP32(subs32, "subs")
FLAG_OPC64(adcs64, "adcs")
FLAG_OPC64(sbcs64, "sbcs")

enum { N = 8, Z = 4, C = 2, V = 1 };

/* long: one test section, one flag-setting instruction after another: asm, then its check. */
static void test_flags(void)
{
    t_section("flags");
    uint64_t r;
    uint32_t r32;
    CHECK_EQ(adds64(1, 2, &r), 0);
    CHECK_EQ(r, 3);
    CHECK_EQ(adds64(0x7fffffffffffffffull, 1, &r), N | V);
    CHECK_EQ(r, 0x8000000000000000ull);
    CHECK_EQ(adds64(~0ull, 1, &r), Z | C);
    CHECK_EQ(r, 0);
    CHECK_EQ(adds64(0x8000000000000000ull, 0x8000000000000000ull, &r), Z | C | V);
    CHECK_EQ(adds64(~0ull, ~0ull, &r), N | C);
    CHECK_EQ(r, 0xfffffffffffffffeull);
    CHECK_EQ(subs64(5, 5, &r), Z | C);
    CHECK_EQ(subs64(0, 1, &r), N);
    CHECK_EQ(r, ~0ull);
    CHECK_EQ(subs64(0x8000000000000000ull, 1, &r), C | V);
    CHECK_EQ(subs64(1, 0x8000000000000000ull, &r), N | V);
    CHECK_EQ(subs64(7, 3, &r), C);
    CHECK_EQ(adds32(0x7fffffff, 1, &r32), N | V);
    CHECK_EQ(r32, 0x80000000u);
    CHECK_EQ(adds32(0xffffffffu, 1, &r32), Z | C);
    CHECK_EQ(adds32(0xffffffffu, 0x80000000u, &r32), C | V);
    CHECK_EQ(subs32(0x80000000u, 1, &r32), C | V);
    CHECK_EQ(r32, 0x7fffffffu);
    CHECK_EQ(subs32(3, 4, &r32), N);
    CHECK_EQ(ands64(0xf0, 0x0f, &r), Z);
    CHECK_EQ(ands64(0x8000000000000001ull, ~0ull, &r), N);
    CHECK_EQ(bics64(0xff, 0xff, &r), Z);
    CHECK_EQ(adcs64(1, 2, 1, &r), 0);
    CHECK_EQ(r, 4);
    CHECK_EQ(adcs64(~0ull, 0, 1, &r), Z | C);
    CHECK_EQ(adcs64(0x7fffffffffffffffull, 0, 1, &r), N | V);
    CHECK_EQ(sbcs64(5, 5, 0, &r), N); /* 5 - 5 - 1 = -1, borrow */
    CHECK_EQ(r, ~0ull);
    CHECK_EQ(sbcs64(5, 5, 1, &r), Z | C);
    CHECK_EQ(sbcs64(0, 0, 0, &r), N);

    /* NEGS, CMN, CCMP */
    uint64_t f;
    uint64_t neg;
    __asm__ __volatile__("negs %0, %2\n\tmrs %1, nzcv" : "=&r"(neg), "=r"(f) : "r"(OPAQUE(0ull)) : "cc");
    CHECK_EQ_MSG("negs 0 flags", f >> 28, Z | C);
    __asm__ __volatile__("negs %0, %2\n\tmrs %1, nzcv" : "=&r"(neg), "=r"(f)
                         : "r"(OPAQUE(0x8000000000000000ull)) : "cc");
    CHECK_EQ_MSG("negs INT64_MIN flags", f >> 28, N | V);
    CHECK_EQ_MSG("negs INT64_MIN value", neg, 0x8000000000000000ull);
    __asm__ __volatile__("cmn %1, %2\n\tmrs %0, nzcv" : "=r"(f) : "r"(OPAQUE(5ull)), "r"(OPAQUE(-5ll)) : "cc");
    CHECK_EQ_MSG("cmn 5, -5", f >> 28, Z | C);
    /* ccmp: if EQ then flags of (x2 - x3) else #nzcv */
    __asm__ __volatile__("cmp %1, %2\n\tccmp %3, %4, #0x5, eq\n\tmrs %0, nzcv" : "=r"(f)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(3ull)) : "cc");
    CHECK_EQ_MSG("ccmp taken", f >> 28, N);
    __asm__ __volatile__("cmp %1, %2\n\tccmp %3, %4, #0x5, eq\n\tmrs %0, nzcv" : "=r"(f)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(3ull)) : "cc");
    CHECK_EQ_MSG("ccmp not taken", f >> 28, Z | V);
    __asm__ __volatile__("cmp %1, %2\n\tccmn %3, #3, #0x2, ne\n\tmrs %0, nzcv" : "=r"(f)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(-3ll)) : "cc");
    CHECK_EQ_MSG("ccmn immediate", f >> 28, Z | C);
}

/* ---- condition codes ----------------------------------------------------------------------- */
#define CSEL_COND(cond, bit)                                                                       \
    __asm__ __volatile__("msr nzcv, %1\n\tcsel %0, %2, xzr, " cond                                 \
                         : "=r"(t) : "r"(flags), "r"(one) : "cc");                                 \
    mask |= t << (bit);
#define BCOND(cond, bit)                                                                           \
    __asm__ __volatile__("msr nzcv, %1\n\tmov %0, #1\n\tb." cond " 1f\n\tmov %0, #0\n1:"           \
                         : "=&r"(t) : "r"(flags) : "cc");                                          \
    mask |= t << (bit);
#define ALL_CONDS(M)                                                                               \
    M("eq", 0) M("ne", 1) M("hs", 2) M("lo", 3) M("mi", 4) M("pl", 5) M("vs", 6) M("vc", 7)       \
    M("hi", 8) M("ls", 9) M("ge", 10) M("lt", 11) M("gt", 12) M("le", 13) M("al", 14) M("nv", 15)

static uint32_t cond_ref(unsigned nzcv)
{
    int n = !!(nzcv & N), z = !!(nzcv & Z), c = !!(nzcv & C), v = !!(nzcv & V);
    int res[16] = {z, !z, c, !c, n, !n, v, !v, c && !z, !(c && !z), n == v, n != v,
                   !z && n == v, !(!z && n == v), 1, 1};
    uint32_t m = 0;
    for (int i = 0; i < 16; i++)
        m |= (uint32_t)res[i] << i;
    return m;
}

static void test_conditions(void)
{
    t_section("condition codes (CSEL, B.cond) for every NZCV");
    int bad_csel = 0, bad_b = 0;
    uint64_t one = OPAQUE(1ull);
    for (unsigned nz = 0; nz < 16; nz++) {
        uint64_t flags = (uint64_t)nz << 28, t, mask = 0;
        ALL_CONDS(CSEL_COND)
        if (mask != cond_ref(nz)) {
            printf("  csel nzcv=%x: mask %04lx expected %04x\n", nz, (unsigned long)mask, cond_ref(nz));
            bad_csel++;
        }
        mask = 0;
        ALL_CONDS(BCOND)
        if (mask != cond_ref(nz)) {
            printf("  b.cond nzcv=%x: mask %04lx expected %04x\n", nz, (unsigned long)mask, cond_ref(nz));
            bad_b++;
        }
    }
    CHECK_EQ_MSG("csel mismatches", bad_csel, 0);
    CHECK_EQ_MSG("b.cond mismatches", bad_b, 0);

    /* CSINC / CSINV / CSNEG, CINC, CNEG */
    uint64_t r;
    __asm__ __volatile__("cmp %1, %2\n\tcsinc %0, %3, %4, eq" : "=r"(r)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(10ull)), "r"(OPAQUE(20ull)) : "cc");
    CHECK_EQ_MSG("csinc false", r, 21);
    __asm__ __volatile__("cmp %1, %2\n\tcsinv %0, %3, %4, ne" : "=r"(r)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(1ull)), "r"(OPAQUE(10ull)), "r"(OPAQUE(20ull)) : "cc");
    CHECK_EQ_MSG("csinv false", r, ~20ull);
    __asm__ __volatile__("cmp %1, %2\n\tcsneg %0, %3, %4, gt" : "=r"(r)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(10ull)), "r"(OPAQUE(20ull)) : "cc");
    CHECK_EQ_MSG("csneg false", r, (uint64_t)-20ll);
    __asm__ __volatile__("cmp %1, %2\n\tcsneg %w0, %w3, %w4, lt" : "=r"(r)
                         : "r"(OPAQUE(1ull)), "r"(OPAQUE(2ull)), "r"(OPAQUE(10ull)), "r"(OPAQUE(20ull)) : "cc");
    CHECK_EQ_MSG("csneg true (32-bit)", r, 10);
}

/* ---- overflow builtins --------------------------------------------------------------------- */
static void test_overflow(void)
{
    t_section("overflow builtins");
    int32_t s32;
    int64_t s64;
    uint32_t u32;
    uint64_t u64;
    CHECK(__builtin_add_overflow(OPAQUE(0x7fffffff), OPAQUE(1), &s32));
    CHECK_EQ((uint32_t)s32, 0x80000000u);
    CHECK(!__builtin_add_overflow(OPAQUE(0x7ffffffe), OPAQUE(1), &s32));
    CHECK(__builtin_sub_overflow(OPAQUE((int32_t)0x80000000), OPAQUE(1), &s32));
    CHECK(__builtin_add_overflow(OPAQUE(0xffffffffu), OPAQUE(1u), &u32));
    CHECK(__builtin_sub_overflow(OPAQUE(0u), OPAQUE(1u), &u32));
    CHECK(!__builtin_sub_overflow(OPAQUE(1u), OPAQUE(1u), &u32));
    CHECK(__builtin_add_overflow(OPAQUE(0x7fffffffffffffffll), OPAQUE(1ll), &s64));
    CHECK(__builtin_sub_overflow(OPAQUE((int64_t)0x8000000000000000ull), OPAQUE(1ll), &s64));
    CHECK(!__builtin_sub_overflow(OPAQUE(-1ll), OPAQUE(0x7fffffffffffffffll), &s64));
    CHECK_EQ(s64, 0x8000000000000000ull);
    CHECK(__builtin_add_overflow(OPAQUE(~0ull), OPAQUE(2ull), &u64));
    CHECK_EQ(u64, 1);
    CHECK(__builtin_mul_overflow(OPAQUE(0x10000), OPAQUE(0x8000), &s32));
    CHECK(!__builtin_mul_overflow(OPAQUE(0x10000), OPAQUE(0x7fff), &s32));
    CHECK(__builtin_mul_overflow(OPAQUE(0x100000000ull), OPAQUE(0x100000000ull), &u64));
    CHECK(!__builtin_mul_overflow(OPAQUE(0xffffffffull), OPAQUE(0xffffffffull), &u64));
    CHECK_EQ(u64, 0xfffffffe00000001ull);
    CHECK(__builtin_mul_overflow(OPAQUE(-0x100000000ll), OPAQUE(0x80000000ll), &s64) == 0);
    CHECK_EQ(s64, 0x8000000000000000ull);
    CHECK(__builtin_mul_overflow(OPAQUE(0x100000000ll), OPAQUE(0x80000000ll), &s64));
    CHECK(__builtin_mul_overflow(OPAQUE(-1ll), OPAQUE((int64_t)0x8000000000000000ull), &s64));
}

/* ---- 128-bit arithmetic -------------------------------------------------------------------- */
static void test_int128(void)
{
    t_section("128-bit integers");
    u128 a = OPAQUE(U128(0x0123456789abcdefull, 0xfedcba9876543210ull));
    u128 b = OPAQUE(U128(1, 3));
    u128 s = a + b, d = a - b, m = a * b;
    CHECK_EQ(HI(s), 0x0123456789abcdf0ull);
    CHECK_EQ(LO(s), 0xfedcba9876543213ull);
    CHECK_EQ(HI(d), 0x0123456789abcdeeull);
    CHECK_EQ(LO(d), 0xfedcba987654320dull);
    CHECK_EQ(HI(m), 0x02468acf13579bdfull);
    CHECK_EQ(LO(m), 0xfc962fc962fc9630ull);
    u128 q = a / b, r = a % b;
    CHECK_EQ(HI(q), 0);
    CHECK_EQ(LO(q), 0x0123456789abcdefull);
    CHECK_EQ(HI(r), 0);
    CHECK_EQ(LO(r), 0xfb72ea61d950c843ull);
    s128 na = -(s128)a;
    s128 sq = na / OPAQUE((s128)12345), sr = na % OPAQUE((s128)12345);
    CHECK_EQ(HI(sq), 0xfffff9f5ba0adf82ull);
    CHECK_EQ(LO(sq), 0x4af1b1b9110e9ce5ull);
    CHECK_EQ(HI(sr), 0xffffffffffffffffull);
    CHECK_EQ(LO(sr), 0xffffffffffffeef3ull);
    CHECK(sq * 12345 + sr == na);

    /* 64x64->128 multiplies */
    uint64_t x = OPAQUE(0xfedcba9876543210ull), y = OPAQUE(0x0123456789abcdefull);
    u128 p = (u128)x * y;
    CHECK_EQ(HI(p), 0x0121fa00ad77d742ull);
    CHECK_EQ(LO(p), 0x2236d88fe5618cf0ull);
    s128 sp = (s128)(int64_t)x * (s128)(int64_t)y;
    CHECK_EQ(HI(sp), 0xfffeb49923cc0953ull);
    CHECK_EQ(LO(sp), 0x2236d88fe5618cf0ull);

    /* carry chain across 128 bits by hand, and shifts */
    u128 big = OPAQUE(U128(0, ~0ull));
    big += 1;
    CHECK_EQ(HI(big), 1);
    CHECK_EQ(LO(big), 0);
    u128 sh = OPAQUE((u128)1) << OPAQUE(100);
    CHECK_EQ(HI(sh), 1ull << 36);
    s128 neg = OPAQUE((s128)-256);
    CHECK_EQ(LO(neg >> OPAQUE(70)), ~0ull);
    CHECK((u128)neg > a);
    CHECK(neg < (s128)a);
}

/* ---- comparisons --------------------------------------------------------------------------- */
static void test_compare(void)
{
    t_section("signed/unsigned comparisons");
    int64_t sm1 = OPAQUE(-1ll), s1 = OPAQUE(1ll);
    uint64_t um1 = (uint64_t)sm1, u1 = (uint64_t)s1;
    CHECK(sm1 < s1);
    CHECK(um1 > u1);
    CHECK(!(um1 < u1));
    int32_t im = OPAQUE((int32_t)0x80000000), ip = OPAQUE(0x7fffffff);
    CHECK(im < ip);
    CHECK((uint32_t)im > (uint32_t)ip);
    int8_t c = OPAQUE((int8_t)-128);
    uint8_t uc = OPAQUE((uint8_t)200);
    CHECK(c < 0);
    CHECK(uc > 127);
    CHECK((int8_t)uc < 0);
    int16_t h = OPAQUE((int16_t)-30000);
    CHECK(h < -29999);
    CHECK((uint16_t)h == 35536);
    int64_t mn = OPAQUE((int64_t)0x8000000000000000ull), mx = OPAQUE(0x7fffffffffffffffll);
    CHECK(mn < mx);
    CHECK(mn <= mn && mx >= mx);
    CHECK((uint64_t)mn > (uint64_t)mx);
    /* a comparison sequence through a loop: count elements below a pivot both ways */
    static const int64_t vals[8] = {-5, 3, -1, 0, 0x7fffffffffffffffll, -0x7fffffffffffffffll - 1, 7, 2};
    int below_s = 0, below_u = 0;
    for (int i = 0; i < 8; i++) {
        if (OPAQUE(vals[i]) < 2)
            below_s++;
        if ((uint64_t)OPAQUE(vals[i]) < 2)
            below_u++;
    }
    CHECK_EQ(below_s, 4);
    CHECK_EQ(below_u, 1);
}

/* ---- extensions and shifts ----------------------------------------------------------------- */
static void test_ext_shift(void)
{
    t_section("extensions and shifts");
    uint64_t v = OPAQUE(0x80ff7f8081828384ull);
    CHECK_EQ((int64_t)(int8_t)v, 0xffffffffffffff84ull);
    CHECK_EQ((int64_t)(int16_t)v, 0xffffffffffff8384ull);
    CHECK_EQ((int64_t)(int32_t)v, 0xffffffff81828384ull);
    CHECK_EQ((uint64_t)(uint8_t)v, 0x84);
    CHECK_EQ((uint64_t)(uint16_t)v, 0x8384);
    CHECK_EQ((uint64_t)(uint32_t)v, 0x81828384ull);
    CHECK_EQ((int64_t)v >> 4, 0xf80ff7f808182838ull);
    CHECK_EQ(v >> 4, 0x080ff7f808182838ull);
    CHECK_EQ((int32_t)(uint32_t)v >> 31, 0xffffffffffffffffull);

    uint64_t r;
    /* Shifts by register use the amount modulo the register width. */
    __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(OPAQUE(1ull)), "r"(OPAQUE(65ull)));
    CHECK_EQ_MSG("lsl x, 65", r, 2);
    __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(OPAQUE(0x8000000000000000ull)), "r"(OPAQUE(127ull)));
    CHECK_EQ_MSG("lsr x, 127", r, 1);
    __asm__("asr %0, %1, %2" : "=r"(r) : "r"(OPAQUE(0x8000000000000000ull)), "r"(OPAQUE(63ull)));
    CHECK_EQ_MSG("asr x, 63", r, ~0ull);
    __asm__("lsl %w0, %w1, %w2" : "=r"(r) : "r"(OPAQUE(3ull)), "r"(OPAQUE(33ull)));
    CHECK_EQ_MSG("lsl w, 33", r, 6);
    __asm__("asr %w0, %w1, %w2" : "=r"(r) : "r"(OPAQUE(0x80000000ull)), "r"(OPAQUE(36ull)));
    CHECK_EQ_MSG("asr w, 36 (zero-extends to x)", r, 0xf8000000ull);
    /* Extended-register forms. */
    __asm__("add %0, %1, %w2, sxtw #2" : "=r"(r) : "r"(OPAQUE(100ull)), "r"(OPAQUE(-3ll)));
    CHECK_EQ_MSG("add sxtw #2", r, 88);
    __asm__("add %0, %1, %w2, uxtb" : "=r"(r) : "r"(OPAQUE(1ull)), "r"(OPAQUE(0x1ffull)));
    CHECK_EQ_MSG("add uxtb", r, 0x100);
    __asm__("sub %0, %1, %w2, sxth #1" : "=r"(r) : "r"(OPAQUE(0ull)), "r"(OPAQUE(0x8000ull)));
    CHECK_EQ_MSG("sub sxth #1", r, 0x10000);
    __asm__("add %0, %1, %2, asr #60" : "=r"(r) : "r"(OPAQUE(0ull)), "r"(OPAQUE(0x8000000000000000ull)));
    CHECK_EQ_MSG("add shifted asr #60", r, (uint64_t)-8ll);
    uint64_t tmp;
    __asm__("mov %1, sp\n\tadd %0, sp, #0x10\n\tsub %0, %0, %1" : "=&r"(r), "=&r"(tmp));
    CHECK_EQ_MSG("add from sp", r, 0x10);
    __asm__("mov %0, #0x12340000\n\tmovk %0, #0xabcd, lsl #48\n\tmovk %0, #0x5678" : "=r"(r));
    CHECK_EQ_MSG("mov/movk", r, 0xabcd000012345678ull);
    __asm__("movn %0, #0x1234, lsl #16" : "=r"(r));
    CHECK_EQ_MSG("movn", r, 0xffffffffedcbffffull);
    __asm__("movn %w0, #0x1" : "=r"(r));
    CHECK_EQ_MSG("movn w", r, 0xfffffffeull);
}

/* ---- plain arithmetic in loops ------------------------------------------------------------- */
static void test_loops(void)
{
    t_section("arithmetic loops");
    uint64_t fib_a = 0, fib_b = 1;
    for (int i = 0; i < OPAQUE(90); i++) {
        uint64_t t = fib_a + fib_b;
        fib_a = fib_b;
        fib_b = t;
    }
    CHECK_EQ(fib_a, 2880067194370816120ull); /* F(90) */
    int64_t alt = 0;
    for (int i = 1; i <= OPAQUE(1000); i++)
        alt += (i & 1) ? -(int64_t)i * i : (int64_t)i * i;
    CHECK_EQ(alt, 500500);
    uint32_t x = 1;
    for (int i = 0; i < OPAQUE(100); i++)
        x = x * 1664525u + 1013904223u;
    CHECK_EQ(x, 0x7febb025u);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("arith");
    test_flags();
    test_conditions();
    test_overflow();
    test_int128();
    test_compare();
    test_ext_shift();
    test_loops();
    return t_end();
}
