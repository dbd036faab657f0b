/* A64 processing element: architectural state and the interface to the platform.
 *
 * Pure C11: no I/O, no SystemC, no globals. The platform (models/Cpu) owns an a64_cpu, fills in
 * its configuration `cfg` (the environment, the RAM window, ...), resets it and calls a64_step()
 * in its loop.
 *
 * Memory: accesses whose physical address falls in the RAM window are served directly from host
 * memory (the TLM DMI pointer); everything else goes through env.phys_read/phys_write (MMIO).
 * With SCTLR_EL1.M = 0 the virtual address is the physical address (ARM ARM D8.2.10, "The effects
 * of disabling a stage of address translation"); data accesses are then Device-nGnRnE and
 * instruction fetches Normal, so unaligned data accesses take an Alignment fault.
 */
#ifndef HTTUSIM_CORE_A64_CPU_H
#define HTTUSIM_CORE_A64_CPU_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct a64_cpu a64_cpu;

/* Stage 1 translation types (core/vmsa) and the CPU's MMU state (a64/translate.h), by tag only: this
 * header does not depend on core/vmsa. */
struct a64_mmu;
struct a64_fault;
struct vmsa_params;
struct vmsa_access;
struct vmsa_result;
struct vmsa_tlbi;

/* env.translate flags. */
enum {
    /* AT and debug accesses: no hardware Access flag / dirty state update (a CAS the walk asks
     * for is answered as if it had succeeded, without writing) and the result is not cached. */
    A64_XLATE_NO_UPDATE = 1u << 0,
};

/* Result of a physical access made through the platform (MMIO). */
typedef enum {
    A64_BUS_OK = 0,
    A64_BUS_ERROR = 1, /* no target, or the target refused: Synchronous External abort */
} a64_bus_status;

/* System operations the core does not implement itself but routes out (DC, IC, TLBI, AT).
 * `op` is the SYS encoding packed as (op1 << 11) | (CRn << 7) | (CRm << 3) | op2, exactly as in
 * the instruction (ARM ARM C5.3, "System instructions"); the A64_SYSOP_* values below name them. */
typedef struct a64_sysop {
    uint32_t op;      /* packed op1:CRn:CRm:op2 */
    uint64_t value;   /* Xt: a virtual address for DC/IC by VA and TLBI by VA, else the register */
    uint64_t pa;      /* for DC/IC by VA: the translated physical address (MMU off: == value) */
    const struct vmsa_tlbi *tlbi;   /* a TLBI: the operation the core decoded and performed on
                                       its L1 TLBs (a64_mmu_tlbi); NULL for any other operation */
} a64_sysop;

/* Packed op1:CRn:CRm:op2 of the system instructions the core recognises. */
#define A64_SYS_ENC(op1, crn, crm, op2) (((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define A64_SYSOP_IC_IALLUIS A64_SYS_ENC(0, 7, 1, 0)
#define A64_SYSOP_IC_IALLU   A64_SYS_ENC(0, 7, 5, 0)
#define A64_SYSOP_IC_IVAU    A64_SYS_ENC(3, 7, 5, 1)
#define A64_SYSOP_DC_IVAC    A64_SYS_ENC(0, 7, 6, 1)
#define A64_SYSOP_DC_ISW     A64_SYS_ENC(0, 7, 6, 2)
#define A64_SYSOP_DC_CSW     A64_SYS_ENC(0, 7, 10, 2)
#define A64_SYSOP_DC_CISW    A64_SYS_ENC(0, 7, 14, 2)
#define A64_SYSOP_DC_ZVA     A64_SYS_ENC(3, 7, 4, 1)
#define A64_SYSOP_DC_CVAC    A64_SYS_ENC(3, 7, 10, 1)
#define A64_SYSOP_DC_CVAU    A64_SYS_ENC(3, 7, 11, 1)
#define A64_SYSOP_DC_CVAP    A64_SYS_ENC(3, 7, 12, 1)
#define A64_SYSOP_DC_CIVAC   A64_SYS_ENC(3, 7, 14, 1)
#define A64_SYSOP_AT_S1E1R   A64_SYS_ENC(0, 7, 8, 0)
#define A64_SYSOP_AT_S1E1W   A64_SYS_ENC(0, 7, 8, 1)
#define A64_SYSOP_AT_S1E0R   A64_SYS_ENC(0, 7, 8, 2)
#define A64_SYSOP_AT_S1E0W   A64_SYS_ENC(0, 7, 8, 3)
/* TLBI: op1 = 0, CRn = 8; CRm/op2 select the operation (ARM ARM C5.5). */
#define A64_SYSOP_TLBI_VMALLE1IS A64_SYS_ENC(0, 8, 3, 0)
#define A64_SYSOP_TLBI_VAE1IS    A64_SYS_ENC(0, 8, 3, 1)
#define A64_SYSOP_TLBI_ASIDE1IS  A64_SYS_ENC(0, 8, 3, 2)
#define A64_SYSOP_TLBI_VAAE1IS   A64_SYS_ENC(0, 8, 3, 3)
#define A64_SYSOP_TLBI_VALE1IS   A64_SYS_ENC(0, 8, 3, 5)
#define A64_SYSOP_TLBI_VAALE1IS  A64_SYS_ENC(0, 8, 3, 7)
#define A64_SYSOP_TLBI_VMALLE1   A64_SYS_ENC(0, 8, 7, 0)
#define A64_SYSOP_TLBI_VAE1      A64_SYS_ENC(0, 8, 7, 1)
#define A64_SYSOP_TLBI_ASIDE1    A64_SYS_ENC(0, 8, 7, 2)
#define A64_SYSOP_TLBI_VAAE1     A64_SYS_ENC(0, 8, 7, 3)
#define A64_SYSOP_TLBI_VALE1     A64_SYS_ENC(0, 8, 7, 5)
#define A64_SYSOP_TLBI_VAALE1    A64_SYS_ENC(0, 8, 7, 7)

