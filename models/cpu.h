// Cpu: a SystemC wrapper around the C11 A64 core (core/a64/cpu.h).
//
// One SC_THREAD calls a64_step() in a loop under loosely-timed TLM-2.0 with temporal decoupling
// (tlm_utils::tlm_quantumkeeper): it runs instructions until its local time reaches one global
// quantum (--quantum), then synchronises; it never enters the SystemC kernel in between.
// Time is counted in cycles of CpuConfig::clock_period (docs/timing.md): each retired
// instruction costs the cost of its class (a64_iclass), each exception entry its cost, each L1
// TLB lookup its cost (the core counts them; their cycles are the counts times the costs,
// computed when read), and the Cpu adds the delays it waits for: translations (L2 TLB, walk
// cache, table walk), MMIO, the HVC round trip, cache maintenance lines. cycles() is their sum
// at any moment, whatever the quantum.
//
// The core reaches RAM through the DMI pointer the Cpu obtains at start: RAM accesses make no
// SystemC call. Everything else goes through the a64_env callbacks (cpu_env.cc):
//   phys_read/phys_write  b_transport on m_data (1/2/4/8 bytes, little-endian)
//   hvc                   HypervisorIf::hvc through the port m_hvc (unbound: HVC is UNDEFINED)
//   semihost              semihost_call() with console, exit, clock, command line and heap info
//   sysop                 cache.maint.* and mmu.tlbi.* counters; TLBI also to the Mmu
//   translate             MmuIf::translate through the port m_mmu (the core's L1 TLB missed);
//                         its delay (table walk) is charged to the CPU's cycles. Unbound: the
//                         core has no L1 TLBs and walks the tables itself, untimed
//   counter               simulated time at 62.5 MHz (CNTFRQ_EL0 of QEMU virt)
//
// The run ends (sc_stop) on: semihosting exit or PSCI SYSTEM_OFF/RESET (Halted, the firmware's
// status), a fatal guest state from the core (Fatal, report on stderr), WFI/WFE with no interrupt
// source (WfiStall, report), the instruction limit (InstLimit, report), or a stop request seen
// at a quantum boundary (Interrupted: SIGINT / SIGTERM in the httusim command).
#pragma once

#include "a64/cpu.h"
#include "semihost/semihost.h"

#include "event_trace.h"
#include "hypervisor_if.h"
#include "mmu_if.h"
#include "platform_map.h"
#include "reg_trace.h"
#include "stats_registry.h"
#include "sysop_counters.h"
#include "timing.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace httusim {

struct CpuConfig {
    uint64_t entry = platform_map::kRamBase;       // PC at reset (the ELF entry)
    uint64_t ram_base = platform_map::kRamBase;    // address whose DMI window the core uses
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);
    unsigned hafdbs = 2;                           // ID_AA64MMFR1_EL1.HAFDBS
    unsigned fault_loop_limit = 10000;             // 0: never end on a fault loop
    uint64_t max_insts = 0;                        // retired instructions; 0: no limit
    std::FILE *reg_trace = nullptr;                // not owned; nullptr: no register trace
    std::FILE *report = stderr;                    // end-of-run reports (not owned)
    EventTrace *events = nullptr;                  // event trace (not owned); nullptr: none
    bool hold_in_reset = false;                    // wait for release() before the first step
    // Polled at every quantum boundary: non-zero (a signal number, set by a signal handler) ends
    // the run there as Interrupted. nullptr: never.
    const volatile std::sig_atomic_t *stop_request = nullptr;
    // Costs in cycles (timing.h): the instruction classes, exception entry, the HVC round trip
    // and each cache-maintenance line are used here; the Platform sets them from its timing.
    TimingConfig timing;

    // Semihosting (HLT #0xF000).
    bool semihosting = true;
    std::FILE *console_out = stdout;               // semihosting fd 1 (not owned)
    std::FILE *console_err = stderr;               // semihosting fd 2 (not owned)
    std::string cmdline;                           // SYS_GET_CMDLINE
    uint64_t heap_base = 0, heap_limit = 0;        // SYS_HEAPINFO
    uint64_t stack_base = 0, stack_limit = 0;
};

// Why the run ended.
enum class RunEnd {
    Running,     // not ended yet
    Halted,      // the firmware ended it (semihosting exit, PSCI SYSTEM_OFF/RESET)
    Fatal,       // fatal guest state reported by the core
    WfiStall,    // WFI/WFE with no interrupt source
    InstLimit,   // CpuConfig::max_insts reached
    Interrupted, // CpuConfig::stop_request seen at a quantum boundary (exit_status: the signal)
};

struct RunOutcome {
    RunEnd end = RunEnd::Running;
    int exit_status = 0;    // for Halted: the firmware's status
    std::string reason;     // one line: "semihosting SYS_EXIT", "PSCI SYSTEM_OFF", ...
};

class Cpu : public sc_core::sc_module {
public:
    // CNTFRQ_EL0 of QEMU `virt` (62.5 MHz).
    static constexpr uint64_t kCounterFrequency = 62'500'000;

