/* Conversions between the A64 CPU and core/vmsa (a64/vmsa_glue.h). */
#include "vmsa_glue.h"

/* The fault status codes are architectural: vmsa's and the CPU's are the same numbers. */
_Static_assert((int)VMSA_FSC_ADDR_SIZE == (int)A64_FSC_ADDR_SIZE, "FSC: Address size fault");
_Static_assert((int)VMSA_FSC_TRANSLATION == (int)A64_FSC_TRANSLATION, "FSC: Translation fault");
_Static_assert((int)VMSA_FSC_ACCESS_FLAG == (int)A64_FSC_ACCESS_FLAG, "FSC: Access flag fault");
_Static_assert((int)VMSA_FSC_PERMISSION == (int)A64_FSC_PERMISSION, "FSC: Permission fault");
_Static_assert((int)VMSA_FSC_ALIGNMENT == (int)A64_FSC_ALIGNMENT, "FSC: Alignment fault");

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
    a.va = f->va;
    return a;
}

bool a64_tlbi_decode(uint32_t sysop, uint64_t xt, bool asid16, vmsa_tlbi *out)
{
    /* ARM ARM C5.5: TLBI VMALLE1{IS}, ASIDE1{IS}, VAE1{IS}, VAAE1{IS}, VALE1{IS}, VAALE1{IS}. */
    static const struct { uint32_t enc; vmsa_tlbi_op op; bool is; } table[] = {
        { A64_SYSOP_TLBI_VMALLE1, VMSA_TLBI_VMALLE1, false },
        { A64_SYSOP_TLBI_VMALLE1IS, VMSA_TLBI_VMALLE1, true },
        { A64_SYSOP_TLBI_ASIDE1, VMSA_TLBI_ASIDE1, false },
        { A64_SYSOP_TLBI_ASIDE1IS, VMSA_TLBI_ASIDE1, true },
        { A64_SYSOP_TLBI_VAE1, VMSA_TLBI_VAE1, false },
        { A64_SYSOP_TLBI_VAE1IS, VMSA_TLBI_VAE1, true },
        { A64_SYSOP_TLBI_VAAE1, VMSA_TLBI_VAAE1, false },
        { A64_SYSOP_TLBI_VAAE1IS, VMSA_TLBI_VAAE1, true },
        { A64_SYSOP_TLBI_VALE1, VMSA_TLBI_VALE1, false },
        { A64_SYSOP_TLBI_VALE1IS, VMSA_TLBI_VALE1, true },
        { A64_SYSOP_TLBI_VAALE1, VMSA_TLBI_VAALE1, false },
        { A64_SYSOP_TLBI_VAALE1IS, VMSA_TLBI_VAALE1, true },
    };
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].enc == sysop) {
            *out = vmsa_tlbi_from_xt(table[i].op, table[i].is, xt, asid16);
            return true;
        }
    }
    return false;
}
