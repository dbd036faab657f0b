// MmuIf: what the Cpu asks of the platform's MMU (the Cpu's port m_mmu is bound to the Mmu).
//
// The Cpu's core keeps the L1 TLBs inline (a64/translate.h) in the a64_mmu the MMU lends it; only
// its misses come here, through the core's env.translate callback.
#pragma once

extern "C" {
#include "a64/translate.h"
#include "vmsa/tlbi.h"
}

#include <systemc>

namespace httusim {

class MmuIf : public virtual sc_core::sc_interface {
public:
    // The core's MMU state (L1 TLBs, decoded registers, fault counters): a64_cpu.mmu.
    virtual a64_mmu *core_state() = 0;

    // Translate after an L1 miss (a64_env.translate): the L2 TLB, else a table walk. `delay`
    // grows by the time spent (descriptor reads and hardware updates through the interconnect).
    // True with the leaf translation, false with the fault to report.
    virtual bool translate(a64_cpu &cpu, const vmsa_params &params, uint64_t va,
                           const vmsa_access &acc, unsigned flags, vmsa_result &result,
                           a64_fault &fault, sc_core::sc_time &delay) = 0;

    // A TLBI the core has applied to its L1 TLBs: drop the L2 TLB and walk-cache entries.
    virtual void tlbi(const vmsa_tlbi &op) = 0;
};

} // namespace httusim
