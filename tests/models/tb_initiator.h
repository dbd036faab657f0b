// A testbench initiator: one TLM socket and helpers to read, write, ask for DMI and debug-access
// through it, and a record of the DMI invalidations it receives.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

struct TbInitiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<TbInitiator> m_socket;
    std::vector<std::pair<uint64_t, uint64_t>> m_invalidations;

    explicit TbInitiator(sc_core::sc_module_name name) : sc_module(name), m_socket("socket")
    {
        m_socket.register_invalidate_direct_mem_ptr(this, &TbInitiator::invalidate);
    }

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, void *data,
                                    unsigned len, unsigned char *byte_enable = nullptr)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(addr);
        t.set_data_ptr(static_cast<unsigned char *>(data));
        t.set_data_length(len);
        t.set_streaming_width(len);
        t.set_byte_enable_ptr(byte_enable);
        t.set_byte_enable_length(byte_enable ? len : 0);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        m_socket->b_transport(t, delay);
        return t.get_response_status();
    }

    // Little-endian read of len (<= 8) bytes; the status goes to *status when given.
    uint64_t read(uint64_t addr, unsigned len, tlm::tlm_response_status *status = nullptr)
    {
        uint64_t v = 0;
        tlm::tlm_response_status s = access(tlm::TLM_READ_COMMAND, addr, &v, len);
        if (status)
            *status = s;
        return v;
    }

    tlm::tlm_response_status write(uint64_t addr, uint64_t value, unsigned len)
    {
        return access(tlm::TLM_WRITE_COMMAND, addr, &value, len);
    }

    bool dmi(uint64_t addr, tlm::tlm_dmi &dmi)
    {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(addr);
        return m_socket->get_direct_mem_ptr(t, dmi);
    }

    unsigned debug(tlm::tlm_command cmd, uint64_t addr, void *data, unsigned len)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(addr);
        t.set_data_ptr(static_cast<unsigned char *>(data));
        t.set_data_length(len);
        return m_socket->transport_dbg(t);
    }

private:
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { m_invalidations.push_back({start, end}); }
};
