/* Reset, and the top-level decode of one instruction by op0 = insn[28:25] (ARM ARM C4.1). */
#include "exec.h"
#include "fetch.h"
#include "sysregs.h"
#include "translate.h"

void a64_cpu_reset(a64_cpu *cpu, uint64_t entry)
{
    const a64_cpu_config cfg = cpu->cfg;
    memset(cpu, 0, sizeof(*cpu));
    cpu->cfg = cfg;
    if (cfg.mmu)
        a64_mmu_reset(cfg.mmu);   /* empty L1 TLBs; parameters decoded again at first use */

    cpu->pc = entry;
    cpu->pstate.el = 1;
    cpu->pstate.sp = 1;
    cpu->pstate.daif = (uint32_t)SPSR_DAIF_MASK;

    a64_sysregs *s = &cpu->sys;
    /* SCTLR_EL1 as QEMU resets it for a bare-metal boot: MMU and caches off, SA/SA0 on, and the
     * RES1 bits of ARMv8.0 (bits 11, 20, 22, 23, 28, 29). */
    s->sctlr_el1 = 0x30d00800ull | SCTLR_SA | SCTLR_SA0;
    s->midr_el1 = 0x410fd034ull;            /* Arm, r0p4, part 0xd03 (Cortex-A53 class) */
    s->mpidr_el1 = 0x80000000ull;           /* RES1 bit 31, uniprocessor affinity 0 */
    /* EL0 and EL1 AArch64 only. FP [19:16] and AdvSIMD [23:20] are 0, "implemented", as on
     * QEMU's CPUs, although the instructions are not modelled (a64_exec_simd_fp): firmware that
     * reads the fields expects the FP trap (EC 0x07), which CPACR_EL1.FPEN gives. */
    s->id_aa64pfr0_el1 = 0x0000000000000011ull;
    s->id_aa64dfr0_el1 = 0x6ull;            /* DebugVer = 6: Armv8.0 debug architecture */
    s->id_aa64isar0_el1 = 0x2ull << 20;     /* Atomic = 2: FEAT_LSE */
    s->id_aa64isar0_el1 |= 0x1ull << 16;    /* CRC32 (mandatory from Armv8.1) */
    s->id_aa64mmfr0_el1 = 0x0000000000001125ull; /* PARange 48-bit, ASID 16, 4K/16K/64K (set) */
    s->id_aa64mmfr0_el1 |= 0x1ull << 20;    /* TGran16 supported */
    s->id_aa64mmfr1_el1 = ((uint64_t)cfg.hafdbs << ID_AA64MMFR1_HAFDBS_SHIFT) &
                          ID_AA64MMFR1_HAFDBS_MASK;   /* chosen by the platform (--hafdbs) */
    s->id_aa64mmfr1_el1 |= 0x1ull << 20;    /* PAN = 1 (FEAT_PAN, ARMv8.1) */
    s->id_aa64mmfr1_el1 |= 0x1ull << 12;    /* HPDS = 1: TCR_EL1.HPD0/HPD1 (FEAT_HPDS, ARMv8.1) */
    s->id_aa64mmfr1_el1 |= 0x1ull << 16;    /* LO (FEAT_LOR) reads as implemented in v8.1 */
    s->ctr_el0 = 0x84448004ull;             /* 64-byte D and I lines (DminLine = IminLine = 4) */
    s->dczid_el0 = 0x4ull;                  /* DC ZVA block of 2^4 words = 64 bytes */
    s->clidr_el1 = 0x0a200023ull;
}

a64_step_result a64_exec_simd_fp(a64_cpu *cpu, uint32_t insn)
{
    (void)insn;
    if (a64_fp_access_trapped(cpu))
        return a64_trap_fp_access(cpu);
    /* Floating point and Advanced SIMD are not modelled (firmware is built with
     * -mgeneral-regs-only): an enabled FP/SIMD instruction is UNDEFINED here. */
    return a64_undefined(cpu);
}

a64_step_result a64_step(a64_cpu *cpu)
{
    uint32_t insn;
    if (A64_UNLIKELY(cpu->pstate.il)) {
        /* Illegal Execution state (D1.4.4): EC 0x0E on the next instruction. */
        return a64_take_exception(cpu, a64_esr(A64_EC_ILLEGAL_STATE, 0), cpu->pc, 0, false);
    }
    if (A64_UNLIKELY(!a64_fetch(cpu, &insn)))
        return cpu->fatal.kind ? A64_STEP_FATAL : A64_STEP_OK;

    uint64_t exceptions_before = cpu->ctr.exceptions;
    a64_step_result r;
    switch ((insn >> 25) & 0xf) {
    case 0x8: case 0x9:
        r = a64_exec_dp_imm(cpu, insn);
        break;
    case 0xa: case 0xb:
        r = a64_exec_branch_sys(cpu, insn);
        break;
    case 0x4: case 0x6: case 0xc: case 0xe:
        r = a64_exec_ldst(cpu, insn);
        break;
    case 0x5: case 0xd:
        r = a64_exec_dp_reg(cpu, insn);
        break;
    case 0x7: case 0xf:
        r = a64_exec_simd_fp(cpu, insn);
        break;
    default: /* 000x: reserved / SME, 0010: SVE, 0011: unallocated */
        r = a64_undefined(cpu);
        break;
    }
    if (A64_LIKELY(cpu->ctr.exceptions == exceptions_before))
        cpu->ctr.insts++;
    return r;
}
