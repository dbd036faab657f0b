// A registry of named statistics. Each module owns its counters (plain uint64_t members) and
// registers them here with a description; the writers (sim/stats_writer) read them back sorted by
// name, so the output order does not depend on the order of registration. Histograms
// (histogram.h) are registered the same way, in the same name space, and listed apart.
#pragma once

#include "histogram.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace httusim {

class StatsRegistry {
public:
    // When a statistic appears in the output.
    enum class Show {
        Always,      // printed even when it stayed 0 (DESIGN.md section 4)
        IfNonZero,   // printed only when it changed (e.g. exception classes the core never raises)
    };

    // One statistic as the writers see it.
    struct Sample {
        std::string name;
        std::string description;
        bool is_integer;
        uint64_t integer;   // valid when is_integer
        double real;        // valid when !is_integer
    };

    // Registers a counter owned by a module; `value` must outlive the registry's last read.
    // Throws std::logic_error when the name is already taken.
    void add_counter(const std::string &name, const uint64_t *value, const std::string &description,
                     Show show = Show::Always);

    // Registers a derived value computed when the statistics are read (host seconds, MIPS).
    void add_value(const std::string &name, std::function<double()> value,
                   const std::string &description);

    // Registers a derived integer computed when the statistics are read (cycles that are a sum
    // or a product of counters); printed like a counter.
    void add_counter(const std::string &name, std::function<uint64_t()> value,
                     const std::string &description, Show show = Show::Always);

    // Registers a distribution owned by a module (histogram.h); `histogram` must outlive the
    // registry's last read. Throws std::logic_error when the name is already taken.
    void add_histogram(const std::string &name, const Histogram *histogram,
                       const std::string &description);

    // One histogram as the writers see it.
    struct HistogramSample {
        std::string name;
        std::string description;
        const Histogram *histogram;
    };

    bool contains(const std::string &name) const { return m_entries.count(name) != 0; }

    // Current value of a registered statistic (as a double; a histogram's is its number of
    // samples); throws std::out_of_range if unknown.
    double value(const std::string &name) const;

    // The scalar statistics to print, sorted by name (histograms are not among them).
    std::vector<Sample> samples() const;

    // The histograms, sorted by name.
    std::vector<HistogramSample> histograms() const;

private:
    struct Entry {
        std::string description;
        const uint64_t *counter = nullptr;
        std::function<uint64_t()> derived_integer;
        std::function<double()> derived;
        const Histogram *histogram = nullptr;
        Show show = Show::Always;
    };
    void insert(const std::string &name, Entry entry);

    std::map<std::string, Entry> m_entries;
};

} // namespace httusim
