// Statistics registry and writers: sorted deterministic order, zeros printed, hidden-if-zero
// entries, gem5-like text lines and a JSON object.
#include "compare.h"
#include "stats_registry.h"
#include "stats_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

using namespace httusim;

namespace {

std::string written(void (*writer)(std::FILE *, const StatsRegistry &), const StatsRegistry &s)
{
    std::FILE *f = std::tmpfile();
    writer(f, s);
    std::rewind(f);
    std::string out;
    int c;
    while ((c = std::fgetc(f)) != EOF)
        out += static_cast<char>(c);
    std::fclose(f);
    return out;
}

// The whitespace-separated words of each line of `text` before its "#" (the description).
std::vector<std::vector<std::string>> words_per_line(const std::string &text)
{
    std::vector<std::vector<std::string>> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line.substr(0, line.find('#')));
        std::vector<std::string> w;
        for (std::string word; words >> word;)
            w.push_back(word);
        out.push_back(w);
    }
    return out;
}

// A registry with counters a and c around the histogram b (0, 1, 1, 5 in buckets 0 and 1).
struct HistogramRegistry {
    uint64_t a = 3, c = 4;
    Histogram b = Histogram::linear(0, 1, 2);
    StatsRegistry stats;
    HistogramRegistry()
    {
        for (uint64_t v : {0, 1, 1, 5})
            b.sample(v);
        stats.add_counter("a", &a, "counter a");
        stats.add_histogram("b", &b, "histogram b");
        stats.add_counter("c", &c, "counter c");
    }
};

} // namespace

TEST(StatsTest, SamplesAreSortedByNameAndIncludeZeros)
{
    uint64_t b = 0, a = 7;
    StatsRegistry s;
    s.add_counter("z.last", &b, "zero");
    s.add_counter("a.first", &a, "seven");
    s.add_value("m.mid", [] { return 1.5; }, "derived");
    auto samples = s.samples();
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_EQ(samples[0].name, "a.first");
    EXPECT_EQ(samples[1].name, "m.mid");
    EXPECT_EQ(samples[2].name, "z.last");
    EXPECT_EQ(samples[2].integer, 0u);
}

TEST(StatsTest, IfNonZeroEntriesAppearOnlyWhenTheyChange)
{
    uint64_t v = 0;
    StatsRegistry s;
    s.add_counter("rare", &v, "rare", StatsRegistry::Show::IfNonZero);
    EXPECT_TRUE(s.samples().empty());
    v = 2;
    EXPECT_EQ(s.samples().size(), 1u);
}

TEST(StatsTest, DuplicateNamesAreRefused)
{
    uint64_t v = 0;
    StatsRegistry s;
    s.add_counter("x", &v, "x");
    EXPECT_THROW(s.add_counter("x", &v, "again"), std::logic_error);
}

TEST(StatsTest, TextIsNameValueAndDescription)
{
    uint64_t v = 42;
    StatsRegistry s;
    s.add_counter("hvc.calls", &v, "HVC calls");
    s.add_value("sim.mips", [] { return 12.5; }, "MIPS");
    std::string text = written(write_stats_text, s);
    EXPECT_EQ(text.substr(0, 9), "hvc.calls");
    EXPECT_NE(text.find(" 42  # HVC calls\n"), std::string::npos) << text;
    EXPECT_NE(text.find(" 12.500000  # MIPS\n"), std::string::npos) << text;
}

TEST(StatsTest, JsonIsOneObject)
{
    uint64_t v = 3, w = 0;
    StatsRegistry s;
    s.add_counter("a", &v, "a");
    s.add_counter("b", &w, "b");
    EXPECT_EQ(written(write_stats_json, s), "{\n  \"a\": 3,\n  \"b\": 0\n}\n");
}

TEST(StatsTest, HistogramsShareTheNameSpaceButNotTheSamples)
{
    HistogramRegistry r;
    EXPECT_TRUE(r.stats.contains("b"));
    EXPECT_THROW(r.stats.add_counter("b", &r.a, "again"), std::logic_error);
    EXPECT_THROW(r.stats.add_histogram("a", &r.b, "again"), std::logic_error);
    ASSERT_EQ(r.stats.samples().size(), 2u);   // a and c
    ASSERT_EQ(r.stats.histograms().size(), 1u);
    EXPECT_EQ(r.stats.histograms()[0].name, "b");
    EXPECT_EQ(r.stats.value("b"), 4.0);   // its samples
}

TEST(StatsTest, HistogramTextIsGem5Distribution)
{
    // Samples 0 1 1 5: mean 7/4; squared deviations 49/16+9/16+9/16+169/16 = 236/16, over
    // n - 1 = 3: 59/12, stdev 2.217356; buckets 0 (1: 25%) and 1 (2: 50%, 75% cumulated), 5
    // an overflow (25%, 100%).
    HistogramRegistry r;
    std::string text = written(write_stats_text, r.stats);
    using W = std::vector<std::string>;
    std::vector<W> expected = {
        {"a", "3"},
        {"b::samples", "4"},
        {"b::mean", "1.750000"},
        {"b::stdev", "2.217356"},
        {"b::underflows", "0", "0.00%", "0.00%"},
        {"b::0", "1", "25.00%", "25.00%"},
        {"b::1", "2", "50.00%", "75.00%"},
        {"b::overflows", "1", "25.00%", "100.00%"},
        {"b::min_value", "0"},
        {"b::max_value", "5"},
        {"b::sum", "7"},
        {"b::total", "4"},
        {"c", "4"},
    };
    EXPECT_EQ(words_per_line(text), expected) << text;
    EXPECT_NE(text.find("\nb::1 "), std::string::npos);
    EXPECT_NE(text.find(" 2   50.00%   75.00%  # histogram b\n"), std::string::npos) << text;
}

TEST(StatsTest, HistogramJsonIsOneObject)
{
    HistogramRegistry r;
    EXPECT_EQ(written(write_stats_json, r.stats),
              "{\n  \"a\": 3,\n  \"b\": {\"samples\": 4, \"sum\": 7, \"mean\": 1.750000, "
              "\"stdev\": 2.217356, \"min_value\": 0, \"max_value\": 5, \"underflows\": 0, "
              "\"overflows\": 1, \"buckets\": [{\"label\": \"0\", \"lo\": 0, \"hi\": 0, "
              "\"count\": 1}, {\"label\": \"1\", \"lo\": 1, \"hi\": 1, \"count\": 2}]},\n"
              "  \"c\": 4\n}\n");
}

TEST(StatsTest, CompareReadsTheCountersAroundAHistogram)
{
    HistogramRegistry r;
    CounterMap counters;
    std::string error;
    ASSERT_TRUE(parse_stats_json(written(write_stats_json, r.stats), counters, error)) << error;
    ASSERT_EQ(counters.size(), 2u);
    EXPECT_EQ(counters["a"].text, "3");
    EXPECT_EQ(counters["c"].text, "4");
    EXPECT_FALSE(parse_stats_json("{\"b\": {\"buckets\": [}", counters, error));
}
