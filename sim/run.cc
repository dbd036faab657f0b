#include "run.h"

#include "cli.h"
#include "elf_loader.h"
#include "exit_status.h"
#include "output_file.h"
#include "platform.h"
#include "progress.h"
#include "stats_writer.h"

#include <systemc>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include <unistd.h>

#ifndef HTTUSIM_VERSION
#define HTTUSIM_VERSION "unknown"
#endif

namespace httusim {

namespace {

struct OutputFiles {
    OutputFile uart{"--uart"}, stats{"--stats"}, stats_json{"--stats-json"},
        reg_trace{"--reg-trace"}, trace{"--trace"}, vcd{"--vcd"};
    // Every output but the statistics files, which are written after the others are closed.
    OutputFile *run_outputs[4] = {&uart, &reg_trace, &trace, &vcd};
};

// Finishes the outputs of the run (all but the statistics files) and standard output; false
// when any of them failed (each failure reported on its own line).
bool finish_run_outputs(OutputFiles &files)
{
    bool ok = true;
    for (OutputFile *out : files.run_outputs)
        ok = out->finish() && ok;
    return finish_stdout() && ok;
}

// ---- SIGINT / SIGTERM: stop at the next quantum boundary (CpuConfig::stop_request)

volatile std::sig_atomic_t g_stop_signal = 0;

void set_stop_handlers(void (*handler)(int))
{
    struct sigaction sa = {};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

// Records the signal for the Cpu and restores the default action: a second one kills at once.
void on_stop_signal(int sig)
{
    g_stop_signal = sig;
    set_stop_handlers(SIG_DFL);   // sigaction is async-signal-safe
}

const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

// ---- SystemC reports

std::string one_line(const std::string &text)
{
    std::string s;
    for (char c : text)
        s += c == '\n' || c == '\r' ? ' ' : c;
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

// SystemC's reports never reach the user as SystemC prints them: infos are dropped (e.g. the
// kernel's "Simulation stopped by user."), warnings become one "httusim: SystemC warning" line,
// and errors and fatal errors are thrown (never abort()) to httusim_main, which reports them as
// an internal error (report_uncaught_exception).
void httusim_report_handler(const sc_core::sc_report &report, const sc_core::sc_actions &actions)
{
    const sc_core::sc_actions kShown = sc_core::SC_DISPLAY | sc_core::SC_LOG;
    if (report.get_severity() < sc_core::SC_ERROR) {
        if (report.get_severity() == sc_core::SC_WARNING && (actions & sc_core::SC_DISPLAY))
            std::fprintf(stderr, "httusim: SystemC warning: %s: %s\n", report.get_msg_type(),
                         one_line(report.get_msg()).c_str());
        sc_core::sc_report_handler::default_handler(report, actions & ~kShown);
        return;
    }
    const sc_core::sc_actions thrown =
        (actions & ~(kShown | sc_core::SC_ABORT | sc_core::SC_INTERRUPT)) | sc_core::SC_THROW;
    sc_core::sc_report_handler::default_handler(report, thrown);
}

PlatformConfig platform_config(const SimOptions &o, const ElfImage &image, OutputFiles &files,
                               EventTrace &events)
{
    const uint64_t ram_end = platform_map::kRamBase + o.ram_size;
    PlatformConfig p;
    p.ram.size = o.ram_size;
    p.mmu.l1i = o.tlb_l1i;
    p.mmu.l1d = o.tlb_l1d;
    p.mmu.l2 = o.tlb_l2;
    p.mmu.walk_cache = o.walk_cache;
    p.hypervisor = o.hypervisor;
    p.uart.out = files.uart ? files.uart.get() : stdout;
    if (files.trace) {
        events.out = files.trace.get();
        events.events = o.trace_events;
        p.events = &events;
    }
    p.vcd_out = files.vcd.get();
    p.timing = o.timing;
    p.quantum_cycles = o.quantum_cycles;

    CpuConfig &c = p.cpu;
    c.clock_period = sc_core::sc_time(double(clock_period_ps(o.clock_hz)), sc_core::SC_PS);
    c.entry = image.entry;
    c.hafdbs = o.hafdbs;
    c.fault_loop_limit = o.fault_loop_limit;
    c.max_insts = o.max_insts;
    c.reg_trace = files.reg_trace.get();
    c.stop_request = &g_stop_signal;
    c.cmdline = firmware_cmdline(o);
    // SYS_HEAPINFO: the heap from the end of the ELF image to the end of RAM; the stack base is
    // the end of RAM and its limit unknown (0), as QEMU reports for a -kernel image.
    c.heap_base = (image.end + 15) & ~uint64_t{15};
    c.heap_limit = ram_end;
    c.stack_base = ram_end;
    c.stack_limit = 0;
    return p;
}

int exit_status_of(const RunOutcome &outcome)
{
    switch (outcome.end) {
    case RunEnd::Halted: return outcome.exit_status & 0xff;   // as a process exit status
    case RunEnd::Fatal:
    case RunEnd::WfiStall: return kExitGuestFatal;
    case RunEnd::InstLimit: return kExitInstLimit;
    case RunEnd::Interrupted: return kExitSignalBase + outcome.exit_status;
    case RunEnd::Running: break;
    }
    std::fprintf(stderr, "httusim: the simulation stopped without the CPU ending the run\n");
    return kExitGuestFatal;
}

// Prints the text of --help or --version; 0, or kExitOutputError when stdout cannot take it.
int print_info(const std::string &text)
{
    errno = 0;
    if (std::fputs(text.c_str(), stdout) == EOF) {
        report_write_error("standard output", errno);
        return kExitOutputError;
    }
    return finish_stdout() ? 0 : kExitOutputError;
}

// Answers --help, --version and a command-line error; kGoOn for a run.
constexpr int kGoOn = -1;
int answer_non_run(const CliResult &cli)
{
    switch (cli.action) {
    case CliAction::Help:
        return print_info(help_text());
    case CliAction::Version:
        return print_info(std::string("httusim ") + HTTUSIM_VERSION + " (SystemC " +
                          sc_core::sc_release() + ")\n");
    case CliAction::Error:
        std::fprintf(stderr, "httusim: %s; see httusim --help\n", cli.error.c_str());
        return kExitUsage;
    case CliAction::Run:
        break;
    }
    return kGoOn;
}

bool open_outputs(const SimOptions &o, OutputFiles &files)
{
    if (!files.uart.open(o.uart_path) || !files.stats.open(o.stats_path) ||
        !files.stats_json.open(o.stats_json_path) || !files.reg_trace.open(o.reg_trace_path) ||
        !files.trace.open(o.trace_path) || !files.vcd.open(o.vcd_path))
        return false;
    files.trace.set_buffer(1 << 20);
    files.reg_trace.set_buffer(1 << 20);
    return true;
}

// Builds the platform; nullptr (reported) when the host cannot, e.g. reserve --ram-size bytes.
std::unique_ptr<Platform> build_platform(const SimOptions &o, const ElfImage &image,
                                         OutputFiles &files, EventTrace &events)
{
    try {
        return std::make_unique<Platform>("top", platform_config(o, image, files, events));
    } catch (const sc_core::sc_report &) {
        throw;   // a SystemC error: reported as internal
    } catch (const std::exception &e) {   // the host cannot reserve --ram-size bytes, --vcd FIFO
        std::fprintf(stderr, "httusim: cannot build the platform: %s\n", e.what());
        return nullptr;
    }
}

// Figures of the run itself, filled in as it ends; read by the sim.* statistics.
struct RunFigures {
    uint64_t exit_code = 0;
    double host_seconds = 0;
};

// The platform's statistics and the sim.* ones; figures must outlive stats.
void register_run_stats(Platform &top, RunFigures &figures, StatsRegistry &stats)
{
    top.register_stats(stats);
    const uint64_t *insts = &top.m_cpu.arch().ctr.insts;
    stats.add_counter("sim.insts", insts, "instructions retired");
    const Cpu *cpu = &top.m_cpu;
    stats.add_counter("sim.cycles", std::function<uint64_t()>([cpu] { return cpu->cycles(); }),
                      "CPU cycles simulated (the sum of the *.cycles counters, docs/timing.md)");
    stats.add_counter("sim.exit_code", &figures.exit_code, "exit status of httusim");
    RunFigures *f = &figures;
    stats.add_value("sim.host_seconds", [f] { return f->host_seconds; },
                    "host wall-clock seconds spent simulating");
    stats.add_value("sim.mips", [f, insts] {
        return f->host_seconds > 0 ? static_cast<double>(*insts) / f->host_seconds / 1e6 : 0.0;
    }, "simulated instructions per host second, in millions");
}

// Runs the simulation to its end, with the stop signals caught; returns how it ended.
const RunOutcome &simulate(Platform &top, const SimOptions &o, RunFigures &figures)
{
    const bool progress = o.progress == SimOptions::Progress::On ||
                          (o.progress == SimOptions::Progress::Auto && isatty(STDERR_FILENO));
    auto t0 = std::chrono::steady_clock::now();
    g_stop_signal = 0;
    set_stop_handlers(on_stop_signal);
    run_simulation(top.m_cpu, progress ? stderr : nullptr,
                   o.progress == SimOptions::Progress::On);
    const RunOutcome &outcome = top.m_cpu.outcome();
    if (outcome.end != RunEnd::Interrupted)
        set_stop_handlers(SIG_DFL);   // from here a signal kills, as before the run
    figures.host_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return outcome;
}

// A write error wins over the run's status (its outputs are incomplete), except over a stop by
// signal, whose 128 + N the caller asked for.
int status_after_outputs(int status, bool outputs_ok, const RunOutcome &outcome)
{
    return outputs_ok || outcome.end == RunEnd::Interrupted ? status : kExitOutputError;
}

// Writes the statistics files last, each recording in sim.exit_code the exit status known when
// it is written: the final one, unless writing a statistics file fails after it (--stats is
// written and closed before --stats-json; a file cannot record its own write error). Returns the
// exit status with those files' write errors.
int write_stats_files(OutputFiles &files, const StatsRegistry &stats, RunFigures &figures,
                      int status, const RunOutcome &outcome)
{
    figures.exit_code = static_cast<uint64_t>(status);
    if (files.stats) {
        write_stats_text(files.stats.get(), stats);
        status = status_after_outputs(status, files.stats.finish(), outcome);
        figures.exit_code = static_cast<uint64_t>(status);
    }
    if (files.stats_json) {
        write_stats_json(files.stats_json.get(), stats);
        status = status_after_outputs(status, files.stats_json.finish(), outcome);
    }
    return status;
}

// Reports the end of the run, closes the outputs and writes the statistics; the exit status.
int finish_run(Platform &top, const SimOptions &o, OutputFiles &files, const StatsRegistry &stats,
               RunFigures &figures, const RunOutcome &outcome)
{
    int status = exit_status_of(outcome);
    if (outcome.end == RunEnd::Interrupted)
        std::fprintf(stderr, "httusim: stopped by %s after %llu instructions\n",
                     signal_name(outcome.exit_status),
                     static_cast<unsigned long long>(top.m_cpu.arch().ctr.insts));
    if (!top.close_vcd())
        std::fprintf(stderr, "httusim: --vcd=%s: nothing traced: the run ended before its first "
                     "quantum boundary (--quantum); the file is empty\n", o.vcd_path.c_str());
    status = status_after_outputs(status, finish_run_outputs(files), outcome);
    return write_stats_files(files, stats, figures, status, outcome);
}

int run_command_line(int argc, char *argv[])
{
    CliResult cli = parse_command_line(argc, argv);
    int answered = answer_non_run(cli);
    if (answered != kGoOn)
        return answered;
    const SimOptions &o = cli.options;

    OutputFiles files;
    if (!open_outputs(o, files))
        return kExitUsage;
    const AddressRange ram{platform_map::kRamBase, o.ram_size};
    ElfImage image;
    std::string error;
    if (!read_elf(o.elf_path, ram, image, error)) {
        std::fprintf(stderr, "httusim: %s\n", error.c_str());
        return kExitLoadError;
    }

    sc_core::sc_report_handler::set_handler(httusim_report_handler);
    EventTrace events;   // outlives the platform, which points at it
    std::unique_ptr<Platform> platform = build_platform(o, image, files, events);
    if (!platform)
        return kExitUsage;
    Platform &top = *platform;
    copy_elf_to_ram(image, top.m_ram.host(), ram);
    image.bytes.clear();

    StatsRegistry stats;
    RunFigures figures;
    register_run_stats(top, figures, stats);
    const RunOutcome &outcome = simulate(top, o, figures);
    return finish_run(top, o, files, stats, figures, outcome);
}

} // namespace

int report_uncaught_exception()
{
    try {
        throw;
    } catch (const sc_core::sc_report &r) {
        std::fprintf(stderr, "httusim: internal error: SystemC %s: %s\n", r.get_msg_type(),
                     one_line(r.get_msg()).c_str());
    } catch (const std::bad_alloc &) {
        std::fprintf(stderr, "httusim: internal error: out of host memory\n");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "httusim: internal error: %s\n", one_line(e.what()).c_str());
    } catch (...) {
        std::fprintf(stderr, "httusim: internal error: an unknown exception\n");
    }
    return kExitInternalError;
}

int httusim_main(int argc, char *argv[])
{
    try {
        return run_command_line(argc, argv);
    } catch (...) {
        return report_uncaught_exception();
    }
}

} // namespace httusim
