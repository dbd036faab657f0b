// Exit statuses of the httusim command (docs/decisions.md, "Exit status of httusim").
#pragma once

namespace httusim {

// Besides these, a run that the firmware ends returns the firmware's own status: the semihosting
// SYS_EXIT status, or 0 for PSCI SYSTEM_OFF / SYSTEM_RESET.
constexpr int kExitUsage = 2;        // bad command line, or an output file that cannot be opened
constexpr int kExitLoadError = 3;    // the ELF could not be loaded
constexpr int kExitGuestFatal = 4;   // fault loop, exception without vectors, WFI with no wake-up
constexpr int kExitInstLimit = 5;    // --max-insts reached

} // namespace httusim
