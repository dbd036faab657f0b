/* The stage 1 translation table walk as a resumable step function (ASL AArch64.S1Walk,
 * AArch64.S1Translate, AArch64.CheckAndUpdateDescriptor / AArch64.MemSwapTableDesc).
 *
 * The walk never touches memory. It returns requests and the caller answers them:
 *
 *     vmsa_walk w;
 *     vmsa_req r = vmsa_walk_start(&w, &params, va, &acc);
 *     while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
 *         uint64_t v;
 *         if (r.kind == VMSA_REQ_READ)
 *             v = read64(r.addr);                            // the descriptor
 *         else
 *             v = atomic_cas64(r.addr, r.old_desc, r.new_desc); // the value memory held
 *         r = vmsa_walk_step(&w, v);
 *     }
 *     // r.kind == VMSA_REQ_DONE: *r.result; VMSA_REQ_FAULT: *r.fault
 *
 * A CAS succeeded when the value passed back equals r.old_desc. If it differs, the walk
 * re-evaluates the descriptor it got back from the start of that level's checks: the
 * descriptor may now be invalid, already dirty, point elsewhere, or need another CAS
 * (ARM ARM D8.5.2.1 I_YZSVV). A walk that faults never issues a CAS (the CONSTRAINED
 * UNPREDICTABLE AF update on a faulting access, D8.5.1.2 R_QSPMS, is not done).
 *
 * Descriptor reads are 8 bytes, little-endian (SCTLR_EL1.EE = 0). No allocation, no globals.
 */
#ifndef HTTUSIM_CORE_VMSA_WALK_H
#define HTTUSIM_CORE_VMSA_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/access.h"
#include "vmsa/fault.h"
#include "vmsa/params.h"
#include "vmsa/perms.h"
#include "vmsa/s2_params.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vmsa_req_kind {
    VMSA_REQ_READ = 0, /* read 8 bytes at addr, pass them to vmsa_walk_step */
    VMSA_REQ_CAS,      /* atomically: if mem[addr] == old_desc then mem[addr] = new_desc; pass back
                          the value mem[addr] held */
    VMSA_REQ_DONE,     /* translation complete: *result */
    VMSA_REQ_FAULT,    /* MMU fault: *fault */
} vmsa_req_kind;

/* Everything a TLB entry needs, plus what hardware updates did. */
typedef struct vmsa_result {
    uint64_t va;          /* the input VA, top byte canonical (VA[55] copied into [63:56]) */
    uint64_t pa;          /* output address of va */
    uint64_t va_base;     /* first VA of the page or block */
    uint64_t pa_base;     /* first PA of the page or block */
    uint8_t size_log2;    /* page or block size: 12/14/16 (pages), 21/25/29/30 (blocks) */
    int8_t level;         /* lookup level of the leaf */
    uint16_t asid;        /* ASID of the regime (tag for non-global entries) */
    bool global;          /* nG = 0 */
    uint8_t attr;         /* MAIR_EL1.Attr<AttrIndx> */
    bool device;          /* Device memory (Attr[7:4] = 0000) */
    uint8_t sh;           /* SH[1:0] */
    bool contiguous;      /* Contiguous hint (reported, not used) */
    uint8_t perms;        /* VMSA_PERM_*: after hierarchical controls, WXN and implied PXN */
    uint16_t perm_inputs; /* VMSA_PERM_INPUT_*: for vmsa_check_permission on TLB hits */
    vmsa_dirty dirty;     /* dirty state of the descriptor as it now is in memory */
    uint64_t desc_pa;     /* physical address of the leaf descriptor */
    uint64_t desc;        /* its value in memory after any hardware update */
    bool af_updated;      /* this walk set AF by CAS */
    bool dirty_updated;   /* this walk cleared AP[2] by CAS (writable-clean -> writable-dirty) */
} vmsa_result;

typedef struct vmsa_req {
    vmsa_req_kind kind;
    int8_t level;                /* READ/CAS: lookup level of the descriptor */
    uint64_t addr;               /* READ/CAS: descriptor physical address */
    uint64_t old_desc;           /* CAS: expected value */
    uint64_t new_desc;           /* CAS: value to store */
    const vmsa_result *result;   /* DONE: points into the walk state */
    const vmsa_fault *fault;     /* FAULT: points into the walk state */
} vmsa_req;

typedef enum vmsa_walk_phase {
    VMSA_WALK_IDLE = 0,
    VMSA_WALK_READING,   /* waiting for a descriptor read */
    VMSA_WALK_UPDATING,  /* waiting for the result of a CAS */
    VMSA_WALK_DONE,
    VMSA_WALK_FAULTED,
} vmsa_walk_phase;

