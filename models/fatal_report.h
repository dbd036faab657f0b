// Text of the reports that end a run abnormally: a fatal guest state from the core (fault loop,
// exception without a vector table), WFI with nothing to wake the CPU, and the instruction limit.
#pragma once

#include "a64/cpu.h"

#include <string>

namespace httusim {

// Short name of an exception class (ESR_ELx.EC in the ARM ARM), e.g. "Data Abort, same EL".
const char *exception_class_name(unsigned ec);

// Multi-line report of cpu.fatal, ending in '\n'.
std::string format_fatal_report(const a64_cpu &cpu);
std::string format_wfi_report(const a64_cpu &cpu);
std::string format_inst_limit_report(const a64_cpu &cpu, uint64_t limit);

} // namespace httusim
