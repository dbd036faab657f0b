/* compute: a longer program for speed measurements (about 2 M instructions at -O2, more at -O0),
 * self-checking against checksums computed once on the host from the same code:
 *  - sorting 2048 pseudo-random words with quicksort, heapsort and merge sort (must agree)
 *  - hashing 16 KiB: bitwise CRC-32, FNV-1a 64, a multiply-xorshift mix
 *  - a 32x32 integer matrix multiply, three times chained
 *  - a sieve of Eratosthenes up to 50000
 * With the argument "reps=N" the whole workload runs N times (for timing); the output does not
 * depend on N. The kernels only use plain C, so `cc -DCOMPUTE_HOST compute.c` reproduces the
 * expected values on the host. */
#ifdef COMPUTE_HOST
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#else
#include "fwtest.h"
#endif
#include "../lib/fnv.h"

/* Expected values: from the host build (gcc -O0 and -O2 agree); sort bounds, CRC-32 and FNV-1a
 * also cross-checked with Python (sorted(), zlib.crc32). */
#define EXPECT_SORT_FNV 0x3ad758a357b565beull
#define EXPECT_SORT_MIN 0x1b6c56u
#define EXPECT_SORT_MAX 0xfff3dc93u
#define EXPECT_CRC 0x30216d85u
#define EXPECT_FNV 0x832c34a4da403b94ull
#define EXPECT_MIX 0x9ca877a0786150ceull
#define EXPECT_MAT 0x816181c3d882da3cull
#define EXPECT_PRIME_SUM 12945u

#define N_SORT 2048
#define N_HASH 16384
#define MAT 32
#define SIEVE 50000

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t arr_q[N_SORT], arr_h[N_SORT], arr_m[N_SORT], tmp_m[N_SORT];

static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* recurse into the smaller half, loop on the larger */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static void sift_down(uint32_t *a, int start, int end)
{
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, sw = root;
        if (a[sw] < a[child])
            sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1])
            sw = child + 1;
        if (sw == root)
            return;
        uint32_t t = a[root];
        a[root] = a[sw];
        a[sw] = t;
        root = sw;
    }
}

static void heapsort(uint32_t *a, int n)
{
    for (int start = (n - 2) / 2; start >= 0; start--)
        sift_down(a, start, n - 1);
    for (int end = n - 1; end > 0; end--) {
        uint32_t t = a[end];
        a[end] = a[0];
        a[0] = t;
        sift_down(a, 0, end - 1);
    }
}

static void mergesort(uint32_t *a, uint32_t *tmp, int n)
{
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo < n; lo += 2 * width) {
            int mid = lo + width < n ? lo + width : n;
            int hi = lo + 2 * width < n ? lo + 2 * width : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        for (int i = 0; i < n; i++)
            a[i] = tmp[i];
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint64_t mix64(const uint64_t *p, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = p[i] * 0xff51afd7ed558ccdull;
        k ^= k >> 33;
        h = (h ^ k) * 0xc4ceb9fe1a85ec53ull + (h >> 29);
    }
    return h;
}

static uint64_t hash_buf[N_HASH / 8];
static int32_t ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];
static uint8_t sieve[SIEVE + 1];

struct results {
    uint64_t sort_fnv, sort_min, sort_max;
    int sort_agree, sort_ordered;
    uint32_t crc;
    uint64_t fnv, mix;
    uint64_t mat;
    uint32_t primes, prime_sum_mod;
};

