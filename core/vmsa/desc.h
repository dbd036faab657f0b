/* Named bit fields of the VMSAv8-64 stage 1 (EL1&0) formats: translation table descriptors,
 * TCR_EL1, TTBRn_EL1, MAIR_EL1, the SCTLR_EL1 bits and the ID_AA64MMFR0/1_EL1 fields the walk
 * needs. core/a64/sysreg_bits.h includes this file: these names are defined here only.
 *
 * ARM ARM (DDI 0487) D8.3 "Translation table descriptor formats", D8.4 "Memory access control",
 * D17.2 (TCR_EL1, TTBR0_EL1, TTBR1_EL1, MAIR_EL1, ID_AA64MMFR0_EL1). The logic in core/vmsa/
 * uses only these names, never raw bit numbers.
 */
#ifndef HTTUSIM_CORE_VMSA_DESC_H
#define HTTUSIM_CORE_VMSA_DESC_H

#include <stdbool.h>
#include <stdint.h>

/* ---- Descriptors (D8.3.1, VMSAv8-64 Table/Block/Page descriptors) ---------------------------- */
#define DESC_VALID        (1ull << 0)   /* bit[0]: 0 = invalid, bits[63:1] ignored */
#define DESC_TYPE_TABLE   (1ull << 1)   /* bit[1] at levels 0..2: 1 = Table, 0 = Block */
#define DESC_TYPE_PAGE    (1ull << 1)   /* bit[1] at level 3: 1 = Page, 0 = reserved */

/* Lower attributes of Block and Page descriptors (bits[11:2]) */
#define DESC_ATTRINDX_SHIFT 2
#define DESC_ATTRINDX_MASK  (7ull << DESC_ATTRINDX_SHIFT) /* index into MAIR_EL1 */
#define DESC_NS           (1ull << 5)   /* ignored for the Non-secure EL1&0 regime */
#define DESC_AP1          (1ull << 6)   /* AP[1]: 1 = EL0 (unprivileged) access */
#define DESC_AP2          (1ull << 7)   /* AP[2]: 1 = read-only */
#define DESC_SH_SHIFT     8
#define DESC_SH_MASK      (3ull << DESC_SH_SHIFT)
#define DESC_AF           (1ull << 10)  /* Access flag */
#define DESC_NG           (1ull << 11)  /* not global: the entry is tagged with the ASID */

/* Upper attributes of Block and Page descriptors (bits[63:50]) */
#define DESC_DBM          (1ull << 51)  /* Dirty Bit Modifier (FEAT_HAFDBS) */
#define DESC_CONTIG       (1ull << 52)  /* Contiguous hint */
#define DESC_PXN          (1ull << 53)  /* privileged execute-never */
#define DESC_UXN          (1ull << 54)  /* unprivileged execute-never (XN) */

/* Table descriptor attributes (bits[63:59]), hierarchical controls for later levels */
#define DESC_PXNTABLE     (1ull << 59)
#define DESC_UXNTABLE     (1ull << 60)
#define DESC_APTABLE_SHIFT 61
#define DESC_APTABLE0     (1ull << 61)  /* APTable[0]: removes EL0 access at later levels */
#define DESC_APTABLE1     (1ull << 62)  /* APTable[1]: removes write access at later levels */
#define DESC_NSTABLE      (1ull << 63)  /* ignored for the Non-secure EL1&0 regime */

/* Output address (or next-level table address) field, 48-bit OA: bits[47:granule]. Bits below
 * the block size in a Block descriptor are RES0 and are ignored by the walk. */
#define DESC_OA_TOP       47
#define DESC_OA_MASK_4K   0x0000fffffffff000ull
#define DESC_OA_MASK_16K  0x0000ffffffffc000ull
#define DESC_OA_MASK_64K  0x0000ffffffff0000ull
/* 64KB granule: bits[15:12] hold OA[51:48] with FEAT_LPA (52-bit PA), not implemented here. ARM ARM
 * D8.15.1.2 R_WDZFC: without 52-bit PA it is IMPLEMENTATION DEFINED whether nonzero bits[15:12]
 * give an Address size fault, and deprecated not to; httusim faults. */
