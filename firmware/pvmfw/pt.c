/* pvmfw's stage-1 page-table manager (pt.h). */
#include "pt.h"

/* SCTLR_EL1 and TCR_EL1 fields (ARM ARM D17.2). */
#define SCTLR_M        (1ull << 0)
#define SCTLR_A        (1ull << 1)
#define SCTLR_C        (1ull << 2)
#define SCTLR_I        (1ull << 12)
#define SCTLR_WXN      (1ull << 19)
#define SCTLR_E0E      (1ull << 24)
#define SCTLR_EE       (1ull << 25)
#define TCR_T0SZ(n)    ((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER  (3ull << 12)
#define TCR_TG0_4K     (0ull << 14)
#define TCR_T1SZ(n)    ((uint64_t)(n) << 16)
#define TCR_EPD1       (1ull << 23)
#define TCR_IPS(n)     ((uint64_t)(n) << 32)
#define TCR_HA         (1ull << 39)
#define TCR_HD         (1ull << 40)

static uint64_t *pt_root;
static unsigned pt_vabits;
static unsigned pt_start;        /* level the walk starts at */
static uint64_t pt_pool_next, pt_pool_end;

static inline void dsb_ishst(void) { __asm__ __volatile__("dsb ishst" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ __volatile__("dsb ish" ::: "memory"); }

/* Descriptor accesses are single 64-bit loads and stores (single-copy atomic): the hardware may
 * update a descriptor (AF, dirty state) at any time. */
static inline uint64_t desc_read(const uint64_t *e) { return __atomic_load_n(e, __ATOMIC_RELAXED); }
static inline void desc_write(uint64_t *e, uint64_t d) { __atomic_store_n(e, d, __ATOMIC_RELAXED); }

static inline unsigned pt_index(uint64_t va, unsigned level)
{
    return (unsigned)((va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1));
}

static inline uint64_t va_limit(void) { return 1ull << pt_vabits; }

/* Entries of a table of `level` (the root table is smaller when T0SZ is not a multiple of 9). */
static unsigned table_entries(unsigned level)
{
    if (level != pt_start)
        return PT_ENTRIES;
    unsigned bits = pt_vabits - PT_LEVEL_SHIFT(level);
    return bits >= 9 ? PT_ENTRIES : 1u << bits;
}

void pt_tlbi_vale1(uint64_t va)
{
    dsb_ishst();
    __asm__ __volatile__("tlbi vale1, %0" ::"r"((va >> 12) & 0xfffffffffffull) : "memory");
    dsb_ish();
    isb();
}

void pt_tlbi_vae1is(uint64_t va)
{
    dsb_ishst();
    __asm__ __volatile__("tlbi vae1is, %0" ::"r"((va >> 12) & 0xfffffffffffull) : "memory");
    dsb_ish();
    isb();
}

static uint64_t *alloc_table(void)
{
    if (pt_pool_next + PV_PAGE_SIZE > pt_pool_end)
        return NULL;
    uint64_t *t = (uint64_t *)(uintptr_t)pt_pool_next;
    pt_pool_next += PV_PAGE_SIZE;
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        t[i] = 0;
    pv_stats.tables++;
    return t;
}

void pt_init(unsigned va_bits, uint64_t pool, uint64_t pool_size)
{
    pt_vabits = va_bits;
    pt_start = va_bits > 39 ? 0 : 1;
    pt_pool_next = pool;
    pt_pool_end = pool + pool_size;
    pt_root = alloc_table();
}

unsigned pt_va_bits(void) { return pt_vabits; }
uint64_t pt_root_pa(void) { return (uintptr_t)pt_root; }

/* Replaces the entry at e (mapping va) with d. A valid entry is replaced break-before-make when
 * the MMU is on: invalid first, TLBI, then the new entry. */
static void set_entry(uint64_t *e, uint64_t d, uint64_t va)
{
    uint64_t old = desc_read(e);
    if ((old & PT_VALID) && pv_mmu_on) {
        desc_write(e, (d & PT_VALID) ? 0 : d);
        pt_tlbi_vae1is(va);
        if (d & PT_VALID)
            desc_write(e, d);
    } else {
        desc_write(e, d);
    }
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

/* Splits the block or lazy-tagged invalid entry e of `level`, which maps [base, base + size of
 * the level), into a table of the next level with the same meaning: a block's attributes on
 * every smaller leaf; a lazy tag on the entries that overlap the tagged region, 0 elsewhere. */
static uint64_t *split_entry(uint64_t *e, unsigned level, uint64_t base)
{
    uint64_t d = desc_read(e);
    uint64_t *t = alloc_table();
    if (!t)
        return NULL;
    unsigned child = level + 1;
    uint64_t csize = PT_LEVEL_SIZE(child);
    if (d & PT_VALID) {
        uint64_t attrs = d & ~(PT_OA_MASK | PT_TYPE_MASK);
        uint64_t type = child == 3 ? PT_TYPE_PAGE : PT_TYPE_BLOCK;
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            t[i] = attrs | ((d & PT_OA_MASK) + i * csize) | type;
        pv_stats.splits++;
    } else if (PT_SW_TAG_OF(d)) {
        unsigned tag = PT_SW_TAG_OF(d);
        const struct pv_region *r = pv_region_of_tag(tag);
        for (unsigned i = 0; i < PT_ENTRIES; i++)
            t[i] = r && overlaps(base + i * csize, csize, r->base, r->size) ? PT_SW_TAG(tag) : 0;
        pv_stats.splits++;
    }
    dsb_ishst(); /* the new table's contents before the entry that points to it */
    set_entry(e, (uintptr_t)t | PT_TYPE_TABLE, base);
    dsb_ishst();
    isb();
    return t;
}

/* The entry of `level` on va's walk; with create, missing tables are allocated and blocks or lazy
 * entries on the way are split. NULL when a table is missing (without create) or the pool is
 * exhausted. */
static uint64_t *entry_at(uint64_t va, unsigned level, bool create)
{
    uint64_t *table = pt_root;
    for (unsigned l = pt_start;; l++) {
        uint64_t *e = &table[pt_index(va, l)];
        if (l == level)
            return e;
        uint64_t d = desc_read(e);
        if ((d & PT_TYPE_MASK) == PT_TYPE_TABLE) {
            table = (uint64_t *)(uintptr_t)(d & PT_OA_MASK);
            continue;
        }
        if (!create)
            return NULL;
        table = split_entry(e, l, pv_align_down(va, PT_LEVEL_SIZE(l)));
        if (!table)
            return NULL;
    }
}

uint64_t *pt_lookup(uint64_t va, unsigned *level)
{
    if (va >= va_limit())
        return NULL;
    uint64_t *table = pt_root;
    for (unsigned l = pt_start;; l++) {
        uint64_t *e = &table[pt_index(va, l)];
        uint64_t d = desc_read(e);
        if (l == 3 || (d & PT_TYPE_MASK) != PT_TYPE_TABLE) {
            *level = l;
            return e;
        }
        table = (uint64_t *)(uintptr_t)(d & PT_OA_MASK);
    }
}

/* Writes [va, va + size) with leaves (valid) or invalid entries carrying the software bits of
 * `attrs` (invalid). */
static bool set_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, unsigned flags,
                      bool valid)
{
    if ((va | pa | size) & (PV_PAGE_SIZE - 1))
        return false;
    if (va >= va_limit() || size > va_limit() - va)
        return false;
    while (size) {
        unsigned level = 3;
        if (flags & PT_MAP_BLOCKS) {
            for (unsigned l = pt_start > 1 ? pt_start : 1; l < 3; l++) {
                uint64_t ls = PT_LEVEL_SIZE(l);
                if (((va | pa) & (ls - 1)) == 0 && size >= ls) {
                    level = l;
                    break;
                }
            }
        }
        uint64_t *e;
        for (;;) {
            e = entry_at(va, level, true);
            if (!e)
                return false;
            /* Finer mappings already there: keep the table, write its entries. */
            if (level < 3 && (desc_read(e) & PT_TYPE_MASK) == PT_TYPE_TABLE) {
                level++;
                continue;
            }
            break;
        }
        uint64_t d;
        if (valid)
            d = (attrs & ~(PT_OA_MASK | PT_TYPE_MASK)) | (pa & PT_OA_MASK) |
                (level == 3 ? PT_TYPE_PAGE : PT_TYPE_BLOCK);
        else
            d = attrs & PT_SW_MASK;
        set_entry(e, d, va);
        uint64_t ls = PT_LEVEL_SIZE(level);
        va += ls;
        pa += ls;
        size -= ls;
    }
    dsb_ishst();
    isb();
    return true;
}

bool pt_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, unsigned flags)
{
    return set_range(va, pa, size, attrs, flags, true);
}

