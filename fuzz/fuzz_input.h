/* Reading a libFuzzer input as a little-endian byte stream: fields past the end of the input read
 * as zero, so every input, however short, is a complete description (the header of a short input
 * is simply zero-filled). Shared by the harnesses in fuzz/. */
#ifndef HTTUSIM_FUZZ_INPUT_H
#define HTTUSIM_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_reader {
    const uint8_t *data;
    size_t size;
    size_t pos;
} fuzz_reader;

static inline size_t fuzz_left(const fuzz_reader *r)
{
    return r->pos < r->size ? r->size - r->pos : 0;
}

/* `n` bytes (n <= 8), little-endian, zero past the end. */
static inline uint64_t fuzz_bytes(fuzz_reader *r, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++, r->pos++)
        if (r->pos < r->size)
            v |= (uint64_t)r->data[r->pos] << (8 * i);
    return v;
}
static inline uint8_t fuzz_u8(fuzz_reader *r) { return (uint8_t)fuzz_bytes(r, 1); }
static inline uint16_t fuzz_u16(fuzz_reader *r) { return (uint16_t)fuzz_bytes(r, 2); }
static inline uint32_t fuzz_u32(fuzz_reader *r) { return (uint32_t)fuzz_bytes(r, 4); }
static inline uint64_t fuzz_u64(fuzz_reader *r) { return fuzz_bytes(r, 8); }

/* Memory chunks: { u16 offset / 8, u8 count of 8-byte words, the words }, copied into `mem`
 * (offset taken modulo `size`, words past the end of `mem` dropped). `size` is a multiple of 8.
 * Reads `nchunks` chunks, or until the input ends. */
static inline void fuzz_load_chunks(fuzz_reader *r, unsigned nchunks, uint8_t *mem, size_t size)
{
    for (unsigned c = 0; c < nchunks && fuzz_left(r) > 0; c++) {
        size_t off = ((size_t)fuzz_u16(r) * 8) % size;
        unsigned words = fuzz_u8(r);
        for (unsigned w = 0; w < words; w++, off += 8) {
            uint64_t v = fuzz_u64(r);
            if (off + 8 <= size)
                memcpy(mem + off, &v, 8);
        }
    }
}

/* An invariant that does not hold: report it and abort, so that libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                                  \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "INVARIANT VIOLATED (%s:%d): %s\n  ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, "\n");                                                             \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#endif
