// The progress line of long runs (--progress; docs/timing.md): instructions, simulated time and
// MIPS on one line of stderr, rewritten with '\r' about once per host second, and a final
// newline. Off by default when stderr is not a terminal (so never in tests).
#pragma once

#include "cpu.h"

#include <cstdio>

namespace httusim {

// Runs the simulation to its end (sc_start). With `out` (progress on), in slices of simulated
// time sized to take a fraction of a host second each, printing the line between slices; the
// slicing changes nothing in the simulation (the Cpu synchronises at the same points). The
// last line and a newline end the output when a line was printed, or always with `final_line`
// (--progress=on: a short run still reports).
void run_simulation(const Cpu &cpu, std::FILE *out, bool final_line);

} // namespace httusim
