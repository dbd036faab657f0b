#include "vcd_probe.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace httusim {

namespace {

// sc_object names may not contain the hierarchy separator.
std::string object_name(const std::string &name)
{
    std::string s = name;
    for (char &c : s)
        if (c == '.')
            c = '_';
    return s;
}

std::runtime_error setup_error(const std::string &what, const std::string &path)
{
    return std::runtime_error("--vcd: cannot " + what + " " + path + ": " + std::strerror(errno));
}

// The message type of SystemC's SC_ID_TRACING_CLOSE_EMPTY_FILE_ report.
const char kEmptyTraceReport[] = "trace file closed before any cycles were traced, file not written";

} // namespace

VcdProbe::VcdProbe(sc_core::sc_module_name name, std::FILE *out, std::vector<Source> sources)
    : sc_module(name), m_out(out)
{
    open_fifo();
    m_copier = std::thread([this] { copy_to_out(); });
    try {
        // sc_create_vcd_trace_file appends ".vcd" to the name it is given: this opens m_fifo
        // (at the start of the simulation), which does not block since the copier's end is open.
        m_file = sc_core::sc_create_vcd_trace_file((m_dir + "/waves").c_str());
        m_probes.reserve(sources.size());
        for (Source &s : sources) {
            Probe p;
            std::string object = object_name(s.name);
            p.active = std::make_unique<sc_core::sc_signal<bool>>(object.c_str(), false);
            p.count =
                std::make_unique<sc_core::sc_signal<uint32_t>>((object + "_count").c_str(), 0u);
            sc_core::sc_trace(m_file, *p.active, s.name);
            sc_core::sc_trace(m_file, *p.count, s.name + "_count");
            p.source = std::move(s);
            m_probes.push_back(std::move(p));
        }
    } catch (...) {   // no destructor runs for a half-built object: stop the copier here
        close();
        throw;
    }
}

VcdProbe::~VcdProbe()
{
    close();
}

void VcdProbe::open_fifo()
{
    const char *tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/httusim-vcd-XXXXXX";
    std::vector<char> dir(templ.begin(), templ.end());
    dir.push_back('\0');
    if (!mkdtemp(dir.data()))
        throw setup_error("create the temporary directory", templ);
    m_dir = dir.data();
    m_fifo = m_dir + "/waves.vcd";
    if (mkfifo(m_fifo.c_str(), 0600) != 0) {
        std::runtime_error e = setup_error("create the FIFO", m_fifo);
        remove_fifo();
        throw e;
    }
    // Non-blocking open of the read end (no writer yet), then a writer of our own so that the
    // reader sees end of file only when close() lets go of it, then blocking reads.
    m_read_fd = ::open(m_fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_read_fd >= 0)
        m_hold_fd = ::open(m_fifo.c_str(), O_WRONLY | O_CLOEXEC);
    if (m_read_fd < 0 || m_hold_fd < 0 ||
        fcntl(m_read_fd, F_SETFL, fcntl(m_read_fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        std::runtime_error e = setup_error("open the FIFO", m_fifo);
        remove_fifo();
        throw e;
    }
}

void VcdProbe::remove_fifo()
{
    for (int *fd : {&m_hold_fd, &m_read_fd}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
    if (!m_fifo.empty())
        ::unlink(m_fifo.c_str());
    if (!m_dir.empty())
        ::rmdir(m_dir.c_str());
    m_fifo.clear();
    m_dir.clear();
}

void VcdProbe::copy_to_out()
{
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(m_read_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        m_bytes_copied += static_cast<uint64_t>(n);
        // A failed write sets ferror(m_out), which the caller reports; the FIFO is still
        // drained so that SystemC never blocks.
        std::fwrite(buf, 1, static_cast<size_t>(n), m_out);
    }
}

void VcdProbe::sample()
{
    for (Probe &p : m_probes) {
        uint64_t now = p.source.read();
        uint64_t delta = now - p.last;
        p.last = now;
        p.active->write(delta != 0);
        p.count->write(delta > std::numeric_limits<uint32_t>::max()
                           ? std::numeric_limits<uint32_t>::max()
                           : static_cast<uint32_t>(delta));
    }
}

bool VcdProbe::close()
{
    if (m_file) {
        // SystemC's warning for that case names the temporary FIFO: close() reports it instead.
        sc_core::sc_report_handler::set_actions(kEmptyTraceReport, sc_core::SC_DO_NOTHING);
        sc_core::sc_close_vcd_trace_file(m_file);   // flushes and closes SystemC's end
        m_file = nullptr;
    }
    if (m_hold_fd >= 0) {
        ::close(m_hold_fd);   // the copier now reads to end of file and returns
        m_hold_fd = -1;
    }
    if (m_copier.joinable())
        m_copier.join();
    remove_fifo();
    return m_bytes_copied != 0;
}

} // namespace httusim
