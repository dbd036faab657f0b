/* semihost: the semihosting calls the runtime and the simulator rely on.
 *  - SYS_GET_CMDLINE: echoes the arguments after the program name (argv[0] is the program as the
 *    host names it, so it is not printed)
 *  - SYS_WRITE0 and SYS_WRITEC: one line each (QEMU writes them to stderr, httusim to stdout)
 *  - SYS_HEAPINFO: a heap that lies above this image, below its limit, and is usable memory
 *  - SYS_CLOCK, SYS_ELAPSED, SYS_TICKFREQ: sane and monotonic (values not printed)
 *  - the exit status: with the argument "exit=N" main returns N after the checks (default 0) */
#include "fwtest.h"

extern char __image_start[], __bss_end[];

static int parse_int(const char *s)
{
    int v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return v;
}

/* long: one semihosting call after another, each with its check, in the order of the output. */
int main(int argc, char **argv)
{
    t_begin("semihost");
    int status = 0;

    t_section("command line");
    CHECK_MSG(argc >= 1, "argc >= 1 (program name)");
    printf("  argc-1 = %d\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        printf("  argv[%d] = \"%s\"\n", i, argv[i]);
        if (strncmp(argv[i], "exit=", 5) == 0)
            status = parse_int(argv[i] + 5);
    }
    char raw[256];
    CHECK_EQ_MSG("SYS_GET_CMDLINE result", semihost_get_cmdline(raw, sizeof raw), 0);
    CHECK_MSG(strlen(raw) > 0, "command line not empty");

    t_section("console");
    semihost_write0("  semihosting SYS_WRITE0 line\n");
    static const char c = '!';
    semihost_call(SEMI_SYS_WRITEC, &c);
    semihost_call(SEMI_SYS_WRITEC, "\n");
    CHECK_MSG(1, "SYS_WRITE0 and SYS_WRITEC returned");

    t_section("heap");
    struct semi_heapinfo hi = {0, 0, 0, 0};
    semihost_heapinfo(&hi);
    CHECK_MSG(hi.heap_base != 0, "heap base set");
    CHECK_MSG(hi.heap_base < hi.heap_limit, "heap base < heap limit");
    CHECK_MSG(hi.heap_base >= (uintptr_t)__bss_end || hi.heap_limit <= (uintptr_t)__image_start,
              "heap outside this image");
    CHECK_MSG(hi.heap_limit - hi.heap_base >= 0x100000, "heap at least 1 MiB");
    /* use the first 64 KiB of the heap (aligned 8-byte accesses) */
    uintptr_t base = (hi.heap_base + 7) & ~(uintptr_t)7;
    volatile uint64_t *h = (volatile uint64_t *)base;
    for (int i = 0; i < 8192; i++)
        h[i] = (uint64_t)i * 0x9e3779b97f4a7c15ull;
    int bad = 0;
    for (int i = 0; i < 8192; i++)
        if (h[i] != (uint64_t)i * 0x9e3779b97f4a7c15ull)
            bad++;
    CHECK_EQ_MSG("heap memory errors", bad, 0);

    t_section("time");
    int64_t c0 = semihost_clock();
    uint64_t t0 = 0, t1 = 0;
    int64_t e0 = semihost_elapsed(&t0);
    volatile uint64_t spin = 0;
    for (int i = 0; i < 20000; i++)
        spin += (uint64_t)i;
    int64_t e1 = semihost_elapsed(&t1);
    int64_t c1 = semihost_clock();
    CHECK_MSG(c0 >= 0 && c1 >= c0, "SYS_CLOCK monotonic");
    CHECK_MSG(e0 == 0 && e1 == 0, "SYS_ELAPSED succeeds");
    CHECK_MSG(t1 >= t0, "SYS_ELAPSED monotonic");
    CHECK_MSG(semihost_tickfreq() > 0, "SYS_TICKFREQ positive");

    int r = t_end();
    if (r == 0 && status) {
        printf("exiting with status %d\n", status);
        return status;
    }
    return r;
}
