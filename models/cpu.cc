#include "cpu.h"

#include "a64/sysreg_bits.h"

#include "cpu_timing.h"
#include "fatal_report.h"

#include <algorithm>
#include <cstring>

namespace httusim {

using sc_core::sc_time;

Cpu::Cpu(sc_core::sc_module_name name, const CpuConfig &config)
    : sc_module(name), m_data("data"), m_hvc("hvc"), m_mmu("mmu"), m_cfg(config),
      m_trace(config.reg_trace)
{
    std::memset(&m_arch, 0, sizeof m_arch);
    install_env();
    // a64_cpu_reset keeps the environment, the RAM window, the loop limit and HAFDBS.
    m_arch.fault_loop_limit = m_cfg.fault_loop_limit;
    m_arch.sys.id_aa64mmfr1_el1 =
        (uint64_t{m_cfg.hafdbs} << ID_AA64MMFR1_HAFDBS_SHIFT) & ID_AA64MMFR1_HAFDBS_MASK;
    a64_cpu_reset(&m_arch, m_cfg.entry);

    m_counter_period = sc_time(1e9 / kCounterFrequency, sc_core::SC_NS).value();
    m_centisecond = sc_time(10, sc_core::SC_MS).value();

    m_data.register_invalidate_direct_mem_ptr(this, &Cpu::invalidate_direct_mem_ptr);
    SC_THREAD(run);
}

void Cpu::end_of_elaboration()
{
    if (m_mmu.size() == 0)
        return;
    m_arch.mmu = m_mmu->core_state();
    m_arch.env.translate = &Cpu::env_translate;
    a64_mmu_reset(m_arch.mmu);
}

void Cpu::acquire_ram_dmi()
{
    m_dmi_invalidated = false;
    m_arch.ram = a64_ram_window{nullptr, 0, 0};
    tlm::tlm_generic_payload trans;
    tlm::tlm_dmi dmi;
    trans.set_command(tlm::TLM_READ_COMMAND);
    trans.set_address(m_cfg.ram_base);
    if (!m_data->get_direct_mem_ptr(trans, dmi) || !dmi.is_read_write_allowed())
        return;   // no DMI: every RAM access goes through phys_read/phys_write (slow, correct)
    uint64_t start = dmi.get_start_address(), end = dmi.get_end_address();
    if (m_cfg.ram_base < start || m_cfg.ram_base > end)
        return;
    m_arch.ram = a64_ram_window{dmi.get_dmi_ptr(), start, end - start + 1};
}

void Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    const a64_ram_window &w = m_arch.ram;
    if (w.host && start <= w.base + w.size - 1 && end >= w.base) {
        m_arch.ram = a64_ram_window{nullptr, 0, 0};
        m_dmi_invalidated = true;   // asked again at the next quantum boundary
    }
}

void Cpu::charge(const sc_time &delay)
{
    sc_time::value_type period = m_cfg.clock_period.value();
    m_cycles += (delay.value() + period - 1) / period;
}

sc_time Cpu::now() const
{
    return sc_core::sc_time_stamp() + m_qk.get_local_time() +
           sc_time::from_value((m_cycles - m_cycles_in_qk) * m_cfg.clock_period.value());
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
        m_cycles += kCyclesPerInstruction;
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
    const uint64_t quantum_steps = std::max<uint64_t>(1, m_quantum_cycles / kCyclesPerInstruction);

    while (m_outcome.end == RunEnd::Running) {
        if (m_dmi_invalidated)
            acquire_ram_dmi();
        uint64_t steps = quantum_steps;
        if (m_cfg.max_insts) {
            // Steps >= retired instructions, so a batch of (limit - retired) never overshoots.
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
        m_qk.inc(sc_time::from_value((m_cycles - m_cycles_in_qk) * period));
        m_cycles_in_qk = m_cycles;
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
    static const unsigned kAlwaysShown[] = {0x00, 0x07, 0x0e, 0x15, 0x18, 0x20,
                                            0x21, 0x22, 0x24, 0x25, 0x26, 0x3c};
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
}

} // namespace httusim
