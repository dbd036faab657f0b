/* MMU faults as data: the kind, the lookup level and the exact rule that fired, and the fault
 * status code of each (ARM ARM D8.15 "Memory aborts", D17.2 ESR_EL1 DFSC/IFSC). The CPU's
 * a64_fault record is built from a vmsa_fault in core/a64 (a64/vmsa_glue.h): vmsa knows nothing
 * of the CPU.
 */
#ifndef HTTUSIM_CORE_VMSA_FAULT_H
#define HTTUSIM_CORE_VMSA_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/access.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fault status codes of the MMU faults (D17.2 ESR_EL1 DFSC/IFSC, also PAR_EL1.FST). */
enum {
    VMSA_FSC_ADDR_SIZE = 0x00,   /* + level */
    VMSA_FSC_TRANSLATION = 0x04, /* + level */
    VMSA_FSC_ACCESS_FLAG = 0x08, /* + level */
    VMSA_FSC_PERMISSION = 0x0c,  /* + level */
    VMSA_FSC_ALIGNMENT = 0x21,
};

typedef enum vmsa_fault_kind {
    VMSA_FAULT_NONE = 0,
    VMSA_FAULT_TRANSLATION,
    VMSA_FAULT_ADDRESS_SIZE,
    VMSA_FAULT_ACCESS_FLAG,
    VMSA_FAULT_PERMISSION,
    VMSA_FAULT_ALIGNMENT,
} vmsa_fault_kind;

/* Each rule that can stop a translation. The comment gives the fault kind and the ARM ARM rule. */
typedef enum vmsa_rule {
    VMSA_RULE_NONE = 0,
    /* Translation fault, level 0 (D8.15.1.1 R_VZZSZ) */
    VMSA_RULE_VA_OUT_OF_RANGE,     /* VA bits above the TxSZ input size differ from VA[55] */
    VMSA_RULE_EPD_DISABLED,        /* TCR_EL1.EPDn = 1: no walk for that range */
    /* Translation fault at the lookup level (R_DYNYQ, R_KRMJZ) */
    VMSA_RULE_INVALID_DESC,        /* descriptor bit[0] = 0 */
    VMSA_RULE_RESERVED_DESC,       /* bits[1:0] = 01 at level 3 */
    VMSA_RULE_BLOCK_NOT_ALLOWED,   /* Block descriptor at a level without blocks for the granule */
    /* Address size fault (R_CVSBH, R_BFHQH) */
    VMSA_RULE_TTBR_ADDR_TOO_LARGE, /* TTBR base above the output size: level 0 */
    VMSA_RULE_TABLE_ADDR_TOO_LARGE,/* next-level table address above the output size */
    VMSA_RULE_OA_TOO_LARGE,        /* Block/Page output address above the output size */
    VMSA_RULE_OA_64K_HIGH_BITS,    /* 64KB granule, descriptor bits[15:12] (OA[51:48]) nonzero */
    /* Access flag fault (D8.15.1.4; R_SWTYY) */
    VMSA_RULE_AF_CLEAR,            /* AF = 0 and hardware AF update disabled */
    /* Alignment fault (B2.5.2) */
    VMSA_RULE_ALIGN_DEVICE,        /* unaligned data access to Device memory */
    VMSA_RULE_ALIGN_DC_ZVA_DEVICE, /* DC ZVA to Device memory */
    /* Permission fault (D8.4) */
    VMSA_RULE_PERM_EL0_NO_ACCESS,  /* EL0 data access, AP[1] = 0 */
    VMSA_RULE_PERM_APTABLE_EL0,    /* EL0 data access, APTable[0] = 1 at an earlier level */
    VMSA_RULE_PERM_WRITE_READONLY, /* write, AP[2] = 1 (and not writable-clean) */
    VMSA_RULE_PERM_APTABLE_READONLY,/* write, APTable[1] = 1 at an earlier level */
    VMSA_RULE_PERM_PAN,            /* EL1 data to EL0-accessible memory, PAN = 1 (R_XTSQH) */
    VMSA_RULE_PERM_XN,             /* fetch, UXN (EL0) or PXN (EL1) = 1 */
    VMSA_RULE_PERM_XNTABLE,        /* fetch, UXNTable (EL0) or PXNTable (EL1) = 1 */
    VMSA_RULE_PERM_PXN_EL0_WRITABLE,/* EL1 fetch from EL0-writable memory (R_VWLLR) */
    VMSA_RULE_PERM_WXN,            /* fetch from writable memory, WXN = 1 (R_SYMMB, R_FYMXJ) */
    /* Stage 2 (vmsa/s2_params.h, vmsa/s2_perms.h; ASL AArch64.S2Walk, S2CheckPermissions) */
    VMSA_RULE_S2_BAD_START_LEVEL,  /* Translation, level 0: VTCR_EL2.SL0 reserved, or not
                                      consistent with T0SZ (S2InvalidSL, S2InconsistentSL) */
    VMSA_RULE_S2_IPA_OUT_OF_RANGE, /* Translation, level 0: IPA above the VTCR_EL2.T0SZ size */
    VMSA_RULE_PERM_S2_NO_READ,     /* Permission: read (or walk read), S2AP[0] = 0 */
    VMSA_RULE_PERM_S2_NO_WRITE,    /* Permission: write, S2AP[1] = 0 and not writable-clean */
    VMSA_RULE_PERM_S2_XN,          /* Permission: fetch, stage 2 XN = 1 */
    VMSA_RULE_PERM_S2_PTW_DEVICE,  /* Permission: stage 1 walk to stage 2 Device memory with
                                      HCR_EL2.PTW = 1 */
    VMSA_RULE_COUNT
} vmsa_rule;

