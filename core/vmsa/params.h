/* Translation parameters of the stage 1 EL1&0 regime, decoded once from TCR_EL1, TTBR0/1_EL1,
 * SCTLR_EL1, MAIR_EL1 and ID_AA64MMFR0/1_EL1 into a plain struct that the walk takes explicitly
 * (ASL AArch64.GetS1TTWParams, AArch64.S1StartLevel; ARM ARM D8.2 "Translation process").
 *
 * Decode when those registers change (or once per walk): vmsa_params_decode() never reads
 * anything but its arguments.
 */
#ifndef HTTUSIM_CORE_VMSA_PARAMS_H
#define HTTUSIM_CORE_VMSA_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/desc.h"
#include "vmsa/fault.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Translation granule, as log2 of its size. */
typedef enum vmsa_granule {
    VMSA_GRANULE_4K = 12,
    VMSA_GRANULE_16K = 14,
    VMSA_GRANULE_64K = 16,
} vmsa_granule;

/* VMSAv8-64 without FEAT_LVA / FEAT_TTST: 48-bit VA (TxSZ >= 16), TxSZ <= 39. */
#define VMSA_MIN_TXSZ 16
#define VMSA_MAX_TXSZ 39

/* One VA range: index 0 = TTBR0_EL1 (VA[55] = 0), 1 = TTBR1_EL1 (VA[55] = 1). */
typedef struct vmsa_range {
    uint8_t granule;     /* vmsa_granule: log2 of the page size */
    uint8_t stride;      /* index bits per lookup level: granule - 3 */
    uint8_t txsz;        /* effective TnSZ (clamped, see vmsa_params_decode) */
    uint8_t iasize;      /* input address size: 64 - txsz */
    int8_t start_level;  /* first lookup level */
    bool epd;            /* TCR_EL1.EPDn: walks disabled */
    bool hpd;            /* TCR_EL1.HPDn: hierarchical permissions disabled */
    bool tbi;            /* TCR_EL1.TBIn: top byte ignored */
    uint64_t ttbr_baddr; /* TTBRn_EL1.BADDR as written (bits[47:1]), for the address size check */
    uint64_t table_base; /* start-level table address: BADDR with the low bits below the table
                            alignment treated as zero */
} vmsa_range;

/* The registers the decode reads: a snapshot, so callers outside the CPU can build one. */
typedef struct vmsa_regs {
    uint64_t sctlr, tcr, ttbr0, ttbr1, mair, mmfr0, mmfr1;
} vmsa_regs;

typedef struct vmsa_params {
    vmsa_range range[2];
    uint8_t oasize;      /* output address size in bits: min(TCR_EL1.IPS, PARange) */
    bool ha;             /* effective TCR_EL1.HA: HAFDBS >= 1 */
    bool hd;             /* effective TCR_EL1.HD: HAFDBS >= 2 and HA */
    bool wxn;            /* SCTLR_EL1.WXN */
    bool asid16;         /* 16-bit ASIDs (TCR_EL1.AS and ID_AA64MMFR0_EL1.ASIDBits = 16) */
    bool mmu_enabled;    /* SCTLR_EL1.M (the walk itself does not look at it) */
    uint16_t asid;       /* current ASID, from TTBR1_EL1 if TCR_EL1.A1 else TTBR0_EL1 */
    uint64_t mair;
} vmsa_params;

void vmsa_params_decode(vmsa_params *p, const vmsa_regs *r);

/* TxSZ (TCR_EL1.TnSZ, VTCR_EL2.T0SZ) outside VMSA_MIN_TXSZ..VMSA_MAX_TXSZ: the CONSTRAINED
 * UNPREDICTABLE choice of using the limit (as QEMU does). */
static inline unsigned vmsa_clamp_txsz(unsigned txsz)
{
    return txsz < VMSA_MIN_TXSZ ? VMSA_MIN_TXSZ : txsz > VMSA_MAX_TXSZ ? VMSA_MAX_TXSZ : txsz;
}