/* Per-walk state. The parameters are copied at the start (a snapshot, as a hardware walker
 * latches the registers). table_pa[l] / table_attrs[l] are valid for first_level <= l <= level:
 * the table read at lookup level l and the hierarchical attributes in force for it (what a walk
 * cache entry for the level-(l-1) Table descriptor holds). */
typedef struct vmsa_walk {
    vmsa_params p;
    vmsa_access acc;
    uint64_t va;           /* as given: reported in faults (FAR) */
    uint64_t va_canonical; /* sign-extended from bit 55 (vmsa_va_sign_extend55) */
    uint8_t range_index;   /* 0: TTBR0 range, 1: TTBR1 range */
    int8_t first_level;    /* level of the first read (start level, or the walk-cache level) */
    int8_t level;          /* current lookup level */
    vmsa_walk_phase phase;
    uint64_t table_pa[4];
    uint8_t table_attrs[4];
    uint64_t desc_pa;      /* descriptor being read or updated */
    uint64_t desc;         /* leaf value the pending CAS expects */
    uint64_t new_desc;     /* leaf value the pending CAS stores */
    unsigned reads;        /* descriptor reads issued */
    unsigned cas_issued;   /* CAS requests issued */
    unsigned cas_retries;  /* CAS that found memory changed (re-evaluated) */
    uint8_t stage;         /* 1, or 2 (vmsa_walk_start_s2: the IPA is in va, range 0 holds
                              the stage 2 range, p.ha/p.hd/p.oasize are stage 2's) */
    bool s1ptw;            /* stage 2: translating a stage 1 walk's descriptor access */
    bool s1_update;        /* stage 2, s1ptw: that access is a hardware update (a write) */
    bool s2_ptw;           /* stage 2: HCR_EL2.PTW */
    vmsa_result result;
    vmsa_fault fault;
} vmsa_walk;

/* Begin a walk from TTBRn: level 0 faults (VA out of range, EPDn, TTBR address size) come back
 * at once as FAULT; otherwise the first READ. */
vmsa_req vmsa_walk_start(vmsa_walk *w, const vmsa_params *p, uint64_t va, const vmsa_access *acc);

/* Begin from a walk-cache hit: `table_pa` is the table at lookup `level` (start level < level
 * <= 3) for `va`, reached with inherited `table_attrs` (VMSA_TATTR_*). The level 0 VA checks are
 * still made. A level outside that range starts from TTBRn. */
vmsa_req vmsa_walk_start_at(vmsa_walk *w, const vmsa_params *p, uint64_t va,
                            const vmsa_access *acc, int level, uint64_t table_pa,
                            uint8_t table_attrs);

/* Begin a stage 2 walk of `ipa` from VTTBR_EL2 (ASL AArch64.S2Walk), through the same steps as
 * stage 1: level 0 faults (an invalid VTCR_EL2 start level, the IPA above the input size, VTTBR
 * above the output size) come back at once. For the data access or fetch `acc`, the stage 2
 * alignment (Device MemAttr) and permission checks apply and a write makes a writable-clean
 * entry dirty. With `s1ptw` the IPA is a stage 1 descriptor: the walk needs read permission, and
 * write permission when `s1_update` (a stage 1 hardware update, which also dirties a
 * writable-clean stage 2 entry); HCR_EL2.PTW forbids Device memory. Faults are stage 2 faults
 * (fault.stage = 2, fault.ipa, fault.s1ptw; WnR = s1_update for an s1ptw walk), with
 * fault.va = ipa: a two-stage driver puts the VA there. The result's attr is the stage 2
 * MemAttr, its permissions those of stage 2 for EL1 and EL0 alike. */
vmsa_req vmsa_walk_start_s2(vmsa_walk *w, const vmsa_s2_params *p, uint64_t ipa,
                            const vmsa_access *acc, bool s1ptw, bool s1_update);

/* Answer the last READ (the descriptor) or CAS (the value memory held). Calling it in another
 * phase returns the final request again. */
vmsa_req vmsa_walk_step(vmsa_walk *w, uint64_t value);

/* The range parameters of this walk. */
static inline const vmsa_range *vmsa_walk_range(const vmsa_walk *w)
{
    return &w->p.range[w->range_index];
}

/* What a hardware update of a descriptor from `old_desc` to `new_desc` did (D8.5.2): set the
 * Access flag, cleared AP[2] (writable-clean -> writable-dirty), or both. */
typedef struct vmsa_hw_change {
    bool af;
    bool dirty;
} vmsa_hw_change;

vmsa_hw_change vmsa_hw_update_change(uint64_t old_desc, uint64_t new_desc);

/* The same for a stage 2 descriptor: AF set, or S2AP[1] set (writable-clean -> writable-dirty). */
vmsa_hw_change vmsa_s2_hw_update_change(uint64_t old_desc, uint64_t new_desc);

#ifdef __cplusplus
}
#endif

#endif
