// SysopCounters: counts the cache and TLB maintenance operations the core routes out through
// a64_env.sysop: cache.maint.<op> per operation (dc_civac, ic_iallu, ...), cache.maint.bytes
// (64 bytes per operation on one line: DC by VA or set/way, IC IVAU, DC ZVA with DCZID_EL0.BS = 4),
// and mmu.tlbi.<OP> (VMALLE1, VAE1, VALE1, ..., and the inner-shareable ...IS forms).
#pragma once

#include "stats_registry.h"

extern "C" {
#include "a64/cpu.h"
#include "vmsa/tlbi.h"
}

#include <cstdint>

namespace httusim {

class SysopCounters {
public:
    // Cache line of the modelled core: CTR_EL0.DminLine = 4, i.e. 2^4 words = 64 bytes.
    static constexpr uint64_t kLineBytes = 64;

    // Counts the operation (A64_SYSOP_* in op.op; a TLBI by the operation the core decoded,
    // op.tlbi); returns false (and counts nothing) for one that is neither cache nor TLB
    // maintenance (e.g. AT).
    bool count(const a64_sysop &op);

    uint64_t bytes() const { return m_bytes; }
    // Short name of an operation ("dc_civac", "VALE1IS"), or nullptr when not counted here.
    static const char *name_of(const a64_sysop &op);

    void register_stats(StatsRegistry &stats) const;

private:
    static constexpr int kMaxOps = 32;
    uint64_t m_count[kMaxOps] = {};   // cache maintenance, by row of the table
    uint64_t m_tlbi[VMSA_TLBI_OP_COUNT][2] = {};   // by vmsa_tlbi_op: local, Inner Shareable
    uint64_t m_bytes = 0;
};

} // namespace httusim
