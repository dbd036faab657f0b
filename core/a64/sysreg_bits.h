/* Named bit fields of the EL1 system registers the core interprets (ARM ARM D17.2). */
#ifndef HTTUSIM_CORE_A64_SYSREG_BITS_H
#define HTTUSIM_CORE_A64_SYSREG_BITS_H

/* The fields of the translation registers (SCTLR_EL1.M/WXN, TCR_EL1, TTBRn_EL1, MAIR_EL1,
 * ID_AA64MMFR0/1_EL1) are defined once, in core/vmsa. */
#include "vmsa/desc.h"

/* ID_AA64MMFR0_EL1 as a64_cpu_reset sets it: PARange 48 bits, 16-bit ASIDs, mixed-endian,
 * Secure and Non-secure memory distinguished, 4K, 16K and 64K granules. */
#define A64_ID_AA64MMFR0_RESET                                                   \
    (((uint64_t)ID_AA64MMFR0_PARANGE_48 << ID_AA64MMFR0_PARANGE_SHIFT) |         \
     ((uint64_t)ID_AA64MMFR0_ASIDBITS_16 << ID_AA64MMFR0_ASIDBITS_SHIFT) |       \
     ((uint64_t)ID_AA64MMFR0_BIGEND_MIXED << ID_AA64MMFR0_BIGEND_SHIFT) |        \
     ((uint64_t)ID_AA64MMFR0_SNSMEM_YES << ID_AA64MMFR0_SNSMEM_SHIFT) |          \
     ((uint64_t)ID_AA64MMFR0_TGRAN16_YES << ID_AA64MMFR0_TGRAN16_SHIFT))

/* SCTLR_EL1 */
#define SCTLR_A    (1ull << 1)   /* alignment check enable */
#define SCTLR_C    (1ull << 2)
#define SCTLR_SA   (1ull << 3)   /* SP alignment check at EL1 */
#define SCTLR_SA0  (1ull << 4)   /* SP alignment check at EL0 */
#define SCTLR_I    (1ull << 12)
#define SCTLR_DZE  (1ull << 14)  /* DC ZVA allowed at EL0 */
#define SCTLR_UCT  (1ull << 15)  /* CTR_EL0 readable at EL0 */
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_E0E  (1ull << 24)
#define SCTLR_EE   (1ull << 25)
#define SCTLR_UCI  (1ull << 26)  /* cache maintenance by VA allowed at EL0 */

/* CPACR_EL1 */
#define CPACR_FPEN_SHIFT 20
#define CPACR_FPEN_MASK  (3ull << CPACR_FPEN_SHIFT)

/* SPSR_EL1 / PSTATE layout (C5.2.18) */
#define SPSR_M_MASK  0xfull      /* M[3:0]: EL and SP selection */
#define SPSR_M_EL0T  0x0ull
#define SPSR_M_EL1T  0x4ull
#define SPSR_M_EL1H  0x5ull
#define SPSR_M_RW    (1ull << 4) /* 1 = AArch32: not supported */
#define SPSR_DAIF_SHIFT 6
#define SPSR_DAIF_MASK (0xfull << SPSR_DAIF_SHIFT)
#define SPSR_IL   (1ull << 20)
#define SPSR_SS   (1ull << 21)
#define SPSR_PAN  (1ull << 22)
#define SPSR_UAO  (1ull << 23)
#define SPSR_NZCV_MASK (0xfull << 28)

/* ---- added for the system instruction space (branch_sys.c, sysregs.c) ---- */

/* SCTLR_EL1: more fields, and the bits that are RES1 in an ARMv8.1 PE without
 * FEAT_ExS/FEAT_CSV2/FEAT_IESB/FEAT_LSMAOC (EOS 11, TSCXT 20, EIS 22, nTLSMD 28, LSMAOE 29). */
#define SCTLR_UMA  (1ull << 9)   /* DAIF accessible at EL0 */
#define SCTLR_RES1 ((1ull << 11) | (1ull << 20) | (1ull << 22) | (1ull << 28) | (1ull << 29))

/* CNTKCTL_EL1: EL0 access to the generic timer. */
#define CNTKCTL_EL0PCTEN (1ull << 0)  /* CNTPCT_EL0 (and CNTFRQ_EL0) */
#define CNTKCTL_EL0VCTEN (1ull << 1)  /* CNTVCT_EL0 (and CNTFRQ_EL0) */
#define CNTKCTL_EL0VTEN  (1ull << 8)  /* CNTV_CTL/CVAL/TVAL_EL0 */
#define CNTKCTL_EL0PTEN  (1ull << 9)  /* CNTP_CTL/CVAL/TVAL_EL0 */

/* CNTP_CTL_EL0 / CNTV_CTL_EL0 (D17.11) */
#define CNT_CTL_ENABLE  (1ull << 0)
#define CNT_CTL_IMASK   (1ull << 1)
#define CNT_CTL_ISTATUS (1ull << 2)   /* read-only: CVAL reached while enabled */

/* DCZID_EL0 */
#define DCZID_BS_MASK 0xfull          /* log2(block size in 4-byte words) */
#define DCZID_DZP     (1ull << 4)     /* DC ZVA prohibited at the current EL */

/* PAR_EL1 */
#define PAR_F          (1ull << 0)    /* 1: the AT instruction faulted */
#define PAR_FST_SHIFT  1              /* F = 1: fault status code, as DFSC */
#define PAR_SH_SHIFT   7              /* F = 0: shareability */
#define PAR_SH_OUTER   (2ull << PAR_SH_SHIFT)
#define PAR_PTW        (1ull << 8)    /* F = 1: stage 2 fault on a stage 1 walk */
#define PAR_NS         (1ull << 9)    /* F = 0: Non-secure (UNKNOWN for a Non-secure regime) */
#define PAR_S          (1ull << 9)    /* F = 1: fault at stage 2 */
#define PAR_RES1       (1ull << 11)
#define PAR_PA_MASK    0x0000fffffffff000ull  /* PA[47:12] */
#define PAR_ATTR_SHIFT 56             /* F = 0: MAIR-format attributes */

/* OSLSR_EL1 (D17.3.22) */
#define OSLSR_OSLM1 (1ull << 3)       /* OSLM = 0b10: the OS Lock is implemented */
#define OSLSR_OSLK  (1ull << 1)       /* the OS Lock is locked */

/* CurrentEL (C5.2.1) and PAN (C5.2.12) as MRS returns them */
#define CURRENTEL_EL_SHIFT 2
#define PSTATE_PAN_BIT (1ull << 22)
#define PSTATE_SPSEL_BIT (1ull << 0)

#endif
