/* Arm semihosting for AArch64 (Arm "Semihosting for AArch32 and AArch64", version 2.0, chapter 6
 * "Semihosting operations").
 *
 * The model is a console, not a file system: the only file is the special name ":tt", whose open
 * mode picks stdin (modes 0-3), stdout (4-7) or stderr (8-11), as the specification describes for
 * SYS_OPEN. Handles are fixed numbers, so no state is kept between calls. Guest memory is
 * reached through a64_debug_read/a64_debug_write; a parameter block or buffer that cannot be
 * reached makes the call fail with -1 (or, for SYS_WRITE, count as bytes not written).
 */
#include "semihost.h"

#include <string.h>

/* The handles SYS_OPEN(":tt") returns (non-zero, as the specification requires). */
enum {
    HANDLE_STDIN = 1,
    HANDLE_STDOUT = 2,
    HANDLE_STDERR = 3,
};

#define SH_FAIL ((uint64_t)-1)

/* ---- guest memory ---- */

/* Read word `index` (64-bit on AArch64) of the parameter block at `block`. */
static bool read_arg(a64_cpu *cpu, uint64_t block, unsigned index, uint64_t *value)
{
    uint64_t v;
    if (!a64_debug_read(cpu, block + 8ull * index, &v, sizeof v))
        return false;
    *value = v; /* little-endian guest on a little-endian host */
    return true;
}

/* Reads words 0 .. n-1 of the parameter block into *args[0] .. *args[n-1], in order; false at
 * the first that cannot be read. */
static bool read_args(a64_cpu *cpu, uint64_t block, unsigned n, uint64_t *const args[])
{
    for (unsigned i = 0; i < n; i++)
        if (!read_arg(cpu, block, i, args[i]))
            return false;
    return true;
}

static bool write_word(a64_cpu *cpu, uint64_t va, uint64_t value)
{
    return a64_debug_write(cpu, va, &value, sizeof value);
}

/* ---- console ---- */

/* Host file descriptor written for a handle, or -1 for one that cannot be written. */
static int output_fd(uint64_t handle)
{
    switch (handle) {
    case HANDLE_STDOUT: return 1;
    case HANDLE_STDERR: return 2;
    default: return -1;
    }
}

static bool is_console_handle(uint64_t handle)
{
    return handle == HANDLE_STDIN || handle == HANDLE_STDOUT || handle == HANDLE_STDERR;
}

static void console_write(const semihost_host *host, int fd, const char *buf, size_t len)
{
    if (host->write && len)
        host->write(host->ctx, fd, buf, len);
}

/* Copy `len` guest bytes at `va` to the console in chunks; returns the bytes not written (the
 * rest of the buffer from the first byte that could not be read). */
static uint64_t copy_to_console(a64_cpu *cpu, const semihost_host *host, int fd, uint64_t va,
                                uint64_t len)
{
    char chunk[256];
    uint64_t done = 0;
    while (done < len) {
        size_t n = len - done < sizeof chunk ? (size_t)(len - done) : sizeof chunk;
        if (!a64_debug_read(cpu, va + done, chunk, n)) {
            /* Write what can be read of this chunk, byte by byte, then stop. */
            size_t ok = 0;
            while (ok < n && a64_debug_read(cpu, va + done + ok, &chunk[ok], 1))
                ok++;
            console_write(host, fd, chunk, ok);
            return len - done - ok;
        }
        console_write(host, fd, chunk, n);
        done += n;
    }
    return 0;
}

/* ---- operations (each returns the value for x0) ---- */

/* SYS_OPEN (0x01): block {name, mode, name length}. */
static uint64_t sys_open(a64_cpu *cpu, uint64_t block)
{
    uint64_t name, mode, len;
    char buf[4];
    if (!read_args(cpu, block, 3, (uint64_t *const[]){ &name, &mode, &len }))
        return SH_FAIL;
    if (len != 3 || !a64_debug_read(cpu, name, buf, 3) || memcmp(buf, ":tt", 3) != 0)
        return SH_FAIL;
    if (mode <= 3)
        return HANDLE_STDIN;
    if (mode <= 7)
        return HANDLE_STDOUT;
    if (mode <= 11)
        return HANDLE_STDERR;
    return SH_FAIL;
}

