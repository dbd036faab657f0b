/* atomics: the __atomic builtins on 1, 2, 4 and 8 bytes, and the instructions behind them.
 * Built for armv8.1-a (v81) the builtins become LSE instructions (LDADD, LDCLR, LDEOR, LDSET,
 * SWP, CAS); for armv8-a with -mno-outline-atomics (v80) they become LDAXR/STLXR loops.
 *  - fetch_add/sub/and/or/xor/nand, add_fetch, exchange, compare_exchange (strong success and
 *    failure, weak in a loop), acquire loads and release stores, min/max through CAS loops
 *  - LDXR/STXR of every size and LDXP/STXP by hand, CLREX making the next STXR fail
 *  - with LSE (v81): CAS/CASP and LD<op> of every size, LDSMAX/LDSMIN/LDUMAX/LDUMIN, STADD
 *  - barriers (DMB/DSB/ISB) execute
 * The MMU is off, so these accesses go to Device memory; httusim and QEMU both perform them. */
#include "fwtest.h"

#define MO_RLX __ATOMIC_RELAXED
#define MO_ACQ __ATOMIC_ACQUIRE
#define MO_REL __ATOMIC_RELEASE
#define MO_AR __ATOMIC_ACQ_REL
#define MO_SC __ATOMIC_SEQ_CST

/* min/max by CAS loop (there is no __atomic_fetch_min in GCC 12) */
#define DEFINE_MINMAX(T, S)                                                                        \
    static T fetch_min_##S(T *p, T v)                                                              \
    {                                                                                              \
        T old = __atomic_load_n(p, MO_RLX);                                                        \
        while (v < old && !__atomic_compare_exchange_n(p, &old, v, 1, MO_AR, MO_RLX)) {            \
        }                                                                                          \
        return old;                                                                                \
    }                                                                                              \
    static T fetch_max_##S(T *p, T v)                                                              \
    {                                                                                              \
        T old = __atomic_load_n(p, MO_RLX);                                                        \
        while (v > old && !__atomic_compare_exchange_n(p, &old, v, 0, MO_SC, MO_SC)) {             \
        }                                                                                          \
        return old;                                                                                \
    }

