// The httusim command, run as a program: usage errors (status 2, message naming the option),
// load errors (status 3, message naming the file), and runs of small hand-encoded firmware that
// end each way (status 0 / firmware status / 4 / 5), with the statistics files.
#include "a64_encode.h"
#include "elf_builder.h"
#include "run_command.h"
#include "run.h"

#include <systemc>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace a64enc;

namespace {

using Code = std::vector<uint32_t>;

const std::string kHttusim = HTTUSIM_BIN;

CommandResult run_httusim(std::vector<std::string> args)
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
    CommandResult r = run_httusim(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(has(r.err, named)) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

void expect_load_error(const std::string &path, const std::string &what)
{
    CommandResult r = run_httusim({path});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, path)) << r.err;
    EXPECT_TRUE(has(r.err, what)) << r.err;
}

} // namespace

TEST(CliTest, HelpListsOptionsAndExitStatuses)
{
    CommandResult r = run_httusim({"--help"});
    EXPECT_EQ(r.status, 0);
    for (const char *opt : {"--ram-size=", "--uart=", "--max-insts=", "--stats=", "--stats-json=",
                            "--hafdbs=", "--hypervisor=", "--fault-loop-limit=", "--reg-trace=",
                            "--tlb-l1i=", "--tlb-l1d=", "--tlb-l2=", "--walk-cache=",
                            "--version", "Exit status", "an output could not be written",
                            "internal error", "130, 143"})
        EXPECT_TRUE(has(r.out, opt)) << opt;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliTest, VersionPrintsTheName)
{
    CommandResult r = run_httusim({"--version"});
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
    CommandResult r = run_httusim({elf});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, elf)) << r.err;
    EXPECT_TRUE(has(r.err, "segment")) << r.err;   // its range depends on the linker's layout
    EXPECT_TRUE(has(r.err, "outside RAM [0x40000000, 0x48000000)")) << r.err;
}

TEST(CliTest, SystemOffExitsZeroAndWritesStats)
{
    std::string fw = firmware("off.elf", kSystemOff);
    std::string stats = temp_path("stats.txt"), json = temp_path("stats.json");
    CommandResult r = run_httusim({"--stats=" + stats, "--stats-json=" + json, fw});
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
    CommandResult r = run_httusim({fw});
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
    CommandResult r = run_httusim({fw, "--", "alpha", "--beta=2"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, fw + " alpha --beta=2");
}

TEST(CliTest, UartOutputGoesToTheFileNamed)
{
    std::string fw = firmware("uart.elf", Code{movz(2, 0x0900, 1), movz(3, 'A'), strb(3, 2, 0)} +
                                              kSystemOff);
    std::string uart = temp_path("uart.txt");
    CommandResult r = run_httusim({"--uart=" + uart, fw});
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
    EXPECT_EQ(run_httusim({fw}).status, 0x28);                     // pkvm: x0 = 0xb66fb428
    EXPECT_EQ(run_httusim({"--hypervisor=psci", fw}).status, 0xff); // NOT_SUPPORTED (-1)
    EXPECT_EQ(run_httusim({"--hypervisor=none", fw}).status, 4);    // UNDEFINED, no vectors
}

TEST(CliTest, HafdbsOptionSetsTheIdRegisterField)
{
    std::vector<uint32_t> code = {mrs(0, kIdAa64mmfr1El1), and_0xf(0, 0), movz(1, 0x4009, 1),
                                  str_x(0, 1, 8)};
    std::string fw = firmware("hafdbs.elf", code + kExitWithBlock, {0x20026, 0});
    EXPECT_EQ(run_httusim({fw}).status, 2);   // default 2: AF and dirty state
    EXPECT_EQ(run_httusim({"--hafdbs=0", fw}).status, 0);
    EXPECT_EQ(run_httusim({"--hafdbs=1", fw}).status, 1);
}

TEST(CliTest, GuestFatalErrorIsStatus4WithAReport)
{
    std::string fw = firmware("udf.elf", {udf(0xbeef)});
    CommandResult r = run_httusim({fw});
    EXPECT_EQ(r.status, 4);
    EXPECT_TRUE(has(r.err, "0x0000000040080000")) << r.err;
    EXPECT_TRUE(has(r.err, "0x0000beef")) << r.err;
    EXPECT_TRUE(has(r.err, "ESR")) << r.err;
}

TEST(CliTest, WfiWithNothingToWakeIsStatus4)
{
    CommandResult r = run_httusim({firmware("wfi.elf", {kWfi, kBranchToSelf})});
    EXPECT_EQ(r.status, 4);
    EXPECT_TRUE(has(r.err, "WFI")) << r.err;
}

TEST(CliTest, InstructionLimitIsStatus5NamingLimitAndPc)
{
    std::string stats = temp_path("stats.json");
    CommandResult r = run_httusim({"--max-insts=5000", "--stats-json=" + stats,
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
    CommandResult r = run_httusim({"--reg-trace=" + trace, firmware("trace.elf", kSystemOff)});
    EXPECT_EQ(r.status, 0) << r.err;
    std::string t = slurp(trace);
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 3);
    EXPECT_EQ(t.rfind("PC=0000000040080000 X00=", 0), 0u) << t.substr(0, 80);
}

// ---- bad inputs: one line naming the file, status 3, nothing run

namespace {

// Exactly one line on stderr, "httusim: ..." (no SystemC report, no exception text).
void expect_one_httusim_line(const std::string &err)
{
    EXPECT_EQ(err.rfind("httusim: ", 0), 0u) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << "one line: " << err;
    EXPECT_FALSE(has(err, "Error:") || has(err, "E549") || has(err, "exception")) << err;
}

} // namespace

TEST(CliTest, OverlappingSegmentsAreALoadError)
{
    std::string path = temp_path("overlap.elf");
    write_file(path, make_elf64(kEntry, {{kEntry, words_to_bytes(kSystemOff), 0x100},
                                         {kEntry + 0xc0, {0, 0, 0, 0}, 0x100}}));
    CommandResult r = run_httusim({path});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, path)) << r.err;
    EXPECT_TRUE(has(r.err, "segment 0 [0x40080000, 0x40080100) and segment 1 "
                           "[0x400800c0, 0x400801c0) overlap in physical memory at "
                           "[0x400800c0, 0x40080100)")) << r.err;
    expect_one_httusim_line(r.err);
}

