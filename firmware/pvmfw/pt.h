/* pvmfw's stage-1 translation tables: the EL1&0 regime through TTBR0_EL1, 4 KiB granule, an
 * identity map (VA = PA), 32..48-bit VA (TCR_EL1.T0SZ = 64 - va_bits; the walk starts at level 0
 * above 39 bits, at level 1 from 31 to 39 bits).
 *
 *   pt_init(va_bits, pool, pool_size)      empty root table
 *   pt_map(va, pa, size, PT_ATTR_..., PT_MAP_BLOCKS)   leaves (blocks where VA/PA/size allow)
 *   pt_tag_lazy(base, size, tag)           invalid entries carrying a software tag
 *   pt_lookup(va, &level)                  the entry a walk of va ends at
 *   pt_for_each_leaf(lo, hi, fn, ctx)      every valid leaf (page or block) in [lo, hi)
 *   pt_enable(ha, hd) / pt_disable()       MAIR, TCR, TTBR0, SCTLR
 *
 * Changing a valid entry with the MMU on follows break-before-make (invalid, DSB, TLBI, DSB, new
 * entry). Making an invalid entry valid needs no TLBI: a translation that faults with a
 * Translation fault is never cached (ARM ARM D8.13 "Translation Lookaside Buffers").
 *
 * Descriptor names follow the ARM ARM (DDI 0487, D8.3 "Translation table descriptor formats").
 */
#ifndef PVMFW_PT_H
#define PVMFW_PT_H

#include "pvmfw.h"

#define PT_ENTRIES          512u
#define PT_LEVEL_SHIFT(l)   (12u + 9u * (3u - (unsigned)(l)))
#define PT_LEVEL_SIZE(l)    (1ull << PT_LEVEL_SHIFT(l))
#define PT_BLOCK_2M         PT_LEVEL_SIZE(2)
#define PT_BLOCK_1G         PT_LEVEL_SIZE(1)

/* Descriptor bits */
#define PT_VALID            (1ull << 0)
#define PT_TABLE            (1ull << 1)   /* levels 0-2: table (1) or block (0); level 3: page */
#define PT_TYPE_MASK        (PT_VALID | PT_TABLE)
#define PT_TYPE_BLOCK       PT_VALID
#define PT_TYPE_TABLE       (PT_VALID | PT_TABLE)
#define PT_TYPE_PAGE        (PT_VALID | PT_TABLE)
#define PT_ATTRINDX(i)      ((uint64_t)(i) << 2)
#define PT_AP1              (1ull << 6)   /* AP[1]: EL0 access (never set here) */
#define PT_AP2              (1ull << 7)   /* AP[2]: read-only; with DBM: writable-clean */
#define PT_SH_INNER         (3ull << 8)
#define PT_AF               (1ull << 10)
#define PT_NG               (1ull << 11)
#define PT_OA_MASK          0x0000fffffffff000ull
#define PT_DBM              (1ull << 51)
#define PT_PXN              (1ull << 53)
#define PT_UXN              (1ull << 54)
/* Bits [58:55] are ignored by the hardware and used by software:
 *  - in an invalid entry, a lazy-device tag (1..15) meaning "device region tag-1 lives here:
 *    map it on the first access";
 *  - in a valid leaf, PT_SW_WRITABLE marks a writable data region (the flush-all set). */
#define PT_SW_SHIFT         55
#define PT_SW_MASK          (0xfull << PT_SW_SHIFT)
#define PT_SW_TAG(t)        ((uint64_t)(t) << PT_SW_SHIFT)
#define PT_SW_TAG_OF(d)     ((unsigned)(((d) & PT_SW_MASK) >> PT_SW_SHIFT))
#define PT_SW_WRITABLE      (1ull << 55)

/* Leaf attributes (no type bits, no address). EL1 only (AP[1] = 0), Inner Shareable Normal. */
#define PT_ATTR_NORMAL      (PT_ATTRINDX(PV_MAIR_NORMAL) | PT_SH_INNER | PT_AF)
#define PT_ATTR_CODE        (PT_ATTR_NORMAL | PT_AP2 | PT_UXN)
#define PT_ATTR_RODATA      (PT_ATTR_NORMAL | PT_AP2 | PT_PXN | PT_UXN)
#define PT_ATTR_RW          (PT_ATTR_NORMAL | PT_PXN | PT_UXN)
#define PT_ATTR_RW_CLEAN    (PT_ATTR_RW | PT_AP2 | PT_DBM | PT_SW_WRITABLE) /* writable-clean */
#define PT_ATTR_RW_FLUSH    (PT_ATTR_RW | PT_SW_WRITABLE)                   /* flush-all mode */
#define PT_ATTR_DEVICE(idx) (PT_ATTRINDX(idx) | PT_AF | PT_PXN | PT_UXN)

/* A dirty leaf: writable-clean made writable (DBM = 1, AP[2] = 0). */
static inline bool pt_is_dirty(uint64_t d)
{
    return (d & PT_VALID) && (d & PT_DBM) && !(d & PT_AP2);
}

#define PT_MAP_BLOCKS 1u   /* pt_map: 1 GiB / 2 MiB blocks where the range allows */

void pt_init(unsigned va_bits, uint64_t pool, uint64_t pool_size);
/* Maps [va, va + size) to [pa, ...) with leaf attributes `attrs` (valid leaves), replacing what
 * was there; blocks and lazy block entries in the way are split. Returns false when the table
 * pool is exhausted or the range is outside the VA space. */
bool pt_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, unsigned flags);
/* Makes [va, va + size) invalid with `sw` in the software bits (0: plainly unmapped). Leaves that
 * were valid are invalidated in the TLB (TLBI VAE1IS per leaf). */
bool pt_unmap(uint64_t va, uint64_t size, uint64_t sw);
/* Tags device region `tag` (1..15) lazily: for each 2 MiB block overlapping [base, base + size)
 * whose entry is still empty, one invalid level-2 entry carrying the tag (it may cover more than
 * the region: the fault handler checks the address against the region); inside an existing
 * table, one invalid level-3 entry per page of the region. */
bool pt_tag_lazy(uint64_t base, uint64_t size, unsigned tag);
/* The entry where a walk of va ends (a valid leaf, or the invalid entry that stops it), and its
 * level; NULL if va is outside the VA space. */
uint64_t *pt_lookup(uint64_t va, unsigned *level);

typedef void (*pt_leaf_fn)(uint64_t va, uint64_t size, unsigned level, uint64_t *entry, void *ctx);
/* Calls fn for every valid leaf that overlaps [lo, hi), in address order (the whole tree with
 * lo = 0, hi = ~0). */
void pt_for_each_leaf(uint64_t lo, uint64_t hi, pt_leaf_fn fn, void *ctx);

/* MAIR_EL1, TCR_EL1 (T0SZ, 4 KiB, Inner Shareable write-back walks, EPD1, IPS, HA, HD),
 * TTBR0_EL1, TLBI VMALLE1, SCTLR_EL1.M/C/I. */
void pt_enable(bool ha, bool hd);
void pt_disable(void);

/* TLB maintenance for one page: DSB ISHST; TLBI VALE1 (this PE) or VAE1IS; DSB ISH; ISB. */
void pt_tlbi_vale1(uint64_t va);
void pt_tlbi_vae1is(uint64_t va);

unsigned pt_va_bits(void);
uint64_t pt_root_pa(void);

#endif
