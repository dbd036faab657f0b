#include "cli.h"

#include "event_trace.h"
#include "platform_map.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace httusim {

namespace {

bool parse_digits(const std::string &text, size_t begin, size_t end, unsigned base,
                  uint64_t &value)
{
    if (begin >= end)
        return false;
    uint64_t v = 0;
    for (size_t i = begin; i < end; ++i) {
        char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    value = v;
    return true;
}

bool parse_number(const std::string &text, size_t end, uint64_t &value)
{
    if (end >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        return parse_digits(text, 2, end, 16, value);
    return parse_digits(text, 0, end, 10, value);
}

// Options that take a value, and what to call the value in messages.
struct ValueOption {
    const char *name;
    const char *metavar;
};
constexpr ValueOption kValueOptions[] = {
    {"--ram-size", "SIZE"},     {"--uart", "FILE"},      {"--max-insts", "N"},
    {"--stats", "FILE"},        {"--stats-json", "FILE"}, {"--hafdbs", "0|1|2"},
    {"--hypervisor", "pkvm|psci|none"}, {"--fault-loop-limit", "N"}, {"--reg-trace", "FILE"},
    {"--tlb-l1i", "ENTRIES:WAYS"}, {"--tlb-l1d", "ENTRIES:WAYS"}, {"--tlb-l2", "ENTRIES:WAYS"},
    {"--walk-cache", "ENTRIES:WAYS"},
    {"--trace", "FILE"}, {"--trace-events", "LIST"}, {"--vcd", "FILE"},
    {"--clock", "FREQ"}, {"--quantum", "CYCLES"}, {"--config", "FILE"},
    {"--progress", "on|off|auto"},
};

const ValueOption *find_value_option(const std::string &name)
{
    for (const ValueOption &o : kValueOptions)
        if (name == o.name)
            return &o;
    static const ValueOption kCost{"--lat-...", "CYCLES"};   // the costs of timing.h
    if (name.size() > 2 && find_timing_param(name.substr(2)))
        return &kCost;
    return nullptr;
}

CliResult error(const std::string &message)
{
    CliResult r;
    r.action = CliAction::Error;
    r.error = message;
    return r;
}

// --ram-size, --max-insts, --fault-loop-limit, --hafdbs: the numeric options.
std::string apply_number_option(SimOptions &o, const std::string &name, const std::string &value)
{
    const std::string arg = name + "=" + value;
    uint64_t n = 0;
    if (name == "--ram-size") {
        if (!parse_size(value, n))
            return arg + ": bad size '" + value + "' (a number with an optional K, M or G suffix)";
        if (n == 0 || n % 4096 != 0)
            return arg + ": the RAM size must be a non-zero multiple of 4 KiB";
        if (n > platform_map::kRamMaxSize)
            return arg + ": the RAM size must be at most 255G (QEMU virt's RAM limit)";
        o.ram_size = n;
    } else if (name == "--max-insts") {
        if (!parse_count(value, n))
            return arg + ": bad number '" + value + "' (expected a non-negative integer)";
        o.max_insts = n;
    } else if (name == "--fault-loop-limit") {
        if (!parse_count(value, n) || n > UINT32_MAX)
            return arg + ": bad number '" + value + "' (expected an integer from 0 to 4294967295)";
        o.fault_loop_limit = static_cast<unsigned>(n);
    } else if (name == "--hafdbs") {
        if (!parse_count(value, n) || n > 2)
            return arg + ": bad value '" + value + "' (expected 0, 1 or 2)";
        o.hafdbs = static_cast<unsigned>(n);
    }
    return "";
}

bool is_number_option(const std::string &name)
{
    return name == "--ram-size" || name == "--max-insts" || name == "--fault-loop-limit" ||
           name == "--hafdbs";
}

// The options that set one field of SimOptions as they are: a file name, or a TLB geometry.
template <typename T>
struct FieldOption {
    const char *name;
    T SimOptions::*field;
};
constexpr FieldOption<std::string> kPathOptions[] = {
    {"--uart", &SimOptions::uart_path},           {"--stats", &SimOptions::stats_path},
    {"--stats-json", &SimOptions::stats_json_path}, {"--reg-trace", &SimOptions::reg_trace_path},
    {"--trace", &SimOptions::trace_path},         {"--vcd", &SimOptions::vcd_path},
};
constexpr FieldOption<TlbGeometry> kGeometryOptions[] = {
    {"--tlb-l1i", &SimOptions::tlb_l1i}, {"--tlb-l1d", &SimOptions::tlb_l1d},
    {"--tlb-l2", &SimOptions::tlb_l2},   {"--walk-cache", &SimOptions::walk_cache},
};

// The field of `o` that option `name` of `table` sets, or nullptr when `name` is not in it.
template <typename T, size_t N>
T *option_field(SimOptions &o, const FieldOption<T> (&table)[N], const std::string &name)
{
    for (const FieldOption<T> &option : table)
        if (name == option.name)
            return &(o.*option.field);
    return nullptr;
}

// Applies one `--name=value`; returns an error message, or "" when accepted.
std::string apply_option(SimOptions &o, const std::string &name, const std::string &value)
{
    const std::string arg = name + "=" + value;
    if (is_timing_option(name))
        return apply_timing_option(o, name, value);
    if (name == "--config")   // read before the other options (read_config_file)
        return value.empty() ? "--config=: missing file name" : "";
    if (is_number_option(name))
        return apply_number_option(o, name, value);
    if (TlbGeometry *geometry = option_field(o, kGeometryOptions, name)) {
        TlbGeometry g;
        std::string why = parse_tlb_geometry(value, g);
        if (!why.empty())
            return arg + ": " + why;
        *geometry = g;
    } else if (name == "--hypervisor") {
        if (!parse_hypervisor_mode(value, o.hypervisor))
            return arg + ": bad value '" + value + "' (expected pkvm, psci or none)";
    } else if (name == "--trace-events") {
        std::string why;
        unsigned mask = 0;
        if (!parse_trace_events(value, mask, why))
            return arg + ": " + why;
        o.trace_events = mask;
    } else if (std::string *path = option_field(o, kPathOptions, name)) {
        if (value.empty())
            return name + "=: missing file name";
        *path = value;
    }
    return "";
}

} // namespace

bool parse_count(const std::string &text, uint64_t &value)
{
    return parse_number(text, text.size(), value);
}

std::string parse_tlb_geometry(const std::string &text, TlbGeometry &geometry)
{
    constexpr uint64_t kMaxEntries = 1u << 20;
    size_t colon = text.find(':');
    uint64_t entries = 0, ways = 0;
    if (colon == std::string::npos || !parse_count(text.substr(0, colon), entries) ||
        !parse_count(text.substr(colon + 1), ways))
        return "bad value '" + text + "' (expected ENTRIES:WAYS, e.g. 512:4)";
    if (entries == 0 || ways == 0)
        return "ENTRIES and WAYS must be at least 1";
    if (entries > kMaxEntries)
        return "at most " + std::to_string(kMaxEntries) + " entries";
    if (entries % ways != 0)
        return "ENTRIES (" + std::to_string(entries) + ") must be a multiple of WAYS (" +
               std::to_string(ways) + ")";
    uint64_t sets = entries / ways;
    if ((sets & (sets - 1)) != 0)
        return "ENTRIES/WAYS (" + std::to_string(sets) + " sets) must be a power of two";
    geometry.entries = static_cast<unsigned>(entries);
    geometry.ways = static_cast<unsigned>(ways);
    return "";
}

bool parse_size(const std::string &text, uint64_t &value)
{
    if (text.empty())
        return false;
    unsigned shift = 0;
    size_t end = text.size();
    switch (text.back()) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    default: break;
    }
    if (shift)
        --end;
    // K, M and G are not hex digits, so "0x10M" is unambiguous: 16 MiB.
    uint64_t n;
    if (!parse_number(text, end, n))
        return false;
    if (shift && n > (UINT64_MAX >> shift))
        return false;
    value = n << shift;
    return true;
}

namespace {

// The --config file: its keys are the value options without "--", applied in order, before the
// command line's options (which override them). "" or the error message (FILE:LINE: ...).
std::string read_config_file(SimOptions &o, const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return "--config=" + path + ": cannot read the file: " + std::strerror(errno);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return "--config=" + path + ": cannot read the file";
    o.config_path = path;
    return parse_config_text(text.str(), path, [&o](const std::string &key,
                                                    const std::string &value) -> std::string {
        const std::string name = "--" + key;
        if (key == "config")
            return "config: a config file cannot name another one";
        if (!find_value_option(name))
            return "unknown key '" + key + "' (the keys are the options of httusim --help "
                   "without '--')";
        std::string message = apply_option(o, name, value);
        // "--key=value: why" -> "key = value: why"
        const std::string prefix = name + "=" + value;
        if (message.compare(0, prefix.size(), prefix) == 0)
            message = key + " = " + value + message.substr(prefix.size());
        return message;
    });
}

} // namespace

namespace {

// The config file is read first (the last --config names it), so that options override its
// keys. "" or the error message.
std::string apply_config_file_first(SimOptions &o, int argc, const char *const *argv)
{
    for (int j = 1; j < argc; ++j) {
        std::string arg = argv[j];
        if (arg == "--")
            break;
        if (arg.compare(0, 9, "--config=") == 0)
            o.config_path = arg.substr(9);
    }
    if (o.config_path.empty())
        return "";
    return read_config_file(o, o.config_path);
}

// One `--name=value` argument (not --help, --version nor a bare --progress): "" or the error.
std::string apply_value_argument(SimOptions &o, const std::string &arg)
{
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    const ValueOption *opt = find_value_option(name);
    if (!opt) {
        if (name == "--help" || name == "--version")
            return arg + ": this option takes no value";
        return "unknown option '" + name + "'";
    }
    if (eq == std::string::npos)
        return name + ": missing value (use " + name + "=" + opt->metavar + ")";
    return apply_option(o, name, arg.substr(eq + 1));
}

} // namespace

CliResult parse_command_line(int argc, const char *const *argv)
{
    CliResult result;
    SimOptions &o = result.options;
    std::string message = apply_config_file_first(o, argc, argv);
    if (!message.empty())
        return error(message);
    int i = 1;
    for (; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg == "--progress") {   // also --progress=on|off|auto
            o.progress = SimOptions::Progress::On;
        } else if (arg == "--help" || arg == "-h") {
            result.action = CliAction::Help;
            return result;
        } else if (arg == "--version") {
            result.action = CliAction::Version;
            return result;
        } else if (arg.size() > 1 && arg[0] == '-') {
            message = apply_value_argument(o, arg);
            if (!message.empty())
                return error(message);
        } else if (!o.elf_path.empty()) {
            return error("unexpected argument '" + arg +
                         "' after the ELF file (firmware arguments go after --)");
        } else {
            o.elf_path = arg;
        }
    }
    for (; i < argc; ++i)
        o.firmware_args.push_back(argv[i]);
    if (o.elf_path.empty())
        return error("missing the firmware ELF file (usage: httusim [options] FW.elf "
                     "[-- firmware args...])");
    result.action = CliAction::Run;
    return result;
}

