// The Cpu's side of the core's a64_env and of semihost_host: how the core reaches the platform.
#include "cpu.h"

#include <cstring>

namespace httusim {

void Cpu::install_env()
{
    a64_env &env = m_arch.cfg.env;
    env.ctx = this;
    env.phys_read = &Cpu::env_phys_read;
    env.phys_write = &Cpu::env_phys_write;
    env.hvc = &Cpu::env_hvc;
    env.semihost = &Cpu::env_semihost;
    env.sysop = &Cpu::env_sysop;
    env.counter = &Cpu::env_counter;
    env.counter_freq = kCounterFrequency;
    if (m_cfg.events && m_cfg.events->wants(EventTrace::kFault | EventTrace::kException))
        env.event = &Cpu::env_event;

    std::memset(&m_semihost, 0, sizeof m_semihost);
    m_semihost.ctx = this;
    m_semihost.write = &Cpu::host_write;
    m_semihost.exit = &Cpu::host_exit;
    m_semihost.clock_centis = &Cpu::host_clock_centis;
    m_semihost.elapsed_ticks = &Cpu::host_elapsed_ticks;
    m_semihost.tick_freq = kCounterFrequency;
    m_semihost.cmdline = m_cfg.cmdline.c_str();   // m_cfg lives as long as the Cpu
    m_semihost.heap_base = m_cfg.heap_base;
    m_semihost.heap_limit = m_cfg.heap_limit;
    m_semihost.stack_base = m_cfg.stack_base;
    m_semihost.stack_limit = m_cfg.stack_limit;
}

a64_bus_status Cpu::transact(tlm::tlm_command cmd, uint64_t pa, unsigned size, uint64_t *data)
{
    tlm::tlm_generic_payload &t = m_payload;
    t.set_command(cmd);
    t.set_address(pa);
    t.set_data_ptr(reinterpret_cast<unsigned char *>(data));   // little-endian host and guest
    t.set_data_length(size);
    t.set_streaming_width(size);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    m_data->b_transport(t, delay);
    m_mmio_cycles += cycles_of(delay);   // the CPU waits for the device (or Ram without DMI)
    return t.is_response_ok() ? A64_BUS_OK : A64_BUS_ERROR;
}

a64_bus_status Cpu::env_phys_read(void *ctx, uint64_t pa, unsigned size, uint64_t *value)
{
    uint64_t v = 0;
    a64_bus_status s = static_cast<Cpu *>(ctx)->transact(tlm::TLM_READ_COMMAND, pa, size, &v);
    *value = v;
    return s;
}

a64_bus_status Cpu::env_phys_write(void *ctx, uint64_t pa, unsigned size, uint64_t value)
{
    return static_cast<Cpu *>(ctx)->transact(tlm::TLM_WRITE_COMMAND, pa, size, &value);
}

bool Cpu::env_hvc(void *ctx, a64_cpu *cpu, uint16_t imm16)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    if (self->m_hvc.size() == 0)
        return false;
    SmcccRegs regs;
    for (int i = 0; i < SmcccRegs::kArgs; ++i)
        regs.x[i] = cpu->x[i];
    HvcOutcome outcome = self->m_hvc->hvc(imm16, regs);
    if (outcome != HvcOutcome::Undefined) {   // the round trip to EL2 and back (docs/timing.md)
        self->m_hvc_cycles += self->m_cfg.timing.hvc;
        self->m_hvc_cycles_per_call.sample(self->m_cfg.timing.hvc);
    }
    switch (outcome) {
    case HvcOutcome::Undefined:
        return false;
    case HvcOutcome::Answered:
        for (int i = 0; i < SmcccRegs::kResults; ++i)
            cpu->x[i] = regs.x[i];
        return true;
    case HvcOutcome::PowerOff:
        self->end_run(RunEnd::Halted, 0, "PSCI SYSTEM_OFF");
        cpu->halted = true;
        return true;
    case HvcOutcome::Reset:
        if (self->m_cfg.report)
            std::fputs("httusim: PSCI SYSTEM_RESET: reset is not modelled, the run ends "
                       "(exit status 0)\n",
                       self->m_cfg.report);
        self->end_run(RunEnd::Halted, 0, "PSCI SYSTEM_RESET");
        cpu->halted = true;
        return true;
    }
    return false;
}

bool Cpu::env_semihost(void *ctx, a64_cpu *cpu)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    if (!self->m_cfg.semihosting)
        return false;
    semihost_call(cpu, &self->m_semihost);
    return true;
}

void Cpu::env_sysop(void *ctx, a64_cpu *cpu, const a64_sysop *op)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    const uint64_t bytes_before = self->m_sysops.bytes();
    self->m_sysops.count(*op);
    // Each line maintained costs lat-cmo-line (DC/IC by VA or set/way, DC ZVA: one line each).
    self->m_cmo_cycles += (self->m_sysops.bytes() - bytes_before) / SysopCounters::kLineBytes *
                          self->m_cfg.timing.cmo_line;
    if (EventTrace *t = self->m_cfg.events) {
        const char *name = SysopCounters::name_of(*op);
        bool is_tlbi = op->tlbi != nullptr;
        if (name && t->wants(is_tlbi ? EventTrace::kTlbi : EventTrace::kCmo)) {
            if (is_tlbi)
                t->tlbi(t->now(), *op->tlbi, op->value);
            else
                t->cmo(t->now(), op->op, name, op->value, op->pa);
        }
    }
    // A TLBI: the core has dropped its L1 entries (with the ASID width of its current TCR_EL1,
    // decoded before it routed the operation out); the Mmu drops L2 and walk-cache entries.
    if (self->m_mmu.size() && cpu->cfg.mmu && op->tlbi)
        self->m_mmu->tlbi(*op->tlbi);
}

bool Cpu::env_translate(void *ctx, a64_cpu *cpu, const vmsa_params *params, uint64_t va,
                        const vmsa_access *acc, unsigned flags, vmsa_result *result,
                        a64_fault *fault)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    bool ok = self->m_mmu->translate(*cpu, *params, va, *acc, flags, *result, *fault, delay);
    // The CPU waits for the translation: L2 TLB and walk-cache lookups, the walk's reads and CAS.
    self->m_translate_cycles += self->cycles_of(delay);
    return ok;
}

void Cpu::env_event(void *ctx, const a64_event *e)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    EventTrace &t = *self->m_cfg.events;
    if (e->kind == A64_EVENT_FAULT) {
        if (t.wants(EventTrace::kFault))
            t.fault(t.now(), *e->fault, e->esr);
    } else if (t.wants(EventTrace::kException)) {
        t.exception(t.now(), *e);
    }
}

uint64_t Cpu::env_counter(void *ctx)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    return self->now().value() / self->m_counter_period;
}

void Cpu::host_write(void *ctx, int fd, const char *buf, size_t len)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    std::FILE *out = fd == 2 ? self->m_cfg.console_err : self->m_cfg.console_out;
    if (out)
        std::fwrite(buf, 1, len, out);
}

void Cpu::host_exit(void *ctx, int status)
{
    static_cast<Cpu *>(ctx)->end_run(RunEnd::Halted, status, "semihosting SYS_EXIT");
}

uint64_t Cpu::host_clock_centis(void *ctx)
{
    Cpu *self = static_cast<Cpu *>(ctx);
    return self->now().value() / self->m_centisecond;
}

uint64_t Cpu::host_elapsed_ticks(void *ctx)
{
    return env_counter(ctx);
}

} // namespace httusim
