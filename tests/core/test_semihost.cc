// Arm semihosting ("Semihosting for AArch32 and AArch64" 2.0), driven through HLT #0xF000.
#include "a64_harness.h"

#include <string>

extern "C" {
#include "semihost/semihost.h"
}

namespace {

constexpr uint32_t kHltSemihost = 0xd45e0000;  // hlt #0xf000
constexpr uint64_t kBlock = 0x40080000;  // parameter block (the harness's scratch data)
constexpr uint64_t kBuf = 0x40081000;    // strings and buffers
constexpr uint64_t kAll = ~0ull;                     // -1 as returned in x0

class Semihost : public A64Test {
protected:
    semihost_host host{};
    std::string out[3];           // captured output by fd
    std::vector<int> exits;
    uint64_t ticks = 123456789012ull;

    void SetUp() override
    {
        A64Test::SetUp();
        host.ctx = this;
        host.write = [](void *ctx, int fd, const char *buf, size_t len) {
            static_cast<Semihost *>(ctx)->out[fd].append(buf, len);
        };
        host.exit = [](void *ctx, int status) {
            static_cast<Semihost *>(ctx)->exits.push_back(status);
        };
        host.clock_centis = [](void *) -> uint64_t { return 42; };
        host.elapsed_ticks = [](void *ctx) { return static_cast<Semihost *>(ctx)->ticks; };
        host.tick_freq = 1000000;
        host.cmdline = "fw.elf --mode=hw";
        host.heap_base = 0x40100000;
        host.heap_limit = 0x40200000;
        host.stack_base = 0x40300000;
        host.stack_limit = 0x40280000;
        semihost_handler = [this](a64_cpu *c) {
            semihost_call(c, &host);
            return true;
        };
    }

