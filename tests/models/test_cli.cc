// The httusim command, run as a program: usage errors (status 2, message naming the option),
// load errors (status 3, message naming the file), and runs of small hand-encoded firmware that
// end each way (status 0 / firmware status / 4 / 5), with the statistics files.
#include "a64_encode.h"
#include "elf_builder.h"
#include "run_command.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace a64enc;

namespace {

using Code = std::vector<uint32_t>;

const std::string kHttusim = HTTUSIM_BIN;

CommandResult httusim(std::vector<std::string> args)
{
    args.insert(args.begin(), kHttusim);
    return run_command(args, temp_path("run"));
}

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

constexpr uint64_t kEntry = 0x40080000;
constexpr uint64_t kData = 0x40090000;

std::vector<uint8_t> u64_bytes(const std::vector<uint64_t> &words)
{
    std::vector<uint8_t> b(words.size() * 8);
    std::memcpy(b.data(), words.data(), b.size());
    return b;
}

// Writes a firmware ELF: `code` at the entry point, `data` at kData.
std::string firmware(const std::string &name, const std::vector<uint32_t> &code,
                     const std::vector<uint64_t> &data = {0})
{
    std::string path = temp_path(name);
    std::vector<uint8_t> d = u64_bytes(data);
    write_file(path, make_elf64(kEntry, {{kEntry, words_to_bytes(code), code.size() * 4},
                                         {kData, d, d.size()}}));
    return path;
}

const std::vector<uint32_t> kSystemOff = {movz(0, 0x8400, 1), movk(0, 0x0008), hvc(0),
                                          kBranchToSelf};

// Semihosting SYS_EXIT_EXTENDED with the block at kData, whose status word the code has stored.
const std::vector<uint32_t> kExitWithBlock = {movz(0, 0x20), movz(1, 0x4009, 1), hlt(0xf000)};

std::vector<uint32_t> operator+(std::vector<uint32_t> a, const std::vector<uint32_t> &b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

void expect_usage_error(const std::vector<std::string> &args, const std::string &named)
{
    CommandResult r = httusim(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(has(r.err, named)) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

void expect_load_error(const std::string &path, const std::string &what)
{
    CommandResult r = httusim({path});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, path)) << r.err;
    EXPECT_TRUE(has(r.err, what)) << r.err;
}

} // namespace

TEST(CliTest, HelpListsOptionsAndExitStatuses)
{
    CommandResult r = httusim({"--help"});
    EXPECT_EQ(r.status, 0);
    for (const char *opt : {"--ram-size=", "--uart=", "--max-insts=", "--stats=", "--stats-json=",
                            "--hafdbs=", "--hypervisor=", "--fault-loop-limit=", "--reg-trace=",
                            "--tlb-l1i=", "--tlb-l1d=", "--tlb-l2=", "--walk-cache=",
                            "--version", "Exit status"})
        EXPECT_TRUE(has(r.out, opt)) << opt;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliTest, VersionPrintsTheName)
{
    CommandResult r = httusim({"--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(has(r.out, "httusim")) << r.out;
}

TEST(CliTest, UsageErrorsNameTheOption)
{
    std::string fw = firmware("fw.elf", kSystemOff);
    expect_usage_error({}, "ELF");
    expect_usage_error({"--frobnicate=1", fw}, "--frobnicate");
    expect_usage_error({"--ram-size=12Q", fw}, "--ram-size");
    expect_usage_error({"--ram-size", fw}, "--ram-size");
    expect_usage_error({"--ram-size=1000", fw}, "--ram-size");
    expect_usage_error({"--max-insts=ten", fw}, "--max-insts");
    expect_usage_error({"--max-insts=-1", fw}, "--max-insts");
    expect_usage_error({"--hafdbs=3", fw}, "--hafdbs");
    expect_usage_error({"--hypervisor=xen", fw}, "--hypervisor");
    expect_usage_error({"--fault-loop-limit=", fw}, "--fault-loop-limit");
    expect_usage_error({"--stats", fw}, "--stats");
    expect_usage_error({fw, "extra"}, "extra");
    expect_usage_error({"--uart=/nonexistent-dir/uart.txt", fw}, "--uart");
    expect_usage_error({"--tlb-l1d=48:5", fw}, "--tlb-l1d");      // not a multiple of WAYS
    expect_usage_error({"--tlb-l2=96:4", fw}, "--tlb-l2");        // 24 sets
    expect_usage_error({"--tlb-l1i=32", fw}, "--tlb-l1i");        // no WAYS
    expect_usage_error({"--walk-cache=0:4", fw}, "--walk-cache");
    expect_usage_error({"--walk-cache=64:0", fw}, "--walk-cache");
}

TEST(CliTest, LoadErrorsNameTheFile)
{
    expect_load_error(temp_path("missing.elf"), "cannot open");
    std::string text = temp_path("readme.txt");
    write_text_file(text, "hello\n");
    expect_load_error(text, "not an ELF");
    std::string elf32 = temp_path("arm32.elf");
    write_file(elf32, make_elf32_header());
    expect_load_error(elf32, "32-bit");
    expect_load_error("/bin/true", "not AArch64");

    std::vector<uint8_t> cut = make_elf64(kEntry, {{kEntry, words_to_bytes(kSystemOff), 16}});
    cut.resize(cut.size() - 6);
    std::string truncated = temp_path("cut.elf");
    write_file(truncated, cut);
    expect_load_error(truncated, "truncated");

    std::string low = temp_path("low.elf");
    write_file(low, make_elf64(0x1000, {{0x1000, words_to_bytes(kSystemOff), 16}}));
    expect_load_error(low, "[0x1000, 0x1010)");
}

TEST(CliTest, ElfLinkedOutsideRamByTheCrossToolchain)
{
    const std::string gcc = AARCH64_GCC;
    if (gcc.empty())
        GTEST_SKIP() << "aarch64-linux-gnu-gcc not found";
    std::string src = temp_path("low.S"), elf = temp_path("low-gcc.elf");
    write_text_file(src, ".global _start\n_start:\n  b .\n");
    CommandResult cc = run_command({gcc, "-nostdlib", "-static", "-Wl,-Ttext=0x200000",
                                    "-Wl,--build-id=none", src, "-o", elf},
                                   temp_path("gcc"));
    ASSERT_EQ(cc.status, 0) << cc.err;
    CommandResult r = httusim({elf});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, elf)) << r.err;
    EXPECT_TRUE(has(r.err, "segment")) << r.err;   // its range depends on the linker's layout
    EXPECT_TRUE(has(r.err, "outside RAM [0x40000000, 0x48000000)")) << r.err;
}

TEST(CliTest, SystemOffExitsZeroAndWritesStats)
{
    std::string fw = firmware("off.elf", kSystemOff);
    std::string stats = temp_path("stats.txt"), json = temp_path("stats.json");
    CommandResult r = httusim({"--stats=" + stats, "--stats-json=" + json, fw});
    EXPECT_EQ(r.status, 0) << r.err;
    std::string text = slurp(stats);
    for (const char *name :
         {"sim.insts", "sim.cycles", "sim.host_seconds", "sim.mips", "sim.exit_code",
          "cpu.exceptions", "cpu.exceptions.ec_0x00", "cpu.exceptions.ec_0x07",
          "cpu.exceptions.ec_0x0e", "cpu.exceptions.ec_0x15", "cpu.exceptions.ec_0x18",
          "cpu.exceptions.ec_0x20", "cpu.exceptions.ec_0x21", "cpu.exceptions.ec_0x22",
          "cpu.exceptions.ec_0x24", "cpu.exceptions.ec_0x25", "cpu.exceptions.ec_0x26",
          "cpu.exceptions.ec_0x3c", "hvc.calls", "hvc.PSCI_SYSTEM_OFF", "hvc.unknown",
          "cache.maint.dc_civac", "cache.maint.bytes", "mmu.tlbi.VALE1"})
        EXPECT_TRUE(has(text, std::string("\n") + name + " ") || text.rfind(name, 0) == 0)
            << name;
    std::string js = slurp(json);
    EXPECT_EQ(js.front(), '{');
    EXPECT_TRUE(has(js, "\"sim.insts\": 3")) << js;   // MOVZ, MOVK, HVC (answered: retires)
    EXPECT_TRUE(has(js, "\"hvc.PSCI_SYSTEM_OFF\": 1")) << js;
    EXPECT_TRUE(has(js, "\"hvc.calls\": 1")) << js;
    EXPECT_TRUE(has(js, "\"sim.exit_code\": 0")) << js;
}

TEST(CliTest, FirmwareExitStatusBecomesTheCommandsStatus)
{
    std::string fw = firmware("exit.elf", kExitWithBlock, {0x20026, 42});
    CommandResult r = httusim({fw});
    EXPECT_EQ(r.status, 42) << r.err;
}

TEST(CliTest, FirmwareSeesItsCommandLine)
{
    // SYS_GET_CMDLINE into kData + 0x100, then SYS_WRITE0 of it, then SYSTEM_OFF.
    std::vector<uint64_t> data(0x200 / 8, 0);
    data[0] = kData + 0x100;
    data[1] = 0x100;
    std::string fw = firmware("cmdline.elf",
                              Code{movz(0, 0x15), movz(1, 0x4009, 1), hlt(0xf000), movz(0, 0x04),
                               movz(1, 0x4009, 1), movk(1, 0x0100), hlt(0xf000)} + kSystemOff,
                              data);
    CommandResult r = httusim({fw, "--", "alpha", "--beta=2"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, fw + " alpha --beta=2");
}

TEST(CliTest, UartOutputGoesToTheFileNamed)
{
    std::string fw = firmware("uart.elf", Code{movz(2, 0x0900, 1), movz(3, 'A'), strb(3, 2, 0)} +
                                              kSystemOff);
    std::string uart = temp_path("uart.txt");
    CommandResult r = httusim({"--uart=" + uart, fw});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(slurp(uart), "A");
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliTest, HypervisorModeDecidesWhatAnswersTheKvmUidCall)
{
    // x0 = KVM UID call; HVC; store x0 as the exit status; exit.
    std::vector<uint32_t> code = {movz(0, 0x8600, 1), movk(0, 0xff01), hvc(0),
                                  movz(1, 0x4009, 1), str_x(0, 1, 8)};
    std::string fw = firmware("uid.elf", code + kExitWithBlock, {0x20026, 0});
    EXPECT_EQ(httusim({fw}).status, 0x28);                     // pkvm: x0 = 0xb66fb428
    EXPECT_EQ(httusim({"--hypervisor=psci", fw}).status, 0xff); // NOT_SUPPORTED (-1)
    EXPECT_EQ(httusim({"--hypervisor=none", fw}).status, 4);    // UNDEFINED, no vectors
}

TEST(CliTest, HafdbsOptionSetsTheIdRegisterField)
{
    std::vector<uint32_t> code = {mrs(0, kIdAa64mmfr1El1), and_0xf(0, 0), movz(1, 0x4009, 1),
                                  str_x(0, 1, 8)};
    std::string fw = firmware("hafdbs.elf", code + kExitWithBlock, {0x20026, 0});
    EXPECT_EQ(httusim({fw}).status, 2);   // default 2: AF and dirty state
    EXPECT_EQ(httusim({"--hafdbs=0", fw}).status, 0);
    EXPECT_EQ(httusim({"--hafdbs=1", fw}).status, 1);
}

TEST(CliTest, GuestFatalErrorIsStatus4WithAReport)
{
    std::string fw = firmware("udf.elf", {udf(0xbeef)});
    CommandResult r = httusim({fw});
    EXPECT_EQ(r.status, 4);
    EXPECT_TRUE(has(r.err, "0x0000000040080000")) << r.err;
    EXPECT_TRUE(has(r.err, "0x0000beef")) << r.err;
    EXPECT_TRUE(has(r.err, "ESR")) << r.err;
}

TEST(CliTest, WfiWithNothingToWakeIsStatus4)
{
    CommandResult r = httusim({firmware("wfi.elf", {kWfi, kBranchToSelf})});
    EXPECT_EQ(r.status, 4);
    EXPECT_TRUE(has(r.err, "WFI")) << r.err;
}

TEST(CliTest, InstructionLimitIsStatus5NamingLimitAndPc)
{
    std::string stats = temp_path("stats.json");
    CommandResult r = httusim({"--max-insts=5000", "--stats-json=" + stats,
                               firmware("spin.elf", {kBranchToSelf})});
    EXPECT_EQ(r.status, 5);
    EXPECT_TRUE(has(r.err, "5000")) << r.err;
    EXPECT_TRUE(has(r.err, "0x0000000040080000")) << r.err;
    EXPECT_TRUE(has(slurp(stats), "\"sim.insts\": 5000"));
    EXPECT_TRUE(has(slurp(stats), "\"sim.exit_code\": 5"));
}

TEST(CliTest, RegisterTraceHasOneLinePerInstruction)
{
    std::string trace = temp_path("trace.txt");
    CommandResult r = httusim({"--reg-trace=" + trace, firmware("trace.elf", kSystemOff)});
    EXPECT_EQ(r.status, 0) << r.err;
    std::string t = slurp(trace);
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 3);
    EXPECT_EQ(t.rfind("PC=0000000040080000 X00=", 0), 0u) << t.substr(0, 80);
}
