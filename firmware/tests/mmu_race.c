/* mmu_race: software's atomic updates of a descriptor racing with the Access flag and dirty state
 * updates (ARM ARM D8.5: the hardware update is an atomic read-modify-write of the descriptor;
 * software that changes a descriptor hardware may update must use atomics too).
 * Run twice: with the hardware updates the CPU has (TCR_EL1.HA/HD from HAFDBS), where the
 * translation table walk updates the descriptor, and with HA = HD = 0, where the fault handler
 * does (an atomic RMW on the descriptor, then ERET, which clears the local monitor). Each loop
 * prints counts that are the same in both runs and on every CPU:
 *  1. dirty race: LDXR the leaf of a writable-clean page P; store to P (P becomes dirty: the
 *     descriptor changes); STXR the descriptor (with a software bit toggled): the STXR fails
 *     every time, the descriptor ends dirty and the software bit was never written
 *  2. Access flag race: the same with a load from a page with AF = 0: the STXR fails every time
 *  3. control: the page already dirty (the store changes nothing): the STXR succeeds every time
 *  4. re-clean protocol: a loop that re-cleans P with LDXR/STXR (reading the dirty state and
 *     setting AP[2] in one exclusive pair, then TLBI VALE1) while stores, before the pair and
 *     between its LDXR and STXR, make P dirty again. Counts: STXR retries = iterations with a
 *     store inside the pair; pages seen dirty ("flushed") = iterations with any store. No update
 *     is lost: after each iteration P is clean, and the last store's data is in P.
 *  5. the same protocol with compare-and-swap (__atomic_compare_exchange: CAS with LSE, an
 *     LDAXR/STLXR loop without) */
#include "mmutest.h"

#define PAGE MMU_PAGE_SIZE
#define N_RACE 32
#define N_PROTO 48

static uint8_t pages[2][PAGE] __attribute__((aligned(PAGE)));
#define PD ((uint64_t)(uintptr_t)pages[0]) /* dirty tracking (DBM = 1) */
#define PA ((uint64_t)(uintptr_t)pages[1]) /* Access flag tracking (DBM = 0) */

static const uint64_t rw = MMU_NORMAL | DESC_AF | MMU_RW;

/* LDXR *d; an access to p; STXR (*d ^ flip) to *d. Returns the STXR status (0 = stored). */
static unsigned ldxr_store_stxr(uint64_t *d, uint64_t p, uint64_t v, uint64_t flip)
{
    uint64_t old, new_;
    unsigned status;
    __asm__ __volatile__("ldxr %[old], [%[d]]\n\t"
                         "str %[v], [%[p]]\n\t"
                         "eor %[new], %[old], %[flip]\n\t"
                         "stxr %w[st], %[new], [%[d]]"
                         : [old] "=&r"(old), [new] "=&r"(new_), [st] "=&r"(status)
                         : [d] "r"(d), [p] "r"(p), [v] "r"(v), [flip] "r"(flip)
                         : "memory");
    return status;
}

static unsigned ldxr_load_stxr(uint64_t *d, uint64_t p, uint64_t flip, uint64_t *loaded)
{
    uint64_t old, new_, v;
    unsigned status;
    __asm__ __volatile__("ldxr %[old], [%[d]]\n\t"
                         "ldr %[v], [%[p]]\n\t"
                         "eor %[new], %[old], %[flip]\n\t"
                         "stxr %w[st], %[new], [%[d]]"
                         : [old] "=&r"(old), [new] "=&r"(new_), [st] "=&r"(status), [v] "=&r"(v)
                         : [d] "r"(d), [p] "r"(p), [flip] "r"(flip)
                         : "memory");
    *loaded = v;
    return status;
}

/* Re-clean in one exclusive pair: returns the STXR status, *old = the descriptor read. With
 * `store`, a store of v to p sits between the LDXR and the STXR. */
