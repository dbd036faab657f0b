// The timing parameters of the platform, in cycles of the CPU clock: the ONE table of defaults.
// docs/timing.md gives the source of every number (a Cortex-A53 class core) and says which are
// assumptions. Each parameter is a command-line option and a config-file key of the same name
// (`--lat-mul=4`, `lat-mul = 4`); --help lists them from kTimingParams.
//
// The modules take their costs from their own configs (CpuConfig, MmuConfig, RamConfig, the
// device configs), which default to untimed (0) where a module is tested alone; the Platform
// fills them from one TimingConfig (PlatformConfig::timing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace httusim {

struct TimingConfig {
    // The CPU: cycles per retired instruction of each class (a64_iclass, core/a64/cpu.h).
    uint64_t alu = 1;                // data processing, hints
    uint64_t mul = 4;                // MADD, MSUB, SMULL, UMULH...
    uint64_t div = 12;               // SDIV, UDIV
    uint64_t branch_taken = 2;       // B, BL, BR, BLR, RET, and conditional branches taken
    uint64_t branch_not_taken = 1;   // conditional branches not taken
    uint64_t load = 3;               // loads: an L1 data cache hit, load to use
    uint64_t store = 1;              // stores: issue into the store buffer
    uint64_t atomic = 8;             // LSE atomics (CAS, SWP, LDADD...)
    uint64_t barrier = 8;            // DMB, DSB, ISB, SB, CLREX
    uint64_t sysreg = 2;             // MRS, MSR
    uint64_t sysop = 4;              // DC, IC, TLBI, AT issue; semihosting calls
    uint64_t eret = 8;               // ERET
    uint64_t exception = 8;          // synchronous exception entry

    // The platform.
    uint64_t hvc = 376;              // HVC round trip into the Hypervisor model and back
    uint64_t cmo_line = 20;          // each line of a DC/IC by VA or set/way, DC ZVA
    uint64_t tlb_l1 = 0;             // each L1 (micro) TLB lookup, hit or miss
    uint64_t tlb_l2 = 2;             // each L2 (main) TLB lookup after an L1 miss
    uint64_t walk_cache = 2;         // each walk-cache lookup before a walk
    uint64_t ram_read = 20;          // a read of Ram through the interconnect (descriptor read)
    uint64_t ram_write = 20;         // a write of Ram through the interconnect
    uint64_t ram_atomic = 40;        // the atomic read-modify-write of a hardware update
    uint64_t mmio = 50;              // a device register access (UART, virtio, PCIe window)
};

// One parameter: its name (option --KEY=N, config key KEY), where it lives, and a line of help.
struct TimingParam {
    const char *key;
    uint64_t TimingConfig::*field;
    const char *help;
};

inline constexpr TimingParam kTimingParams[] = {
    {"lat-alu", &TimingConfig::alu, "ALU instruction, hint"},
    {"lat-mul", &TimingConfig::mul, "multiply (MADD, MSUB, SMULL, UMULH...)"},
    {"lat-div", &TimingConfig::div, "divide (SDIV, UDIV)"},
    {"lat-branch-taken", &TimingConfig::branch_taken, "branch taken"},
    {"lat-branch-not-taken", &TimingConfig::branch_not_taken, "conditional branch not taken"},
    {"lat-load", &TimingConfig::load, "load (L1 data cache hit)"},
    {"lat-store", &TimingConfig::store, "store issue"},
    {"lat-atomic", &TimingConfig::atomic, "LSE atomic (CAS, SWP, LDADD...)"},
    {"lat-barrier", &TimingConfig::barrier, "barrier (DMB, DSB, ISB, CLREX)"},
    {"lat-sysreg", &TimingConfig::sysreg, "system register access (MRS, MSR)"},
    {"lat-sysop", &TimingConfig::sysop, "DC, IC, TLBI, AT issue; semihosting call"},
    {"lat-eret", &TimingConfig::eret, "exception return (ERET)"},
    {"lat-exception", &TimingConfig::exception, "synchronous exception entry"},
    {"lat-hvc", &TimingConfig::hvc, "HVC round trip into the hypervisor"},
    {"lat-cmo-line", &TimingConfig::cmo_line, "each cache line of a cache maintenance op"},
    {"lat-tlb-l1", &TimingConfig::tlb_l1, "L1 TLB lookup (hit or miss)"},
    {"lat-tlb-l2", &TimingConfig::tlb_l2, "L2 TLB lookup (after an L1 miss)"},
    {"lat-walk-cache", &TimingConfig::walk_cache, "walk-cache lookup (before a walk)"},
    {"lat-ram-read", &TimingConfig::ram_read, "RAM read through the interconnect"},
    {"lat-ram-write", &TimingConfig::ram_write, "RAM write through the interconnect"},
    {"lat-ram-atomic", &TimingConfig::ram_atomic, "atomic RMW of a hardware update (CAS)"},
    {"lat-mmio", &TimingConfig::mmio, "device (MMIO) register access"},
};

// The parameter named `key` ("lat-mul"; without the leading "--"), or nullptr.
inline const TimingParam *find_timing_param(const std::string &key)
{
    for (const TimingParam &p : kTimingParams)
        if (key == p.key)
            return &p;
    return nullptr;
}

// A delay in CPU cycles, rounded up: a part of a cycle is a cycle the CPU waits for. Both as
// sc_time values (sc_time::value(), in units of the time resolution): `period` is one cycle.
constexpr uint64_t cycles_rounded_up(uint64_t delay, uint64_t period)
{
    return (delay + period - 1) / period;
}

// The largest cost accepted (a billion cycles), so that no sum of costs can overflow.
constexpr uint64_t kMaxTimingCost = 1'000'000'000;

// The CPU clock and the TLM quantum by default (--clock, --quantum).
constexpr uint64_t kDefaultClockHz = 1'000'000'000;     // 1 GHz
constexpr uint64_t kDefaultQuantumCycles = 10'000;      // 10 us at 1 GHz

} // namespace httusim
