// Cpu + Platform testbench: the a64_env callbacks (MMIO through the interconnect, HVC to the
// hypervisor, maintenance counters, the 62.5 MHz counter), the DMI window, and how a run ends
// (PSCI SYSTEM_OFF, semihosting exit, fatal report, WFI, instruction limit), with hand-encoded
// programs (a64_encode.h).
#include "a64_encode.h"
#include "timing.h"
#include "platform_bench.h"
#include "stats_registry.h"

#include <gtest/gtest.h>

extern "C" {
#include "a64/vmsa_glue.h"
}

using namespace httusim;
using namespace a64enc;

namespace {

using Code = std::vector<uint32_t>;

// x0 = 0x8400_0008 (PSCI SYSTEM_OFF); HVC #0.
const std::vector<uint32_t> kSystemOff = {movz(0, 0x8400, 1), movk(0, 0x0008), hvc(0)};

std::vector<uint32_t> operator+(std::vector<uint32_t> a, const std::vector<uint32_t> &b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(CpuEnvTest, TakesTheRamDmiWindowAtStart)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.build();
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    EXPECT_TRUE(b.top->m_cpu.has_ram_dmi());
    EXPECT_EQ(b.arch().cfg.ram.host, b.top->m_ram.host());
    EXPECT_EQ(b.arch().cfg.ram.base, 0x40000000u);
    EXPECT_EQ(b.arch().cfg.ram.size, PlatformBench::kRamSize);
    EXPECT_EQ(b.arch().pc, PlatformBench::kEntry);
}

TEST(CpuEnvTest, PhysicalAccessesReachDevicesAndHolesFail)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.build();
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_env &env = b.arch().cfg.env;
    uint64_t v = 0;
    EXPECT_EQ(env.phys_read(env.ctx, 0x09000018, 4, &v), A64_BUS_OK);
    EXPECT_EQ(v, (1u << 7) | (1u << 4));   // PL011 FR: TXFE | RXFE
    EXPECT_EQ(env.phys_read(env.ctx, 0x0a000000 + 31 * 0x200, 4, &v), A64_BUS_OK);
    EXPECT_EQ(v, 0x74726976u);
    EXPECT_EQ(env.phys_read(env.ctx, 0x10000000, 8, &v), A64_BUS_OK);
    EXPECT_EQ(v, ~uint64_t{0});
    EXPECT_EQ(env.phys_read(env.ctx, 0x08000000, 4, &v), A64_BUS_ERROR);
    EXPECT_EQ(env.phys_write(env.ctx, 0x3eff0000, 4, 0), A64_BUS_ERROR);   // past PCIe window
    EXPECT_EQ(env.phys_write(env.ctx, 0x09000000, 1, 'Z'), A64_BUS_OK);
    EXPECT_EQ(PlatformBench::contents(b.uart), "Z");
}

TEST(CpuEnvTest, HvcReachesTheHypervisorAndPreservesX4Upwards)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.build();
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_cpu &cpu = b.arch();
    cpu.x[0] = 0x8600ff01;   // KVM vendor UID
    cpu.x[4] = 0x4444;
    cpu.x[17] = 0x1717;
    ASSERT_TRUE(cpu.cfg.env.hvc(cpu.cfg.env.ctx, &cpu, 0));
    EXPECT_EQ(cpu.x[0], 0xb66fb428u);
    EXPECT_EQ(cpu.x[1], 0xe911c52eu);
    EXPECT_EQ(cpu.x[2], 0x564bcaa9u);
    EXPECT_EQ(cpu.x[3], 0x743a004du);
    EXPECT_EQ(cpu.x[4], 0x4444u);
    EXPECT_EQ(cpu.x[17], 0x1717u);
    EXPECT_EQ(b.top->m_hypervisor.count(Hypervisor::KVM_UID), 1u);
}

TEST(CpuEnvTest, HvcIsUndefinedWithoutAHypervisor)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.cfg.hypervisor = HypervisorMode::None;
    b.build();
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_cpu &cpu = b.arch();
    cpu.x[0] = 0x84000000;
    EXPECT_FALSE(cpu.cfg.env.hvc(cpu.cfg.env.ctx, &cpu, 0));
    EXPECT_EQ(cpu.x[0], 0x84000000u);
}

