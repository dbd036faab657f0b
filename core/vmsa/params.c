/* Decode of the stage 1 EL1&0 translation parameters (ASL AArch64.GetS1TTWParams,
 * AArch64.S1StartLevel, AArch64.S1TTBaseAddress; ARM ARM D8.2, D17.2 TCR_EL1).
 *
 * CONSTRAINED UNPREDICTABLE and IMPLEMENTATION DEFINED choices (also in docs/vmsa.md):
 *  - TGn reserved or naming a granule ID_AA64MMFR0_EL1 says is not implemented: the ARM ARM
 *    requires an IMPLEMENTATION DEFINED implemented granule; httusim takes 4KB, else 16KB, else
 *    64KB (as QEMU does).
 *  - TnSZ below the minimum (16) or above the maximum (39): the ARM ARM allows either a level 0
 *    Translation fault or treating the field as the min/max; httusim clamps (as QEMU does).
 *  - TCR_EL1.IPS above PARange (including the reserved and 52-bit encodings): the output size is
 *    PARange, which is at most 48 bits here (no FEAT_LPA).
 *  - TTBR BADDR bits below the start-level table's alignment (a misaligned table base): treated
 *    as zero (ASL AArch64.S1TTBaseAddress masks them).
 *  - TCR_EL1.HPDn is honoured unconditionally: FEAT_HPDS is mandatory from ARMv8.1.
 *  - 8-bit ASIDs (TCR_EL1.AS = 0, or ASIDBits = 8): TTBR ASID[15:8] are ignored.
 */
#include "vmsa/params.h"

static unsigned id_field(uint64_t reg, unsigned shift)
{
    return (unsigned)((reg >> shift) & ID_FIELD_MASK);
}

static bool granule_implemented(uint64_t mmfr0, unsigned granule)
{
    switch (granule) {
    case VMSA_GRANULE_4K:
        return id_field(mmfr0, ID_AA64MMFR0_TGRAN4_SHIFT) != ID_AA64MMFR0_TGRAN4_NI;
    case VMSA_GRANULE_16K:
        return id_field(mmfr0, ID_AA64MMFR0_TGRAN16_SHIFT) != ID_AA64MMFR0_TGRAN16_NI;
    case VMSA_GRANULE_64K:
        return id_field(mmfr0, ID_AA64MMFR0_TGRAN64_SHIFT) != ID_AA64MMFR0_TGRAN64_NI;
    }
    return false;
}

/* TG0 and TG1 encode the same sizes differently; 0 means reserved here. */
static unsigned decode_tg(unsigned tg, bool ttbr1)
{
    if (!ttbr1) {
        switch (tg) {
        case TCR_TG0_4K: return VMSA_GRANULE_4K;
        case TCR_TG0_16K: return VMSA_GRANULE_16K;
        case TCR_TG0_64K: return VMSA_GRANULE_64K;
        }
    } else {
        switch (tg) {
        case TCR_TG1_4K: return VMSA_GRANULE_4K;
        case TCR_TG1_16K: return VMSA_GRANULE_16K;
        case TCR_TG1_64K: return VMSA_GRANULE_64K;
        }
    }
    return 0;
}

unsigned vmsa_effective_granule(unsigned tg, bool ttbr1, uint64_t mmfr0)
{
    static const unsigned fallback[3] = { VMSA_GRANULE_4K, VMSA_GRANULE_16K, VMSA_GRANULE_64K };
    unsigned g = decode_tg(tg, ttbr1);
    if (g && granule_implemented(mmfr0, g))
        return g;
    for (unsigned i = 0; i < 3; i++)
        if (granule_implemented(mmfr0, fallback[i]))
            return fallback[i];
    return VMSA_GRANULE_4K; /* an ID register claiming no granule at all: use 4KB */
}

