// Histogram (models/histogram.h): bucket edges and labels of the three shapes, underflows and
// overflows, mean and sample standard deviation against values computed by hand, bad shapes.
#include "histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace httusim;

namespace {

std::vector<uint64_t> counts(const Histogram &h)
{
    std::vector<uint64_t> out;
    for (const Histogram::Bucket &b : h.buckets())
        out.push_back(b.count);
    return out;
}

std::vector<std::string> labels(const Histogram &h)
{
    std::vector<std::string> out;
    for (const Histogram::Bucket &b : h.buckets())
        out.push_back(b.label);
    return out;
}

} // namespace

TEST(HistogramTest, LinearBucketEdgesUnderflowsAndOverflows)
{
    Histogram h = Histogram::linear(10, 5, 3);   // 10-14, 15-19, 20-24
    EXPECT_EQ(labels(h), (std::vector<std::string>{"10-14", "15-19", "20-24"}));
    for (uint64_t v : {9, 10, 14, 15, 24, 25})
        h.sample(v);
    EXPECT_EQ(h.underflows(), 1u);   // 9
    EXPECT_EQ(counts(h), (std::vector<uint64_t>{2, 1, 1}));   // 10 14 | 15 | 24
    EXPECT_EQ(h.overflows(), 1u);    // 25
    EXPECT_EQ(h.samples(), 6u);
    EXPECT_EQ(h.sum(), 97u);
    EXPECT_EQ(h.min_value(), 9u);
    EXPECT_EQ(h.max_value(), 25u);
    EXPECT_EQ(h.buckets()[2].lo, 20u);
    EXPECT_EQ(h.buckets()[2].hi, 24u);
}

TEST(HistogramTest, LinearWidthOneLabelsSingleValues)
{
    Histogram h = Histogram::linear(0, 1, 3);
    EXPECT_EQ(labels(h), (std::vector<std::string>{"0", "1", "2"}));
    h.sample(0);
    h.sample(2);
    h.sample(3);
    EXPECT_EQ(counts(h), (std::vector<uint64_t>{1, 0, 1}));
    EXPECT_EQ(h.underflows(), 0u);
    EXPECT_EQ(h.overflows(), 1u);
}

TEST(HistogramTest, PowerOfTwoBucketsDoubleInWidth)
{
    Histogram h = Histogram::power_of_two(5);   // 0, 1, 2-3, 4-7, 8-15
    EXPECT_EQ(labels(h), (std::vector<std::string>{"0", "1", "2-3", "4-7", "8-15"}));
    for (uint64_t v : {0, 1, 2, 3, 4, 7, 8, 15, 16, 1000})
        h.sample(v);
    EXPECT_EQ(counts(h), (std::vector<uint64_t>{1, 1, 2, 2, 2}));
    EXPECT_EQ(h.overflows(), 2u);   // 16, 1000
    EXPECT_EQ(h.underflows(), 0u);
}

TEST(HistogramTest, PowerOfTwoCoversTheWholeRangeWith65Buckets)
{
    Histogram h = Histogram::power_of_two(65);
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    h.sample(max);
    h.sample(uint64_t{1} << 63);
    EXPECT_EQ(h.overflows(), 0u);
    EXPECT_EQ(h.buckets()[64].count, 2u);
    EXPECT_EQ(h.buckets()[64].lo, uint64_t{1} << 63);
    EXPECT_EQ(h.buckets()[64].hi, max);
}

TEST(HistogramTest, ExactValuesAndOthersAsOverflows)
{
    Histogram h = page_size_histogram();
    EXPECT_EQ(labels(h), (std::vector<std::string>{"4KiB", "16KiB", "64KiB", "2MiB", "32MiB",
                                                   "512MiB", "1GiB"}));
    h.sample(4096);
    h.sample(4096);
    h.sample(2u << 20);
    h.sample(1u << 30);
    h.sample(8192);   // no page or block has this size
    EXPECT_EQ(counts(h), (std::vector<uint64_t>{2, 0, 0, 1, 0, 0, 1}));
    EXPECT_EQ(h.overflows(), 1u);
    EXPECT_EQ(h.buckets()[3].lo, 2u << 20);
    EXPECT_EQ(h.buckets()[3].hi, 2u << 20);
}

TEST(HistogramTest, MeanAndSampleStdevByHand)
{
    // 2 4 4 4 5 5 7 9: sum 40, mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32; the sample
    // standard deviation (n - 1 = 7, as gem5 prints it) is sqrt(32/7).
    Histogram h = Histogram::linear(0, 1, 10);
    for (uint64_t v : {2, 4, 4, 4, 5, 5, 7, 9})
        h.sample(v);
    EXPECT_EQ(h.sum(), 40u);
    EXPECT_DOUBLE_EQ(h.mean(), 5.0);
    EXPECT_NEAR(h.stdev(), std::sqrt(32.0 / 7.0), 1e-12);
}

TEST(HistogramTest, EmptyAndSingleSampleHaveZeroSpread)
{
    Histogram h = Histogram::power_of_two(4);
    EXPECT_EQ(h.samples(), 0u);
    EXPECT_EQ(h.mean(), 0.0);
    EXPECT_EQ(h.stdev(), 0.0);
    EXPECT_EQ(h.min_value(), 0u);
    h.sample(6);
    EXPECT_EQ(h.mean(), 6.0);
    EXPECT_EQ(h.stdev(), 0.0);
    EXPECT_EQ(h.min_value(), 6u);
    EXPECT_EQ(h.max_value(), 6u);
}

TEST(HistogramTest, BadShapesAreRefused)
{
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    EXPECT_THROW(Histogram::linear(0, 0, 4), std::invalid_argument);
    EXPECT_THROW(Histogram::linear(0, 1, 0), std::invalid_argument);
    EXPECT_THROW(Histogram::linear(max - 5, 2, 4), std::invalid_argument);   // past 2^64
    Histogram last = Histogram::linear(max - 5, 2, 3);   // its last bucket ends at 2^64 - 1
    EXPECT_EQ(last.buckets()[2].hi, max);
    last.sample(max);
    EXPECT_EQ(last.buckets()[2].count, 1u);
    EXPECT_THROW(Histogram::power_of_two(0), std::invalid_argument);
    EXPECT_THROW(Histogram::power_of_two(66), std::invalid_argument);
    EXPECT_THROW(Histogram::exact({}, {}), std::invalid_argument);
    EXPECT_THROW(Histogram::exact({1, 2}, {"one"}), std::invalid_argument);
    EXPECT_THROW(Histogram::exact(std::vector<uint64_t>(17, 1), std::vector<std::string>(17, "x")),
                 std::invalid_argument);
}
