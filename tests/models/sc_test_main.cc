// Entry point of every SystemC testbench executable. GoogleTest's gtest_main must not be linked:
// libsystemc's main() would win and no test would run. Here main() silences the SystemC banner
// (it would otherwise corrupt the --gtest_list_tests output that ctest parses) and enters SystemC,
// whose sc_elab_and_sim calls sc_main, which runs the tests.
#include <gtest/gtest.h>
#include <systemc>

#include <cstdlib>

int sc_main(int argc, char *argv[])
{
    ::testing::InitGoogleTest(&argc, argv);
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    return RUN_ALL_TESTS();
}

int main(int argc, char *argv[])
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
