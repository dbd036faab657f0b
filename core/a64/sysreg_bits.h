/* Named bit fields of the EL1 system registers the core interprets (ARM ARM D17.2). */
#ifndef HTTUSIM_CORE_A64_SYSREG_BITS_H
#define HTTUSIM_CORE_A64_SYSREG_BITS_H

/* SCTLR_EL1 (D17.2.118) */
#define SCTLR_M    (1ull << 0)   /* stage 1 MMU enable */
#define SCTLR_A    (1ull << 1)   /* alignment check enable */
#define SCTLR_C    (1ull << 2)
#define SCTLR_SA   (1ull << 3)   /* SP alignment check at EL1 */
#define SCTLR_SA0  (1ull << 4)   /* SP alignment check at EL0 */
#define SCTLR_I    (1ull << 12)
#define SCTLR_DZE  (1ull << 14)  /* DC ZVA allowed at EL0 */
#define SCTLR_UCT  (1ull << 15)  /* CTR_EL0 readable at EL0 */
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_WXN  (1ull << 19)
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_E0E  (1ull << 24)
#define SCTLR_EE   (1ull << 25)
#define SCTLR_UCI  (1ull << 26)  /* cache maintenance by VA allowed at EL0 */

/* CPACR_EL1 (D17.2.30) */
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

/* ID_AA64MMFR1_EL1 (D17.2.65) */
#define ID_AA64MMFR1_HAFDBS_SHIFT 0
#define ID_AA64MMFR1_HAFDBS_MASK  (0xfull << ID_AA64MMFR1_HAFDBS_SHIFT)

#endif
