#include "output_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace httusim {

struct OutputFile::Sink {
    int fd = -1;
    int first_errno = 0;

    void failed(int err)
    {
        if (first_errno == 0)
            first_errno = err ? err : EIO;
    }
};

namespace {

// fopencookie write: all of `size` bytes, or fewer (then stdio sets the stream's error flag).
ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
    auto *sink = static_cast<OutputFile::Sink *>(cookie);
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(sink->fd, buf + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sink->failed(n < 0 ? errno : ENOSPC);
            break;
        }
        done += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(done);
}

int sink_close(void *cookie)
{
    auto *sink = static_cast<OutputFile::Sink *>(cookie);
    const int rc = ::close(sink->fd);
    if (rc != 0)
        sink->failed(errno);
    sink->fd = -1;
    return rc;
}

} // namespace

void report_write_error(const std::string &what, int err)
{
    std::fprintf(stderr, "httusim: %s: write error: %s\n", what.c_str(),
                 err ? std::strerror(err) : "an earlier write failed");
}

bool finish_stdout()
{
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;
    const int err = flushed ? 0 : errno;
    if (flushed && !std::ferror(stdout))
        return true;
    report_write_error("standard output", err);
    return false;
}

OutputFile::OutputFile(const char *option) : m_option(option) {}

OutputFile::~OutputFile()
{
    if (m_file)
        std::fclose(m_file);   // not finished: an earlier error ends the command
}

bool OutputFile::open(const std::string &path)
{
    m_path = path;
    if (path.empty())
        return true;
    auto sink = std::make_unique<Sink>();
    sink->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (sink->fd >= 0) {
        cookie_io_functions_t io = {};
        io.write = sink_write;
        io.close = sink_close;
        m_file = fopencookie(sink.get(), "w", io);
        if (!m_file)
            ::close(sink->fd);
    }
    if (!m_file) {
        std::fprintf(stderr, "httusim: %s=%s: cannot open for writing: %s\n", m_option,
                     path.c_str(), std::strerror(errno));
        return false;
    }
    m_sink = std::move(sink);
    return true;
}

void OutputFile::set_buffer(size_t bytes)
{
    if (!m_file)
        return;
    m_buffer = std::make_unique<char[]>(bytes);
    std::setvbuf(m_file, m_buffer.get(), _IOFBF, bytes);
}

bool OutputFile::finish()
{
    if (!m_file)
        return true;
    std::fflush(m_file);
    const bool flag = std::ferror(m_file) != 0;
    std::fclose(m_file);   // sink_close records a failing close(2)
    m_file = nullptr;
    if (!flag && m_sink->first_errno == 0)
        return true;
    report_write_error(std::string(m_option) + "=" + m_path, m_sink->first_errno);
    return false;
}

} // namespace httusim