#define DESC_OA_51_48_64K (0xfull << 12)

/* Output address bits [47:lsb] (lsb = granule or block size, log2). */
static inline uint64_t desc_oa_mask(unsigned lsb)
{
    return ((1ull << (DESC_OA_TOP + 1)) - 1) & ~((1ull << lsb) - 1);
}

static inline unsigned desc_attrindx(uint64_t desc)
{
    return (unsigned)((desc & DESC_ATTRINDX_MASK) >> DESC_ATTRINDX_SHIFT);
}

/* ---- SCTLR_EL1: the bits of the stage 1 regime ----------------------------------------------- */
#define SCTLR_M    (1ull << 0)   /* stage 1 MMU enable */
#define SCTLR_WXN  (1ull << 19)  /* write permission implies execute-never */

/* ---- TCR_EL1 (D17.2, "TCR_EL1, Translation Control Register (EL1)") ------------------------- */
#define TCR_TXSZ_MASK     0x3full
#define TCR_T0SZ_SHIFT    0
#define TCR_EPD0          (1ull << 7)   /* 1: a TLB miss in the TTBR0 range faults, no walk */
#define TCR_IRGN0_SHIFT   8
#define TCR_ORGN0_SHIFT   10
#define TCR_SH0_SHIFT     12
#define TCR_TG0_SHIFT     14
#define TCR_TG_MASK       3ull
#define TCR_TG0_4K        0ull          /* TG0 encoding */
#define TCR_TG0_64K       1ull
#define TCR_TG0_16K       2ull          /* 3 is reserved */
#define TCR_T1SZ_SHIFT    16
#define TCR_A1            (1ull << 22)  /* 1: the ASID comes from TTBR1_EL1, else TTBR0_EL1 */
#define TCR_EPD1          (1ull << 23)
#define TCR_IRGN1_SHIFT   24
#define TCR_ORGN1_SHIFT   26
#define TCR_SH1_SHIFT     28
#define TCR_TG1_SHIFT     30
#define TCR_TG1_16K       1ull          /* TG1 encoding differs from TG0; 0 is reserved */
#define TCR_TG1_4K        2ull
#define TCR_TG1_64K       3ull
#define TCR_IPS_SHIFT     32
#define TCR_IPS_MASK      7ull
#define TCR_AS            (1ull << 36)  /* 1: 16-bit ASID (when ID_AA64MMFR0_EL1.ASIDBits says so) */
#define TCR_TBI0          (1ull << 37)  /* top byte ignored, TTBR0 range */
#define TCR_TBI1          (1ull << 38)
#define TCR_HA            (1ull << 39)  /* hardware Access flag update (FEAT_HAFDBS) */
#define TCR_HD            (1ull << 40)  /* hardware dirty state update, only with HA */
#define TCR_HPD0          (1ull << 41)  /* hierarchical permissions disabled, TTBR0 (FEAT_HPDS) */
#define TCR_HPD1          (1ull << 42)

static inline unsigned tcr_field(uint64_t tcr, unsigned shift, uint64_t mask)
{
    return (unsigned)((tcr >> shift) & mask);
}

/* ---- TTBRn_EL1 -------------------------------------------------------------------------------- */
#define TTBR_CNP          (1ull << 0)   /* Common not Private (ARMv8.2); ignored */
#define TTBR_BADDR_MASK   0x0000fffffffffffeull /* BADDR, bits[47:1] */
#define TTBR_ASID_SHIFT   48
#define TTBR_ASID_MASK    0xffffull

static inline uint16_t ttbr_asid(uint64_t ttbr)
{
    return (uint16_t)((ttbr >> TTBR_ASID_SHIFT) & TTBR_ASID_MASK);
}

