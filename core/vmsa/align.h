/* Alignment faults that depend on the memory type a translation returns (ARM ARM B2.5.2
 * "Alignment of data accesses"; ASL AArch64.S1HasAlignmentFault). Alignment faults that do not
 * depend on the memory type (exclusives, atomics, acquire/release, SCTLR_EL1.A) are the CPU's, and
 * are checked before translation.
 */
#ifndef HTTUSIM_CORE_VMSA_ALIGN_H
#define HTTUSIM_CORE_VMSA_ALIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/access.h"
#include "vmsa/fault.h"

/* `size` is the size of one element accessed (for LDP/STP, one register); 0 skips the check.
 * - An unaligned data access to any type of Device memory faults.
 * - DC ZVA to Device memory faults whatever the address (ARM ARM, DC ZVA instruction
 *   description: "If the memory region being zeroed is any type of Device memory").
 * - Cache maintenance instructions have no alignment requirement (D8.15.3 I_QZTRG). */
static inline vmsa_rule vmsa_check_alignment(bool device, vmsa_acc_type type, uint64_t va,
                                             unsigned size)
{
    if (!device)
        return VMSA_RULE_NONE;
    if (type == VMSA_ACC_DC_ZVA)
        return VMSA_RULE_ALIGN_DC_ZVA_DEVICE;
    if (vmsa_acc_is_data(type) && size > 1 && (va % size) != 0)
        return VMSA_RULE_ALIGN_DEVICE;
    return VMSA_RULE_NONE;
}

#endif