/* One test function per width; a and b are chosen so that every operation changes the value. */
#define DEFINE_TEST(T, ST, S)                                                                      \
    static T var_##S __attribute__((aligned(16)));                                                 \
    static ST svar_##S __attribute__((aligned(16)));                                               \
    DEFINE_MINMAX(T, u##S)                                                                         \
    DEFINE_MINMAX(ST, s##S)                                                                        \
    static void test_##S(T a, T b)                                                                 \
    {                                                                                              \
        t_section(#T);                                                                             \
        T *p = &var_##S, old, e;                                                                   \
        __atomic_store_n(p, a, MO_REL);                                                            \
        CHECK_EQ_MSG(#S " store/load", __atomic_load_n(p, MO_ACQ), a);                             \
        old = __atomic_fetch_add(p, b, MO_SC);                                                     \
        CHECK_EQ_MSG(#S " fetch_add old", old, a);                                                 \
        CHECK_EQ_MSG(#S " fetch_add new", *p, (T)(a + b));                                         \
        old = __atomic_fetch_sub(p, b, MO_AR);                                                     \
        CHECK_EQ_MSG(#S " fetch_sub old", old, (T)(a + b));                                        \
        CHECK_EQ_MSG(#S " fetch_sub new", *p, a);                                                  \
        old = __atomic_fetch_and(p, b, MO_ACQ);                                                    \
        CHECK_EQ_MSG(#S " fetch_and new", *p, (T)(a & b));                                         \
        CHECK_EQ_MSG(#S " fetch_and old", old, a);                                                 \
        old = __atomic_fetch_or(p, a, MO_REL);                                                     \
        CHECK_EQ_MSG(#S " fetch_or new", *p, a);                                                   \
        old = __atomic_fetch_xor(p, b, MO_RLX);                                                    \
        CHECK_EQ_MSG(#S " fetch_xor new", *p, (T)(a ^ b));                                         \
        CHECK_EQ_MSG(#S " fetch_xor old", old, a);                                                 \
        old = __atomic_fetch_nand(p, a, MO_SC);                                                    \
        CHECK_EQ_MSG(#S " fetch_nand new", *p, (T) ~((a ^ b) & a));                                \
        CHECK_EQ_MSG(#S " add_fetch", __atomic_add_fetch(p, 1, MO_SC), (T)(~((a ^ b) & a) + 1));   \
        old = __atomic_exchange_n(p, b, MO_AR);                                                    \
        CHECK_EQ_MSG(#S " exchange old", old, (T)(~((a ^ b) & a) + 1));                            \
        CHECK_EQ_MSG(#S " exchange new", *p, b);                                                   \
        e = b;                                                                                     \
        CHECK_MSG(__atomic_compare_exchange_n(p, &e, a, 0, MO_SC, MO_SC), #S " cas succeeds");     \
        CHECK_EQ_MSG(#S " cas stored", *p, a);                                                     \
        e = b;                                                                                     \
        CHECK_MSG(!__atomic_compare_exchange_n(p, &e, b, 0, MO_AR, MO_ACQ), #S " cas fails");      \
        CHECK_EQ_MSG(#S " cas failure returns current", e, a);                                     \
        CHECK_EQ_MSG(#S " cas failure leaves memory", *p, a);                                      \
        int tries = 0;                                                                             \
        e = __atomic_load_n(p, MO_RLX);                                                            \
        while (!__atomic_compare_exchange_n(p, &e, (T)(e * 3 + 1), 1, MO_REL, MO_RLX) &&           \
               tries < 100)                                                                        \
            tries++;                                                                               \
        CHECK_EQ_MSG(#S " weak cas loop", *p, (T)(a * 3 + 1));                                     \
        __atomic_store_n(p, 100, MO_SC);                                                           \
        CHECK_EQ_MSG(#S " umin old", fetch_min_u##S(p, 7), 100);                                   \
        CHECK_EQ_MSG(#S " umin new", *p, 7);                                                       \
        fetch_min_u##S(p, 9);                                                                      \
        CHECK_EQ_MSG(#S " umin unchanged", *p, 7);                                                 \
        fetch_max_u##S(p, (T)-1);                                                                  \
        CHECK_EQ_MSG(#S " umax", *p, (T)-1);                                                       \
        ST *sp = &svar_##S;                                                                        \
        __atomic_store_n(sp, 5, MO_SC);                                                            \
        fetch_min_s##S(sp, -3);                                                                    \
        CHECK_EQ_MSG(#S " smin", (int64_t)*sp, (uint64_t)-3ll);                                    \
        fetch_max_s##S(sp, -100);                                                                  \
        CHECK_EQ_MSG(#S " smax unchanged", (int64_t)*sp, (uint64_t)-3ll);                          \
        fetch_max_s##S(sp, 77);                                                                    \
        CHECK_EQ_MSG(#S " smax", (int64_t)*sp, 77);                                                \
        /* a counter loop */                                                                       \
        __atomic_store_n(p, 0, MO_RLX);                                                            \
        for (int i = 0; i < 300; i++)                                                              \
            __atomic_fetch_add(p, (T)i, MO_RLX);                                                   \
        CHECK_EQ_MSG(#S " counter", *p, (T)(300 * 299 / 2));                                       \
    }

DEFINE_TEST(uint8_t, int8_t, 8)
DEFINE_TEST(uint16_t, int16_t, 16)
DEFINE_TEST(uint32_t, int32_t, 32)
DEFINE_TEST(uint64_t, int64_t, 64)

/* ---- exclusives by hand -------------------------------------------------------------------- */
static uint64_t excl_area[4] __attribute__((aligned(16)));

#define LDXR_STXR(ldx, stx, reg, addr, newval, oldout, status)                                     \
    __asm__ __volatile__("1:\t" ldx " %" reg "0, [%2]\n\t" stx " %w1, %" reg "3, [%2]\n\t"         \
                         "cbnz %w1, 1b"                                                            \
                         : "=&r"(oldout), "=&r"(status)                                            \
                         : "r"(addr), "r"(newval)                                                  \
                         : "memory")

static void test_exclusives(void)
{
    t_section("exclusives");
    uint64_t old, st;
    excl_area[0] = 0x0123456789abcdefull;
    LDXR_STXR("ldxrb", "stxrb", "w", (uint8_t *)excl_area + 1, OPAQUE(0x5aull), old, st);
    CHECK_EQ_MSG("ldxrb/stxrb old", old, 0xcd);
    LDXR_STXR("ldaxrh", "stlxrh", "w", (uint8_t *)excl_area + 2, OPAQUE(0xa55aull), old, st);
    CHECK_EQ_MSG("ldaxrh/stlxrh old", old, 0x89ab);
    LDXR_STXR("ldxr", "stlxr", "w", (uint8_t *)excl_area + 4, OPAQUE(0xfeedf00dull), old, st);
    CHECK_EQ_MSG("ldxr/stlxr w old", old, 0x01234567);
    CHECK_EQ_MSG("after byte/half/word", excl_area[0], 0xfeedf00da55a5aefull);
    LDXR_STXR("ldaxr", "stxr", "", excl_area, OPAQUE(0x1111222233334444ull), old, st);
    CHECK_EQ_MSG("ldaxr/stxr x old", old, 0xfeedf00da55a5aefull);
    CHECK_EQ_MSG("ldaxr/stxr x new", excl_area[0], 0x1111222233334444ull);

    /* CLREX: the monitor is open, so the store-exclusive must fail and not write. */
    uint64_t v;
    __asm__ __volatile__("ldxr %0, [%2]\n\tclrex\n\tstxr %w1, %3, [%2]"
                         : "=&r"(v), "=&r"(st) : "r"(excl_area), "r"(OPAQUE(0xdeadull)) : "memory");
    CHECK_EQ_MSG("stxr after clrex fails", st, 1);
    CHECK_EQ_MSG("stxr after clrex does not write", excl_area[0], 0x1111222233334444ull);
    __asm__ __volatile__("clrex\n\tstxr %w0, %2, [%1]" : "=&r"(st) : "r"(excl_area), "r"(OPAQUE(0xbeefull)) : "memory");
    CHECK_EQ_MSG("stxr without ldxr fails", st, 1);

    /* pairs */
    excl_area[2] = 1;
    excl_area[3] = 2;
    uint64_t lo, hi;
    __asm__ __volatile__("1:\tldaxp %0, %1, [%3]\n\t"
                         "add %0, %0, #10\n\t"
                         "add %1, %1, #20\n\t"
                         "stlxp %w2, %0, %1, [%3]\n\t"
                         "cbnz %w2, 1b"
                         : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(&excl_area[2]) : "memory");
    CHECK_EQ_MSG("ldaxp/stlxp low", excl_area[2], 11);
    CHECK_EQ_MSG("ldaxp/stlxp high", excl_area[3], 22);
    uint32_t *wp = (uint32_t *)&excl_area[2];
    __asm__ __volatile__("1:\tldxp %w0, %w1, [%3]\n\t"
                         "stxp %w2, %w1, %w0, [%3]\n\t"
                         "cbnz %w2, 1b"
                         : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(wp) : "memory");
    CHECK_EQ_MSG("ldxp/stxp w swap", excl_area[2], 0x0000000b00000000ull);
    __asm__ __volatile__("dmb ish\n\tdmb ishld\n\tdmb ishst\n\tdsb sy\n\tdsb ish\n\tisb" ::: "memory");
    __sync_synchronize();
    CHECK_MSG(1, "barriers execute");
}

#ifdef __ARM_FEATURE_ATOMICS
/* ---- LSE instructions by hand (armv8.1-a) -------------------------------------------------- */
static uint64_t lse_area[4] __attribute__((aligned(16)));

#define LSE_OP(insn, reg, addr, arg, out)                                                          \
    __asm__ __volatile__(insn " %" reg "1, %" reg "0, [%2]" : "=&r"(out) : "r"(arg), "r"(addr) : "memory")

/* long: one test section, one LSE instruction after another: asm, then its checks. */
static void test_lse(void)
{
    t_section("LSE instructions");
    uint64_t out, *m = lse_area;
    m[0] = 0x00000000000000f0ull;
    LSE_OP("ldaddal", "", m, OPAQUE(0x10ull), out);
    CHECK_EQ_MSG("ldaddal old", out, 0xf0);
    CHECK_EQ_MSG("ldaddal new", m[0], 0x100);
    LSE_OP("ldclr", "", m, OPAQUE(0x100ull), out);
    CHECK_EQ_MSG("ldclr new", m[0], 0);
    LSE_OP("ldset", "", m, OPAQUE(0x8000000000000001ull), out);
    LSE_OP("ldeora", "", m, OPAQUE(0x3ull), out);
    CHECK_EQ_MSG("ldset+ldeor", m[0], 0x8000000000000002ull);
    LSE_OP("ldsmax", "", m, OPAQUE(5ull), out);
    CHECK_EQ_MSG("ldsmax (negative memory)", m[0], 5);
    LSE_OP("ldumax", "", m, OPAQUE(0x8000000000000000ull), out);
    CHECK_EQ_MSG("ldumax", m[0], 0x8000000000000000ull);
    LSE_OP("ldsmin", "", m, OPAQUE(7ull), out);
    CHECK_EQ_MSG("ldsmin", m[0], 0x8000000000000000ull);
    LSE_OP("ldumin", "", m, OPAQUE(7ull), out);
    CHECK_EQ_MSG("ldumin", m[0], 7);
    CHECK_EQ_MSG("ldumin old", out, 0x8000000000000000ull);
    LSE_OP("swpal", "", m, OPAQUE(0x1234ull), out);
    CHECK_EQ_MSG("swpal old", out, 7);
    CHECK_EQ_MSG("swpal new", m[0], 0x1234);
    __asm__ __volatile__("stadd %0, [%1]" :: "r"(OPAQUE(0x1ull)), "r"(m) : "memory");
    CHECK_EQ_MSG("stadd", m[0], 0x1235);

    /* sub-word forms: only the addressed bytes change, results are zero-extended */
    m[1] = 0x80ff7f0180ff7f01ull;
    uint8_t *b = (uint8_t *)&m[1];
    LSE_OP("ldaddb", "w", b + 1, OPAQUE(0x1ull), out);
    CHECK_EQ_MSG("ldaddb old", out, 0x7f);
    LSE_OP("ldsmaxb", "w", b + 3, OPAQUE(0x1ull), out); /* 0x80 = -128 < 1 */
    CHECK_EQ_MSG("ldsmaxb old (zero-extended)", out, 0x80);
    LSE_OP("ldsminh", "w", b + 4, OPAQUE(0xffffull), out); /* 0x7f01 > -1 */
    LSE_OP("swplh", "w", b + 6, OPAQUE(0x1234ull), out);
    CHECK_EQ_MSG("swplh old", out, 0x80ff);
    CHECK_EQ_MSG("sub-word results", m[1], 0x1234ffff01ff8001ull);
    LSE_OP("ldumax", "w", b + 4, OPAQUE(0x1ull), out);
    CHECK_EQ_MSG("ldumax w old", out, 0x1234ffffull);

    /* CAS family */
    uint64_t cmp;
    m[2] = 50;
    cmp = 50;
    __asm__ __volatile__("casal %0, %2, [%1]" : "+r"(cmp) : "r"(&m[2]), "r"(OPAQUE(60ull)) : "memory");
    CHECK_EQ_MSG("casal returns old", cmp, 50);
    CHECK_EQ_MSG("casal stores", m[2], 60);
    cmp = 50;
    __asm__ __volatile__("cas %0, %2, [%1]" : "+r"(cmp) : "r"(&m[2]), "r"(OPAQUE(70ull)) : "memory");
    CHECK_EQ_MSG("cas mismatch returns current", cmp, 60);
    CHECK_EQ_MSG("cas mismatch does not store", m[2], 60);
    uint64_t cw = 60;
    __asm__ __volatile__("casa %w0, %w2, [%1]" : "+r"(cw) : "r"(&m[2]), "r"(OPAQUE(0xffffffffull)) : "memory");
    CHECK_EQ_MSG("casa w", m[2], 0xffffffffull);
    cw = 0xff;
    __asm__ __volatile__("casb %w0, %w2, [%1]" : "+r"(cw) : "r"((uint8_t *)&m[2] + 3), "r"(OPAQUE(0x11ull)) : "memory");
    cw = 0xffff;
    __asm__ __volatile__("caslh %w0, %w2, [%1]" : "+r"(cw) : "r"((uint8_t *)&m[2]), "r"(OPAQUE(0x2222ull)) : "memory");
    CHECK_EQ_MSG("casb/caslh", m[2], 0x11ff2222ull);

    /* CASP: x0:x1 compared with memory, x2:x3 stored (even-numbered register pairs) */
    m[2] = 0xaaaa;
    m[3] = 0xbbbb;
    register uint64_t c0 __asm__("x4") = 0xaaaa, c1 __asm__("x5") = 0xbbbb;
    register uint64_t n0 __asm__("x6") = 0xcccc, n1 __asm__("x7") = 0xdddd;
    __asm__ __volatile__("caspal x4, x5, x6, x7, [%4]"
                         : "+r"(c0), "+r"(c1) : "r"(n0), "r"(n1), "r"(&m[2]) : "memory");
    CHECK_EQ_MSG("caspal returns old low", c0, 0xaaaa);
    CHECK_EQ_MSG("caspal stored", m[2] + (m[3] << 16), 0xddddcccc);
}
#endif

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("atomics");
    test_8(OPAQUE((uint8_t)0xc5), OPAQUE((uint8_t)0x5e));
    test_16(OPAQUE((uint16_t)0xc5a3), OPAQUE((uint16_t)0x5e71));
    test_32(OPAQUE(0xc5a3f00du), OPAQUE(0x5e71beefu));
    test_64(OPAQUE(0xc5a3f00d12345678ull), OPAQUE(0x5e71beef9abcdef0ull));
    test_exclusives();
#ifdef __ARM_FEATURE_ATOMICS
    test_lse();
#else
    t_section("LSE instructions: not in this build (armv8-a)");
#endif
    return t_end();
}
