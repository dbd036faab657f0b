// The physical address map of the platform, compatible with QEMU `virt` (DESIGN.md section 2).
#pragma once

#include <cstdint>

namespace httusim {

// A half-open physical address range [base, base + size).
struct AddressRange {
    uint64_t base = 0;
    uint64_t size = 0;

    uint64_t end() const { return base + size; }   // one past the last byte
    bool contains(uint64_t addr) const { return addr - base < size; }
    // Does [addr, addr + len) lie entirely inside? (len 0 never does.)
    bool contains(uint64_t addr, uint64_t len) const
    {
        return len != 0 && contains(addr) && len <= size - (addr - base);
    }
    bool overlaps(const AddressRange &o) const { return base < o.end() && o.base < end(); }
};

namespace platform_map {

constexpr uint64_t kRamBase = 0x4000'0000;
constexpr uint64_t kRamDefaultSize = 128ull << 20;
// QEMU virt places RAM below 256 GiB of physical address space.
constexpr uint64_t kRamMaxSize = 255ull << 30;

constexpr AddressRange kUart{0x0900'0000, 0x1000};

constexpr uint64_t kVirtioBase = 0x0a00'0000;
constexpr uint64_t kVirtioStride = 0x200;
constexpr unsigned kVirtioCount = 32;
constexpr AddressRange kVirtio{kVirtioBase, kVirtioStride * kVirtioCount};

constexpr AddressRange kPcieMmio{0x1000'0000, 0x3eff'0000 - 0x1000'0000};

} // namespace platform_map
} // namespace httusim
