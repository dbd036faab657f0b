/* muldiv: multiply and divide.
 *  - MUL/MADD/MSUB/MNEG, SMULL/UMULL/SMADDL/UMSUBL/SMNEGL, SMULH/UMULH (32 and 64 bits)
 *  - UDIV/SDIV: rounding toward zero for every sign combination, division by zero (result 0, no
 *    exception), INT_MIN / -1 (result INT_MIN), through inline asm because C calls them undefined
 *  - division/modulo loops (gcd, digit sums, factorials), a 64-bit modular exponentiation */
#include "fwtest.h"

#define OP3(insn, r, a, b) __asm__(insn " %0, %1, %2" : "=r"(r) : "r"(OPAQUE(a)), "r"(OPAQUE(b)))
#define OP3W(insn, r, a, b) __asm__(insn " %w0, %w1, %w2" : "=r"(r) : "r"(OPAQUE(a)), "r"(OPAQUE(b)))
#define OP4(insn, r, a, b, c)                                                                      \
    __asm__(insn " %0, %1, %2, %3" : "=r"(r) : "r"(OPAQUE(a)), "r"(OPAQUE(b)), "r"(OPAQUE(c)))
#define OP4L(insn, r, a, b, c)                                                                     \
    __asm__(insn " %0, %w1, %w2, %3" : "=r"(r) : "r"(OPAQUE(a)), "r"(OPAQUE(b)), "r"(OPAQUE(c)))

static void test_multiply(void)
{
    t_section("multiply");
    uint64_t x = 0xfedcba9876543210ull, y = 0x0123456789abcdefull, r;
    OP3("mul", r, x, y);
    CHECK_EQ_MSG("mul", r, 0x2236d88fe5618cf0ull);
    OP3("umulh", r, x, y);
    CHECK_EQ_MSG("umulh", r, 0x0121fa00ad77d742ull);
    OP3("smulh", r, x, y);
    CHECK_EQ_MSG("smulh", r, 0xfffeb49923cc0953ull);
    OP3("smulh", r, 0x8000000000000000ull, 0x8000000000000000ull);
    CHECK_EQ_MSG("smulh min*min", r, 0x4000000000000000ull);
    OP3("umulh", r, ~0ull, ~0ull);
    CHECK_EQ_MSG("umulh max*max", r, 0xfffffffffffffffeull);
    OP4("madd", r, x, y, 0x1111ull);
    CHECK_EQ_MSG("madd", r, 0x2236d88fe5619e01ull);
    OP4("msub", r, x, y, 0x1111ull);
    CHECK_EQ_MSG("msub", r, 0xddc927701a9e8421ull);
    OP3("mneg", r, 3ull, 5ull);
    CHECK_EQ_MSG("mneg", r, (uint64_t)-15ll);
    OP3W("mul", r, 0xffffffffull, 0xffffffffull);
    CHECK_EQ_MSG("mul w (upper half zero)", r, 1);
    __asm__("smull %0, %w1, %w2" : "=r"(r) : "r"(OPAQUE(0x80000000ull)), "r"(OPAQUE(0x7fffffffull)));
    CHECK_EQ_MSG("smull", r, 0xc000000080000000ull);
    __asm__("umull %0, %w1, %w2" : "=r"(r) : "r"(OPAQUE(0xffffffffull)), "r"(OPAQUE(0xffffffffull)));
    CHECK_EQ_MSG("umull", r, 0xfffffffe00000001ull);
    OP4L("smaddl", r, (uint64_t)-5ll, 7ull, 100ull);
    CHECK_EQ_MSG("smaddl", r, 0x41);
    OP4L("umsubl", r, 0xffffffffull, 2ull, 1000ull);
    CHECK_EQ_MSG("umsubl", r, 0xfffffffe000003eaull);
    __asm__("smnegl %0, %w1, %w2" : "=r"(r) : "r"(OPAQUE((uint64_t)-3ll)), "r"(OPAQUE(4ull)));
    CHECK_EQ_MSG("smnegl", r, 12);

    /* C-level multiplies of every width */
    int8_t a8 = OPAQUE((int8_t)-7);
    uint16_t b16 = OPAQUE((uint16_t)65535);
    int32_t c32 = OPAQUE(-46341);
    CHECK_EQ((int8_t)(a8 * a8 * a8), (uint8_t)(-343 & 0xff) | 0xffffffffffffff00ull);
    CHECK_EQ((uint16_t)(b16 * b16), 1);
    CHECK_EQ((int64_t)c32 * c32, 2147488281ull);
    CHECK_EQ((uint32_t)c32 * (uint32_t)c32, 0x80001219u);
    uint64_t f = 1;
    for (uint64_t i = 1; i <= OPAQUE(20ull); i++)
        f *= i;
    CHECK_EQ(f, 2432902008176640000ull);
    for (uint64_t i = 21; i <= OPAQUE(25ull); i++)
        f *= i;
    CHECK_EQ(f, 0x619fb0907bc00000ull);
}

