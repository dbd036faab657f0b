#include "stats_writer.h"

#include <cinttypes>
#include <cmath>
#include <string>

namespace httusim {

namespace {

// Integers exactly; derived values with 6 decimals (not-a-number and infinities as 0, which
// JSON cannot represent).
std::string format_value(const StatsRegistry::Sample &s)
{
    char buf[64];
    if (s.is_integer)
        std::snprintf(buf, sizeof buf, "%" PRIu64, s.integer);
    else
        std::snprintf(buf, sizeof buf, "%.6f", std::isfinite(s.real) ? s.real : 0.0);
    return buf;
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

} // namespace

void write_stats_text(std::FILE *out, const StatsRegistry &stats)
{
    for (const StatsRegistry::Sample &s : stats.samples())
        std::fprintf(out, "%-44s %20s  # %s\n", s.name.c_str(), format_value(s).c_str(),
                     s.description.c_str());
}

void write_stats_json(std::FILE *out, const StatsRegistry &stats)
{
    std::fputs("{\n", out);
    bool first = true;
    for (const StatsRegistry::Sample &s : stats.samples()) {
        std::fputs(first ? "  " : ",\n  ", out);
        first = false;
        write_json_string(out, s.name);
        std::fprintf(out, ": %s", format_value(s).c_str());
    }
    std::fputs("\n}\n", out);
}

} // namespace httusim
