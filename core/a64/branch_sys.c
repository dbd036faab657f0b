/* Branches, exception generating and system instructions (ARM ARM C4.1.65): op0 = insn[28:25]
 * = 101x, the class selected by insn[31:29] and insn[25:22]:
 *   x00           Unconditional branch (immediate)  B, BL
 *   x01, [25]=0   Compare and branch (immediate)    CBZ, CBNZ
 *   x01, [25]=1   Test and branch (immediate)       TBZ, TBNZ
 *   010, [25]=0   Conditional branch (immediate)    B.cond
 *   110, [25:24]=00  Exception generation           SVC, HVC, SMC, BRK, HLT, DCPS1-3
 *   110, [25:22]=0100  System                       hints, barriers, MSR (immediate), SYS,
 *                                                   SYSL, MRS, MSR (register)
 *   110, [25]=1   Unconditional branch (register)   BR, BLR, RET, ERET, DRPS, pointer-auth forms
 *
 * The PE is ARMv8.1 with EL0 and EL1 only: no EL2 (HVC is answered by the platform's hypervisor
 * or is UNDEFINED), no EL3 (SMC is UNDEFINED), no halting debug, no FEAT_PAuth or FEAT_BTI.
 */
#include "sysregs.h"

#include "../semihost/semihost.h"
#include "translate.h"

/* Retire an instruction of timing class `c` (docs/timing.md); the next one is sequential. */
static inline a64_step_result retire_as(a64_cpu *cpu, a64_iclass c)
{
    a64_charge(cpu, c);
    cpu->pc += 4;
    return A64_STEP_OK;
}

/* Retire a taken branch. */
static inline a64_step_result branch_to(a64_cpu *cpu, uint64_t target)
{
    a64_charge(cpu, A64_IC_BRANCH_TAKEN);
    cpu->pc = target;
    return A64_STEP_OK;
}

/* ======================= branches (immediate) ======================= */

/* C6.2.26 B, C6.2.34 BL: op 00101 imm26; target = PC + SignExtend(imm26:'00'). */
static a64_step_result exec_b_imm(a64_cpu *cpu, uint32_t insn)
{
    uint64_t target = cpu->pc + (uint64_t)(a64_sext(a64_bits(insn, 25, 0), 26) * 4);
    if (a64_bit(insn, 31))
        cpu->x[30] = cpu->pc + 4;
    return branch_to(cpu, target);
}

/* C6.2.25 B.cond: 0101010 o1 imm19 o0 cond. o1 = 1 is unallocated; o0 = 1 is BC.cond
 * (FEAT_HBC, not implemented). */
static a64_step_result exec_b_cond(a64_cpu *cpu, uint32_t insn)
{
    if (A64_UNLIKELY(a64_bit(insn, 24) || a64_bit(insn, 4)))
        return a64_undefined(cpu);
    if (a64_cond_holds(cpu->pstate.nzcv, a64_bits(insn, 3, 0)))
        return branch_to(cpu, cpu->pc + (uint64_t)(a64_sext(a64_bits(insn, 23, 5), 19) * 4));
    return retire_as(cpu, A64_IC_BRANCH_NOT_TAKEN);
}

/* C6.2.47 CBZ / C6.2.46 CBNZ: sf 011010 op imm19 Rt. */
static a64_step_result exec_compare_branch(a64_cpu *cpu, uint32_t insn)
{
    uint64_t value = a64_xreg(cpu, a64_bits(insn, 4, 0));
    if (!a64_bit(insn, 31))
        value = (uint32_t)value;
    bool branch_if_nonzero = a64_bit(insn, 24);
    if ((value != 0) == branch_if_nonzero)
        return branch_to(cpu, cpu->pc + (uint64_t)(a64_sext(a64_bits(insn, 23, 5), 19) * 4));
    return retire_as(cpu, A64_IC_BRANCH_NOT_TAKEN);
}

