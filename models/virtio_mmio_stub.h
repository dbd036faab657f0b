// VirtioMmioStub: a bank of virtio-mmio transports with no device behind them (DeviceID 0), as
// QEMU `virt` shows when no virtio device is configured. They give the firmware device pages to
// map (lazy MMIO guard studies) and identify themselves like QEMU 7.2's legacy transports
// (virtio spec 1.1, 4.2.4 "Legacy interface": MagicValue, Version 1, DeviceID, VendorID).
// Every other register reads 0 and ignores writes. Each access is counted.
#pragma once

#include "stats_registry.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>

namespace httusim {

struct VirtioMmioStubConfig {
    unsigned transports = 32;
    uint64_t stride = 0x200;   // bytes between transports
    sc_core::sc_time latency = sc_core::SC_ZERO_TIME;   // per register access (docs/timing.md)
};

class VirtioMmioStub : public sc_core::sc_module {
public:
    static constexpr uint64_t kRegMagicValue = 0x000;
    static constexpr uint64_t kRegVersion = 0x004;
    static constexpr uint64_t kRegDeviceId = 0x008;
    static constexpr uint64_t kRegVendorId = 0x00c;
    static constexpr uint32_t kMagicValue = 0x74726976;   // "virt", little-endian
    static constexpr uint32_t kLegacyVersion = 1;
    static constexpr uint32_t kVendorIdQemu = 0x554d4551; // "QEMU", little-endian

    tlm_utils::simple_target_socket<VirtioMmioStub> m_bus;

    VirtioMmioStub(sc_core::sc_module_name name, const VirtioMmioStubConfig &config);

    uint64_t region_size() const { return m_cfg.stride * m_cfg.transports; }
    uint64_t accesses() const { return m_accesses; }
    void register_stats(StatsRegistry &stats, const std::string &prefix = "virtio") const;

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    uint32_t read_register(uint64_t offset) const;

    VirtioMmioStubConfig m_cfg;
    uint64_t m_accesses = 0;
};

} // namespace httusim
