/* Named bit fields of the stage 2 (EL1&0 regime, Non-secure) formats: VTCR_EL2, VTTBR_EL2, the
 * HCR_EL2 bits the stage 2 walk needs, ID_AA64MMFR1_EL1.VMIDBits and the stage 2 Block and Page
 * descriptor attributes. Fields at the same place as in stage 1 (valid, type, SH, AF, DBM,
 * Contiguous, the output address) use the names of vmsa/desc.h.
 *
 * ARM ARM (DDI 0487, the issue named in docs/vmsa.md): D8.3 "Translation table descriptor
 * formats" (stage 2 attributes), D17.2 VTCR_EL2, VTTBR_EL2, HCR_EL2; ASL AArch64.GetS2TTWParams.
 */
#ifndef HTTUSIM_CORE_VMSA_S2_DESC_H
#define HTTUSIM_CORE_VMSA_S2_DESC_H

#include <stdint.h>

/* ---- VTCR_EL2 --------------------------------------------------------------------------------- */
#define VTCR_T0SZ_SHIFT   0             /* 6 bits: input (IPA) size = 64 - T0SZ */
#define VTCR_SL0_SHIFT    6             /* 2 bits: start level, meaning depends on TG0 */
#define VTCR_SL0_MASK     3ull
#define VTCR_IRGN0_SHIFT  8
#define VTCR_ORGN0_SHIFT  10
#define VTCR_SH0_SHIFT    12
#define VTCR_TG0_SHIFT    14            /* same encoding as TCR_EL1.TG0 (TCR_TG0_*) */
#define VTCR_PS_SHIFT     16            /* 3 bits: output (PA) size, PARange encoding */
#define VTCR_PS_MASK      7ull
#define VTCR_VS           (1ull << 19)  /* 16-bit VMID (when ID_AA64MMFR1_EL1.VMIDBits = 16) */
#define VTCR_HA           (1ull << 21)  /* hardware Access flag update at stage 2 (FEAT_HAFDBS) */
#define VTCR_HD           (1ull << 22)  /* hardware dirty state update at stage 2, only with HA */

/* ---- VTTBR_EL2 -------------------------------------------------------------------------------- */
#define VTTBR_BADDR_MASK  0x0000fffffffffffeull /* BADDR, bits[47:1] */
#define VTTBR_VMID_SHIFT  48
#define VTTBR_VMID_MASK   0xffffull     /* VMID[15:8] are RES0 with 8-bit VMIDs */

/* ---- HCR_EL2: the bits of the stage 2 walk ------------------------------------------------------ */
#define HCR_VM            (1ull << 0)   /* stage 2 translation enabled for the EL1&0 regime */
#define HCR_PTW           (1ull << 2)   /* a stage 1 walk access to stage 2 Device memory is a
                                           stage 2 Permission fault */

/* ---- ID_AA64MMFR1_EL1.VMIDBits ------------------------------------------------------------------ */
#define ID_AA64MMFR1_VMIDBITS_SHIFT 4
#define ID_AA64MMFR1_VMIDBITS_16    2u  /* 0 = 8 bits, 2 = 16 bits */

/* ---- Stage 2 Block and Page descriptors (lower attributes bits[11:2], upper bits[63:50]) ------- */
#define S2DESC_MEMATTR_SHIFT 2
#define S2DESC_MEMATTR_MASK  (0xfull << S2DESC_MEMATTR_SHIFT)
#define S2DESC_MEMATTR_DEVICE_MASK (0xcull << S2DESC_MEMATTR_SHIFT) /* MemAttr[3:2] = 00: Device */
#define S2DESC_S2AP_R     (1ull << 6)   /* S2AP[0]: read permitted */
#define S2DESC_S2AP_W     (1ull << 7)   /* S2AP[1]: write permitted; the dirty bit with DBM + HD */
#define S2DESC_XN         (1ull << 54)  /* XN[1] (ARMv8.0 XN): execute-never at EL1 and EL0;
                                           XN[0] (bit 53) needs FEAT_XNX, RES0 here */

/* Stage 2 MemAttr[3:2] = 00 is Device memory (D8.6 "Stage 2 memory type"). */
static inline int s2desc_is_device(uint64_t desc)
{
    return (desc & S2DESC_MEMATTR_DEVICE_MASK) == 0;
}

#endif
