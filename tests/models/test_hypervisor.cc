// Hypervisor testbench: the SMCCC calls of DESIGN.md section 3 / docs/hypervisor-abi.md, called
// directly through HypervisorIf. Expected values come from those tables and the specifications
// they cite (PSCI 1.1 = 0x10001, SMCCC 1.1 = 0x10001, NOT_SUPPORTED = -1,
// INVALID_PARAMETER = -3, the KVM UID words, 4 KiB granules).
#include "hypervisor.h"
#include "platform_map.h"
#include "stats_registry.h"

#include <gtest/gtest.h>

using namespace httusim;

namespace {

constexpr uint64_t kNotSupported = ~uint64_t{0};        // -1
constexpr uint64_t kInvalidParameter = ~uint64_t{0} - 2; // -3
constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 128ull << 20;

HypervisorConfig config(HypervisorMode mode)
{
    HypervisorConfig c;
    c.mode = mode;
    c.ram = {kRamBase, kRamSize};
    c.device_regions = {platform_map::kUart, platform_map::kVirtio, platform_map::kPcieMmio};
    return c;
}

struct Call {
    HvcOutcome outcome;
    SmcccRegs regs;
};

Call call(Hypervisor &h, uint64_t fid, uint64_t x1 = 0, uint64_t x2 = 0, uint16_t imm = 0)
{
    Call c;
    c.regs.x[0] = fid;
    c.regs.x[1] = x1;
    c.regs.x[2] = x2;
    c.outcome = h.hvc(imm, c.regs);
    return c;
}

} // namespace

TEST(HypervisorTest, PsciAndSmcccVersionsAre1_1)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    Call v = call(h, 0x84000000);
    EXPECT_EQ(v.outcome, HvcOutcome::Answered);
    EXPECT_EQ(v.regs.x[0], 0x10001u);
    EXPECT_EQ(call(h, 0x80000000).regs.x[0], 0x10001u);
    EXPECT_EQ(h.count(Hypervisor::PSCI_VERSION), 1u);
    EXPECT_EQ(h.count(Hypervisor::SMCCC_VERSION), 1u);
    EXPECT_EQ(h.calls(), 2u);
}

TEST(HypervisorTest, SystemOffAndResetEndTheRun)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0x84000008).outcome, HvcOutcome::PowerOff);
    EXPECT_EQ(call(h, 0x84000009).outcome, HvcOutcome::Reset);
    EXPECT_EQ(h.count(Hypervisor::PSCI_SYSTEM_OFF), 1u);
    EXPECT_EQ(h.count(Hypervisor::PSCI_SYSTEM_RESET), 1u);
}

TEST(HypervisorTest, KvmVendorUidWords)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    Call c = call(h, 0x8600ff01);
    EXPECT_EQ(c.regs.x[0], 0xb66fb428u);
    EXPECT_EQ(c.regs.x[1], 0xe911c52eu);
    EXPECT_EQ(c.regs.x[2], 0x564bcaa9u);
    EXPECT_EQ(c.regs.x[3], 0x743a004du);
}

TEST(HypervisorTest, KvmFeaturesAdvertiseTheVendorCalls)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    Call c = call(h, 0x86000000, 7, 7);
    // bit n = vendor function n: FEATURES (0), HYP_MEMINFO (2), MEM_SHARE (3), MEM_UNSHARE (4),
    // MMIO_GUARD_INFO (5), ENROLL (6), MAP (7), UNMAP (8).
    EXPECT_EQ(c.regs.x[0], (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                               (1u << 7) | (1u << 8));
    EXPECT_EQ(c.regs.x[1], 0u);
    EXPECT_EQ(c.regs.x[2], 0u);
    EXPECT_EQ(c.regs.x[3], 0u);
}

TEST(HypervisorTest, MeminfoAndGuardInfoReturnThe4KiBGranule)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0xc6000002).regs.x[0], 4096u);
    EXPECT_EQ(call(h, 0xc6000005).regs.x[0], 4096u);
}

TEST(HypervisorTest, MemShareOfRamReturnsTheGranulesDone)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    Call one = call(h, 0xc6000003, kRamBase + 0x5000, 0);   // 0 granules means 1
    EXPECT_EQ(one.regs.x[0], 0u);
    EXPECT_EQ(one.regs.x[1], 1u);
    Call four = call(h, 0xc6000004, kRamBase + 0x5000, 4);
    EXPECT_EQ(four.regs.x[0], 0u);
    EXPECT_EQ(four.regs.x[1], 4u);
    Call last = call(h, 0xc6000003, kRamBase + kRamSize - 4096, 1);
    EXPECT_EQ(last.regs.x[0], 0u);
    EXPECT_EQ(h.count(Hypervisor::MEM_SHARE), 2u);
    EXPECT_EQ(h.count(Hypervisor::MEM_UNSHARE), 1u);
}

TEST(HypervisorTest, MemShareRejectsUnalignedOrNonRamAddresses)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0xc6000003, kRamBase + 0x10).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000003, 0x09000000).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000003, kRamBase + kRamSize).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000003, kRamBase + kRamSize - 4096, 2).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000004, kRamBase - 4096).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000003, kRamBase, ~uint64_t{0}).regs.x[0], kInvalidParameter);
}

