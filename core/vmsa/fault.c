/* MMU fault records and their fault status codes (ARM ARM D8.15, D17.2 ESR_EL1). */
#include "vmsa/fault.h"

vmsa_fault_kind vmsa_rule_kind(vmsa_rule rule)
{
    switch (rule) {
    case VMSA_RULE_NONE:
    case VMSA_RULE_COUNT:
        return VMSA_FAULT_NONE;
    case VMSA_RULE_VA_OUT_OF_RANGE:
    case VMSA_RULE_EPD_DISABLED:
    case VMSA_RULE_INVALID_DESC:
    case VMSA_RULE_RESERVED_DESC:
    case VMSA_RULE_BLOCK_NOT_ALLOWED:
    case VMSA_RULE_S2_BAD_START_LEVEL:
    case VMSA_RULE_S2_IPA_OUT_OF_RANGE:
        return VMSA_FAULT_TRANSLATION;
    case VMSA_RULE_TTBR_ADDR_TOO_LARGE:
    case VMSA_RULE_TABLE_ADDR_TOO_LARGE:
    case VMSA_RULE_OA_TOO_LARGE:
    case VMSA_RULE_OA_64K_HIGH_BITS:
        return VMSA_FAULT_ADDRESS_SIZE;
    case VMSA_RULE_AF_CLEAR:
        return VMSA_FAULT_ACCESS_FLAG;
    case VMSA_RULE_ALIGN_DEVICE:
    case VMSA_RULE_ALIGN_DC_ZVA_DEVICE:
        return VMSA_FAULT_ALIGNMENT;
    case VMSA_RULE_PERM_EL0_NO_ACCESS:
    case VMSA_RULE_PERM_APTABLE_EL0:
    case VMSA_RULE_PERM_WRITE_READONLY:
    case VMSA_RULE_PERM_APTABLE_READONLY:
    case VMSA_RULE_PERM_PAN:
    case VMSA_RULE_PERM_XN:
    case VMSA_RULE_PERM_XNTABLE:
    case VMSA_RULE_PERM_PXN_EL0_WRITABLE:
    case VMSA_RULE_PERM_WXN:
    case VMSA_RULE_PERM_S2_NO_READ:
    case VMSA_RULE_PERM_S2_NO_WRITE:
    case VMSA_RULE_PERM_S2_XN:
    case VMSA_RULE_PERM_S2_PTW_DEVICE:
        return VMSA_FAULT_PERMISSION;
    }
    return VMSA_FAULT_NONE;
}

const char *vmsa_rule_name(vmsa_rule rule)
{
    static const char *const names[VMSA_RULE_COUNT] = {
        [VMSA_RULE_NONE] = "none",
        [VMSA_RULE_VA_OUT_OF_RANGE] = "va_out_of_range",
        [VMSA_RULE_EPD_DISABLED] = "epd_disabled",
        [VMSA_RULE_INVALID_DESC] = "invalid_desc",
        [VMSA_RULE_RESERVED_DESC] = "reserved_desc",
        [VMSA_RULE_BLOCK_NOT_ALLOWED] = "block_not_allowed",
        [VMSA_RULE_TTBR_ADDR_TOO_LARGE] = "ttbr_addr_too_large",
        [VMSA_RULE_TABLE_ADDR_TOO_LARGE] = "table_addr_too_large",
        [VMSA_RULE_OA_TOO_LARGE] = "oa_too_large",
        [VMSA_RULE_OA_64K_HIGH_BITS] = "oa_64k_high_bits",
        [VMSA_RULE_AF_CLEAR] = "af_clear",
        [VMSA_RULE_ALIGN_DEVICE] = "align_device",
        [VMSA_RULE_ALIGN_DC_ZVA_DEVICE] = "align_dc_zva_device",
        [VMSA_RULE_PERM_EL0_NO_ACCESS] = "perm_el0_no_access",
        [VMSA_RULE_PERM_APTABLE_EL0] = "perm_aptable_el0",
        [VMSA_RULE_PERM_WRITE_READONLY] = "perm_write_readonly",
        [VMSA_RULE_PERM_APTABLE_READONLY] = "perm_aptable_readonly",
        [VMSA_RULE_PERM_PAN] = "perm_pan",
        [VMSA_RULE_PERM_XN] = "perm_xn",
        [VMSA_RULE_PERM_XNTABLE] = "perm_xntable",
        [VMSA_RULE_PERM_PXN_EL0_WRITABLE] = "perm_pxn_el0_writable",
        [VMSA_RULE_PERM_WXN] = "perm_wxn",
        [VMSA_RULE_S2_BAD_START_LEVEL] = "s2_bad_start_level",
        [VMSA_RULE_S2_IPA_OUT_OF_RANGE] = "s2_ipa_out_of_range",
        [VMSA_RULE_PERM_S2_NO_READ] = "perm_s2_no_read",
        [VMSA_RULE_PERM_S2_NO_WRITE] = "perm_s2_no_write",
        [VMSA_RULE_PERM_S2_XN] = "perm_s2_xn",
        [VMSA_RULE_PERM_S2_PTW_DEVICE] = "perm_s2_ptw_device",
    };
    if ((unsigned)rule >= VMSA_RULE_COUNT)
        return "?";
    return names[rule];
}