    // Issue semihosting call `op` with parameter `param`; returns x0.
    uint64_t call(uint64_t op, uint64_t param)
    {
        cpu.x[0] = op;
        cpu.x[1] = param;
        cpu.pc = kCode;
        exec(kHltSemihost);
        EXPECT_EQ(cpu.pc, kCode + 4);
        return cpu.x[0];
    }
    uint64_t call_block(uint32_t op, std::initializer_list<uint64_t> words)
    {
        uint64_t a = kBlock;
        for (uint64_t w : words) { put64(a, w); a += 8; }
        return call(op, kBlock);
    }
    void put_string(uint64_t at, const std::string &s)
    {
        std::memcpy(&ram[at - kRamBase], s.c_str(), s.size() + 1);
    }
    std::string get_string(uint64_t at) const
    {
        return std::string(reinterpret_cast<const char *>(&ram[at - kRamBase]));
    }
};

TEST_F(Semihost, Write0PrintsString)
{
    put_string(kBuf, "hello, world\n");
    call(SEMIHOST_SYS_WRITE0, kBuf);
    EXPECT_EQ(out[1], "hello, world\n");
    EXPECT_EQ(cpu.ctr.exceptions, 0u);
}

TEST_F(Semihost, Write0LongStringIsNotTruncated)
{
    std::string s(1000, 'a');
    s += "end";
    put_string(kBuf, s);
    call(SEMIHOST_SYS_WRITE0, kBuf);
    EXPECT_EQ(out[1], s);
}

TEST_F(Semihost, WritecPrintsOneCharacter)
{
    ram[kBuf - kRamBase] = 'x';
    call(SEMIHOST_SYS_WRITEC, kBuf);
    EXPECT_EQ(out[1], "x");
}

TEST_F(Semihost, BadPointerReturnsMinusOne)
{
    EXPECT_EQ(call(SEMIHOST_SYS_WRITEC, 0x10), kAll);
    EXPECT_EQ(call(SEMIHOST_SYS_WRITE, 0x10), kAll);
    EXPECT_EQ(call(SEMIHOST_SYS_GET_CMDLINE, 0x10), kAll);
    EXPECT_EQ(call(SEMIHOST_SYS_EXIT, 0x10), kAll);
    EXPECT_FALSE(cpu.halted);
    EXPECT_TRUE(out[1].empty());
}

TEST_F(Semihost, OpenConsole)
{
    put_string(kBuf, ":tt");
    EXPECT_EQ(call_block(SEMIHOST_SYS_OPEN, {kBuf, 0, 3}), 1u);   // "r": stdin
    EXPECT_EQ(call_block(SEMIHOST_SYS_OPEN, {kBuf, 4, 3}), 2u);   // "w": stdout
    EXPECT_EQ(call_block(SEMIHOST_SYS_OPEN, {kBuf, 8, 3}), 3u);   // "a": stderr
    EXPECT_EQ(call_block(SEMIHOST_SYS_OPEN, {kBuf, 12, 3}), kAll);
    put_string(kBuf, "file.txt");
    EXPECT_EQ(call_block(SEMIHOST_SYS_OPEN, {kBuf, 0, 8}), kAll);
}

TEST_F(Semihost, WriteToStdoutAndStderr)
{
    put_string(kBuf, "abcdef");
    EXPECT_EQ(call_block(SEMIHOST_SYS_WRITE, {2, kBuf, 5}), 0u);
    EXPECT_EQ(out[1], "abcde");
    EXPECT_EQ(call_block(SEMIHOST_SYS_WRITE, {3, kBuf, 3}), 0u);
    EXPECT_EQ(out[2], "abc");
}

TEST_F(Semihost, WriteReturnsBytesNotWritten)
{
    EXPECT_EQ(call_block(SEMIHOST_SYS_WRITE, {1, kBuf, 5}), 5u);  // stdin is not writable
    // A buffer running off the end of RAM: 3 bytes written, 2 not.
    uint64_t end = kRamBase + kRamSize;
    std::memcpy(&ram[end - 3 - kRamBase], "xyz", 3);
    EXPECT_EQ(call_block(SEMIHOST_SYS_WRITE, {2, end - 3, 5}), 2u);
    EXPECT_EQ(out[1], "xyz");
}

TEST_F(Semihost, ReadFromStdinReadsNothing)
{
    EXPECT_EQ(call_block(SEMIHOST_SYS_READ, {1, kBuf, 16}), 16u);
    EXPECT_EQ(call_block(SEMIHOST_SYS_READ, {9, kBuf, 16}), kAll);
    EXPECT_EQ(call(SEMIHOST_SYS_READC, 0), kAll);
}

TEST_F(Semihost, HandleQueries)
{
    EXPECT_EQ(call_block(SEMIHOST_SYS_ISTTY, {2}), 1u);
    EXPECT_EQ(call_block(SEMIHOST_SYS_ISTTY, {7}), kAll);
    EXPECT_EQ(call_block(SEMIHOST_SYS_CLOSE, {2}), 0u);
    EXPECT_EQ(call_block(SEMIHOST_SYS_CLOSE, {7}), kAll);
    EXPECT_EQ(call_block(SEMIHOST_SYS_FLEN, {2}), kAll);
    EXPECT_EQ(call_block(SEMIHOST_SYS_SEEK, {2, 0}), kAll);
    EXPECT_NE(call_block(SEMIHOST_SYS_ISERROR, {(uint64_t)-5}), 0u);
    EXPECT_EQ(call_block(SEMIHOST_SYS_ISERROR, {0}), 0u);
    EXPECT_EQ(call(SEMIHOST_SYS_ERRNO, 0), 0u);
}

TEST_F(Semihost, ClockTimeAndTicks)
{
    EXPECT_EQ(call(SEMIHOST_SYS_CLOCK, 0), 42u);
    EXPECT_EQ(call(SEMIHOST_SYS_TIME, 0), 0u);  // deterministic runs
    EXPECT_EQ(call(SEMIHOST_SYS_TICKFREQ, 0), 1000000u);
    put64(kBuf, 0);
    EXPECT_EQ(call(SEMIHOST_SYS_ELAPSED, kBuf), 0u);
    EXPECT_EQ(get64(kBuf), ticks);
}

TEST_F(Semihost, GetCmdlineCopiesAndUpdatesLength)
{
    std::memset(&ram[kBuf - kRamBase], 0x55, 64);
    EXPECT_EQ(call_block(SEMIHOST_SYS_GET_CMDLINE, {kBuf, 64}), 0u);
    EXPECT_EQ(get_string(kBuf), "fw.elf --mode=hw");
    EXPECT_EQ(get64(kBlock + 8), 16u);
}

TEST_F(Semihost, GetCmdlineExactFit)
{
    EXPECT_EQ(call_block(SEMIHOST_SYS_GET_CMDLINE, {kBuf, 17}), 0u);  // 16 chars + NUL
    EXPECT_EQ(get_string(kBuf), "fw.elf --mode=hw");
}

TEST_F(Semihost, GetCmdlineTooSmall)
{
    std::memset(&ram[kBuf - kRamBase], 0x55, 64);
    EXPECT_EQ(call_block(SEMIHOST_SYS_GET_CMDLINE, {kBuf, 16}), kAll);
    EXPECT_EQ(ram[kBuf - kRamBase], 0x55);  // untouched
    EXPECT_EQ(get64(kBlock + 8), 16u);      // length unchanged
}

TEST_F(Semihost, HeapInfoFillsFourWords)
{
    put64(kBlock, kBuf);  // x1 -> pointer -> block
    EXPECT_EQ(call(SEMIHOST_SYS_HEAPINFO, kBlock), 0u);
    EXPECT_EQ(get64(kBuf + 0), 0x40100000u);
    EXPECT_EQ(get64(kBuf + 8), 0x40200000u);
    EXPECT_EQ(get64(kBuf + 16), 0x40300000u);
    EXPECT_EQ(get64(kBuf + 24), 0x40280000u);
}

TEST_F(Semihost, ExitWithApplicationExitStatus)
{
    put64(kBlock, SEMIHOST_ADP_STOPPED_APPLICATION_EXIT);
    put64(kBlock + 8, 3);
    cpu.x[0] = SEMIHOST_SYS_EXIT;
    cpu.x[1] = kBlock;
    code({kHltSemihost});
    EXPECT_EQ(a64_step(&cpu), A64_STEP_HALT);
    EXPECT_TRUE(cpu.halted);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0], 3);
}

