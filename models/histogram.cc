#include "histogram.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace httusim {

namespace {

std::string range_label(uint64_t lo, uint64_t hi)
{
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
}

} // namespace

Histogram Histogram::linear(uint64_t min, uint64_t width, unsigned count)
{
    if (count == 0 || width == 0)
        throw std::invalid_argument("Histogram::linear: no bucket or a zero width");
    // The last bucket ends at min + width * count - 1, which must be a uint64_t.
    const unsigned __int128 span = static_cast<unsigned __int128>(width) * count;
    if (span - 1 > std::numeric_limits<uint64_t>::max() - min)
        throw std::invalid_argument("Histogram::linear: buckets past 2^64");
    Histogram h(Linear, count);
    h.m_min_edge = min;
    h.m_width = width;
    return h;
}

Histogram Histogram::power_of_two(unsigned count)
{
    if (count == 0 || count > 65)
        throw std::invalid_argument("Histogram::power_of_two: 1 to 65 buckets");
    return Histogram(PowerOfTwo, count);
}

Histogram Histogram::exact(const std::vector<uint64_t> &values,
                           const std::vector<std::string> &labels)
{
    if (values.empty() || values.size() > kMaxExactValues || labels.size() != values.size())
        throw std::invalid_argument("Histogram::exact: 1 to 16 values, one label each");
    Histogram h(Exact, static_cast<unsigned>(values.size()));
    for (size_t i = 0; i < values.size(); ++i)
        h.m_exact[i] = values[i];
    h.m_labels = labels;
    return h;
}

double Histogram::mean() const
{
    return m_samples ? static_cast<double>(static_cast<long double>(m_sum) / m_samples) : 0.0;
}

double Histogram::stdev() const
{
    if (m_samples < 2)
        return 0.0;
    const long double n = m_samples, sum = m_sum, squares = static_cast<long double>(m_squares);
    const long double variance = (n * squares - sum * sum) / (n * (n - 1));
    return variance > 0 ? static_cast<double>(std::sqrt(variance)) : 0.0;
}

std::vector<Histogram::Bucket> Histogram::buckets() const
{
    std::vector<Bucket> out;
    out.reserve(m_counts.size());
    for (size_t i = 0; i < m_counts.size(); ++i) {
        uint64_t lo = 0, hi = 0;
        std::string label;
        switch (m_shape) {
        case Linear:
            lo = m_min_edge + i * m_width;
            hi = lo + (m_width - 1);
            label = range_label(lo, hi);
            break;
        case PowerOfTwo:
            lo = i == 0 ? 0 : uint64_t{1} << (i - 1);
            hi = i == 0 ? 0 : i == 64 ? std::numeric_limits<uint64_t>::max() : (uint64_t{1} << i) - 1;
            label = range_label(lo, hi);
            break;
        case Exact:
            lo = hi = m_exact[i];
            label = m_labels[i];
            break;
        }
        out.push_back({lo, hi, label, m_counts[i]});
    }
    return out;
}

Histogram page_size_histogram()
{
    static const unsigned kLog2[] = {12, 14, 16, 21, 25, 29, 30};
    static const char *const kLabels[] = {"4KiB", "16KiB", "64KiB", "2MiB", "32MiB", "512MiB", "1GiB"};
    std::vector<uint64_t> values;
    std::vector<std::string> labels;
    for (size_t i = 0; i < sizeof kLog2 / sizeof kLog2[0]; ++i) {
        values.push_back(uint64_t{1} << kLog2[i]);
        labels.push_back(kLabels[i]);
    }
    return Histogram::exact(values, labels);
}

} // namespace httusim
