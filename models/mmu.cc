#include "mmu.h"

#include "timing.h"

#include <stdexcept>

namespace httusim {

bool TlbGeometry::valid() const
{
    return a64_mmu_geometry_valid(entries, ways);
}

std::string TlbGeometry::str() const
{
    return std::to_string(entries) + ":" + std::to_string(ways);
}

namespace {

void check_geometry(const TlbGeometry &g, const char *what)
{
    if (!g.valid())
        throw std::invalid_argument(std::string("Mmu: bad ") + what + " geometry " + g.str() +
                                    " (ENTRIES a multiple of WAYS, ENTRIES/WAYS a power of two)");
}

} // namespace

Mmu::Mmu(sc_core::sc_module_name name, const MmuConfig &config)
    : sc_module(name), m_walker("walker", config.clock_period), m_cfg(config)
{
    m_walker.set_event_trace(m_cfg.events);
    check_geometry(m_cfg.l1i, "L1 instruction TLB");
    check_geometry(m_cfg.l1d, "L1 data TLB");
    check_geometry(m_cfg.l2, "L2 TLB");
    check_geometry(m_cfg.walk_cache, "walk cache");
    bool ok = a64_mmu_init(&m_core, m_cfg.l1i.entries, m_cfg.l1i.ways, m_cfg.l1d.entries,
                           m_cfg.l1d.ways);
    ok = vmsa_tlb_init(&m_l2, m_cfg.l2.sets(), m_cfg.l2.ways) && ok;
    ok = vmsa_walk_cache_init(&m_wc, m_cfg.walk_cache.sets(), m_cfg.walk_cache.ways) && ok;
    if (!ok) {
        a64_mmu_destroy(&m_core);
        vmsa_tlb_destroy(&m_l2);
        vmsa_walk_cache_destroy(&m_wc);
        throw std::bad_alloc();
    }
    m_core.l1_lookup_cost = m_cfg.l1_lookup_cycles;
    m_l2_delay = sc_core::sc_time::from_value(m_cfg.clock_period.value() * m_cfg.l2_lookup_cycles);
    m_wc_delay =
        sc_core::sc_time::from_value(m_cfg.clock_period.value() * m_cfg.walk_cache_lookup_cycles);
}

Mmu::~Mmu()
{
    a64_mmu_destroy(&m_core);
    vmsa_tlb_destroy(&m_l2);
    vmsa_walk_cache_destroy(&m_wc);
}

// The parts of translate() are inlined into it (one call per L1 TLB miss, which the benchmark
// counts): the split costs no call.
#define MMU_TRANSLATE_PART __attribute__((always_inline)) inline

MMU_TRANSLATE_PART vmsa_hit Mmu::lookup_l2(const vmsa_params &p, uint64_t va,
                                           const vmsa_access &acc, vmsa_result &result,
                                           a64_fault &fault, sc_core::sc_time &delay)
{
    m_l2_cycles += m_cfg.l2_lookup_cycles;
    delay += m_l2_delay;
    const uint64_t va_canonical = vmsa_va_canonical(&p, va);
    vmsa_tlb_entry *e;
    vmsa_fault vf;
    vmsa_hit hit = vmsa_tlb_lookup_check(&m_l2, va_canonical, p.asid, &acc, va, &e, &vf);
    if (hit == VMSA_HIT_OK) {
        result = vmsa_tlb_entry_result(e, va_canonical);
    } else if (hit == VMSA_HIT_FAULT) {
        a64_mmu_count_fault(&m_core.faults, &vf);
        fault = vmsa_fault_to_a64(&vf);
    }
    return hit;   // WALK: a miss, or a write to a writable-clean entry
}

MMU_TRANSLATE_PART TableWalker::Outcome Mmu::walk(a64_cpu &cpu, const vmsa_params &p,
                                                  uint64_t va, const vmsa_access &acc,
                                                  bool update, vmsa_walk &w,
                                                  sc_core::sc_time &delay)
{
    // The walk, resumed below the deepest table the walk cache holds.
    m_wc_cycles += m_cfg.walk_cache_lookup_cycles;
    delay += m_wc_delay;
    const vmsa_wc_entry *c = vmsa_walk_cache_lookup(&m_wc, &p, va, p.asid);
    vmsa_req r = c ? vmsa_walk_start_at(&w, &p, va, &acc, c->level, c->table_pa, c->attrs)
                   : vmsa_walk_start(&w, &p, va, &acc);
    TableWalker::Outcome out = m_walker.run(w, r, &cpu, update, delay);
    if (out.end != TableWalker::End::BusError)
        vmsa_walk_cache_fill(&m_wc, &w);
    if (m_cfg.events && m_cfg.events->wants(EventTrace::kWalk)) {
        // Stamped when the walk ends: the CPU's cycles plus the walk's time.
        m_cfg.events->walk(m_cfg.events->now() +
                               cycles_rounded_up(delay.value(), m_cfg.clock_period.value()),
                           w,
                           out.end == TableWalker::End::Done    ? EventTrace::WalkEnd::Done
                           : out.end == TableWalker::End::Fault ? EventTrace::WalkEnd::Fault
                                                                : EventTrace::WalkEnd::ExternalAbort,
                           out.level);
    }
    return out;
}

MMU_TRANSLATE_PART bool Mmu::walk_answer(const vmsa_walk &w, TableWalker::Outcome out,
                                         bool update, const vmsa_access &acc, uint64_t va,
                                         vmsa_result &result, a64_fault &fault)
{
    switch (out.end) {
    case TableWalker::End::Done:
        result = w.result;
        if (update) {
            vmsa_tlb_insert(&m_l2, &w.result);
            m_fill_sizes.sample(uint64_t{1} << w.result.size_log2);
        }
        return true;
    case TableWalker::End::Fault:
        if (update)   // an AT reports an MMU fault in PAR_EL1: no abort, not counted
            a64_mmu_count_fault(&m_core.faults, &w.fault);
        fault = vmsa_fault_to_a64(&w.fault);
        return false;
    case TableWalker::End::BusError:
        break;
    }
    // A descriptor read that no memory answered: a Synchronous External abort on the walk, taken
    // as a Data Abort even for an AT (a64_mmu_at), with the access's WnR and CM.
    fault = a64_mmu_walk_external_abort(&acc, va, out.level);
    return false;
}

bool Mmu::translate(a64_cpu &cpu, const vmsa_params &p, uint64_t va, const vmsa_access &acc,
                    unsigned flags, vmsa_result &result, a64_fault &fault,
                    sc_core::sc_time &delay)
{
    const bool update = !(flags & A64_XLATE_NO_UPDATE);
    // The L2 TLB first (AT makes a fresh walk and leaves the TLBs alone).
    if (update) {
        vmsa_hit hit = lookup_l2(p, va, acc, result, fault, delay);
        if (hit != VMSA_HIT_WALK)
            return hit == VMSA_HIT_OK;
    }
    vmsa_walk w;
    TableWalker::Outcome out = walk(cpu, p, va, acc, update, w, delay);
    return walk_answer(w, out, update, acc, va, result, fault);
}

void Mmu::tlbi(const vmsa_tlbi &op)
{
    vmsa_tlb_invalidate(&m_l2, &op);
    vmsa_walk_cache_invalidate(&m_wc, &op);
}

void Mmu::register_stats(StatsRegistry &stats) const
{
    register_tlb_stats(stats);
    register_walk_stats(stats);
    register_fault_stats(stats);
}

void Mmu::register_tlb_stats(StatsRegistry &stats) const
{
    struct Level {
        const char *name;
        const vmsa_tlb *tlb;
        const char *what;
    };
    const Level levels[] = {{"l1i", &m_core.l1i, "L1 instruction TLB"},
                            {"l1d", &m_core.l1d, "L1 data TLB"},
                            {"l2", &m_l2, "unified L2 TLB"}};
    for (const Level &l : levels) {
        std::string prefix = std::string("mmu.tlb.") + l.name;
        stats.add_counter(prefix + ".hits", &l.tlb->hits, std::string(l.what) + " lookups that hit");
        stats.add_counter(prefix + ".misses", &l.tlb->misses,
                          std::string(l.what) + " lookups that missed");
        stats.add_counter(prefix + ".evictions", &l.tlb->evictions,
                          std::string(l.what) + " valid entries replaced (LRU)");
    }
    // Cycles (docs/timing.md). The L1 lookups are not timed one by one: their cycles are the
    // lookups counted (hits + misses) times the cost of one, computed when read.
    const a64_mmu *core = &m_core;
    std::function<uint64_t()> l1i_cycles = [core] { return a64_mmu_l1_cycles(core, &core->l1i); };
    std::function<uint64_t()> l1d_cycles = [core] { return a64_mmu_l1_cycles(core, &core->l1d); };
    stats.add_counter("mmu.tlb.l1i.cycles", l1i_cycles,
                      "cycles of L1 instruction TLB lookups (hits + misses)");
    stats.add_counter("mmu.tlb.l1d.cycles", l1d_cycles,
                      "cycles of L1 data TLB lookups (hits + misses)");
    stats.add_counter("mmu.tlb.l2.cycles", &m_l2_cycles, "cycles of L2 TLB lookups");
    stats.add_histogram("mmu.tlb.l2.fill_size", &m_fill_sizes,
                        "bytes of the page or block of one L2 TLB fill (a walk's translation)");
}

void Mmu::register_walk_stats(StatsRegistry &stats) const
{
    const TableWalkerStats &w = m_walker.stats();
    struct Counter {
        const char *name;
        const uint64_t *value;
        const char *description;
    };
    const Counter counters[] = {
        {"mmu.s1.walk_cache_cycles", &m_wc_cycles, "cycles of walk-cache lookups"},
        {"mmu.s1.walks", &w.walks, "stage 1 table walks (AT included)"},
        {"mmu.s1.walk_reads", &w.reads, "stage 1 descriptor reads"},
        {"mmu.s1.walk_cache_hits", &m_wc.hits,
         "walks resumed below the start level from the walk cache"},
        {"mmu.s1.walk_cycles", &w.cycles,
         "CPU cycles of descriptor reads and hardware-update CASes"},
        {"mmu.s1.hw_updates.af", &w.af_updates,
         "Access flags set by the hardware (successful CAS)"},
        {"mmu.s1.hw_updates.dirty", &w.dirty_updates,
         "descriptors made writable-dirty by the hardware (AP[2] cleared by CAS)"},
        {"mmu.s1.hw_updates.cas_retries", &w.cas_retries,
         "hardware-update CASes that found the descriptor changed (re-evaluated)"},
    };
    for (const Counter &c : counters)
        stats.add_counter(c.name, c.value, c.description);
    stats.add_histogram("mmu.s1.walk_latency", &w.latency,
                        "CPU cycles of one walk (its descriptor reads and CASes)");
    stats.add_histogram("mmu.s1.walk_reads_per_walk", &w.reads_per_walk,
                        "descriptor reads of one walk");
    stats.add_histogram("mmu.s1.hw_updates.cas_retries_per_update", &w.cas_retries_per_update,
                        "CAS retries of one walk that issued a hardware-update CAS");
}

void Mmu::register_fault_stats(StatsRegistry &stats) const
{
    static const vmsa_fault_kind kinds[] = {VMSA_FAULT_TRANSLATION, VMSA_FAULT_ACCESS_FLAG,
                                            VMSA_FAULT_PERMISSION, VMSA_FAULT_ALIGNMENT,
                                            VMSA_FAULT_ADDRESS_SIZE};
    for (vmsa_fault_kind k : kinds) {
        std::string name = std::string("mmu.s1.faults.") + vmsa_fault_kind_name(k);
        std::string kind = vmsa_fault_kind_name(k);
        for (char &ch : kind)
            if (ch == '_')
                ch = ' ';
        stats.add_counter(name, &m_core.faults.kind[k],
                          "stage 1 " + kind + " faults that aborted an access");
        if (k == VMSA_FAULT_ALIGNMENT)
            continue;   // an Alignment fault has no lookup level
        for (int level = 0; level < 4; ++level)
            stats.add_counter(name + ".l" + std::to_string(level), &m_core.faults.level[k][level],
                              "stage 1 " + kind + " faults at lookup level " +
                                  std::to_string(level));
    }
}

} // namespace httusim