/* Why a64_step() stopped doing ordinary work. */
typedef enum {
    A64_STEP_OK = 0,        /* one instruction retired (or an exception was taken to EL1) */
    A64_STEP_HALT,          /* the platform asked to stop (PSCI SYSTEM_OFF, semihosting exit) */
    A64_STEP_WFI,           /* WFI/WFE executed: the platform may idle */
    A64_STEP_FATAL,         /* unrecoverable guest state: see cpu->fatal for the report */
} a64_step_result;

/* Which situation ended the run as FATAL. */
typedef enum {
    A64_FATAL_NONE = 0,
    A64_FATAL_NO_VECTORS,   /* exception taken but VBAR_EL1 does not point at fetchable memory */
    A64_FATAL_FAULT_LOOP,   /* the same exception (ELR, ESR, FAR) repeated without progress */
} a64_fatal_kind;

typedef struct a64_fatal_report {
    a64_fatal_kind kind;
    uint64_t pc;      /* PC of the instruction that took the exception */
    uint32_t insn;    /* its encoding, or 0 when it could not be fetched */
    bool insn_valid;
    uint32_t esr;
    uint64_t far;
    unsigned repeats;
} a64_fatal_report;

/* Architectural events the core reports to env.event (the platform's event trace,
 * docs/trace.md). Only slow paths report them. */
typedef enum a64_event_kind {
    A64_EVENT_FAULT = 0,   /* an abort is being taken: `fault`, `esr`, `elr` (its PC), `far` */
    A64_EVENT_EXCEPTION,   /* a synchronous exception was taken to EL1: esr, elr, far (when
                              far_valid), from_el, vector */
} a64_event_kind;

typedef struct a64_event {
    a64_event_kind kind;
    const struct a64_fault *fault;  /* FAULT: the abort's record (FSC, WnR, CM, VA) */
    uint32_t esr;                   /* ESR_EL1 of the exception */
    uint64_t elr;                   /* preferred return address */
    uint64_t far;
    bool far_valid;
    uint8_t from_el;                /* EXCEPTION: the EL it was taken from */
    uint64_t vector;                /* EXCEPTION: the vector entry the PC now holds */
} a64_event;