/* SYS_CLOSE (0x02): block {handle}; 0 or -1. */
static uint64_t sys_close(a64_cpu *cpu, uint64_t block)
{
    uint64_t handle;
    if (!read_arg(cpu, block, 0, &handle) || !is_console_handle(handle))
        return SH_FAIL;
    return 0;
}

/* SYS_WRITEC (0x03): x1 points at one character. x0 is corrupted: we leave it unchanged. */
static uint64_t sys_writec(a64_cpu *cpu, const semihost_host *host, uint64_t ptr)
{
    char c;
    if (!a64_debug_read(cpu, ptr, &c, 1))
        return SH_FAIL;
    console_write(host, 1, &c, 1);
    return cpu->x[0];
}

/* SYS_WRITE0 (0x04): x1 points at a NUL-terminated string. */
static uint64_t sys_write0(a64_cpu *cpu, const semihost_host *host, uint64_t ptr)
{
    char chunk[256];
    size_t n = 0;
    for (;;) {
        char c;
        if (!a64_debug_read(cpu, ptr++, &c, 1)) {
            console_write(host, 1, chunk, n);
            return SH_FAIL;
        }
        if (c == '\0')
            break;
        chunk[n++] = c;
        if (n == sizeof chunk) {
            console_write(host, 1, chunk, n);
            n = 0;
        }
    }
    console_write(host, 1, chunk, n);
    return cpu->x[0];
}

/* SYS_WRITE (0x05): block {handle, buffer, length}; returns the number of bytes NOT written. */
static uint64_t sys_write(a64_cpu *cpu, const semihost_host *host, uint64_t block)
{
    uint64_t handle, buf, len;
    if (!read_args(cpu, block, 3, (uint64_t *const[]){ &handle, &buf, &len }))
        return SH_FAIL;
    int fd = output_fd(handle);
    if (fd < 0)
        return len;
    return copy_to_console(cpu, host, fd, buf, len);
}

/* SYS_READ (0x06): block {handle, buffer, length}; returns the number of bytes NOT read. Standard
 * input is always at end of file (runs take no input), so nothing is read. */
static uint64_t sys_read(a64_cpu *cpu, uint64_t block)
{
    uint64_t handle, buf, len;
    if (!read_args(cpu, block, 3, (uint64_t *const[]){ &handle, &buf, &len }))
        return SH_FAIL;
    if (handle != HANDLE_STDIN)
        return SH_FAIL;
    return len;
}

/* SYS_ISERROR (0x08): block {status}; non-zero when status is an error (negative). */
static uint64_t sys_iserror(a64_cpu *cpu, uint64_t block)
{
    uint64_t status;
    if (!read_arg(cpu, block, 0, &status))
        return SH_FAIL;
    return (int64_t)status < 0 ? 1 : 0;
}

/* SYS_ISTTY (0x09): block {handle}; 1 for an interactive device, -1 for a bad handle. */
static uint64_t sys_istty(a64_cpu *cpu, uint64_t block)
{
    uint64_t handle;
    if (!read_arg(cpu, block, 0, &handle) || !is_console_handle(handle))
        return SH_FAIL;
    return 1;
}

/* SYS_GET_CMDLINE (0x15): block {buffer, length}. The command line is copied NUL-terminated and
 * length is updated to its length without the NUL; -1 when the buffer is too small. */
static uint64_t sys_get_cmdline(a64_cpu *cpu, const semihost_host *host, uint64_t block)
{
    uint64_t buf, size;
    if (!read_args(cpu, block, 2, (uint64_t *const[]){ &buf, &size }))
        return SH_FAIL;
    const char *cmdline = host->cmdline ? host->cmdline : "";
    uint64_t len = strlen(cmdline);
    if (len + 1 > size)
        return SH_FAIL;
    if (!a64_debug_write(cpu, buf, cmdline, len + 1) || !write_word(cpu, block + 8, len))
        return SH_FAIL;
    return 0;
}

/* SYS_HEAPINFO (0x16): x1 holds the address of a pointer to a four-word block, which receives
 * heap base, heap limit, stack base, stack limit. */
