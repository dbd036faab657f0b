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
#include "event_trace.h"
#include "hypervisor.h"
#include "interconnect.h"
#include "mmu.h"
#include "pcie_window.h"
#include "pl011_uart.h"
#include "ram.h"
#include "stats_registry.h"
#include "timing.h"
#include "vcd_probe.h"
#include "virtio_mmio_stub.h"

#include <systemc>

#include <cstdio>
#include <memory>
#include <string>

namespace httusim {

struct PlatformConfig {
    RamConfig ram{128ull << 20};   // the size; the latencies come from `timing`
    CpuConfig cpu;   // cpu.clock_period is the clock of every cost; cpu.timing comes from `timing`
    MmuConfig mmu;   // the geometries; clock_period and the lookup costs come from cpu and timing
    Pl011UartConfig uart;   // latency from timing
    HypervisorMode hypervisor = HypervisorMode::Pkvm;
    // Every cost, in cycles of cpu.clock_period (timing.h, docs/timing.md). The Platform gives
    // each module its part: the Cpu its classes, exception, HVC and maintenance costs; the Mmu
    // its lookup costs; Ram its read, write and atomic latencies (the table walker pays them;
    // the Cpu reaches Ram by DMI); each device lat-mmio per access.
    TimingConfig timing;
    uint64_t quantum_cycles = kDefaultQuantumCycles;   // TLM global quantum, in CPU cycles
    // --trace: the event trace the Cpu, Mmu and Hypervisor write (not owned); nullptr: none.
    EventTrace *events = nullptr;
    // --vcd: where the waveforms of the main signals go (VcdProbe; not owned); nullptr: none.
    std::FILE *vcd_out = nullptr;
};

class Platform : public sc_core::sc_module {
public:
    Platform(sc_core::sc_module_name name, const PlatformConfig &config);

    AddressRange ram_range() const { return {platform_map::kRamBase, m_ram.size()}; }

    // Registers the counters of every module.
    void register_stats(StatsRegistry &stats) const;

    // Finishes the --vcd output (after sc_start): everything SystemC wrote is then in
    // config.vcd_out, whose write errors the caller checks. False when nothing was traced (the
    // run ended before its first quantum boundary).
    bool close_vcd() { return m_vcd ? m_vcd->close() : true; }

    Ram m_ram;
    Pl011Uart m_uart;
    VirtioMmioStub m_virtio;
    PcieWindow m_pcie;
    Interconnect m_bus;
    Hypervisor m_hypervisor;
    Mmu m_mmu;
    Cpu m_cpu;
    std::unique_ptr<VcdProbe> m_vcd;   // --vcd only

private:
    std::vector<VcdProbe::Source> vcd_sources() const;   // the signals of --vcd
};

} // namespace httusim
