// The httusim command: parse the command line, load the ELF, build the platform, run it, write
// the statistics, and return the exit status (exit_status.h).
#pragma once

namespace httusim {

// Never lets an exception or a SystemC report out: they become one "httusim: internal error"
// line and kExitInternalError.
int httusim_main(int argc, char *argv[]);

// Inside a catch block: prints the exception being handled as one "httusim: internal error: ..."
// line on stderr and returns kExitInternalError (exit_status.h).
int report_uncaught_exception();

} // namespace httusim
