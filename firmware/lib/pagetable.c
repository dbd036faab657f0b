/* Stage 1 translation tables for the firmware tests (pagetable.h). */
#include "pagetable.h"

extern char __image_start[], __image_end[];

static uint64_t pool[MMU_POOL_TABLES][MMU_ENTRIES] __attribute__((aligned(MMU_PAGE_SIZE)));
static unsigned pool_used;
static uint64_t *root; /* level 0 table */
static unsigned cur_asid;

#define ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

unsigned mmu_hafdbs(void)
{
    return ID_AA64MMFR1_HAFDBS(read_sysreg(ID_AA64MMFR1_EL1));
}

uint64_t mmu_hw_supported(void)
{
    unsigned h = mmu_hafdbs();
    if (h >= HAFDBS_AF_DIRTY)
        return TCR_HA | TCR_HD;
    if (h >= HAFDBS_AF)
        return TCR_HA;
    return 0;
}

const char *mmu_hafdbs_name(unsigned hafdbs)
{
    switch (hafdbs) {
    case HAFDBS_NONE: return "no hardware updates";
    case HAFDBS_AF: return "hardware Access flag";
    case HAFDBS_AF_DIRTY: return "hardware Access flag and dirty state";
    default: return "hardware Access flag and dirty state, and more";
    }
}

static uint64_t *table_alloc(void)
{
    if (pool_used >= MMU_POOL_TABLES)
        return NULL;
    uint64_t *t = pool[pool_used++];
    for (unsigned i = 0; i < MMU_ENTRIES; i++)
        t[i] = 0;
    return t;
}

static inline uint64_t *table_of(uint64_t desc)
{
    return (uint64_t *)(uintptr_t)desc_oa(desc); /* identity map: PA = VA */
}

static inline bool is_table(uint64_t d, unsigned level)
{
    return level < MMU_LEAF_LEVEL && (d & DESC_TYPE_MASK) == DESC_TYPE_TABLE;
}

static inline uint64_t leaf_type(unsigned level)
{
    return level == MMU_LEAF_LEVEL ? DESC_TYPE_PAGE : DESC_TYPE_BLOCK;
}

/* Replace the entry *e at `level` (invalid or a Block) with a Table of level + 1; a Block is
 * split into 512 leaves of the same attributes. Returns the new table, or NULL. */
static uint64_t *make_table(uint64_t *e, unsigned level)
{
    uint64_t old = *e;
    uint64_t *t = table_alloc();
    if (!t)
        return NULL;
    if (old & DESC_VALID) { /* a Block: split it */
        uint64_t attrs = old & DESC_LEAF_ATTRS, oa = desc_oa(old), step = MMU_LEVEL_SIZE(level + 1);
        for (unsigned i = 0; i < MMU_ENTRIES; i++)
            t[i] = (oa + i * step) | attrs | leaf_type(level + 1);
        if (mmu_enabled()) { /* break-before-make */
            desc_write(e, 0);
            mmu_tlbi_all();
        }
    }
    desc_write(e, (uint64_t)(uintptr_t)t | DESC_TYPE_TABLE);
    return t;
}

/* The table of level `level` on va's walk, created (or split out of a Block) if need be. */
static uint64_t *walk_to(uint64_t va, unsigned level)
{
    uint64_t *t = root;
    for (unsigned l = MMU_START_LEVEL; l < level; l++) {
        uint64_t *e = &t[MMU_INDEX(va, l)];
        t = is_table(*e, l) ? table_of(*e) : make_table(e, l);
        if (!t)
            return NULL;
    }
    return t;
}

/* One leaf at `level` (or invalid when `invalid`) for each step of [va, va + size). */
static int set_leaves(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, unsigned level,
                      bool invalid)
{
    uint64_t step = MMU_LEVEL_SIZE(level);
    for (uint64_t off = 0; off < size; off += step) {
        uint64_t *t = walk_to(va + off, level);
        if (!t)
            return -1;
        t[MMU_INDEX(va + off, level)] =
            invalid ? 0 : ((pa + off) & DESC_OA_MASK) | (attrs & DESC_LEAF_ATTRS) | leaf_type(level);
    }
    return 0;
}