/* C6.2.359 TBZ / C6.2.358 TBNZ: b5 011011 op b40 imm14 Rt; tests bit b5:b40 of Xt. */
static a64_step_result exec_test_branch(a64_cpu *cpu, uint32_t insn)
{
    unsigned bit = (a64_bit(insn, 31) << 5) | a64_bits(insn, 23, 19);
    uint64_t value = a64_xreg(cpu, a64_bits(insn, 4, 0));
    bool branch_if_one = a64_bit(insn, 24);
    if ((((value >> bit) & 1) != 0) == branch_if_one)
        return branch_to(cpu, cpu->pc + (uint64_t)(a64_sext(a64_bits(insn, 18, 5), 14) * 4));
    return retire_as(cpu, A64_IC_BRANCH_NOT_TAKEN);
}

/* ======================= branches (register), ERET ======================= */

/* C6.2.80 ERET (AArch64.ExceptionReturn): PSTATE from SPSR_EL1, PC from ELR_EL1, and the local
 * monitor cleared (B2.9.5: an exception return clears it). An illegal return (D1.11.4) keeps
 * the EL and SP selection and sets PSTATE.IL, which a64_pstate_from_spsr does; the PC is still
 * loaded from ELR_EL1, and the next instruction takes the Illegal Execution state exception. */
static a64_step_result exec_eret(a64_cpu *cpu)
{
    if (cpu->pstate.el == 0)
        return a64_undefined(cpu);
    uint64_t spsr = cpu->sys.spsr_el1, elr = cpu->sys.elr_el1;
    a64_pstate_from_spsr(cpu, spsr);
    cpu->excl_valid = false;
    cpu->event_register = true; /* an exception return sets the Event Register (D1.6.1) */
    a64_charge(cpu, A64_IC_ERET);
    cpu->pc = elr;
    return A64_STEP_OK;
}

/* Unconditional branch (register) (C4.1.65): 1101011 opc op2 op3 Rn op4, with op2 = 11111.
 *   opc 0000/0001/0010, op3 = 000000, op4 = 00000: BR, BLR, RET
 *   opc 0100/0101, op3 = 000000, Rn = op4 = 11111/00000: ERET, DRPS
 * op3 = 00001x (BRAA, BLRAA, RETAA, ERETAA, ...) needs FEAT_PAuth, and DRPS Debug state: both
 * UNDEFINED here, like every other encoding of the class. */
static a64_step_result exec_branch_reg(a64_cpu *cpu, uint32_t insn)
{
    unsigned opc = a64_bits(insn, 24, 21), rn = a64_bits(insn, 9, 5);
    bool plain = a64_bits(insn, 20, 16) == 0x1f && a64_bits(insn, 15, 10) == 0 &&
                 a64_bits(insn, 4, 0) == 0;
    if (A64_UNLIKELY(!plain))
        return a64_undefined(cpu);
    switch (opc) {
    case 0x0: /* BR */
    case 0x2: /* RET (Rn defaults to x30 in the assembler; any Rn is allowed) */
        return branch_to(cpu, a64_xreg(cpu, rn));
    case 0x1: { /* BLR: read Xn before writing x30 (BLR x30 branches to the old x30) */
        uint64_t target = a64_xreg(cpu, rn);
        cpu->x[30] = cpu->pc + 4;
        return branch_to(cpu, target);
    }
    case 0x4: /* ERET */
        if (rn == 0x1f)
            return exec_eret(cpu);
        return a64_undefined(cpu);
    default: /* DRPS (0101) and unallocated */
        return a64_undefined(cpu);
    }
}

/* ======================= exception generation ======================= */

/* C6.2.365 SVC: EC 0x15, ISS = imm16, preferred return = the next instruction (D1.10.4). */
static a64_step_result exec_svc(a64_cpu *cpu, uint16_t imm16)
{
    return a64_take_exception(cpu, a64_esr(A64_EC_SVC64, imm16), cpu->pc + 4, 0, false);
}

/* C6.2.120 HVC: UNDEFINED at EL0. At EL1 the platform's hypervisor (standing in for EL2) answers
 * it; when there is none it is UNDEFINED, as with HCR_EL2.HCD = 1. The HVC retires when answered;
 * the hypervisor may end the run (PSCI SYSTEM_OFF) by setting cpu->halted. */
