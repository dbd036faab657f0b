/* Stage 1 translation tables for the firmware tests: the EL1&0 regime through TTBR0_EL1, 4 KiB
 * granule, 48-bit VA (TCR_EL1.T0SZ = 16, walks start at level 0), tables in a static pool.
 *
 *   mmu_init();                      identity map: RAM Normal write-back (pages around the image,
 *                                    2 MiB blocks elsewhere), the UART and virtio pages Device-nGnRnE
 *   mmu_enable(mmu_hw_supported());  MAIR, TCR (with HA/HD as asked), TTBR0, SCTLR.M/C/I
 *   mmu_map(va, pa, size, MMU_NORMAL | DESC_AF | MMU_WRITABLE_CLEAN, MMU_MAP_PAGES);
 *   mmu_tlbi_page(va);               after changing a valid leaf
 *   uint64_t *d = mmu_leaf_desc(va, &level);
 *
 * The map functions only write descriptors (and end with DSB ISHST): invalidating the TLB after
 * changing or removing a valid entry is the caller's job, so that a test can choose the TLBI
 * (or leave it out). Adding an entry where there was an invalid one needs no TLBI: the
 * architecture never caches a translation that faults with a Translation fault.
 *
 * Names follow the ARM ARM (DDI 0487, D8.3 "Translation table descriptor formats", D17.2 TCR_EL1,
 * SCTLR_EL1, MAIR_EL1, ESR_EL1); test logic uses these names, never raw bit numbers. The
 * functions keep the mmu_ prefix: from the firmware's side they program the MMU (the file name
 * says what the library mostly is: docs/decisions.md, "Three things called mmu").
 */
#ifndef HTTUSIM_FW_PAGETABLE_H
#define HTTUSIM_FW_PAGETABLE_H

#include <stdbool.h>

#include "fw.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 4 KiB granule geometry ---------------------------------------------------------------- */
#define MMU_PAGE_SHIFT      12
#define MMU_PAGE_SIZE       (1ull << MMU_PAGE_SHIFT)
#define MMU_ENTRIES         512u                        /* descriptors per table */
#define MMU_START_LEVEL     0u
#define MMU_LEAF_LEVEL      3u
#define MMU_VA_BITS         48u
#define MMU_T0SZ            (64u - MMU_VA_BITS)
/* Bits of VA resolved below level l, and so the size one entry of level l maps. */
#define MMU_LEVEL_SHIFT(l)  (MMU_PAGE_SHIFT + 9u * (3u - (unsigned)(l)))
#define MMU_LEVEL_SIZE(l)   (1ull << MMU_LEVEL_SHIFT(l))
#define MMU_INDEX(va, l)    ((unsigned)(((uint64_t)(va) >> MMU_LEVEL_SHIFT(l)) & (MMU_ENTRIES - 1)))
#define MMU_BLOCK_1G        MMU_LEVEL_SIZE(1)
#define MMU_BLOCK_2M        MMU_LEVEL_SIZE(2)

