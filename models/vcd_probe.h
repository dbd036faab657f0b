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
#pragma once

#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
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

    // Creates the signals and the trace file (during elaboration). The file is exactly `path`
    // (SystemC's own name, `path`.vcd, is renamed when close() runs).
    VcdProbe(sc_core::sc_module_name name, const std::string &path, std::vector<Source> sources);
    ~VcdProbe() override;
    VcdProbe(const VcdProbe &) = delete;
    VcdProbe &operator=(const VcdProbe &) = delete;

    // Write the signals from the counters' movement since the previous sample.
    void sample();

    // Flush and close the file (after sc_start returns; the destructor does it too).
    // False when the file could not be put at `path`.
    bool close();

private:
    struct Probe {
        Source source;
        uint64_t last = 0;
        std::unique_ptr<sc_core::sc_signal<bool>> active;
        std::unique_ptr<sc_core::sc_signal<uint32_t>> count;
    };

    std::string m_path;        // what the user asked for
    std::string m_sc_path;     // the file SystemC writes
    sc_core::sc_trace_file *m_file = nullptr;
    std::vector<Probe> m_probes;
};

} // namespace httusim
