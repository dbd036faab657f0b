/* Arm semihosting for AArch64 (Arm "Semihosting for AArch32 and AArch64", version 2.0): the
 * call is HLT #0xF000 with the operation number in W0 and a parameter (usually the address of a
 * parameter block of 64-bit words) in X1; the result goes to X0.
 *
 * The core decodes the operation and reads/writes guest memory; everything that touches the host
 * (console, exit, clock, command line) goes through semihost_host callbacks.
 */
#ifndef HTTUSIM_CORE_SEMIHOST_H
#define HTTUSIM_CORE_SEMIHOST_H

#include "../a64/cpu.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    SEMIHOST_SYS_OPEN = 0x01,
    SEMIHOST_SYS_CLOSE = 0x02,
    SEMIHOST_SYS_WRITEC = 0x03,
    SEMIHOST_SYS_WRITE0 = 0x04,
    SEMIHOST_SYS_WRITE = 0x05,
    SEMIHOST_SYS_READ = 0x06,
    SEMIHOST_SYS_READC = 0x07,
    SEMIHOST_SYS_ISERROR = 0x08,
    SEMIHOST_SYS_ISTTY = 0x09,
    SEMIHOST_SYS_SEEK = 0x0a,
    SEMIHOST_SYS_FLEN = 0x0c,
    SEMIHOST_SYS_CLOCK = 0x10,
    SEMIHOST_SYS_TIME = 0x11,
    SEMIHOST_SYS_ERRNO = 0x13,
    SEMIHOST_SYS_GET_CMDLINE = 0x15,
    SEMIHOST_SYS_HEAPINFO = 0x16,
    SEMIHOST_SYS_EXIT = 0x18,
    SEMIHOST_SYS_EXIT_EXTENDED = 0x20,
    SEMIHOST_SYS_ELAPSED = 0x30,
    SEMIHOST_SYS_TICKFREQ = 0x31,
};

/* ADP_Stopped_ApplicationExit: the reason code of a normal exit with a status. */
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u

typedef struct semihost_host {
    void *ctx;
    /* Console output: fd 1 = stdout, 2 = stderr. */
    void (*write)(void *ctx, int fd, const char *buf, size_t len);
    /* The guest asked to exit with `status`. The core sets cpu->halted after this returns. */
    void (*exit)(void *ctx, int status);
    /* Simulated time since the start, in centiseconds (SYS_CLOCK) and in ticks (SYS_ELAPSED). */
    uint64_t (*clock_centis)(void *ctx);
    uint64_t (*elapsed_ticks)(void *ctx);
    uint64_t tick_freq;               /* ticks per second of elapsed_ticks (SYS_TICKFREQ) */
    const char *cmdline;              /* SYS_GET_CMDLINE: program name and arguments */
    uint64_t heap_base, heap_limit;   /* SYS_HEAPINFO */
    uint64_t stack_base, stack_limit;
} semihost_host;

/* Is `insn` the A64 semihosting trap, HLT #0xF000? */
static inline int semihost_is_trap(uint32_t insn) { return insn == 0xd45e0000u; }

/* Perform the call in w0/x1 of `cpu`, writing the result to x0. Returns 0, or -1 for an operation
 * this implementation does not know (x0 is then set to -1, as the specification asks for). */
int semihost_call(a64_cpu *cpu, const semihost_host *host);

#ifdef __cplusplus
}
#endif

#endif
