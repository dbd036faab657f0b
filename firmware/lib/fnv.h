/* FNV-1a, 64 bits (Fowler, Noll, Vo): the hash the firmware prints to fingerprint memory contents
 * (compute's workload, the random-instruction harness's scratch area). Header-only plain C, so
 * that `cc -DCOMPUTE_HOST tests/compute.c` builds on the host as well. */
#ifndef HTTUSIM_FW_FNV_H
#define HTTUSIM_FW_FNV_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t fnv1a64(const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull;   /* the 64-bit offset basis */
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;            /* the 64-bit FNV prime */
    }
    return h;
}

#endif
