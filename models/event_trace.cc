#include "event_trace.h"

extern "C" {
#include "vmsa/tlbi.h"
#include "vmsa/walk.h"
}

#include <cinttypes>
#include <cstdarg>

namespace httusim {

namespace {

constexpr const char *kNames[] = {"walk", "fault", "hw_update", "hvc", "tlbi", "cmo", "exception"};
constexpr unsigned kNameCount = sizeof kNames / sizeof kNames[0];
static_assert((1u << kNameCount) - 1 == EventTrace::kAll, "one name per event class");

const char *access_name(vmsa_acc_type t)
{
    switch (t) {
    case VMSA_ACC_READ: return "read";
    case VMSA_ACC_WRITE: return "write";
    case VMSA_ACC_RMW: return "rmw";
    case VMSA_ACC_FETCH: return "fetch";
    case VMSA_ACC_DC_CLEAN: return "dc_clean";
    case VMSA_ACC_DC_INVAL: return "dc_inval";
    case VMSA_ACC_DC_ZVA: return "dc_zva";
    case VMSA_ACC_IC_INVAL: return "ic_inval";
    case VMSA_ACC_AT_READ: return "at_read";
    case VMSA_ACC_AT_WRITE: return "at_write";
    }
    return "?";
}

// The kind of a fault, and whether the low bits of its status code are a lookup level. An MMU
// fault is named by the vmsa rule it keeps; the CPU's own aborts (no rule) by their status code.
const char *fault_kind(const a64_fault &f, bool &has_level)
{
    if (f.rule != VMSA_RULE_NONE) {
        vmsa_fault_kind kind = vmsa_rule_kind(static_cast<vmsa_rule>(f.rule));
        has_level = kind != VMSA_FAULT_ALIGNMENT;
        return vmsa_fault_kind_name(kind);
    }
    has_level = true;
    switch (f.fsc & 0x3c) {
    case A64_FSC_ADDR_SIZE: return "address_size";   // stage 1 disabled: PA size check
    case A64_FSC_SYNC_EXTERNAL_WALK: return "external_walk";
    default: break;
    }
    has_level = false;
    if (f.fsc == A64_FSC_ALIGNMENT)
        return "alignment";
    if (f.fsc == A64_FSC_SYNC_EXTERNAL)
        return "external";
    return "other";
}

// SMCCC return values are signed: small ones (0, -1 NOT_SUPPORTED, -3 INVALID_PARAMETER) in
// decimal, anything else in hexadecimal.
void format_ret(char *buf, size_t size, uint64_t x0)
{
    int64_t s = static_cast<int64_t>(x0);
    if (s >= -4096 && s <= 4096)
        std::snprintf(buf, size, "%" PRId64, s);
    else
        std::snprintf(buf, size, "0x%" PRIx64, x0);
}

} // namespace

const char *trace_event_names()
{
    return "walk,fault,hw_update,hvc,tlbi,cmo,exception";
}

bool parse_trace_events(const std::string &list, unsigned &mask, std::string &error)
{
    unsigned m = 0;
    size_t begin = 0;
    if (list.empty()) {
        error = "empty event list (expected some of " + std::string(trace_event_names()) + ")";
        return false;
    }
    while (begin <= list.size()) {
        size_t end = list.find(',', begin);
        if (end == std::string::npos)
            end = list.size();
        std::string name = list.substr(begin, end - begin);
        unsigned bit = 0;
        if (name == "all")
            bit = EventTrace::kAll;
        for (unsigned i = 0; i < kNameCount && !bit; ++i)
            if (name == kNames[i])
                bit = 1u << i;
        if (!bit) {
            error = "unknown event '" + name + "' (expected some of " +
                    std::string(trace_event_names()) + ", or all)";
            return false;
        }
        m |= bit;
        begin = end + 1;
    }
    mask = m;
    return true;
}

void EventTrace::line(uint64_t cycle, const char *event, const char *fmt, ...)
{
    std::fprintf(out, "%" PRIu64 " %s ", cycle, event);
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(out, fmt, ap);
    va_end(ap);
    std::fputc('\n', out);
}

void EventTrace::walk(uint64_t cycle, const vmsa_walk &w, WalkEnd end, int level)
{
    const char *acc = access_name(w.acc.type);
    if (end == WalkEnd::Done) {
        line(cycle, "walk", "va=0x%" PRIx64 " s=1 acc=%s levels=%u result=ok pa=0x%" PRIx64
             " level=%d", w.va, acc, w.reads, w.result.pa, w.result.level);
    } else if (end == WalkEnd::Fault) {
        line(cycle, "walk", "va=0x%" PRIx64 " s=1 acc=%s levels=%u result=fault kind=%s level=%d"
             " rule=%s", w.va, acc, w.reads, vmsa_fault_kind_name(w.fault.kind), w.fault.level,
             vmsa_rule_name(w.fault.rule));
    } else {
        line(cycle, "walk", "va=0x%" PRIx64 " s=1 acc=%s levels=%u result=fault kind=external_walk"
             " level=%d", w.va, acc, w.reads, level);
    }
}

void EventTrace::hw_update(uint64_t cycle, uint64_t va, uint64_t desc_pa, uint64_t old_desc,
                           uint64_t new_desc, uint64_t observed)
{
    if (observed != old_desc) {
        line(cycle, "hw_update", "kind=cas_retry va=0x%" PRIx64 " desc_pa=0x%" PRIx64
             " old=0x%016" PRIx64 " new=0x%016" PRIx64 " found=0x%016" PRIx64, va, desc_pa,
             old_desc, new_desc, observed);
        return;
    }
    vmsa_hw_change c = vmsa_hw_update_change(old_desc, new_desc);
    const char *kind = c.af && c.dirty ? "af+dirty" : c.af ? "af" : c.dirty ? "dirty" : "other";
    line(cycle, "hw_update", "kind=%s va=0x%" PRIx64 " desc_pa=0x%" PRIx64 " old=0x%016" PRIx64
         " new=0x%016" PRIx64, kind, va, desc_pa, old_desc, new_desc);
}

void EventTrace::fault(uint64_t cycle, const a64_fault &f, uint32_t esr)
{
    bool has_level;
    const char *kind = fault_kind(f, has_level);
    const char *abort = f.fetch ? "insn" : "data";
    if (has_level)
        line(cycle, "fault", "kind=%s level=%u abort=%s va=0x%" PRIx64 " esr=0x%08" PRIx32, kind,
             f.fsc & 3u, abort, f.va, esr);
    else
        line(cycle, "fault", "kind=%s abort=%s va=0x%" PRIx64 " esr=0x%08" PRIx32, kind, abort,
             f.va, esr);
}

void EventTrace::exception(uint64_t cycle, const a64_event &e)
{
    if (e.far_valid)
        line(cycle, "exception", "ec=0x%02" PRIx32 " esr=0x%08" PRIx32 " elr=0x%" PRIx64
             " far=0x%" PRIx64 " from=el%u vector=0x%" PRIx64, e.esr >> 26, e.esr, e.elr, e.far,
             e.from_el, e.vector);
    else
        line(cycle, "exception", "ec=0x%02" PRIx32 " esr=0x%08" PRIx32 " elr=0x%" PRIx64
             " from=el%u vector=0x%" PRIx64, e.esr >> 26, e.esr, e.elr, e.from_el, e.vector);
}

void EventTrace::hvc(uint64_t cycle, uint16_t imm16, const char *name, const uint64_t args[4],
                     const uint64_t results[4], bool returns)
{
    char ret[32] = "none";
    if (returns)
        format_ret(ret, sizeof ret, results[0]);
    const char *fn = name ? name : "unknown";
    if (imm16 != 0)
        line(cycle, "hvc", "fn=%s imm=0x%x fid=0x%08" PRIx32 " ret=%s", fn, imm16,
             static_cast<uint32_t>(args[0]), ret);
    else
        line(cycle, "hvc", "fn=%s fid=0x%08" PRIx32 " args=0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64
             " ret=%s", fn, static_cast<uint32_t>(args[0]), args[1], args[2], args[3], ret);
}

void EventTrace::tlbi(uint64_t cycle, const vmsa_tlbi &op, uint64_t value)
{
    // Operands (ARM ARM C5.5): by VA, VA[55:12] in Xt[43:0] and the ASID in Xt[63:48] (the
    // "all ASID" forms ignore it); ASIDE1, the ASID in Xt[63:48]; VMALLE1, none. Printed as Xt
    // gives them (not sign-extended, the whole ASID field).
    const char *name = vmsa_tlbi_name(&op);
    uint64_t va = (value & ((uint64_t{1} << 44) - 1)) << 12;
    unsigned asid = static_cast<unsigned>(value >> 48);
    if (op.op == VMSA_TLBI_VMALLE1)
        line(cycle, "tlbi", "op=%s", name);
    else if (op.op == VMSA_TLBI_ASIDE1)
        line(cycle, "tlbi", "op=%s operand=0x%" PRIx64 " asid=%u", name, value, asid);
    else if (vmsa_tlbi_any_asid(op.op))   // VAAE1, VAALE1
        line(cycle, "tlbi", "op=%s operand=0x%" PRIx64 " va=0x%" PRIx64, name, value, va);
    else   // VAE1, VALE1
        line(cycle, "tlbi", "op=%s operand=0x%" PRIx64 " va=0x%" PRIx64 " asid=%u", name, value,
             va, asid);
}

void EventTrace::cmo(uint64_t cycle, uint32_t op, const char *name, uint64_t value, uint64_t pa)
{
    switch (op) {
    case A64_SYSOP_IC_IALLU: case A64_SYSOP_IC_IALLUIS:
        line(cycle, "cmo", "op=%s", name);
        break;
    case A64_SYSOP_DC_ISW: case A64_SYSOP_DC_CSW: case A64_SYSOP_DC_CISW:
        line(cycle, "cmo", "op=%s operand=0x%" PRIx64, name, value);
        break;
    default:   // by VA: the VA and the PA it translated to
        line(cycle, "cmo", "op=%s va=0x%" PRIx64 " pa=0x%" PRIx64, name, value, pa);
        break;
    }
}

} // namespace httusim