TEST(CliTest, EntryPointOutsideCodeOrUnalignedIsALoadError)
{
    std::string data_entry = temp_path("entry-data.elf");
    write_file(data_entry, make_elf64(kData, {{kEntry, words_to_bytes(kSystemOff), 16, PF_R | PF_X},
                                              {kData, {0, 0, 0, 0}, 4, PF_R | PF_W}}));
    expect_load_error(data_entry, "entry point 0x40090000 lies in no loaded executable");
    std::string odd = temp_path("entry-odd.elf");
    write_file(odd, make_elf64(kEntry + 2, {{kEntry, words_to_bytes(kSystemOff), 16}}));
    expect_load_error(odd, "entry point 0x40080002 is not 4-byte aligned");
}

TEST(CliTest, VirtualEntryPointStartsAtItsPhysicalAddress)
{
    // Code at VA 0xffff000000080000, loaded at kEntry: SYSTEM_OFF runs (status 0) only if the
    // core starts at the physical address (with the MMU off the VA is not in RAM: status 4).
    std::string path = temp_path("entry-va.elf");
    const uint64_t va = 0xffff000000080000;
    write_file(path, make_elf64(va, {{kEntry, words_to_bytes(kSystemOff), 16, PF_R | PF_X, va}}));
    CommandResult r = run_httusim({path});
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST(CliTest, NonRegularFilesAreLoadErrorsOnOneLine)
{
    std::string dir = temp_path("dir.elf");
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    CommandResult r = run_httusim({dir});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, dir + ": is a directory")) << r.err;
    expect_one_httusim_line(r.err);
    rmdir(dir.c_str());

    std::string fifo = temp_path("fifo.elf");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    r = run_httusim({fifo});   // would block for ever if the FIFO were opened
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, fifo + ": is a FIFO")) << r.err;
    expect_one_httusim_line(r.err);
    unlink(fifo.c_str());

    r = run_httusim({"/dev/zero"});
    EXPECT_EQ(r.status, 3) << r.err;
    EXPECT_TRUE(has(r.err, "/dev/zero: is a character device")) << r.err;
    expect_one_httusim_line(r.err);
}

// ---- write errors on the outputs: status 6, one line naming the option, file and reason

namespace {

constexpr int kOutputError = 6;

constexpr uint32_t kSubsX2X2One = 0xf1000442u;   // SUBS X2, X2, #1
constexpr uint32_t kBneBack1 = 0x54ffffe1u;      // B.NE .-4

// 2^17 turns of a delay loop (many quantum boundaries: --vcd has something to trace), the
// UART's 'A' to standard output (or --uart), then SYSTEM_OFF (one hvc event for --trace).
const std::vector<uint32_t> kUartThenOff = Code{movz(2, 0x2, 1), kSubsX2X2One, kBneBack1,
                                                movz(2, 0x0900, 1), movz(3, 'A'), strb(3, 2, 0)} +
                                           kSystemOff;

void expect_write_error(const CommandResult &r, const std::string &what)
{
    EXPECT_EQ(r.status, kOutputError) << r.err;
    EXPECT_TRUE(has(r.err, "httusim: " + what + ": write error: No space left on device"))
        << what << ": " << r.err;
}

} // namespace

