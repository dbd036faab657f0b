#include "platform.h"

#include <tlm>

namespace httusim {

namespace {

HypervisorConfig hypervisor_config(const PlatformConfig &cfg)
{
    HypervisorConfig h;
    h.mode = cfg.hypervisor;
    h.ram = {platform_map::kRamBase, cfg.ram.size};
    h.device_regions = {platform_map::kUart, platform_map::kVirtio, platform_map::kPcieMmio};
    return h;
}

CpuConfig cpu_config(const PlatformConfig &cfg)
{
    CpuConfig c = cfg.cpu;
    c.ram_base = platform_map::kRamBase;
    return c;
}

MmuConfig mmu_config(const PlatformConfig &cfg)
{
    MmuConfig m = cfg.mmu;
    m.clock_period = cfg.cpu.clock_period;
    return m;
}

VirtioMmioStubConfig virtio_config()
{
    VirtioMmioStubConfig v;
    v.transports = platform_map::kVirtioCount;
    v.stride = platform_map::kVirtioStride;
    return v;
}

} // namespace

Platform::Platform(sc_core::sc_module_name name, const PlatformConfig &config)
    : sc_module(name),
      m_ram("ram", config.ram),
      m_uart("uart", config.uart),
      m_virtio("virtio", virtio_config()),
      m_pcie("pcie", PcieWindowConfig{platform_map::kPcieMmio.size}),
      m_bus("bus"),
      m_hypervisor("hypervisor", hypervisor_config(config)),
      m_mmu("mmu", mmu_config(config)),
      m_cpu("cpu", cpu_config(config))
{
    tlm::tlm_global_quantum::instance().set(config.quantum);

    m_bus.map(m_ram.m_bus, {platform_map::kRamBase, config.ram.size}, "ram");
    m_bus.map(m_uart.m_bus, platform_map::kUart, "uart");
    m_bus.map(m_virtio.m_bus, platform_map::kVirtio, "virtio");
    m_bus.map(m_pcie.m_bus, platform_map::kPcieMmio, "pcie");

    m_cpu.m_data.bind(m_bus.m_from_initiators);
    m_mmu.m_walker.m_mem.bind(m_bus.m_from_initiators);
    m_cpu.m_hvc.bind(m_hypervisor);
    m_cpu.m_mmu.bind(m_mmu);
}

void Platform::register_stats(StatsRegistry &stats) const
{
    m_cpu.register_stats(stats);
    m_mmu.register_stats(stats);
    m_hypervisor.register_stats(stats);
    m_bus.register_stats(stats);
    m_uart.register_stats(stats);
    m_virtio.register_stats(stats);
    m_pcie.register_stats(stats);
}

} // namespace httusim
