// The timing model (docs/timing.md): cycles of hand-written programs against the cost table
// applied by hand, the attribution of every cycle to one component (the *.cycles counters add up
// to sim.cycles), the clock, and the timing options and config file of the command line.
#include "a64_encode.h"
#include "cli.h"
#include "elf_builder.h"
#include "platform_bench.h"
#include "run_command.h"

extern "C" {
#include "a64/translate.h"
#include "a64/sysreg_bits.h"
#include "vmsa/desc.h"
}

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

using namespace httusim;
using namespace a64enc;

namespace {

using Code = std::vector<uint32_t>;

Code operator+(Code a, const Code &b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Encodings the shared encoder lacks (ARM ARM C6.2; 64-bit forms).
constexpr uint32_t add_imm(unsigned rd, unsigned rn, unsigned imm12)
{
    return 0x91000000u | (imm12 << 10) | (rn << 5) | rd;
}
constexpr uint32_t mul(unsigned rd, unsigned rn, unsigned rm)   // MADD Xd, Xn, Xm, XZR
{
    return 0x9b007c00u | (rm << 16) | (rn << 5) | rd;
}
constexpr uint32_t udiv(unsigned rd, unsigned rn, unsigned rm)
{
    return 0x9ac00800u | (rm << 16) | (rn << 5) | rd;
}
constexpr uint32_t ldadd(unsigned rs, unsigned rt, unsigned rn)   // LDADD Xs, Xt, [Xn]
{
    return 0xf8200000u | (rs << 16) | (rn << 5) | rt;
}
constexpr uint32_t cbz(unsigned rt, int words)
{
    return 0xb4000000u | ((words & 0x7ffff) << 5) | rt;
}
constexpr uint32_t cbnz(unsigned rt, int words)
{
    return 0xb5000000u | ((words & 0x7ffff) << 5) | rt;
}
constexpr uint32_t b(int words) { return 0x14000000u | (words & 0x3ffffff); }
constexpr uint32_t kDmbIsh = 0xd5033bbfu;
constexpr uint32_t kSvc0 = 0xd4000001u;

const Code kSystemOff = {movz(0, 0x8400, 1), movk(0, 0x0008), hvc(0)};

// Distinct costs, so that a cycle charged to the wrong class shows.
TimingConfig distinct_costs()
{
    TimingConfig t;
    t.alu = 1;
    t.mul = 3;
    t.div = 7;
    t.branch_taken = 5;
    t.branch_not_taken = 2;
    t.load = 11;
    t.store = 13;
    t.atomic = 17;
    t.barrier = 19;
    t.sysreg = 23;
    t.sysop = 29;
    t.eret = 31;
    t.exception = 37;
    t.hvc = 101;
    t.cmo_line = 41;
    t.tlb_l1 = 43;
    t.tlb_l2 = 47;
    t.walk_cache = 53;
    t.ram_read = 59;
    t.ram_write = 61;
    t.ram_atomic = 67;
    t.mmio = 71;
    return t;
}

// Every registered counter cpu.cycles.* or *cycles: the components of sim.cycles.
uint64_t sum_of_component_cycles(const StatsRegistry &stats)
{
    uint64_t sum = 0;
    for (const StatsRegistry::Sample &s : stats.samples()) {
        const std::string &n = s.name;
        if (n.rfind("cpu.cycles.", 0) == 0 ||
            (n.size() >= 6 && n.compare(n.size() - 6, 6, "cycles") == 0)) {
            EXPECT_TRUE(s.is_integer) << n;
            sum += s.integer;
        }
    }
    return sum;
}

uint64_t stat(const StatsRegistry &stats, const std::string &name)
{
    return static_cast<uint64_t>(stats.value(name));
}

// One instruction of every class, MMU off, then an exception and its return, then SYSTEM_OFF.
// x1 = the data block, x10 = the UART.
Code every_class_program()
{
    Code c = {
        movz(1, 0x4009, 1),         //  0 ALU       x1 = 0x40090000
        movz(2, 6),                 //  1 ALU
        movz(3, 3),                 //  2 ALU
        mul(4, 2, 3),               //  3 MUL       x4 = 18
        udiv(5, 4, 3),              //  4 DIV       x5 = 6
        add_imm(6, 5, 1),           //  5 ALU       x6 = 7
        str_x(6, 1, 0),             //  6 STORE
        ldr_x(7, 1, 0),             //  7 LOAD
        ldadd(2, 8, 1),             //  8 ATOMIC    x8 = 7, memory 13
        cbz(2, 2),                  //  9 BRANCH_NOT_TAKEN (x2 = 6)
        cbnz(2, 2),                 // 10 BRANCH_TAKEN -> 12
        udf(1),                     // 11 (skipped)
        b(2),                       // 12 BRANCH_TAKEN -> 14
        udf(2),                     // 13 (skipped)
        kDmbIsh,                    // 14 BARRIER
        mrs(9, kCntvctEl0),         // 15 SYSREG
        sys(3, 7, 14, 1, 1),        // 16 SYSOP     DC CIVAC, X1: one line
        movz(10, 0x0900, 1),        // 17 ALU       the UART
        strb(6, 10, 0),             // 18 STORE + one MMIO access
        movz(11, 0x4008, 1),        // 19 ALU
        movk(11, 0x0800),           // 20 ALU       VBAR_EL1 = entry + 0x800
        msr(kVbarEl1, 11),          // 21 SYSREG
        kSvc0,                      // 22 exception entry (SVC does not retire)
    };
    c = c + kSystemOff;             // 23, 24 ALU; 25 HVC round trip
    c.resize((0x800 + 0x200) / 4, kNop);   // synchronous, current EL with SP_ELx
    c.push_back(kEret);                    // ERET back to 23
    return c;
}

} // namespace

// ---------------------------------------------------------------- the cost table by hand

TEST(TimingTest, EveryClassCostsWhatTheTableSays)
{
    PlatformBench b;
    const TimingConfig t = distinct_costs();
    b.cfg.timing = t;
    b.build(every_class_program());
    StatsRegistry stats;
    b.top->register_stats(stats);
    const RunOutcome &o = b.run();
    ASSERT_EQ(o.reason, "PSCI SYSTEM_OFF");
    EXPECT_EQ(b.arch().x[8], 7u);   // the program ran as written
    EXPECT_EQ(b.arch().x[5], 6u);

    // By hand: 9 ALU, 1 MUL, 1 DIV, 2 STORE, 1 LOAD, 1 ATOMIC, 1 not taken, 2 taken,
    // 1 BARRIER, 2 SYSREG, 1 SYSOP, 1 ERET, 1 exception, 1 HVC, 1 line, 1 MMIO access.
    EXPECT_EQ(stat(stats, "cpu.cycles.alu"), 9 * t.alu);
    EXPECT_EQ(stat(stats, "cpu.cycles.mul"), t.mul);
    EXPECT_EQ(stat(stats, "cpu.cycles.div"), t.div);
    EXPECT_EQ(stat(stats, "cpu.cycles.store"), 2 * t.store);
    EXPECT_EQ(stat(stats, "cpu.cycles.load"), t.load);
    EXPECT_EQ(stat(stats, "cpu.cycles.atomic"), t.atomic);
    EXPECT_EQ(stat(stats, "cpu.cycles.branch_not_taken"), t.branch_not_taken);
    EXPECT_EQ(stat(stats, "cpu.cycles.branch_taken"), 2 * t.branch_taken);
    EXPECT_EQ(stat(stats, "cpu.cycles.barrier"), t.barrier);
    EXPECT_EQ(stat(stats, "cpu.cycles.sysreg"), 2 * t.sysreg);
    EXPECT_EQ(stat(stats, "cpu.cycles.sysop"), t.sysop);
    EXPECT_EQ(stat(stats, "cpu.cycles.eret"), t.eret);
    EXPECT_EQ(stat(stats, "cpu.cycles.exceptions"), t.exception);
    EXPECT_EQ(stat(stats, "hvc.cycles"), t.hvc);
    EXPECT_EQ(stat(stats, "cache.maint.cycles"), t.cmo_line);
    EXPECT_EQ(stat(stats, "mmio.cycles"), t.mmio);
    EXPECT_EQ(stat(stats, "mmu.tlb.l1i.cycles"), 0u);   // MMU off: no lookup
    EXPECT_EQ(stat(stats, "mmu.s1.walk_cycles"), 0u);

    const uint64_t total = 9 * t.alu + t.mul + t.div + 2 * t.store + t.load + t.atomic +
                           t.branch_not_taken + 2 * t.branch_taken + t.barrier + 2 * t.sysreg +
                           t.sysop + t.eret + t.exception + t.hvc + t.cmo_line + t.mmio;
    EXPECT_EQ(total, 460u);   // the same sum done on paper
    EXPECT_EQ(b.top->m_cpu.cycles(), total);
    EXPECT_EQ(sum_of_component_cycles(stats), b.top->m_cpu.cycles());

    // CNTVCT_EL0 read by instruction 15: 86 cycles before it (instructions 0-14) at 1 GHz are
    // 86 ns, 5 ticks of the 62.5 MHz counter.
    EXPECT_EQ(3 * t.alu + t.mul + t.div + t.alu + t.store + t.load + t.atomic +
                  t.branch_not_taken + 2 * t.branch_taken + t.barrier,
              86u);
    EXPECT_EQ(b.arch().x[9], 5u);
}

TEST(TimingTest, DefaultCostsOfAStraightLine)
{
    // 100 ADDs, then SYSTEM_OFF, with the defaults of timing.h (docs/timing.md): 1 cycle per ALU
    // instruction, 376 for the HVC round trip.
    PlatformBench b;
    Code c(100, add_imm(1, 1, 1));
    b.build(c + kSystemOff);
    b.run();
    EXPECT_EQ(b.arch().x[1], 100u);
    EXPECT_EQ(b.top->m_cpu.cycles(), 102u * 1 + 376);   // 100 ADD, MOVZ, MOVK; HVC
}

TEST(TimingTest, ZeroCostsGiveZeroCycles)
{
    PlatformBench b;
    b.cfg.timing = TimingConfig{};
    for (const TimingParam &p : kTimingParams)
        b.cfg.timing.*(p.field) = 0;
    b.build(every_class_program());
    StatsRegistry stats;
    b.top->register_stats(stats);
    ASSERT_EQ(b.run().reason, "PSCI SYSTEM_OFF");
    EXPECT_EQ(b.top->m_cpu.cycles(), 0u);
    EXPECT_EQ(sum_of_component_cycles(stats), 0u);
}

// ---------------------------------------------------------------- with the MMU on

TEST(TimingTest, TranslationCyclesGoToTheTlbsWalkCacheAndWalker)
{
    PlatformBench pb;
    const TimingConfig t = distinct_costs();
    pb.cfg.timing = t;
    pb.cfg.cpu.hold_in_reset = true;
    const uint64_t code = PlatformBench::kEntry, data = PlatformBench::kData;
    pb.build(Code{ldr_x(1, 0, 0), str_x(1, 0, 8)} + kSystemOff);
    Platform &top = *pb.top;
    // Identity maps of the code and data pages from tables at 0x40200000 (levels 0 to 3, one
    // level 3 table for both); the data page without its Access flag: TCR_EL1.HA sets it.
    uint8_t *ram = top.m_ram.host();
    auto put = [&](uint64_t pa, uint64_t v) { std::memcpy(ram + (pa - 0x40000000), &v, 8); };
    auto index = [](uint64_t va, int level) { return (va >> (39 - 9 * level)) & 511; };
    const uint64_t kTable = DESC_VALID | DESC_TYPE_TABLE;
    const uint64_t kPage = DESC_VALID | DESC_TYPE_PAGE | DESC_AF | (3ull << DESC_SH_SHIFT);
    const uint64_t l0 = 0x40200000, l1 = l0 + 0x1000, l2 = l0 + 0x2000, l3 = l0 + 0x3000;
    put(l0 + index(code, 0) * 8, l1 | kTable);
    put(l1 + index(code, 1) * 8, l2 | kTable);
    put(l2 + index(code, 2) * 8, l3 | kTable);
    put(l3 + index(code, 3) * 8, code | kPage);
    put(l3 + index(data, 3) * 8, (data | kPage) & ~DESC_AF);
    pb.store64(data, {0x5eed});
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
    a64_cpu &cpu = pb.arch();
    cpu.x[0] = data;
    cpu.sys.tcr_el1 = (16ull << 0) | (16ull << 16) | (2ull << 30) | (5ull << 32) | (1ull << 39);
    cpu.sys.ttbr0_el1 = l0;
    cpu.sys.mair_el1 = MAIR_NORMAL_WB;
    cpu.sys.sctlr_el1 |= SCTLR_M;
    a64_mmu_regs_changed(&cpu);
    StatsRegistry stats;
    top.register_stats(stats);
    top.m_cpu.release();
    ASSERT_EQ(pb.run().reason, "PSCI SYSTEM_OFF");
    ASSERT_EQ(stat(stats, "mmu.s1.hw_updates.af"), 1u);

    // By hand: 5 fetches (1 L1i miss), 2 data accesses (the load misses, the store hits the
    // entry the load's walk filled); 2 L2 lookups and 2 walk-cache lookups (the two misses);
    // the code walk reads 4 descriptors, the data walk 1 (the walk cache holds its level 3
    // table) and sets AF by one CAS.
    EXPECT_EQ(stat(stats, "mmu.tlb.l1i.cycles"), 5 * t.tlb_l1);
    EXPECT_EQ(stat(stats, "mmu.tlb.l1d.cycles"), 2 * t.tlb_l1);
    EXPECT_EQ(stat(stats, "mmu.tlb.l2.cycles"), 2 * t.tlb_l2);
    EXPECT_EQ(stat(stats, "mmu.s1.walk_cache_cycles"), 2 * t.walk_cache);
    EXPECT_EQ(stat(stats, "mmu.s1.walk_cycles"), 5 * t.ram_read + t.ram_atomic);
    const uint64_t total = 7 * t.tlb_l1 + 2 * t.tlb_l2 + 2 * t.walk_cache + 5 * t.ram_read +
                           t.ram_atomic + t.load + t.store + 2 * t.alu + t.hvc;
    EXPECT_EQ(top.m_cpu.cycles(), total);
    EXPECT_EQ(sum_of_component_cycles(stats), total);
}

// ---------------------------------------------------------------- the clock

TEST(TimingTest, DelaysRoundUpToWholeCycles)
{
    const uint64_t period = sc_core::sc_time(500, sc_core::SC_PS).value();   // 2 GHz
    EXPECT_EQ(cycles_rounded_up(0, period), 0u);
    EXPECT_EQ(cycles_rounded_up(period, period), 1u);
    EXPECT_EQ(cycles_rounded_up(period + 1, period), 2u);   // a part of a cycle is waited for
    EXPECT_EQ(cycles_rounded_up(3 * period - 1, period), 3u);
}

TEST(TimingTest, CostsAreCyclesOfTheConfiguredClock)
{
    PlatformBench b;
    b.cfg.timing.alu = 1;
    b.cfg.cpu.clock_period = sc_core::sc_time(500, sc_core::SC_PS);   // --clock=2GHz
    Code c(64, kNop);   // 64 cycles = 32 ns at 2 GHz = 2 ticks of the 62.5 MHz counter
    c.push_back(mrs(5, kCntvctEl0));
    b.build(c + kSystemOff);
    b.run();
    EXPECT_EQ(b.arch().x[5], 2u);
    const TimingConfig t;
    const uint64_t cycles = 64 + t.sysreg + 2 + t.hvc;
    EXPECT_EQ(b.top->m_cpu.cycles(), cycles);
    EXPECT_EQ(b.top->m_cpu.now(), sc_core::sc_time(500.0 * cycles, sc_core::SC_PS));
}

TEST(TimingTest, ClockFrequencies)
{
    uint64_t hz = 0;
    EXPECT_TRUE(parse_frequency("2GHz", hz));
    EXPECT_EQ(hz, 2'000'000'000u);
    EXPECT_TRUE(parse_frequency("1.5GHz", hz));
    EXPECT_EQ(hz, 1'500'000'000u);
    EXPECT_TRUE(parse_frequency("800MHz", hz));
    EXPECT_EQ(hz, 800'000'000u);
    EXPECT_TRUE(parse_frequency("800mhz", hz));
    EXPECT_EQ(hz, 800'000'000u);
    EXPECT_TRUE(parse_frequency("100kHz", hz));
    EXPECT_EQ(hz, 100'000u);
    EXPECT_TRUE(parse_frequency("1000000000", hz));
    EXPECT_EQ(hz, 1'000'000'000u);
    EXPECT_TRUE(parse_frequency("1000000Hz", hz));
    EXPECT_EQ(hz, 1'000'000u);
    for (const char *bad : {"", "GHz", "2 GHz", "2THz", "1.5", "0.5kHz", "0Hz", "999Hz",
                            "1001GHz", "1.2.3GHz", "-1GHz", "1.0000000001GHz", "2GHzz"})
        EXPECT_FALSE(parse_frequency(bad, hz)) << bad;
    EXPECT_EQ(clock_period_ps(1'000'000'000), 1000u);
    EXPECT_EQ(clock_period_ps(2'000'000'000), 500u);
    EXPECT_EQ(clock_period_ps(800'000'000), 1250u);
    EXPECT_EQ(clock_period_ps(3'000'000'000), 333u);   // rounded to the picosecond
}

// ---------------------------------------------------------------- options and config file

namespace {

CliResult parse(std::vector<std::string> args)
{
    args.insert(args.begin(), "httusim");
    std::vector<const char *> argv;
    for (const std::string &a : args)
        argv.push_back(a.c_str());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(TimingOptionsTest, EveryCostIsAnOption)
{
    const TimingConfig defaults;
    CliResult r = parse({"fw.elf"});
    ASSERT_EQ(r.action, CliAction::Run);
    EXPECT_EQ(r.options.clock_hz, 1'000'000'000u);
    EXPECT_EQ(r.options.quantum_cycles, kDefaultQuantumCycles);
    EXPECT_EQ(r.options.progress, SimOptions::Progress::Auto);
    uint64_t value = 1000;
    for (const TimingParam &p : kTimingParams) {
        EXPECT_EQ(r.options.timing.*(p.field), defaults.*(p.field)) << p.key;
        CliResult s = parse({std::string("--") + p.key + "=" + std::to_string(value), "fw.elf"});
        ASSERT_EQ(s.action, CliAction::Run) << p.key << ": " << s.error;
        EXPECT_EQ(s.options.timing.*(p.field), value) << p.key;
        CliResult bad = parse({std::string("--") + p.key + "=many", "fw.elf"});
        EXPECT_EQ(bad.action, CliAction::Error) << p.key;
        EXPECT_TRUE(has(bad.error, p.key)) << bad.error;
        ++value;
    }
}

TEST(TimingOptionsTest, ClockQuantumProgress)
{
    CliResult r = parse({"--clock=2GHz", "--quantum=1", "--progress", "fw.elf"});
    ASSERT_EQ(r.action, CliAction::Run) << r.error;
    EXPECT_EQ(r.options.clock_hz, 2'000'000'000u);
    EXPECT_EQ(r.options.quantum_cycles, 1u);
    EXPECT_EQ(r.options.progress, SimOptions::Progress::On);
    EXPECT_EQ(parse({"--progress=off", "fw.elf"}).options.progress, SimOptions::Progress::Off);
    for (const char *bad : {"--clock=fast", "--quantum=0", "--quantum=x", "--progress=maybe",
                            "--lat-alu=-1", "--lat-alu=1000000001", "--lat-nothing=1"}) {
        CliResult e = parse({bad, "fw.elf"});
        EXPECT_EQ(e.action, CliAction::Error) << bad;
        std::string name(bad, std::strchr(bad, '='));
        EXPECT_TRUE(has(e.error, name)) << e.error;
    }
}

TEST(TimingOptionsTest, ConfigFileKeysAndCommandLineOverrides)
{
    const std::string path = temp_path("timing.cfg");
    write_text_file(path, "# httusim timing\n"
                          "lat-mul = 9\n"
                          "\n"
                          "  lat-div=21   # trailing comment\n"
                          "clock = 2GHz\n"
                          "quantum = 1\n"
                          "tlb-l2 = 1024:8\n"
                          "progress = off\n");
    CliResult r = parse({"--config=" + path, "--lat-mul=5", "fw.elf"});
    ASSERT_EQ(r.action, CliAction::Run) << r.error;
    EXPECT_EQ(r.options.timing.mul, 5u);    // the command line wins, wherever it is
    EXPECT_EQ(r.options.timing.div, 21u);   // from the file
    EXPECT_EQ(r.options.clock_hz, 2'000'000'000u);
    EXPECT_EQ(r.options.quantum_cycles, 1u);
    EXPECT_EQ(r.options.tlb_l2.str(), "1024:8");
    EXPECT_EQ(r.options.progress, SimOptions::Progress::Off);
    EXPECT_EQ(r.options.timing.alu, TimingConfig{}.alu);
    CliResult before = parse({"--lat-mul=5", "--config=" + path, "fw.elf"});
    EXPECT_EQ(before.options.timing.mul, 5u);
}

TEST(TimingOptionsTest, ConfigFileErrorsNameFileAndLine)
{
    struct Case {
        const char *text;
        const char *says;
    };
    const Case cases[] = {
        {"lat-mul = 4\nlat-foo = 1\n", ":2: unknown key 'lat-foo'"},
        {"# ok\n\nlat-mul = four\n", ":3: lat-mul = four: bad number"},
        {"lat-mul 4\n", ":1: expected 'key = value'"},
        {" = 4\n", ":1: missing key"},
        {"config = other.cfg\n", ":1: config"},
        {"clock = 3 GHz\n", ":1: clock = 3 GHz: bad frequency"},
        {"help = 1\n", ":1: unknown key 'help'"},
    };
    for (const Case &c : cases) {
        const std::string path = temp_path("bad.cfg");
        write_text_file(path, c.text);
        CliResult r = parse({"--config=" + path, "fw.elf"});
        EXPECT_EQ(r.action, CliAction::Error) << c.text;
        EXPECT_EQ(r.error.rfind(path + c.says, 0), 0u) << r.error;
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
    }
    CliResult missing = parse({"--config=" + temp_path("none.cfg"), "fw.elf"});
    EXPECT_EQ(missing.action, CliAction::Error);
    EXPECT_TRUE(has(missing.error, "--config=")) << missing.error;
}

TEST(TimingOptionsTest, ConfigTextParser)
{
    std::vector<std::string> seen;
    auto collect = [&seen](const std::string &k, const std::string &v) {
        seen.push_back(k + "=" + v);
        return std::string();
    };
    EXPECT_EQ(parse_config_text("a = 1\r\n#x\nb=2 # c\n  \nc =  three words  ", "f", collect), "");
    EXPECT_EQ(seen, (std::vector<std::string>{"a=1", "b=2", "c=three words"}));
    EXPECT_EQ(parse_config_text("", "f", collect), "");
    EXPECT_EQ(parse_config_text("a=1\nb=2\n", "f",
                                [](const std::string &k, const std::string &) {
                                    return k == "b" ? std::string("no b") : std::string();
                                }),
              "f:2: no b");
}

// ---------------------------------------------------------------- the command

namespace {

const std::string kHttusim = HTTUSIM_BIN;

CommandResult run_httusim(std::vector<std::string> args)
{
    args.insert(args.begin(), kHttusim);
    return run_command(args, temp_path("run"));
}

std::string firmware(const std::string &name, const Code &code)
{
    std::string path = temp_path(name);
    write_file(path, make_elf64(PlatformBench::kEntry,
                                {{PlatformBench::kEntry, words_to_bytes(code), code.size() * 4}}));
    return path;
}

// The value of `name` in a --stats file.
uint64_t stats_value(const std::string &text, const std::string &name)
{
    std::istringstream in(text);
    std::string line, n;
    uint64_t v;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        if (fields >> n >> v && n == name)
            return v;
    }
    return ~uint64_t{0};
}

} // namespace

TEST(TimingCommandTest, HelpListsTheTimingOptions)
{
    CommandResult r = run_httusim({"--help"});
    EXPECT_EQ(r.status, 0);
    for (const char *opt : {"--clock=", "--quantum=", "--config=", "--progress"})
        EXPECT_TRUE(has(r.out, opt)) << opt;
    for (const TimingParam &p : kTimingParams)
        EXPECT_TRUE(has(r.out, std::string("--") + p.key + "=")) << p.key;
}

TEST(TimingCommandTest, ConfigErrorIsOneLineWithStatus2)
{
    const std::string cfg = temp_path("err.cfg"), fw = firmware("off.elf", kSystemOff);
    write_text_file(cfg, "lat-alu = 1\n\nlat-mull = 3\n");
    CommandResult r = run_httusim({"--config=" + cfg, fw});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(has(r.err, cfg + ":3: unknown key 'lat-mull'")) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST(TimingCommandTest, StatsHaveTheCyclesOfTheConfiguredCosts)
{
    // 10 ADDs and SYSTEM_OFF: lat-alu from the file, lat-hvc from the command line.
    const std::string cfg = temp_path("costs.cfg"), stats = temp_path("stats.txt");
    write_text_file(cfg, "lat-alu = 3\nlat-hvc = 1000\n");
    const std::string fw = firmware("adds.elf", Code(10, add_imm(1, 1, 1)) + kSystemOff);
    CommandResult r = run_httusim({"--config=" + cfg, "--lat-hvc=50", "--stats=" + stats, fw});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string text = slurp(stats);
    EXPECT_EQ(stats_value(text, "cpu.cycles.alu"), 12u * 3);
    EXPECT_EQ(stats_value(text, "hvc.cycles"), 50u);
    EXPECT_EQ(stats_value(text, "sim.cycles"), 12u * 3 + 50);
    EXPECT_TRUE(r.err.empty()) << "no progress line when stderr is not a terminal: " << r.err;
}

TEST(TimingCommandTest, ProgressLineOnRequest)
{
    const std::string fw = firmware("adds.elf", Code(10, add_imm(1, 1, 1)) + kSystemOff);
    CommandResult r = run_httusim({"--progress", fw});
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.front(), '\r') << r.err;
    EXPECT_EQ(r.err.back(), '\n') << r.err;
    EXPECT_TRUE(has(r.err, " 13 instructions")) << r.err;   // 13 retired
    EXPECT_TRUE(has(r.err, "s simulated")) << r.err;
    EXPECT_TRUE(has(r.err, "MIPS")) << r.err;
    CommandResult off = run_httusim({"--progress=off", fw});
    EXPECT_TRUE(off.err.empty()) << off.err;
}