/* ---- MAIR_EL1 (D17.2, "MAIR_EL1"): eight 8-bit attributes ---------------------------------- */
#define MAIR_ATTR_BITS    8
#define MAIR_ATTR_MASK    0xffull
#define MAIR_OUTER_MASK   0xf0u         /* Attr<n>[7:4] == 0000: Device memory */
#define MAIR_DEVICE_nGnRnE 0x00u
#define MAIR_DEVICE_nGnRE 0x04u
#define MAIR_NORMAL_WB    0xffu         /* Normal, Inner/Outer Write-Back RW-allocate */
#define MAIR_NORMAL_NC    0x44u         /* Normal, Inner/Outer Non-cacheable */

static inline uint8_t mair_attr(uint64_t mair, unsigned index)
{
    return (uint8_t)((mair >> (index * MAIR_ATTR_BITS)) & MAIR_ATTR_MASK);
}

/* Attr<n> = 0b0000dd00 is Device memory. 0b0000ddxx with xx != 00 is UNPREDICTABLE in ARMv8.1:
 * httusim treats every Attr<n>[7:4] == 0000 as Device (documented in docs/vmsa.md). */
static inline bool mair_is_device(uint8_t attr)
{
    return (attr & MAIR_OUTER_MASK) == 0;
}

/* ---- ID_AA64MMFR0_EL1 (D17.2) ------------------------------------------------------------------ */
#define ID_AA64MMFR0_PARANGE_SHIFT  0
#define ID_AA64MMFR0_ASIDBITS_SHIFT 4
#define ID_AA64MMFR0_BIGEND_SHIFT   8
#define ID_AA64MMFR0_SNSMEM_SHIFT   12
#define ID_AA64MMFR0_TGRAN16_SHIFT  20
#define ID_AA64MMFR0_TGRAN64_SHIFT  24
#define ID_AA64MMFR0_TGRAN4_SHIFT   28
#define ID_FIELD_MASK               0xfull
#define ID_AA64MMFR0_PARANGE_48     5u  /* PARange 0b0101: 48-bit physical addresses */
#define ID_AA64MMFR0_ASIDBITS_16    2u  /* ASIDBits: 0 = 8 bits, 2 = 16 bits */
#define ID_AA64MMFR0_BIGEND_MIXED   1u  /* BigEnd: mixed-endian support */
#define ID_AA64MMFR0_SNSMEM_YES     1u  /* SNSMem: Secure and Non-secure memory distinguished */
#define ID_AA64MMFR0_TGRAN4_NI      0xfu /* TGran4: 0 = supported, 0xf = not implemented */
#define ID_AA64MMFR0_TGRAN64_NI     0xfu /* TGran64: 0 = supported, 0xf = not implemented */
#define ID_AA64MMFR0_TGRAN16_NI     0x0u /* TGran16: 0 = not implemented, 1 = supported */
#define ID_AA64MMFR0_TGRAN16_YES    0x1u

/* ---- ID_AA64MMFR1_EL1 ------------------------------------------------------------------------ */
#define ID_AA64MMFR1_HAFDBS_SHIFT 0
#define ID_AA64MMFR1_HAFDBS_MASK  (0xfull << ID_AA64MMFR1_HAFDBS_SHIFT)
/* HAFDBS values */
#define ID_HAFDBS_AF        1u          /* hardware Access flag update */
#define ID_HAFDBS_AF_DIRTY  2u          /* hardware Access flag and dirty state update */

/* PARange / TCR.IPS encoding -> address size in bits (D17.2, ID_AA64MMFR0_EL1.PARange). Values
 * above 0b0101 (52 bits needs FEAT_LPA) are not implemented here; callers clamp. */
static inline unsigned vmsa_pa_bits(unsigned encoding)
{
    static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    return bits[encoding & 7];
}

#endif
