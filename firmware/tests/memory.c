/* memory: loads and stores.
 *  - every load/store width, signed loads into W and X registers, LDPSW, exclusive-free pairs
 *  - addressing modes: immediate (scaled, unscaled, largest offset), pre/post-index with
 *    write-back, register offset with LSL/UXTW/SXTW, PC-relative literal loads, LDP/STP forms
 *  - arrays, structs (copies, by value, returned), unions, VLAs
 *  - deep recursion with large frames, switch jump tables, function pointers and tail calls
 *  - memcpy/memset/memmove/memcmp of odd sizes and alignments against byte loops
 * All accesses are naturally aligned: the MMU is off (Device memory). */
#include "fwtest.h"

static uint8_t buf[256] __attribute__((aligned(16)));

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 0x35u);
}

static void test_widths(void)
{
    t_section("load/store widths");
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(0x80 + i * 9); /* 80 89 92 9b a4 ad b6 bf c8 ... (mod 256) */
    volatile uint8_t *b = buf;
    CHECK_EQ(*(volatile uint8_t *)(b + 1), 0x89);
    CHECK_EQ(*(volatile uint16_t *)(b + 2), 0x9b92);
    CHECK_EQ(*(volatile uint32_t *)(b + 4), 0xbfb6ada4u);
    CHECK_EQ(*(volatile uint64_t *)(b + 8), 0x07fef5ece3dad1c8ull);
    CHECK_EQ((int64_t) * (volatile int8_t *)(b + 1), 0xffffffffffffff89ull);
    CHECK_EQ((int64_t) * (volatile int16_t *)(b + 2), 0xffffffffffff9b92ull);
    CHECK_EQ((int64_t) * (volatile int32_t *)(b + 4), 0xffffffffbfb6ada4ull);

    uint64_t r, base = (uintptr_t)buf;
    __asm__ volatile("ldrsb %w0, [%1, #1]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsb w (upper half zero)", r, 0xffffff89ull);
    __asm__ volatile("ldrsb %0, [%1, #1]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsb x", r, 0xffffffffffffff89ull);
    __asm__ volatile("ldrsh %w0, [%1, #2]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsh w", r, 0xffff9b92ull);
    __asm__ volatile("ldrsh %0, [%1, #2]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsh x", r, 0xffffffffffff9b92ull);
    __asm__ volatile("ldrsw %0, [%1, #4]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsw", r, 0xffffffffbfb6ada4ull);
    __asm__ volatile("ldrb %w0, [%1, #31]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrb", r, (uint8_t)(0x80 + 31 * 9));
    buf[40] = 0x7f;
    __asm__ volatile("ldrsb %0, [%1, #40]" : "=r"(r) : "r"(base) : "memory");
    CHECK_EQ_MSG("ldrsb positive", r, 0x7f);

    /* stores of every width, checked byte by byte */
    memset(buf, 0, 64);
    __asm__ volatile("strb %w1, [%0, #0]\n\t"
                     "strh %w1, [%0, #2]\n\t"
                     "str %w1, [%0, #4]\n\t"
                     "str %1, [%0, #8]\n\t"
                     "sturb %w1, [%0, #17]\n\t"
                     "sturh %w1, [%0, #18]\n\t"
                     "stur %w1, [%0, #20]\n\t"
                     "stur %1, [%0, #24]"
                     :
                     : "r"(base), "r"(OPAQUE(0x1122334455667788ull))
                     : "memory");
    static const uint8_t expect[32] = {
        0x88, 0,    0x88, 0x77, 0x88, 0x77, 0x66, 0x55, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
        0,    0x88, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
    int bad = 0;
    for (int i = 0; i < 32; i++)
        if (buf[i] != expect[i])
            bad++;
    CHECK_EQ_MSG("store widths: wrong bytes", bad, 0);
}

/* long: one test section, one addressing mode after another: asm, then its check. */
static void test_addressing(void)
{
    t_section("addressing modes");
    uint64_t *q = (uint64_t *)buf;
    for (int i = 0; i < 32; i++)
        q[i] = 0x1000 + (uint64_t)i;
    uint64_t r, p, r2;

    p = (uintptr_t)buf;
    __asm__ volatile("ldr %0, [%1, #16]!" : "=r"(r), "+r"(p) :: "memory");
    CHECK_EQ_MSG("pre-index value", r, 0x1002);
    CHECK_EQ_MSG("pre-index writeback", p - (uintptr_t)buf, 16);
    __asm__ volatile("ldr %0, [%1], #24" : "=r"(r), "+r"(p) :: "memory");
    CHECK_EQ_MSG("post-index value", r, 0x1002);
    CHECK_EQ_MSG("post-index writeback", p - (uintptr_t)buf, 40);
    __asm__ volatile("ldr %0, [%1, #-8]!" : "=r"(r), "+r"(p) :: "memory");
    CHECK_EQ_MSG("pre-index negative", r, 0x1004);
    __asm__ volatile("ldur %0, [%1, #-24]" : "=r"(r) : "r"(p) : "memory");
    CHECK_EQ_MSG("ldur negative", r, 0x1001);
    __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(r) : "r"((uintptr_t)buf), "r"(OPAQUE(7ull)) : "memory");
    CHECK_EQ_MSG("register offset lsl #3", r, 0x1007);
    __asm__ volatile("ldr %0, [%1, %w2, sxtw #3]" : "=r"(r) : "r"((uintptr_t)&q[10]), "r"(OPAQUE(-3ll)) : "memory");
    CHECK_EQ_MSG("register offset sxtw #3", r, 0x1007);
    __asm__ volatile("ldr %w0, [%1, %w2, uxtw #2]" : "=r"(r) : "r"((uintptr_t)buf), "r"(OPAQUE(0x100000006ull)) : "memory");
    CHECK_EQ_MSG("register offset uxtw #2", r, 0x1003);
    __asm__ volatile("ldrb %w0, [%1, %2]" : "=r"(r) : "r"((uintptr_t)buf), "r"(OPAQUE(8ull)) : "memory");
    CHECK_EQ_MSG("ldrb register offset", r, 0x01);
    __asm__ volatile("ldrh %w0, [%1, %2, lsl #1]" : "=r"(r) : "r"((uintptr_t)buf), "r"(OPAQUE(8ull)) : "memory");
    CHECK_EQ_MSG("ldrh register offset lsl #1", r, 0x1002);

    /* largest scaled immediate offsets */
    static uint64_t big[4100] __attribute__((aligned(16)));
    big[4095] = 0xabcdef;
    __asm__ volatile("ldr %0, [%1, #32760]" : "=r"(r) : "r"(big) : "memory");
    CHECK_EQ_MSG("ldr x #32760", r, 0xabcdef);
    ((uint8_t *)big)[4095] = 0x5a;
    __asm__ volatile("ldrb %w0, [%1, #4095]" : "=r"(r) : "r"(big) : "memory");
    CHECK_EQ_MSG("ldrb #4095", r, 0x5a);

    /* PC-relative literals */
    __asm__ volatile("ldr %0, 1f\n\t"
                     "ldrsw %1, 2f\n\t"
                     "b 3f\n\t"
                     ".balign 8\n"
                     "1:\t.quad 0x0123456789abcdef\n"
                     "2:\t.word 0x80000001\n"
                     "3:"
                     : "=r"(r), "=r"(r2));
    CHECK_EQ_MSG("ldr literal", r, 0x0123456789abcdefull);
    CHECK_EQ_MSG("ldrsw literal", r2, 0xffffffff80000001ull);
    __asm__ volatile("adr %0, .\n\tadr %1, .+8\n\tsub %0, %1, %0" : "=&r"(r), "=&r"(r2));
    CHECK_EQ_MSG("adr", r, 12);
    __asm__ volatile("adrp %0, buf\n\tadd %0, %0, :lo12:buf" : "=r"(r));
    CHECK_EQ_MSG("adrp+add", r, (uintptr_t)buf);

    /* pairs */
    p = (uintptr_t)&q[16];
    __asm__ volatile("stp %2, %3, [%0, #-16]!\n\t"
                     "ldp %1, %2, [%0], #8"
                     : "+r"(p), "=&r"(r), "+r"(r2)
                     : "r"(OPAQUE(0xbbbbull))
                     : "memory");
    (void)r2;
    CHECK_EQ_MSG("stp pre-index / ldp post-index", p - (uintptr_t)&q[15], 0);
    CHECK_EQ_MSG("ldp first", r, q[14]);
    CHECK_EQ_MSG("stp second", q[15], 0xbbbb);
    uint32_t *w = (uint32_t *)buf;
    w[0] = 0x80000000u;
    w[1] = 0x7fffffffu;
    __asm__ volatile("ldpsw %0, %1, [%2]" : "=&r"(r), "=&r"(r2) : "r"(w) : "memory");
    CHECK_EQ_MSG("ldpsw first", r, 0xffffffff80000000ull);
    CHECK_EQ_MSG("ldpsw second", r2, 0x7fffffff);
    __asm__ volatile("stp %w2, %w3, [%4, #8]\n\tldp %w0, %w1, [%4, #8]" : "=&r"(r), "=&r"(r2)
                     : "r"(OPAQUE(0xffffffff00000011ull)), "r"(OPAQUE(0x22ull)), "r"(w) : "memory");
    CHECK_EQ_MSG("stp/ldp w", r + (r2 << 32), 0x2200000011ull);
    __asm__ volatile("prfm pldl1keep, [%0]\n\tprfm pstl2strm, [%0, #64]" :: "r"(w));
    CHECK_MSG(1, "prfm is a no-op");
}

