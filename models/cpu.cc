#include "cpu.h"

#include "fatal_report.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace httusim {

using sc_core::sc_time;

namespace {

// The timing classes in the order of a64_iclass (docs/timing.md): the name of their cycles
// statistic (cpu.cycles.<name>), what they are, and their cost in the timing table.
struct TimingClass {
    const char *name;
    const char *description;
    uint64_t TimingConfig::*cost;
};
constexpr TimingClass kTimingClasses[] = {
    {"alu", "ALU instructions and hints", &TimingConfig::alu},
    {"mul", "multiplies", &TimingConfig::mul},
    {"div", "divides", &TimingConfig::div},
    {"branch_taken", "branches taken", &TimingConfig::branch_taken},
    {"branch_not_taken", "conditional branches not taken", &TimingConfig::branch_not_taken},
    {"load", "loads (L1 data cache hits)", &TimingConfig::load},
    {"store", "stores", &TimingConfig::store},
    {"atomic", "LSE atomics", &TimingConfig::atomic},
    {"barrier", "barriers and CLREX", &TimingConfig::barrier},
    {"sysreg", "system register accesses (MRS, MSR)", &TimingConfig::sysreg},
    {"sysop", "DC, IC, TLBI, AT and semihosting calls (issue)", &TimingConfig::sysop},
    {"eret", "exception returns", &TimingConfig::eret},
};
static_assert(std::size(kTimingClasses) == A64_IC_COUNT, "a timing class without a cost");

} // namespace

Cpu::Cpu(sc_core::sc_module_name name, const CpuConfig &config)
    : sc_module(name), m_data("data"), m_hvc("hvc"), m_mmu("mmu"), m_cfg(config),
      m_trace(config.reg_trace)
{
    std::memset(&m_arch, 0, sizeof m_arch);
    install_env();   // a64_cpu_reset keeps m_arch.cfg
    m_arch.cfg.fault_loop_limit = m_cfg.fault_loop_limit;
    m_arch.cfg.hafdbs = m_cfg.hafdbs;
    a64_cpu_reset(&m_arch, m_cfg.entry);

    m_counter_period = sc_time(1e9 / kCounterFrequency, sc_core::SC_NS).value();
    m_centisecond = sc_time(10, sc_core::SC_MS).value();

    m_data.register_invalidate_direct_mem_ptr(this, &Cpu::invalidate_direct_mem_ptr);
    if (m_cfg.events) {   // the event trace is stamped with this CPU's cycle count
        m_cfg.events->clock = [](const void *ctx) {
            return static_cast<const Cpu *>(ctx)->cycles();
        };
        m_cfg.events->clock_ctx = this;
    }
    SC_THREAD(run);
}

void Cpu::end_of_elaboration()
{
    if (m_mmu.size() == 0)
        return;
    m_arch.cfg.mmu = m_mmu->core_state();
    m_arch.cfg.env.translate = &Cpu::env_translate;
    a64_mmu_reset(m_arch.cfg.mmu);
}

void Cpu::acquire_ram_dmi()
{
    m_dmi_invalidated = false;
    m_arch.cfg.ram = a64_ram_window{nullptr, 0, 0};
    tlm::tlm_generic_payload trans;
    tlm::tlm_dmi dmi;
    trans.set_command(tlm::TLM_READ_COMMAND);
    trans.set_address(m_cfg.ram_base);
    if (!m_data->get_direct_mem_ptr(trans, dmi) || !dmi.is_read_write_allowed())
        return;   // no DMI: every RAM access goes through phys_read/phys_write (slow, correct)
    uint64_t start = dmi.get_start_address(), end = dmi.get_end_address();
    if (m_cfg.ram_base < start || m_cfg.ram_base > end)
        return;
    m_arch.cfg.ram = a64_ram_window{dmi.get_dmi_ptr(), start, end - start + 1};
}

void Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    const a64_ram_window &w = m_arch.cfg.ram;
    if (w.host && start <= w.base + w.size - 1 && end >= w.base) {
        m_arch.cfg.ram = a64_ram_window{nullptr, 0, 0};
        m_dmi_invalidated = true;   // asked again at the next quantum boundary
    }
}

