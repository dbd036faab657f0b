/* Stage 1 Direct permissions, EL1&0 regime (ARM ARM D8.4.1.2, Table D8-65; D8.4.5 PSTATE.PAN;
 * D8.15.3 permission rules of cache maintenance instructions). */
#include "vmsa/perms.h"

uint16_t vmsa_perm_inputs(uint64_t leaf_desc, uint8_t table_attrs, bool hd, bool wxn)
{
    uint16_t in = 0;
    bool wclean = hd && (leaf_desc & DESC_DBM) && (leaf_desc & DESC_AP2);
    if (leaf_desc & DESC_AP1) in |= VMSA_PERM_INPUT_AP1;
    if ((leaf_desc & DESC_AP2) && !wclean) in |= VMSA_PERM_INPUT_AP2;
    if (wclean) in |= VMSA_PERM_INPUT_WCLEAN;
    if (leaf_desc & DESC_PXN) in |= VMSA_PERM_INPUT_PXN;
    if (leaf_desc & DESC_UXN) in |= VMSA_PERM_INPUT_UXN;
    if (table_attrs & VMSA_TATTR_APTABLE0) in |= VMSA_PERM_INPUT_APTABLE0;
    if (table_attrs & VMSA_TATTR_APTABLE1) in |= VMSA_PERM_INPUT_APTABLE1;
    if (table_attrs & VMSA_TATTR_PXNTABLE) in |= VMSA_PERM_INPUT_PXNTABLE;
    if (table_attrs & VMSA_TATTR_UXNTABLE) in |= VMSA_PERM_INPUT_UXNTABLE;
    if (wxn) in |= VMSA_PERM_INPUT_WXN;
    return in;
}

/* UnprivRead/UnprivWrite present: AP[1] = 1 and not removed by APTable[0] (Table D8-64). */
static bool el0_data_access(uint16_t in)
{
    return (in & VMSA_PERM_INPUT_AP1) && !(in & VMSA_PERM_INPUT_APTABLE0);
}

/* PrivWrite present: effective AP[2] = 0 and not removed by APTable[1]. */
static bool writable(uint16_t in)
{
    return !(in & VMSA_PERM_INPUT_AP2) && !(in & VMSA_PERM_INPUT_APTABLE1);
}

uint8_t vmsa_perms_from_inputs(uint16_t in)
{
    bool el0 = el0_data_access(in);
    bool w = writable(in);
    bool el0_w = el0 && w;
    bool wxn = (in & VMSA_PERM_INPUT_WXN) != 0;
    uint8_t perms = VMSA_PERM_EL1_R;
    if (w) perms |= VMSA_PERM_EL1_W;
    if (el0) perms |= VMSA_PERM_EL0_R;
    if (el0_w) perms |= VMSA_PERM_EL0_W;
    /* R_VWLLR: UnprivWrite removes PrivExecute; R_SYMMB / R_FYMXJ: WXN removes execute from
     * writable memory at each privilege. */
    if (!(in & (VMSA_PERM_INPUT_PXN | VMSA_PERM_INPUT_PXNTABLE)) && !el0_w && !(wxn && w))
        perms |= VMSA_PERM_EL1_X;
    if (!(in & (VMSA_PERM_INPUT_UXN | VMSA_PERM_INPUT_UXNTABLE)) && !(wxn && el0_w))
        perms |= VMSA_PERM_EL0_X;
    return perms;
}

vmsa_dirty vmsa_dirty_state(uint64_t leaf_desc, bool hd)
{
    if (!hd || !(leaf_desc & DESC_DBM))
        return VMSA_DIRTY_UNTRACKED;
    return (leaf_desc & DESC_AP2) ? VMSA_DIRTY_CLEAN : VMSA_DIRTY_DIRTY;
}

static vmsa_rule check_fetch(uint16_t in, bool unpriv)
{
    bool el0_w = el0_data_access(in) && writable(in);
    bool wxn = (in & VMSA_PERM_INPUT_WXN) != 0;
    if (unpriv) {
        if (in & VMSA_PERM_INPUT_UXNTABLE) return VMSA_RULE_PERM_XNTABLE;
        if (in & VMSA_PERM_INPUT_UXN) return VMSA_RULE_PERM_XN;
        if (wxn && el0_w) return VMSA_RULE_PERM_WXN;
        return VMSA_RULE_NONE;
    }
    if (in & VMSA_PERM_INPUT_PXNTABLE) return VMSA_RULE_PERM_XNTABLE;
    if (in & VMSA_PERM_INPUT_PXN) return VMSA_RULE_PERM_XN;
    if (el0_w) return VMSA_RULE_PERM_PXN_EL0_WRITABLE;
    if (wxn && writable(in)) return VMSA_RULE_PERM_WXN;
    return VMSA_RULE_NONE;
}

static vmsa_rule check_el0_data(uint16_t in)
{
    if (!(in & VMSA_PERM_INPUT_AP1)) return VMSA_RULE_PERM_EL0_NO_ACCESS;
    if (in & VMSA_PERM_INPUT_APTABLE0) return VMSA_RULE_PERM_APTABLE_EL0;
    return VMSA_RULE_NONE;
}

static vmsa_rule check_write(uint16_t in)
{
    if (in & VMSA_PERM_INPUT_AP2) return VMSA_RULE_PERM_WRITE_READONLY;
    if (in & VMSA_PERM_INPUT_APTABLE1) return VMSA_RULE_PERM_APTABLE_READONLY;
    return VMSA_RULE_NONE;
}

vmsa_rule vmsa_check_permission(uint16_t in, const vmsa_access *acc)
{
    vmsa_acc_type t = acc->type;
    vmsa_rule rule;

    if (t == VMSA_ACC_FETCH)
        return check_fetch(in, acc->unpriv);

    /* DC CVAC/CVAU/CIVAC/CVAP, IC IVAU: read permission at EL0 only; at EL1 they cannot take a
     * stage 1 Permission fault (D8.15.3 R_MXZPX, R_XJRNW; ASL: AccessType_DC at EL1 never
     * fails). */
    if (vmsa_acc_el0_read_only_check(t))
        return acc->unpriv ? check_el0_data(in) : VMSA_RULE_NONE;

    if (acc->unpriv) {
        rule = check_el0_data(in);
        if (rule != VMSA_RULE_NONE)
            return rule;
    } else if (acc->pan && vmsa_acc_pan_applies(t) && el0_data_access(in)) {
        /* D8.4.5 R_XTSQH: privileged data access to EL0-accessible memory with PAN = 1. */
        return VMSA_RULE_PERM_PAN;
    }
    if (vmsa_acc_needs_write(t))
        return check_write(in);
    return VMSA_RULE_NONE;
}
