// A testbench around the whole Platform: hand-encoded programs are written into RAM at the entry
// point, data blocks anywhere in RAM, and every output (UART, semihosting console, end-of-run
// report, register trace) goes to a temporary file the test can read back.
#pragma once

#include "platform.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

struct PlatformBench {
    static constexpr uint64_t kEntry = 0x40080000;
    static constexpr uint64_t kData = 0x40090000;
    static constexpr uint64_t kRamSize = 16ull << 20;

    std::FILE *uart = std::tmpfile();
    std::FILE *console = std::tmpfile();
    std::FILE *report = std::tmpfile();
    std::FILE *trace = std::tmpfile();
    httusim::PlatformConfig cfg;
    std::unique_ptr<httusim::Platform> top;

    PlatformBench()
    {
        cfg.ram.size = kRamSize;
        cfg.uart.out = uart;
        cfg.cpu.entry = kEntry;
        cfg.cpu.report = report;
        cfg.cpu.console_out = console;
        cfg.cpu.console_err = console;
        cfg.cpu.heap_base = 0x40100000;
        cfg.cpu.heap_limit = 0x40000000 + kRamSize;
        cfg.cpu.stack_base = 0x40000000 + kRamSize;
        cfg.cpu.stack_limit = 0;
    }
    ~PlatformBench()
    {
        top.reset();
        for (std::FILE *f : {uart, console, report, trace})
            std::fclose(f);
    }

    // Builds the platform from cfg (change cfg first) and loads the program at kEntry.
    httusim::Platform &build(const std::vector<uint32_t> &code = {})
    {
        top = std::make_unique<httusim::Platform>("top", cfg);
        store(kEntry, code.data(), code.size() * 4);
        return *top;
    }
    void store(uint64_t pa, const void *data, size_t len)
    {
        if (len == 0)   // an empty vector's data() may be null, which memcpy must not get
            return;
        std::memcpy(top->m_ram.host() + (pa - 0x40000000), data, len);
    }
    void store64(uint64_t pa, const std::vector<uint64_t> &words)
    {
        store(pa, words.data(), words.size() * 8);
    }
    // Runs until the Cpu ends the run.
    const httusim::RunOutcome &run()
    {
        sc_core::sc_start();
        return top->m_cpu.outcome();
    }
    a64_cpu &arch() { return top->m_cpu.arch(); }

    static std::string contents(std::FILE *f)
    {
        std::fflush(f);
        std::rewind(f);
        std::string s;
        int c;
        while ((c = std::fgetc(f)) != EOF)
            s += static_cast<char>(c);
        return s;
    }
};
