// Hypervisor: answers HVC #0 from EL1 with the SMCCC 1.1 calls of DESIGN.md section 3 and
// docs/hypervisor-abi.md: PSCI, the Arm architecture calls, and the pKVM vendor calls (memory
// sharing and the MMIO guard, whose arguments it checks; no MMIO access depends on the guard).
//
// Modes (--hypervisor=):
//   pkvm  every call in the table;
//   psci  only PSCI, as QEMU 7.2 `virt` without EL2: SMCCC and pKVM calls return NOT_SUPPORTED;
//   none  no hypervisor: every HVC is UNDEFINED (nothing is counted).
//
// Counters: hvc.calls (every HVC answered, including NOT_SUPPORTED answers), hvc.<NAME> per
// recognised function ID (counted in every mode that answers, even when the answer is
// NOT_SUPPORTED), hvc.unknown (function IDs not in the table, and HVC with a non-zero immediate).
#pragma once

#include "event_trace.h"
#include "hypervisor_if.h"
#include "platform_map.h"
#include "stats_registry.h"

#include <systemc>

#include <cstdint>
#include <string>
#include <vector>

namespace httusim {

enum class HypervisorMode { Pkvm, Psci, None };

// "pkvm" | "psci" | "none"; returns false for anything else.
bool parse_hypervisor_mode(const std::string &text, HypervisorMode &mode);
const char *hypervisor_mode_name(HypervisorMode mode);

struct HypervisorConfig {
    HypervisorMode mode = HypervisorMode::Pkvm;
    AddressRange ram{platform_map::kRamBase, platform_map::kRamDefaultSize};  // MEM_SHARE range
    std::vector<AddressRange> device_regions;   // where MMIO_GUARD_MAP/UNMAP may point
    EventTrace *events = nullptr;   // hvc events (not owned); nullptr: none
};

class Hypervisor : public sc_core::sc_module, public HypervisorIf {
public:
    // The calls this model knows, in the order of their counters.
    enum Call {
        PSCI_VERSION, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, SMCCC_VERSION, SMCCC_ARCH_FEATURES,
        KVM_UID, KVM_FEATURES, HYP_MEMINFO, MEM_SHARE, MEM_UNSHARE, MMIO_GUARD_INFO,
        MMIO_GUARD_ENROLL, MMIO_GUARD_MAP, MMIO_GUARD_UNMAP, kCallCount
    };

    Hypervisor(sc_core::sc_module_name name, const HypervisorConfig &config);

    HvcOutcome hvc(uint16_t imm16, SmcccRegs &regs) override;

    // Bitmap returned by KVM FEATURES in x0: bit n set for vendor function number n answered.
    static uint64_t kvm_features_bitmap();

    HypervisorMode mode() const { return m_cfg.mode; }
    uint64_t calls() const { return m_calls; }
    uint64_t count(Call c) const { return m_count[c]; }
    uint64_t unknown() const { return m_unknown; }

    void register_stats(StatsRegistry &stats, const std::string &prefix = "hvc") const;

private:
    // Index of the call with this function ID, or -1.
    static int find_call(uint32_t function_id);
    // hvc() without the event trace.
    HvcOutcome answer(uint16_t imm16, SmcccRegs &regs);
    // Does the current mode answer this call (rather than returning NOT_SUPPORTED)?
    bool answers(int call) const;
    void mem_share(SmcccRegs &regs) const;
    void mmio_guard_map(SmcccRegs &regs) const;
    bool is_device_page(uint64_t ipa) const;

    HypervisorConfig m_cfg;

    uint64_t m_calls = 0;
    uint64_t m_unknown = 0;
    uint64_t m_count[kCallCount] = {};
};

} // namespace httusim