bool pt_unmap(uint64_t va, uint64_t size, uint64_t sw)
{
    return set_range(va, va, size, sw, PT_MAP_BLOCKS, false);
}

bool pt_tag_lazy(uint64_t base, uint64_t size, unsigned tag)
{
    uint64_t end = base + size;
    if (tag == 0 || tag > 15 || end > va_limit())
        return false;
    for (uint64_t chunk = pv_align_down(base, PT_BLOCK_2M); chunk < end; chunk += PT_BLOCK_2M) {
        uint64_t *e2 = entry_at(chunk, 2, true);
        if (!e2)
            return false;
        uint64_t d = desc_read(e2);
        if (d == 0) {
            desc_write(e2, PT_SW_TAG(tag)); /* one entry for the whole 2 MiB */
            continue;
        }
        if (!(d & PT_VALID) && PT_SW_TAG_OF(d) == tag)
            continue;
        /* Shared with something else: per page (splitting what is there). */
        uint64_t lo = base > chunk ? base : chunk;
        uint64_t hi = end < chunk + PT_BLOCK_2M ? end : chunk + PT_BLOCK_2M;
        for (uint64_t p = pv_align_down(lo, PV_PAGE_SIZE); p < hi; p += PV_PAGE_SIZE) {
            uint64_t *e3 = entry_at(p, 3, true);
            if (!e3 || (desc_read(e3) != 0 && desc_read(e3) != PT_SW_TAG(tag)))
                return false;
            desc_write(e3, PT_SW_TAG(tag));
        }
    }
    dsb_ishst();
    isb();
    return true;
}