/* ---- descriptors (D8.3) -------------------------------------------------------------------- */
#define DESC_VALID          (1ull << 0)
#define DESC_TABLE          (1ull << 1)   /* levels 0-2: 1 = Table, 0 = Block */
#define DESC_PAGE           (1ull << 1)   /* level 3: 1 = Page (0 is reserved) */
#define DESC_TYPE_MASK      (DESC_VALID | DESC_TABLE)
#define DESC_TYPE_BLOCK     DESC_VALID
#define DESC_TYPE_TABLE     (DESC_VALID | DESC_TABLE)
#define DESC_TYPE_PAGE      (DESC_VALID | DESC_PAGE)
/* Block and Page descriptors: lower attributes */
#define DESC_ATTRINDX_SHIFT 2
#define DESC_ATTRINDX(i)    ((uint64_t)(i) << DESC_ATTRINDX_SHIFT)
#define DESC_ATTRINDX_MASK  (7ull << DESC_ATTRINDX_SHIFT)
#define DESC_NS             (1ull << 5)
#define DESC_AP1            (1ull << 6)   /* AP[1]: accessible at EL0 */
#define DESC_AP2            (1ull << 7)   /* AP[2]: read-only */
#define DESC_SH_NON         (0ull << 8)
#define DESC_SH_OUTER       (2ull << 8)
#define DESC_SH_INNER       (3ull << 8)
#define DESC_SH_MASK        (3ull << 8)
#define DESC_AF             (1ull << 10)  /* Access flag */
#define DESC_NG             (1ull << 11)  /* not global: tagged with the ASID */
#define DESC_OA_MASK        0x0000fffffffff000ull /* output address bits [47:12] */
/* upper attributes */
#define DESC_DBM            (1ull << 51)  /* Dirty Bit Modifier (FEAT_HAFDBS) */
#define DESC_CONTIGUOUS     (1ull << 52)
#define DESC_PXN            (1ull << 53)
#define DESC_UXN            (1ull << 54)
#define DESC_SW0            (1ull << 55)  /* bits [58:55] are IGNORED: reserved for software */
#define DESC_SW1            (1ull << 56)
#define DESC_SW2            (1ull << 57)
#define DESC_SW3            (1ull << 58)
/* Table descriptors: hierarchical attributes */
#define DESC_PXNTABLE       (1ull << 59)
#define DESC_UXNTABLE       (1ull << 60)
#define DESC_APTABLE0       (1ull << 61)
#define DESC_APTABLE1       (1ull << 62)
#define DESC_NSTABLE        (1ull << 63)
/* The attribute bits of a Block or Page descriptor (everything but type and output address). */
#define DESC_LEAF_ATTRS     (~(DESC_TYPE_MASK | DESC_OA_MASK))

/* Dirty state with FEAT_HAFDBS (D8.5.2): DBM = 1 and AP[2] = 1 is writable-clean, DBM = 1 and
 * AP[2] = 0 writable-dirty. */
static inline bool desc_is_writable_clean(uint64_t d) { return (d & (DESC_DBM | DESC_AP2)) == (DESC_DBM | DESC_AP2); }
static inline bool desc_is_dirty(uint64_t d)          { return (d & (DESC_DBM | DESC_AP2)) == DESC_DBM; }
static inline uint64_t desc_oa(uint64_t d)            { return d & DESC_OA_MASK; }

/* ---- memory attributes: MAIR_EL1 ----------------------------------------------------------- */
#define MAIR_ATTR_DEVICE_nGnRnE 0x00u
#define MAIR_ATTR_NORMAL_WB     0xffu /* Inner/Outer Write-Back Non-transient, R/W-Allocate */
#define MAIR_ATTR_NORMAL_NC     0x44u /* Inner/Outer Non-cacheable */
#define MMU_ATTR_NORMAL         0u    /* AttrIndx values used by this library */
#define MMU_ATTR_DEVICE         1u
#define MMU_ATTR_NORMAL_NC      2u
#define MAIR_ATTR(idx, attr)    ((uint64_t)(attr) << (8u * (idx)))
#define MMU_MAIR_VALUE          (MAIR_ATTR(MMU_ATTR_NORMAL, MAIR_ATTR_NORMAL_WB) |  \
                                 MAIR_ATTR(MMU_ATTR_DEVICE, MAIR_ATTR_DEVICE_nGnRnE) | \
                                 MAIR_ATTR(MMU_ATTR_NORMAL_NC, MAIR_ATTR_NORMAL_NC))

/* Leaf attribute presets for mmu_map (combine with DESC_AF, DESC_NG, DESC_PXN, ...). */
#define MMU_NORMAL          (DESC_ATTRINDX(MMU_ATTR_NORMAL) | DESC_SH_INNER)
#define MMU_DEVICE          (DESC_ATTRINDX(MMU_ATTR_DEVICE) | DESC_PXN | DESC_UXN)
#define MMU_RW              0ull                    /* AP = 00: EL1 read/write, no EL0 access */
#define MMU_RO              DESC_AP2                /* AP = 10: EL1 read-only */
#define MMU_WRITABLE_CLEAN  (DESC_DBM | DESC_AP2)
#define MMU_WRITABLE_DIRTY  DESC_DBM
#define MMU_XN              (DESC_UXN | DESC_PXN)

