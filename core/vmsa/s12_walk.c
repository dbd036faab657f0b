/* Two-stage translation driver (vmsa/s12_walk.h). */
#include "vmsa/s12_walk.h"

static vmsa_req final_request(const vmsa_s12_walk *w)
{
    vmsa_req r = { 0 };
    if (w->phase == VMSA_S12_DONE) {
        r.kind = VMSA_REQ_DONE;
        r.level = w->result.level;
        r.result = &w->result;
    } else {
        r.kind = VMSA_REQ_FAULT;
        r.level = w->fault.level;
        r.fault = &w->fault;
    }
    return r;
}

/* A fault of either stage ends the translation. FAR is the VA of the access in both cases; a
 * stage 2 fault also carries the IPA (fault.ipa, for HPFAR_EL2) and S1PTW. */
static vmsa_req fail(vmsa_s12_walk *w, const vmsa_fault *f)
{
    w->fault = *f;
    w->fault.va = w->va;
    w->phase = VMSA_S12_FAULTED;
    return final_request(w);
}

/* The combined entry (ASL AArch64.CombineS1S2Desc, simplified to what the TLB needs): the
 * smaller of the two page or block sizes, the final PA, the permissions both stages grant, and
 * Device memory if either stage says so. Stage 1's ASID, global bit, level and dirty state stay;
 * each stage's own result remains in w->s1.result / w->s2.result. */
static vmsa_req combine(vmsa_s12_walk *w, const vmsa_result *s2)
{
    vmsa_result *c = &w->result;
    if (w->s1_enabled) {
        *c = w->s1.result;
    } else {
        *c = *s2;
        c->va = w->va;
    }
    uint8_t size = s2->size_log2 < c->size_log2 ? s2->size_log2 : c->size_log2;
    uint64_t offset_mask = (1ull << size) - 1;
    c->size_log2 = size;
    c->pa = s2->pa;
    c->pa_base = s2->pa & ~offset_mask;
    c->va_base = c->va & ~offset_mask;
    c->perms &= s2->perms;
    c->device = c->device || s2->device;
    w->phase = VMSA_S12_DONE;
    return final_request(w);
}

/* A stage 2 walk's request goes out as it is; its end either releases the stage 1 request it
 * translated (now with its PA) or completes the translation. */
static vmsa_req s2_progress(vmsa_s12_walk *w, vmsa_req r)
{
    switch (r.kind) {
    case VMSA_REQ_READ:
        w->s2_reads++;
        return r;
    case VMSA_REQ_CAS:
        w->s2_cas++;
        return r;
    case VMSA_REQ_FAULT:
        return fail(w, r.fault);
    case VMSA_REQ_DONE:
        break;
    }
    if (w->phase == VMSA_S12_OUT_STAGE2)
        return combine(w, r.result);
    vmsa_req out = w->s1_req;
    out.addr = r.result->pa;
    w->phase = VMSA_S12_STAGE1;
    return out;
}

static vmsa_req start_stage2(vmsa_s12_walk *w, uint64_t ipa, bool s1ptw, bool s1_update,
                             vmsa_s12_phase phase)
{
    w->phase = phase;
    w->s2_walks++;
    return s2_progress(w, vmsa_walk_start_s2(&w->s2, &w->s2p, ipa, &w->acc, s1ptw, s1_update));
}

/* The stage 1 walk's next request: a descriptor access (its address an IPA) is translated by
 * stage 2 first; its end starts the stage 2 walk of the output IPA. */
static vmsa_req s1_progress(vmsa_s12_walk *w, vmsa_req r)
{
    switch (r.kind) {
    case VMSA_REQ_READ:
    case VMSA_REQ_CAS:
        w->s1_req = r;
        return start_stage2(w, r.addr, true, r.kind == VMSA_REQ_CAS, VMSA_S12_DESC_STAGE2);
    case VMSA_REQ_FAULT:
        return fail(w, r.fault);
    case VMSA_REQ_DONE:
        break;
    }
    return start_stage2(w, r.result->pa, false, false, VMSA_S12_OUT_STAGE2);
}

vmsa_req vmsa_s12_walk_start(vmsa_s12_walk *w, const vmsa_params *s1, const vmsa_s2_params *s2,
                             uint64_t va, const vmsa_access *acc)
{
    w->s2p = *s2;
    w->acc = *acc;
    w->va = va;
    w->s1_enabled = s1->mmu_enabled;
    w->s2_walks = 0;
    w->s2_reads = 0;
    w->s2_cas = 0;
    if (!w->s1_enabled)
        return start_stage2(w, va, false, false, VMSA_S12_OUT_STAGE2);
    w->phase = VMSA_S12_STAGE1;
    return s1_progress(w, vmsa_walk_start(&w->s1, s1, va, acc));
}

vmsa_req vmsa_s12_walk_step(vmsa_s12_walk *w, uint64_t value)
{
    switch (w->phase) {
    case VMSA_S12_STAGE1:
        return s1_progress(w, vmsa_walk_step(&w->s1, value));
    case VMSA_S12_DESC_STAGE2:
    case VMSA_S12_OUT_STAGE2:
        return s2_progress(w, vmsa_walk_step(&w->s2, value));
    case VMSA_S12_DONE:
    case VMSA_S12_FAULTED:
        break;
    }
    return final_request(w);
}