/* ---- structs, unions ----------------------------------------------------------------------- */
struct rec {
    char c;
    short s;
    int i;
    long long l;
    unsigned char bytes[7];
    short tail;
};

static struct rec make_rec(int k)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    r.c = (char)('a' + k);
    r.s = (short)(-1000 * k);
    r.i = 100000 * k;
    r.l = -10000000000ll * k;
    for (int j = 0; j < 7; j++)
        r.bytes[j] = (unsigned char)(k * 16 + j);
    r.tail = (short)k;
    return r;
}

static long long sum_rec(struct rec r) /* passed by value (by reference to a copy in the ABI) */
{
    long long s = r.c + r.s + r.i + r.l + r.tail;
    for (int j = 0; j < 7; j++)
        s += r.bytes[j];
    r.i = 0; /* modifies the copy only */
    return s;
}

static void test_structs(void)
{
    t_section("structs, arrays, unions");
    CHECK_EQ(sizeof(struct rec), 32);
    CHECK_EQ(__builtin_offsetof(struct rec, l), 8);
    CHECK_EQ(__builtin_offsetof(struct rec, tail), 24);
    struct rec a = make_rec(OPAQUE(3));
    struct rec b = a; /* struct copy */
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    CHECK_EQ(sum_rec(a), (uint64_t)('d' - 3000 + 300000 - 30000000000ll + 3 + 7 * 48 + 21));
    CHECK_EQ(a.i, 300000);
    struct rec arr[5];
    for (int k = 0; k < 5; k++)
        arr[k] = make_rec(k);
    long long tot = 0;
    for (int k = 0; k < 5; k++)
        tot += arr[k].l + arr[k].bytes[6];
    CHECK_EQ(tot, (uint64_t)(-100000000000ll + 160 + 30));

    int grid[12][13];
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 13; x++)
            grid[y][x] = y * 100 + x;
    long gsum = 0;
    for (int x = 0; x < 13; x++)
        for (int y = 11; y >= 0; y--)
            gsum += grid[y][x] * (x + 1);
    CHECK_EQ(gsum, 609336);

    union {
        uint64_t u;
        uint32_t w[2];
        uint16_t h[4];
        uint8_t b[8];
    } un;
    un.u = OPAQUE(0x0102030405060708ull);
    CHECK_EQ(un.w[1], 0x01020304);
    CHECK_EQ(un.h[1], 0x0506);
    CHECK_EQ(un.b[0], 0x08);
    un.b[7] = 0xff;
    CHECK_EQ(un.u, 0xff02030405060708ull);

    int n = OPAQUE(37);
    uint16_t vla[n];
    for (int i = 0; i < n; i++)
        vla[i] = (uint16_t)(i * i);
    uint32_t vs = 0;
    for (int i = 0; i < n; i++)
        vs += vla[n - 1 - i];
    CHECK_EQ(vs, 16206);
}

