#include "sysop_counters.h"

extern "C" {
#include "a64/cpu.h"
#include "vmsa/tlbi.h"
}

#include <cstring>
#include <string>

namespace httusim {

namespace {

struct SysopInfo {
    uint32_t op;
    const char *stat;          // full statistic name
    uint64_t bytes;            // bytes maintained per operation
    const char *description;
};

constexpr uint64_t kLine = SysopCounters::kLineBytes;

constexpr SysopInfo kSysops[] = {
    {A64_SYSOP_DC_IVAC, "cache.maint.dc_ivac", kLine, "DC IVAC (invalidate by VA to PoC)"},
    {A64_SYSOP_DC_ISW, "cache.maint.dc_isw", kLine, "DC ISW (invalidate by set/way)"},
    {A64_SYSOP_DC_CSW, "cache.maint.dc_csw", kLine, "DC CSW (clean by set/way)"},
    {A64_SYSOP_DC_CISW, "cache.maint.dc_cisw", kLine, "DC CISW (clean+invalidate by set/way)"},
    {A64_SYSOP_DC_ZVA, "cache.maint.dc_zva", kLine, "DC ZVA (zero by VA)"},
    {A64_SYSOP_DC_CVAC, "cache.maint.dc_cvac", kLine, "DC CVAC (clean by VA to PoC)"},
    {A64_SYSOP_DC_CVAU, "cache.maint.dc_cvau", kLine, "DC CVAU (clean by VA to PoU)"},
    {A64_SYSOP_DC_CVAP, "cache.maint.dc_cvap", kLine, "DC CVAP (clean by VA to PoP)"},
    {A64_SYSOP_DC_CIVAC, "cache.maint.dc_civac", kLine, "DC CIVAC (clean+invalidate by VA to PoC)"},
    {A64_SYSOP_IC_IALLU, "cache.maint.ic_iallu", 0, "IC IALLU (invalidate all I-caches to PoU)"},
    {A64_SYSOP_IC_IALLUIS, "cache.maint.ic_ialluis", 0, "IC IALLUIS (IALLU, Inner Shareable)"},
    {A64_SYSOP_IC_IVAU, "cache.maint.ic_ivau", kLine, "IC IVAU (invalidate I-cache by VA to PoU)"},
};
constexpr int kSysopCount = sizeof kSysops / sizeof kSysops[0];

// The short name after the group prefix: "cache.maint.dc_civac" -> "dc_civac".
const char *short_name(const char *stat)
{
    const char *dot = std::strrchr(stat, '.');
    return dot ? dot + 1 : stat;
}

} // namespace

bool SysopCounters::count(const a64_sysop &op)
{
    static_assert(kSysopCount <= kMaxOps, "raise SysopCounters::kMaxOps");
    if (op.tlbi) {
        if (op.tlbi->op >= VMSA_TLBI_OP_COUNT)
            return false;
        ++m_tlbi[op.tlbi->op][op.tlbi->inner_shareable ? 1 : 0];
        return true;
    }
    for (int i = 0; i < kSysopCount; ++i) {
        if (kSysops[i].op == op.op) {
            ++m_count[i];
            m_bytes += kSysops[i].bytes;
            return true;
        }
    }
    return false;
}

const char *SysopCounters::name_of(const a64_sysop &op)
{
    if (op.tlbi)
        return vmsa_tlbi_name(op.tlbi);
    for (const SysopInfo &s : kSysops)
        if (s.op == op.op)
            return short_name(s.stat);
    return nullptr;
}

void SysopCounters::register_stats(StatsRegistry &stats) const
{
    for (int i = 0; i < kSysopCount; ++i)
        stats.add_counter(kSysops[i].stat, &m_count[i], kSysops[i].description);
    stats.add_counter("cache.maint.bytes", &m_bytes,
                      "bytes covered by cache maintenance by line (64 per line operation)");
    // mmu.tlbi.<OP>: named as the operations are (vmsa_tlbi_name), local and IS forms.
    for (unsigned op = 0; op < VMSA_TLBI_OP_COUNT; ++op) {
        for (unsigned is = 0; is < 2; ++is) {
            vmsa_tlbi t{};
            t.op = static_cast<vmsa_tlbi_op>(op);
            t.inner_shareable = is != 0;
            std::string name = vmsa_tlbi_name(&t);
            stats.add_counter("mmu.tlbi." + name, &m_tlbi[op][is], "TLBI " + name);
        }
    }
}

} // namespace httusim
