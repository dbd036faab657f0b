// OutputFile: a file that an option names (--stats=FILE...), opened before the run so that a bad
// path fails at once, written through stdio by whichever module produces it, and checked when it
// is closed: a write that failed at any moment of the run is reported then, with its errno.
//
// stdio keeps a failed write as a sticky error flag but not its errno (and drops the buffer), so
// the stream is a fopencookie() stream whose write function records the first errno itself.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace httusim {

class OutputFile {
public:
    explicit OutputFile(const char *option);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    // Opens `path` for writing (truncating it); an empty path opens nothing. False, after one
    // line "httusim: OPTION=PATH: cannot open for writing: REASON" on stderr, on failure.
    bool open(const std::string &path);

    // Gives the open stream a buffer of `bytes` (stdio's setvbuf ignores the size unless it is
    // handed the buffer): for the traces, which write a line per event or instruction.
    void set_buffer(size_t bytes);

    std::FILE *get() const { return m_file; }
    explicit operator bool() const { return m_file != nullptr; }

    // Flushes and closes the file. False, after one line "httusim: OPTION=PATH: write error:
    // REASON" on stderr, when any write to it failed (now or during the run) or closing failed.
    bool finish();

    struct Sink;   // the cookie: the descriptor and the first errno

private:
    const char *m_option;
    std::string m_path;
    std::unique_ptr<Sink> m_sink;
    std::unique_ptr<char[]> m_buffer;   // outlives m_file (closed first)
    std::FILE *m_file = nullptr;
};

// "httusim: WHAT: write error: REASON" on stderr; `err` 0 when the reason is unknown.
void report_write_error(const std::string &what, int err);

// Flushes standard output and checks its error flag (it stays open: the C library closes it).
// False after report_write_error("standard output", ...).
bool finish_stdout();

} // namespace httusim
