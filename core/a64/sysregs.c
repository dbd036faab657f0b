/* MRS and MSR (register): the EL1&0 system registers as a table (ARM ARM D17, "AArch64 System
 * Register Descriptions"; C5.3, "A64 System instructions for ... system register access").
 *
 * Each register is one row: its encoding key (op0:op1:CRn:CRm:op2 = insn[20:5]), its name, how it
 * is read and written (a plain field of a64_sysregs, read-as-zero, or one of a few registers with
 * behaviour), which of EL1 and EL0 may read or write it, and the enable bit ("gate") that decides
 * whether an EL0 access (or, for FP, any access) is trapped. The table is sorted by key and
 * searched by bisection: MRS/MSR are not on the hot path, and ~100 rows take seven probes.
 *
 * Access rules, in the order the ARM ARM pseudocode checks them:
 *   1. no row, or the direction is not allowed at this EL     -> UNDEFINED (EC 0x00)
 *   2. the register's gate is closed                           -> trap to EL1 (EC 0x18, or 0x07
 *      for FPCR/FPSR), except SP_EL0 at EL1 with PSTATE.SP = 0, which is UNDEFINED
 *   3. read or write.
 */
#include "sysregs.h"

#include <stddef.h>

#include "translate.h"

/* How a register is read and written. */
typedef enum {
    SR_FIELD,       /* a64_sysregs member at `field` */
    SR_RAZ,         /* reads as zero, writes ignored (only if the row allows writes) */
    SR_NZCV,
    SR_DAIF,
    SR_CURRENTEL,
    SR_SPSEL,
    SR_PAN,
    SR_SCTLR,       /* field, with the RES1 bits forced on write */
    SR_OSLAR,       /* write-only: sets the OS Lock */
    SR_OSLSR,
    SR_OSDLR,
    SR_CCSIDR,
    SR_DCZID,
    SR_CNTFRQ,
    SR_CNTPCT,
    SR_CNTVCT,
    SR_CNTP_TVAL,
    SR_CNTP_CTL,
    SR_CNTV_TVAL,
    SR_CNTV_CTL,
} sysreg_kind;

/* Who may access: EL1 read/write, EL0 read/write. */
enum {
    R1 = 1u << 0,
    W1 = 1u << 1,
    R0 = 1u << 2,
    W0 = 1u << 3,
    RW1 = R1 | W1,
    RW01 = R1 | W1 | R0 | W0,
};

/* The control that can close an otherwise permitted access. */
typedef enum {
    GATE_NONE,
    GATE_FP,        /* CPACR_EL1.FPEN, at EL0 and EL1: EC 0x07 */
    GATE_SP_EL0,    /* SP_EL0 at EL1 needs PSTATE.SP = 1, else UNDEFINED (C5.2.16) */
    GATE_UCT,       /* SCTLR_EL1.UCT for EL0 */
    GATE_UMA,       /* SCTLR_EL1.UMA for EL0 */
    GATE_CNTFRQ,    /* CNTKCTL_EL1.EL0PCTEN or EL0VCTEN for EL0 */
    GATE_CNTPCT,    /* CNTKCTL_EL1.EL0PCTEN for EL0 */
    GATE_CNTVCT,    /* CNTKCTL_EL1.EL0VCTEN for EL0 */
    GATE_CNTP,      /* CNTKCTL_EL1.EL0PTEN for EL0 */
    GATE_CNTV,      /* CNTKCTL_EL1.EL0VTEN for EL0 */
} sysreg_gate;

typedef struct sysreg_desc {
    uint16_t key;
    uint8_t kind;      /* sysreg_kind */
    uint8_t access;    /* R1 | W1 | R0 | W0 */
    uint8_t gate;      /* sysreg_gate */
    uint16_t field;    /* offsetof(a64_sysregs, ...) for SR_FIELD and SR_SCTLR */
    const char *name;
} sysreg_desc;

#define KEY A64_SYSREG_KEY
#define FIELD_ROW(op0, op1, crn, crm, op2, nm, member, acc, gt) \
    { KEY(op0, op1, crn, crm, op2), SR_FIELD, (acc), (gt), offsetof(a64_sysregs, member), nm }
#define SPECIAL_ROW(op0, op1, crn, crm, op2, nm, kind, acc, gt) \
    { KEY(op0, op1, crn, crm, op2), (kind), (acc), (gt), 0, nm }