TEST(CliTest, WriteErrorOnEachOutputFileIsStatus6)
{
    std::string fw = firmware("uart.elf", kUartThenOff);
    for (const char *option :
         {"--stats", "--stats-json", "--trace", "--vcd", "--uart", "--reg-trace"}) {
        const std::string arg = std::string(option) + "=/dev/full";
        expect_write_error(run_httusim({arg, fw}), arg);
    }
    // The control: the same outputs to files are written, status 0.
    std::string trace = temp_path("trace.txt"), uart = temp_path("uart.txt"),
                vcd = temp_path("waves.vcd");
    CommandResult ok = run_httusim({"--trace=" + trace, "--uart=" + uart, "--vcd=" + vcd, fw});
    EXPECT_EQ(ok.status, 0) << ok.err;
    EXPECT_TRUE(ok.err.empty()) << ok.err;
    EXPECT_TRUE(has(slurp(trace), " hvc ")) << slurp(trace);
    EXPECT_EQ(slurp(uart), "A");
    EXPECT_TRUE(has(slurp(vcd), "$enddefinitions"));
}

TEST(CliTest, VcdOfARunShorterThanAQuantumIsEmptyWithANote)
{
    // SystemC writes no VCD when no cycle was traced; httusim says so in its own words.
    std::string vcd = temp_path("short.vcd");
    CommandResult r = run_httusim({"--vcd=" + vcd, firmware("off.elf", kSystemOff)});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(has(r.err, "httusim: --vcd=" + vcd + ": nothing traced")) << r.err;
    expect_one_httusim_line(r.err);
    EXPECT_TRUE(slurp(vcd).empty());
}

TEST(CliTest, FullStandardOutputIsStatus6)
{
    std::string fw = firmware("uart.elf", kUartThenOff);
    expect_write_error(run_command({kHttusim, fw}, temp_path("run"), "/dev/full"),
                       "standard output");
    expect_write_error(run_command({kHttusim, "--help"}, temp_path("run"), "/dev/full"),
                       "standard output");
}

TEST(CliTest, WriteErrorWinsOverTheFirmwareStatus)
{
    std::string fw = firmware("exit.elf", kExitWithBlock, {0x20026, 42});
    EXPECT_EQ(run_httusim({fw}).status, 42);
    expect_write_error(run_httusim({"--stats=/dev/full", fw}), "--stats=/dev/full");
}

// The sim.exit_code line of a --stats file.
std::string exit_code_line(const std::string &stats_text)
{
    size_t at = stats_text.find("sim.exit_code ");
    return at == std::string::npos ? "" : stats_text.substr(at, stats_text.find('\n', at) - at);
}

TEST(CliTest, StatisticsRecordTheExitStatusWithTheWriteErrors)
{
    // The statistics files are written after the other outputs are closed: sim.exit_code is 6
    // when another output (here --uart, standard output) failed, as httusim's own status.
    std::string fw = firmware("uart.elf", kUartThenOff);   // status 0 when all is written
    std::string json = temp_path("stats.json"), text = temp_path("stats.txt");
    CommandResult r =
        run_httusim({"--uart=/dev/full", "--stats=" + text, "--stats-json=" + json, fw});
    expect_write_error(r, "--uart=/dev/full");
    EXPECT_TRUE(has(slurp(json), "\"sim.exit_code\": 6")) << slurp(json);
    EXPECT_TRUE(has(exit_code_line(slurp(text)), " 6  # ")) << exit_code_line(slurp(text));
    r = run_command({kHttusim, "--stats-json=" + json, fw}, temp_path("run"), "/dev/full");
    expect_write_error(r, "standard output");
    EXPECT_TRUE(has(slurp(json), "\"sim.exit_code\": 6")) << slurp(json);
    // --stats is closed before --stats-json is written: its write error is in the JSON.
    r = run_httusim({"--uart=" + temp_path("uart.txt"), "--stats=/dev/full",
                     "--stats-json=" + json, fw});
    expect_write_error(r, "--stats=/dev/full");
    EXPECT_TRUE(has(slurp(json), "\"sim.exit_code\": 6")) << slurp(json);
    // A file cannot record its own write error, nor one of a file written after it.
    r = run_httusim({"--uart=" + temp_path("uart.txt"), "--stats=" + text,
                     "--stats-json=/dev/full", fw});
    expect_write_error(r, "--stats-json=/dev/full");
    EXPECT_TRUE(has(exit_code_line(slurp(text)), " 0  # ")) << exit_code_line(slurp(text));
}