/* The output size of a regime whose size field (TCR_EL1.IPS, VTCR_EL2.PS) encodes `size_field`:
 * at most ID_AA64MMFR0_EL1.PARange, itself at most 48 bits (no FEAT_LPA: 48-bit descriptors).
 * *parange_bits (if not NULL) receives the implemented PA size. */
static inline unsigned vmsa_output_size(unsigned size_field, uint64_t mmfr0, unsigned *parange_bits)
{
    unsigned encoding = (unsigned)((mmfr0 >> ID_AA64MMFR0_PARANGE_SHIFT) & ID_FIELD_MASK);
    unsigned parange = vmsa_pa_bits(encoding);
    if (parange > 48)
        parange = 48;
    if (parange_bits)
        *parange_bits = parange;
    unsigned size = vmsa_pa_bits(size_field);
    return size < parange ? size : parange;
}

/* The granule (log2) a TGn field selects: TG0 encoding (also VTCR_EL2.TG0) or, with `ttbr1`,
 * TG1's. A reserved value or a granule ID_AA64MMFR0_EL1 says is not implemented gives the
 * IMPLEMENTATION DEFINED choice of an implemented one: 4KB, else 16KB, else 64KB. */
unsigned vmsa_effective_granule(unsigned tg, bool ttbr1, uint64_t mmfr0);

/* Which TTBR translates `va`: VA[55] (D8.2.x "Selection between TTBR0 and TTBR1"). */
static inline unsigned vmsa_va_range_index(uint64_t va)
{
    return (unsigned)((va >> 55) & 1);
}

/* The VA with bits[63:56] replaced by copies of VA[55] (the bit that selects the TTBR). */
static inline uint64_t vmsa_va_sign_extend55(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 8) >> 8);
}

/* The VA sign-extended from VA[55] when the top byte is ignored for its range: the form TLBs
 * and walk caches are tagged with. Unchanged otherwise. */
static inline uint64_t vmsa_va_canonical(const vmsa_params *p, uint64_t va)
{
    if (!p->range[vmsa_va_range_index(va)].tbi)
        return va;
    return vmsa_va_sign_extend55(va);
}

/* Level 0 Translation faults before any walk (D8.15.1.1 R_VZZSZ): the VA outside its range's
 * input size, or EPDn = 1. Returns VMSA_RULE_NONE when a walk may start. */
vmsa_rule vmsa_check_va(const vmsa_params *p, uint64_t va);

/* Lowest VA bit indexed by `level` (= log2 of the block/page size a leaf there maps). */
static inline unsigned vmsa_level_shift(const vmsa_range *r, int level)
{
    return (unsigned)(r->granule + (3 - level) * r->stride);
}

/* Index bits at `level`: all the remaining input bits at the start level, else the stride. */
static inline unsigned vmsa_level_index_bits(const vmsa_range *r, int level)
{
    if (level == r->start_level)
        return r->iasize - vmsa_level_shift(r, level);
    return r->stride;
}

/* Index of the descriptor for `va` in the level-`level` table. */
static inline uint64_t vmsa_level_index(const vmsa_range *r, uint64_t va, int level)
{
    unsigned bits = vmsa_level_index_bits(r, level);
    return (va >> vmsa_level_shift(r, level)) & ((1ull << bits) - 1);
}

/* Block descriptors allowed at `level` for the granule, without 52-bit PA (FEAT_LPA/LPA2):
 * 4KB at levels 1 and 2, 16KB and 64KB at level 2 (D8.3.1; ASL AArch64.BlockDescSupported). */
static inline bool vmsa_block_allowed(unsigned granule, int level)
{
    if (granule == VMSA_GRANULE_4K)
        return level == 1 || level == 2;
    return level == 2;
}

#ifdef __cplusplus
}
#endif

#endif
