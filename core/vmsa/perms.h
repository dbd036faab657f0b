/* Stage 1 Direct permissions of the EL1&0 regime (ARM ARM D8.4.1.2; ASL
 * AArch64.S1DirectBasePermissions, AArch64.S1CheckPermissions): AP[2:1], UXN/PXN, the hierarchical
 * APTable/UXNTable/PXNTable controls (unless TCR_EL1.HPDn), WXN, the implied PXN of EL0-writable
 * memory, PSTATE.PAN, and the dirty state of FEAT_HAFDBS.
 *
 * The walk reduces a leaf descriptor plus the inherited table attributes to a small packed
 * "permission inputs" word. A TLB entry keeps that word, so the same vmsa_check_permission()
 * decides both on a walk and on a TLB hit, and names the rule that fired.
 */
#ifndef HTTUSIM_CORE_VMSA_PERMS_H
#define HTTUSIM_CORE_VMSA_PERMS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/access.h"
#include "vmsa/desc.h"
#include "vmsa/fault.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Attributes inherited from Table descriptors (ORed along the walk). */
enum {
    VMSA_TATTR_APTABLE0 = 1u << 0, /* no EL0 access below */
    VMSA_TATTR_APTABLE1 = 1u << 1, /* no write access below */
    VMSA_TATTR_PXNTABLE = 1u << 2,
    VMSA_TATTR_UXNTABLE = 1u << 3,
};

/* Add a Table descriptor's hierarchical controls. With TCR_EL1.HPDn = 1 they are IGNORED and
 * behave as 0 (D8.4.1.2 I_PKGJC, I_NYWHQ). */
static inline uint8_t vmsa_table_attrs_add(uint8_t attrs, uint64_t table_desc, bool hpd)
{
    if (hpd)
        return attrs;
    if (table_desc & DESC_APTABLE0) attrs |= VMSA_TATTR_APTABLE0;
    if (table_desc & DESC_APTABLE1) attrs |= VMSA_TATTR_APTABLE1;
    if (table_desc & DESC_PXNTABLE) attrs |= VMSA_TATTR_PXNTABLE;
    if (table_desc & DESC_UXNTABLE) attrs |= VMSA_TATTR_UXNTABLE;
    return attrs;
}

/* The permission inputs of a leaf, packed: every bit of the leaf, of the table descriptors above
 * it and of SCTLR_EL1 that vmsa_check_permission reads (what a TLB entry caches: everything but
 * PSTATE.PAN, which is not permitted to be cached, D8.4.1.3 R_FBQWG). */
enum {
    VMSA_PERM_INPUT_AP1 = 1u << 0,      /* AP[1]: EL0 access */
    VMSA_PERM_INPUT_AP2 = 1u << 1,      /* effective AP[2]: read-only (0 if writable-clean) */
    VMSA_PERM_INPUT_WCLEAN = 1u << 2,   /* writable-clean: HD, DBM = 1 and descriptor AP[2] = 1 */
    VMSA_PERM_INPUT_PXN = 1u << 3,
    VMSA_PERM_INPUT_UXN = 1u << 4,
    VMSA_PERM_INPUT_APTABLE0 = 1u << 5,
    VMSA_PERM_INPUT_APTABLE1 = 1u << 6,
    VMSA_PERM_INPUT_PXNTABLE = 1u << 7,
    VMSA_PERM_INPUT_UXNTABLE = 1u << 8,
    VMSA_PERM_INPUT_WXN = 1u << 9,      /* SCTLR_EL1.WXN (may be cached, D8.4.1.2 I_PNSFD) */
};

/* Resulting permissions, after hierarchical controls, WXN and the implied PXN (PAN excluded).
 * Write permission includes writable-clean (a write then needs a dirty-state update). */
enum {
    VMSA_PERM_EL1_R = 1u << 0,
    VMSA_PERM_EL1_W = 1u << 1,
    VMSA_PERM_EL1_X = 1u << 2,
    VMSA_PERM_EL0_R = 1u << 3,
    VMSA_PERM_EL0_W = 1u << 4,
    VMSA_PERM_EL0_X = 1u << 5,
};

/* FEAT_HAFDBS dirty state of a Block or Page descriptor (D8.5.2). */
typedef enum vmsa_dirty {
    VMSA_DIRTY_UNTRACKED = 0, /* HD = 0 or DBM = 0: AP[2] alone decides writes */
    VMSA_DIRTY_CLEAN,         /* writable-clean: HD = 1, DBM = 1, AP[2] = 1 */
    VMSA_DIRTY_DIRTY,         /* writable-dirty: HD = 1, DBM = 1, AP[2] = 0 */
} vmsa_dirty;

/* Reduce a leaf descriptor and its inherited table attributes. With HD, DBM = 1 makes the
 * effective AP[2] 0 before the hierarchical APTable is applied, so APTable[1] still forbids
 * writes ("AP[2] is the only reason", D8.5.2.1 R_XZFQH) and writable-clean counts as writable
 * for WXN and the implied PXN (D8.5.2.2 R_TTLCV, R_NKLQN). */
uint16_t vmsa_perm_inputs(uint64_t leaf_desc, uint8_t table_attrs, bool hd, bool wxn);

uint8_t vmsa_perms_from_inputs(uint16_t in);

vmsa_dirty vmsa_dirty_state(uint64_t leaf_desc, bool hd);

/* VMSA_RULE_NONE, or the Permission rule the access breaks. */
vmsa_rule vmsa_check_permission(uint16_t in, const vmsa_access *acc);

#ifdef __cplusplus
}
#endif

#endif
