/* Stage 2 permissions, Access flag and dirty state (vmsa/s2_perms.h). */
#include "vmsa/s2_perms.h"

uint8_t vmsa_s2_perm_inputs(uint64_t leaf_desc, bool hd)
{
    uint8_t in = 0;
    bool wclean = hd && (leaf_desc & DESC_DBM) && !(leaf_desc & S2DESC_S2AP_W);
    if (leaf_desc & S2DESC_S2AP_R) in |= VMSA_S2_PERM_INPUT_READ;
    if ((leaf_desc & S2DESC_S2AP_W) || wclean) in |= VMSA_S2_PERM_INPUT_WRITE;
    if (wclean) in |= VMSA_S2_PERM_INPUT_WCLEAN;
    if (leaf_desc & S2DESC_XN) in |= VMSA_S2_PERM_INPUT_XN;
    if (s2desc_is_device(leaf_desc)) in |= VMSA_S2_PERM_INPUT_DEVICE;
    return in;
}

vmsa_dirty vmsa_s2_dirty_state(uint64_t leaf_desc, bool hd)
{
    if (!hd || !(leaf_desc & DESC_DBM))
        return VMSA_DIRTY_UNTRACKED;
    return (leaf_desc & S2DESC_S2AP_W) ? VMSA_DIRTY_DIRTY : VMSA_DIRTY_CLEAN;
}

static bool s2_readable(uint8_t in) { return (in & VMSA_S2_PERM_INPUT_READ) != 0; }
static bool s2_writable(uint8_t in) { return (in & VMSA_S2_PERM_INPUT_WRITE) != 0; }

vmsa_rule vmsa_s2_check_permission(uint8_t in, const vmsa_access *acc)
{
    switch (acc->type) {
    case VMSA_ACC_FETCH:
        return (in & VMSA_S2_PERM_INPUT_XN) ? VMSA_RULE_PERM_S2_XN : VMSA_RULE_NONE;
    case VMSA_ACC_DC_CLEAN:
    case VMSA_ACC_IC_INVAL:
        return VMSA_RULE_NONE;
    case VMSA_ACC_READ:
    case VMSA_ACC_AT_READ:
        return s2_readable(in) ? VMSA_RULE_NONE : VMSA_RULE_PERM_S2_NO_READ;
    case VMSA_ACC_RMW:
        if (!s2_readable(in))
            return VMSA_RULE_PERM_S2_NO_READ;
        return s2_writable(in) ? VMSA_RULE_NONE : VMSA_RULE_PERM_S2_NO_WRITE;
    case VMSA_ACC_WRITE:
    case VMSA_ACC_DC_INVAL:
    case VMSA_ACC_DC_ZVA:
    case VMSA_ACC_AT_WRITE:
        return s2_writable(in) ? VMSA_RULE_NONE : VMSA_RULE_PERM_S2_NO_WRITE;
    }
    return VMSA_RULE_NONE;
}

vmsa_rule vmsa_s2_check_walk_access(uint8_t in, bool hw_update, bool ptw)
{
    if (ptw && (in & VMSA_S2_PERM_INPUT_DEVICE))
        return VMSA_RULE_PERM_S2_PTW_DEVICE;
    if (!s2_readable(in))
        return VMSA_RULE_PERM_S2_NO_READ;
    if (hw_update && !s2_writable(in))
        return VMSA_RULE_PERM_S2_NO_WRITE;
    return VMSA_RULE_NONE;
}

uint64_t vmsa_s2_updated_desc(uint64_t desc, uint8_t in, bool ha, const vmsa_access *acc,
                              bool write_for_s1_update)
{
    uint64_t new_desc = desc;
    if (ha)
        new_desc |= DESC_AF;
    bool writes = write_for_s1_update || vmsa_acc_updates_dirty(acc->type);
    if ((in & VMSA_S2_PERM_INPUT_WCLEAN) && writes)
        new_desc |= S2DESC_S2AP_W;
    return new_desc;
}