const char *vmsa_fault_kind_name(vmsa_fault_kind kind)
{
    switch (kind) {
    case VMSA_FAULT_NONE: return "none";
    case VMSA_FAULT_TRANSLATION: return "translation";
    case VMSA_FAULT_ADDRESS_SIZE: return "address_size";
    case VMSA_FAULT_ACCESS_FLAG: return "access_flag";
    case VMSA_FAULT_PERMISSION: return "permission";
    case VMSA_FAULT_ALIGNMENT: return "alignment";
    }
    return "?";
}

/* Rules that remove read permission: a read of the location gets them too. */
static bool rule_is_read_failure(vmsa_rule rule)
{
    return rule == VMSA_RULE_PERM_EL0_NO_ACCESS || rule == VMSA_RULE_PERM_APTABLE_EL0 ||
           rule == VMSA_RULE_PERM_PAN || rule == VMSA_RULE_PERM_S2_NO_READ ||
           rule == VMSA_RULE_PERM_S2_PTW_DEVICE;
}

bool vmsa_atomic_fault_is_write(vmsa_fault_kind kind, vmsa_rule rule)
{
    /* ARM ARM D17.2 ESR_ELx, ISS encoding for an exception from a Data Abort, WnR: for a fault
     * on an atomic instruction (CAS, CASP, LD<op>, SWP), WnR is 0 if a read of the location
     * would have generated the fault being reported, else 1. The pseudocode agrees: the atomic
     * is translated as a read (AArch64.TranslateAddressForAtomicAccess: iswrite = FALSE), and
     * AArch64.CheckPermission reports a Permission fault with WnR = !failedread. Only a
     * Permission fault of the write part (AP[2] = 1, APTable[1] = 1: read-only, including a
     * writable-clean page without hardware dirty update) is a write. */
    return kind == VMSA_FAULT_PERMISSION && !rule_is_read_failure(rule);
}

vmsa_fault vmsa_make_fault(vmsa_rule rule, int level, uint64_t va, const vmsa_access *acc)
{
    vmsa_fault f = { 0 };
    f.kind = vmsa_rule_kind(rule);
    f.rule = rule;
    f.level = (int8_t)level;
    f.stage = 1;
    f.s1ptw = false;
    f.va = va;
    f.fetch = acc->type == VMSA_ACC_FETCH;
    f.cache_maint = vmsa_acc_is_maintenance(acc->type);
    if (f.cache_maint)
        f.write = true; /* ESR_EL1.WnR: 1 for cache maintenance and AT faults (D17.2) */
    else if (acc->type == VMSA_ACC_RMW)
        f.write = vmsa_atomic_fault_is_write(f.kind, rule);
    else
        f.write = vmsa_acc_needs_write(acc->type);
    return f;
}

uint8_t vmsa_fault_fsc(const vmsa_fault *f)
{
    unsigned level = (unsigned)(f->level & 3);
    switch (f->kind) {
    case VMSA_FAULT_TRANSLATION: return (uint8_t)(VMSA_FSC_TRANSLATION + level);
    case VMSA_FAULT_ADDRESS_SIZE: return (uint8_t)(VMSA_FSC_ADDR_SIZE + level);
    case VMSA_FAULT_ACCESS_FLAG: return (uint8_t)(VMSA_FSC_ACCESS_FLAG + level);
    case VMSA_FAULT_PERMISSION: return (uint8_t)(VMSA_FSC_PERMISSION + level);
    case VMSA_FAULT_ALIGNMENT: return VMSA_FSC_ALIGNMENT;
    case VMSA_FAULT_NONE: break;
    }
    return 0;
}
