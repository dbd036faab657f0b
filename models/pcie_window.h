// PcieWindow: the PCIe MMIO window of QEMU `virt` with no device behind it. Reads return
// all-ones (what a PCI read to no device returns), writes are ignored.
#pragma once

#include "stats_registry.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>

namespace httusim {

struct PcieWindowConfig {
    uint64_t size = 0x3eff'0000 - 0x1000'0000;
    sc_core::sc_time latency = sc_core::SC_ZERO_TIME;   // per access (docs/timing.md)
};

class PcieWindow : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<PcieWindow> m_bus;

    PcieWindow(sc_core::sc_module_name name, const PcieWindowConfig &config);

    uint64_t accesses() const { return m_accesses; }
    void register_stats(StatsRegistry &stats, const std::string &prefix = "pcie") const;

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);

    PcieWindowConfig m_cfg;
    uint64_t m_accesses = 0;
};

} // namespace httusim