static a64_step_result exec_hvc(a64_cpu *cpu, uint16_t imm16)
{
    if (cpu->pstate.el == 0 || !cpu->cfg.env.hvc)
        return a64_undefined(cpu);
    if (!cpu->cfg.env.hvc(cpu->cfg.env.ctx, cpu, imm16))
        return a64_undefined(cpu);
    cpu->pc += 4;   /* no class cost: the platform charges the whole HVC round trip */
    return cpu->halted ? A64_STEP_HALT : A64_STEP_OK;
}

/* C6.2.40 BRK: EC 0x3C, ISS = imm16, preferred return = the BRK itself. */
static a64_step_result exec_brk(a64_cpu *cpu, uint16_t imm16)
{
    return a64_take_exception(cpu, a64_esr(A64_EC_BRK64, imm16), cpu->pc, 0, false);
}

/* C6.2.118 HLT: with halting debug disabled HLT is UNDEFINED; HLT #0xF000 is the semihosting trap
 * (Arm semihosting 2.0, "The semihosting interface"), answered by the platform. */
static a64_step_result exec_hlt(a64_cpu *cpu, uint32_t insn)
{
    if (!semihost_is_trap(insn) || !cpu->cfg.env.semihost)
        return a64_undefined(cpu);
    if (!cpu->cfg.env.semihost(cpu->cfg.env.ctx, cpu))
        return a64_undefined(cpu);
    a64_charge(cpu, A64_IC_SYSOP);   /* a semihosting call */
    cpu->pc += 4;
    return cpu->halted ? A64_STEP_HALT : A64_STEP_OK;
}

/* Exception generation (C4.1.65): 11010100 opc imm16 op2 LL. */
static a64_step_result exec_exception_gen(a64_cpu *cpu, uint32_t insn)
{
    unsigned opc = a64_bits(insn, 23, 21), op2 = a64_bits(insn, 4, 2), ll = a64_bits(insn, 1, 0);
    uint16_t imm16 = (uint16_t)a64_bits(insn, 20, 5);
    if (op2 != 0)
        return a64_undefined(cpu);
    switch ((opc << 2) | ll) {
    case (0 << 2) | 1: return exec_svc(cpu, imm16);
    case (0 << 2) | 2: return exec_hvc(cpu, imm16);
    case (1 << 2) | 0: return exec_brk(cpu, imm16);
    case (2 << 2) | 0: return exec_hlt(cpu, insn);
    default:
        /* SMC (no EL3), TCANCEL (no FEAT_TME), DCPS1-3 (only in Debug state): UNDEFINED. */
        return a64_undefined(cpu);
    }
}

/* ======================= hints ======================= */

/* C6.2.392 WFI / C6.2.391 WFE: at EL0 trapped to EL1 when SCTLR_EL1.nTWI / nTWE = 0 (EC 0x01,
 * ISS CV = 1, COND = 0xE, TI = 0 for WFI, 1 for WFE). Otherwise the PE may idle: the platform
 * decides how long. WFE first consumes the Event Register. */
static a64_step_result exec_wait(a64_cpu *cpu, bool wfe)
{
    uint64_t allow = wfe ? SCTLR_NTWE : SCTLR_NTWI;
    if (cpu->pstate.el == 0 && !(cpu->sys.sctlr_el1 & allow)) {
        uint32_t iss = (1u << 24) | (0xeu << 20) | (wfe ? 1u : 0u);
        return a64_take_exception(cpu, a64_esr(A64_EC_WFX, iss), cpu->pc, 0, false);
    }
    a64_charge(cpu, A64_IC_ALU);   /* a hint */
    cpu->pc += 4;
    /* WFE with the Event Register set clears it and completes at once (D1.6.1). */
    if (wfe && cpu->event_register) {
        cpu->event_register = false;
        return A64_STEP_OK;
    }
    return A64_STEP_WFI;
}

