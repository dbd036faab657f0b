// ELF loader tests: what read_elf accepts and loads, and the one-line error naming the file for
// each kind of bad input (generated here: text, truncated, 32-bit, x86-64, outside RAM).
#include "elf_builder.h"
#include "elf_loader.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace httusim;

namespace {

const AddressRange kRam{0x40000000, 128ull << 20};

std::vector<uint8_t> valid_elf()
{
    return make_elf64(0x40080000, {{0x40080000, {1, 2, 3, 4, 5, 6, 7, 8}, 8},
                                   {0x40090000, {9, 9}, 0x1000}});   // data + bss
}

// read_elf must fail on `path` with a message naming it and containing `what`.
void expect_error(const std::string &path, const std::string &what)
{
    ElfImage image;
    std::string error;
    EXPECT_FALSE(read_elf(path, kRam, image, error));
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find(what), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
}

} // namespace

TEST(ElfLoaderTest, ReadsEntrySegmentsAndEnd)
{
    std::string path = temp_path("ok.elf");
    write_file(path, valid_elf());
    ElfImage image;
    std::string error;
    ASSERT_TRUE(read_elf(path, kRam, image, error)) << error;
    EXPECT_EQ(image.entry, 0x40080000u);
    ASSERT_EQ(image.segments.size(), 2u);
    EXPECT_EQ(image.segments[1].paddr, 0x40090000u);
    EXPECT_EQ(image.segments[1].filesz, 2u);
    EXPECT_EQ(image.segments[1].memsz, 0x1000u);
    EXPECT_EQ(image.end, 0x40091000u);
}

TEST(ElfLoaderTest, CopiesFileDataAndZeroesTheRest)
{
    std::string path = temp_path("ok.elf");
    write_file(path, valid_elf());
    ElfImage image;
    std::string error;
    ASSERT_TRUE(read_elf(path, kRam, image, error)) << error;
    std::vector<uint8_t> ram(0x100000, 0xee);   // the first MiB of RAM
    copy_elf_to_ram(image, ram.data(), kRam);
    EXPECT_EQ(ram[0x80000], 1);
    EXPECT_EQ(ram[0x80007], 8);
    EXPECT_EQ(ram[0x80008], 0xee);   // past the segment: untouched
    EXPECT_EQ(ram[0x90001], 9);
    EXPECT_EQ(ram[0x90002], 0);      // bss
    EXPECT_EQ(ram[0x90fff], 0);
    EXPECT_EQ(ram[0x91000], 0xee);
}

TEST(ElfLoaderTest, MissingFile)
{
    expect_error(temp_path("does-not-exist.elf"), "cannot open");
}

TEST(ElfLoaderTest, TextFileIsNotAnElf)
{
    std::string path = temp_path("notes.txt");
    write_text_file(path, "this is not an ELF file\n");
    expect_error(path, "not an ELF");
}

TEST(ElfLoaderTest, EmptyFileIsNotAnElf)
{
    std::string path = temp_path("empty");
    write_file(path, {});
    expect_error(path, "not an ELF");
}

TEST(ElfLoaderTest, ThirtyTwoBitElfIsRefused)
{
    std::string path = temp_path("arm32.elf");
    write_file(path, make_elf32_header());
    expect_error(path, "32-bit");
}

TEST(ElfLoaderTest, X86ElfIsRefusedNamingTheMachine)
{
    if (access("/bin/true", R_OK) != 0)
        GTEST_SKIP() << "/bin/true not readable";
    expect_error("/bin/true", "not AArch64");
    std::string path = temp_path("x86.elf");
    write_file(path, make_elf64(0x40080000, {{0x40080000, {0, 0, 0, 0}, 4}}, EM_X86_64));
    expect_error(path, "x86-64");
}

TEST(ElfLoaderTest, TruncatedSegmentDataIsReported)
{
    std::vector<uint8_t> bytes = valid_elf();
    bytes.resize(bytes.size() - 1);   // the last segment's data now runs past the end
    std::string path = temp_path("cut.elf");
    write_file(path, bytes);
    expect_error(path, "truncated");
}

TEST(ElfLoaderTest, TruncatedHeaderIsReported)
{
    std::vector<uint8_t> bytes = valid_elf();
    bytes.resize(40);   // inside the 64-byte ELF header
    std::string path = temp_path("cut-header.elf");
    write_file(path, bytes);
    expect_error(path, "truncated");
    bytes = valid_elf();
    bytes.resize(sizeof(Elf64_Ehdr) + 10);   // inside the program headers
    write_file(path, bytes);
    expect_error(path, "truncated");
}

TEST(ElfLoaderTest, SegmentOutsideRamNamesBothRanges)
{
    std::string path = temp_path("low.elf");
    write_file(path, make_elf64(0x80000, {{0x80000, {0, 0, 0, 0}, 0x100}}));
    expect_error(path, "[0x80000, 0x80100)");
    expect_error(path, "RAM [0x40000000, 0x48000000)");
}

TEST(ElfLoaderTest, SegmentRunningPastTheEndOfRamIsOutside)
{
    std::string path = temp_path("tail.elf");
    write_file(path, make_elf64(0x47fff000, {{0x47fff000, {0, 0, 0, 0}, 0x2000}}));
    expect_error(path, "outside RAM");
}

