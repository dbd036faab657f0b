#include "elf_loader.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace httusim {

namespace {

std::string hex(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string range_text(uint64_t base, uint64_t end)
{
    return "[" + hex(base) + ", " + hex(end) + ")";
}

const char *machine_name(unsigned machine)
{
    switch (machine) {
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "32-bit Arm";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC 64";
    case EM_MIPS: return "MIPS";
    default: return "another machine";
    }
}

const char *file_type_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

// Reads the whole of `path`, which must be a regular file: stat() first, so that a FIFO is never
// opened (opening one blocks until a writer comes) and a directory or a device is named as such.
bool read_file(const std::string &path, std::vector<uint8_t> &bytes, std::string &error)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = path + ": is " + file_type_name(st.st_mode) + ", not an ELF file";
        return false;
    }
    // O_NONBLOCK: should the path have become a FIFO since the stat(), open() does not wait.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    bytes.clear();
    bytes.reserve(static_cast<size_t>(st.st_size));
    uint8_t buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = path + ": read error: " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0)
            break;
        bytes.insert(bytes.end(), buf, buf + n);
    }
    ::close(fd);
    return true;
}

std::string segment_text(const ElfSegment &s)
{
    return "segment " + std::to_string(s.index) + " " + range_text(s.paddr, s.paddr + s.memsz);
}

// Two PT_LOAD segments must not share a byte of physical memory: which one wins would depend on
// the order of the copies. The first overlapping pair in program header order is named.
bool check_no_overlap(const ElfImage &image, std::string &error)
{
    const std::vector<ElfSegment> &segs = image.segments;
    for (size_t i = 0; i < segs.size(); ++i) {
        for (size_t j = i + 1; j < segs.size(); ++j) {
            const uint64_t start = std::max(segs[i].paddr, segs[j].paddr);
            const uint64_t end = std::min(segs[i].paddr + segs[i].memsz,
                                          segs[j].paddr + segs[j].memsz);
            if (start < end) {
                error = image.path + ": " + segment_text(segs[i]) + " and " +
                        segment_text(segs[j]) + " overlap in physical memory at " +
                        range_text(start, end);
                return false;
            }
        }
    }
    return true;
}

// The core starts with the MMU off, so the PC at reset is a physical address. e_entry is virtual:
// like QEMU's load_elf (hw/elf_ops.h), an entry inside an executable segment whose p_vaddr differs
// from p_paddr becomes entry - p_vaddr + p_paddr. An entry in no executable segment, or not
// 4-byte aligned (the first fetch would take a PC alignment fault), is refused.
bool resolve_entry(ElfImage &image, uint64_t entry, std::string &error)
{
    for (const ElfSegment &s : image.segments) {
        if (!s.executable || entry < s.vaddr || entry - s.vaddr >= s.memsz)
            continue;
        const uint64_t pa = entry - s.vaddr + s.paddr;
        if (pa % 4 != 0) {
            error = image.path + ": the entry point " + hex(entry) + " is not 4-byte aligned";
            return false;
        }
        image.entry = pa;
        return true;
    }
    error = image.path + ": the entry point " + hex(entry) +
            " lies in no loaded executable (PF_X) segment";
    return false;
}

struct ElfCloser {
    void operator()(Elf *e) const { elf_end(e); }
};

// e_ident first: libelf accepts some malformed files that these checks name better.
bool check_ident(const ElfImage &image, std::string &error)
{
    const std::string &path = image.path;
    const uint64_t file_size = image.bytes.size();
    const uint8_t *id = image.bytes.data();
    if (file_size < EI_NIDENT || std::memcmp(id, ELFMAG, SELFMAG) != 0) {
        error = path + ": not an ELF file";
        return false;
    }
    if (id[EI_CLASS] == ELFCLASS32) {
        error = path + ": is a 32-bit ELF (ELFCLASS32); httusim runs 64-bit AArch64 ELF files";
        return false;
    }
    if (id[EI_CLASS] != ELFCLASS64) {
        error = path + ": unknown ELF class " + std::to_string(id[EI_CLASS]);
        return false;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        error = path + ": is not a little-endian ELF; httusim runs little-endian AArch64";
        return false;
    }
    if (file_size < sizeof(Elf64_Ehdr)) {
        error = path + ": truncated: the file (" + std::to_string(file_size) +
                " bytes) is shorter than an ELF header";
        return false;
    }
    return true;
}

bool check_machine_and_type(const std::string &path, const GElf_Ehdr &ehdr, std::string &error)
{
    if (ehdr.e_machine != EM_AARCH64) {
        error = path + ": is an ELF for " + machine_name(ehdr.e_machine) + " (e_machine " +
                std::to_string(ehdr.e_machine) + "), not AArch64";
        return false;
    }
    if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
        error = path + ": is not an executable (e_type " + std::to_string(ehdr.e_type) + ")";
        return false;
    }
    return true;
}

