// How the Cpu reaches the hypervisor: an sc_interface called through an sc_port (Cpu::m_hvc).
//
// The Cpu copies x0..x17 into SmcccRegs, calls hvc(), and copies x0..x3 back when the call was
// answered (SMCCC 1.1: results in x0..x3, x4..x17 preserved). The outcome says whether the HVC
// was answered, is UNDEFINED (no hypervisor), or ends the run.
#pragma once

#include <systemc>

#include <cstdint>

namespace httusim {

struct SmcccRegs {
    static constexpr int kArgs = 18;     // x0..x17 go in
    static constexpr int kResults = 4;   // x0..x3 come back
    uint64_t x[kArgs] = {};
};

enum class HvcOutcome {
    Answered,     // results are in x0..x3; the HVC retires
    Undefined,    // no hypervisor answers: the HVC is UNDEFINED at EL1 (EC 0x00)
    PowerOff,     // PSCI SYSTEM_OFF: the run ends, exit status 0
    Reset,        // PSCI SYSTEM_RESET: the run ends (reset is not modelled), exit status 0
};

class HypervisorIf : public virtual sc_core::sc_interface {
public:
    virtual HvcOutcome hvc(uint16_t imm16, SmcccRegs &regs) = 0;
};

} // namespace httusim