TEST(CpuEnvTest, MaintenanceOperationsAreCounted)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.build();
    StatsRegistry stats;
    b.top->register_stats(stats);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_cpu &cpu = b.arch();
    for (uint32_t op : {A64_SYSOP_DC_CIVAC, A64_SYSOP_DC_CIVAC, A64_SYSOP_DC_ZVA,
                        A64_SYSOP_IC_IALLU, A64_SYSOP_TLBI_VALE1IS, A64_SYSOP_TLBI_VMALLE1}) {
        a64_sysop s{op, 0x40001000, 0x40001000, nullptr};
        vmsa_tlbi tlbi;   // a TLBI comes decoded by the core (a64_mmu_tlbi)
        if (a64_tlbi_decode(op, s.value, false, &tlbi))
            s.tlbi = &tlbi;
        cpu.cfg.env.sysop(cpu.cfg.env.ctx, &cpu, &s);
    }
    EXPECT_EQ(stats.value("cache.maint.dc_civac"), 2);
    EXPECT_EQ(stats.value("cache.maint.dc_zva"), 1);
    EXPECT_EQ(stats.value("cache.maint.ic_iallu"), 1);
    EXPECT_EQ(stats.value("cache.maint.bytes"), 3 * 64);   // three line operations
    EXPECT_EQ(stats.value("mmu.tlbi.VALE1IS"), 1);
    EXPECT_EQ(stats.value("mmu.tlbi.VMALLE1"), 1);
    EXPECT_EQ(stats.value("mmu.tlbi.VAE1"), 0);
}

TEST(CpuEnvTest, CounterTicksAt62_5MHzOfSimulatedTime)
{
    PlatformBench b;
    b.cfg.cpu.hold_in_reset = true;
    b.build();
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
    a64_cpu &cpu = b.arch();
    EXPECT_EQ(cpu.cfg.env.counter_freq, 62500000u);
    EXPECT_EQ(cpu.cfg.env.counter(cpu.cfg.env.ctx), 62u);   // 1 us * 62.5 MHz = 62.5 ticks
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(cpu.cfg.env.counter(cpu.cfg.env.ctx), 125u);
}

TEST(CpuEnvTest, RegistersTheCountersOfDesignSection4)
{
    PlatformBench b;
    b.build();
    StatsRegistry stats;
    b.top->register_stats(stats);
    for (const char *name :
         {"cpu.exceptions", "cpu.exceptions.ec_0x00", "cpu.exceptions.ec_0x07",
          "cpu.exceptions.ec_0x0e", "cpu.exceptions.ec_0x15", "cpu.exceptions.ec_0x18",
          "cpu.exceptions.ec_0x20", "cpu.exceptions.ec_0x21", "cpu.exceptions.ec_0x22",
          "cpu.exceptions.ec_0x24", "cpu.exceptions.ec_0x25", "cpu.exceptions.ec_0x26",
          "cpu.exceptions.ec_0x3c", "hvc.calls", "hvc.unknown", "hvc.MMIO_GUARD_MAP",
          "cache.maint.dc_cvac", "cache.maint.dc_civac", "cache.maint.dc_cvau",
          "cache.maint.dc_ivac", "cache.maint.dc_zva", "cache.maint.ic_iallu",
          "cache.maint.ic_ialluis", "cache.maint.ic_ivau", "cache.maint.bytes",
          "mmu.tlbi.VMALLE1", "mmu.tlbi.VAE1", "mmu.tlbi.VALE1", "mmu.tlbi.VMALLE1IS",
          "mmu.tlbi.VAE1IS", "mmu.tlbi.VALE1IS", "mmu.tlbi.ASIDE1", "mmu.tlbi.VAAE1"})
        EXPECT_TRUE(stats.contains(name)) << name;
    std::vector<StatsRegistry::Sample> printed = stats.samples();
    bool ec25_printed = false;
    for (const auto &s : printed)
        ec25_printed |= s.name == "cpu.exceptions.ec_0x25";
    EXPECT_TRUE(ec25_printed) << "zero counters of section 4 are printed";
}

TEST(CpuRunTest, PsciSystemOffEndsTheRunWithStatus0)
{
    PlatformBench b;
    b.build(kSystemOff + std::vector<uint32_t>{kBranchToSelf});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Halted);
    EXPECT_EQ(o.exit_status, 0);
    EXPECT_EQ(o.reason, "PSCI SYSTEM_OFF");
    EXPECT_EQ(b.arch().ctr.insts, 3u);   // an answered HVC retires
    // MOVZ, MOVK (ALU), then the HVC: its round trip, no class cost (docs/timing.md)
    const TimingConfig t;
    EXPECT_EQ(b.top->m_cpu.cycles(), 2 * t.alu + t.hvc);
    EXPECT_EQ(b.top->m_hypervisor.count(Hypervisor::PSCI_SYSTEM_OFF), 1u);
}

