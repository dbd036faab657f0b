#include "progress.h"

#include <systemc>

#include <chrono>
#include <cinttypes>

namespace httusim {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

void print_line(std::FILE *out, const Cpu &cpu, double host_seconds)
{
    const uint64_t insts = cpu.arch().ctr.insts;
    const double mips = host_seconds > 0 ? static_cast<double>(insts) / host_seconds / 1e6 : 0.0;
    // Fixed-width fields, so that each line overwrites the previous one entirely.
    std::fprintf(out, "\rhttusim: %14" PRIu64 " instructions  %14.9f s simulated  %9.2f MIPS ",
                 insts, cpu.now().to_seconds(), mips);
    std::fflush(out);
}

} // namespace

void run_simulation(const Cpu &cpu, std::FILE *out, bool final_line)
{
    if (!out) {
        sc_core::sc_start();
        return;
    }
    const Clock::time_point t0 = Clock::now();
    Clock::time_point last_print = t0;
    // Slices of simulated time: start at a million cycles, then aim at 0.1 to 0.4 host seconds
    // each (the rate of a run varies with --quantum and with the guest's work).
    const sc_core::sc_time period = cpu.period();
    uint64_t slice_cycles = 1'000'000;
    bool printed = false;
    while (sc_core::sc_get_status() != sc_core::SC_STOPPED) {
        const Clock::time_point s0 = Clock::now();
        sc_core::sc_start(sc_core::sc_time::from_value(period.value() * slice_cycles));
        const double took = seconds_since(s0);
        if (took < 0.1 && slice_cycles < (uint64_t{1} << 40))
            slice_cycles *= 2;
        else if (took > 0.4 && slice_cycles > 1'000)
            slice_cycles /= 2;
        if (std::chrono::duration<double>(Clock::now() - last_print).count() >= 1.0) {
            print_line(out, cpu, seconds_since(t0));
            last_print = Clock::now();
            printed = true;
        }
        if (!sc_core::sc_pending_activity())
            break;   // nothing left to run (the Cpu always ends a run with sc_stop)
    }
    if (printed || final_line) {
        print_line(out, cpu, seconds_since(t0));
        std::fputc('\n', out);
        std::fflush(out);
    }
}

} // namespace httusim
