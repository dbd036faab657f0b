#include "sysop_counters.h"

#include "a64/cpu.h"

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
    {A64_SYSOP_TLBI_VMALLE1, "mmu.tlbi.VMALLE1", 0, "TLBI VMALLE1"},
    {A64_SYSOP_TLBI_VAE1, "mmu.tlbi.VAE1", 0, "TLBI VAE1"},
    {A64_SYSOP_TLBI_ASIDE1, "mmu.tlbi.ASIDE1", 0, "TLBI ASIDE1"},
    {A64_SYSOP_TLBI_VAAE1, "mmu.tlbi.VAAE1", 0, "TLBI VAAE1"},
    {A64_SYSOP_TLBI_VALE1, "mmu.tlbi.VALE1", 0, "TLBI VALE1"},
    {A64_SYSOP_TLBI_VAALE1, "mmu.tlbi.VAALE1", 0, "TLBI VAALE1"},
    {A64_SYSOP_TLBI_VMALLE1IS, "mmu.tlbi.VMALLE1IS", 0, "TLBI VMALLE1IS"},
    {A64_SYSOP_TLBI_VAE1IS, "mmu.tlbi.VAE1IS", 0, "TLBI VAE1IS"},
    {A64_SYSOP_TLBI_ASIDE1IS, "mmu.tlbi.ASIDE1IS", 0, "TLBI ASIDE1IS"},
    {A64_SYSOP_TLBI_VAAE1IS, "mmu.tlbi.VAAE1IS", 0, "TLBI VAAE1IS"},
    {A64_SYSOP_TLBI_VALE1IS, "mmu.tlbi.VALE1IS", 0, "TLBI VALE1IS"},
    {A64_SYSOP_TLBI_VAALE1IS, "mmu.tlbi.VAALE1IS", 0, "TLBI VAALE1IS"},
};
constexpr int kSysopCount = sizeof kSysops / sizeof kSysops[0];

// The short name after the group prefix: "cache.maint.dc_civac" -> "dc_civac".
const char *short_name(const char *stat)
{
    const char *dot = std::strrchr(stat, '.');
    return dot ? dot + 1 : stat;
}

} // namespace

bool SysopCounters::count(uint32_t op)
{
    static_assert(kSysopCount <= kMaxOps, "raise SysopCounters::kMaxOps");
    for (int i = 0; i < kSysopCount; ++i) {
        if (kSysops[i].op == op) {
            ++m_count[i];
            m_bytes += kSysops[i].bytes;
            return true;
        }
    }
    return false;
}

const char *SysopCounters::name_of(uint32_t op)
{
    for (const SysopInfo &s : kSysops)
        if (s.op == op)
            return short_name(s.stat);
    return nullptr;
}

uint64_t SysopCounters::count_of(const char *name) const
{
    for (int i = 0; i < kSysopCount; ++i)
        if (std::strcmp(short_name(kSysops[i].stat), name) == 0)
            return m_count[i];
    return 0;
}

void SysopCounters::register_stats(StatsRegistry &stats) const
{
    for (int i = 0; i < kSysopCount; ++i)
        stats.add_counter(kSysops[i].stat, &m_count[i], kSysops[i].description);
    stats.add_counter("cache.maint.bytes", &m_bytes,
                      "bytes covered by cache maintenance by line (64 per line operation)");
}

} // namespace httusim
