// The httusim command line: `httusim [options] FW.elf [-- firmware args...]`, options as
// `--name=value`. Parsing is pure: no I/O, errors come back as one line naming the option.
#pragma once

#include "hypervisor.h"
#include "mmu.h"

#include <cstdint>
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
    unsigned hafdbs = 2;
    HypervisorMode hypervisor = HypervisorMode::Pkvm;
    unsigned fault_loop_limit = 10000;        // 0: never stop on a fault loop
    // TLB and walk-cache geometries (defaults: MmuConfig, the Cortex-A53 MMU).
    TlbGeometry tlb_l1i = MmuConfig{}.l1i;
    TlbGeometry tlb_l1d = MmuConfig{}.l1d;
    TlbGeometry tlb_l2 = MmuConfig{}.l2;
    TlbGeometry walk_cache = MmuConfig{}.walk_cache;
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

} // namespace httusim