/* Hints (C6.2.119 HINT): CRm:op2 selects; WFE (0000:010) and WFI (0000:011) are the only ones
 * with an effect here. NOP, YIELD, SEV, SEVL, DGH, ESB, PSB, TSB, CSDB, BTI, the PAC/AUT hints
 * (no FEAT_PAuth: they execute as NOP, which is why they were put in the hint space) and every
 * unallocated hint execute as NOP (C6.2.119: "unallocated hint encodings ... behave as NOP"). */
static a64_step_result exec_hint(a64_cpu *cpu, uint32_t insn)
{
    switch (a64_bits(insn, 11, 5)) {
    case 0x02: return exec_wait(cpu, true);
    case 0x03: return exec_wait(cpu, false);
    case 0x04: /* SEV: with one PE, signalling an event sets our own Event Register */
    case 0x05: /* SEVL */
        cpu->event_register = true;
        return retire_as(cpu, A64_IC_ALU);
    default: return retire_as(cpu, A64_IC_ALU);
    }
}

/* ======================= barriers ======================= */

/* Barriers (C4.1.65): 11010101000000110011 CRm op2 Rt, Rt = 11111. The model executes in program
 * order with one observer, so DSB, DMB, ISB, SB, SSBB and PSSBB have no architectural effect
 * beyond retiring; CLREX clears the local exclusive monitor (C6.2.50). op2 = 001 (DSB nXS,
 * FEAT_XS) and 011 (TCOMMIT, FEAT_TME) are not implemented. */
static a64_step_result exec_barrier(a64_cpu *cpu, uint32_t insn)
{
    unsigned op2 = a64_bits(insn, 7, 5), crm = a64_bits(insn, 11, 8);
    if (a64_bits(insn, 4, 0) != 0x1f)
        return a64_undefined(cpu);
    switch (op2) {
    case 2: /* CLREX */
        cpu->excl_valid = false;
        return retire_as(cpu, A64_IC_BARRIER);
    case 4: /* DSB; CRm = 0000 is SSBB, 0100 is PSSBB */
    case 5: /* DMB */
    case 6: /* ISB */
        return retire_as(cpu, A64_IC_BARRIER);
    case 7: /* SB: CRm must be 0 */
        return crm == 0 ? retire_as(cpu, A64_IC_BARRIER) : a64_undefined(cpu);
    default:
        return a64_undefined(cpu);
    }
}

/* ======================= MSR (immediate) ======================= */

/* C6.2.219 MSR (immediate): 1101010100000 op1 0100 CRm op2 11111, the field by op1:op2.
 *   000:101 SPSel  000:100 PAN (FEAT_PAN)  011:110 DAIFSet  011:111 DAIFClr
 * SPSel and PAN are UNDEFINED at EL0; DAIFSet/DAIFClr at EL0 trap (EC 0x18) unless
 * SCTLR_EL1.UMA = 1 (SCTLR_EL1.UMA: "traps EL0 execution of MSR and MRS
 * instructions that access the PSTATE.{D, A, I, F} masks"). UAO (000:011) needs FEAT_UAO
 * (ARMv8.2) and is UNDEFINED, like SSBS, DIT, TCO, ALLINT, SVCR and the other fields. */
static a64_step_result exec_msr_imm(a64_cpu *cpu, uint32_t insn)
{
    unsigned op1 = a64_bits(insn, 18, 16), op2 = a64_bits(insn, 7, 5);
    unsigned crm = a64_bits(insn, 11, 8);
    if (a64_bits(insn, 4, 0) != 0x1f)
        return a64_undefined(cpu);
    bool el0 = cpu->pstate.el == 0;
    switch ((op1 << 3) | op2) {
    case (0 << 3) | 5: /* SPSel */
        if (el0)
            return a64_undefined(cpu);
        cpu->pstate.sp = (uint8_t)(crm & 1);
        return retire_as(cpu, A64_IC_SYSREG);
    case (0 << 3) | 4: /* PAN */
        if (el0)
            return a64_undefined(cpu);
        cpu->pstate.pan = (crm & 1) != 0;
        return retire_as(cpu, A64_IC_SYSREG);
    case (3 << 3) | 6: /* DAIFSet */
    case (3 << 3) | 7: /* DAIFClr */
        if (el0 && !(cpu->sys.sctlr_el1 & SCTLR_UMA))
            return a64_trap_sys(cpu, insn);
        if (op2 == 6)
            cpu->pstate.daif |= crm << SPSR_DAIF_SHIFT;
        else
            cpu->pstate.daif &= ~(crm << SPSR_DAIF_SHIFT);
        return retire_as(cpu, A64_IC_SYSREG);
    default:
        return a64_undefined(cpu);
    }
}