/* long: the workload itself, step by step; its timing is what the test measures. */
static void run(struct results *r)
{
    rng_state = 0x0123456789abcdefull;
    for (int i = 0; i < N_SORT; i++)
        arr_q[i] = arr_h[i] = arr_m[i] = (uint32_t)(rng() >> 32);
    quicksort(arr_q, 0, N_SORT - 1);
    heapsort(arr_h, N_SORT);
    mergesort(arr_m, tmp_m, N_SORT);
    r->sort_agree = memcmp(arr_q, arr_h, sizeof arr_q) == 0 && memcmp(arr_q, arr_m, sizeof arr_q) == 0;
    r->sort_ordered = 1;
    for (int i = 1; i < N_SORT; i++)
        if (arr_q[i - 1] > arr_q[i])
            r->sort_ordered = 0;
    r->sort_fnv = fnv1a64(arr_q, sizeof arr_q);
    r->sort_min = arr_q[0];
    r->sort_max = arr_q[N_SORT - 1];

    for (int i = 0; i < N_HASH / 8; i++)
        hash_buf[i] = rng();
    r->crc = crc32((const uint8_t *)hash_buf, N_HASH);
    r->fnv = fnv1a64(hash_buf, N_HASH);
    r->mix = mix64(hash_buf, N_HASH / 8);

    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            ma[i][j] = (int32_t)(rng() % 201) - 100;
            mb[i][j] = (int32_t)(rng() % 201) - 100;
        }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < MAT; i++)
            for (int j = 0; j < MAT; j++) {
                int32_t s = 0;
                for (int k = 0; k < MAT; k++)
                    s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < MAT; i++)
            for (int j = 0; j < MAT; j++)
                ma[i][j] = mc[i][j] % 1000; /* keep the values bounded */
    }
    uint64_t m = 0;
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++)
            m = m * 31 + (uint32_t)mc[i][j];
    r->mat = m;

    memset(sieve, 1, sizeof sieve);
    sieve[0] = sieve[1] = 0;
    for (int i = 2; i * i <= SIEVE; i++)
        if (sieve[i])
            for (int j = i * i; j <= SIEVE; j += i)
                sieve[j] = 0;
    uint32_t count = 0, sum = 0;
    for (int i = 0; i <= SIEVE; i++)
        if (sieve[i]) {
            count++;
            sum = (sum + (uint32_t)i) % 1000003u;
        }
    r->primes = count;
    r->prime_sum_mod = sum;
}

#ifdef COMPUTE_HOST
int main(void)
{
    struct results r;
    run(&r);
    printf("sort_fnv=0x%016llx min=0x%llx max=0x%llx agree=%d ordered=%d\n",
           (unsigned long long)r.sort_fnv, (unsigned long long)r.sort_min,
           (unsigned long long)r.sort_max, r.sort_agree, r.sort_ordered);
    printf("crc=0x%08x fnv=0x%016llx mix=0x%016llx\n", r.crc, (unsigned long long)r.fnv,
           (unsigned long long)r.mix);
    printf("mat=0x%016llx primes=%u sum=%u\n", (unsigned long long)r.mat, r.primes, r.prime_sum_mod);
    return 0;
}
#else
int main(int argc, char **argv)
{
    int reps = 1;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "reps=", 5) == 0) {
            reps = 0;
            for (const char *s = argv[i] + 5; *s >= '0' && *s <= '9'; s++)
                reps = reps * 10 + (*s - '0');
        }
    if (reps < 1)
        reps = 1;
    t_begin("compute");
    struct results r = {0};
    for (int i = 0; i < reps; i++)
        run(&r);
    t_section("sorting");
    CHECK_MSG(r.sort_agree, "quicksort, heapsort and merge sort agree");
    CHECK_MSG(r.sort_ordered, "sorted order");
    CHECK_EQ_MSG("sorted FNV-1a", r.sort_fnv, EXPECT_SORT_FNV);
    CHECK_EQ_MSG("minimum", r.sort_min, EXPECT_SORT_MIN);
    CHECK_EQ_MSG("maximum", r.sort_max, EXPECT_SORT_MAX);
    t_section("hashing");
    CHECK_EQ_MSG("CRC-32", r.crc, EXPECT_CRC);
    CHECK_EQ_MSG("FNV-1a 64", r.fnv, EXPECT_FNV);
    CHECK_EQ_MSG("mix64", r.mix, EXPECT_MIX);
    t_section("matrix multiply");
    CHECK_EQ_MSG("matrix checksum", r.mat, EXPECT_MAT);
    t_section("sieve");
    CHECK_EQ_MSG("primes <= 50000", r.primes, 5133);
    CHECK_EQ_MSG("sum of primes mod 1000003", r.prime_sum_mod, EXPECT_PRIME_SUM);
    return t_end();
}
#endif