TEST(CliTest, CompareReportsARunsWriteError)
{
    std::string fw = firmware("off.elf", kSystemOff);
    CommandResult r = run_httusim({"--compare", "--stats=/dev/full", "", fw});
    EXPECT_EQ(r.status, kOutputError) << r.err;
    EXPECT_TRUE(has(r.err, "run A (\"--stats=/dev/full\") exited with status 6")) << r.err;
    EXPECT_TRUE(has(r.err, "--stats=/dev/full: write error")) << r.err;

    r = run_command({kHttusim, "--compare", "", "", fw}, temp_path("run"), "/dev/full");
    EXPECT_EQ(r.status, kOutputError) << r.err;
    EXPECT_TRUE(has(r.err, "--compare: standard output: write error: No space left on device"))
        << r.err;
}

// ---- SIGINT / SIGTERM: stop at a quantum boundary, write everything, exit 128 + N

namespace {

// PSCI_VERSION by HVC (one "hvc" trace line), then 2^17 iterations of a SUBS / B.NE delay
// loop, for ever: a few hundred trace lines per second, not megabytes.
constexpr uint32_t kBBack5 = 0x17fffffbu;        // B .-20
const std::vector<uint32_t> kHvcForEver = {movz(0, 0x8400, 1), hvc(0), movz(2, 0x2, 1),
                                           kSubsX2X2One, kBneBack1, kBBack5};

// Waits until `path` contains `text`; false after `seconds`.
bool wait_for_text(const std::string &path, const std::string &text, int seconds)
{
    for (int i = 0; i < seconds * 20; ++i) {
        if (has(slurp(path), text))
            return true;
        usleep(50'000);
    }
    return false;
}

// Waits for `pid` to end; false (and the process killed) after `seconds`.
bool wait_for_exit(pid_t pid, int seconds, int &wait_status)
{
    for (int i = 0; i < seconds * 20; ++i) {
        if (waitpid(pid, &wait_status, WNOHANG) == pid)
            return true;
        usleep(50'000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &wait_status, 0);
    return false;
}

uint64_t json_counter(const std::string &json, const std::string &name)
{
    const std::string key = "\"" + name + "\": ";
    size_t at = json.find(key);
    return at == std::string::npos ? 0 : std::strtoull(json.c_str() + at + key.size(), nullptr, 10);
}

void expect_clean_stop(int sig, const std::string &name)
{
    const std::string fw = firmware("hvc-loop.elf", kHvcForEver);
    const std::string stats = temp_path("stats.json"), trace = temp_path("trace.txt"),
                      vcd = temp_path("waves.vcd"), err = temp_path("sig.stderr");
    pid_t pid = spawn_command({kHttusim, "--progress=on", "--stats-json=" + stats,
                               "--trace=" + trace, "--vcd=" + vcd, fw},
                              temp_path("sig.stdout"), err);
    ASSERT_GT(pid, 0);
    // The progress line (about once per host second) shows that the run has started.
    const bool started = wait_for_text(err, " instructions ", 120);
    kill(pid, sig);
    int ws = 0;
    ASSERT_TRUE(wait_for_exit(pid, 120, ws)) << "did not stop; stderr: " << slurp(err);
    ASSERT_TRUE(started) << slurp(err);
    ASSERT_TRUE(WIFEXITED(ws)) << "killed by the signal instead of stopping";
    EXPECT_EQ(WEXITSTATUS(ws), 128 + sig);

    const std::string e = slurp(err);
    EXPECT_TRUE(has(e, "\nhttusim: stopped by " + name + " after ")) << e;
    const std::string json = slurp(stats);
    ASSERT_FALSE(json.empty());
    EXPECT_EQ(json.front(), '{');
    EXPECT_EQ(json.substr(json.size() - 2), "}\n") << "complete";
    EXPECT_GT(json_counter(json, "sim.insts"), 0u) << json;
    EXPECT_GT(json_counter(json, "hvc.calls"), 0u) << json;
    EXPECT_EQ(json_counter(json, "sim.exit_code"), static_cast<uint64_t>(128 + sig)) << json;
    // The instruction count printed is the one in the statistics.
    EXPECT_TRUE(has(e, "after " + std::to_string(json_counter(json, "sim.insts")) +
                           " instructions")) << e;

    const std::string t = slurp(trace);
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t.back(), '\n') << "the trace ends with a whole line";
    const size_t last = t.rfind('\n', t.size() - 2);
    const std::string last_line = t.substr(last == std::string::npos ? 0 : last + 1);
    EXPECT_TRUE(has(last_line, " hvc ")) << last_line;
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'),
              static_cast<long>(json_counter(json, "hvc.calls")))
        << "one trace line per HVC counted";

    const std::string w = slurp(vcd);
    EXPECT_TRUE(has(w, "$enddefinitions")) << w.substr(0, 200);
    EXPECT_TRUE(has(w, "hvc")) << w.substr(0, 200);
}

} // namespace

TEST(CliTest, SigintStopsAtAQuantumBoundaryWithStatus130)
{
    expect_clean_stop(SIGINT, "SIGINT");
}

TEST(CliTest, SigtermStopsAtAQuantumBoundaryWithStatus143)
{
    expect_clean_stop(SIGTERM, "SIGTERM");
}

TEST(CliTest, CompareStopsBothRunsOnSigterm)
{
    const std::string fw = firmware("hvc-loop.elf", kHvcForEver);
    const std::string dir = temp_path("compare-out"), err = temp_path("compare.stderr");
    pid_t pid = spawn_command({kHttusim, "--compare", "--progress=on", "--progress=on --quantum=5000",
                               "--compare-out=" + dir, fw},
                              temp_path("compare.stdout"), err);
    ASSERT_GT(pid, 0);
    // Both children print their progress line into the kept directory once they run.
    const bool started = wait_for_text(dir + "/a.stderr", " instructions ", 120) &&
                         wait_for_text(dir + "/b.stderr", " instructions ", 120);
    kill(pid, SIGTERM);
    int ws = 0;
    ASSERT_TRUE(wait_for_exit(pid, 120, ws)) << "did not stop; stderr: " << slurp(err);
    ASSERT_TRUE(started) << slurp(err);
    ASSERT_TRUE(WIFEXITED(ws)) << "killed by the signal instead of passing it on";
    EXPECT_EQ(WEXITSTATUS(ws), 143);
    const std::string e = slurp(err);
    EXPECT_TRUE(has(e, "run A (\"--progress=on\") exited with status 143")) << e;
    EXPECT_TRUE(has(e, "stopped by SIGTERM after")) << e;
    EXPECT_TRUE(has(slurp(dir + "/b.stderr"), "httusim: stopped by SIGTERM after"));
}

TEST(CliTest, VcdThatCannotBeSetUpIsOneLine)
{
    // The VCD goes through a FIFO in $TMPDIR: one that does not exist fails before the run.
    const std::vector<std::string> args = {kHttusim, "--vcd=" + temp_path("w.vcd"),
                                           firmware("off.elf", kSystemOff)};
    const std::string scratch = temp_path("run");   // temp_path() itself reads TMPDIR
    const char *old = std::getenv("TMPDIR");
    const std::string saved = old ? old : "";
    setenv("TMPDIR", "/nonexistent-httusim-dir", 1);
    CommandResult r = run_command(args, scratch);
    if (old)
        setenv("TMPDIR", saved.c_str(), 1);
    else
        unsetenv("TMPDIR");
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(has(r.err, "httusim: cannot build the platform: --vcd: cannot create the "
                           "temporary directory /nonexistent-httusim-dir/")) << r.err;
    expect_one_httusim_line(r.err);
}

TEST(CliTest, UncaughtExceptionsAndSystemcErrorsBecomeOneInternalErrorLine)
{
    // What httusim_main and main do with anything that escapes: one line, status 7.
    int status = 0;
    ::testing::internal::CaptureStderr();
    try {
        throw std::runtime_error("first line\nsecond line");
    } catch (...) {
        status = httusim::report_uncaught_exception();
    }
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(status, 7);
    EXPECT_EQ(err, "httusim: internal error: first line second line\n");

    sc_core::sc_report_handler::set_actions("/httusim/test", sc_core::SC_ERROR,
                                            sc_core::SC_THROW);
    ::testing::internal::CaptureStderr();
    try {
        SC_REPORT_ERROR("/httusim/test", "boom");
    } catch (...) {
        status = httusim::report_uncaught_exception();
    }
    err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(status, 7);
    EXPECT_EQ(err, "httusim: internal error: SystemC /httusim/test: boom\n");
}