/* ---- TCR_EL1 (D17.2) ----------------------------------------------------------------------- */
#define TCR_T0SZ(n)         ((uint64_t)(n) << 0)
#define TCR_EPD0            (1ull << 7)
#define TCR_IRGN0_WBWA      (1ull << 8)
#define TCR_ORGN0_WBWA      (1ull << 10)
#define TCR_SH0_INNER       (3ull << 12)
#define TCR_TG0_4K          (0ull << 14)
#define TCR_T1SZ(n)         ((uint64_t)(n) << 16)
#define TCR_A1              (1ull << 22)
#define TCR_EPD1            (1ull << 23)
#define TCR_IPS_SHIFT       32
#define TCR_IPS_MASK        (7ull << TCR_IPS_SHIFT)
#define TCR_AS              (1ull << 36)
#define TCR_TBI0            (1ull << 37)
#define TCR_HA              (1ull << 39)  /* hardware Access flag update (HAFDBS >= 1) */
#define TCR_HD              (1ull << 40)  /* hardware dirty state update (HAFDBS = 2, with HA) */
#define TCR_HPD0            (1ull << 41)

/* ---- SCTLR_EL1 ----------------------------------------------------------------------------- */
#define SCTLR_M             (1ull << 0)   /* stage 1 MMU enable */
#define SCTLR_A             (1ull << 1)   /* alignment check */
#define SCTLR_C             (1ull << 2)   /* data cacheability */
#define SCTLR_I             (1ull << 12)  /* instruction cacheability */
#define SCTLR_WXN           (1ull << 19)  /* write implies execute-never */
#define SCTLR_E0E           (1ull << 24)
#define SCTLR_EE            (1ull << 25)

/* ---- TTBR0_EL1, PAR_EL1, ID registers ------------------------------------------------------ */
#define TTBR_ASID_SHIFT     48
#define TTBR_BADDR_MASK     0x0000fffffffffffeull
#define PAR_F               (1ull << 0)   /* the AT instruction faulted */
#define PAR_FST(par)        (((par) >> 1) & 0x3fu)
#define PAR_PA_MASK         0x0000fffffffff000ull
#define ID_AA64MMFR0_PARANGE(v) ((unsigned)((v) & 0xfu))
#define ID_AA64MMFR1_HAFDBS(v)  ((unsigned)((v) & 0xfu))
#define HAFDBS_NONE         0u
#define HAFDBS_AF           1u            /* hardware Access flag */
#define HAFDBS_AF_DIRTY     2u            /* hardware Access flag and dirty state */
#define DCZID_DZP           (1u << 4)
#define DCZID_BS(v)         ((unsigned)((v) & 0xfu)) /* log2 of the block size in words */

/* ---- fault status codes and syndromes (ESR_EL1, D17.2) ------------------------------------- */
#define FSC_ADDRESS_SIZE(l) (0x00u + (unsigned)(l))
#define FSC_TRANSLATION(l)  (0x04u + (unsigned)(l))
#define FSC_ACCESS_FLAG(l)  (0x08u + (unsigned)(l))
#define FSC_PERMISSION(l)   (0x0cu + (unsigned)(l))
#define FSC_EXTERNAL        0x10u
#define FSC_ALIGNMENT       0x21u
#define ESR_EC_SHIFT        26
#define ESR_DABT_CM         (1u << 8)
#define ESR_DABT_S1PTW      (1u << 7)
/* The whole ESR_EL1 of an abort taken from EL1 by a 32-bit instruction with no instruction
 * syndrome (ISV = 0): a data abort with WnR as given, or an instruction abort. */
#define ESR_DABT_EL1(fsc, wnr) (((uint64_t)EC_DABT_CUR << ESR_EC_SHIFT) | ESR_IL | \
                                ((wnr) ? ESR_DABT_WNR : 0u) | (fsc))