#define RAZ_ROW(op0, op1, crn, crm, op2, nm, acc) \
    { KEY(op0, op1, crn, crm, op2), SR_RAZ, (acc), GATE_NONE, 0, nm }
/* Identification registers: EL1 read-only (no FEAT_IDST: EL0 reads are UNDEFINED). */
#define ID_ROW(crm, op2, nm, member) FIELD_ROW(3, 0, 0, crm, op2, nm, member, R1, GATE_NONE)
#define ID_RAZ_ROW(crm, op2, nm) RAZ_ROW(3, 0, 0, crm, op2, nm, R1)

/* Sorted by key (op0, op1, CRn, CRm, op2); a64_sysreg_table_valid() checks it. */
static const sysreg_desc sysreg_table[] = {
    /* op0 = 2: debug (D17.3) */
    FIELD_ROW(2, 0, 0, 2, 2, "MDSCR_EL1", mdscr_el1, RW1, GATE_NONE),
    SPECIAL_ROW(2, 0, 1, 0, 4, "OSLAR_EL1", SR_OSLAR, W1, GATE_NONE),
    SPECIAL_ROW(2, 0, 1, 1, 4, "OSLSR_EL1", SR_OSLSR, R1, GATE_NONE),
    SPECIAL_ROW(2, 0, 1, 3, 4, "OSDLR_EL1", SR_OSDLR, RW1, GATE_NONE),

    /* op0 = 3, op1 = 0, CRn = 0: identification (D17.2). The AArch32 ID registers read as zero:
     * EL0 and EL1 are AArch64-only (ID_AA64PFR0_EL1.EL0/EL1 = 1). */
    ID_ROW(0, 0, "MIDR_EL1", midr_el1),
    ID_ROW(0, 5, "MPIDR_EL1", mpidr_el1),
    ID_ROW(0, 6, "REVIDR_EL1", revidr_el1),
    ID_RAZ_ROW(1, 0, "ID_PFR0_EL1"),
    ID_RAZ_ROW(1, 1, "ID_PFR1_EL1"),
    ID_RAZ_ROW(1, 2, "ID_DFR0_EL1"),
    ID_RAZ_ROW(1, 3, "ID_AFR0_EL1"),
    ID_RAZ_ROW(1, 4, "ID_MMFR0_EL1"),
    ID_RAZ_ROW(1, 5, "ID_MMFR1_EL1"),
    ID_RAZ_ROW(1, 6, "ID_MMFR2_EL1"),
    ID_RAZ_ROW(1, 7, "ID_MMFR3_EL1"),
    ID_RAZ_ROW(2, 0, "ID_ISAR0_EL1"),
    ID_RAZ_ROW(2, 1, "ID_ISAR1_EL1"),
    ID_RAZ_ROW(2, 2, "ID_ISAR2_EL1"),
    ID_RAZ_ROW(2, 3, "ID_ISAR3_EL1"),
    ID_RAZ_ROW(2, 4, "ID_ISAR4_EL1"),
    ID_RAZ_ROW(2, 5, "ID_ISAR5_EL1"),
    ID_RAZ_ROW(2, 6, "ID_MMFR4_EL1"),
    ID_RAZ_ROW(2, 7, "ID_ISAR6_EL1"),
    ID_RAZ_ROW(3, 0, "MVFR0_EL1"),
    ID_RAZ_ROW(3, 1, "MVFR1_EL1"),
    ID_RAZ_ROW(3, 2, "MVFR2_EL1"),
    ID_RAZ_ROW(3, 4, "ID_PFR2_EL1"),
    ID_RAZ_ROW(3, 5, "ID_DFR1_EL1"),
    ID_RAZ_ROW(3, 6, "ID_MMFR5_EL1"),
    ID_ROW(4, 0, "ID_AA64PFR0_EL1", id_aa64pfr0_el1),
    ID_ROW(4, 1, "ID_AA64PFR1_EL1", id_aa64pfr1_el1),
    ID_RAZ_ROW(4, 2, "ID_AA64PFR2_EL1"),
    ID_RAZ_ROW(4, 4, "ID_AA64ZFR0_EL1"),
    ID_RAZ_ROW(4, 5, "ID_AA64SMFR0_EL1"),
    ID_ROW(5, 0, "ID_AA64DFR0_EL1", id_aa64dfr0_el1),
    ID_ROW(5, 1, "ID_AA64DFR1_EL1", id_aa64dfr1_el1),
    ID_RAZ_ROW(5, 4, "ID_AA64AFR0_EL1"),
    ID_RAZ_ROW(5, 5, "ID_AA64AFR1_EL1"),
    ID_ROW(6, 0, "ID_AA64ISAR0_EL1", id_aa64isar0_el1),
    ID_ROW(6, 1, "ID_AA64ISAR1_EL1", id_aa64isar1_el1),
    ID_RAZ_ROW(6, 2, "ID_AA64ISAR2_EL1"),
    ID_ROW(7, 0, "ID_AA64MMFR0_EL1", id_aa64mmfr0_el1),
    ID_ROW(7, 1, "ID_AA64MMFR1_EL1", id_aa64mmfr1_el1),
    ID_ROW(7, 2, "ID_AA64MMFR2_EL1", id_aa64mmfr2_el1),
    ID_RAZ_ROW(7, 3, "ID_AA64MMFR3_EL1"),
    ID_RAZ_ROW(7, 4, "ID_AA64MMFR4_EL1"),

    /* op0 = 3, op1 = 0: EL1 control */
    { KEY(3, 0, 1, 0, 0), SR_SCTLR, RW1, GATE_NONE, offsetof(a64_sysregs, sctlr_el1), "SCTLR_EL1" },
    FIELD_ROW(3, 0, 1, 0, 1, "ACTLR_EL1", actlr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 1, 0, 2, "CPACR_EL1", cpacr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 2, 0, 0, "TTBR0_EL1", ttbr0_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 2, 0, 1, "TTBR1_EL1", ttbr1_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 2, 0, 2, "TCR_EL1", tcr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 4, 0, 0, "SPSR_EL1", spsr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 4, 0, 1, "ELR_EL1", elr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 4, 1, 0, "SP_EL0", sp_el0, RW1, GATE_SP_EL0),
    SPECIAL_ROW(3, 0, 4, 2, 0, "SPSel", SR_SPSEL, RW1, GATE_NONE),
    SPECIAL_ROW(3, 0, 4, 2, 2, "CurrentEL", SR_CURRENTEL, R1, GATE_NONE),
    SPECIAL_ROW(3, 0, 4, 2, 3, "PAN", SR_PAN, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 5, 1, 0, "AFSR0_EL1", afsr0_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 5, 1, 1, "AFSR1_EL1", afsr1_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 5, 2, 0, "ESR_EL1", esr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 6, 0, 0, "FAR_EL1", far_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 7, 4, 0, "PAR_EL1", par_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 10, 2, 0, "MAIR_EL1", mair_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 10, 3, 0, "AMAIR_EL1", amair_el1, RW1, GATE_NONE),
    /* FEAT_LOR is advertised (ID_AA64MMFR1_EL1.LO = 1) with no regions and no descriptors
     * (LORID_EL1 = 0), so the region registers have nothing to hold: RAZ/WI. */
    RAZ_ROW(3, 0, 10, 4, 0, "LORSA_EL1", RW1),
    RAZ_ROW(3, 0, 10, 4, 1, "LOREA_EL1", RW1),
    RAZ_ROW(3, 0, 10, 4, 2, "LORN_EL1", RW1),
    RAZ_ROW(3, 0, 10, 4, 3, "LORC_EL1", RW1),
    RAZ_ROW(3, 0, 10, 4, 7, "LORID_EL1", R1),
    FIELD_ROW(3, 0, 12, 0, 0, "VBAR_EL1", vbar_el1, RW1, GATE_NONE),
    /* RVBAR_EL1 exists because EL1 is the highest implemented Exception level (D17.2,
     * "RVBAR_EL1": implemented only if EL2 and EL3 are not). It holds the IMPLEMENTATION DEFINED
     * reset address, which on the virt platform is the flash at PA 0; QEMU 7.2 -M virt -cpu max
     * reads 0 too. The ELF loader enters at the ELF entry point as a boot loader would. */
    RAZ_ROW(3, 0, 12, 0, 1, "RVBAR_EL1", R1),
    RAZ_ROW(3, 0, 12, 1, 0, "ISR_EL1", R1),   /* no interrupt controller: nothing pending */
    FIELD_ROW(3, 0, 13, 0, 1, "CONTEXTIDR_EL1", contextidr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 13, 0, 4, "TPIDR_EL1", tpidr_el1, RW1, GATE_NONE),
    FIELD_ROW(3, 0, 14, 1, 0, "CNTKCTL_EL1", cntkctl_el1, RW1, GATE_NONE),

    /* op1 = 1, 2: cache identification */
    SPECIAL_ROW(3, 1, 0, 0, 0, "CCSIDR_EL1", SR_CCSIDR, R1, GATE_NONE),
    FIELD_ROW(3, 1, 0, 0, 1, "CLIDR_EL1", clidr_el1, R1, GATE_NONE),
    RAZ_ROW(3, 1, 0, 0, 7, "AIDR_EL1", R1),
    /* CSSELR_EL1 has no storage (a64_sysregs has no field): RAZ/WI, so CCSIDR_EL1 always
     * describes the level 1 data cache. */
    RAZ_ROW(3, 2, 0, 0, 0, "CSSELR_EL1", RW1),

    /* op1 = 3: registers EL0 may reach */
    FIELD_ROW(3, 3, 0, 0, 1, "CTR_EL0", ctr_el0, R1 | R0, GATE_UCT),
    SPECIAL_ROW(3, 3, 0, 0, 7, "DCZID_EL0", SR_DCZID, R1 | R0, GATE_NONE),
    SPECIAL_ROW(3, 3, 4, 2, 0, "NZCV", SR_NZCV, RW01, GATE_NONE),
    SPECIAL_ROW(3, 3, 4, 2, 1, "DAIF", SR_DAIF, RW01, GATE_UMA),
    FIELD_ROW(3, 3, 4, 4, 0, "FPCR", fpcr, RW01, GATE_FP),
    FIELD_ROW(3, 3, 4, 4, 1, "FPSR", fpsr, RW01, GATE_FP),
    FIELD_ROW(3, 3, 13, 0, 2, "TPIDR_EL0", tpidr_el0, RW01, GATE_NONE),
    FIELD_ROW(3, 3, 13, 0, 3, "TPIDRRO_EL0", tpidrro_el0, RW1 | R0, GATE_NONE),
    SPECIAL_ROW(3, 3, 14, 0, 0, "CNTFRQ_EL0", SR_CNTFRQ, RW1 | R0, GATE_CNTFRQ),
    SPECIAL_ROW(3, 3, 14, 0, 1, "CNTPCT_EL0", SR_CNTPCT, R1 | R0, GATE_CNTPCT),
    SPECIAL_ROW(3, 3, 14, 0, 2, "CNTVCT_EL0", SR_CNTVCT, R1 | R0, GATE_CNTVCT),
    SPECIAL_ROW(3, 3, 14, 2, 0, "CNTP_TVAL_EL0", SR_CNTP_TVAL, RW01, GATE_CNTP),
    SPECIAL_ROW(3, 3, 14, 2, 1, "CNTP_CTL_EL0", SR_CNTP_CTL, RW01, GATE_CNTP),
    FIELD_ROW(3, 3, 14, 2, 2, "CNTP_CVAL_EL0", cntp_cval_el0, RW01, GATE_CNTP),
    SPECIAL_ROW(3, 3, 14, 3, 0, "CNTV_TVAL_EL0", SR_CNTV_TVAL, RW01, GATE_CNTV),
    SPECIAL_ROW(3, 3, 14, 3, 1, "CNTV_CTL_EL0", SR_CNTV_CTL, RW01, GATE_CNTV),
    FIELD_ROW(3, 3, 14, 3, 2, "CNTV_CVAL_EL0", cntv_cval_el0, RW01, GATE_CNTV),

    /* op1 = 4: SP_EL1 is an EL2 register (C5.2.17): named here, accessible from nowhere we model */
    FIELD_ROW(3, 4, 4, 1, 0, "SP_EL1", sp_el1, 0, GATE_NONE),
};

#define SYSREG_COUNT (sizeof(sysreg_table) / sizeof(sysreg_table[0]))

/* The ID register space reserved for future ID registers is op0 = 3, op1 = 0, CRn = 0,
 * CRm = 1..7, op2 = 0..7 (ARM ARM C5.3, "System instruction encodings for non-Debug System
 * register accesses", the ID register table: the encodings not allocated to a register are
 * "Reserved, RAZ"); at EL1 they read as zero and writes are UNDEFINED (the ID registers are
 * read-only). CRm = 0 (MIDR_EL1, MPIDR_EL1, REVIDR_EL1; op2 = 1-4, 7 unallocated) and
 * CRm = 8..15 are outside it: an unallocated encoding there is UNDEFINED like any other. */
static const sysreg_desc reserved_id_desc = { 0, SR_RAZ, R1, GATE_NONE, 0, NULL };

static bool is_reserved_id_space(unsigned key)
{
    unsigned crm = (key >> 3) & 0xf;
    return (key >> 7) == (KEY(3, 0, 0, 0, 0) >> 7) && crm >= 1 && crm <= 7;
}

static const sysreg_desc *find_sysreg(unsigned key)
{
    size_t lo = 0, hi = SYSREG_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        unsigned k = sysreg_table[mid].key;
        if (k == key)
            return &sysreg_table[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return is_reserved_id_space(key) ? &reserved_id_desc : NULL;
}

/* ---- traps ---- */

a64_step_result a64_trap_sys(a64_cpu *cpu, uint32_t insn)
{
    return a64_take_exception(cpu, a64_esr(A64_EC_SYS64, a64_sys_trap_iss(insn)), cpu->pc, 0,
                              false);
}

/* CPACR_EL1.FPEN: 0b01 traps EL0 only, 0b00 and 0b10 trap EL0 and EL1, 0b11 none. */
bool a64_fp_access_trapped(const a64_cpu *cpu)
{
    unsigned fpen = (unsigned)((cpu->sys.cpacr_el1 & CPACR_FPEN_MASK) >> CPACR_FPEN_SHIFT);
    if (fpen == 3)
        return false;
    return fpen == 1 ? cpu->pstate.el == 0 : true;
}

/* EC 0x07 with CV = 1, COND = 0xE (D17.2.37): FPCR/FPSR accesses and FP/SIMD instructions. */
a64_step_result a64_trap_fp_access(a64_cpu *cpu)
{
    return a64_take_exception(cpu, a64_esr(A64_EC_FP_ACCESS, (1u << 24) | (0xeu << 20)),
                              cpu->pc, 0, false);
}

/* ---- access checks ---- */

typedef enum {
    ACCESS_OK,
    ACCESS_UNDEFINED,
    ACCESS_TRAP_SYS,   /* EC 0x18 */
    ACCESS_TRAP_FP,    /* EC 0x07 */
} access_verdict;

static bool el0_gate_open(const a64_cpu *cpu, sysreg_gate gate)
{
    uint64_t sctlr = cpu->sys.sctlr_el1, cntkctl = cpu->sys.cntkctl_el1;
    switch (gate) {
    case GATE_UCT: return (sctlr & SCTLR_UCT) != 0;
    case GATE_UMA: return (sctlr & SCTLR_UMA) != 0;
    case GATE_CNTFRQ: return (cntkctl & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN)) != 0;
    case GATE_CNTPCT: return (cntkctl & CNTKCTL_EL0PCTEN) != 0;
    case GATE_CNTVCT: return (cntkctl & CNTKCTL_EL0VCTEN) != 0;
    case GATE_CNTP: return (cntkctl & CNTKCTL_EL0PTEN) != 0;
    case GATE_CNTV: return (cntkctl & CNTKCTL_EL0VTEN) != 0;
    default: return true;
    }
}

static access_verdict check_access(const a64_cpu *cpu, const sysreg_desc *d, bool write)
{
    bool el0 = cpu->pstate.el == 0;
    unsigned need = el0 ? (write ? W0 : R0) : (write ? W1 : R1);
    if (!d || !(d->access & need))
        return ACCESS_UNDEFINED;
    switch ((sysreg_gate)d->gate) {
    case GATE_NONE:
        return ACCESS_OK;
    case GATE_FP:
        return a64_fp_access_trapped(cpu) ? ACCESS_TRAP_FP : ACCESS_OK;
    case GATE_SP_EL0:
        /* C5.2.16: "if PSTATE.SP == '0' then UNDEFINED" (SP_EL0 is then the current SP). */
        return cpu->pstate.sp ? ACCESS_OK : ACCESS_UNDEFINED;
    default:
        return !el0 || el0_gate_open(cpu, (sysreg_gate)d->gate) ? ACCESS_OK : ACCESS_TRAP_SYS;
    }
}

/* ---- reads and writes ---- */

static uint64_t *field_ptr(a64_cpu *cpu, const sysreg_desc *d)
{
    return (uint64_t *)((uint8_t *)&cpu->sys + d->field);
}

static uint64_t counter_now(const a64_cpu *cpu)
{
    return cpu->cfg.env.counter ? cpu->cfg.env.counter(cpu->cfg.env.ctx) : 0;
}

/* CNTx_CTL_EL0 (D17.11): ISTATUS is computed, "the timer condition is met" when enabled and the
 * count has reached CVAL. The virtual count equals the physical one (no EL2: CNTVOFF = 0). */
static uint64_t timer_ctl_read(const a64_cpu *cpu, uint64_t ctl, uint64_t cval)
{
    ctl &= CNT_CTL_ENABLE | CNT_CTL_IMASK;
    if ((ctl & CNT_CTL_ENABLE) && counter_now(cpu) >= cval)
        ctl |= CNT_CTL_ISTATUS;
    return ctl;
}

/* TVAL is the 32-bit signed view of CVAL - count: reads return (CVAL - count)[31:0], writes set
 * CVAL = count + SignExtend(TVAL[31:0]) (D17.11, CNTP_TVAL_EL0). */
static uint64_t timer_tval_read(const a64_cpu *cpu, uint64_t cval)
{
    return (uint32_t)(cval - counter_now(cpu));
}
static uint64_t timer_tval_to_cval(const a64_cpu *cpu, uint64_t tval)
{
    return counter_now(cpu) + (uint64_t)a64_sext(tval, 32);
}

/* CCSIDR_EL1 for the level 1 data cache: 32 KiB, 4 ways, 64-byte lines, in the
 * format without FEAT_CCIDX: NumSets - 1 in [27:13], Associativity - 1 in [12:3],
 * LineSize = log2(bytes) - 4 in [2:0]. Bits [31:28] are the ARMv8.0 WT/WB/RA/WA flags. */
static uint64_t ccsidr_l1d(void)
{
    const uint64_t sets = 128, ways = 4, line_log2 = 6;
    return (0x7ull << 28) | ((sets - 1) << 13) | ((ways - 1) << 3) | (line_log2 - 4);
}

uint64_t a64_read_nzcv(const a64_cpu *cpu) { return cpu->pstate.nzcv & 0xf0000000u; }

static uint64_t sysreg_read(a64_cpu *cpu, const sysreg_desc *d)
{
    const a64_sysregs *s = &cpu->sys;
    switch ((sysreg_kind)d->kind) {
    case SR_FIELD:
    case SR_SCTLR:
        return *field_ptr(cpu, d);
    case SR_RAZ:
        return 0;
    case SR_NZCV:
        return a64_read_nzcv(cpu);
    case SR_DAIF:
        return cpu->pstate.daif & SPSR_DAIF_MASK;
    case SR_CURRENTEL:
        return (uint64_t)cpu->pstate.el << CURRENTEL_EL_SHIFT;
    case SR_SPSEL:
        return cpu->pstate.sp ? PSTATE_SPSEL_BIT : 0;
    case SR_PAN:
        return cpu->pstate.pan ? PSTATE_PAN_BIT : 0;
    case SR_OSLAR:
        return 0; /* write-only: never reached through check_access */
    case SR_OSLSR:
        return OSLSR_OSLM1 | ((s->oslar_el1 & 1) ? OSLSR_OSLK : 0);
    case SR_OSDLR:
        return s->osdlr_el1 & 1;
    case SR_CCSIDR:
        return ccsidr_l1d();
    case SR_DCZID: {
        /* DZP reads 1 where DC ZVA is prohibited: at EL0 with SCTLR_EL1.DZE = 0 (DCZID_EL0). */
        bool prohibited = cpu->pstate.el == 0 && !(s->sctlr_el1 & SCTLR_DZE);
        return (s->dczid_el0 & ~DCZID_DZP) | (prohibited ? DCZID_DZP : 0);
    }
    case SR_CNTFRQ:
        return cpu->cfg.env.counter_freq;
    case SR_CNTPCT:
    case SR_CNTVCT:
        return counter_now(cpu);
    case SR_CNTP_TVAL:
        return timer_tval_read(cpu, s->cntp_cval_el0);
    case SR_CNTP_CTL:
        return timer_ctl_read(cpu, s->cntp_ctl_el0, s->cntp_cval_el0);
    case SR_CNTV_TVAL:
        return timer_tval_read(cpu, s->cntv_cval_el0);
    case SR_CNTV_CTL:
        return timer_ctl_read(cpu, s->cntv_ctl_el0, s->cntv_cval_el0);
    }
    return 0;
}

