// Ram: a TLM-2.0 memory target (the platform maps it at 0x4000_0000).
//
// The whole size is one anonymous mmap with MAP_NORESERVE: the host allocates a page only when
// the guest (or the ELF loader) touches it. It serves b_transport, transport_dbg and DMI; the Cpu
// takes the DMI pointer at start-up and accesses RAM directly, without transactions. It also
// performs the atomic compare-and-swap of a CasExtension transaction (cas_extension.h: the table
// walker's hardware updates of descriptors).
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <optional>

namespace httusim {

struct CasExtension;

struct RamConfig {
    uint64_t size = 128ull << 20;                           // bytes, a multiple of 4 KiB
    sc_core::sc_time read_latency = sc_core::SC_ZERO_TIME;  // per transaction, and in DMI
    sc_core::sc_time write_latency = sc_core::SC_ZERO_TIME;
    // The atomic compare-and-swap of a CasExtension (a hardware update); unset: a read plus a
    // write (read_latency + write_latency).
    std::optional<sc_core::sc_time> atomic_latency = std::nullopt;
};

class Ram : public sc_core::sc_module {
public:
    // Reached from the interconnect; addresses are offsets from the start of the RAM.
    tlm_utils::simple_target_socket<Ram> m_bus;

    // Throws std::invalid_argument for a bad size and std::runtime_error when mmap fails.
    Ram(sc_core::sc_module_name name, const RamConfig &config);
    ~Ram() override;
    Ram(const Ram &) = delete;
    Ram &operator=(const Ram &) = delete;

    uint8_t *host() { return m_host; }   // host address of offset 0
    uint64_t size() const { return m_cfg.size; }

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload &trans);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    // The CasExtension transaction: 8 aligned bytes, compared and swapped in one step.
    bool compare_and_swap(tlm::tlm_generic_payload &trans, CasExtension &cas,
                          sc_core::sc_time &delay);
    // Checks bounds, byte enables and streaming; sets the error response and returns false.
    bool accepts(tlm::tlm_generic_payload &trans) const;

    RamConfig m_cfg;
    uint8_t *m_host = nullptr;
};

} // namespace httusim
