// TableWalker: drives the stage 1 walk of core/vmsa (vmsa_walk_step) with timed TLM
// transactions through the interconnect.
//
//   VMSA_REQ_READ  -> b_transport TLM_READ_COMMAND, 8 bytes at the descriptor address
//   VMSA_REQ_CAS   -> b_transport of a CasExtension (cas_extension.h): the hardware update as one
//                     atomic compare-and-swap in Ram; a CAS that found memory changed is passed
//                     back to the walk, which re-evaluates the new value (counted as a retry)
//
// A successful update is a store to the descriptor by another observer of the same memory, so
// it clears the CPU's exclusive reservation when that covers the descriptor
// (a64_monitor_note_store): firmware's LDXR/STXR on a descriptor then fails and retries, which
// makes hardware updates atomic against it (docs/decisions.md, "Exclusive monitor").
//
// A walk without hardware updates (AT) answers each CAS as if it had succeeded, with no
// transaction. The time of a walk is the sum of the delays its transactions return.
#pragma once

#include "cas_extension.h"
#include "event_trace.h"
#include "histogram.h"

extern "C" {
#include "a64/cpu.h"
#include "vmsa/walk.h"
}

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <functional>

namespace httusim {

// The walker's counters (mmu.s1.*).
struct TableWalkerStats {
    uint64_t walks = 0;          // walks driven
    uint64_t reads = 0;          // descriptor reads issued
    uint64_t cycles = 0;         // CPU cycles of the reads and CASes (their TLM delays)
    uint64_t af_updates = 0;     // successful CASes that set AF
    uint64_t dirty_updates = 0;  // successful CASes that cleared AP[2] (writable-dirty)
    uint64_t cas_retries = 0;    // CASes that found the descriptor changed
    // Distributions (docs/stats.md): one sample per walk (latency: cycles of its reads and
    // CASes; reads: its descriptor reads), one per walk that issued a hardware-update CAS.
    Histogram latency = Histogram::power_of_two(16);
    Histogram reads_per_walk = Histogram::linear(0, 1, 5);   // 0..4: levels 0 to 3
    Histogram cas_retries_per_update = Histogram::linear(0, 1, 8);
};

class TableWalker : public sc_core::sc_module {
public:
    // Descriptor reads and hardware updates, to the interconnect.
    tlm_utils::simple_initiator_socket<TableWalker> m_mem;

    // Called before each CAS transaction with the descriptor address, the value the walk read
    // and the value it wants to store. A testbench may change memory here to race the update.
    using CasHook = std::function<void(uint64_t addr, uint64_t old_desc, uint64_t new_desc)>;

    // How a walk ended.
    enum class End {
        Done,      // w.result
        Fault,     // w.fault (an MMU fault)
        BusError,  // no memory answered a descriptor access at `level`
    };
    struct Outcome {
        End end;
        int level;
    };

    TableWalker(sc_core::sc_module_name name, sc_core::sc_time clock_period);

    // Answer the requests of `w`, starting with `first` (from vmsa_walk_start/_at), until the
    // walk is done or faults. `update`: perform hardware updates (else answer them as done).
    // `cpu`: its exclusive monitor sees the updates. `delay` grows by the walk's time.
    Outcome run(vmsa_walk &w, vmsa_req first, a64_cpu *cpu, bool update, sc_core::sc_time &delay);

    void set_before_cas(CasHook hook) { m_before_cas = std::move(hook); }
    // hw_update events (each CAS: a successful update or a retry); nullptr: none.
    void set_event_trace(EventTrace *events) { m_events = events; }
    const TableWalkerStats &stats() const { return m_stats; }

private:
    bool read64(uint64_t pa, uint64_t &value, sc_core::sc_time &delay);
    bool cas64(uint64_t pa, uint64_t expected, uint64_t desired, uint64_t &observed,
               sc_core::sc_time &delay);
    uint64_t cycles_of(const sc_core::sc_time &t) const;

    sc_core::sc_time m_period;
    tlm::tlm_generic_payload m_trans;   // reused for every transaction
    CasExtension m_cas;                 // set on m_trans for a CAS only
    CasHook m_before_cas;
    EventTrace *m_events = nullptr;
    TableWalkerStats m_stats;
};

} // namespace httusim
