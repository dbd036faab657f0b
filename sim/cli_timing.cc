// The timing options of the command line (--clock, --quantum, --progress, --lat-*) and the
// config file's syntax (docs/timing.md).
#include "cli.h"

#include <cctype>
#include <cstdio>

namespace httusim {

namespace {

std::string lower(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string &s)
{
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos)
        return "";
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// Decimal digits [begin, end) into v; false on an empty range, a non-digit or overflow.
bool decimal(const std::string &t, size_t begin, size_t end, uint64_t &v)
{
    if (begin >= end)
        return false;
    v = 0;
    for (size_t i = begin; i < end; ++i) {
        if (t[i] < '0' || t[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + static_cast<uint64_t>(t[i] - '0');
    }
    return true;
}

} // namespace

bool parse_frequency(const std::string &text, uint64_t &hz)
{
    const std::string t = lower(text);
    size_t unit = t.find_first_not_of("0123456789.");   // where the unit starts
    if (unit == std::string::npos)
        unit = t.size();
    if (unit == 0)
        return false;
    uint64_t scale;
    const std::string suffix = t.substr(unit);
    if (suffix.empty() || suffix == "hz")
        scale = 1;
    else if (suffix == "khz")
        scale = 1'000;
    else if (suffix == "mhz")
        scale = 1'000'000;
    else if (suffix == "ghz")
        scale = 1'000'000'000;
    else
        return false;
    // integer part, optional fraction: value = (whole * 10^digits + fraction) * scale / 10^digits
    size_t dot = t.find('.');
    uint64_t whole = 0, fraction = 0, denominator = 1;
    if (dot != std::string::npos && dot < unit) {
        if (!decimal(t, 0, dot, whole) || !decimal(t, dot + 1, unit, fraction) ||
            unit - dot - 1 > 9)
            return false;
        for (size_t i = dot + 1; i < unit; ++i)
            denominator *= 10;
    } else if (!decimal(t, 0, unit, whole)) {
        return false;
    }
    constexpr uint64_t kMin = 1'000, kMax = 1'000'000'000'000;   // 1 kHz .. 1000 GHz
    if (whole > kMax / scale)
        return false;
    uint64_t value = whole * scale;
    if (fraction) {
        if ((fraction * scale) % denominator != 0)   // not a whole number of Hz
            return false;
        value += fraction * scale / denominator;
    }
    if (value < kMin || value > kMax)
        return false;
    hz = value;
    return true;
}

uint64_t clock_period_ps(uint64_t hz)
{
    constexpr uint64_t kPsPerSecond = 1'000'000'000'000;
    return (kPsPerSecond + hz / 2) / hz;
}

bool is_timing_option(const std::string &name)
{
    return name == "--clock" || name == "--quantum" || name == "--progress" ||
           (name.size() > 2 && find_timing_param(name.substr(2)) != nullptr);
}

std::string apply_timing_option(SimOptions &o, const std::string &name, const std::string &value)
{
    const std::string arg = name + "=" + value;
    uint64_t n = 0;
    if (name == "--clock") {
        if (!parse_frequency(value, n))
            return arg + ": bad frequency '" + value +
                   "' (expected e.g. 2GHz, 1.5GHz or 800MHz: whole Hz, 1kHz to 1000GHz)";
        o.clock_hz = n;
    } else if (name == "--quantum") {
        if (!parse_count(value, n) || n == 0 || n > kMaxTimingCost)
            return arg + ": bad number of cycles '" + value + "' (expected 1 to " +
                   std::to_string(kMaxTimingCost) + ")";
        o.quantum_cycles = n;
    } else if (name == "--progress") {
        if (value == "on")
            o.progress = SimOptions::Progress::On;
        else if (value == "off")
            o.progress = SimOptions::Progress::Off;
        else if (value == "auto")
            o.progress = SimOptions::Progress::Auto;
        else
            return arg + ": bad value '" + value + "' (expected on, off or auto)";
    } else if (const TimingParam *p = find_timing_param(name.substr(2))) {
        if (!parse_count(value, n) || n > kMaxTimingCost)
            return arg + ": bad number of cycles '" + value + "' (expected 0 to " +
                   std::to_string(kMaxTimingCost) + ")";
        o.timing.*(p->field) = n;
    }
    return "";
}

std::string parse_config_text(
    const std::string &text, const std::string &path,
    const std::function<std::string(const std::string &key, const std::string &value)> &apply)
{
    size_t pos = 0;
    for (unsigned line_no = 1; pos <= text.size(); ++line_no) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        size_t hash = line.find('#');
        if (hash != std::string::npos)
            line.erase(hash);
        line = trim(line);
        const std::string where = path + ":" + std::to_string(line_no) + ": ";
        if (!line.empty()) {
            size_t eq = line.find('=');
            if (eq == std::string::npos)
                return where + "expected 'key = value', got '" + line + "'";
            std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
            if (key.empty())
                return where + "missing key before '='";
            std::string message = apply(key, value);
            if (!message.empty())
                return where + message;
        }
    }
    return "";
}

std::string timing_help_text()
{
    const TimingConfig defaults;
    std::string s =
        "  --clock=FREQ             CPU clock, e.g. 2GHz, 1.5GHz, 800MHz (default 1GHz): the\n"
        "                           unit of every cost below and of the simulated time\n"
        "  --quantum=CYCLES         TLM global quantum: the CPU synchronises with SystemC after\n"
        "                           at least CYCLES cycles (default " +
        std::to_string(kDefaultQuantumCycles) +
        "; 1 synchronises after every\n"
        "                           instruction). Results do not depend on it (one master)\n"
        "  --progress[=on|off|auto] a progress line on stderr about once a second (default\n"
        "                           auto: only when stderr is a terminal)\n"
        "  --config=FILE            read options from FILE: one 'name = value' per line, the\n"
        "                           option names without '--' (lat-mul = 4), # comments;\n"
        "                           command-line options override it\n"
        "  Costs, in cycles of --clock (their sources: docs/timing.md):\n";
    for (const TimingParam &p : kTimingParams) {
        char line[160];
        std::snprintf(line, sizeof line, "  --%-22s %s (default %llu)\n",
                      (std::string(p.key) + "=N").c_str(), p.help,
                      static_cast<unsigned long long>(defaults.*(p.field)));
        s += line;
    }
    return s;
}

} // namespace httusim