// The number of program headers, checked to be non-zero and to fit in the file.
bool program_header_count(const ElfImage &image, Elf *elf, const GElf_Ehdr &ehdr, size_t &phnum,
                          std::string &error)
{
    const std::string &path = image.path;
    const uint64_t file_size = image.bytes.size();
    // e_phnum itself, not elf_getphdrnum(): libelf clamps the count to what fits in the file,
    // which would hide a truncated program header table. PN_XNUM means "see section 0".
    phnum = ehdr.e_phnum;
    if (phnum == PN_XNUM && elf_getphdrnum(elf, &phnum) != 0) {
        error = path + ": cannot read the program header count (" + elf_errmsg(-1) + ")";
        return false;
    }
    if (phnum == 0) {
        error = path + ": has no loadable (PT_LOAD) segment";
        return false;
    }
    uint64_t ph_end = ehdr.e_phoff + uint64_t{phnum} * sizeof(Elf64_Phdr);
    if (ehdr.e_phoff > file_size || ph_end > file_size) {
        error = path + ": truncated: the program headers end at byte " + std::to_string(ph_end) +
                " but the file has " + std::to_string(file_size) + " bytes";
        return false;
    }
    return true;
}

// Checks program header i, a non-empty PT_LOAD, and adds it to image.segments.
bool add_load_segment(const GElf_Phdr &ph, size_t i, const AddressRange &ram, ElfImage &image,
                      std::string &error)
{
    const std::string &path = image.path;
    const uint64_t file_size = image.bytes.size();
    std::string seg =
        "segment " + std::to_string(i) + " " + range_text(ph.p_paddr, ph.p_paddr + ph.p_memsz);
    if (ph.p_filesz > ph.p_memsz) {
        error = path + ": " + seg + " has more file data than memory size (corrupt)";
        return false;
    }
    if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset) {
        error = path + ": truncated: " + seg + " needs file bytes " +
                range_text(ph.p_offset, ph.p_offset + ph.p_filesz) + " but the file has " +
                std::to_string(file_size) + " bytes";
        return false;
    }
    if (!ram.contains(ph.p_paddr, ph.p_memsz)) {
        error = path + ": " + seg + " lies outside RAM " + range_text(ram.base, ram.end()) +
                " (try --ram-size, or link the firmware for RAM at " + hex(ram.base) + ")";
        return false;
    }
    image.segments.push_back({ph.p_paddr, ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_vaddr,
                              static_cast<unsigned>(i), (ph.p_flags & PF_X) != 0});
    if (ph.p_paddr + ph.p_memsz > image.end)
        image.end = ph.p_paddr + ph.p_memsz;
    return true;
}

bool read_segments(Elf *elf, size_t phnum, const AddressRange &ram, ElfImage &image,
                   std::string &error)
{
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, static_cast<int>(i), &ph)) {
            error = image.path + ": cannot read program header " + std::to_string(i) + " (" +
                    elf_errmsg(-1) + ")";
            return false;
        }
        if (ph.p_type == PT_LOAD && ph.p_memsz != 0 && !add_load_segment(ph, i, ram, image, error))
            return false;
    }
    if (image.segments.empty()) {
        error = image.path + ": has no loadable (PT_LOAD) segment";
        return false;
    }
    return true;
}

} // namespace

bool read_elf(const std::string &path, const AddressRange &ram, ElfImage &image,
              std::string &error)
{
    image = ElfImage{};
    image.path = path;
    if (!read_file(path, image.bytes, error) || !check_ident(image, error))
        return false;

    elf_version(EV_CURRENT);
    std::unique_ptr<Elf, ElfCloser> elf(
        elf_memory(reinterpret_cast<char *>(image.bytes.data()), image.bytes.size()));
    GElf_Ehdr ehdr;
    if (!elf || elf_kind(elf.get()) != ELF_K_ELF || !gelf_getehdr(elf.get(), &ehdr)) {
        error = path + ": not a valid ELF file (" + elf_errmsg(-1) + ")";
        return false;
    }
    size_t phnum = 0;
    return check_machine_and_type(path, ehdr, error) &&
           program_header_count(image, elf.get(), ehdr, phnum, error) &&
           read_segments(elf.get(), phnum, ram, image, error) && check_no_overlap(image, error) &&
           resolve_entry(image, ehdr.e_entry, error);
}

void copy_elf_to_ram(const ElfImage &image, uint8_t *ram_host, const AddressRange &ram)
{
    for (const ElfSegment &s : image.segments) {
        uint8_t *dst = ram_host + (s.paddr - ram.base);
        std::memcpy(dst, image.bytes.data() + s.offset, s.filesz);
        std::memset(dst + s.filesz, 0, s.memsz - s.filesz);
    }
}

} // namespace httusim
