// Builds small ELF files for tests from the ELF specification's structures (<elf.h>): a 64-bit
// little-endian executable with PT_LOAD segments, and the header of a 32-bit one.
#pragma once

#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

struct ElfSegmentSpec {
    uint64_t paddr;
    std::vector<uint8_t> data;   // file contents
    uint64_t memsz;              // >= data.size(); the rest is bss
    uint32_t flags = PF_R | PF_W | PF_X;
    uint64_t vaddr = kSameAsPaddr;

    static constexpr uint64_t kSameAsPaddr = ~uint64_t{0};
};

inline std::vector<uint8_t> words_to_bytes(const std::vector<uint32_t> &words)
{
    std::vector<uint8_t> b(words.size() * 4);
    std::memcpy(b.data(), words.data(), b.size());   // little-endian host
    return b;
}

inline std::vector<uint8_t> make_elf64(uint64_t entry, const std::vector<ElfSegmentSpec> &segs,
                                       uint16_t machine = EM_AARCH64)
{
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = segs.empty() ? 0 : sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = static_cast<uint16_t>(segs.size());

    std::vector<uint8_t> out(sizeof eh + segs.size() * sizeof(Elf64_Phdr));
    std::memcpy(out.data(), &eh, sizeof eh);
    for (size_t i = 0; i < segs.size(); ++i) {
        Elf64_Phdr ph{};
        ph.p_type = PT_LOAD;
        ph.p_flags = segs[i].flags;
        ph.p_offset = out.size();
        ph.p_paddr = segs[i].paddr;
        ph.p_vaddr = segs[i].vaddr == ElfSegmentSpec::kSameAsPaddr ? segs[i].paddr : segs[i].vaddr;
        ph.p_filesz = segs[i].data.size();
        ph.p_memsz = segs[i].memsz;
        ph.p_align = 8;
        std::memcpy(out.data() + sizeof eh + i * sizeof ph, &ph, sizeof ph);
        out.insert(out.end(), segs[i].data.begin(), segs[i].data.end());
    }
    return out;
}

// A 32-bit little-endian Arm executable header with no segments.
inline std::vector<uint8_t> make_elf32_header()
{
    Elf32_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_ARM;
    eh.e_version = EV_CURRENT;
    eh.e_entry = 0x8000;
    eh.e_ehsize = sizeof eh;
    std::vector<uint8_t> out(sizeof eh);
    std::memcpy(out.data(), &eh, sizeof eh);
    return out;
}

inline void write_file(const std::string &path, const std::vector<uint8_t> &bytes)
{
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline void write_text_file(const std::string &path, const std::string &text)
{
    std::ofstream(path) << text;
}

// A path under the test temporary directory, unique to the running test and process.
inline std::string temp_path(const std::string &suffix)
{
    const ::testing::TestInfo *t = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = t ? std::string(t->test_suite_name()) + "." + t->name() : "test";
    return ::testing::TempDir() + "httusim-" + std::to_string(getpid()) + "-" + name + "-" + suffix;
}
