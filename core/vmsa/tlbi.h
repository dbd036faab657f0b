/* TLB maintenance operations of the EL1&0 regime, decoded from the TLBI operation and its
 * operand (ARM ARM C5.5 "A64 System instructions for TLB maintenance", D8.13 "TLB maintenance").
 *
 * Xt for the by-VA forms: Xt[63:48] = ASID, Xt[43:0] = VA[55:12]; the VA is sign-extended from
 * VA[55] so that a TTBR1 address matches its canonical TLB tag. On a single PE the Inner
 * Shareable (IS) forms act exactly as the local ones.
 */
#ifndef HTTUSIM_CORE_VMSA_TLBI_H
#define HTTUSIM_CORE_VMSA_TLBI_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vmsa_tlbi_op {
    VMSA_TLBI_VMALLE1 = 0, /* every EL1&0 entry */
    VMSA_TLBI_ASIDE1,      /* non-global entries of ASID */
    VMSA_TLBI_VAE1,        /* entries for VA: of ASID, or global */
    VMSA_TLBI_VAAE1,       /* entries for VA, any ASID */
    VMSA_TLBI_VALE1,       /* as VAE1, last level only */
    VMSA_TLBI_VAALE1,      /* as VAAE1, last level only */
    VMSA_TLBI_OP_COUNT
} vmsa_tlbi_op;

typedef struct vmsa_tlbi {
    vmsa_tlbi_op op;
    bool inner_shareable;  /* the IS form (same effect on one PE) */
    uint64_t va;           /* by-VA forms: canonical VA (page offset zero) */
    uint16_t asid;         /* ASIDE1, VAE1, VALE1 */
} vmsa_tlbi;

/* The operation `op` (its IS form when `inner_shareable`) with its register operand Xt decoded:
 * the canonical VA of the by-VA forms, the ASID where the operation has one (else 0). With 8-bit
 * ASIDs (asid16 = false) the ASID is Xt[55:48]. Which instruction encoding names which operation
 * is the CPU's business (a64_tlbi_decode in a64/vmsa_glue.h). */
vmsa_tlbi vmsa_tlbi_from_xt(vmsa_tlbi_op op, bool inner_shareable, uint64_t xt, bool asid16);

/* Counter name of the operation, "VMALLE1", "VALE1IS", ... */
const char *vmsa_tlbi_name(const vmsa_tlbi *op);

static inline bool vmsa_tlbi_by_va(vmsa_tlbi_op op)
{
    return op == VMSA_TLBI_VAE1 || op == VMSA_TLBI_VAAE1 || op == VMSA_TLBI_VALE1 ||
           op == VMSA_TLBI_VAALE1;
}

static inline bool vmsa_tlbi_any_asid(vmsa_tlbi_op op)
{
    return op == VMSA_TLBI_VAAE1 || op == VMSA_TLBI_VAALE1;
}

static inline bool vmsa_tlbi_last_level(vmsa_tlbi_op op)
{
    return op == VMSA_TLBI_VALE1 || op == VMSA_TLBI_VAALE1;
}

#ifdef __cplusplus
}
#endif

#endif