#define ESR_IABT_EL1(fsc)      (((uint64_t)EC_IABT_CUR << ESR_EC_SHIFT) | ESR_IL | (fsc))

/* ---- barriers and TLB maintenance ---------------------------------------------------------- */
static inline void dsb_ish(void)   { __asm__ __volatile__("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ __volatile__("dsb ishst" ::: "memory"); }
static inline void dsb_nsh(void)   { __asm__ __volatile__("dsb nsh" ::: "memory"); }

/* TLBI by VA operand: VA[55:12] in bits [43:0], ASID in bits [63:48] (D8.13, C5.5). */
#define TLBI_VA_MASK        ((1ull << 44) - 1)
#define TLBI_ASID_SHIFT     48
static inline uint64_t tlbi_va_arg(uint64_t va, unsigned asid)
{
    return ((va >> MMU_PAGE_SHIFT) & TLBI_VA_MASK) | ((uint64_t)asid << TLBI_ASID_SHIFT);
}
static inline uint64_t tlbi_asid_arg(unsigned asid) { return (uint64_t)asid << TLBI_ASID_SHIFT; }
/* TLBI(vale1, arg), TLBI_ALL(vmalle1): the instruction alone, no barriers. */
#define TLBI(op, arg)   __asm__ __volatile__("tlbi " #op ", %0" :: "r"((uint64_t)(arg)) : "memory")
#define TLBI_ALL(op)    __asm__ __volatile__("tlbi " #op ::: "memory")

/* ---- the library --------------------------------------------------------------------------- */
#define MMU_POOL_TABLES     32u           /* 128 KiB of tables in .bss */
#define MMU_RAM_SIZE        (128ull << 20) /* RAM identity-mapped by mmu_init (the default) */

enum mmu_granularity {
    MMU_MAP_PAGES = 0,  /* 4 KiB pages only */
    MMU_MAP_BLOCKS = 1, /* 1 GiB / 2 MiB blocks where VA, PA and size allow, pages elsewhere */
};

/* ID_AA64MMFR1_EL1.HAFDBS, and the TCR_EL1 HA/HD bits this CPU implements (0, TCR_HA, or
 * TCR_HA | TCR_HD). */
unsigned mmu_hafdbs(void);
uint64_t mmu_hw_supported(void);
/* "HAFDBS = 2 (hardware Access flag and dirty state)" */
const char *mmu_hafdbs_name(unsigned hafdbs);

/* Forget all tables and build the identity map: RAM [FW_RAM_BASE, + MMU_RAM_SIZE) Normal
 * write-back, read/write, executable, AF = 1, Inner Shareable; 4 KiB pages for the 2 MiB
 * regions that hold the image (code, data, stack, these tables), 2 MiB blocks elsewhere; the
 * PL011 page and the virtio-mmio transports Device-nGnRnE, execute-never. The MMU must be off. */
void mmu_init(void);

/* Map [va, va + size) to [pa, pa + size) with the leaf attributes `attrs` (DESC_ATTRINDX, SH,
 * AP, AF, nG, DBM, PXN, UXN, software bits: see MMU_NORMAL etc.). Existing leaves are
 * overwritten; a block that the range covers only in part is split into a table of the next
 * level with the same attributes (break-before-make with TLBI VMALLE1IS when the MMU is on:
 * never split the block the running code or stack lives in). va, pa and size must be page
 * aligned. Ends with DSB ISHST; no TLBI for the leaves written. 0 on success, -1 on bad
 * arguments or an exhausted table pool. */
int mmu_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, enum mmu_granularity g);
/* Make the leaves of [va, va + size) invalid (splitting blocks as mmu_map does); no TLBI. */
int mmu_unmap(uint64_t va, uint64_t size);

/* Address of the descriptor at `level` on va's walk (a Table entry for a level above the leaf,
 * the leaf itself, or an invalid entry), or NULL when the walk ends above `level`. */
uint64_t *mmu_desc_addr(uint64_t va, unsigned level);
/* Address of the Block or Page descriptor that maps va, and its level; NULL (and the level of
 * the invalid entry) when va is not mapped. */
uint64_t *mmu_leaf_desc(uint64_t va, unsigned *level);
/* Atomic accesses to a descriptor (single-copy atomic 64-bit; RMW with LSE or LDXR/STXR). */
static inline uint64_t desc_read(const uint64_t *d) { return __atomic_load_n(d, __ATOMIC_ACQUIRE); }
static inline void desc_write(uint64_t *d, uint64_t v)
{
    __atomic_store_n(d, v, __ATOMIC_RELEASE);
    dsb_ishst();
}
static inline uint64_t desc_set_bits(uint64_t *d, uint64_t bits)
{
    uint64_t old = __atomic_fetch_or(d, bits, __ATOMIC_SEQ_CST);
    dsb_ishst();
    return old;
}
static inline uint64_t desc_clear_bits(uint64_t *d, uint64_t bits)
{
    uint64_t old = __atomic_fetch_and(d, ~bits, __ATOMIC_SEQ_CST);
    dsb_ishst();
    return old;
}

/* Count the leaf descriptors of [va, va + size) with (desc & mask) == value; a block counts
 * once. Dirty pages, the pvmfw way: mmu_count_leaves(va, size, DESC_DBM | DESC_AP2, DESC_DBM). */
unsigned mmu_count_leaves(uint64_t va, uint64_t size, uint64_t mask, uint64_t value);
static inline unsigned mmu_count_dirty(uint64_t va, uint64_t size)
{
    return mmu_count_leaves(va, size, DESC_DBM | DESC_AP2, DESC_DBM);
}

/* The TCR_EL1 value this library uses, with `hw` (TCR_HA and/or TCR_HD) added: T0SZ = 16, 4 KiB
 * granule, Inner Shareable write-back walks, EPD1 (no TTBR1 walks), 8-bit ASIDs from TTBR0, IPS
 * from ID_AA64MMFR0_EL1.PARange (at most 48 bits). */
uint64_t mmu_tcr_value(uint64_t hw);
/* Program MAIR_EL1, TCR_EL1 (with `hw` = TCR_HA/TCR_HD as given: the caller decides, even
 * beyond what HAFDBS advertises) and TTBR0_EL1, invalidate the TLBs and the instruction cache,
 * and set SCTLR_EL1.M, C and I (clearing A, WXN, EE, E0E). */
void mmu_enable(uint64_t hw);
/* Clear SCTLR_EL1.M and C, then invalidate the TLBs. (A real core with dirty lines in its data
 * cache would clean it first; QEMU and httusim have no data cache.) */
void mmu_disable(void);
bool mmu_enabled(void);
/* Change TCR_EL1.HA/HD (to `hw`) while the MMU is on; invalidates the TLBs (TCR fields may be
 * cached in them). */
void mmu_set_hw(uint64_t hw);
/* TTBR0_EL1.ASID (8 bits); takes effect at once (ISB). */
void mmu_set_asid(unsigned asid);
unsigned mmu_asid(void);
uint64_t mmu_ttbr0_table(void);  /* PA of the level 0 table */
unsigned mmu_tables_used(void);

/* TLB maintenance of the current ASID with the barriers around it. */
void mmu_tlbi_page(uint64_t va); /* DSB ISHST; TLBI VALE1IS; DSB ISH; ISB (a leaf changed) */
void mmu_tlbi_va(uint64_t va);   /* DSB ISHST; TLBI VAE1IS; DSB ISH; ISB (a table entry changed) */
void mmu_tlbi_all(void);         /* DSB ISHST; TLBI VMALLE1IS; DSB ISH; ISB */

/* AT S1E1R / AT S1E1W: PAR_EL1 after the translation. */
uint64_t mmu_at_s1e1r(uint64_t va);
uint64_t mmu_at_s1e1w(uint64_t va);

#ifdef __cplusplus
}
#endif

#endif