TEST(CpuRunTest, PsciSystemResetEndsTheRunAndSaysSo)
{
    PlatformBench b;
    b.build({movz(0, 0x8400, 1), movk(0, 0x0009), hvc(0), kBranchToSelf});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Halted);
    EXPECT_EQ(o.exit_status, 0);
    EXPECT_TRUE(has(PlatformBench::contents(b.report), "SYSTEM_RESET"));
}

TEST(CpuRunTest, SemihostingExitCarriesTheStatus)
{
    PlatformBench b;
    b.build({movz(0, 0x20), movz(1, 0x4009, 1), hlt(0xf000), kBranchToSelf});
    b.store64(PlatformBench::kData, {0x20026, 42});   // ADP_Stopped_ApplicationExit, 42
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Halted);
    EXPECT_EQ(o.exit_status, 42);
    EXPECT_EQ(o.reason, "semihosting SYS_EXIT");
}

TEST(CpuRunTest, SemihostingSeesCommandLineHeapAndConsole)
{
    PlatformBench b;
    b.cfg.cpu.cmdline = "fw.elf -v 3";
    const uint64_t block = PlatformBench::kData, buf = block + 0x100, heap = block + 0x200,
                   heap_ptr = block + 0x300;
    b.build(Code{movz(0, 0x15), movz(1, 0x4009, 1), hlt(0xf000),          // SYS_GET_CMDLINE
             movz(0, 0x04), movz(1, 0x4009, 1), movk(1, 0x0100), hlt(0xf000), // SYS_WRITE0
             movz(0, 0x16), movz(1, 0x4009, 1), movk(1, 0x0300), hlt(0xf000), // SYS_HEAPINFO
            } + kSystemOff);
    b.store64(block, {buf, 64});
    b.store64(heap_ptr, {heap});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Halted);
    EXPECT_EQ(PlatformBench::contents(b.console), "fw.elf -v 3");
    uint64_t info[4];
    std::memcpy(info, b.top->m_ram.host() + (heap - 0x40000000), sizeof info);
    EXPECT_EQ(info[0], b.cfg.cpu.heap_base);
    EXPECT_EQ(info[1], b.cfg.cpu.heap_limit);
    EXPECT_EQ(info[2], b.cfg.cpu.stack_base);
    EXPECT_EQ(info[3], b.cfg.cpu.stack_limit);
}

TEST(CpuRunTest, StoresToTheUartReachItsOutput)
{
    PlatformBench b;
    b.build(Code{movz(2, 0x0900, 1), movz(3, 'H'), strb(3, 2, 0), movz(3, 'i'), strb(3, 2, 0)} +
            kSystemOff);
    b.run();
    EXPECT_EQ(PlatformBench::contents(b.uart), "Hi");
}

TEST(CpuRunTest, MaintenanceInstructionsReachTheCounters)
{
    PlatformBench b;
    b.build(Code{movz(1, 0x4009, 1), sys(3, 7, 14, 1, 1) /* DC CIVAC, X1 */,
             sys(0, 8, 3, 0, 31) /* TLBI VMALLE1IS */, sys(0, 8, 3, 5, 1) /* TLBI VALE1IS */} +
            kSystemOff);
    StatsRegistry stats;
    b.top->register_stats(stats);
    b.run();
    EXPECT_EQ(stats.value("cache.maint.dc_civac"), 1);
    EXPECT_EQ(stats.value("cache.maint.bytes"), 64);
    EXPECT_EQ(stats.value("mmu.tlbi.VMALLE1IS"), 1);
    EXPECT_EQ(stats.value("mmu.tlbi.VALE1IS"), 1);
}

TEST(CpuRunTest, CounterReadByTheFirmwareFollowsCycles)
{
    PlatformBench b;
    b.cfg.timing.alu = 1;                   // a NOP is a hint: the ALU class
    std::vector<uint32_t> code(32, kNop);   // 32 cycles = 32 ns at 1 GHz = 2 ticks of 16 ns
    code.push_back(mrs(5, kCntvctEl0));
    b.build(code + kSystemOff);
    b.run();
    EXPECT_EQ(b.arch().x[5], 2u);
}

TEST(CpuRunTest, HafdbsIsWhatTheConfigurationSays)
{
    PlatformBench b;
    b.cfg.cpu.hafdbs = 1;
    b.build(Code{mrs(5, kIdAa64mmfr1El1)} + kSystemOff);
    b.run();
    EXPECT_EQ(b.arch().x[5] & 0xf, 1u);   // ID_AA64MMFR1_EL1.HAFDBS, bits [3:0]
}

