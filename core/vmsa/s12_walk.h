/* A translation through both stages of the EL1&0 regime as one resumable step function (ARM ARM
 * D8 "two stages of translation"; ASL AArch64.S1Translate with AArch64.S2Translate of every
 * stage 1 table access, then AArch64.S2Translate of the output IPA).
 *
 * The driver runs the stage 1 walk (vmsa/walk.h). Each READ or CAS the stage 1 walk asks for
 * names an IPA: before it reaches the caller, a stage 2 walk of that IPA runs (S1PTW: read
 * permission for a read, write permission for the CAS of a hardware update, which may itself
 * dirty the stage 2 entry), and the request goes out with the PA. The stage 1 result's output
 * IPA is then translated by a stage 2 walk for the access itself. With stage 1 disabled the IPA
 * is the VA. The caller answers requests exactly as for one stage:
 *
 *     vmsa_s12_walk w;
 *     vmsa_req r = vmsa_s12_walk_start(&w, &s1, &s2, va, &acc);
 *     while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS)
 *         r = vmsa_s12_walk_step(&w, answer(r));
 *     // DONE: *r.result (va -> final PA, combined attributes); FAULT: *r.fault (its stage)
 *
 * No allocation, no globals; nothing cached (a platform puts TLBs around it).
 */
#ifndef HTTUSIM_CORE_VMSA_S12_WALK_H
#define HTTUSIM_CORE_VMSA_S12_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/s2_params.h"
#include "vmsa/walk.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vmsa_s12_phase {
    VMSA_S12_STAGE1 = 0,   /* the stage 1 walk's request is out (with its PA) */
    VMSA_S12_DESC_STAGE2,  /* a stage 2 walk for a stage 1 descriptor access is running */
    VMSA_S12_OUT_STAGE2,   /* the stage 2 walk of the output IPA is running */
    VMSA_S12_DONE,
    VMSA_S12_FAULTED,
} vmsa_s12_phase;

typedef struct vmsa_s12_walk {
    vmsa_walk s1;
    vmsa_walk s2;
    vmsa_s2_params s2p;
    vmsa_access acc;
    uint64_t va;
    bool s1_enabled;         /* SCTLR_EL1.M: else the IPA is the VA */
    vmsa_s12_phase phase;
    vmsa_req s1_req;         /* the stage 1 request whose descriptor IPA stage 2 translates */
    unsigned s2_walks;       /* stage 2 walks run (descriptor accesses and the output) */
    unsigned s2_reads;       /* their descriptor reads */
    unsigned s2_cas;         /* their CAS requests */
    vmsa_result result;      /* the combined result */
    vmsa_fault fault;
} vmsa_s12_walk;

vmsa_req vmsa_s12_walk_start(vmsa_s12_walk *w, const vmsa_params *s1, const vmsa_s2_params *s2,
                             uint64_t va, const vmsa_access *acc);

/* Answer the last READ (the value read) or CAS (the value memory held). */
vmsa_req vmsa_s12_walk_step(vmsa_s12_walk *w, uint64_t value);

#ifdef __cplusplus
}
#endif

#endif
