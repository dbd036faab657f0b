#include "hypervisor.h"

#include "smccc.h"

namespace httusim {

namespace {

struct CallInfo {
    uint32_t id;
    const char *name;
    bool psci;     // a PSCI call: the only kind QEMU 7.2 virt without EL2 answers (psci mode)
    const char *description;
};

// Indexed by Hypervisor::Call.
constexpr CallInfo kCalls[Hypervisor::kCallCount] = {
    {smccc::kPsciVersion, "PSCI_VERSION", true, "PSCI_VERSION calls"},
    {smccc::kPsciSystemOff, "PSCI_SYSTEM_OFF", true, "PSCI SYSTEM_OFF calls (end the run)"},
    {smccc::kPsciSystemReset, "PSCI_SYSTEM_RESET", true, "PSCI SYSTEM_RESET calls (end the run)"},
    {smccc::kSmcccVersion, "SMCCC_VERSION", false, "SMCCC_VERSION calls"},
    {smccc::kSmcccArchFeatures, "SMCCC_ARCH_FEATURES", false, "SMCCC_ARCH_FEATURES calls"},
    {smccc::kKvmUid, "KVM_UID", false, "KVM vendor hypervisor UID calls"},
    {smccc::kKvmFeatures, "KVM_FEATURES", false, "KVM vendor FEATURES calls"},
    {smccc::kHypMeminfo, "HYP_MEMINFO", false, "pKVM HYP_MEMINFO calls"},
    {smccc::kMemShare, "MEM_SHARE", false, "pKVM MEM_SHARE calls"},
    {smccc::kMemUnshare, "MEM_UNSHARE", false, "pKVM MEM_UNSHARE calls"},
    {smccc::kMmioGuardInfo, "MMIO_GUARD_INFO", false, "pKVM MMIO_GUARD_INFO calls"},
    {smccc::kMmioGuardEnroll, "MMIO_GUARD_ENROLL", false, "pKVM MMIO_GUARD_ENROLL calls"},
    {smccc::kMmioGuardMap, "MMIO_GUARD_MAP", false, "pKVM MMIO_GUARD_MAP calls"},
    {smccc::kMmioGuardUnmap, "MMIO_GUARD_UNMAP", false, "pKVM MMIO_GUARD_UNMAP calls"},
};

} // namespace

bool parse_hypervisor_mode(const std::string &text, HypervisorMode &mode)
{
    if (text == "pkvm")
        mode = HypervisorMode::Pkvm;
    else if (text == "psci")
        mode = HypervisorMode::Psci;
    else if (text == "none")
        mode = HypervisorMode::None;
    else
        return false;
    return true;
}

const char *hypervisor_mode_name(HypervisorMode mode)
{
    switch (mode) {
    case HypervisorMode::Pkvm: return "pkvm";
    case HypervisorMode::Psci: return "psci";
    case HypervisorMode::None: return "none";
    }
    return "?";
}

Hypervisor::Hypervisor(sc_core::sc_module_name name, const HypervisorConfig &config)
    : sc_module(name), m_cfg(config)
{
}

int Hypervisor::find_call(uint32_t function_id)
{
    for (int i = 0; i < kCallCount; ++i)
        if (kCalls[i].id == function_id)
            return i;
    return -1;
}

bool Hypervisor::answers(int call) const
{
    return call >= 0 && (m_cfg.mode == HypervisorMode::Pkvm || kCalls[call].psci);
}

uint64_t Hypervisor::kvm_features_bitmap()
{
    uint64_t bits = 0;
    for (const CallInfo &c : kCalls)
        // SMCCC 1.1 section 2.5: owner FID[29:24] = 6 is the vendor-specific hypervisor service.
        if (((c.id >> 24) & 0x3f) == 6 && c.id != smccc::kKvmUid)
            bits |= uint64_t{1} << (c.id & 0xffff);   // function number = FID[15:0]
    return bits;
}

bool Hypervisor::is_device_page(uint64_t ipa) const
{
    for (const AddressRange &r : m_cfg.device_regions)
        if (r.contains(ipa, smccc::kGranule))
            return true;
    return false;
}

void Hypervisor::mem_share(SmcccRegs &regs) const
{
    uint64_t ipa = regs.x[1];
    uint64_t granules = regs.x[2] ? regs.x[2] : 1;
    bool aligned = (ipa & (smccc::kGranule - 1)) == 0;
    bool in_ram = granules <= m_cfg.ram.size / smccc::kGranule &&
                  m_cfg.ram.contains(ipa, granules * smccc::kGranule);
    if (!aligned || !in_ram) {
        regs.x[0] = smccc::kInvalidParameter;
        return;
    }
    regs.x[0] = smccc::kSuccess;
    regs.x[1] = granules;
}

// MMIO_GUARD_MAP and MMIO_GUARD_UNMAP: a granule-aligned device page succeeds. The guard is not
// enforced (no MMIO access depends on it), so no set of guarded pages is kept.
void Hypervisor::mmio_guard_map(SmcccRegs &regs) const
{
    uint64_t ipa = regs.x[1];
    if ((ipa & (smccc::kGranule - 1)) != 0 || !is_device_page(ipa)) {
        regs.x[0] = smccc::kInvalidParameter;
        return;
    }
    regs.x[0] = smccc::kSuccess;
}

HvcOutcome Hypervisor::hvc(uint16_t imm16, SmcccRegs &regs)
{
    EventTrace *t = m_cfg.events;
    if (!t || !t->wants(EventTrace::kHvc))
        return answer(imm16, regs);
    const uint64_t args[4] = {regs.x[0], regs.x[1], regs.x[2], regs.x[3]};
    HvcOutcome outcome = answer(imm16, regs);
    if (outcome != HvcOutcome::Undefined) {
        int call = imm16 == 0 ? find_call(static_cast<uint32_t>(args[0])) : -1;
        t->hvc(t->now(), imm16, call >= 0 ? kCalls[call].name : nullptr, args, regs.x,
               outcome == HvcOutcome::Answered);
    }
    return outcome;
}

HvcOutcome Hypervisor::answer(uint16_t imm16, SmcccRegs &regs)
{
    if (m_cfg.mode == HypervisorMode::None)
        return HvcOutcome::Undefined;
    ++m_calls;
    // SMCCC 1.1 section 2.5: the immediate of an SMCCC call is 0; KVM answers any other with -1.
    int call = imm16 == 0 ? find_call(static_cast<uint32_t>(regs.x[0])) : -1;
    if (call < 0) {
        ++m_unknown;
        regs.x[0] = smccc::kNotSupported;
        return HvcOutcome::Answered;
    }
    ++m_count[call];
    if (!answers(call)) {
        regs.x[0] = smccc::kNotSupported;
        return HvcOutcome::Answered;
    }
    switch (call) {
    case PSCI_VERSION:
        regs.x[0] = smccc::kPsciVersion1_1;
        break;
    case PSCI_SYSTEM_OFF:
        return HvcOutcome::PowerOff;
    case PSCI_SYSTEM_RESET:
        return HvcOutcome::Reset;
    case SMCCC_VERSION:
        regs.x[0] = smccc::kSmcccVersion1_1;
        break;
    case SMCCC_ARCH_FEATURES:
        regs.x[0] = answers(find_call(static_cast<uint32_t>(regs.x[1]))) ? smccc::kSuccess
                                                                          : smccc::kNotSupported;
        break;
    case KVM_UID:
        for (int i = 0; i < 4; ++i)
            regs.x[i] = smccc::kKvmUidWords[i];
        break;
    case KVM_FEATURES:
        regs.x[0] = kvm_features_bitmap();
        regs.x[1] = regs.x[2] = regs.x[3] = 0;
        break;
    case HYP_MEMINFO:
    case MMIO_GUARD_INFO:
        regs.x[0] = smccc::kGranule;
        break;
    case MEM_SHARE:
    case MEM_UNSHARE:
        mem_share(regs);
        break;
    case MMIO_GUARD_ENROLL:
        regs.x[0] = smccc::kSuccess;
        break;
    case MMIO_GUARD_MAP:
    case MMIO_GUARD_UNMAP:
        mmio_guard_map(regs);
        break;
    }
    return HvcOutcome::Answered;
}

void Hypervisor::register_stats(StatsRegistry &stats, const std::string &prefix) const
{
    stats.add_counter(prefix + ".calls", &m_calls, "HVC calls answered by the hypervisor");
    stats.add_counter(prefix + ".unknown", &m_unknown,
                      "HVC calls with an unknown function ID (answered NOT_SUPPORTED)");
    for (int i = 0; i < kCallCount; ++i)
        stats.add_counter(prefix + "." + kCalls[i].name, &m_count[i], kCalls[i].description);
}

} // namespace httusim