    tlm_utils::simple_initiator_socket<Cpu> m_data;   // MMIO and DMI requests
    sc_core::sc_port<HypervisorIf, 1, sc_core::SC_ZERO_OR_MORE_BOUND> m_hvc;
    sc_core::sc_port<MmuIf, 1, sc_core::SC_ZERO_OR_MORE_BOUND> m_mmu;

    SC_HAS_PROCESS(Cpu);
    Cpu(sc_core::sc_module_name name, const CpuConfig &config);

    a64_cpu &arch() { return m_arch; }
    const a64_cpu &arch() const { return m_arch; }
    // Cycles simulated so far (sim.cycles): exact at any moment, the same for every quantum.
    uint64_t cycles() const;
    sc_core::sc_time period() const { return m_cfg.clock_period; }   // one cycle
    const RunOutcome &outcome() const { return m_outcome; }
    bool has_ram_dmi() const { return m_arch.cfg.ram.host != nullptr; }
    const SysopCounters &sysops() const { return m_sysops; }

    // Simulated time as the running CPU sees it (global time plus its local offset).
    sc_core::sc_time now() const;

    // Lets a CPU configured with hold_in_reset start running.
    void release() { m_release.notify(sc_core::SC_ZERO_TIME); }

    // Called at every quantum boundary, before the Cpu synchronises, with the simulated time
    // still at the start of the quantum just run (the VCD probes sample their counters there).
    void set_quantum_hook(std::function<void()> hook) { m_quantum_hook = std::move(hook); }

    // cpu.exceptions, cpu.exceptions.ec_0xNN, cache.maint.*, mmu.tlbi.*, and the cycles
    // counted here: cpu.cycles.<class>, cpu.cycles.exceptions, mmio.cycles, hvc.cycles,
    // cache.maint.cycles
    void register_stats(StatsRegistry &stats) const;

private:
    void end_of_elaboration() override;   // takes the Mmu's L1 TLBs when m_mmu is bound
    void run();   // the SC_THREAD
    template <bool kTrace> void run_steps(uint64_t steps);
    void on_stop(a64_step_result result);
    void end_run(RunEnd end, int status, const std::string &reason);
    void acquire_ram_dmi();
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    uint64_t cycles_of(const sc_core::sc_time &delay) const;   // a delay in cycles (rounded up)

    // a64_env callbacks (cpu_env.cc); ctx is the Cpu.
    void install_env();
    static a64_bus_status env_phys_read(void *ctx, uint64_t pa, unsigned size, uint64_t *value);
    static a64_bus_status env_phys_write(void *ctx, uint64_t pa, unsigned size, uint64_t value);
    static bool env_hvc(void *ctx, a64_cpu *cpu, uint16_t imm16);
    static bool env_semihost(void *ctx, a64_cpu *cpu);
    static void env_sysop(void *ctx, a64_cpu *cpu, const a64_sysop *op);
    static bool env_translate(void *ctx, a64_cpu *cpu, const vmsa_params *params, uint64_t va,
                              const vmsa_access *acc, unsigned flags, vmsa_result *result,
                              a64_fault *fault);
    static uint64_t env_counter(void *ctx);
    static void env_event(void *ctx, const a64_event *e);   // installed when tracing
    a64_bus_status transact(tlm::tlm_command cmd, uint64_t pa, unsigned size, uint64_t *data);

    // semihost_host callbacks (cpu_env.cc)
    static void host_write(void *ctx, int fd, const char *buf, size_t len);
    static void host_exit(void *ctx, int status);
    static uint64_t host_clock_centis(void *ctx);
    static uint64_t host_elapsed_ticks(void *ctx);

    // The core's cycles (docs/timing.md): its counts of retired instructions per class and of
    // exception entries times their costs, computed when read.
    uint64_t class_cycles(a64_iclass c) const;
    uint64_t exception_cycles() const;
    uint64_t core_cycles() const;

    CpuConfig m_cfg;
    a64_cpu m_arch;
    semihost_host m_semihost;
    RegTraceWriter m_trace;
    SysopCounters m_sysops;
    RunOutcome m_outcome;

    tlm_utils::tlm_quantumkeeper m_qk;
    tlm::tlm_generic_payload m_payload;   // reused for every MMIO access
    sc_core::sc_event m_release;
    std::function<void()> m_quantum_hook;
    bool m_dmi_invalidated = false;

    // Cycles the Cpu waited for (the core's are counts times costs: core_cycles(); the L1 TLB
    // lookups are a64_mmu's), each where it happens:
    uint64_t m_translate_cycles = 0;  // env.translate: L2 TLB, walk cache, table walks
    uint64_t m_mmio_cycles = 0;       // physical accesses through m_data (devices)
    uint64_t m_hvc_cycles = 0;        // HVC round trips answered by the hypervisor
    Histogram m_hvc_cycles_per_call = Histogram::power_of_two(16);   // hvc.cycles_per_call
    uint64_t m_cmo_cycles = 0;        // cache-maintenance lines
    uint64_t m_cycles_in_qk = 0;      // the part of cycles() already added to m_qk
    uint64_t m_quantum_cycles = 1;    // cycles per global quantum
    sc_core::sc_time::value_type m_counter_period;   // one tick of the 62.5 MHz counter
    sc_core::sc_time::value_type m_centisecond;      // SYS_CLOCK unit
};

} // namespace httusim
