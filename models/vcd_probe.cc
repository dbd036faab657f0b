#include "vcd_probe.h"

#include <cstdio>
#include <limits>

namespace httusim {

namespace {

const char kSuffix[] = ".vcd";
constexpr size_t kSuffixLength = sizeof kSuffix - 1;

bool ends_with_vcd(const std::string &path)
{
    return path.size() > kSuffixLength &&
           path.compare(path.size() - kSuffixLength, kSuffixLength, kSuffix) == 0;
}

// sc_object names may not contain the hierarchy separator.
std::string object_name(const std::string &name)
{
    std::string s = name;
    for (char &c : s)
        if (c == '.')
            c = '_';
    return s;
}

} // namespace

VcdProbe::VcdProbe(sc_core::sc_module_name name, const std::string &path,
                   std::vector<Source> sources)
    : sc_module(name), m_path(path)
{
    // sc_create_vcd_trace_file appends ".vcd" to the name it is given.
    std::string base = ends_with_vcd(path) ? path.substr(0, path.size() - kSuffixLength) : path;
    m_sc_path = base + kSuffix;
    m_file = sc_core::sc_create_vcd_trace_file(base.c_str());
    m_probes.reserve(sources.size());
    for (Source &s : sources) {
        Probe p;
        std::string object = object_name(s.name);
        p.active = std::make_unique<sc_core::sc_signal<bool>>(object.c_str(), false);
        p.count = std::make_unique<sc_core::sc_signal<uint32_t>>((object + "_count").c_str(), 0u);
        sc_core::sc_trace(m_file, *p.active, s.name);
        sc_core::sc_trace(m_file, *p.count, s.name + "_count");
        p.source = std::move(s);
        m_probes.push_back(std::move(p));
    }
}

VcdProbe::~VcdProbe()
{
    close();
}

void VcdProbe::sample()
{
    for (Probe &p : m_probes) {
        uint64_t now = p.source.read();
        uint64_t delta = now - p.last;
        p.last = now;
        p.active->write(delta != 0);
        p.count->write(delta > std::numeric_limits<uint32_t>::max()
                           ? std::numeric_limits<uint32_t>::max()
                           : static_cast<uint32_t>(delta));
    }
}

bool VcdProbe::close()
{
    if (!m_file)
        return true;
    sc_core::sc_close_vcd_trace_file(m_file);
    m_file = nullptr;
    if (m_sc_path != m_path && std::rename(m_sc_path.c_str(), m_path.c_str()) != 0)
        return false;
    return true;
}

} // namespace httusim
