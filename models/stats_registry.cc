#include "stats_registry.h"

#include <stdexcept>
#include <utility>

namespace httusim {

void StatsRegistry::insert(const std::string &name, Entry entry)
{
    if (!m_entries.emplace(name, std::move(entry)).second)
        throw std::logic_error("statistic registered twice: " + name);
}

void StatsRegistry::add_counter(const std::string &name, const uint64_t *value,
                                const std::string &description, Show show)
{
    Entry e;
    e.description = description;
    e.counter = value;
    e.show = show;
    insert(name, std::move(e));
}

void StatsRegistry::add_value(const std::string &name, std::function<double()> value,
                              const std::string &description)
{
    Entry e;
    e.description = description;
    e.derived = std::move(value);
    insert(name, std::move(e));
}

void StatsRegistry::add_counter(const std::string &name, std::function<uint64_t()> value,
                                const std::string &description, Show show)
{
    Entry e;
    e.description = description;
    e.derived_integer = std::move(value);
    e.show = show;
    insert(name, std::move(e));
}

void StatsRegistry::add_histogram(const std::string &name, const Histogram *histogram,
                                  const std::string &description)
{
    Entry e;
    e.description = description;
    e.histogram = histogram;
    insert(name, std::move(e));
}

double StatsRegistry::value(const std::string &name) const
{
    const Entry &e = m_entries.at(name);
    if (e.histogram)
        return static_cast<double>(e.histogram->samples());
    if (e.counter)
        return static_cast<double>(*e.counter);
    if (e.derived_integer)
        return static_cast<double>(e.derived_integer());
    return e.derived();
}

std::vector<StatsRegistry::Sample> StatsRegistry::samples() const
{
    std::vector<Sample> out;
    out.reserve(m_entries.size());
    for (const auto &[name, e] : m_entries) {
        if (e.histogram)
            continue;
        if (e.counter || e.derived_integer) {
            uint64_t v = e.counter ? *e.counter : e.derived_integer();
            if (e.show == Show::IfNonZero && v == 0)
                continue;
            out.push_back({name, e.description, true, v, 0.0});
        } else {
            out.push_back({name, e.description, false, 0, e.derived()});
        }
    }
    return out;
}

std::vector<StatsRegistry::HistogramSample> StatsRegistry::histograms() const
{
    std::vector<HistogramSample> out;
    for (const auto &[name, e] : m_entries)
        if (e.histogram)
            out.push_back({name, e.description, e.histogram});
    return out;
}

} // namespace httusim