TEST(HypervisorTest, MmioGuardAcceptsDevicePages)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0xc6000006).regs.x[0], 0u);
    EXPECT_EQ(call(h, 0xc6000007, 0x09000000).regs.x[0], 0u);   // UART
    EXPECT_EQ(call(h, 0xc6000007, 0x0a001000).regs.x[0], 0u);   // virtio transports 8..15
    EXPECT_EQ(call(h, 0xc6000007, 0x10000000).regs.x[0], 0u);   // PCIe window
    EXPECT_EQ(call(h, 0xc6000008, 0x0a001000).regs.x[0], 0u);
    EXPECT_EQ(h.count(Hypervisor::MMIO_GUARD_MAP), 3u);
    EXPECT_EQ(h.count(Hypervisor::MMIO_GUARD_UNMAP), 1u);
}

TEST(HypervisorTest, MmioGuardMapRejectsRamAndUnalignedAddresses)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0xc6000007, kRamBase).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000007, 0x09000018).regs.x[0], kInvalidParameter);
    EXPECT_EQ(call(h, 0xc6000007, 0x08000000).regs.x[0], kInvalidParameter);   // no device
    EXPECT_EQ(call(h, 0xc6000008, kRamBase).regs.x[0], kInvalidParameter);
}

TEST(HypervisorTest, ArchFeaturesReportsWhatThisModeAnswers)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    EXPECT_EQ(call(h, 0x80000001, 0x84000000).regs.x[0], 0u);
    EXPECT_EQ(call(h, 0x80000001, 0xc6000007).regs.x[0], 0u);
    EXPECT_EQ(call(h, 0x80000001, 0x12345678).regs.x[0], kNotSupported);
    // psci mode does not answer SMCCC_ARCH_FEATURES at all (QEMU 7.2 virt without EL2).
    Hypervisor p("psci", config(HypervisorMode::Psci));
    EXPECT_EQ(call(p, 0x80000001, 0x84000008).regs.x[0], kNotSupported);
}

TEST(HypervisorTest, UnknownFunctionIdIsNotSupportedAndCounted)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    Call c = call(h, 0xc6000042);
    EXPECT_EQ(c.outcome, HvcOutcome::Answered);
    EXPECT_EQ(c.regs.x[0], kNotSupported);
    Call imm = call(h, 0x84000000, 0, 0, 1);   // HVC #1: not an SMCCC call
    EXPECT_EQ(imm.regs.x[0], kNotSupported);
    EXPECT_EQ(h.unknown(), 2u);
    EXPECT_EQ(h.calls(), 2u);
}

// QEMU 7.2 -M virt without EL2 answers PSCI calls and returns NOT_SUPPORTED for everything
// else, SMCCC_VERSION included (observed by firmware/demo.c under QEMU).
TEST(HypervisorTest, PsciModeAnswersOnlyPsci)
{
    Hypervisor h("hyp", config(HypervisorMode::Psci));
    EXPECT_EQ(call(h, 0x84000000).regs.x[0], 0x10001u);
    EXPECT_EQ(call(h, 0x80000000).regs.x[0], kNotSupported);
    EXPECT_EQ(call(h, 0x8600ff01).regs.x[0], kNotSupported);
    EXPECT_EQ(call(h, 0xc6000007, 0x09000000).regs.x[0], kNotSupported);
    EXPECT_EQ(call(h, 0xc6000003, kRamBase).regs.x[0], kNotSupported);
    EXPECT_EQ(call(h, 0x84000008).outcome, HvcOutcome::PowerOff);
}

TEST(HypervisorTest, NoneModeMakesHvcUndefined)
{
    Hypervisor h("hyp", config(HypervisorMode::None));
    EXPECT_EQ(call(h, 0x84000000).outcome, HvcOutcome::Undefined);
    EXPECT_EQ(call(h, 0x84000008).outcome, HvcOutcome::Undefined);
    EXPECT_EQ(h.calls(), 0u);
}

TEST(HypervisorTest, RegistersEveryCounterOfDesignSection4)
{
    Hypervisor h("hyp", config(HypervisorMode::Pkvm));
    StatsRegistry stats;
    h.register_stats(stats);
    for (const char *name :
         {"hvc.calls", "hvc.PSCI_VERSION", "hvc.PSCI_SYSTEM_OFF", "hvc.PSCI_SYSTEM_RESET",
          "hvc.SMCCC_VERSION", "hvc.SMCCC_ARCH_FEATURES", "hvc.KVM_UID", "hvc.KVM_FEATURES",
          "hvc.HYP_MEMINFO", "hvc.MEM_SHARE", "hvc.MEM_UNSHARE", "hvc.MMIO_GUARD_INFO",
          "hvc.MMIO_GUARD_ENROLL", "hvc.MMIO_GUARD_MAP", "hvc.MMIO_GUARD_UNMAP", "hvc.unknown"})
        EXPECT_TRUE(stats.contains(name)) << name;
    call(h, 0xc6000007, 0x09000000);
    EXPECT_EQ(stats.value("hvc.MMIO_GUARD_MAP"), 1.0);
    EXPECT_EQ(stats.value("hvc.calls"), 1.0);
}