uint64_t Cpu::cycles_of(const sc_time &delay) const
{
    return cycles_rounded_up(delay.value(), m_cfg.clock_period.value());
}

uint64_t Cpu::cycles() const
{
    uint64_t c = core_cycles() + m_translate_cycles + m_mmio_cycles + m_hvc_cycles +
                 m_cmo_cycles;
    if (const a64_mmu *m = m_arch.cfg.mmu)
        c += a64_mmu_l1_cycles(m, &m->l1i) + a64_mmu_l1_cycles(m, &m->l1d);
    return c;
}

uint64_t Cpu::class_cycles(a64_iclass c) const
{
    return m_arch.ctr.insts_by_class[c] * m_cfg.timing.*kTimingClasses[c].cost;
}

uint64_t Cpu::exception_cycles() const
{
    return m_arch.ctr.exception_entries * m_cfg.timing.exception;
}

uint64_t Cpu::core_cycles() const
{
    uint64_t sum = exception_cycles();
    for (int c = 0; c < A64_IC_COUNT; ++c)
        sum += class_cycles(static_cast<a64_iclass>(c));
    return sum;
}

sc_time Cpu::now() const
{
    return sc_core::sc_time_stamp() + m_qk.get_local_time() +
           sc_time::from_value((cycles() - m_cycles_in_qk) * m_cfg.clock_period.value());
}

void Cpu::end_run(RunEnd end, int status, const std::string &reason)
{
    if (m_outcome.end != RunEnd::Running)
        return;   // the first reason wins
    m_outcome.end = end;
    m_outcome.exit_status = status;
    m_outcome.reason = reason;
}

void Cpu::on_stop(a64_step_result result)
{
    std::string report;
    switch (result) {
    case A64_STEP_FATAL:
        report = format_fatal_report(m_arch);
        end_run(RunEnd::Fatal, 0, "guest fatal error");
        break;
    case A64_STEP_WFI:
        report = format_wfi_report(m_arch);
        end_run(RunEnd::WfiStall, 0, "WFI with no interrupt source");
        break;
    default:   // A64_STEP_HALT, or halted set by a callback
        end_run(RunEnd::Halted, 0, "halted");
        break;
    }
    if (!report.empty() && m_cfg.report)
        std::fputs(report.c_str(), m_cfg.report);
}

template <bool kTrace> void Cpu::run_steps(uint64_t steps)
{
    for (uint64_t i = 0; i < steps; ++i) {
        if constexpr (kTrace)
            m_trace.write(m_arch);
        a64_step_result r = a64_step(&m_arch);
        if (__builtin_expect(r != A64_STEP_OK || m_arch.halted, 0)) {
            on_stop(r);
            return;
        }
    }
}

