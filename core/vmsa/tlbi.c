/* TLBI decode (ARM ARM C5.5: TLBI VMALLE1{IS}, ASIDE1{IS}, VAE1{IS}, VAAE1{IS}, VALE1{IS},
 * VAALE1{IS}). */
#include "vmsa/tlbi.h"

#include "a64/cpu.h"

#define TLBI_VA_FIELD_MASK ((1ull << 44) - 1) /* Xt[43:0] = VA[55:12] */
#define TLBI_VA_SHIFT      12
#define TLBI_ASID_SHIFT    48

bool vmsa_tlbi_decode(uint32_t sysop, uint64_t xt, bool asid16, vmsa_tlbi *out)
{
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
        if (table[i].enc != sysop)
            continue;
        out->op = table[i].op;
        out->inner_shareable = table[i].is;
        uint64_t va = (xt & TLBI_VA_FIELD_MASK) << TLBI_VA_SHIFT;
        out->va = (uint64_t)((int64_t)(va << 8) >> 8); /* sign-extend VA[55] */
        uint16_t asid = (uint16_t)(xt >> TLBI_ASID_SHIFT);
        out->asid = asid16 ? asid : (uint16_t)(asid & 0xff);
        if (!vmsa_tlbi_by_va(out->op))
            out->va = 0;
        if (out->op == VMSA_TLBI_VMALLE1 || vmsa_tlbi_any_asid(out->op))
            out->asid = 0;
        return true;
    }
    return false;
}

const char *vmsa_tlbi_name(const vmsa_tlbi *op)
{
    static const char *const local[VMSA_TLBI_OP_COUNT] = {
        "VMALLE1", "ASIDE1", "VAE1", "VAAE1", "VALE1", "VAALE1",
    };
    static const char *const shared[VMSA_TLBI_OP_COUNT] = {
        "VMALLE1IS", "ASIDE1IS", "VAE1IS", "VAAE1IS", "VALE1IS", "VAALE1IS",
    };
    if ((unsigned)op->op >= VMSA_TLBI_OP_COUNT)
        return "?";
    return op->inner_shareable ? shared[op->op] : local[op->op];
}