/* ======================= SYS: DC, IC, AT, TLBI ======================= */

/* `tlbi`: a TLBI as the core decoded it (a64_mmu_tlbi), else NULL. */
static void report_sysop_decoded(a64_cpu *cpu, uint32_t op, uint64_t value, uint64_t pa,
                                 const vmsa_tlbi *tlbi)
{
    if (cpu->cfg.env.sysop) {
        a64_sysop s = { .op = op, .value = value, .pa = pa, .tlbi = tlbi };
        cpu->cfg.env.sysop(cpu->cfg.env.ctx, cpu, &s);
    }
}

static void report_sysop(a64_cpu *cpu, uint32_t op, uint64_t value, uint64_t pa)
{
    report_sysop_decoded(cpu, op, value, pa, NULL);
}

/* DC ZVA (ARM ARM C5.3, "DC ZVA, Data Cache Zero by VA"): zero the naturally aligned block of
 * 4 << DCZID_EL0.BS bytes holding Xt. It "behaves as a set of Stores" for translation and
 * permissions, and "if a synchronous Data Abort fault ... is generated, the CM bit in the
 * ESR_ELx.ISS field is set to 0"; the abort reports Xt. One translation covers the block (a
 * block is smaller than any granule), then the bytes are written 8 at a time. "If the memory
 * region being zeroed is any type of Device memory, this instruction generates an Alignment
 * fault", and with the MMU off every data access is to Device-nGnRnE memory (D8.2.10). */
static a64_step_result exec_dc_zva(a64_cpu *cpu, uint32_t op, uint64_t va)
{
    uint64_t block = 4ull << (cpu->sys.dczid_el0 & DCZID_BS_MASK);
    uint64_t pa;
    /* With the MMU on, the translation checks the memory type: DC ZVA to Device memory is an
     * Alignment fault there (vmsa_check_alignment), and to a writable-clean page a write that
     * makes it dirty (D8.5.2.1 R_NSXRD). */
    if (!a64_translate_data(cpu, va, 1, A64_MEM_WRITE | A64_MEM_ZVA, &pa))
        return A64_STEP_OK;
    if (!(cpu->sys.sctlr_el1 & SCTLR_M)) {
        a64_fault f = { .fsc = A64_FSC_ALIGNMENT, .write = true, .va = va };
        return a64_take_abort(cpu, &f);
    }
    uint64_t va_base = va & ~(block - 1), pa_base = pa & ~(block - 1);
    for (uint64_t off = 0; off < block; off += 8)
        if (!a64_phys_store(cpu, pa_base + off, va_base + off, 8, A64_MEM_WRITE, 0))
            return A64_STEP_OK;
    report_sysop(cpu, op, va, pa_base);
    return retire_as(cpu, A64_IC_SYSOP);
}

/* DC/IC by VA (C5.3): translate as a cache maintenance access, so that a fault reports CM = 1;
 * DC IVAC needs write permission (it may discard data), DC clean and IC IVAU read permission at
 * EL0 only (D8.15.3 R_MXZPX, R_XJRNW, R_JYWZL; vmsa_access types DC_INVAL, DC_CLEAN, IC_INVAL). */
