// Statistics registry and writers: sorted deterministic order, zeros printed, hidden-if-zero
// entries, gem5-like text lines and a JSON object.
#include "stats_registry.h"
#include "stats_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

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