void Cpu::run()
{
    acquire_ram_dmi();
    if (m_cfg.hold_in_reset)
        wait(m_release);
    m_qk.reset();
    const sc_time::value_type period = m_cfg.clock_period.value();
    m_quantum_cycles = std::max<uint64_t>(1, tlm::tlm_global_quantum::instance().get().value() /
                                                 period);
    // The cheapest instruction class: a batch of (cycles left in the quantum) / min_cost
    // instructions cannot end before the quantum does, so a quantum takes one or two batches.
    uint64_t min_cost = UINT64_MAX;
    for (const TimingClass &c : kTimingClasses)
        min_cost = std::min(min_cost, m_cfg.timing.*c.cost);
    min_cost = std::max<uint64_t>(1, min_cost);

    while (m_outcome.end == RunEnd::Running) {
        if (m_dmi_invalidated)
            acquire_ram_dmi();
        // Run until the local time reaches the quantum (the last instruction, a walk or an HVC
        // may take it past; the next quantum starts there). At most m_quantum_cycles
        // instructions, so that instructions that cost nothing still let time be synchronised.
        uint64_t spent = cycles() - m_cycles_in_qk;
        uint64_t steps_left = m_quantum_cycles;
        while (spent < m_quantum_cycles && steps_left && m_outcome.end == RunEnd::Running) {
            uint64_t steps = std::min(steps_left,
                                      std::max<uint64_t>(1, (m_quantum_cycles - spent) / min_cost));
            if (m_cfg.max_insts) {
                // Steps >= retired instructions, so (limit - retired) steps never overshoot.
                uint64_t done = m_arch.ctr.insts;
                if (done >= m_cfg.max_insts) {
                    end_run(RunEnd::InstLimit, 0, "instruction limit");
                    if (m_cfg.report)
                        std::fputs(format_inst_limit_report(m_arch, m_cfg.max_insts).c_str(),
                                   m_cfg.report);
                    break;
                }
                steps = std::min(steps, m_cfg.max_insts - done);
            }
            if (m_trace.enabled())
                run_steps<true>(steps);
            else
                run_steps<false>(steps);
            steps_left -= steps;
            spent = cycles() - m_cycles_in_qk;
        }
        m_qk.inc(sc_time::from_value(spent * period));
        m_cycles_in_qk += spent;
        if (m_quantum_hook)
            m_quantum_hook();
        if (m_cfg.stop_request && *m_cfg.stop_request)
            end_run(RunEnd::Interrupted, static_cast<int>(*m_cfg.stop_request), "stopped by signal");
        if (m_outcome.end == RunEnd::Running)
            m_qk.sync();
    }
    sc_core::sc_stop();
}

void Cpu::register_stats(StatsRegistry &stats) const
{
    stats.add_counter("cpu.exceptions", &m_arch.ctr.exceptions,
                      "synchronous exceptions taken to EL1");
    // The classes this core can raise are always printed; others only when they occur.
    static const unsigned kAlwaysShown[] = {
        A64_EC_UNKNOWN,    A64_EC_FP_ACCESS, A64_EC_ILLEGAL_STATE, A64_EC_SVC64,
        A64_EC_SYS64,      A64_EC_IABT_LOWER, A64_EC_IABT_SAME,    A64_EC_PC_ALIGN,
        A64_EC_DABT_LOWER, A64_EC_DABT_SAME, A64_EC_SP_ALIGN,      A64_EC_BRK64};
    for (unsigned ec = 0; ec < 64; ++ec) {
        bool always = std::find(std::begin(kAlwaysShown), std::end(kAlwaysShown), ec) !=
                      std::end(kAlwaysShown);
        char name[32], description[96];
        std::snprintf(name, sizeof name, "cpu.exceptions.ec_0x%02x", ec);
        std::snprintf(description, sizeof description, "exceptions with ESR_EL1.EC 0x%02x (%s)",
                      ec, exception_class_name(ec));
        stats.add_counter(name, &m_arch.ctr.exceptions_by_ec[ec], description,
                          always ? StatsRegistry::Show::Always : StatsRegistry::Show::IfNonZero);
    }
    m_sysops.register_stats(stats);

    // Cycles by component (docs/timing.md); with the Mmu's, they add up to sim.cycles.
    for (int c = 0; c < A64_IC_COUNT; ++c) {
        auto cls = static_cast<a64_iclass>(c);
        stats.add_counter(std::string("cpu.cycles.") + kTimingClasses[c].name,
                          std::function<uint64_t()>([this, cls] { return class_cycles(cls); }),
                          std::string("cycles of retired ") + kTimingClasses[c].description);
    }
    stats.add_counter("cpu.cycles.exceptions",
                      std::function<uint64_t()>([this] { return exception_cycles(); }),
                      "cycles of synchronous exception entries");
    stats.add_counter("mmio.cycles", &m_mmio_cycles,
                      "cycles of device accesses through the interconnect (MMIO)");
    stats.add_counter("hvc.cycles", &m_hvc_cycles,
                      "cycles of HVC round trips into the hypervisor");
    stats.add_histogram("hvc.cycles_per_call", &m_hvc_cycles_per_call,
                        "cycles of one HVC round trip into the hypervisor");
    stats.add_counter("cache.maint.cycles", &m_cmo_cycles,
                      "cycles of cache maintenance, per line");
}

} // namespace httusim
