#include "ram.h"

#include "cas_extension.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace httusim {

Ram::Ram(sc_core::sc_module_name name, const RamConfig &config)
    : sc_module(name), m_bus("bus"), m_cfg(config)
{
    if (m_cfg.size == 0 || (m_cfg.size & 0xfff) != 0)
        throw std::invalid_argument("Ram: size " + std::to_string(m_cfg.size) +
                                    " is not a non-zero multiple of 4 KiB");
    void *p = mmap(nullptr, m_cfg.size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error("Ram: cannot reserve " + std::to_string(m_cfg.size) +
                                 " bytes of host memory: " + std::strerror(errno));
    m_host = static_cast<uint8_t *>(p);
    m_bus.register_b_transport(this, &Ram::b_transport);
    m_bus.register_transport_dbg(this, &Ram::transport_dbg);
    m_bus.register_get_direct_mem_ptr(this, &Ram::get_direct_mem_ptr);
}

Ram::~Ram()
{
    munmap(m_host, m_cfg.size);
}

bool Ram::accepts(tlm::tlm_generic_payload &trans) const
{
    uint64_t addr = trans.get_address();
    uint64_t len = trans.get_data_length();
    if (trans.get_byte_enable_ptr() != nullptr) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (trans.get_streaming_width() < len) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    if (addr >= m_cfg.size || len > m_cfg.size - addr) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    return true;
}

bool Ram::compare_and_swap(tlm::tlm_generic_payload &trans, CasExtension &cas,
                           sc_core::sc_time &delay)
{
    uint64_t addr = trans.get_address();
    if (trans.get_data_length() != 8 || (addr & 7) != 0 || addr > m_cfg.size - 8) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    // One host operation: nothing runs between the compare and the store.
    uint8_t *p = m_host + addr;
    std::memcpy(&cas.observed, p, 8);
    if (cas.observed == cas.expected)
        std::memcpy(p, &cas.desired, 8);
    cas.performed = true;
    delay += m_cfg.atomic_latency ? *m_cfg.atomic_latency
                                  : m_cfg.read_latency + m_cfg.write_latency;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void Ram::b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
{
    if (CasExtension *cas = trans.get_extension<CasExtension>()) {
        compare_and_swap(trans, *cas, delay);
        return;
    }
    if (!accepts(trans))
        return;
    uint8_t *p = m_host + trans.get_address();
    switch (trans.get_command()) {
    case tlm::TLM_READ_COMMAND:
        std::memcpy(trans.get_data_ptr(), p, trans.get_data_length());
        delay += m_cfg.read_latency;
        break;
    case tlm::TLM_WRITE_COMMAND:
        std::memcpy(p, trans.get_data_ptr(), trans.get_data_length());
        delay += m_cfg.write_latency;
        break;
    case tlm::TLM_IGNORE_COMMAND:
        break;
    }
    trans.set_dmi_allowed(true);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int Ram::transport_dbg(tlm::tlm_generic_payload &trans)
{
    uint64_t addr = trans.get_address();
    if (addr >= m_cfg.size)
        return 0;
    uint64_t len = std::min<uint64_t>(trans.get_data_length(), m_cfg.size - addr);
    if (trans.is_read())
        std::memcpy(trans.get_data_ptr(), m_host + addr, len);
    else if (trans.is_write())
        std::memcpy(m_host + addr, trans.get_data_ptr(), len);
    return static_cast<unsigned int>(len);
}

bool Ram::get_direct_mem_ptr(tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi)
{
    if (trans.get_address() >= m_cfg.size)
        return false;
    dmi.set_dmi_ptr(m_host);
    dmi.set_start_address(0);
    dmi.set_end_address(m_cfg.size - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(m_cfg.read_latency);
    dmi.set_write_latency(m_cfg.write_latency);
    return true;
}

} // namespace httusim
