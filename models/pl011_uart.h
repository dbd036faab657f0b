// Pl011Uart: the transmit side of an Arm PrimeCell UART (PL011), enough for a polling console
// (PL011 TRM, DDI 0183, section 3.3: UARTDR at 0x000, UARTFR at 0x018).
//
// A write to DR sends its low 8 bits to the output stream. FR always reads TXFE | RXFE: the
// transmit FIFO is empty (characters leave at once) and nothing is ever received. Every other
// register reads 0 and ignores writes.
#pragma once

#include "stats_registry.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstdio>

namespace httusim {

struct Pl011UartConfig {
    std::FILE *out = stdout;   // where transmitted characters go (not owned)
    sc_core::sc_time latency = sc_core::SC_ZERO_TIME;   // per register access (docs/timing.md)
};

class Pl011Uart : public sc_core::sc_module {
public:
    // Register offsets and flag bits (PL011 TRM, Table 3-1 and 3.3.3).
    static constexpr uint64_t kRegDR = 0x000;
    static constexpr uint64_t kRegFR = 0x018;
    static constexpr uint32_t kFlagRXFE = 1u << 4;
    static constexpr uint32_t kFlagTXFE = 1u << 7;
    static constexpr uint64_t kRegionSize = 0x1000;

    tlm_utils::simple_target_socket<Pl011Uart> m_bus;

    Pl011Uart(sc_core::sc_module_name name, const Pl011UartConfig &config);

    void register_stats(StatsRegistry &stats, const std::string &prefix = "uart") const;
    uint64_t tx_bytes() const { return m_tx_bytes; }

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    static uint32_t read_register(uint64_t offset);

    Pl011UartConfig m_cfg;
    uint64_t m_tx_bytes = 0;
};

} // namespace httusim
