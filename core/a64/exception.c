/* Synchronous exception entry to EL1 (ARM ARM D1.10.2, AArch64.TakeException) and the report
 * that ends a run when a firmware has no usable vector table or loops on one fault. */
#include "exec.h"

/* Vector offsets from VBAR_EL1 (ARM ARM D1.10.2, Table D1-7), synchronous entries. */
#define VECTOR_CURRENT_SP0 0x000
#define VECTOR_CURRENT_SPX 0x200
#define VECTOR_LOWER_A64   0x400

uint64_t a64_pstate_to_spsr(const a64_cpu *cpu)
{
    const a64_pstate *p = &cpu->pstate;
    uint64_t spsr = (uint64_t)(p->nzcv & 0xf0000000u) | (uint64_t)(p->daif & SPSR_DAIF_MASK);
    spsr |= ((uint64_t)p->el << 2) | (p->el ? p->sp : 0);
    if (p->pan) spsr |= SPSR_PAN;
    if (p->uao) spsr |= SPSR_UAO;
    if (p->ss) spsr |= SPSR_SS;
    if (p->il) spsr |= SPSR_IL;
    return spsr;
}

void a64_pstate_from_spsr(a64_cpu *cpu, uint64_t spsr)
{
    a64_pstate *p = &cpu->pstate;
    p->nzcv = (uint32_t)(spsr & SPSR_NZCV_MASK);
    p->daif = (uint32_t)(spsr & SPSR_DAIF_MASK);
    p->pan = (spsr & SPSR_PAN) != 0;
    p->uao = (spsr & SPSR_UAO) != 0;
    p->ss = (spsr & SPSR_SS) != 0;
    p->il = (spsr & SPSR_IL) != 0;
    unsigned m = (unsigned)(spsr & SPSR_M_MASK);
    /* Only EL0t, EL1t and EL1h exist here; anything else is an illegal exception return
     * (ARM ARM D1.11.4): the target mode stays the current one and PSTATE.IL is set. */
    if ((spsr & SPSR_M_RW) || (m != SPSR_M_EL0T && m != SPSR_M_EL1T && m != SPSR_M_EL1H)) {
        p->il = true;
        return;
    }
    p->el = (uint8_t)(m >> 2);
    p->sp = (uint8_t)(m & 1);
}

/* Does a fetch at `va` reach memory? Only checked with the MMU off, where PA = VA; with the MMU
 * on, a missing vector table shows up as a fault loop on the vector address instead. */
static bool vector_fetchable(a64_cpu *cpu, uint64_t va)
{
    if (cpu->sys.sctlr_el1 & SCTLR_M)
        return true;
    if (a64_ram_ptr(cpu, va, 4))
        return true;
    uint64_t v;
    return cpu->cfg.env.phys_read && cpu->cfg.env.phys_read(cpu->cfg.env.ctx, va, 4, &v) == A64_BUS_OK;
}

/* Exceptions that make no progress when they repeat at the same place (aborts, UNDEFINED,
 * traps); SVC, HVC and BRK in a loop are legitimate. */
static bool can_loop(unsigned ec)
{
    switch (ec) {
    case A64_EC_SVC64: case A64_EC_HVC64: case A64_EC_SMC64: case A64_EC_BRK64:
        return false;
    default:
        return true;
    }
}

static a64_step_result fatal(a64_cpu *cpu, a64_fatal_kind kind, uint32_t esr, uint64_t pc,
                             uint64_t far)
{
    a64_fatal_report *r = &cpu->fatal;
    r->kind = kind;
    r->pc = pc;
    r->esr = esr;
    r->far = far;
    r->repeats = cpu->last_exc_repeats;
    r->insn_valid = a64_debug_read(cpu, pc, &r->insn, 4);
    if (!r->insn_valid)
        r->insn = 0;
    return A64_STEP_FATAL;
}

