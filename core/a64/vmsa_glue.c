/* Conversions between the A64 CPU and core/vmsa (a64/vmsa_glue.h). */
#include "vmsa_glue.h"

/* The fault status codes are architectural: vmsa's and the CPU's are the same numbers. */
_Static_assert((int)VMSA_FSC_ADDR_SIZE == (int)A64_FSC_ADDR_SIZE, "FSC: Address size fault");
_Static_assert((int)VMSA_FSC_TRANSLATION == (int)A64_FSC_TRANSLATION, "FSC: Translation fault");
_Static_assert((int)VMSA_FSC_ACCESS_FLAG == (int)A64_FSC_ACCESS_FLAG, "FSC: Access flag fault");
_Static_assert((int)VMSA_FSC_PERMISSION == (int)A64_FSC_PERMISSION, "FSC: Permission fault");
_Static_assert((int)VMSA_FSC_ALIGNMENT == (int)A64_FSC_ALIGNMENT, "FSC: Alignment fault");
_Static_assert(VMSA_RULE_COUNT <= 256, "a64_fault.rule holds a vmsa_rule");

vmsa_regs vmsa_regs_from_a64(const a64_sysregs *s)
{
    vmsa_regs r;
    r.sctlr = s->sctlr_el1;
    r.tcr = s->tcr_el1;
    r.ttbr0 = s->ttbr0_el1;
    r.ttbr1 = s->ttbr1_el1;
    r.mair = s->mair_el1;
    r.mmfr0 = s->id_aa64mmfr0_el1;
    r.mmfr1 = s->id_aa64mmfr1_el1;
    return r;
}

a64_fault vmsa_fault_to_a64(const vmsa_fault *f)
{
    a64_fault a = { 0 };
    a.fsc = vmsa_fault_fsc(f);
    a.write = f->write && !f->fetch;
    a.cache_maint = f->cache_maint;
    a.s1ptw = f->s1ptw;
    a.fetch = f->fetch;
    a.rule = (uint8_t)f->rule;
    a.va = f->va;
    return a;
}

bool a64_tlbi_decode(uint32_t sysop, uint64_t xt, bool asid16, vmsa_tlbi *out)
{
    /* ARM ARM C5.5: TLBI VMALLE1{IS}, ASIDE1{IS}, VAE1{IS}, VAAE1{IS}, VALE1{IS}, VAALE1{IS}:
     * the encodings of each operation, local and Inner Shareable. */
    static const struct { uint32_t local, shared; } enc[VMSA_TLBI_OP_COUNT] = {
        [VMSA_TLBI_VMALLE1] = { A64_SYSOP_TLBI_VMALLE1, A64_SYSOP_TLBI_VMALLE1IS },
        [VMSA_TLBI_ASIDE1] = { A64_SYSOP_TLBI_ASIDE1, A64_SYSOP_TLBI_ASIDE1IS },
        [VMSA_TLBI_VAE1] = { A64_SYSOP_TLBI_VAE1, A64_SYSOP_TLBI_VAE1IS },
        [VMSA_TLBI_VAAE1] = { A64_SYSOP_TLBI_VAAE1, A64_SYSOP_TLBI_VAAE1IS },
        [VMSA_TLBI_VALE1] = { A64_SYSOP_TLBI_VALE1, A64_SYSOP_TLBI_VALE1IS },
        [VMSA_TLBI_VAALE1] = { A64_SYSOP_TLBI_VAALE1, A64_SYSOP_TLBI_VAALE1IS },
    };
    for (unsigned op = 0; op < VMSA_TLBI_OP_COUNT; op++) {
        if (sysop == enc[op].local || sysop == enc[op].shared) {
            *out = vmsa_tlbi_from_xt((vmsa_tlbi_op)op, sysop == enc[op].shared, xt, asid16);
            return true;
        }
    }
    return false;
}