typedef struct vmsa_fault {
    vmsa_fault_kind kind;
    vmsa_rule rule;
    int8_t level;       /* lookup level; not meaningful for Alignment faults */
    uint8_t stage;      /* 1, or 2 for a fault of a stage 2 walk (vmsa_walk_start_s2) */
    bool s1ptw;         /* stage 2 fault on a stage 1 walk's descriptor access */
    bool write;         /* WnR as ESR reports it */
    bool fetch;         /* Instruction Abort */
    bool cache_maint;   /* ESR.CM */
    uint64_t va;        /* becomes FAR_EL1 */
    uint64_t ipa;       /* stage 2 faults: the IPA (HPFAR_EL2 holds its page); else 0 */
} vmsa_fault;

vmsa_fault_kind vmsa_rule_kind(vmsa_rule rule);
const char *vmsa_rule_name(vmsa_rule rule);
const char *vmsa_fault_kind_name(vmsa_fault_kind kind);

/* Build the record of `rule` at `level` for an access. WnR follows ESR_EL1.ISS: 1 for writes,
 * for cache maintenance and AT (which also set CM); for an atomic read-modify-write, as
 * vmsa_atomic_fault_is_write says. An External abort on the walk (VMSA_RULE_NONE) of an atomic
 * is a read's. */
vmsa_fault vmsa_make_fault(vmsa_rule rule, int level, uint64_t va, const vmsa_access *acc);

/* ESR.WnR of a fault of an atomic read-modify-write (LD<op>, SWP, CAS, CASP): 0 when a read of
 * the location would have generated the fault (Alignment, Translation, Address size, Access
 * flag, External abort, a Permission fault of a rule that removes read permission), 1 only for
 * a Permission fault of the write part (ARM ARM D17.2 ESR_ELx.WnR). */
bool vmsa_atomic_fault_is_write(vmsa_fault_kind kind, vmsa_rule rule);

/* DFSC/IFSC: base code + level (D17.2 ESR_EL1), 0x21 for an Alignment fault. */
uint8_t vmsa_fault_fsc(const vmsa_fault *f);

#ifdef __cplusplus
}
#endif

#endif