a64_step_result a64_take_exception(a64_cpu *cpu, uint32_t esr, uint64_t preferred_return,
                                   uint64_t far, bool far_valid)
{
    unsigned ec = esr >> 26;
    cpu->ctr.exceptions++;
    cpu->ctr.exceptions_by_ec[ec & 63]++;

    uint64_t far_seen = far_valid ? far : 0;
    if (can_loop(ec) && cpu->last_exc_elr == preferred_return && cpu->last_exc_esr == esr &&
        cpu->last_exc_far == far_seen) {
        cpu->last_exc_repeats++;
    } else {
        cpu->last_exc_repeats = 1;
        cpu->last_exc_elr = preferred_return;
        cpu->last_exc_esr = esr;
        cpu->last_exc_far = far_seen;
    }
    if (cpu->cfg.fault_loop_limit && cpu->last_exc_repeats >= cpu->cfg.fault_loop_limit)
        return fatal(cpu, A64_FATAL_FAULT_LOOP, esr, preferred_return, far_seen);

    uint64_t offset = cpu->pstate.el == 0 ? VECTOR_LOWER_A64
                      : cpu->pstate.sp    ? VECTOR_CURRENT_SPX
                                          : VECTOR_CURRENT_SP0;
    uint64_t vector = (cpu->sys.vbar_el1 & ~0x7ffull) + offset;
    if (!vector_fetchable(cpu, vector))
        return fatal(cpu, A64_FATAL_NO_VECTORS, esr, preferred_return, far_seen);

    uint8_t from_el = cpu->pstate.el;
    cpu->sys.spsr_el1 = a64_pstate_to_spsr(cpu);
    cpu->sys.elr_el1 = preferred_return;
    cpu->sys.esr_el1 = esr;
    if (far_valid)
        cpu->sys.far_el1 = far;
    /* PSTATE on entry (D1.10.2): EL1h, DAIF all set, SS and IL cleared; PAN set when
     * SCTLR_EL1.SPAN = 0 (FEAT_PAN). */
    cpu->pstate.el = 1;
    cpu->pstate.sp = 1;
    cpu->pstate.daif = (uint32_t)SPSR_DAIF_MASK;
    cpu->pstate.ss = false;
    cpu->pstate.il = false;
    if (!(cpu->sys.sctlr_el1 & SCTLR_SPAN))
        cpu->pstate.pan = true;
    cpu->excl_valid = false; /* exception entry clears the local monitor (B2.9.5) */
    cpu->pc = vector;
    cpu->ctr.exception_entries++;   /* timed by the platform (docs/timing.md) */
    if (cpu->cfg.env.event) {
        a64_event e = { .kind = A64_EVENT_EXCEPTION, .esr = esr, .elr = preferred_return,
                        .far = far, .far_valid = far_valid, .from_el = from_el,
                        .vector = vector };
        cpu->cfg.env.event(cpu->cfg.env.ctx, &e);
    }
    return A64_STEP_OK;
}

a64_step_result a64_take_abort(a64_cpu *cpu, const a64_fault *fault)
{
    bool lower = cpu->pstate.el == 0;
    unsigned ec;
    uint32_t iss = fault->fsc & 0x3f;
    if (fault->fetch) {
        ec = lower ? A64_EC_IABT_LOWER : A64_EC_IABT_SAME;
    } else {
        ec = lower ? A64_EC_DABT_LOWER : A64_EC_DABT_SAME;
        /* ISV = 0: stage 1 aborts taken to EL1 carry no instruction syndrome (as QEMU). */
        if (fault->write || fault->cache_maint)
            iss |= 1u << 6;  /* WnR: cache maintenance reports 1 (D17.2.37) */
        if (fault->cache_maint)
            iss |= 1u << 8;  /* CM */
    }
    if (fault->s1ptw)
        iss |= 1u << 7;
    uint32_t esr = a64_esr(ec, iss);
    if (cpu->cfg.env.event) {
        a64_event e = { .kind = A64_EVENT_FAULT, .fault = fault, .esr = esr, .elr = cpu->pc,
                        .far = fault->va, .far_valid = true };
        cpu->cfg.env.event(cpu->cfg.env.ctx, &e);
    }
    return a64_take_exception(cpu, esr, cpu->pc, fault->va, true);
}

a64_step_result a64_undefined(a64_cpu *cpu)
{
    return a64_take_exception(cpu, a64_esr(A64_EC_UNKNOWN, 0), cpu->pc, 0, false);
}
