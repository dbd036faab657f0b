// Reads a bare-metal AArch64 ELF with libelf, checks it can run on the platform, and copies its
// loadable segments into RAM, as QEMU `-kernel` does (segments at their physical addresses).
//
// Every error is one line naming the file: cannot open, not a regular file (a directory, a FIFO,
// a device), not an ELF, 32-bit, not AArch64, big-endian, not an executable, truncated (header,
// program headers or segment data past the end of the file), no loadable segment, a PT_LOAD
// segment outside RAM (naming both ranges), two PT_LOAD segments overlapping in physical memory
// (naming both and the overlap), or an entry point in no executable segment or not 4-byte
// aligned.
#pragma once

#include "platform_map.h"

#include <cstdint>
#include <string>
#include <vector>

namespace httusim {

struct ElfSegment {
    uint64_t paddr = 0;    // where it is loaded
    uint64_t offset = 0;   // of its data in the file
    uint64_t filesz = 0;   // bytes from the file; the rest of memsz is zeroed
    uint64_t memsz = 0;
    uint64_t vaddr = 0;       // its virtual address (p_vaddr)
    unsigned index = 0;       // of its program header
    bool executable = false;  // PF_X
};

struct ElfImage {
    std::string path;
    uint64_t entry = 0;               // physical: e_entry in its executable segment's p_paddr
    uint64_t end = 0;                 // one past the highest loaded byte
    std::vector<ElfSegment> segments; // PT_LOAD with memsz > 0
    std::vector<uint8_t> bytes;       // the whole file
};

// Reads and checks `path` for a RAM at `ram`. Returns false with `error` set to one line
// ("FILE: what is wrong") on failure.
bool read_elf(const std::string &path, const AddressRange &ram, ElfImage &image,
              std::string &error);

// Copies the segments into RAM whose host address of `ram.base` is `ram_host`, zeroing the part
// of each segment beyond its file data. The image must come from read_elf with the same range.
void copy_elf_to_ram(const ElfImage &image, uint8_t *ram_host, const AddressRange &ram);

} // namespace httusim
