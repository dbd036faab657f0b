/* pvmfw's hypervisor interface: pKVM discovery and the calls of docs/hypervisor-abi.md.
 *
 * Discovery is the KVM vendor hypervisor UID call (0x8600_ff01). When it does not return the KVM
 * UID (QEMU virt without EL2 answers NOT_SUPPORTED, -1) or HVC is UNDEFINED (EC 0x00: EL2 set
 * HCR_EL2.HCD, httusim --hypervisor=none), pKVM is absent: the MMIO guard and memory sharing
 * calls are not issued but emulated (success) and counted all the same, so that the RESULT line
 * does not depend on the hypervisor. Every MMIO_GUARD_MAP/UNMAP and MEM_SHARE/UNSHARE, issued or
 * emulated, counts once in pv_stats. A pKVM call that fails ends the run (PV_EXIT_SETUP). */
#ifndef PVMFW_HYP_H
#define PVMFW_HYP_H

#include "pvmfw.h"

void hyp_probe(void);          /* UID, FEATURES, HYP_MEMINFO, MMIO_GUARD_INFO, MMIO_GUARD_ENROLL */
bool hyp_pkvm(void);           /* pKVM answered the UID call */
bool hyp_undefined(void);      /* an HVC was UNDEFINED */
void hyp_mark_undefined(void); /* the exception handler saw an UNDEFINED HVC */
void hyp_mmio_map(uint64_t ipa);
void hyp_mmio_unmap(uint64_t ipa);
void hyp_mem_share(uint64_t ipa);
void hyp_mem_unshare(uint64_t ipa);
__attribute__((noreturn)) void hyp_system_off(int status);

#endif