static a64_step_result exec_cmo_by_va(a64_cpu *cpu, uint32_t op, uint64_t va, bool needs_write)
{
    uint64_t pa;
    unsigned flags = A64_MEM_CMO | (needs_write ? A64_MEM_WRITE : 0) |
                     (op == A64_SYSOP_IC_IVAU ? A64_MEM_IC : 0);
    if (!a64_translate_data(cpu, va, 1, flags, &pa))
        return A64_STEP_OK;
    report_sysop(cpu, op, va, pa);
    return retire_as(cpu, A64_IC_SYSOP);
}

/* AT S1E1R/W, S1E0R/W (C5.5): the stage 1 translation of Xt, result in PAR_EL1. With
 * stage 1 disabled the PA is the VA and the memory Device-nGnRnE: ATTR = 0x00, SH = 0b10 (PAR
 * reports Outer Shareable for any Device memory). With the MMU on: a walk with the permissions of
 * `op` (EL0 for S1E0x, write for S1ExW) that takes no fault, sets no Access flag or dirty state
 * and fills no TLB (a64_mmu_at); a fault is reported as F = 1 with FST, but a Synchronous External
 * abort on the walk is taken as a Data Abort. */
static a64_step_result exec_at(a64_cpu *cpu, uint32_t op, uint64_t va)
{
    uint64_t par;
    if (!(cpu->sys.sctlr_el1 & SCTLR_M))
        par = (va & PAR_PA_MASK) | PAR_RES1 | PAR_SH_OUTER | (0x00ull << PAR_ATTR_SHIFT);
    else if (!a64_mmu_at(cpu, op, va, &par))
        return A64_STEP_OK;   /* External abort on the walk: taken, PAR_EL1 unchanged */
    cpu->sys.par_el1 = par;
    report_sysop(cpu, op, va,
                 (par & PAR_F) ? 0 : (par & PAR_PA_MASK) | (va & (A64_MIN_PAGE_SIZE - 1)));
    return retire_as(cpu, A64_IC_SYSOP);
}

/* May EL0 execute this cache maintenance operation? DC ZVA needs SCTLR_EL1.DZE; DC CVAU, CVAC,
 * CVAP, CIVAC and IC IVAU need SCTLR_EL1.UCI; when the bit is 0 they trap with EC 0x18. The
 * others (set/way, invalidate-only, IC IALLU*) are UNDEFINED at EL0. */
typedef enum { EL0_UNDEFINED, EL0_TRAP, EL0_ALLOWED } el0_rule;

static el0_rule el0_cmo_rule(const a64_cpu *cpu, uint32_t op)
{
    uint64_t enable;
    switch (op) {
    case A64_SYSOP_DC_ZVA:
        enable = SCTLR_DZE;
        break;
    case A64_SYSOP_DC_CVAU: case A64_SYSOP_DC_CVAC: case A64_SYSOP_DC_CVAP:
    case A64_SYSOP_DC_CIVAC: case A64_SYSOP_IC_IVAU:
        enable = SCTLR_UCI;
        break;
    default:
        return EL0_UNDEFINED;
    }
    return (cpu->sys.sctlr_el1 & enable) ? EL0_ALLOWED : EL0_TRAP;
}

/* C6.2.372 SYS (L = 0): 1101010100 0 01 op1 CRn CRm op2 Rt. The operations of an ARMv8.1 EL1&0
 * PE; everything else (EL2/EL3 operations, later extensions) is UNDEFINED. SYSL (L = 1) has no
 * allocated operation: UNDEFINED. */
