#include "run.h"

#include "cli.h"
#include "elf_loader.h"
#include "exit_status.h"
#include "platform.h"
#include "progress.h"
#include "stats_writer.h"

#include <systemc>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>

#include <unistd.h>

#ifndef HTTUSIM_VERSION
#define HTTUSIM_VERSION "unknown"
#endif

namespace httusim {

namespace {

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// The files the options name, opened before the run so that a bad path fails at once.
struct OutputFiles {
    File uart, stats, stats_json, reg_trace, trace;
};

bool open_output(const std::string &option, const std::string &path, File &file)
{
    if (path.empty())
        return true;
    file.reset(std::fopen(path.c_str(), "w"));
    if (!file) {
        std::fprintf(stderr, "httusim: %s=%s: cannot open for writing: %s\n", option.c_str(),
                     path.c_str(), std::strerror(errno));
        return false;
    }
    return true;
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
    p.vcd_path = o.vcd_path;
    p.timing = o.timing;
    p.quantum_cycles = o.quantum_cycles;

    CpuConfig &c = p.cpu;
    c.clock_period = sc_core::sc_time(double(clock_period_ps(o.clock_hz)), sc_core::SC_PS);
    c.entry = image.entry;
    c.hafdbs = o.hafdbs;
    c.fault_loop_limit = o.fault_loop_limit;
    c.max_insts = o.max_insts;
    c.reg_trace = files.reg_trace.get();
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
    case RunEnd::Running: break;
    }
    std::fprintf(stderr, "httusim: the simulation stopped without the CPU ending the run\n");
    return kExitGuestFatal;
}

} // namespace

int httusim_main(int argc, char *argv[])
{
    CliResult cli = parse_command_line(argc, argv);
    switch (cli.action) {
    case CliAction::Help:
        std::fputs(help_text().c_str(), stdout);
        return 0;
    case CliAction::Version:
        std::printf("httusim %s (SystemC %s)\n", HTTUSIM_VERSION, sc_core::sc_release());
        return 0;
    case CliAction::Error:
        std::fprintf(stderr, "httusim: %s; see httusim --help\n", cli.error.c_str());
        return kExitUsage;
    case CliAction::Run:
        break;
    }
    const SimOptions &o = cli.options;

    OutputFiles files;
    if (!open_output("--uart", o.uart_path, files.uart) ||
        !open_output("--stats", o.stats_path, files.stats) ||
        !open_output("--stats-json", o.stats_json_path, files.stats_json) ||
        !open_output("--reg-trace", o.reg_trace_path, files.reg_trace) ||
        !open_output("--trace", o.trace_path, files.trace))
        return kExitUsage;
    if (!o.vcd_path.empty()) {   // SystemC writes it; fail now if it cannot be created
        File probe;
        if (!open_output("--vcd", o.vcd_path, probe))
            return kExitUsage;
    }
    if (files.trace)
        std::setvbuf(files.trace.get(), nullptr, _IOFBF, 1 << 20);
    if (files.reg_trace)
        std::setvbuf(files.reg_trace.get(), nullptr, _IOFBF, 1 << 20);

    const AddressRange ram{platform_map::kRamBase, o.ram_size};
    ElfImage image;
    std::string error;
    if (!read_elf(o.elf_path, ram, image, error)) {
        std::fprintf(stderr, "httusim: %s\n", error.c_str());
        return kExitLoadError;
    }

    EventTrace events;   // outlives the platform, which points at it
    std::unique_ptr<Platform> platform;
    try {
        platform = std::make_unique<Platform>("top", platform_config(o, image, files, events));
    } catch (const std::exception &e) {   // e.g. the host cannot reserve --ram-size bytes
        std::fprintf(stderr, "httusim: cannot build the platform: %s\n", e.what());
        return kExitUsage;
    }
    Platform &top = *platform;
    copy_elf_to_ram(image, top.m_ram.host(), ram);
    image.bytes.clear();

    StatsRegistry stats;
    top.register_stats(stats);
    uint64_t exit_code = 0;
    double host_seconds = 0;
    const uint64_t &insts = top.m_cpu.arch().ctr.insts;
    stats.add_counter("sim.insts", &insts, "instructions retired");
    const Cpu &cpu = top.m_cpu;
    stats.add_counter("sim.cycles", std::function<uint64_t()>([&cpu] { return cpu.cycles(); }),
                      "CPU cycles simulated (the sum of the *.cycles counters, docs/timing.md)");
    stats.add_counter("sim.exit_code", &exit_code, "exit status of httusim");
    stats.add_value("sim.host_seconds", [&] { return host_seconds; },
                    "host wall-clock seconds spent simulating");
    stats.add_value("sim.mips", [&] {
        return host_seconds > 0 ? static_cast<double>(insts) / host_seconds / 1e6 : 0.0;
    }, "simulated instructions per host second, in millions");

    // The kernel's "Simulation stopped by user." note would mix with the firmware's output.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    const bool progress = o.progress == SimOptions::Progress::On ||
                          (o.progress == SimOptions::Progress::Auto && isatty(STDERR_FILENO));
    auto t0 = std::chrono::steady_clock::now();
    run_simulation(top.m_cpu, progress ? stderr : nullptr,
                   o.progress == SimOptions::Progress::On);
    host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    int status = exit_status_of(top.m_cpu.outcome());
    exit_code = static_cast<uint64_t>(status);
    std::fflush(stdout);
    if (!top.close_vcd())
        std::fprintf(stderr, "httusim: --vcd=%s: cannot write the file\n", o.vcd_path.c_str());
    if (files.stats)
        write_stats_text(files.stats.get(), stats);
    if (files.stats_json)
        write_stats_json(files.stats_json.get(), stats);
    return status;
}

} // namespace httusim
