/* Stage 2 access permissions, Access flag and dirty state (ARM ARM D8.4 "stage 2 access
 * permissions", D8.5 hardware updates at stage 2; ASL AArch64.S2CheckPermissions,
 * AArch64.S2ApplyOutputPerms and the stage 2 part of AArch64.CheckAndUpdateDescriptor).
 *
 * Stage 2 has no privilege split for data, no hierarchical table controls, no PAN and no WXN:
 * S2AP[0] grants read, S2AP[1] write, XN removes execution at EL1 and EL0. With VTCR_EL2.HD and
 * DBM = 1 an entry with S2AP[1] = 0 is writable-clean and S2AP[1] is the dirty bit: a write sets
 * it. As at stage 1, a leaf is reduced to a small "permission inputs" word that a TLB entry keeps,
 * so one check decides on a walk and on a TLB hit.
 */
#ifndef HTTUSIM_CORE_VMSA_S2_PERMS_H
#define HTTUSIM_CORE_VMSA_S2_PERMS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/access.h"
#include "vmsa/fault.h"
#include "vmsa/perms.h"
#include "vmsa/s2_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Packed stage 2 permission inputs of a leaf. */
enum {
    VMSA_S2_PERM_INPUT_READ = 1u << 0,    /* S2AP[0] */
    VMSA_S2_PERM_INPUT_WRITE = 1u << 1,   /* effective S2AP[1]: writable, or writable-clean */
    VMSA_S2_PERM_INPUT_WCLEAN = 1u << 2,  /* writable-clean: HD, DBM = 1 and S2AP[1] = 0 */
    VMSA_S2_PERM_INPUT_XN = 1u << 3,
    VMSA_S2_PERM_INPUT_DEVICE = 1u << 4,  /* MemAttr[3:2] = 00, for HCR_EL2.PTW */
};

uint8_t vmsa_s2_perm_inputs(uint64_t leaf_desc, bool hd);

/* The FEAT_HAFDBS dirty state of a stage 2 leaf: untracked without HD or DBM; clean when
 * S2AP[1] = 0; dirty when S2AP[1] = 1. */
vmsa_dirty vmsa_s2_dirty_state(uint64_t leaf_desc, bool hd);

/* VMSA_RULE_NONE, or the stage 2 Permission rule a data access or fetch breaks. Data cache
 * maintenance by VA other than DC IVAC, and IC IVAU, never take a stage 2 Permission fault (ASL
 * AArch64.S2CheckPermissions); DC IVAC needs write permission. */
vmsa_rule vmsa_s2_check_permission(uint8_t in, const vmsa_access *acc);

/* A stage 1 walk's access to a stage 1 descriptor through stage 2 (S1PTW): reading it needs
 * stage 2 read permission, a hardware update of it (AF or dirty state) write permission, and
 * with HCR_EL2.PTW the descriptor may not be in stage 2 Device memory. */
vmsa_rule vmsa_s2_check_walk_access(uint8_t in, bool hw_update, bool ptw);

/* The stage 2 leaf after the hardware update an access makes, or `desc` when none: AF set with
 * HA; S2AP[1] set when the entry is writable-clean and the access writes (not for DC IVAC or AT,
 * as at stage 1). A stage 1 hardware update is a write at stage 2 (`write_for_s1_update`). Call
 * it only after the checks passed: a faulting access makes no update. */
uint64_t vmsa_s2_updated_desc(uint64_t desc, uint8_t in, bool ha, const vmsa_access *acc,
                              bool write_for_s1_update);

#ifdef __cplusplus
}
#endif

#endif