TEST_F(Semihost, ExitWithOtherReasonIsFailure)
{
    put64(kBlock, 0x20023);  // ADP_Stopped_RunTimeErrorUnknown
    put64(kBlock + 8, 0);
    cpu.x[0] = SEMIHOST_SYS_EXIT;
    cpu.x[1] = kBlock;
    code({kHltSemihost});
    EXPECT_EQ(a64_step(&cpu), A64_STEP_HALT);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0], 1);
}

TEST_F(Semihost, ExitExtended)
{
    put64(kBlock, SEMIHOST_ADP_STOPPED_APPLICATION_EXIT);
    put64(kBlock + 8, 0);
    cpu.x[0] = SEMIHOST_SYS_EXIT_EXTENDED;
    cpu.x[1] = kBlock;
    code({kHltSemihost});
    EXPECT_EQ(a64_step(&cpu), A64_STEP_HALT);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0], 0);
}

TEST_F(Semihost, UnknownOperationReturnsMinusOne)
{
    cpu.x[0] = 0x99;
    EXPECT_EQ(semihost_call(&cpu, &host), -1);
    EXPECT_EQ(cpu.x[0], kAll);
    EXPECT_EQ(call(0x99, 0), kAll);  // and through HLT: not UNDEFINED
}

TEST_F(Semihost, OperationNumberIsW0)
{
    put_string(kBuf, "w0");
    call(0xffffffff00000000ull | SEMIHOST_SYS_WRITE0, kBuf);
    EXPECT_EQ(out[1], "w0");
}

TEST_F(Semihost, HostWithoutCallbacksDoesNotCrash)
{
    host = semihost_host{};
    put_string(kBuf, "quiet");
    call(SEMIHOST_SYS_WRITE0, kBuf);
    EXPECT_EQ(call(SEMIHOST_SYS_CLOCK, 0), kAll);
    EXPECT_EQ(call(SEMIHOST_SYS_TICKFREQ, 0), kAll);
    EXPECT_EQ(call_block(SEMIHOST_SYS_GET_CMDLINE, {kBuf, 4}), 0u);  // empty command line
    EXPECT_EQ(get_string(kBuf), "");
}

}  // namespace
