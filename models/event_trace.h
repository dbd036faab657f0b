// EventTrace: the architectural event trace of DESIGN.md section 5 (--trace=FILE,
// --trace-events=LIST; docs/trace.md).
//
// One line per event, in the order the events happen, stamped with the CPU's cycle count:
//
//   <cycle> <event> key=value ...
//
// Nothing host-dependent is written (no host time, no pointers), so two runs of the same ELF
// with the same options give byte-identical files. The modules that produce events hold a
// pointer to one EventTrace (nullptr when tracing is off) and test it only on slow paths (walks,
// hardware updates, faults and exceptions, HVC, TLBI, cache maintenance). The core's events
// come through a64_env.event (core/a64/cpu.h), installed only when a core event is traced.
#pragma once

extern "C" {
#include "a64/cpu.h"
#include "vmsa/tlbi.h"
}

#include <cstdint>
#include <cstdio>
#include <string>

struct vmsa_walk;

namespace httusim {

struct EventTrace {
    // Event classes (--trace-events names in comments).
    enum Event : unsigned {
        kWalk = 1u << 0,       // walk: one per stage 1 table walk (AT included)
        kFault = 1u << 1,      // fault: an abort being taken (any level: L1/L2 TLB hit, walk)
        kHwUpdate = 1u << 2,   // hw_update: hardware AF / dirty update by CAS, and CAS retries
        kHvc = 1u << 3,        // hvc: a call answered by the hypervisor
        kTlbi = 1u << 4,       // tlbi: a TLB invalidation executed
        kCmo = 1u << 5,        // cmo: a cache maintenance instruction executed
        kException = 1u << 6,  // exception: a synchronous exception taken to EL1
        kAll = (1u << 7) - 1,
    };

    std::FILE *out = nullptr;   // not owned; nullptr: tracing off
    unsigned events = kAll;     // the classes written
    // The cycle stamp: the CPU's cycle count (the Cpu installs it at construction).
    uint64_t (*clock)(const void *ctx) = nullptr;
    const void *clock_ctx = nullptr;

    bool wants(unsigned event) const { return out && (events & event); }
    uint64_t now() const { return clock ? clock(clock_ctx) : 0; }

    // The writers. `cycle` is the stamp (now(), plus the part of a walk already spent).
    // How a walk ended: Done (w.result), Fault (an MMU fault, w.fault), or ExternalAbort (a
    // Synchronous External abort on the walk at `level`).
    enum class WalkEnd { Done, Fault, ExternalAbort };
    void walk(uint64_t cycle, const vmsa_walk &w, WalkEnd end, int level);
    // hw_update: a successful CAS (old -> desired) or, when observed != old, a retry.
    void hw_update(uint64_t cycle, uint64_t va, uint64_t desc_pa, uint64_t old_desc,
                   uint64_t new_desc, uint64_t observed);
    void fault(uint64_t cycle, const a64_fault &f, uint32_t esr);
    void exception(uint64_t cycle, const a64_event &e);
    // hvc: `name` of the call (nullptr: unknown function ID); x0-x3 before and after; `returns`
    // false for calls that do not return (SYSTEM_OFF, SYSTEM_RESET).
    void hvc(uint64_t cycle, uint16_t imm16, const char *name, const uint64_t args[4],
             const uint64_t results[4], bool returns);
    // tlbi: the operation as the core decoded it, `value` its Xt. cmo: `name` of the operation
    // ("dc_civac"), `value` Xt, `pa` for by-VA.
    void tlbi(uint64_t cycle, const vmsa_tlbi &op, uint64_t value);
    void cmo(uint64_t cycle, uint32_t op, const char *name, uint64_t value, uint64_t pa);

    void line(uint64_t cycle, const char *event, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
};

// "walk,fault,hw_update,hvc,tlbi,cmo,exception" (any subset, any order, or "all") -> mask.
// False with a one-line reason naming the unknown event.
bool parse_trace_events(const std::string &list, unsigned &mask, std::string &error);

// The --trace-events names, comma-separated, in the order of the Event bits.
const char *trace_event_names();

} // namespace httusim
