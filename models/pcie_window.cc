#include "pcie_window.h"

#include "mmio_payload.h"

#include <cstring>

namespace httusim {

PcieWindow::PcieWindow(sc_core::sc_module_name name, const PcieWindowConfig &config)
    : sc_module(name), m_bus("bus"), m_cfg(config)
{
    m_bus.register_b_transport(this, &PcieWindow::b_transport);
}

void PcieWindow::b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
{
    delay += m_cfg.latency;
    if (!mmio_accepts(trans, m_cfg.size))
        return;
    ++m_accesses;
    if (trans.is_read())
        std::memset(trans.get_data_ptr(), 0xff, trans.get_data_length());
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void PcieWindow::register_stats(StatsRegistry &stats, const std::string &prefix) const
{
    stats.add_counter(prefix + ".accesses", &m_accesses,
                      "reads and writes to the empty PCIe MMIO window");
}

} // namespace httusim
