#include "fatal_report.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace httusim {

namespace {

void append(std::string &s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void append(std::string &s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s += buf;
}

const char *fatal_kind_text(a64_fatal_kind kind)
{
    switch (kind) {
    case A64_FATAL_NO_VECTORS:
        return "exception taken with no vector table (VBAR_EL1 points at no memory)";
    case A64_FATAL_FAULT_LOOP:
        return "fault loop (the same exception repeated without progress)";
    case A64_FATAL_NONE:
        break;
    }
    return "unknown fatal state";
}

} // namespace

const char *exception_class_name(unsigned ec)
{
    switch (ec) {
    case A64_EC_UNKNOWN: return "Unknown reason (UNDEFINED instruction)";
    case A64_EC_WFX: return "trapped WFI/WFE";
    case A64_EC_FP_ACCESS: return "FP/SIMD access trapped (CPACR_EL1.FPEN)";
    case A64_EC_ILLEGAL_STATE: return "Illegal Execution state";
    case A64_EC_SVC64: return "SVC from AArch64";
    case A64_EC_HVC64: return "HVC from AArch64";
    case A64_EC_SMC64: return "SMC from AArch64";
    case A64_EC_SYS64: return "trapped MSR/MRS/system instruction";
    case A64_EC_IABT_LOWER: return "Instruction Abort from a lower EL";
    case A64_EC_IABT_SAME: return "Instruction Abort, same EL";
    case A64_EC_PC_ALIGN: return "PC alignment fault";
    case A64_EC_DABT_LOWER: return "Data Abort from a lower EL";
    case A64_EC_DABT_SAME: return "Data Abort, same EL";
    case A64_EC_SP_ALIGN: return "SP alignment fault";
    case A64_EC_BRK64: return "BRK from AArch64";
    default: return "other";
    }
}

std::string format_fatal_report(const a64_cpu &cpu)
{
    const a64_fatal_report &f = cpu.fatal;
    unsigned ec = f.esr >> 26;
    std::string s;
    append(s, "httusim: guest fatal error: %s\n", fatal_kind_text(f.kind));
    append(s, "  PC       0x%016" PRIx64 "\n", f.pc);
    if (f.insn_valid)
        append(s, "  insn     0x%08" PRIx32 "\n", f.insn);
    else
        append(s, "  insn     (not readable at PC)\n");
    append(s, "  ESR      0x%08" PRIx32 " (EC 0x%02x: %s)\n", f.esr, ec, exception_class_name(ec));
    append(s, "  FAR      0x%016" PRIx64 "\n", f.far);
    append(s, "  repeats  %u\n", f.repeats);
    append(s, "  VBAR_EL1 0x%016" PRIx64 "\n", cpu.sys.vbar_el1);
    return s;
}

std::string format_wfi_report(const a64_cpu &cpu)
{
    std::string s;
    append(s,
           "httusim: guest fatal error: WFI/WFE with no interrupt source (no interrupt "
           "controller or timer interrupt is modelled), stopping; next PC=0x%016" PRIx64 "\n",
           cpu.pc);
    return s;
}

std::string format_inst_limit_report(const a64_cpu &cpu, uint64_t limit)
{
    std::string s;
    append(s,
           "httusim: instruction limit reached: %" PRIu64 " instructions (--max-insts), "
           "next PC=0x%016" PRIx64 "\n",
           limit, cpu.pc);
    return s;
}

} // namespace httusim
