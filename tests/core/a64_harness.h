// Test harness for the A64 core: a CPU with a small RAM window and a recording MMIO bus.
// Each test writes instruction words at the entry point, sets registers and steps.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <map>
#include <vector>

extern "C" {
#include "a64/cpu.h"
#include "vmsa/tlbi.h"
}

class A64Test : public ::testing::Test {
protected:
    static constexpr uint64_t kRamBase = 0x40000000;
    static constexpr uint64_t kRamSize = 1 << 20;
    static constexpr uint64_t kCode = kRamBase + 0x1000;   // entry point
    static constexpr uint64_t kData = kRamBase + 0x80000;  // scratch data
    static constexpr uint64_t kVectors = kRamBase + 0x40000;
    static constexpr uint64_t kMmioBase = 0x09000000;      // bus region that answers
    static constexpr uint64_t kMmioSize = 0x1000;

    struct MmioAccess {
        bool write;
        uint64_t pa;
        unsigned size;
        uint64_t value;
    };

    a64_cpu cpu{};
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);
    std::vector<MmioAccess> mmio;
    std::vector<a64_sysop> sysops;   // their .tlbi pointed into the core's frame: see tlbis
    std::vector<vmsa_tlbi> tlbis;    // the decoded TLBIs routed out, in order
    std::vector<uint16_t> hvcs;
    bool hvc_present = true;
    std::function<bool(a64_cpu *)> semihost_handler;

    void SetUp() override
    {
        std::memset(&cpu, 0, sizeof cpu);
        cpu.cfg.ram = {ram.data(), kRamBase, kRamSize};
        cpu.cfg.env.ctx = this;
        cpu.cfg.env.phys_read = [](void *ctx, uint64_t pa, unsigned size, uint64_t *v) {
            auto *t = static_cast<A64Test *>(ctx);
            if (pa < kMmioBase || pa + size > kMmioBase + kMmioSize) return A64_BUS_ERROR;
            t->mmio.push_back({false, pa, size, 0});
            *v = 0x1234;
            return A64_BUS_OK;
        };
        cpu.cfg.env.phys_write = [](void *ctx, uint64_t pa, unsigned size, uint64_t v) {
            auto *t = static_cast<A64Test *>(ctx);
            if (pa < kMmioBase || pa + size > kMmioBase + kMmioSize) return A64_BUS_ERROR;
            t->mmio.push_back({true, pa, size, v});
            return A64_BUS_OK;
        };
        cpu.cfg.env.hvc = [](void *ctx, a64_cpu *c, uint16_t imm) {
            auto *t = static_cast<A64Test *>(ctx);
            if (!t->hvc_present) return false;
            t->hvcs.push_back(imm);
            c->x[0] = 0x10001;  // a recognisable answer
            return true;
        };
        cpu.cfg.env.semihost = [](void *ctx, a64_cpu *c) {
            auto *t = static_cast<A64Test *>(ctx);
            return t->semihost_handler ? t->semihost_handler(c) : false;
        };
        cpu.cfg.env.sysop = [](void *ctx, a64_cpu *, const a64_sysop *op) {
            auto *t = static_cast<A64Test *>(ctx);
            t->sysops.push_back(*op);
            if (op->tlbi)
                t->tlbis.push_back(*op->tlbi);
        };
        cpu.cfg.env.counter = [](void *) -> uint64_t { return 1000; };
        cpu.cfg.env.counter_freq = 62500000;
        cpu.cfg.hafdbs = 2;
        cpu.cfg.fault_loop_limit = 1000;
        a64_cpu_reset(&cpu, kCode);
        cpu.sys.vbar_el1 = kVectors;
    }

    // Place instruction words at the entry point (or at `at`).
    void code(std::initializer_list<uint32_t> words, uint64_t at = kCode)
    {
        uint64_t a = at;
        for (uint32_t w : words) { put32(a, w); a += 4; }
    }
    void put32(uint64_t pa, uint32_t v) { std::memcpy(&ram[pa - kRamBase], &v, 4); }
    void put64(uint64_t pa, uint64_t v) { std::memcpy(&ram[pa - kRamBase], &v, 8); }
    uint32_t get32(uint64_t pa) const { uint32_t v; std::memcpy(&v, &ram[pa - kRamBase], 4); return v; }
    uint64_t get64(uint64_t pa) const { uint64_t v; std::memcpy(&v, &ram[pa - kRamBase], 8); return v; }
    uint8_t get8(uint64_t pa) const { return ram[pa - kRamBase]; }
    void put8(uint64_t pa, uint8_t v) { ram[pa - kRamBase] = v; }
    void put16(uint64_t pa, uint16_t v) { std::memcpy(&ram[pa - kRamBase], &v, 2); }
    uint16_t get16(uint64_t pa) const { uint16_t v; std::memcpy(&v, &ram[pa - kRamBase], 2); return v; }

    // Execute one instruction that must retire (PC moves to the next instruction).
    void run(uint32_t insn)
    {
        uint64_t pc = cpu.pc;
        exec(insn);
        ASSERT_EQ(cpu.pc, pc + 4) << "took an exception, ESR 0x" << std::hex << esr();
    }
    // Execute one instruction that must take a synchronous exception.
    void run_faulting(uint32_t insn)
    {
        uint64_t pc = cpu.pc;
        exec(insn);
        ASSERT_TRUE(took_exception());
        EXPECT_EQ(cpu.sys.elr_el1, pc);  // preferred return: the faulting instruction
    }

    // Run `n` instructions; each step must return OK.
    void step(unsigned n = 1)
    {
        for (unsigned i = 0; i < n; i++) ASSERT_EQ(a64_step(&cpu), A64_STEP_OK) << "step " << i;
    }
    // Run one instruction given as a word at the entry point.
    void exec(uint32_t insn)
    {
        code({insn}, cpu.pc);
        step();
    }

    // Did the last step take a synchronous exception to the current-EL SPx vector?
    bool took_exception() const { return cpu.pc == kVectors + 0x200 || cpu.pc == kVectors + 0x400 || cpu.pc == kVectors; }
    uint32_t esr() const { return (uint32_t)cpu.sys.esr_el1; }
    unsigned ec() const { return esr() >> 26; }

    uint32_t nzcv() const { return cpu.pstate.nzcv >> 28; }
};
