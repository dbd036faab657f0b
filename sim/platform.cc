#include "platform.h"

#include <tlm>

#include <algorithm>

namespace httusim {

namespace {

HypervisorConfig hypervisor_config(const PlatformConfig &cfg)
{
    HypervisorConfig h;
    h.mode = cfg.hypervisor;
    h.ram = {platform_map::kRamBase, cfg.ram.size};
    h.device_regions = {platform_map::kUart, platform_map::kVirtio, platform_map::kPcieMmio};
    h.events = cfg.events;
    return h;
}

// `cycles` of the CPU clock as a delay.
sc_core::sc_time cycles(const PlatformConfig &cfg, uint64_t n)
{
    return sc_core::sc_time::from_value(cfg.cpu.clock_period.value() * n);
}

RamConfig ram_config(const PlatformConfig &cfg)
{
    RamConfig r = cfg.ram;
    r.read_latency = cycles(cfg, cfg.timing.ram_read);
    r.write_latency = cycles(cfg, cfg.timing.ram_write);
    r.atomic_latency = cycles(cfg, cfg.timing.ram_atomic);
    return r;
}

Pl011UartConfig uart_config(const PlatformConfig &cfg)
{
    Pl011UartConfig u = cfg.uart;
    u.latency = cycles(cfg, cfg.timing.mmio);
    return u;
}

PcieWindowConfig pcie_config(const PlatformConfig &cfg)
{
    PcieWindowConfig p{platform_map::kPcieMmio.size};
    p.latency = cycles(cfg, cfg.timing.mmio);
    return p;
}

CpuConfig cpu_config(const PlatformConfig &cfg)
{
    CpuConfig c = cfg.cpu;
    c.timing = cfg.timing;
    c.ram_base = platform_map::kRamBase;
    c.events = cfg.events;
    return c;
}

MmuConfig mmu_config(const PlatformConfig &cfg)
{
    MmuConfig m = cfg.mmu;
    m.clock_period = cfg.cpu.clock_period;
    m.l1_lookup_cycles = cfg.timing.tlb_l1;
    m.l2_lookup_cycles = cfg.timing.tlb_l2;
    m.walk_cache_lookup_cycles = cfg.timing.walk_cache;
    m.events = cfg.events;
    return m;
}

VirtioMmioStubConfig virtio_config(const PlatformConfig &cfg)
{
    VirtioMmioStubConfig v;
    v.transports = platform_map::kVirtioCount;
    v.stride = platform_map::kVirtioStride;
    v.latency = cycles(cfg, cfg.timing.mmio);
    return v;
}

} // namespace

Platform::Platform(sc_core::sc_module_name name, const PlatformConfig &config)
    : sc_module(name),
      m_ram("ram", ram_config(config)),
      m_uart("uart", uart_config(config)),
      m_virtio("virtio", virtio_config(config)),
      m_pcie("pcie", pcie_config(config)),
      m_bus("bus"),
      m_hypervisor("hypervisor", hypervisor_config(config)),
      m_mmu("mmu", mmu_config(config)),
      m_cpu("cpu", cpu_config(config))
{
    tlm::tlm_global_quantum::instance().set(
        cycles(config, std::max<uint64_t>(1, config.quantum_cycles)));

    m_bus.map(m_ram.m_bus, {platform_map::kRamBase, config.ram.size}, "ram");
    m_bus.map(m_uart.m_bus, platform_map::kUart, "uart");
    m_bus.map(m_virtio.m_bus, platform_map::kVirtio, "virtio");
    m_bus.map(m_pcie.m_bus, platform_map::kPcieMmio, "pcie");

    m_cpu.m_data.bind(m_bus.m_from_initiators);
    m_mmu.m_walker.m_mem.bind(m_bus.m_from_initiators);
    m_cpu.m_hvc.bind(m_hypervisor);
    m_cpu.m_mmu.bind(m_mmu);

    if (config.vcd_out) {
        m_vcd = std::make_unique<VcdProbe>("vcd", config.vcd_out, vcd_sources());
        m_cpu.set_quantum_hook([this] { m_vcd->sample(); });
    }
}

std::vector<VcdProbe::Source> Platform::vcd_sources() const
{
    const a64_mmu &l1 = m_mmu.core();
    const vmsa_tlb &l2 = m_mmu.l2();
    const TableWalkerStats &w = m_mmu.walker_stats();
    const a64_counters &cpu = m_cpu.arch().ctr;
    const Hypervisor &hyp = m_hypervisor;
    return {
        {"mmu.l1i_hit", [&l1] { return l1.l1i.hits; }},
        {"mmu.l1i_miss", [&l1] { return l1.l1i.misses; }},
        {"mmu.l1d_hit", [&l1] { return l1.l1d.hits; }},
        {"mmu.l1d_miss", [&l1] { return l1.l1d.misses; }},
        {"mmu.l2_hit", [&l2] { return l2.hits; }},
        {"mmu.l2_miss", [&l2] { return l2.misses; }},
        {"mmu.walk", [&w] { return w.walks; }},
        {"mmu.walk_read", [&w] { return w.reads; }},
        {"mmu.hw_update", [&w] { return w.af_updates + w.dirty_updates; }},
        {"cpu.fault", [&cpu] {   // aborts taken: instruction and data aborts
             const uint64_t *ec = cpu.exceptions_by_ec;
             return ec[A64_EC_IABT_LOWER] + ec[A64_EC_IABT_SAME] + ec[A64_EC_DABT_LOWER] +
                    ec[A64_EC_DABT_SAME];
         }},
        {"cpu.exception", [&cpu] { return cpu.exceptions; }},
        {"cpu.insts", [&cpu] { return cpu.insts; }},
        {"hyp.hvc", [&hyp] { return hyp.calls(); }},
    };
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
