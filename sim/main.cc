// The httusim executable.
//
// libsystemc provides a main() that prints the SystemC banner and calls sc_main; this one takes
// precedence so that the banner stays out of the firmware's output, then enters SystemC the same
// way (sc_elab_and_sim calls sc_main).
#include "compare.h"
#include "run.h"

#include <systemc>

#include <cstdlib>

int sc_main(int argc, char *argv[])
{
    return httusim::httusim_main(argc, argv);
}

int main(int argc, char *argv[])
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    try {
        // --compare runs two child httusim processes and elaborates nothing itself
        // (sim/compare.h).
        if (httusim::is_compare_command(argc, argv))
            return httusim::compare_main(argc, argv);
        // httusim_main catches everything itself; sc_elab_and_sim would print SystemC's report.
        return sc_core::sc_elab_and_sim(argc, argv);
    } catch (...) {
        return httusim::report_uncaught_exception();
    }
}
