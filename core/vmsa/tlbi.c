/* TLBI decode (ARM ARM C5.5: TLBI VMALLE1{IS}, ASIDE1{IS}, VAE1{IS}, VAAE1{IS}, VALE1{IS},
 * VAALE1{IS}). */
#include "vmsa/tlbi.h"

#include "vmsa/params.h"

#define TLBI_VA_FIELD_MASK ((1ull << 44) - 1) /* Xt[43:0] = VA[55:12] */
#define TLBI_VA_SHIFT      12
#define TLBI_ASID_SHIFT    48

vmsa_tlbi vmsa_tlbi_from_xt(vmsa_tlbi_op op, bool inner_shareable, uint64_t xt, bool asid16)
{
    vmsa_tlbi out;
    out.op = op;
    out.inner_shareable = inner_shareable;
    uint64_t va = (xt & TLBI_VA_FIELD_MASK) << TLBI_VA_SHIFT;
    out.va = vmsa_va_sign_extend55(va);
    uint16_t asid = (uint16_t)(xt >> TLBI_ASID_SHIFT);
    out.asid = asid16 ? asid : (uint16_t)(asid & 0xff);
    if (!vmsa_tlbi_by_va(op))
        out.va = 0;
    if (op == VMSA_TLBI_VMALLE1 || vmsa_tlbi_any_asid(op))
        out.asid = 0;
    return out;
}

const char *vmsa_tlbi_name(const vmsa_tlbi *op)
{
    /* By operation: the local form, then the Inner Shareable one. */
    static const char *const names[VMSA_TLBI_OP_COUNT][2] = {
        [VMSA_TLBI_VMALLE1] = { "VMALLE1", "VMALLE1IS" },
        [VMSA_TLBI_ASIDE1] = { "ASIDE1", "ASIDE1IS" },
        [VMSA_TLBI_VAE1] = { "VAE1", "VAE1IS" },
        [VMSA_TLBI_VAAE1] = { "VAAE1", "VAAE1IS" },
        [VMSA_TLBI_VALE1] = { "VALE1", "VALE1IS" },
        [VMSA_TLBI_VAALE1] = { "VAALE1", "VAALE1IS" },
    };
    if ((unsigned)op->op >= VMSA_TLBI_OP_COUNT)
        return "?";
    return names[op->op][op->inner_shareable ? 1 : 0];
}
