/* Translation parameters of stage 2 of the EL1&0 regime, decoded once from VTCR_EL2, VTTBR_EL2,
 * HCR_EL2 and ID_AA64MMFR0/1_EL1 (ASL AArch64.GetS2TTWParams, AArch64.S2StartLevel,
 * AArch64.S2InvalidSL, AArch64.S2InconsistentSL, AArch64.S2TTBaseAddress).
 *
 * The stage 2 input is an IPA; the walk indexes it with the same vmsa_range helpers as stage 1
 * (vmsa_level_index: at the start level, the index takes all remaining input bits, which is how
 * up to 16 concatenated start-level tables are addressed). Never reads anything but its
 * arguments.
 */
#ifndef HTTUSIM_CORE_VMSA_S2_PARAMS_H
#define HTTUSIM_CORE_VMSA_S2_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/fault.h"
#include "vmsa/params.h"
#include "vmsa/s2_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The registers the decode reads: a snapshot, so an SMMU (STE fields) can build one too. */
typedef struct vmsa_s2_regs {
    uint64_t vtcr, vttbr, hcr, mmfr0, mmfr1;
} vmsa_s2_regs;

typedef struct vmsa_s2_params {
    vmsa_range range;      /* granule, stride, T0SZ, IPA size, start level (from SL0), table base;
                              epd, hpd and tbi are false: stage 2 has none of them */
    uint8_t oasize;        /* output size in bits: min(VTCR_EL2.PS, PARange) */
    bool enabled;          /* HCR_EL2.VM */
    bool ptw;              /* HCR_EL2.PTW */
    bool ha;               /* effective VTCR_EL2.HA: HAFDBS >= 1 */
    bool hd;               /* effective VTCR_EL2.HD: HAFDBS >= 2 and HA */
    bool vmid16;           /* 16-bit VMIDs: VTCR_EL2.VS and VMIDBits = 16 */
    uint16_t vmid;         /* VTTBR_EL2.VMID (VMID[15:8] ignored with 8-bit VMIDs) */
    vmsa_rule config_rule; /* VMSA_RULE_NONE, or VMSA_RULE_S2_BAD_START_LEVEL: every stage 2
                              walk then faults (a Translation fault at level 0) */
} vmsa_s2_params;

void vmsa_s2_params_decode(vmsa_s2_params *p, const vmsa_s2_regs *r);

/* The rule that stops a stage 2 walk before its first read: an invalid SL0/T0SZ combination, an
 * IPA above the input size (ASL AArch64.IPAIsOutOfRange), both Translation faults at level 0;
 * or VTTBR_EL2.BADDR above the output size (Address size fault, level 0). VMSA_RULE_NONE when
 * the walk may start. */
vmsa_rule vmsa_s2_check_ipa(const vmsa_s2_params *p, uint64_t ipa);

#ifdef __cplusplus
}
#endif

#endif
