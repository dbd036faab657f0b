#include "virtio_mmio_stub.h"

#include "mmio_payload.h"

namespace httusim {

VirtioMmioStub::VirtioMmioStub(sc_core::sc_module_name name, const VirtioMmioStubConfig &config)
    : sc_module(name), m_bus("bus"), m_cfg(config)
{
    m_bus.register_b_transport(this, &VirtioMmioStub::b_transport);
}

uint32_t VirtioMmioStub::read_register(uint64_t offset) const
{
    switch (offset % m_cfg.stride) {
    case kRegMagicValue: return kMagicValue;
    case kRegVersion: return kLegacyVersion;
    case kRegDeviceId: return 0;
    case kRegVendorId: return kVendorIdQemu;
    default: return 0;
    }
}

void VirtioMmioStub::b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
{
    delay += m_cfg.latency;
    if (!mmio_accepts(trans, region_size()))
        return;
    ++m_accesses;
    if (trans.is_read())
        mmio_read_registers(trans, [this](uint64_t off) { return read_register(off); });
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void VirtioMmioStub::register_stats(StatsRegistry &stats, const std::string &prefix) const
{
    stats.add_counter(prefix + ".accesses", &m_accesses,
                      "reads and writes to the virtio-mmio transports");
}

} // namespace httusim