std::string firmware_cmdline(const SimOptions &options)
{
    std::string s = options.elf_path;
    for (const std::string &a : options.firmware_args)
        s += " " + a;
    return s;
}

std::string help_text()
{
    return R"(Usage: httusim [options] FW.elf [-- firmware args...]

Runs a bare-metal AArch64 ELF on a QEMU-virt-compatible platform (RAM at 0x40000000, PL011 UART at
0x09000000, virtio-mmio stubs at 0x0a000000, empty PCIe window at 0x10000000), entered at the ELF
entry in EL1h with the MMU off. The firmware reads "FW.elf args..." with semihosting
SYS_GET_CMDLINE.

Options (all written --name=value):
  --ram-size=SIZE          RAM size, K/M/G suffixes (default 128M, at most 255G)
  --uart=FILE              write the UART's output to FILE (default: standard output)
  --max-insts=N            stop after N retired instructions (default 0: no limit)
  --stats=FILE             write all counters, one "name value # description" per line,
                           and histograms as gem5 prints them (docs/stats.md)
  --stats-json=FILE        write all counters as one JSON object (name -> number; a
                           histogram -> an object with its buckets)
  --hafdbs=0|1|2           ID_AA64MMFR1_EL1.HAFDBS: hardware Access flag / dirty state (default 2)
  --hypervisor=MODE        what answers HVC #0 (default pkvm):
                             pkvm  PSCI, SMCCC and the pKVM calls (memory share, MMIO guard)
                             psci  PSCI and SMCCC only, like QEMU virt without EL2
                             none  no hypervisor: HVC is UNDEFINED
  --fault-loop-limit=N     stop when the same exception repeats N times in a row
                           (default 10000, 0: never)
  --reg-trace=FILE         write the registers before every instruction (lock-step checks)
  --trace=FILE             write the event trace: one "<cycle> <event> key=value..." line per
                           walk, fault, hardware update, HVC, TLBI, cache maintenance and
                           exception, in order (docs/trace.md)
  --trace-events=LIST      the events --trace writes, comma-separated, from walk, fault,
                           hw_update, hvc, tlbi, cmo, exception (default all)
  --vcd=FILE               write SystemC waveforms (VCD) of TLB hits/misses, walks, faults,
                           HVCs and exceptions, sampled at each quantum boundary
  --tlb-l1i=ENTRIES:WAYS   L1 instruction TLB (default 10:10, fully associative)
  --tlb-l1d=ENTRIES:WAYS   L1 data TLB (default 10:10, fully associative)
  --tlb-l2=ENTRIES:WAYS    unified L2 TLB (default 512:4)
  --walk-cache=ENTRIES:WAYS  walk cache of table descriptors (default 64:4)
                           (defaults: the Cortex-A53 MMU; ENTRIES must be a multiple of WAYS
                           and ENTRIES/WAYS a power of two)
)" + timing_help_text() + R"(  --help                   show this text
  --version                show the version

Exit status:
  the firmware's own status   semihosting SYS_EXIT status; 0 after PSCI SYSTEM_OFF/SYSTEM_RESET
  2                           bad command line, or an output file that cannot be opened
  3                           the ELF file cannot be loaded
  4                           guest fatal error: fault loop, exception without a vector table,
                              or WFI with no interrupt source
  5                           --max-insts reached
  6                           an output could not be written (a file of --stats, --stats-json,
                              --trace, --vcd, --uart, --reg-trace, or standard output): one line
                              names it with the reason; wins over the statuses above
  7                           internal error (an unexpected exception or SystemC error)
  130, 143                    stopped by SIGINT, SIGTERM at the next quantum boundary, after
                              writing the statistics and closing the traces (a second signal
                              kills at once)
)";
}

} // namespace httusim
