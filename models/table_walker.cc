#include "table_walker.h"

#include "timing.h"

extern "C" {
#include "a64/translate.h"
}

#include <cstring>

namespace httusim {

TableWalker::TableWalker(sc_core::sc_module_name name, sc_core::sc_time clock_period)
    : sc_module(name), m_mem("mem"), m_period(clock_period)
{
}

uint64_t TableWalker::cycles_of(const sc_core::sc_time &t) const
{
    return cycles_rounded_up(t.value(), m_period.value());
}

bool TableWalker::read64(uint64_t pa, uint64_t &value, sc_core::sc_time &delay)
{
    uint64_t v = 0;
    tlm::tlm_generic_payload &t = m_trans;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(pa);
    t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));   // little-endian host and tables
    t.set_data_length(8);
    t.set_streaming_width(8);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    m_mem->b_transport(t, delay);
    value = v;
    return t.is_response_ok();
}

bool TableWalker::cas64(uint64_t pa, uint64_t expected, uint64_t desired, uint64_t &observed,
                        sc_core::sc_time &delay)
{
    uint64_t unused = 0;
    m_cas = CasExtension{};
    m_cas.expected = expected;
    m_cas.desired = desired;
    tlm::tlm_generic_payload &t = m_trans;
    t.set_command(tlm::TLM_IGNORE_COMMAND);
    t.set_address(pa);
    t.set_data_ptr(reinterpret_cast<unsigned char *>(&unused));
    t.set_data_length(8);
    t.set_streaming_width(8);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    t.set_extension(&m_cas);
    m_mem->b_transport(t, delay);
    t.clear_extension(&m_cas);
    observed = m_cas.observed;
    return t.is_response_ok() && m_cas.performed;
}

TableWalker::Outcome TableWalker::run(vmsa_walk &w, vmsa_req r, a64_cpu *cpu, bool update,
                                      sc_core::sc_time &delay)
{
    sc_core::sc_time spent = sc_core::SC_ZERO_TIME;
    Outcome out{End::Done, 0};
    const uint64_t reads_before = m_stats.reads;
    bool cas_issued = false;
    m_stats.walks++;
    while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
        uint64_t value;
        if (r.kind == VMSA_REQ_READ) {
            m_stats.reads++;
            if (!read64(r.addr, value, spent)) {
                out = {End::BusError, r.level};
                break;
            }
        } else if (!update) {
            value = a64_mmu_cas_skipped(&r);   // AT: as if the update succeeded
        } else {
            if (m_before_cas)
                m_before_cas(r.addr, r.old_desc, r.new_desc);
            cas_issued = true;
            if (!cas64(r.addr, r.old_desc, r.new_desc, value, spent)) {
                out = {End::BusError, r.level};   // e.g. a descriptor in a device
                break;
            }
            a64_mmu_cas_performed(cpu, &r, value);
            if (m_events && m_events->wants(EventTrace::kHwUpdate))
                m_events->hw_update(m_events->now() + cycles_of(delay + spent), w.va, r.addr,
                                    r.old_desc, r.new_desc, value);
        }
        r = vmsa_walk_step(&w, value);
    }
    if (out.end != End::BusError)
        out.end = r.kind == VMSA_REQ_DONE ? End::Done : End::Fault;
    m_stats.cas_retries += w.cas_retries;
    if (out.end == End::Done && update) {
        if (w.result.af_updated)
            m_stats.af_updates++;
        if (w.result.dirty_updated)
            m_stats.dirty_updates++;
    }
    m_stats.cycles += cycles_of(spent);
    m_stats.latency.sample(cycles_of(spent));
    m_stats.reads_per_walk.sample(m_stats.reads - reads_before);
    if (cas_issued)
        m_stats.cas_retries_per_update.sample(w.cas_retries);
    delay += spent;
    return out;
}

} // namespace httusim