static void decode_range(vmsa_range *r, uint64_t tcr, uint64_t ttbr, uint64_t mmfr0, bool ttbr1)
{
    unsigned txsz = tcr_field(tcr, ttbr1 ? TCR_T1SZ_SHIFT : TCR_T0SZ_SHIFT, TCR_TXSZ_MASK);
    unsigned tg = tcr_field(tcr, ttbr1 ? TCR_TG1_SHIFT : TCR_TG0_SHIFT, TCR_TG_MASK);

    txsz = vmsa_clamp_txsz(txsz);

    r->granule = (uint8_t)vmsa_effective_granule(tg, ttbr1, mmfr0);
    r->stride = (uint8_t)(r->granule - 3);
    r->txsz = (uint8_t)txsz;
    r->iasize = (uint8_t)(64 - txsz);
    /* AArch64.S1StartLevel: levels needed to resolve iasize - granule bits, ending at level 3. */
    r->start_level = (int8_t)(3 - ((r->iasize - 1 - r->granule) / r->stride));
    r->epd = (tcr & (ttbr1 ? TCR_EPD1 : TCR_EPD0)) != 0;
    r->hpd = (tcr & (ttbr1 ? TCR_HPD1 : TCR_HPD0)) != 0;
    r->tbi = (tcr & (ttbr1 ? TCR_TBI1 : TCR_TBI0)) != 0;

    /* The start-level table holds 2^(iasize - shift) descriptors of 8 bytes and is aligned to its
     * size (AArch64.S1TTBaseAddress). */
    unsigned table_bits = r->iasize - vmsa_level_shift(r, r->start_level) + 3;
    r->ttbr_baddr = ttbr & TTBR_BADDR_MASK;
    r->table_base = r->ttbr_baddr & ~((1ull << table_bits) - 1);
}

void vmsa_params_decode(vmsa_params *p, const vmsa_regs *r)
{
    decode_range(&p->range[0], r->tcr, r->ttbr0, r->mmfr0, false);
    decode_range(&p->range[1], r->tcr, r->ttbr1, r->mmfr0, true);

    p->oasize = (uint8_t)vmsa_output_size(tcr_field(r->tcr, TCR_IPS_SHIFT, TCR_IPS_MASK), r->mmfr0,
                                          NULL);

    unsigned hafdbs = (unsigned)((r->mmfr1 & ID_AA64MMFR1_HAFDBS_MASK) >> ID_AA64MMFR1_HAFDBS_SHIFT);
    p->ha = (r->tcr & TCR_HA) && hafdbs >= ID_HAFDBS_AF;
    /* TCR_EL1.HD enables dirty state management only if HA is also 1. */
    p->hd = p->ha && (r->tcr & TCR_HD) && hafdbs >= ID_HAFDBS_AF_DIRTY;
    p->wxn = (r->sctlr & SCTLR_WXN) != 0;
    p->mmu_enabled = (r->sctlr & SCTLR_M) != 0;
    p->mair = r->mair;

    p->asid16 = (r->tcr & TCR_AS) &&
                id_field(r->mmfr0, ID_AA64MMFR0_ASIDBITS_SHIFT) == ID_AA64MMFR0_ASIDBITS_16;
    uint16_t asid = ttbr_asid((r->tcr & TCR_A1) ? r->ttbr1 : r->ttbr0);
    p->asid = p->asid16 ? asid : (uint16_t)(asid & 0xff);
}

vmsa_rule vmsa_check_va(const vmsa_params *p, uint64_t va)
{
    unsigned range_index = vmsa_va_range_index(va);
    const vmsa_range *r = &p->range[range_index];
    /* ASL AArch64.VAIsOutOfRange: VA[top:iasize] must all equal VA[55], top = 55 with TBI. */
    unsigned top = r->tbi ? 55 : 63;
    uint64_t mask = (top == 63 ? ~0ull : ((1ull << (top + 1)) - 1)) & ~((1ull << r->iasize) - 1);
    uint64_t expect = range_index ? mask : 0;
    if ((va & mask) != expect)
        return VMSA_RULE_VA_OUT_OF_RANGE;
    if (r->epd)
        return VMSA_RULE_EPD_DISABLED;
    return VMSA_RULE_NONE;
}
