/* Replacements for the libgcc helpers that use FP/SIMD registers (libgcc is built for Linux, with
 * FP/SIMD; this firmware runs with CPACR_EL1.FPEN = 0, where those instructions trap with EC 0x07).
 * Found with: objdump -d libgcc.a | grep cnt/fmov/...; only the popcount helpers are affected.
 * Objects are linked before -lgcc, so these definitions win. Written as SWAR arithmetic, which
 * GCC does not turn back into a popcount call without a popcount instruction (checked in the .lst). */
#include "fw.h"

int __popcountdi2(uint64_t x);
int __popcountti2(unsigned __int128 x);

int __popcountdi2(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((x * 0x0101010101010101ull) >> 56);
}

int __popcountti2(unsigned __int128 x)
{
    return __popcountdi2((uint64_t)x) + __popcountdi2((uint64_t)(x >> 64));
}