/* Callbacks into the platform. Only slow paths use them (MMIO, HVC, semihosting, maintenance). */
typedef struct a64_env {
    void *ctx;
    a64_bus_status (*phys_read)(void *ctx, uint64_t pa, unsigned size, uint64_t *value);
    a64_bus_status (*phys_write)(void *ctx, uint64_t pa, unsigned size, uint64_t value);
    /* HVC #imm16 from EL1. The platform's hypervisor reads and writes cpu->x[]. Returns false when
     * no hypervisor answers: the HVC is then UNDEFINED (EC 0x00), as with HCR_EL2.HCD = 1. */
    bool (*hvc)(void *ctx, a64_cpu *cpu, uint16_t imm16);
    /* Semihosting call (HLT #0xF000): operation in w0, parameter in x1, result to x0.
     * Returns false when semihosting is disabled: HLT is then UNDEFINED. */
    bool (*semihost)(void *ctx, a64_cpu *cpu);
    /* DC/IC/TLBI/AT after the core has checked the operation is allowed. */
    void (*sysop)(void *ctx, a64_cpu *cpu, const a64_sysop *op);
    /* Stage 1 translation of `va` for `acc` after the CPU's L1 TLB missed (or a write found a
     * writable-clean entry): the platform's MMU (L2 TLB, walk cache, table walker) answers with
     * the leaf translation (true; the CPU caches it in its L1 TLB unless A64_XLATE_NO_UPDATE) or
     * the fault to report (false; counted by the MMU). `params` are the CPU's decoded registers.
     * NULL: the core walks the tables itself, functionally, in its RAM window (a64/translate.c). */
    bool (*translate)(void *ctx, a64_cpu *cpu, const struct vmsa_params *params, uint64_t va,
                      const struct vmsa_access *acc, unsigned flags, struct vmsa_result *result,
                      struct a64_fault *fault);
    /* CNTVCT_EL0 / CNTPCT_EL0 value and CNTFRQ_EL0. */
    uint64_t (*counter)(void *ctx);
    uint64_t counter_freq;
    /* Optional: told of each architectural event (a64_event) where it happens; NULL when the
     * platform traces no core event (then an event costs one predictable branch on a slow
     * path: abort and exception entry). FAULT is reported in a64_take_abort before the
     * exception is taken (so for faults found by an L1 TLB hit too), EXCEPTION at the end of
     * a64_take_exception once the exception has been taken (not when the run ends as FATAL). */
    void (*event)(void *ctx, const a64_event *e);
} a64_env;

/* Exception classes (ESR_ELx.EC, ARM ARM D17.2.37). */
enum {
    A64_EC_UNKNOWN = 0x00,
    A64_EC_WFX = 0x01,
    A64_EC_FP_ACCESS = 0x07,
    A64_EC_ILLEGAL_STATE = 0x0e,
    A64_EC_SVC64 = 0x15,
    A64_EC_HVC64 = 0x16,
    A64_EC_SMC64 = 0x17,
    A64_EC_SYS64 = 0x18,
    A64_EC_IABT_LOWER = 0x20,
    A64_EC_IABT_SAME = 0x21,
    A64_EC_PC_ALIGN = 0x22,
    A64_EC_DABT_LOWER = 0x24,
    A64_EC_DABT_SAME = 0x25,
    A64_EC_SP_ALIGN = 0x26,
    A64_EC_BRK64 = 0x3c,
};

/* Fault status codes (DFSC/IFSC, ARM ARM D17.2.37): the level is added to the base codes. */
enum {
    A64_FSC_ADDR_SIZE = 0x00,    /* + level */
    A64_FSC_TRANSLATION = 0x04,  /* + level */
    A64_FSC_ACCESS_FLAG = 0x08,  /* + level */
    A64_FSC_PERMISSION = 0x0c,   /* + level */
    A64_FSC_SYNC_EXTERNAL = 0x10,
    A64_FSC_SYNC_EXTERNAL_WALK = 0x14,  /* + level: Synchronous External abort on a table walk */
    A64_FSC_ALIGNMENT = 0x21,
};

/* A memory access that failed: enough to build ESR and FAR (the MMU fills the same record). */
typedef struct a64_fault {
    uint8_t fsc;        /* A64_FSC_* (+ level) */
    bool write;         /* WnR */
    bool cache_maint;   /* CM: fault on a cache maintenance or address translation instruction */
    bool s1ptw;         /* fault on a stage-2 translation of a stage-1 table walk */
    bool fetch;         /* instruction abort rather than data abort */
    uint8_t rule;       /* an MMU fault: the vmsa_rule that fired (its kind, its ARM ARM rule);
                           0 (VMSA_RULE_NONE) for the CPU's own aborts (alignment checks,
                           External aborts, the PA size check with stage 1 disabled) */
    uint64_t va;        /* becomes FAR_EL1 */
} a64_fault;

/* Physical address map of a directly accessible RAM region (TLM DMI). */
typedef struct a64_ram_window {
    uint8_t *host;      /* host pointer of guest physical `base`, or NULL for none */
    uint64_t base;
    uint64_t size;
} a64_ram_window;