/* ---- recursion, switch, function pointers -------------------------------------------------- */
static uint64_t deep(int depth, uint64_t acc)
{
    volatile uint8_t local[128];
    for (int i = 0; i < 128; i++)
        local[i] = (uint8_t)(depth + i);
    if (depth == 0)
        return acc;
    uint64_t r = deep(depth - 1, acc * 31 + local[depth & 127]);
    return r + local[(depth * 7) & 127];
}

static unsigned ackermann(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int __attribute__((noinline)) classify(int v)
{
    switch (v) {
    case 0: return 17;
    case 1: return -4;
    case 2: return 99;
    case 3: return 1000;
    case 4: return 5;
    case 5: return -77;
    case 6: return 31;
    case 7: return 8;
    case 8: return 640;
    case 9: return -1;
    case 10: return 12;
    case 11: return 3;
    case 13: return 42;
    case 14: return 7;
    default: return 0;
    }
}

static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
typedef int64_t (*binop)(int64_t, int64_t);
static binop const ops[4] = {op_add, op_sub, op_mul, op_xor};

static int64_t __attribute__((noinline)) apply(binop f, int64_t a, int64_t b)
{
    return f(a, b); /* a tail call (BR) at -O2 */
}

static void test_control(void)
{
    t_section("recursion, switch tables, function pointers");
    uint64_t d = deep(OPAQUE(100), 1);
    uint64_t ref = 1;
    uint64_t post = 0;
    for (int depth = 100; depth > 0; depth--) {
        ref = ref * 31 + (uint8_t)(depth + (depth & 127));
        post += (uint8_t)(depth + ((depth * 7) & 127));
    }
    CHECK_EQ(d, ref + post);
    CHECK_EQ(ackermann(2, OPAQUE(3u)), 9);
    CHECK_EQ(ackermann(3, OPAQUE(3u)), 61);

    static const int expect[16] = {17, -4, 99, 1000, 5, -77, 31, 8, 640, -1, 12, 3, 0, 42, 7, 0};
    int bad = 0;
    for (int v = -3; v < 16; v++) {
        int e = v < 0 ? 0 : expect[v];
        if (classify(OPAQUE(v)) != e)
            bad++;
    }
    CHECK_EQ_MSG("switch mismatches", bad, 0);

    int64_t acc = 7;
    for (int i = 0; i < 20; i++)
        acc = apply(ops[i & 3], acc, i + 1);
    int64_t ref2 = 7;
    for (int i = 0; i < 20; i++) {
        int64_t b = i + 1;
        switch (i & 3) {
        case 0: ref2 = ref2 + b; break;
        case 1: ref2 = ref2 - b; break;
        case 2: ref2 = ref2 * b; break;
        default: ref2 = ref2 ^ b; break;
        }
    }
    CHECK_EQ(acc, ref2);
    binop volatile fp = op_mul;
    CHECK_EQ(fp(OPAQUE(-6), 7), (uint64_t)-42ll);
}

/* ---- string functions ---------------------------------------------------------------------- */
static uint8_t src_area[160] __attribute__((aligned(16)));
static uint8_t dst_area[160] __attribute__((aligned(16)));

/* long: one test section: loops over sizes and alignments, then their checks, read in order. */
static void test_string(void)
{
    t_section("memcpy/memset/memmove/memcmp, odd sizes and alignments");
    int bad_cpy = 0, bad_set = 0, bad_cmp = 0;
    for (size_t n = 0; n <= 41; n++) {
        for (size_t so = 0; so < 8; so++) {
            for (size_t dof = 0; dof < 8; dof++) {
                fill(src_area, sizeof src_area, (uint8_t)(n + so));
                for (size_t i = 0; i < 64; i++)
                    dst_area[i] = 0xee;
                void *ret = memcpy(dst_area + 8 + dof, src_area + so, n);
                if (ret != dst_area + 8 + dof)
                    bad_cpy++;
                for (size_t i = 0; i < 64; i++) {
                    uint8_t e = (i >= 8 + dof && i < 8 + dof + n) ? src_area[so + i - 8 - dof] : 0xee;
                    if (dst_area[i] != e) {
                        bad_cpy++;
                        break;
                    }
                }
                if (memcmp(dst_area + 8 + dof, src_area + so, n) != 0)
                    bad_cmp++;
                if (n && so == 0) {
                    dst_area[8 + dof + n - 1] ^= 1; /* last byte differs */
                    int c = memcmp(dst_area + 8 + dof, src_area + so, n);
                    if ((dst_area[8 + dof + n - 1] < src_area[n - 1]) ? c >= 0 : c <= 0)
                        bad_cmp++;
                }
            }
            for (size_t i = 0; i < 64; i++)
                dst_area[i] = 0x11;
            memset(dst_area + 8 + so, (int)(0x180 + n), n); /* only the low byte counts */
            for (size_t i = 0; i < 64; i++) {
                uint8_t e = (i >= 8 + so && i < 8 + so + n) ? (uint8_t)(0x80 + n) : 0x11;
                if (dst_area[i] != e) {
                    bad_set++;
                    break;
                }
            }
        }
    }
    CHECK_EQ_MSG("memcpy errors", bad_cpy, 0);
    CHECK_EQ_MSG("memset errors", bad_set, 0);
    CHECK_EQ_MSG("memcmp errors", bad_cmp, 0);

    int bad_move = 0;
    for (int shift = -9; shift <= 9; shift++) {
        for (size_t n = 1; n <= 33; n += 4) {
            uint8_t ref[160];
            fill(src_area, sizeof src_area, (uint8_t)(shift * 3 + (int)n));
            for (size_t i = 0; i < sizeof ref; i++)
                ref[i] = src_area[i];
            size_t from = 40;
            size_t to = (size_t)(40 + shift);
            memmove(src_area + to, src_area + from, n);
            /* reference: copy through a temporary */
            uint8_t tmp[64];
            for (size_t i = 0; i < n; i++)
                tmp[i] = ref[from + i];
            for (size_t i = 0; i < n; i++)
                ref[to + i] = tmp[i];
            for (size_t i = 0; i < sizeof ref; i++)
                if (ref[i] != src_area[i]) {
                    bad_move++;
                    break;
                }
        }
    }
    CHECK_EQ_MSG("memmove errors", bad_move, 0);

    CHECK_EQ(strlen(""), 0);
    CHECK_EQ(strlen(OPAQUE("hello, world")), 12);
    CHECK(strcmp("abc", "abd") < 0);
    CHECK(strcmp("abc", "abc") == 0);
    CHECK(strncmp("abcdef", "abcxyz", 3) == 0);
    char sb[32];
    int n = snprintf(sb, sizeof sb, "%5d|%-4x|%08lx|%c%s", -42, 0xab, 0xdeadbeeful, '!', "ok");
    CHECK_EQ(n, 23);
    CHECK(strcmp(sb, "  -42|ab  |deadbeef|!ok") == 0);
    n = snprintf(sb, 8, "%llu", 18446744073709551615ull);
    CHECK_EQ(n, 20);
    CHECK(strcmp(sb, "1844674") == 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("memory");
    test_widths();
    test_addressing();
    test_structs();
    test_control();
    test_string();
    return t_end();
}
