/* Arm semihosting for AArch64: HLT #0xF000, operation in W0, parameter (usually the address of a
 * block of 64-bit words) in X1, result in X0. */
#include "fw.h"

int64_t semihost_call(uint32_t op, const void *arg)
{
    register uint64_t x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = arg;
    __asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return (int64_t)x0;
}

void semihost_write0(const char *s)
{
    semihost_call(SEMI_SYS_WRITE0, s);
}

int64_t semihost_get_cmdline(char *buf, size_t size)
{
    uint64_t block[2] = {(uintptr_t)buf, size};
    int64_t r = semihost_call(SEMI_SYS_GET_CMDLINE, block);
    if (r == 0 && size) {
        size_t n = block[1] < size ? (size_t)block[1] : size - 1;
        buf[n] = '\0';
    }
    return r;
}

int64_t semihost_heapinfo(struct semi_heapinfo *out)
{
    /* X1 holds the address of a word that points to the four-word block. */
    struct semi_heapinfo *p = out;
    return semihost_call(SEMI_SYS_HEAPINFO, &p);
}

int64_t semihost_clock(void)
{
    return semihost_call(SEMI_SYS_CLOCK, NULL);
}

int64_t semihost_elapsed(uint64_t *ticks)
{
    uint64_t block[1] = {0};
    int64_t r = semihost_call(SEMI_SYS_ELAPSED, block);
    *ticks = block[0];
    return r;
}

int64_t semihost_tickfreq(void)
{
    return semihost_call(SEMI_SYS_TICKFREQ, NULL);
}

void semihost_exit(int status)
{
    /* AArch64 SYS_EXIT always takes a block {reason, subcode}. */
    uint64_t block[2] = {SEMI_ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    semihost_call(SEMI_SYS_EXIT, block);
    /* No semihosting host: power off instead (the status is lost). */
    psci_system_off();
}

void fw_exit(int status)
{
    semihost_exit(status);
}
