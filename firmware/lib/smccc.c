/* SMC Calling Convention over HVC #0: function ID in W0, arguments in X1-X3, results in X0-X3.
 * X4-X17 may be changed by the callee (SMCCC 1.0 for 64-bit calls). */
#include "fw.h"

struct smccc_res smccc_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ __volatile__("hvc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                         :
                         : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
                           "x15", "x16", "x17", "memory");
    struct smccc_res r = {x0, x1, x2, x3};
    return r;
}

uint32_t psci_version(void)
{
    return (uint32_t)smccc_hvc(PSCI_VERSION, 0, 0, 0).a0;
}

void psci_system_off(void)
{
    smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        __asm__ __volatile__("wfi");
}