static unsigned reclean_pair(uint64_t *d, uint64_t *old, bool store, uint64_t p, uint64_t v)
{
    uint64_t o, n;
    unsigned status;
    if (store)
        __asm__ __volatile__("ldxr %[o], [%[d]]\n\t"
                             "str %[v], [%[p]]\n\t"
                             "orr %[n], %[o], %[ap2]\n\t"
                             "stxr %w[st], %[n], [%[d]]"
                             : [o] "=&r"(o), [n] "=&r"(n), [st] "=&r"(status)
                             : [d] "r"(d), [p] "r"(p), [v] "r"(v), [ap2] "r"(DESC_AP2)
                             : "memory");
    else
        __asm__ __volatile__("ldxr %[o], [%[d]]\n\t"
                             "orr %[n], %[o], %[ap2]\n\t"
                             "stxr %w[st], %[n], [%[d]]"
                             : [o] "=&r"(o), [n] "=&r"(n), [st] "=&r"(status)
                             : [d] "r"(d), [ap2] "r"(DESC_AP2)
                             : "memory");
    *old = o;
    return status;
}

/* The same with compare-and-swap. */
static bool reclean_cas(uint64_t *d, uint64_t *old, bool store, uint64_t p, uint64_t v)
{
    uint64_t o = desc_read(d);
    if (store)
        *(volatile uint64_t *)p = v;
    *old = o;
    return __atomic_compare_exchange_n(d, old, o | DESC_AP2, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

/* Which stores iteration i makes: bit 0 before the pair, bit 1 inside it. */
static unsigned pattern(unsigned i)
{
    return (i * 7u + i / 4u) & 3u; /* 12 of each in 48, in every order */
}

/* 1. dirty race: dd is the leaf of PD, made writable-clean (clean) */
static void race_dirty(uint64_t *dd, uint64_t clean, bool hw_dirty)
{
    desc_write(dd, clean);
    mmu_tlbi_page(PD);
    mt_expect(MT_FIX);
    unsigned fails = 0;
    for (unsigned i = 0; i < N_RACE; i++) {
        desc_set_bits(dd, DESC_AP2); /* re-clean */
        mmu_tlbi_page(PD);
        fails += ldxr_store_stxr(dd, PD + 8 * (i % 8), i, DESC_SW0);
    }
    printf("  dirty race: %u iterations, %u STXR failures, %u aborts\n", N_RACE, fails, mt_seen.count);
    CHECK_EQ_MSG("dirty race: every STXR failed", fails, N_RACE);
    CHECK_EQ_MSG("  aborts", mt_seen.count, hw_dirty ? 0 : N_RACE);
    CHECK_EQ_MSG("  descriptor dirty, software bit never written", desc_read(dd), clean & ~DESC_AP2);
    CHECK_EQ_MSG("  the last store's data", ((volatile uint64_t *)pages[0])[(N_RACE - 1) % 8], N_RACE - 1);
}

/* 2. Access flag race: da is the leaf of PA */
static void race_access_flag(uint64_t *da, bool hw_af)
{
    desc_write(da, PA | rw | DESC_TYPE_PAGE);
    mmu_tlbi_page(PA);
    ((volatile uint64_t *)pages[1])[0] = 0xaf;
    mt_expect(MT_FIX);
    unsigned fails = 0;
    unsigned bad_loads = 0;
    for (unsigned i = 0; i < N_RACE; i++) {
        uint64_t v;
        desc_clear_bits(da, DESC_AF);
        mmu_tlbi_page(PA);
        fails += ldxr_load_stxr(da, PA, DESC_SW0, &v);
        bad_loads += v != 0xaf;
    }
    printf("  Access flag race: %u iterations, %u STXR failures, %u aborts\n", N_RACE, fails, mt_seen.count);
    CHECK_EQ_MSG("Access flag race: every STXR failed", fails, N_RACE);
    CHECK_EQ_MSG("  aborts", mt_seen.count, hw_af ? 0 : N_RACE);
    CHECK_EQ_MSG("  loads with a wrong value", bad_loads, 0);
    CHECK_EQ_MSG("  descriptor has AF, software bit never written", desc_read(da), PA | rw | DESC_TYPE_PAGE);
}

/* 3. control: nothing for the store to change */
static void race_control(uint64_t *dd, uint64_t clean)
{
    mt_expect(MT_FIX);
    *(volatile uint64_t *)PD = 0; /* dirty already; the TLB holds the writable entry */
    unsigned fails = 0;
    for (unsigned i = 0; i < N_RACE; i++)
        fails += ldxr_store_stxr(dd, PD + 8 * (i % 8), i, DESC_SW0);
    printf("  control (page already dirty): %u iterations, %u STXR failures\n", N_RACE, fails);
    CHECK_EQ_MSG("control: every STXR succeeded", fails, 0);
    CHECK_EQ_MSG("  aborts", mt_seen.count, 0);
    CHECK_EQ_MSG("  descriptor (software bit toggled an even number of times)", desc_read(dd),
                 clean & ~DESC_AP2);
}

/* Re-cleans P until the update succeeds; with `store_inside`, a store of v to P sits inside the
 * first attempt. Returns the number of retries, *old = the descriptor the last attempt read. */
static unsigned reclean_until_done(uint64_t *dd, int use_cas, bool store_inside, uint64_t v,
                                   uint64_t *old)
{
    unsigned attempt = 0;
    for (;;) {
        bool store = store_inside && attempt == 0;
        bool done = use_cas ? reclean_cas(dd, old, store, PD + 0x100, v)
                            : reclean_pair(dd, old, store, PD + 0x100, v) == 0;
        if (done)
            return attempt;
        attempt++;
    }
}

/* 4 and 5: the re-clean protocol, with LDXR/STXR or with CAS */
static void reclean_protocol(uint64_t *dd, uint64_t clean, int use_cas, bool hw_dirty)
{
    unsigned retries = 0, flushed = 0, not_clean = 0, exp_retries = 0, exp_flushed = 0,
             exp_aborts = 0;
    uint64_t last = 0;
    desc_write(dd, clean);
    mmu_tlbi_page(PD);
    mt_expect(MT_FIX);
    for (unsigned i = 0; i < N_PROTO; i++) {
        unsigned p = pattern(i);
        uint64_t v = 0x1000 + i, old;
        exp_retries += p == 2;
        exp_flushed += p != 0;
        exp_aborts += p != 0;
        if (p & 3)
            last = v; /* stored before the pair (bit 0), inside it (bit 1), or both */
        if (p & 1)
            *(volatile uint64_t *)(PD + 0x100) = v;
        retries += reclean_until_done(dd, use_cas, (p & 2) != 0, v, &old);
        flushed += desc_is_dirty(old);
        mmu_tlbi_page(PD);
        not_clean += !desc_is_writable_clean(desc_read(dd));
    }
    const char *name = use_cas ? "CAS" : "LDXR/STXR";
    printf("  re-clean with %s: %u iterations, %u retries, %u seen dirty, %u aborts\n", name,
           N_PROTO, retries, flushed, mt_seen.count);
    char msg[80];
    snprintf(msg, sizeof msg, "re-clean with %s: retries = stores inside the update", name);
    CHECK_EQ_MSG(msg, retries, exp_retries);
    CHECK_EQ_MSG("  pages seen dirty = iterations with a store", flushed, exp_flushed);
    CHECK_EQ_MSG("  aborts", mt_seen.count, hw_dirty ? 0 : exp_aborts);
    CHECK_EQ_MSG("  iterations that left the page not clean", not_clean, 0);
    CHECK_EQ_MSG("  the last store's data", ((volatile uint64_t *)pages[0])[0x100 / 8], last);
    CHECK_EQ_MSG("  descriptor clean", desc_read(dd), clean);
    *(volatile uint64_t *)PD = 1;
    CHECK_EQ_MSG("  one more store: dirty pages", mmu_count_dirty(PD, PAGE), 1);
}

static void run(uint64_t hw)
{
    bool hw_dirty = (hw & TCR_HD) && (hw & TCR_HA), hw_af = (hw & TCR_HA) != 0;
    uint64_t *dd = mmu_leaf_desc(PD, NULL), *da = mmu_leaf_desc(PA, NULL);
    uint64_t clean = PD | rw | MMU_WRITABLE_CLEAN | DESC_TYPE_PAGE;

    race_dirty(dd, clean, hw_dirty);
    race_access_flag(da, hw_af);
    race_control(dd, clean);
    for (int use_cas = 0; use_cas < 2; use_cas++)
        reclean_protocol(dd, clean, use_cas, hw_dirty);
    mt_expect(MT_NONE);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mt_begin("mmu_race");
    uint64_t hw = mmu_hw_supported();
    mt_enable(hw);
    if (hw) {
        t_section("hardware updates race with LDXR/STXR and CAS");
        run(hw);
    } else {
        t_section("hardware updates race with LDXR/STXR and CAS");
        printf("  skipped: no hardware updates on this CPU\n");
    }
    t_section("software updates (fault handler) race with LDXR/STXR and CAS");
    mt_set_hw(0);
    run(0);
    mmu_disable();
    return t_end();
}
