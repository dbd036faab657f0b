// Mmu: the stage 1 MMU of the platform (docs/mmu.md).
//
//   Cpu core: L1 iTLB / L1 dTLB (inline, in the a64_mmu this module lends to the core)
//      | miss, or a write to a writable-clean entry (a64_env.translate -> MmuIf::translate)
//      v
//   Mmu: unified L2 TLB -> hit: vmsa_tlb_check (OK / FAULT / WALK like L1)
//      | miss or WALK
//      v
//   walk cache lookup -> vmsa_walk_start / vmsa_walk_start_at (deepest cached table)
//      -> TableWalker (timed reads and CASes through the interconnect to Ram)
//      -> fill the walk cache; DONE: fill the L2 TLB, the core fills its L1
//
// AT (A64_XLATE_NO_UPDATE) walks without hardware updates and fills no TLB. TLBI: the core
// drops its L1 entries, then the Cpu calls tlbi() for the L2 TLB and the walk cache.
//
// Counters (registered by register_stats; names of DESIGN.md section 4): mmu.tlb.{l1i,l1d,l2}.
// {hits,misses,evictions,cycles}, mmu.s1.walks, mmu.s1.walk_reads, mmu.s1.walk_cache_hits,
// mmu.s1.walk_cache_cycles, mmu.s1.walk_cycles, mmu.s1.faults.<kind> and .l<N>,
// mmu.s1.hw_updates.{af,dirty,cas_retries}. Histograms (docs/stats.md): mmu.s1.walk_latency,
// mmu.s1.walk_reads_per_walk, mmu.s1.hw_updates.cas_retries_per_update, mmu.tlb.l2.fill_size.
//
// Time (docs/timing.md): each L2 lookup and each walk-cache lookup adds its cost to the delay of
// translate(), as do the walker's reads and CASes (their TLM delays); the Cpu waits for it.
#pragma once

#include "event_trace.h"
#include "mmu_if.h"
#include "stats_registry.h"
#include "table_walker.h"

extern "C" {
#include "vmsa/tlb.h"
#include "vmsa/walk_cache.h"
}

#include <systemc>

#include <cstdint>
#include <string>

namespace httusim {

// ENTRIES:WAYS of a TLB or walk cache (ENTRIES / WAYS sets, a power of two).
struct TlbGeometry {
    unsigned entries = 0;
    unsigned ways = 0;
    unsigned sets() const { return ways ? entries / ways : 0; }
    bool valid() const;
    std::string str() const;   // "ENTRIES:WAYS"
};

// Defaults: the Cortex-A53 MMU (ARM DDI 0500, Cortex-A53 TRM section 5.1 "About the MMU"), the
// core httusim's MIDR_EL1 names: 10-entry fully associative instruction and data micro TLBs,
// a 512-entry 4-way unified main TLB, a 64-entry 4-way walk cache.
struct MmuConfig {
    TlbGeometry l1i{10, 10};
    TlbGeometry l1d{10, 10};
    TlbGeometry l2{512, 4};
    TlbGeometry walk_cache{64, 4};
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);   // the CPU's
    // Lookup costs in CPU cycles (docs/timing.md; 0 here, the Platform sets its timing): each
    // L1 lookup (in the core, hit or miss), each L2 lookup, each walk-cache lookup. The L2 and
    // walk-cache costs are added to the delay of translate().
    uint64_t l1_lookup_cycles = 0;
    uint64_t l2_lookup_cycles = 0;
    uint64_t walk_cache_lookup_cycles = 0;
    EventTrace *events = nullptr;   // walk and hw_update events (not owned); nullptr: none
};

class Mmu : public sc_core::sc_module, public MmuIf {
public:
    TableWalker m_walker;   // its socket m_walker.m_mem goes to the interconnect

    // Throws std::invalid_argument for a bad geometry (the message names the structure).
    Mmu(sc_core::sc_module_name name, const MmuConfig &config);
    ~Mmu() override;
    Mmu(const Mmu &) = delete;
    Mmu &operator=(const Mmu &) = delete;

    // MmuIf
    a64_mmu *core_state() override { return &m_core; }
    bool translate(a64_cpu &cpu, const vmsa_params &params, uint64_t va, const vmsa_access &acc,
                   unsigned flags, vmsa_result &result, a64_fault &fault,
                   sc_core::sc_time &delay) override;
    void tlbi(const vmsa_tlbi &op) override;

    void register_stats(StatsRegistry &stats) const;

    // For testbenches.
    const a64_mmu &core() const { return m_core; }
    const vmsa_tlb &l2() const { return m_l2; }
    const vmsa_walk_cache &walk_cache() const { return m_wc; }
    const TableWalkerStats &walker_stats() const { return m_walker.stats(); }

private:
    // The parts of translate(): the L2 TLB lookup and check (OK: result; FAULT: fault, counted;
    // WALK: walk), the timed walk from the walk cache's deepest table (its walk event traced),
    // and what the walk's end answers (an L2 fill on success).
    vmsa_hit lookup_l2(const vmsa_params &p, uint64_t va, const vmsa_access &acc,
                       vmsa_result &result, a64_fault &fault, sc_core::sc_time &delay);
    TableWalker::Outcome walk(a64_cpu &cpu, const vmsa_params &p, uint64_t va,
                              const vmsa_access &acc, bool update, vmsa_walk &w,
                              sc_core::sc_time &delay);
    bool walk_answer(const vmsa_walk &w, TableWalker::Outcome out, bool update,
                     const vmsa_access &acc, uint64_t va, vmsa_result &result, a64_fault &fault);
    // The parts of register_stats().
    void register_tlb_stats(StatsRegistry &stats) const;
    void register_walk_stats(StatsRegistry &stats) const;
    void register_fault_stats(StatsRegistry &stats) const;

    MmuConfig m_cfg;
    a64_mmu m_core;          // L1 TLBs and fault counters, used by the core
    vmsa_tlb m_l2;
    vmsa_walk_cache m_wc;
    uint64_t m_l2_cycles = 0;   // mmu.tlb.l2.cycles: L2 lookups
    uint64_t m_wc_cycles = 0;   // mmu.s1.walk_cache_cycles: walk-cache lookups
    sc_core::sc_time m_l2_delay, m_wc_delay;   // the same costs as delays
    Histogram m_fill_sizes = page_size_histogram();   // mmu.tlb.l2.fill_size: bytes per fill
};

} // namespace httusim
