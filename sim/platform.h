// Platform: the QEMU-virt-compatible machine (DESIGN.md section 2). It only instantiates the
// modules and binds them:
//
//   Cpu.m_data ──────────────┐
//   Mmu.m_walker.m_mem ──────┴─> Interconnect ──> Ram        0x4000_0000 (size from the config)
//                                             ├─> Pl011Uart  0x0900_0000
//                                             ├─> VirtioMmioStub x32 at 0x0a00_0000 + n*0x200
//                                             └─> PcieWindow 0x1000_0000 - 0x3eff_0000
//   Cpu.m_hvc  ──> Hypervisor (sc_port to HypervisorIf)
//   Cpu.m_mmu  ──> Mmu (sc_port to MmuIf: L1 TLBs lent to the core, L2 TLB, walk cache, walker)
#pragma once

#include "cpu.h"
#include "hypervisor.h"
#include "cpu_timing.h"
#include "interconnect.h"
#include "mmu.h"
#include "pcie_window.h"
#include "pl011_uart.h"
#include "ram.h"
#include "stats_registry.h"
#include "virtio_mmio_stub.h"

#include <systemc>

namespace httusim {

struct PlatformConfig {
    // The RAM's latency through the interconnect (the table walker's reads and updates; the Cpu
    // uses DMI), for the default 1 ns CPU clock: cpu_timing.h.
    RamConfig ram{128ull << 20, sc_core::sc_time(double(kRamReadCycles), sc_core::SC_NS),
                  sc_core::sc_time(double(kRamWriteCycles), sc_core::SC_NS)};
    CpuConfig cpu;
    MmuConfig mmu;   // clock_period is taken from cpu
    Pl011UartConfig uart;
    HypervisorMode hypervisor = HypervisorMode::Pkvm;
    sc_core::sc_time quantum = sc_core::sc_time(10, sc_core::SC_US);   // TLM global quantum
};

class Platform : public sc_core::sc_module {
public:
    Platform(sc_core::sc_module_name name, const PlatformConfig &config);

    AddressRange ram_range() const { return {platform_map::kRamBase, m_ram.size()}; }

    // Registers the counters of every module.
    void register_stats(StatsRegistry &stats) const;

    Ram m_ram;
    Pl011Uart m_uart;
    VirtioMmioStub m_virtio;
    PcieWindow m_pcie;
    Interconnect m_bus;
    Hypervisor m_hypervisor;
    Mmu m_mmu;
    Cpu m_cpu;
};

} // namespace httusim
