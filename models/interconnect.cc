#include "interconnect.h"

#include <cstdio>
#include <stdexcept>

namespace httusim {

namespace {
std::string describe(const AddressRange &r)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "[0x%llx, 0x%llx)", static_cast<unsigned long long>(r.base),
                  static_cast<unsigned long long>(r.end()));
    return buf;
}
} // namespace

Interconnect::Interconnect(sc_core::sc_module_name name)
    : sc_module(name), m_from_initiators("from_initiators"), m_to_targets("to_targets")
{
    m_from_initiators.register_b_transport(this, &Interconnect::b_transport);
    m_from_initiators.register_transport_dbg(this, &Interconnect::transport_dbg);
    m_from_initiators.register_get_direct_mem_ptr(this, &Interconnect::get_direct_mem_ptr);
    m_to_targets.register_invalidate_direct_mem_ptr(this,
                                                    &Interconnect::invalidate_direct_mem_ptr);
}

void Interconnect::map(tlm::tlm_base_target_socket<> &target, AddressRange range,
                       const std::string &name)
{
    if (range.size == 0 || range.end() < range.base)
        throw std::invalid_argument("Interconnect: empty or wrapping range for " + name);
    for (const Route &r : m_routes)
        if (r.range.overlaps(range))
            throw std::invalid_argument("Interconnect: " + name + " " + describe(range) +
                                        " overlaps " + r.name + " " + describe(r.range));
    m_to_targets.bind(target);
    m_routes.push_back({range, name});
}

int Interconnect::decode(uint64_t addr) const
{
    for (size_t i = 0; i < m_routes.size(); ++i)
        if (m_routes[i].range.contains(addr))
            return static_cast<int>(i);
    return -1;
}

void Interconnect::b_transport(int, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
{
    uint64_t addr = trans.get_address();
    int t = decode(addr);
    if (t < 0 || !m_routes[t].range.contains(addr, trans.get_data_length())) {
        ++m_address_errors;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    trans.set_address(addr - m_routes[t].range.base);
    m_to_targets[t]->b_transport(trans, delay);
    trans.set_address(addr);
}

unsigned int Interconnect::transport_dbg(int, tlm::tlm_generic_payload &trans)
{
    uint64_t addr = trans.get_address();
    int t = decode(addr);
    if (t < 0)
        return 0;
    const AddressRange &r = m_routes[t].range;
    unsigned int len = trans.get_data_length();
    if (len > r.end() - addr)   // stop at the end of the target
        trans.set_data_length(static_cast<unsigned int>(r.end() - addr));
    trans.set_address(addr - r.base);
    unsigned int done = m_to_targets[t]->transport_dbg(trans);
    trans.set_address(addr);
    trans.set_data_length(len);
    return done;
}

bool Interconnect::get_direct_mem_ptr(int, tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi)
{
    uint64_t addr = trans.get_address();
    int t = decode(addr);
    if (t < 0)
        return false;
    const AddressRange &r = m_routes[t].range;
    trans.set_address(addr - r.base);
    bool ok = m_to_targets[t]->get_direct_mem_ptr(trans, dmi);
    trans.set_address(addr);
    // Back to the initiators' addresses (IEEE 1666 TLM-2.0 DMI: an interconnect translates the
    // range and may narrow it), clipped to the route.
    uint64_t start = dmi.get_start_address(), end = dmi.get_end_address();
    if (end > r.size - 1)
        end = r.size - 1;
    dmi.set_start_address(start + r.base);
    dmi.set_end_address(end + r.base);
    return ok;
}

void Interconnect::invalidate_direct_mem_ptr(int target, sc_dt::uint64 start, sc_dt::uint64 end)
{
    const AddressRange &r = m_routes[target].range;
    uint64_t last = r.size - 1;
    if (start > last)
        return;
    uint64_t g_start = r.base + start;
    uint64_t g_end = r.base + (end > last ? last : end);
    for (unsigned i = 0; i < m_from_initiators.size(); ++i)
        m_from_initiators[i]->invalidate_direct_mem_ptr(g_start, g_end);
}

void Interconnect::register_stats(StatsRegistry &stats, const std::string &prefix) const
{
    stats.add_counter(prefix + ".address_errors", &m_address_errors,
                      "accesses that hit no target (answered TLM_ADDRESS_ERROR_RESPONSE)");
}

} // namespace httusim