static a64_step_result exec_sys(a64_cpu *cpu, uint32_t insn)
{
    uint32_t op = a64_bits(insn, 18, 5);
    uint64_t xt = a64_xreg(cpu, a64_bits(insn, 4, 0));
    if (a64_bit(insn, 21))
        return a64_undefined(cpu);
    if (cpu->pstate.el == 0) {
        switch (el0_cmo_rule(cpu, op)) {
        case EL0_UNDEFINED: return a64_undefined(cpu);
        case EL0_TRAP: return a64_trap_sys(cpu, insn);
        case EL0_ALLOWED: break;
        }
    }
    switch (op) {
    case A64_SYSOP_DC_ZVA:
        return exec_dc_zva(cpu, op, xt);
    case A64_SYSOP_DC_IVAC:
        return exec_cmo_by_va(cpu, op, xt, true);
    case A64_SYSOP_DC_CVAC: case A64_SYSOP_DC_CVAU: case A64_SYSOP_DC_CVAP:
    case A64_SYSOP_DC_CIVAC: case A64_SYSOP_IC_IVAU:
        return exec_cmo_by_va(cpu, op, xt, false);
    case A64_SYSOP_DC_ISW: case A64_SYSOP_DC_CSW: case A64_SYSOP_DC_CISW:
    case A64_SYSOP_IC_IALLU: case A64_SYSOP_IC_IALLUIS:
        report_sysop(cpu, op, xt, 0);
        return retire_as(cpu, A64_IC_SYSOP);
    case A64_SYSOP_AT_S1E1R: case A64_SYSOP_AT_S1E1W:
    case A64_SYSOP_AT_S1E0R: case A64_SYSOP_AT_S1E0W:
        return exec_at(cpu, op, xt);
    default: {
        /* A TLBI of EL1&0 (the one table of them: a64_tlbi_decode): the core drops its L1 TLB
         * entries; the platform's MMU (env.sysop, given the decoded operation) its L2 TLB and
         * walk cache. */
        vmsa_tlbi tlbi;
        if (a64_mmu_tlbi(cpu, op, xt, &tlbi)) {
            report_sysop_decoded(cpu, op, xt, 0, &tlbi);
            return retire_as(cpu, A64_IC_SYSOP);
        }
        return a64_undefined(cpu);
    }
    }
}

/* ======================= system class ======================= */

/* System (C4.1.65): 1101010100 L op0 op1 CRn CRm op2 Rt.
 *   L = 0, op0 = 00: CRn 0010 hints, 0011 barriers, 0100 MSR (immediate); others unallocated
 *   op0 = 01: SYS / SYSL;  op0 = 1x: MSR / MRS (register) */
static a64_step_result exec_system(a64_cpu *cpu, uint32_t insn)
{
    unsigned op0 = a64_bits(insn, 20, 19);
    if (op0 >= 2)
        return a64_exec_sysreg_move(cpu, insn);
    if (op0 == 1)
        return exec_sys(cpu, insn);
    if (a64_bit(insn, 21))
        return a64_undefined(cpu);
    unsigned op1 = a64_bits(insn, 18, 16), crn = a64_bits(insn, 15, 12);
    switch (crn) {
    case 0x2:
        if (op1 == 3 && a64_bits(insn, 4, 0) == 0x1f)
            return exec_hint(cpu, insn);
        return a64_undefined(cpu);
    case 0x3:
        return op1 == 3 ? exec_barrier(cpu, insn) : a64_undefined(cpu);
    case 0x4:
        return exec_msr_imm(cpu, insn);
    default: /* WFET/WFIT (CRn 0001, FEAT_WFxT) and unallocated */
        return a64_undefined(cpu);
    }
}

/* ======================= group entry ======================= */

a64_step_result a64_exec_branch_sys(a64_cpu *cpu, uint32_t insn)
{
    switch (insn >> 29) {
    case 0x0: case 0x4: /* x00 */
        return exec_b_imm(cpu, insn);
    case 0x1: case 0x5: /* x01 */
        return a64_bit(insn, 25) ? exec_test_branch(cpu, insn) : exec_compare_branch(cpu, insn);
    case 0x2: /* 010 */
        return a64_bit(insn, 25) ? a64_undefined(cpu) : exec_b_cond(cpu, insn);
    case 0x6: /* 110 */
        if (a64_bit(insn, 25))
            return exec_branch_reg(cpu, insn);
        if (!a64_bit(insn, 24))
            return exec_exception_gen(cpu, insn);
        if (a64_bits(insn, 23, 22) == 0)
            return exec_system(cpu, insn);
        return a64_undefined(cpu);
    default: /* 011, 111: unallocated */
        return a64_undefined(cpu);
    }
}