/* Largest leaf level whose size fits at va/pa with `left` bytes to go. */
static unsigned best_level(uint64_t va, uint64_t pa, uint64_t left, enum mmu_granularity g)
{
    if (g == MMU_MAP_BLOCKS) {
        for (unsigned l = 1; l < MMU_LEAF_LEVEL; l++) {
            uint64_t s = MMU_LEVEL_SIZE(l);
            if (ALIGNED(va, s) && ALIGNED(pa, s) && left >= s)
                return l;
        }
    }
    return MMU_LEAF_LEVEL;
}

static int map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
                     enum mmu_granularity g, bool invalid)
{
    if (!root || !ALIGNED(va | pa | size, MMU_PAGE_SIZE) || va + size < va ||
        ((va + size - 1) >> MMU_VA_BITS) != 0)
        return -1;
    uint64_t off = 0;
    while (off < size) {
        unsigned l = best_level(va + off, pa + off, size - off, g);
        uint64_t s = MMU_LEVEL_SIZE(l);
        if (set_leaves(va + off, pa + off, s, attrs, l, invalid) != 0)
            return -1;
        off += s;
    }
    dsb_ishst();
    return 0;
}

int mmu_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, enum mmu_granularity g)
{
    return map_range(va, pa, size, attrs, g, false);
}

int mmu_unmap(uint64_t va, uint64_t size)
{
    return map_range(va, va, size, 0, MMU_MAP_PAGES, true);
}

uint64_t *mmu_desc_addr(uint64_t va, unsigned level)
{
    if (!root || level > MMU_LEAF_LEVEL || (va >> MMU_VA_BITS) != 0)
        return NULL;
    uint64_t *t = root;
    for (unsigned l = MMU_START_LEVEL; l < level; l++) {
        uint64_t d = desc_read(&t[MMU_INDEX(va, l)]);
        if (!is_table(d, l))
            return NULL;
        t = table_of(d);
    }
    return &t[MMU_INDEX(va, level)];
}

uint64_t *mmu_leaf_desc(uint64_t va, unsigned *level)
{
    unsigned l = MMU_START_LEVEL;
    uint64_t *e = NULL;
    if (root && (va >> MMU_VA_BITS) == 0) {
        uint64_t *t = root;
        for (;; l++) {
            e = &t[MMU_INDEX(va, l)];
            uint64_t d = desc_read(e);
            if (!(d & DESC_VALID)) {
                e = NULL;
                break;
            }
            if (!is_table(d, l))
                break; /* Block or Page */
            t = table_of(d);
        }
    }
    if (level)
        *level = l;
    return e;
}

unsigned mmu_count_leaves(uint64_t va, uint64_t size, uint64_t mask, uint64_t value)
{
    unsigned n = 0;
    uint64_t end = va + size;
    while (va < end) {
        unsigned l;
        uint64_t *d = mmu_leaf_desc(va, &l);
        if (d && (desc_read(d) & mask) == value)
            n++;
        /* next entry of that level */
        va = (va & ~(MMU_LEVEL_SIZE(l) - 1)) + MMU_LEVEL_SIZE(l);
    }
    return n;
}

void mmu_init(void)
{
    pool_used = 0;
    root = table_alloc();
    cur_asid = 0;
    uint64_t ram_end = FW_RAM_BASE + MMU_RAM_SIZE;
    uint64_t img_lo = (uintptr_t)__image_start & ~(MMU_BLOCK_2M - 1);
    uint64_t img_hi = ((uintptr_t)__image_end + MMU_BLOCK_2M - 1) & ~(MMU_BLOCK_2M - 1);
    uint64_t ram = MMU_NORMAL | DESC_AF | MMU_RW;
    uint64_t dev = MMU_DEVICE | DESC_AF | MMU_RW;
    mmu_map(FW_RAM_BASE, FW_RAM_BASE, img_lo - FW_RAM_BASE, ram, MMU_MAP_BLOCKS);
    mmu_map(img_lo, img_lo, img_hi - img_lo, ram, MMU_MAP_PAGES);
    mmu_map(img_hi, img_hi, ram_end - img_hi, ram, MMU_MAP_BLOCKS);
    mmu_map(FW_UART_BASE, FW_UART_BASE, MMU_PAGE_SIZE, dev, MMU_MAP_PAGES);
    mmu_map(FW_VIRTIO_BASE, FW_VIRTIO_BASE, 32 * FW_VIRTIO_STRIDE, dev, MMU_MAP_PAGES);
}

uint64_t mmu_tcr_value(uint64_t hw)
{
    unsigned ips = ID_AA64MMFR0_PARANGE(read_sysreg(ID_AA64MMFR0_EL1));
    if (ips > 5) /* 0b0101: 48 bits, the most a 4 KiB granule without FEAT_LPA2 uses */
        ips = 5;
    return TCR_T0SZ(MMU_T0SZ) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
           TCR_T1SZ(MMU_T0SZ) | TCR_EPD1 | ((uint64_t)ips << TCR_IPS_SHIFT) |
           (hw & (TCR_HA | TCR_HD));
}

static uint64_t ttbr0_value(void)
{
    return ((uint64_t)(uintptr_t)root & TTBR_BADDR_MASK) | ((uint64_t)cur_asid << TTBR_ASID_SHIFT);
}

static void tlbi_all_local(void)
{
    dsb_ishst();
    TLBI_ALL(vmalle1);
    dsb_nsh();
    isb();
}

void mmu_enable(uint64_t hw)
{
    dsb_ish(); /* the tables are written */
    write_sysreg(MAIR_EL1, MMU_MAIR_VALUE);
    write_sysreg(TCR_EL1, mmu_tcr_value(hw));
    write_sysreg(TTBR0_EL1, ttbr0_value());
    isb();
    tlbi_all_local(); /* TLB contents are UNKNOWN at reset */
    __asm__ __volatile__("ic iallu" ::: "memory");
    dsb_nsh();
    isb();
    uint64_t sctlr = read_sysreg(SCTLR_EL1);
    sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
    sctlr &= ~(SCTLR_A | SCTLR_WXN | SCTLR_EE | SCTLR_E0E);
    write_sysreg(SCTLR_EL1, sctlr);
    isb();
}

void mmu_disable(void)
{
    dsb_ish();
    write_sysreg(SCTLR_EL1, read_sysreg(SCTLR_EL1) & ~(SCTLR_M | SCTLR_C));
    isb();
    tlbi_all_local();
}

bool mmu_enabled(void)
{
    return (read_sysreg(SCTLR_EL1) & SCTLR_M) != 0;
}

void mmu_set_hw(uint64_t hw)
{
    uint64_t tcr = read_sysreg(TCR_EL1) & ~(TCR_HA | TCR_HD);
    write_sysreg(TCR_EL1, tcr | (hw & (TCR_HA | TCR_HD)));
    isb();
    tlbi_all_local();
}

void mmu_set_asid(unsigned asid)
{
    cur_asid = asid & 0xffu;
    write_sysreg(TTBR0_EL1, ttbr0_value());
    isb();
}

unsigned mmu_asid(void)
{
    return cur_asid;
}

uint64_t mmu_ttbr0_table(void)
{
    return (uint64_t)(uintptr_t)root;
}

unsigned mmu_tables_used(void)
{
    return pool_used;
}

void mmu_tlbi_page(uint64_t va)
{
    dsb_ishst();
    TLBI(vale1is, tlbi_va_arg(va, cur_asid));
    dsb_ish();
    isb();
}

void mmu_tlbi_va(uint64_t va)
{
    dsb_ishst();
    TLBI(vae1is, tlbi_va_arg(va, cur_asid));
    dsb_ish();
    isb();
}

void mmu_tlbi_all(void)
{
    dsb_ishst();
    TLBI_ALL(vmalle1is);
    dsb_ish();
    isb();
}

uint64_t mmu_at_s1e1r(uint64_t va)
{
    __asm__ __volatile__("at s1e1r, %0" :: "r"(va) : "memory");
    isb();
    return read_sysreg(PAR_EL1);
}

uint64_t mmu_at_s1e1w(uint64_t va)
{
    __asm__ __volatile__("at s1e1w, %0" :: "r"(va) : "memory");
    isb();
    return read_sysreg(PAR_EL1);
}