TEST(CpuRunTest, UndefinedWithoutVectorsIsAFatalReport)
{
    PlatformBench b;
    b.build({udf(0xdead)});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Fatal);
    std::string r = PlatformBench::contents(b.report);
    EXPECT_TRUE(has(r, "0x0000000040080000")) << r;   // PC
    EXPECT_TRUE(has(r, "0x0000dead")) << r;           // the instruction
    EXPECT_TRUE(has(r, "0x02000000")) << r;           // ESR: EC 0x00, IL 1
    EXPECT_TRUE(has(r, "vector")) << r;
    EXPECT_EQ(b.arch().ctr.exceptions_by_ec[0x00], 1u);
}

TEST(CpuRunTest, HvcWithoutHypervisorIsUndefined)
{
    PlatformBench b;
    b.cfg.hypervisor = HypervisorMode::None;
    b.build(kSystemOff);
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Fatal);   // UNDEFINED, and no vector table
    EXPECT_EQ(b.arch().ctr.exceptions_by_ec[0x00], 1u);
    EXPECT_TRUE(has(PlatformBench::contents(b.report), "0xd4000002"));   // HVC #0
}

TEST(CpuRunTest, RepeatedAbortIsReportedAsAFaultLoop)
{
    PlatformBench b;
    b.cfg.cpu.fault_loop_limit = 5;
    // VBAR_EL1 = 0x4008_0800, every vector an ERET back to the faulting load from a hole.
    std::vector<uint32_t> code = {movz(1, 0x4008, 1), movk(1, 0x0800), msr(kVbarEl1, 1),
                                  movz(2, 0x0800, 1), ldr_x(3, 2, 0), kBranchToSelf};
    code.resize(0x800 / 4, kNop);
    code.resize(0x1000 / 4, kEret);
    b.build(code);
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::Fatal);
    EXPECT_EQ(b.arch().ctr.exceptions_by_ec[0x25], 5u);
    std::string r = PlatformBench::contents(b.report);
    EXPECT_TRUE(has(r, "loop")) << r;
    EXPECT_TRUE(has(r, "0x0000000040080010")) << r;   // PC of the load
    EXPECT_TRUE(has(r, "0x96000010")) << r;   // EC 0x25, IL, DFSC 0x10 (synchronous external)
    EXPECT_TRUE(has(r, "0x0000000008000000")) << r;   // FAR
    EXPECT_TRUE(has(r, "5")) << r;
}

TEST(CpuRunTest, WfiWithNoInterruptSourceStops)
{
    PlatformBench b;
    b.build({kWfi, kBranchToSelf});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::WfiStall);
    EXPECT_TRUE(has(PlatformBench::contents(b.report), "WFI"));
}

TEST(CpuRunTest, InstructionLimitStopsExactlyAtTheLimit)
{
    PlatformBench b;
    b.cfg.cpu.max_insts = 1000;
    b.build({kBranchToSelf});
    const RunOutcome &o = b.run();
    EXPECT_EQ(o.end, RunEnd::InstLimit);
    EXPECT_EQ(b.arch().ctr.insts, 1000u);
    EXPECT_EQ(b.top->m_cpu.cycles(), 1000 * TimingConfig{}.branch_taken);   // B . each time
    std::string r = PlatformBench::contents(b.report);
    EXPECT_TRUE(has(r, "1000")) << r;
    EXPECT_TRUE(has(r, "0x0000000040080000")) << r;
}

TEST(CpuRunTest, RegisterTraceLineBeforeEachInstruction)
{
    PlatformBench b;
    b.cfg.cpu.max_insts = 2;
    b.cfg.cpu.reg_trace = b.trace;
    b.build({movz(0, 5), kBranchToSelf});
    b.run();
    auto line = [](uint64_t pc, uint64_t x0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "PC=%016llx", static_cast<unsigned long long>(pc));
        std::string s = buf;
        for (int r = 0; r <= 30; ++r) {
            std::snprintf(buf, sizeof buf, " X%02d=%016llx", r,
                          static_cast<unsigned long long>(r == 0 ? x0 : 0));
            s += buf;
        }
        // Reset state (QEMU -kernel): SP 0, PSTATE EL1h with D, A, I, F masked = 0x3c5.
        return s + " SP=0000000000000000 PSTATE=000003c5\n";
    };
    EXPECT_EQ(PlatformBench::contents(b.trace), line(0x40080000, 0) + line(0x40080004, 5));
}