static void walk_leaves(uint64_t *table, unsigned level, uint64_t base, uint64_t lo, uint64_t hi,
                        pt_leaf_fn fn, void *ctx)
{
    uint64_t ls = PT_LEVEL_SIZE(level);
    unsigned n = table_entries(level);
    for (unsigned i = 0; i < n; i++) {
        uint64_t va = base + i * ls;
        if (va >= hi)
            break;
        if (va + ls <= lo)
            continue;
        uint64_t d = desc_read(&table[i]);
        if (!(d & PT_VALID))
            continue;
        if (level < 3 && (d & PT_TYPE_MASK) == PT_TYPE_TABLE)
            walk_leaves((uint64_t *)(uintptr_t)(d & PT_OA_MASK), level + 1, va, lo, hi, fn, ctx);
        else
            fn(va, ls, level, &table[i], ctx);
    }
}

void pt_for_each_leaf(uint64_t lo, uint64_t hi, pt_leaf_fn fn, void *ctx)
{
    walk_leaves(pt_root, pt_start, 0, lo, hi, fn, ctx);
}

void pt_enable(bool ha, bool hd)
{
    uint64_t parange = read_sysreg(ID_AA64MMFR0_EL1) & 0xf;
    if (parange > 5)
        parange = 5; /* 48 bits: all this firmware needs */
    unsigned t0sz = 64 - pt_vabits;
    uint64_t tcr = TCR_T0SZ(t0sz) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
                   TCR_T1SZ(t0sz) | TCR_EPD1 | TCR_IPS(parange) | (ha ? TCR_HA : 0) |
                   (hd ? TCR_HD : 0);
    dsb_ish();
    write_sysreg(MAIR_EL1, PV_MAIR_VALUE);
    write_sysreg(TCR_EL1, tcr);
    write_sysreg(TTBR0_EL1, pt_root_pa()); /* ASID 0 */
    isb();
    __asm__ __volatile__("tlbi vmalle1" ::: "memory");
    __asm__ __volatile__("dsb nsh" ::: "memory");
    isb();
    uint64_t sctlr = read_sysreg(SCTLR_EL1);
    sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
    sctlr &= ~(SCTLR_A | SCTLR_WXN | SCTLR_EE | SCTLR_E0E);
    write_sysreg(SCTLR_EL1, sctlr);
    isb();
    pv_mmu_on = true;
}

void pt_disable(void)
{
    uint64_t sctlr = read_sysreg(SCTLR_EL1);
    sctlr &= ~(SCTLR_M | SCTLR_C | SCTLR_I);
    write_sysreg(SCTLR_EL1, sctlr);
    isb();
    pv_mmu_on = false;
    __asm__ __volatile__("tlbi vmalle1" ::: "memory");
    __asm__ __volatile__("dsb nsh" ::: "memory");
    isb();
}
