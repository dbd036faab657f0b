// Helpers for small register-file targets (UART, virtio stubs, PCIe window): checks that every
// such target makes on a TLM-2.0 generic payload, and little-endian reads of 32-bit registers.
#pragma once

#include <tlm>

#include <cstdint>
#include <cstring>

namespace httusim {

// Rejects what a simple register target does not support (byte enables, streaming, accesses
// wider than 8 bytes or running past `region_size`): sets the error response and returns false.
inline bool mmio_accepts(tlm::tlm_generic_payload &trans, uint64_t region_size)
{
    uint64_t addr = trans.get_address();
    unsigned len = trans.get_data_length();
    if (trans.get_byte_enable_ptr() != nullptr) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (trans.get_streaming_width() < len || len == 0 || len > 8) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    if (addr >= region_size || len > region_size - addr) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    return true;
}

// Fills the payload's data with the bytes at [address, address + length) of a bank of 32-bit
// little-endian registers, `reg32(offset)` giving the register at a word-aligned offset.
template <typename Reg32>
void mmio_read_registers(tlm::tlm_generic_payload &trans, Reg32 reg32)
{
    uint64_t addr = trans.get_address();
    unsigned char *data = trans.get_data_ptr();
    for (unsigned i = 0; i < trans.get_data_length(); ++i) {
        uint64_t a = addr + i;
        uint32_t word = reg32(a & ~uint64_t{3});
        data[i] = static_cast<unsigned char>(word >> (8 * (a & 3)));
    }
}

// The value a write carries, little-endian, zero-extended to 64 bits.
inline uint64_t mmio_write_value(const tlm::tlm_generic_payload &trans)
{
    uint64_t v = 0;
    std::memcpy(&v, trans.get_data_ptr(), trans.get_data_length());
    return v;
}

} // namespace httusim
