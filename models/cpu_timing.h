// Timing constants of the platform, in CPU clock cycles: the one place the models take them from.
// A later timing model (DESIGN.md section 6) replaces them by per-class costs and options.
#pragma once

#include <cstdint>

namespace httusim {

// The cost of executing one instruction (the Cpu's loop).
constexpr uint64_t kCyclesPerInstruction = 1;

// Latency of one RAM access made through the interconnect (b_transport), which the Platform
// gives its Ram. The Cpu reaches RAM through DMI and does not pay it; the table walker does:
// each descriptor read costs kRamReadCycles, the atomic compare-and-swap of a hardware update
// kRamReadCycles + kRamWriteCycles (a read-modify-write). 20 cycles is the order of a hit in
// the L2 cache of a Cortex-A53/A72 class core, where translation table walks normally hit
// (TCR_EL1.IRGNn/ORGNn Write-Back); there is no cache model yet.
constexpr uint64_t kRamReadCycles = 20;
constexpr uint64_t kRamWriteCycles = 20;

} // namespace httusim