static void test_divide(void)
{
    t_section("divide");
    uint64_t r;
    OP3("udiv", r, 100ull, 7ull);
    CHECK_EQ_MSG("udiv 100/7", r, 14);
    OP3("udiv", r, ~0ull, 2ull);
    CHECK_EQ_MSG("udiv max/2", r, 0x7fffffffffffffffull);
    OP3("udiv", r, 12345ull, 0ull);
    CHECK_EQ_MSG("udiv by zero", r, 0);
    OP3W("udiv", r, 0xffffffffull, 0ull);
    CHECK_EQ_MSG("udiv w by zero", r, 0);
    OP3("sdiv", r, (uint64_t)-12345ll, 0ull);
    CHECK_EQ_MSG("sdiv by zero", r, 0);
    OP3W("sdiv", r, 0x80000000ull, 0ull);
    CHECK_EQ_MSG("sdiv w by zero", r, 0);
    OP3("sdiv", r, 0x8000000000000000ull, ~0ull);
    CHECK_EQ_MSG("sdiv INT64_MIN/-1", r, 0x8000000000000000ull);
    OP3W("sdiv", r, 0x80000000ull, 0xffffffffull);
    CHECK_EQ_MSG("sdiv INT32_MIN/-1", r, 0x80000000ull);
    OP3("sdiv", r, (uint64_t)-7ll, 2ull);
    CHECK_EQ_MSG("sdiv -7/2", r, (uint64_t)-3ll);
    OP3("sdiv", r, 7ull, (uint64_t)-2ll);
    CHECK_EQ_MSG("sdiv 7/-2", r, (uint64_t)-3ll);
    OP3("sdiv", r, (uint64_t)-7ll, (uint64_t)-2ll);
    CHECK_EQ_MSG("sdiv -7/-2", r, 3);
    OP3W("sdiv", r, 0xfffffff9ull, 2ull);
    CHECK_EQ_MSG("sdiv w -7/2 (upper half zero)", r, 0xfffffffdull);
    OP3W("udiv", r, 0xfffffff9ull, 2ull);
    CHECK_EQ_MSG("udiv w", r, 0x7ffffffcull);

    /* C division and modulo with truncation toward zero */
    int64_t n = OPAQUE(-17ll), d = OPAQUE(5ll);
    CHECK_EQ(n / d, (uint64_t)-3ll);
    CHECK_EQ(n % d, (uint64_t)-2ll);
    CHECK_EQ(-n % -d, 2);
    uint32_t u = OPAQUE(4000000000u);
    CHECK_EQ(u / OPAQUE(3u), 1333333333u);
    CHECK_EQ(u % OPAQUE(7u), 4000000000u % 7u);
    CHECK_EQ(OPAQUE(1000000007ull) % OPAQUE(97ull), 1000000007ull % 97ull);
    /* constant divisors: GCC turns these into multiply-high sequences */
    uint64_t mism = 0;
    for (uint64_t v = OPAQUE(0xfffffffffff00000ull), i = 0; i < 500; i++, v += 0x9e3779b97f4a7ull) {
        uint64_t q10 = v / 10, q7 = v / 7;
        uint64_t dq10, dq7;
        OP3("udiv", dq10, v, 10ull);
        OP3("udiv", dq7, v, 7ull);
        if (q10 != dq10 || q7 != dq7 || v % 10 != v - dq10 * 10)
            mism++;
        int64_t sv = (int64_t)v;
        int64_t sq = sv / 3;
        uint64_t dsq;
        OP3("sdiv", dsq, (uint64_t)sv, 3ull);
        if ((uint64_t)sq != dsq)
            mism++;
    }
    CHECK_EQ_MSG("constant-divisor mismatches", mism, 0);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((unsigned __int128)a * b) % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1;
    b %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

static void test_loops(void)
{
    t_section("division loops");
    CHECK_EQ(gcd(OPAQUE(1071ull), OPAQUE(462ull)), 21);
    CHECK_EQ(gcd(OPAQUE(0x8000000000000000ull), OPAQUE(0x0000000600000000ull)), 0x200000000ull);
    uint64_t digits = 0;
    for (uint64_t v = OPAQUE(18446744073709551615ull); v; v /= 10)
        digits += v % 10;
    CHECK_EQ(digits, 87);
    /* Fermat: 2^(p-1) = 1 mod p for the prime 2^61 - 1 */
    CHECK_EQ(powmod(2, (1ull << 61) - 2, (1ull << 61) - 1), 1);
    CHECK_EQ(powmod(OPAQUE(3ull), OPAQUE(1000000ull), OPAQUE(1000000007ull)), 64935414ull);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("muldiv");
    test_multiply();
    test_divide();
    test_loops();
    return t_end();
}