/* PSTATE bits we keep separately for speed (ARM ARM D1.4). */
typedef struct a64_pstate {
    uint32_t nzcv;      /* N, Z, C, V in bits 31..28, as in NZCV / SPSR */
    uint32_t daif;      /* D, A, I, F in bits 9..6, as in DAIF / SPSR */
    uint8_t el;         /* 0 or 1 */
    uint8_t sp;         /* SPSel: 0 = SP_EL0, 1 = SP_ELx */
    bool pan, uao, ss, il;
} a64_pstate;

/* The EL1&0 system registers the core holds (ARM ARM D17). */
typedef struct a64_sysregs {
    uint64_t sctlr_el1, actlr_el1, cpacr_el1;
    uint64_t tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, amair_el1;
    uint64_t vbar_el1, esr_el1, far_el1, elr_el1, spsr_el1, par_el1;
    uint64_t afsr0_el1, afsr1_el1, contextidr_el1;
    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
    uint64_t sp_el0, sp_el1;
    uint64_t cntkctl_el1, cntv_ctl_el0, cntv_cval_el0, cntp_ctl_el0, cntp_cval_el0;
    uint64_t mdscr_el1, oslar_el1, osdlr_el1;
    uint64_t fpcr, fpsr;
    /* Identification registers: read-only to the guest, set by the platform at reset. */
    uint64_t midr_el1, mpidr_el1, revidr_el1;
    uint64_t id_aa64pfr0_el1, id_aa64pfr1_el1, id_aa64dfr0_el1, id_aa64dfr1_el1;
    uint64_t id_aa64isar0_el1, id_aa64isar1_el1;
    uint64_t id_aa64mmfr0_el1, id_aa64mmfr1_el1, id_aa64mmfr2_el1;
    uint64_t ctr_el0, dczid_el0, clidr_el1;
} a64_sysregs;

/* Timing classes of retired instructions (docs/timing.md). The core counts the instructions
 * that retire in each class where they retire (a64_charge in exec.h: one increment, no
 * callback); the platform turns the counts into cycles with its cost table (models/Cpu). An
 * instruction that takes a synchronous exception counts as an exception entry instead. An HVC
 * answered by the platform's hypervisor counts in no class: its cost is the platform's (the HVC
 * round trip). */
typedef enum a64_iclass {
    A64_IC_ALU = 0,           /* data processing (immediate, register), hints (NOP, SEV, WFx) */
    A64_IC_MUL,               /* MADD, MSUB, SMADDL, UMADDL, SMULH, UMULH and their aliases */
    A64_IC_DIV,               /* SDIV, UDIV */
    A64_IC_BRANCH_TAKEN,      /* B, BL, BR, BLR, RET; B.cond, CBZ, TBZ... that branch */
    A64_IC_BRANCH_NOT_TAKEN,  /* B.cond, CBZ, CBNZ, TBZ, TBNZ that fall through */
    A64_IC_LOAD,              /* loads (pairs, exclusives, acquire, literal) and prefetches */
    A64_IC_STORE,             /* stores (pairs, exclusives, release) */
    A64_IC_ATOMIC,            /* LSE atomics: CAS, CASP, SWP, LDADD and the other LD<op> */
    A64_IC_BARRIER,           /* DMB, DSB, ISB, SB, CLREX */
    A64_IC_SYSREG,            /* MRS, MSR (register and immediate) */
    A64_IC_SYSOP,             /* SYS: DC, IC, TLBI, AT; semihosting calls (HLT #0xF000) */
    A64_IC_ERET,              /* exception return */
    A64_IC_COUNT
} a64_iclass;

/* Event counters the core increments where the event happens. */
typedef struct a64_counters {
    uint64_t insts;                    /* instructions retired: an instruction that took a
                                          synchronous exception (abort, UNDEFINED, SVC, BRK) did
                                          not retire; an HVC answered by the hypervisor did */
    uint64_t exceptions;               /* synchronous exceptions taken to EL1 */
    uint64_t exceptions_by_ec[64];     /* the same, by ESR_EL1.EC */
    /* Timing (docs/timing.md): */
    uint64_t insts_by_class[A64_IC_COUNT];  /* retired instructions of each a64_iclass */
    uint64_t exception_entries;        /* exceptions whose entry completed (PC at the vector):
                                          `exceptions` less one that ended the run as FATAL */
} a64_counters;