/* Registers the decoded stage 1 parameters depend on (vmsa_regs_from_a64): a write makes the
 * MMU decode them again before the next translation. */
static bool controls_translation(uint16_t field)
{
    return field == offsetof(a64_sysregs, tcr_el1) || field == offsetof(a64_sysregs, ttbr0_el1) ||
           field == offsetof(a64_sysregs, ttbr1_el1) || field == offsetof(a64_sysregs, mair_el1);
}

static void sysreg_write(a64_cpu *cpu, const sysreg_desc *d, uint64_t v)
{
    a64_sysregs *s = &cpu->sys;
    switch ((sysreg_kind)d->kind) {
    case SR_FIELD:
        *field_ptr(cpu, d) = v;
        if (controls_translation(d->field))
            a64_mmu_regs_changed(cpu);
        break;
    case SR_SCTLR:
        /* Stored as written, with the RES1 bits of this PE forced to one. */
        *field_ptr(cpu, d) = v | SCTLR_RES1;
        a64_mmu_regs_changed(cpu);
        break;
    case SR_RAZ:
    case SR_CNTFRQ:
        /* CNTFRQ_EL0 is writable only at the highest EL, where the platform's counter lives:
         * the frequency is the platform's, so the write is ignored. */
        break;
    case SR_NZCV:
        cpu->pstate.nzcv = (uint32_t)(v & SPSR_NZCV_MASK);
        break;
    case SR_DAIF:
        cpu->pstate.daif = (uint32_t)(v & SPSR_DAIF_MASK);
        break;
    case SR_SPSEL:
        cpu->pstate.sp = (uint8_t)(v & PSTATE_SPSEL_BIT);
        break;
    case SR_PAN:
        cpu->pstate.pan = (v & PSTATE_PAN_BIT) != 0;
        break;
    case SR_OSLAR:
        s->oslar_el1 = v & 1;  /* OSLK: 1 locks, 0 unlocks */
        break;
    case SR_OSDLR:
        s->osdlr_el1 = v & 1;  /* DLK */
        break;
    case SR_CNTP_TVAL:
        s->cntp_cval_el0 = timer_tval_to_cval(cpu, v);
        break;
    case SR_CNTP_CTL:
        s->cntp_ctl_el0 = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
        break;
    case SR_CNTV_TVAL:
        s->cntv_cval_el0 = timer_tval_to_cval(cpu, v);
        break;
    case SR_CNTV_CTL:
        s->cntv_ctl_el0 = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
        break;
    case SR_CURRENTEL:
    case SR_OSLSR:
    case SR_CCSIDR:
    case SR_DCZID:
    case SR_CNTPCT:
    case SR_CNTVCT:
        break; /* read-only: never reached through check_access */
    }
}

/* ---- MRS / MSR (register) ---- */

a64_step_result a64_exec_sysreg_move(a64_cpu *cpu, uint32_t insn)
{
    bool read = a64_bit(insn, 21);   /* L: 1 = MRS */
    unsigned rt = a64_bits(insn, 4, 0);
    const sysreg_desc *d = find_sysreg(a64_sysreg_key_of(insn));
    switch (check_access(cpu, d, !read)) {
    case ACCESS_OK:
        break;
    case ACCESS_UNDEFINED:
        return a64_undefined(cpu);
    case ACCESS_TRAP_SYS:
        return a64_trap_sys(cpu, insn);
    case ACCESS_TRAP_FP:
        return a64_trap_fp_access(cpu);
    }
    if (read)
        a64_set_xreg(cpu, rt, sysreg_read(cpu, d));
    else
        sysreg_write(cpu, d, a64_xreg(cpu, rt));
    a64_charge(cpu, A64_IC_SYSREG);
    cpu->pc += 4;
    return A64_STEP_OK;
}

/* ---- tools ---- */

const char *a64_sysreg_name(unsigned key)
{
    const sysreg_desc *d = find_sysreg(key);
    return d ? d->name : NULL;
}

unsigned a64_sysreg_count(void) { return (unsigned)SYSREG_COUNT; }

bool a64_sysreg_table_valid(void)
{
    for (size_t i = 1; i < SYSREG_COUNT; i++)
        if (sysreg_table[i - 1].key >= sysreg_table[i].key)
            return false;
    return true;
}
