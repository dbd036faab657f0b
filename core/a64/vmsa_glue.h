/* The CPU's side of the seam to core/vmsa: what an A64 PE feeds the translation library and how
 * it reads its answers. core/vmsa includes nothing from core/a64 (it is built alone, see
 * core/CMakeLists.txt), so every conversion between the two lives here:
 *  - vmsa_regs_from_a64: the raw translation registers of a64_sysregs, for vmsa_params_decode;
 *  - vmsa_fault_to_a64: an MMU fault as the CPU's a64_fault record (ESR/FAR inputs);
 *  - a64_tlbi_decode: which A64 SYS encoding (A64_SYSOP_TLBI_*) names which TLBI operation.
 */
#ifndef HTTUSIM_CORE_A64_VMSA_GLUE_H
#define HTTUSIM_CORE_A64_VMSA_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include "a64/cpu.h"
#include "vmsa/fault.h"
#include "vmsa/params.h"
#include "vmsa/tlbi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Snapshot of the CPU's registers for vmsa_params_decode. */
vmsa_regs vmsa_regs_from_a64(const a64_sysregs *s);

/* The CPU's fault record (ESR/FAR inputs) of an MMU fault. */
a64_fault vmsa_fault_to_a64(const vmsa_fault *f);

/* Decode a TLBI by its packed op1:CRn:CRm:op2 (A64_SYSOP_TLBI_* in a64/cpu.h) and Xt
 * (vmsa_tlbi_from_xt). Returns false for an encoding that is not one of the six operations (or
 * their IS forms); *out is then untouched. */
bool a64_tlbi_decode(uint32_t sysop, uint64_t xt, bool asid16, vmsa_tlbi *out);

#ifdef __cplusplus
}
#endif

#endif