TEST(ElfLoaderTest, NoLoadableSegment)
{
    std::string path = temp_path("empty.elf");
    write_file(path, make_elf64(0x40080000, {}));
    expect_error(path, "no loadable");
}

TEST(ElfLoaderTest, OverlappingSegmentsNameBothAndTheOverlap)
{
    std::string path = temp_path("overlap.elf");
    write_file(path, make_elf64(0x40080000, {{0x40080000, {1, 2, 3, 4}, 0x100},
                                             {0x40090000, {5}, 0x10},
                                             {0x40080080, {6, 7}, 0x100}}));
    expect_error(path, "segment 0 [0x40080000, 0x40080100)");
    expect_error(path, "segment 2 [0x40080080, 0x40080180)");
    expect_error(path, "overlap in physical memory at [0x40080080, 0x40080100)");
}

TEST(ElfLoaderTest, SegmentInsideAnotherOverlapsWhole)
{
    std::string path = temp_path("nested.elf");
    write_file(path, make_elf64(0x40080000, {{0x40080000, {1, 2, 3, 4}, 0x1000},
                                             {0x40080400, {5}, 0x10}}));
    expect_error(path, "at [0x40080400, 0x40080410)");
}

TEST(ElfLoaderTest, AdjacentSegmentsAreAccepted)
{
    std::string path = temp_path("adjacent.elf");
    write_file(path, make_elf64(0x40080000, {{0x40080000, {1, 2, 3, 4}, 0x100},
                                             {0x40080100, {5}, 0x100}}));
    ElfImage image;
    std::string error;
    EXPECT_TRUE(read_elf(path, kRam, image, error)) << error;
}

TEST(ElfLoaderTest, EntryInANonExecutableSegmentIsRefused)
{
    std::string path = temp_path("entry-data.elf");
    write_file(path, make_elf64(0x40090000, {{0x40080000, {0, 0, 0, 0}, 4, PF_R | PF_X},
                                             {0x40090000, {0, 0, 0, 0}, 4, PF_R | PF_W}}));
    expect_error(path, "entry point 0x40090000 lies in no loaded executable (PF_X) segment");
}

TEST(ElfLoaderTest, EntryOutsideEverySegmentIsRefused)
{
    std::string path = temp_path("entry-out.elf");
    // One past the end of the only segment.
    write_file(path, make_elf64(0x40080010, {{0x40080000, {0, 0, 0, 0}, 0x10, PF_R | PF_X}}));
    expect_error(path, "entry point 0x40080010 lies in no loaded executable");
}

TEST(ElfLoaderTest, UnalignedEntryIsRefused)
{
    std::string path = temp_path("entry-odd.elf");
    write_file(path, make_elf64(0x40080002, {{0x40080000, {0, 0, 0, 0, 0, 0, 0, 0}, 8}}));
    expect_error(path, "entry point 0x40080002 is not 4-byte aligned");
}

TEST(ElfLoaderTest, VirtualEntryBecomesPhysicalAsQemuLoadsIt)
{
    // Linked at a high virtual address, loaded at its physical one (p_vaddr != p_paddr): the
    // core starts with the MMU off, at entry - p_vaddr + p_paddr (QEMU hw/elf_ops.h).
    std::string path = temp_path("entry-va.elf");
    const uint64_t va = 0xffff000000080000;
    write_file(path, make_elf64(va + 0x10, {{0x40080000, std::vector<uint8_t>(0x20), 0x20,
                                             PF_R | PF_X, va}}));
    ElfImage image;
    std::string error;
    ASSERT_TRUE(read_elf(path, kRam, image, error)) << error;
    EXPECT_EQ(image.entry, 0x40080010u);
}

TEST(ElfLoaderTest, DirectoryIsRefusedWithoutReadingIt)
{
    std::string dir = temp_path("dir.elf");
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    expect_error(dir, "is a directory");
    rmdir(dir.c_str());
}

TEST(ElfLoaderTest, FifoIsRefusedWithoutOpeningIt)
{
    // Opening a FIFO with no writer would block: the test would hang, not fail, without stat().
    std::string fifo = temp_path("fifo.elf");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    expect_error(fifo, "is a FIFO");
    unlink(fifo.c_str());
}

TEST(ElfLoaderTest, DeviceIsRefused)
{
    expect_error("/dev/null", "is a character device");
}

// read_elf's error for `path` as an unprivileged user: root reads files whatever their mode, so
// as root (CI) the load runs in a child that drops to the user "nobody" (65534) first.
std::string load_error_unprivileged(const std::string &path)
{
    ElfImage image;
    std::string error;
    if (geteuid() != 0)
        return read_elf(path, kRam, image, error) ? "" : error;
    int fds[2];
    if (pipe(fds) != 0)
        return "pipe failed";
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        if (!read_elf(path, kRam, image, error) && write(fds[1], error.data(), error.size()) < 0)
            _exit(3);
        _exit(0);
    }
    close(fds[1]);
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        error.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "the unprivileged child failed (status " + std::to_string(status) + ")";
    return error;
}

TEST(ElfLoaderTest, UnreadableFileIsRefused)
{
    std::string path = temp_path("secret.elf");
    write_file(path, valid_elf());
    ASSERT_EQ(chmod(path.c_str(), 0), 0);
    std::string error = load_error_unprivileged(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("cannot open: Permission denied"), std::string::npos) << error;
}
