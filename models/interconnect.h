// Interconnect: decodes physical addresses to targets by an address map.
//
// Any number of initiators bind to m_from_initiators (the Cpu's data socket and the Mmu's table
// walker on the Platform); they share the map, and a DMI invalidation from a target reaches all.
//
// Each target is bound with map(); the interconnect hands it addresses relative to the start of its
// range, and translates DMI ranges (forward) and DMI invalidations (backward) between the target's
// and the initiators' view. An access that hits no range, or runs past the end of the range it
// starts in, completes with TLM_ADDRESS_ERROR_RESPONSE (the CPU core reports a Synchronous External
// abort).
#pragma once

#include "platform_map.h"
#include "stats_registry.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace httusim {

class Interconnect : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Interconnect> m_from_initiators;
    tlm_utils::multi_passthrough_initiator_socket<Interconnect> m_to_targets;

    explicit Interconnect(sc_core::sc_module_name name);

    // Binds `target` to the next port of m_to_targets and routes `range` to it. Call during
    // elaboration, once per target. Throws std::invalid_argument for an empty range or one that
    // overlaps a range already mapped (the message names both).
    void map(tlm::tlm_base_target_socket<> &target, AddressRange range, const std::string &name);

    // The mapped ranges in the order of map(); useful to build other modules' configurations.
    struct Route {
        AddressRange range;
        std::string name;
    };
    const std::vector<Route> &routes() const { return m_routes; }

    uint64_t address_errors() const { return m_address_errors; }
    void register_stats(StatsRegistry &stats, const std::string &prefix = "bus") const;

private:
    // Index of the route containing `addr`, or -1.
    int decode(uint64_t addr) const;

    void b_transport(int initiator, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    unsigned int transport_dbg(int initiator, tlm::tlm_generic_payload &trans);
    bool get_direct_mem_ptr(int initiator, tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    void invalidate_direct_mem_ptr(int target, sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<Route> m_routes;   // index = port of m_to_targets
    uint64_t m_address_errors = 0;
};

} // namespace httusim
