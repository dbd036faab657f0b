// Exit statuses of the httusim command (docs/decisions.md, "Exit status of httusim").
#pragma once

namespace httusim {

// Besides these, a run that the firmware ends returns the firmware's own status: the semihosting
// SYS_EXIT status, or 0 for PSCI SYSTEM_OFF / SYSTEM_RESET.
constexpr int kExitUsage = 2;        // bad command line, or an output file that cannot be opened
constexpr int kExitLoadError = 3;    // the ELF could not be loaded
constexpr int kExitGuestFatal = 4;   // fault loop, exception without vectors, WFI with no wake-up
constexpr int kExitInstLimit = 5;    // --max-insts reached
// An output (a file of --stats, --stats-json, --trace, --vcd, --uart, --reg-trace, or standard
// output) could not be written. It wins over the statuses above and the firmware's own status:
// the run's results are incomplete. Only a stop by signal keeps its 128 + N.
constexpr int kExitOutputError = 6;
// httusim itself failed: an unexpected C++ exception or SystemC error (a bug), reported as one
// "httusim: internal error: ..." line.
constexpr int kExitInternalError = 7;
// SIGINT / SIGTERM stop the run at the next quantum boundary: 128 + the signal number (130, 143),
// as a shell reports a process killed by it, after the statistics and traces are written.
constexpr int kExitSignalBase = 128;

} // namespace httusim