static uint64_t sys_heapinfo(a64_cpu *cpu, const semihost_host *host, uint64_t ptr)
{
    uint64_t block;
    if (!read_arg(cpu, ptr, 0, &block))
        return SH_FAIL;
    uint64_t info[4] = { host->heap_base, host->heap_limit, host->stack_base, host->stack_limit };
    if (!a64_debug_write(cpu, block, info, sizeof info))
        return SH_FAIL;
    return 0;
}

/* SYS_EXIT (0x18) and SYS_EXIT_EXTENDED (0x20) on AArch64: block {reason, subcode}. A normal
 * application exit (ADP_Stopped_ApplicationExit) carries the status in subcode; any other
 * reason (a run-time error, an internal error, ...) is a failure: status 1. */
static uint64_t sys_exit(a64_cpu *cpu, const semihost_host *host, uint64_t block)
{
    uint64_t reason, subcode;
    if (!read_args(cpu, block, 2, (uint64_t *const[]){ &reason, &subcode }))
        return SH_FAIL;
    int status = reason == SEMIHOST_ADP_STOPPED_APPLICATION_EXIT ? (int)subcode : 1;
    if (host->exit)
        host->exit(host->ctx, status);
    cpu->halted = true;
    return 0;
}

/* SYS_ELAPSED (0x30): x1 points at a doubleword that receives the tick count. */
static uint64_t sys_elapsed(a64_cpu *cpu, const semihost_host *host, uint64_t ptr)
{
    if (!host->elapsed_ticks)
        return SH_FAIL;
    if (!write_word(cpu, ptr, host->elapsed_ticks(host->ctx)))
        return SH_FAIL;
    return 0;
}

int semihost_call(a64_cpu *cpu, const semihost_host *host)
{
    uint32_t op = (uint32_t)cpu->x[0];
    uint64_t param = cpu->x[1];
    uint64_t result;
    switch (op) {
    case SEMIHOST_SYS_OPEN: result = sys_open(cpu, param); break;
    case SEMIHOST_SYS_CLOSE: result = sys_close(cpu, param); break;
    case SEMIHOST_SYS_WRITEC: result = sys_writec(cpu, host, param); break;
    case SEMIHOST_SYS_WRITE0: result = sys_write0(cpu, host, param); break;
    case SEMIHOST_SYS_WRITE: result = sys_write(cpu, host, param); break;
    case SEMIHOST_SYS_READ: result = sys_read(cpu, param); break;
    case SEMIHOST_SYS_READC: result = SH_FAIL; break;      /* no input */
    case SEMIHOST_SYS_ISERROR: result = sys_iserror(cpu, param); break;
    case SEMIHOST_SYS_ISTTY: result = sys_istty(cpu, param); break;
    case SEMIHOST_SYS_SEEK: result = SH_FAIL; break;       /* consoles cannot seek */
    case SEMIHOST_SYS_FLEN: result = SH_FAIL; break;       /* consoles have no length */
    case SEMIHOST_SYS_CLOCK:
        result = host->clock_centis ? host->clock_centis(host->ctx) : SH_FAIL;
        break;
    case SEMIHOST_SYS_TIME:
        /* Seconds since the epoch: a fixed 0, so that a run never depends on the host's clock
         * and two runs of the same firmware produce identical output, stats and traces. */
        result = 0;
        break;
    case SEMIHOST_SYS_ERRNO:
        /* No errno is kept (the calls are stateless); 0 is "no error recorded". */
        result = 0;
        break;
    case SEMIHOST_SYS_GET_CMDLINE: result = sys_get_cmdline(cpu, host, param); break;
    case SEMIHOST_SYS_HEAPINFO: result = sys_heapinfo(cpu, host, param); break;
    case SEMIHOST_SYS_EXIT:
    case SEMIHOST_SYS_EXIT_EXTENDED: result = sys_exit(cpu, host, param); break;
    case SEMIHOST_SYS_ELAPSED: result = sys_elapsed(cpu, host, param); break;
    case SEMIHOST_SYS_TICKFREQ: result = host->tick_freq ? host->tick_freq : SH_FAIL; break;
    default:
        cpu->x[0] = SH_FAIL;
        return -1;
    }
    cpu->x[0] = result;
    return 0;
}
