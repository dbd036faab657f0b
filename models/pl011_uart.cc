#include "pl011_uart.h"

#include "mmio_payload.h"

namespace httusim {

Pl011Uart::Pl011Uart(sc_core::sc_module_name name, const Pl011UartConfig &config)
    : sc_module(name), m_bus("bus"), m_cfg(config)
{
    m_bus.register_b_transport(this, &Pl011Uart::b_transport);
}

uint32_t Pl011Uart::read_register(uint64_t offset)
{
    return offset == kRegFR ? (kFlagTXFE | kFlagRXFE) : 0;
}

void Pl011Uart::b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
{
    delay += m_cfg.latency;
    if (!mmio_accepts(trans, kRegionSize))
        return;
    if (trans.is_read()) {
        mmio_read_registers(trans, read_register);
    } else if (trans.is_write() && trans.get_address() == kRegDR) {
        std::fputc(static_cast<int>(mmio_write_value(trans) & 0xff), m_cfg.out);
        ++m_tx_bytes;
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Pl011Uart::register_stats(StatsRegistry &stats, const std::string &prefix) const
{
    stats.add_counter(prefix + ".tx_bytes", &m_tx_bytes, "characters written to the PL011 DR");
}

} // namespace httusim
