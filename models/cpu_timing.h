// The cost of executing one instruction, in CPU clock cycles: the one place the Cpu's loop takes
// it from. A later timing model (DESIGN.md section 6) replaces this constant by per-class costs.
#pragma once

#include <cstdint>

namespace httusim {

constexpr uint64_t kCyclesPerInstruction = 1;

} // namespace httusim
