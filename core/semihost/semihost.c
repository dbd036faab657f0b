/* STUB (to be replaced): semihosting. */
#include "semihost.h"
int semihost_call(a64_cpu *cpu, const semihost_host *host) { (void)host; cpu->x[0] = (uint64_t)-1; return -1; }
