#include "stats_writer.h"

#include <cinttypes>
#include <cmath>
#include <string>

namespace httusim {

namespace {

std::string format_integer(uint64_t v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%" PRIu64, v);
    return buf;
}

// 6 decimals; not-a-number and infinities as 0, which JSON cannot represent.
std::string format_real(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", std::isfinite(v) ? v : 0.0);
    return buf;
}

// Integers exactly; derived values with 6 decimals.
std::string format_value(const StatsRegistry::Sample &s)
{
    return s.is_integer ? format_integer(s.integer) : format_real(s.real);
}

void write_json_string(std::FILE *out, const std::string &s)
{
    std::fputc('"', out);
    for (char c : s) {
        if (c == '"' || c == '\\')
            std::fputc('\\', out);
        std::fputc(c, out);
    }
    std::fputc('"', out);
}

void write_text_line(std::FILE *out, const std::string &name, const std::string &value,
                     const std::string &description)
{
    std::fprintf(out, "%-44s %20s  # %s\n", name.c_str(), value.c_str(), description.c_str());
}

// A bucket line as gem5 prints it: count, its share of the samples, the cumulative share.
void write_text_bucket(std::FILE *out, const std::string &name, uint64_t count, uint64_t samples,
                       uint64_t &cumulative, const std::string &description)
{
    cumulative += count;
    const double pct = samples ? 100.0 * static_cast<double>(count) / samples : 0.0;
    const double cum = samples ? 100.0 * static_cast<double>(cumulative) / samples : 0.0;
    std::fprintf(out, "%-44s %20" PRIu64 " %7.2f%% %7.2f%%  # %s\n", name.c_str(), count, pct,
                 cum, description.c_str());
}

void write_text_histogram(std::FILE *out, const StatsRegistry::HistogramSample &s)
{
    const Histogram &h = *s.histogram;
    const std::string &d = s.description;
    const uint64_t n = h.samples();
    uint64_t cumulative = 0;
    write_text_line(out, s.name + "::samples", format_integer(n), d);
    write_text_line(out, s.name + "::mean", format_real(h.mean()), d);
    write_text_line(out, s.name + "::stdev", format_real(h.stdev()), d);
    write_text_bucket(out, s.name + "::underflows", h.underflows(), n, cumulative, d);
    for (const Histogram::Bucket &b : h.buckets())
        write_text_bucket(out, s.name + "::" + b.label, b.count, n, cumulative, d);
    write_text_bucket(out, s.name + "::overflows", h.overflows(), n, cumulative, d);
    write_text_line(out, s.name + "::min_value", format_integer(h.min_value()), d);
    write_text_line(out, s.name + "::max_value", format_integer(h.max_value()), d);
    write_text_line(out, s.name + "::sum", format_integer(h.sum()), d);
    write_text_line(out, s.name + "::total", format_integer(n), d);
}

void write_json_histogram(std::FILE *out, const Histogram &h)
{
    std::fprintf(out, "{\"samples\": %s, \"sum\": %s, \"mean\": %s, \"stdev\": %s, ",
                 format_integer(h.samples()).c_str(), format_integer(h.sum()).c_str(),
                 format_real(h.mean()).c_str(), format_real(h.stdev()).c_str());
    std::fprintf(out, "\"min_value\": %s, \"max_value\": %s, \"underflows\": %s, ",
                 format_integer(h.min_value()).c_str(), format_integer(h.max_value()).c_str(),
                 format_integer(h.underflows()).c_str());
    std::fprintf(out, "\"overflows\": %s, \"buckets\": [", format_integer(h.overflows()).c_str());
    bool first = true;
    for (const Histogram::Bucket &b : h.buckets()) {
        std::fputs(first ? "{\"label\": " : ", {\"label\": ", out);
        first = false;
        write_json_string(out, b.label);
        std::fprintf(out, ", \"lo\": %s, \"hi\": %s, \"count\": %s}", format_integer(b.lo).c_str(),
                     format_integer(b.hi).c_str(), format_integer(b.count).c_str());
    }
    std::fputs("]}", out);
}

// Calls scalar(sample) and histogram(sample) for every statistic, in the order of their names.
template <typename Scalar, typename Hist>
void for_each_by_name(const StatsRegistry &stats, Scalar scalar, Hist histogram)
{
    const std::vector<StatsRegistry::Sample> scalars = stats.samples();
    const std::vector<StatsRegistry::HistogramSample> hists = stats.histograms();
    size_t i = 0, j = 0;
    while (i < scalars.size() || j < hists.size()) {
        if (j == hists.size() || (i < scalars.size() && scalars[i].name < hists[j].name))
            scalar(scalars[i++]);
        else
            histogram(hists[j++]);
    }
}

} // namespace

void write_stats_text(std::FILE *out, const StatsRegistry &stats)
{
    for_each_by_name(
        stats,
        [out](const StatsRegistry::Sample &s) {
            write_text_line(out, s.name, format_value(s), s.description);
        },
        [out](const StatsRegistry::HistogramSample &h) { write_text_histogram(out, h); });
}

void write_stats_json(std::FILE *out, const StatsRegistry &stats)
{
    std::fputs("{\n", out);
    bool first = true;
    auto key = [&](const std::string &name) {
        std::fputs(first ? "  " : ",\n  ", out);
        first = false;
        write_json_string(out, name);
        std::fputs(": ", out);
    };
    for_each_by_name(
        stats,
        [&](const StatsRegistry::Sample &s) {
            key(s.name);
            std::fputs(format_value(s).c_str(), out);
        },
        [&](const StatsRegistry::HistogramSample &h) {
            key(h.name);
            write_json_histogram(out, *h.histogram);
        });
    std::fputs("\n}\n", out);
}

} // namespace httusim
