/* String functions. GCC emits calls to memset/memcpy/memmove/memcmp even with -ffreestanding, and
 * at -O2 it would recognise the loops below as those very functions and call them recursively:
 * this file is compiled with -fno-tree-loop-distribute-patterns -fno-builtin (CMakeLists.txt).
 *
 * All accesses are naturally aligned (the MMU is off: Device memory, where an unaligned access
 * faults): word-sized loops run only when both pointers share the same alignment.
 */
#include "fw.h"

#define WORD sizeof(uint64_t)

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint8_t b = (uint8_t)c;
    while (n && ((uintptr_t)d & (WORD - 1))) {
        *d++ = b;
        n--;
    }
    uint64_t w = b * 0x0101010101010101ull;
    for (; n >= WORD; n -= WORD, d += WORD)
        *(uint64_t *)d = w;
    while (n--)
        *d++ = b;
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
        while (n && ((uintptr_t)d & (WORD - 1))) {
            *d++ = *s++;
            n--;
        }
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n); /* forward copy is safe */
    /* Overlap with d above s: copy backwards. */
    d += n;
    s += n;
    if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
        while (n && ((uintptr_t)d & (WORD - 1))) {
            *--d = *--s;
            n--;
        }
        for (; n >= WORD; n -= WORD) {
            d -= WORD;
            s -= WORD;
            *(uint64_t *)d = *(const uint64_t *)s;
        }
    }
    while (n--)
        *--d = *--s;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}
