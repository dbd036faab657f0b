// The httusim command: parse the command line, load the ELF, build the platform, run it, write
// the statistics, and return the exit status (exit_status.h).
#pragma once

namespace httusim {

int httusim_main(int argc, char *argv[]);

} // namespace httusim
