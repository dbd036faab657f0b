// RegTraceWriter: one line of architectural register state per instruction, written before the
// instruction executes, for lock-step comparison with QEMU's `-d cpu` log:
//   PC=%016lx X00=%016lx X01=... X30=%016lx SP=%016lx PSTATE=%08x
// (lowercase hex; SP is the current stack pointer; PSTATE as saved to SPSR_EL1).
#pragma once

#include "a64/cpu.h"

#include <cstdio>

namespace httusim {

class RegTraceWriter {
public:
    // Writes to `out` (not owned; nullptr disables the writer).
    explicit RegTraceWriter(std::FILE *out) : m_out(out) {}

    bool enabled() const { return m_out != nullptr; }
    void write(const a64_cpu &cpu);

    // Formats the line (with its '\n') into `buf` of at least kLineMax bytes; returns its length.
    static constexpr size_t kLineMax = 768;
    static size_t format(const a64_cpu &cpu, char *buf);

private:
    std::FILE *m_out;
};

} // namespace httusim
