/* Decode of the stage 2 translation parameters (vmsa/s2_params.h).
 *
 * CONSTRAINED UNPREDICTABLE and IMPLEMENTATION DEFINED choices (also in docs/vmsa.md):
 *  - VTCR_EL2.TG0 reserved or not implemented: as stage 1 (vmsa_effective_granule).
 *  - VTCR_EL2.T0SZ outside 16..39: clamped, as stage 1 (ASL AArch64.S2InvalidTxSZ allows a
 *    fault or the clamp).
 *  - VTCR_EL2.PS above PARange: the output size is PARange (at most 48 bits, no FEAT_LPA).
 *  - VTTBR_EL2.BADDR bits below the concatenated start tables' alignment: treated as zero
 *    (ASL AArch64.S2TTBaseAddress masks them).
 */
#include "vmsa/s2_params.h"

static unsigned field(uint64_t reg, unsigned shift, uint64_t mask)
{
    return (unsigned)((reg >> shift) & mask);
}

/* ASL AArch64.S2StartLevel and AArch64.S2InvalidSL without FEAT_TTST or FEAT_LPA2: SL0 counts
 * levels up from the last-but-one level (4KB) or the last level (16KB, 64KB); SL0 = 3 is
 * reserved for every granule; the deepest start needs a PARange of 44 bits (4KB, 64KB) or 42
 * bits (16KB). Returns -1 for an invalid SL0. */
static int s2_start_level(unsigned granule, unsigned sl0, unsigned pamax)
{
    if (sl0 == 3)
        return -1;
    if (sl0 == 2 && pamax < (granule == VMSA_GRANULE_16K ? 42u : 44u))
        return -1;
    return (granule == VMSA_GRANULE_4K ? 2 : 3) - (int)sl0;
}

/* ASL AArch64.S2InconsistentSL: from the start level, the input size must need at least one
 * index bit more than the levels below resolve, and at most a full stride plus up to 16
 * concatenated tables (4 more bits). */
static bool s2_start_level_consistent(const vmsa_range *r)
{
    unsigned levels = (unsigned)(3 - r->start_level);
    unsigned min_iasize = levels * r->stride + r->granule + 1;
    unsigned max_iasize = min_iasize + (r->stride - 1) + 4;
    return r->iasize >= min_iasize && r->iasize <= max_iasize;
}

void vmsa_s2_params_decode(vmsa_s2_params *p, const vmsa_s2_regs *r)
{
    vmsa_range *range = &p->range;
    unsigned t0sz = field(r->vtcr, VTCR_T0SZ_SHIFT, TCR_TXSZ_MASK);
    t0sz = vmsa_clamp_txsz(t0sz);

    unsigned parange;
    p->oasize = (uint8_t)vmsa_output_size(field(r->vtcr, VTCR_PS_SHIFT, VTCR_PS_MASK), r->mmfr0,
                                          &parange);

    range->granule = (uint8_t)vmsa_effective_granule(
        field(r->vtcr, VTCR_TG0_SHIFT, TCR_TG_MASK), false, r->mmfr0);
    range->stride = (uint8_t)(range->granule - 3);
    range->txsz = (uint8_t)t0sz;
    range->iasize = (uint8_t)(64 - t0sz);
    range->epd = range->hpd = range->tbi = false;

    p->config_rule = VMSA_RULE_NONE;
    int start = s2_start_level(range->granule, field(r->vtcr, VTCR_SL0_SHIFT, VTCR_SL0_MASK),
                               parange);
    range->start_level = (int8_t)(start < 0 ? 0 : start);
    if (start < 0 || !s2_start_level_consistent(range))
        p->config_rule = VMSA_RULE_S2_BAD_START_LEVEL;

    range->ttbr_baddr = r->vttbr & VTTBR_BADDR_MASK;
    range->table_base = range->ttbr_baddr;
    if (p->config_rule == VMSA_RULE_NONE) {
        /* The start level resolves iasize - shift bits (1 to stride + 4 of them, as checked
         * above): more than a stride means 2 to 16 concatenated tables, which are aligned to
         * their total size like a single table. */
        unsigned start_bits = range->iasize - vmsa_level_shift(range, range->start_level);
        range->table_base &= ~((1ull << (start_bits + 3)) - 1);
    }

    unsigned hafdbs = field(r->mmfr1, ID_AA64MMFR1_HAFDBS_SHIFT, ID_FIELD_MASK);
    p->ha = (r->vtcr & VTCR_HA) && hafdbs >= ID_HAFDBS_AF;
    p->hd = p->ha && (r->vtcr & VTCR_HD) && hafdbs >= ID_HAFDBS_AF_DIRTY;
    p->enabled = (r->hcr & HCR_VM) != 0;
    p->ptw = (r->hcr & HCR_PTW) != 0;
    p->vmid16 = (r->vtcr & VTCR_VS) &&
                field(r->mmfr1, ID_AA64MMFR1_VMIDBITS_SHIFT, ID_FIELD_MASK) ==
                    ID_AA64MMFR1_VMIDBITS_16;
    uint16_t vmid = (uint16_t)field(r->vttbr, VTTBR_VMID_SHIFT, VTTBR_VMID_MASK);
    p->vmid = p->vmid16 ? vmid : (uint16_t)(vmid & 0xff);
}

vmsa_rule vmsa_s2_check_ipa(const vmsa_s2_params *p, uint64_t ipa)
{
    if (p->config_rule != VMSA_RULE_NONE)
        return p->config_rule;
    if (p->range.iasize < 64 && (ipa >> p->range.iasize) != 0)
        return VMSA_RULE_S2_IPA_OUT_OF_RANGE;
    if (p->oasize < 64 && (p->range.ttbr_baddr >> p->oasize) != 0)
        return VMSA_RULE_TTBR_ADDR_TOO_LARGE;
    return VMSA_RULE_NONE;
}
