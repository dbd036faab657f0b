// The httusim command line: `httusim [options] FW.elf [-- firmware args...]`, options as
// `--name=value`. Parsing does no I/O but read the --config file; errors come back as one line
// naming the option (or FILE:LINE for the config file).
#pragma once

#include "event_trace.h"
#include "hypervisor.h"
#include "mmu.h"
#include "timing.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace httusim {

struct SimOptions {
    std::string elf_path;
    std::vector<std::string> firmware_args;   // after `--`
    uint64_t ram_size = 128ull << 20;
    std::string uart_path;                    // empty: standard output
    uint64_t max_insts = 0;                   // 0: no limit
    std::string stats_path;
    std::string stats_json_path;
    std::string reg_trace_path;
    std::string trace_path;                   // --trace: event trace (docs/trace.md)
    unsigned trace_events = EventTrace::kAll; // --trace-events: EventTrace::Event bits
    std::string vcd_path;                     // --vcd: waveforms
    unsigned hafdbs = 2;
    HypervisorMode hypervisor = HypervisorMode::Pkvm;
    unsigned fault_loop_limit = 10000;        // 0: never stop on a fault loop
    // TLB and walk-cache geometries (defaults: MmuConfig, the Cortex-A53 MMU).
    TlbGeometry tlb_l1i = MmuConfig{}.l1i;
    TlbGeometry tlb_l1d = MmuConfig{}.l1d;
    TlbGeometry tlb_l2 = MmuConfig{}.l2;
    TlbGeometry walk_cache = MmuConfig{}.walk_cache;
    // Timing (docs/timing.md): the CPU clock, the TLM quantum, every cost (--lat-*).
    uint64_t clock_hz = kDefaultClockHz;                // --clock
    uint64_t quantum_cycles = kDefaultQuantumCycles;    // --quantum
    TimingConfig timing;                                // --lat-*
    std::string config_path;                            // --config (applied while parsing)
    enum class Progress { Auto, On, Off };
    Progress progress = Progress::Auto;                 // --progress: Auto = stderr is a tty
};

enum class CliAction { Run, Help, Version, Error };

struct CliResult {
    CliAction action = CliAction::Error;
    SimOptions options;     // valid for Run
    std::string error;      // for Error: one line naming the option, without "httusim: "
};

CliResult parse_command_line(int argc, const char *const *argv);

// Text printed by --help (lists the options and the exit statuses).
std::string help_text();

// SYS_GET_CMDLINE: the ELF path followed by the firmware arguments, space-separated.
std::string firmware_cmdline(const SimOptions &options);

// "4096", "0x1000", "64K", "128M", "2G" (K/M/G are powers of 1024). False on anything else or
// on overflow.
bool parse_size(const std::string &text, uint64_t &value);
// A non-negative integer, decimal or 0x-prefixed hexadecimal. False on anything else.
bool parse_count(const std::string &text, uint64_t &value);
// "ENTRIES:WAYS" (two positive integers). Empty string on success, else why not (the geometry
// rules: ENTRIES a multiple of WAYS, ENTRIES / WAYS a power of two, ENTRIES at most 1M).
std::string parse_tlb_geometry(const std::string &text, TlbGeometry &geometry);

// ---- timing options and the config file (cli_timing.cc) ----

// A clock frequency: a number with an optional fraction and unit, "2GHz", "1.5GHz", "800MHz",
// "100kHz", "1000000Hz" (a plain number is Hz; units case-insensitive). It must be a whole
// number of Hz from 1 kHz to 1000 GHz. False on anything else.
bool parse_frequency(const std::string &text, uint64_t &hz);

// The clock period in picoseconds (SystemC's time resolution), rounded to the nearest one:
// exact for 1 GHz, 2 GHz, 800 MHz...; 3 GHz becomes 333 ps.
uint64_t clock_period_ps(uint64_t hz);

// Is `name` ("--clock", "--lat-mul", ...) an option of cli_timing.cc? If so, apply `value`:
// the error message, or "" when accepted.
bool is_timing_option(const std::string &name);
std::string apply_timing_option(SimOptions &options, const std::string &name,
                                const std::string &value);

// A config file's text: `key = value` lines, `#` starts a comment, blank lines are ignored.
// Calls apply(key, value, line) for each setting in order; stops at the first error and returns
// "PATH:LINE: message" (apply's message, or the syntax error). "" when all were applied.
std::string parse_config_text(
    const std::string &text, const std::string &path,
    const std::function<std::string(const std::string &key, const std::string &value)> &apply);

// The --help lines of the timing options, with their defaults.
std::string timing_help_text();

} // namespace httusim
