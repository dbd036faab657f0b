// Histogram: a distribution statistic with fixed buckets, in the manner of gem5's
// Stats::Distribution / Histogram (samples, mean, stdev, underflows, buckets, overflows, min,
// max). The buckets are chosen once, when the histogram is made; sample() is O(1) and never
// allocates, so recording on the walker and HVC paths costs a few integer operations.
//
// Three shapes of buckets:
//   linear(min, width, count)   [min, min+width-1], [min+width, ...], count of them; a value
//                               below min is an underflow, one past the last bucket an overflow
//   power_of_two(count)         [0], [1], [2-3], [4-7], ... [2^(count-2), 2^(count-1)-1]; larger
//                               values are overflows (there are no underflows)
//   exact(values, labels)       one bucket per listed value (e.g. page sizes), up to
//                               kMaxExactValues; a value not listed is an overflow
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace httusim {

class Histogram {
public:
    static constexpr unsigned kMaxExactValues = 16;

    // One bucket: the values lo..hi (inclusive) and how many samples fell in it.
    struct Bucket {
        uint64_t lo;
        uint64_t hi;
        std::string label;   // "lo-hi", "lo" when lo == hi, or the exact value's label
        uint64_t count;
    };

    // Throws std::invalid_argument for no bucket, a zero width, a range past 2^64 or too many
    // exact values.
    static Histogram linear(uint64_t min, uint64_t width, unsigned count);
    static Histogram power_of_two(unsigned count);
    static Histogram exact(const std::vector<uint64_t> &values,
                           const std::vector<std::string> &labels);

    void sample(uint64_t value)
    {
        m_samples++;
        m_sum += value;
        m_squares += static_cast<Uint128>(value) * value;   // exact: one 64x64->128 multiply
        if (m_samples == 1 || value < m_min)
            m_min = value;
        if (value > m_max)
            m_max = value;
        const int i = bucket_of(value);
        if (i == kUnder)
            m_underflows++;
        else if (i == kOver)
            m_overflows++;
        else
            m_counts[static_cast<unsigned>(i)]++;
    }

    uint64_t samples() const { return m_samples; }
    uint64_t sum() const { return m_sum; }
    uint64_t min_value() const { return m_min; }   // 0 before the first sample
    uint64_t max_value() const { return m_max; }
    uint64_t underflows() const { return m_underflows; }
    uint64_t overflows() const { return m_overflows; }
    double mean() const;    // 0 before the first sample
    double stdev() const;   // sample standard deviation (n - 1), as gem5; 0 below 2 samples
    std::vector<Bucket> buckets() const;

private:
    __extension__ typedef unsigned __int128 Uint128;   // GCC/Clang: integer adds on the hot path
    enum Shape { Linear, PowerOfTwo, Exact };
    static constexpr int kUnder = -1, kOver = -2;

    Histogram(Shape shape, unsigned count) : m_shape(shape), m_counts(count, 0) {}

    int bucket_of(uint64_t value) const
    {
        const unsigned n = static_cast<unsigned>(m_counts.size());
        switch (m_shape) {
        case Linear: {
            if (value < m_min_edge)
                return kUnder;
            const uint64_t i = (value - m_min_edge) / m_width;
            return i < n ? static_cast<int>(i) : kOver;
        }
        case PowerOfTwo: {
            const unsigned i = value == 0 ? 0u : 64u - static_cast<unsigned>(__builtin_clzll(value));
            return i < n ? static_cast<int>(i) : kOver;
        }
        case Exact:
            for (unsigned i = 0; i < n; ++i)   // at most kMaxExactValues
                if (m_exact[i] == value)
                    return static_cast<int>(i);
            return kOver;
        }
        return kOver;
    }

    Shape m_shape;
    uint64_t m_min_edge = 0;   // Linear: the first bucket's lo
    uint64_t m_width = 1;      // Linear: values per bucket
    uint64_t m_exact[kMaxExactValues] = {};
    std::vector<std::string> m_labels;   // Exact: one per value
    std::vector<uint64_t> m_counts;      // one per bucket, sized once
    uint64_t m_samples = 0, m_sum = 0, m_min = 0, m_max = 0;
    uint64_t m_underflows = 0, m_overflows = 0;
    Uint128 m_squares = 0;   // sum of value^2, for stdev (exact: 2^64 samples of 2^32 fit)
};

// Exact buckets for the page and block sizes of VMSAv8-64 without 52-bit addresses (docs/vmsa.md
// scope), in bytes: 4KiB, 16KiB, 64KiB pages; 2MiB, 32MiB, 512MiB, 1GiB blocks.
Histogram page_size_histogram();

} // namespace httusim