/* What the platform sets up once and a64_cpu_reset keeps (reset zeroes everything else). */
typedef struct a64_cpu_config {
    a64_env env;
    /* The RAM the core accesses directly; the platform updates it when its DMI window changes. */
    a64_ram_window ram;
    /* Stage 1 MMU state of the CPU (L1 TLBs, decoded translation registers; a64/translate.h), owned by
     * the platform. NULL: no L1 TLBs, every MMU-on access is translated through env.translate
     * (or the core's own walk). */
    struct a64_mmu *mmu;
    unsigned hafdbs;             /* ID_AA64MMFR1_EL1.HAFDBS at reset: 0, 1 or 2 (--hafdbs) */
    unsigned fault_loop_limit;   /* identical consecutive exceptions that end the run as a
                                    fault loop (A64_FATAL_FAULT_LOOP); 0: never */
} a64_cpu_config;

struct a64_cpu {
    a64_cpu_config cfg;   /* the platform's; kept by a64_cpu_reset */

    /* x[0..30] general-purpose registers; x[31] is never read (XZR/SP are decoded explicitly). */
    uint64_t x[32];
    uint64_t pc;
    a64_pstate pstate;
    a64_sysregs sys;

    /* Event Register for WFE (ARM ARM D1.6.1): set by SEV, SEVL and exception return. */
    bool event_register;

    /* Local exclusive monitor (ARM ARM B2.9). */
    bool excl_valid;
    uint64_t excl_addr;   /* physical address of the LDXR */
    unsigned excl_size;   /* bytes covered by the LDXR/LDXP */

    /* Second halves of data accesses that cross into a non-contiguous page (a64/translate.h,
     * A64_PA_SPLIT): LDP translates both elements before accessing either, so a few slots. */
    struct { uint64_t pa2; unsigned len1; } split[4];
    unsigned split_next;
    a64_counters ctr;

    /* Detection of an exception loop: the last exception taken and how often in a row. */
    uint64_t last_exc_elr, last_exc_far;
    uint32_t last_exc_esr;
    unsigned last_exc_repeats;

    bool halted;                 /* set by the platform (e.g. PSCI SYSTEM_OFF) to end the run */
    a64_fatal_report fatal;
};

/* Reset to the state QEMU `-kernel` gives a bare-metal ELF: EL1h, MMU off, DAIF masked,
 * PC = entry. The ID registers get the values of an ARMv8.1 core with LSE and the HAFDBS level of
 * cpu->cfg. Everything but cpu->cfg is zeroed first (counters included); the L1 TLBs of
 * cpu->cfg.mmu are emptied. */
void a64_cpu_reset(a64_cpu *cpu, uint64_t entry);

/* Fetch, decode and execute one instruction (or take the exception it raises). */
a64_step_result a64_step(a64_cpu *cpu);

/* Take a synchronous exception to EL1 (ARM ARM D1.10, AArch64.TakeException). `preferred_return`
 * becomes ELR_EL1; ESR_EL1 = esr; FAR_EL1 = far when far_valid. Returns FATAL when there is no
 * usable vector table or the exception repeats in a loop; else OK. */
a64_step_result a64_take_exception(a64_cpu *cpu, uint32_t esr, uint64_t preferred_return,
                                   uint64_t far, bool far_valid);

/* Take the abort described by `fault` for the instruction at cpu->pc. */
a64_step_result a64_take_abort(a64_cpu *cpu, const a64_fault *fault);

/* Current stack pointer (SP_EL0 or SP_EL1 by PSTATE.SP) and its setter. */
static inline uint64_t a64_get_sp(const a64_cpu *cpu)
{
    return cpu->pstate.sp ? cpu->sys.sp_el1 : cpu->sys.sp_el0;
}
static inline void a64_set_sp(a64_cpu *cpu, uint64_t v)
{
    if (cpu->pstate.sp)
        cpu->sys.sp_el1 = v;
    else
        cpu->sys.sp_el0 = v;
}

/* PSTATE as it is saved to SPSR_EL1 (ARM ARM C5.2.18). */
uint64_t a64_pstate_to_spsr(const a64_cpu *cpu);
void a64_pstate_from_spsr(a64_cpu *cpu, uint64_t spsr);

/* Copy guest memory for the platform (semihosting buffers, debugging): virtual addresses,
 * translated as the CPU would for a data access. Return false on any fault (nothing is raised). */
bool a64_debug_read(a64_cpu *cpu, uint64_t va, void *buf, uint64_t len);
bool a64_debug_write(a64_cpu *cpu, uint64_t va, const void *buf, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif
