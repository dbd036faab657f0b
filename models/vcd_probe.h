// VcdProbe: SystemC waveforms of the platform's main activity (--vcd=FILE, docs/trace.md).
//
// Each probe watches one event counter of a module (TLB hits and misses per level, walks,
// hardware updates, aborts, HVCs, exceptions, instructions) and drives two signals:
//   <name>        sc_signal<bool>: the counter moved during the interval
//   <name>_count  sc_signal<uint32_t>: by how much (saturated at 2^32-1)
// They are traced with sc_trace into a VCD file (GTKWave opens it).
//
// The Cpu calls sample() at every quantum boundary (Cpu::set_quantum_hook), while the simulated
// time is still the start of the quantum it just ran: the values written at time T describe the
// interval [T, next boundary). With temporal decoupling the waveform's resolution is therefore
// the quantum (--quantum, default 10 us of CPU time); with --quantum=1 the CPU synchronises after
// every instruction and each interval is one instruction. Nothing of this exists, and nothing
// is sampled, unless --vcd is given.
//
// SystemC's VCD writer owns its FILE and never reports a failed write, and it insists on a name
// ending in ".vcd". So it writes into a FIFO in a private temporary directory, and a thread copies
// everything it writes to the caller's stream `out` with stdio: a write error on `out` (a full
// disk, /dev/full) stays in ferror(out) for the caller to report, and `out` is exactly the file
// the user named (no renaming, nothing written next to it).
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace httusim {

class VcdProbe : public sc_core::sc_module {
public:
    // A counter to watch: `name` as it appears in the waveform ("mmu.l1d_miss": the dots make
    // VCD scopes), `read` its current value.
    struct Source {
        std::string name;
        std::function<uint64_t()> read;
    };

    // Creates the signals and the trace file (during elaboration); the waveforms go to `out`
    // (not owned; the caller checks ferror(out) after close()). Throws std::runtime_error when
    // the temporary FIFO cannot be set up.
    VcdProbe(sc_core::sc_module_name name, std::FILE *out, std::vector<Source> sources);
    ~VcdProbe() override;
    VcdProbe(const VcdProbe &) = delete;
    VcdProbe &operator=(const VcdProbe &) = delete;

    // Write the signals from the counters' movement since the previous sample.
    void sample();

    // Closes SystemC's file, waits until everything it wrote is copied to `out`, and removes
    // the temporary FIFO (after sc_start returns; the destructor does it too). `out` is left
    // open and unflushed. False when SystemC wrote nothing: a run that ends before its first
    // quantum boundary has no traced cycle, and SystemC then writes no file at all.
    bool close();

private:
    struct Probe {
        Source source;
        uint64_t last = 0;
        std::unique_ptr<sc_core::sc_signal<bool>> active;
        std::unique_ptr<sc_core::sc_signal<uint32_t>> count;
    };

    void open_fifo();          // m_dir, m_fifo, m_read_fd, m_hold_fd; throws on failure
    void remove_fifo();
    void copy_to_out();        // the copier thread: FIFO -> m_out until end of file

    std::FILE *m_out;
    std::string m_dir;         // the temporary directory
    std::string m_fifo;        // the FIFO SystemC writes (m_dir + "/waves.vcd")
    int m_read_fd = -1;        // the copier's end
    int m_hold_fd = -1;        // a writer kept open until close(): no end of file before it
    std::thread m_copier;
    uint64_t m_bytes_copied = 0;   // by the copier; read after it is joined
    sc_core::sc_trace_file *m_file = nullptr;
    std::vector<Probe> m_probes;
};

} // namespace httusim
