/* Integer ALU helpers shared by the data-processing groups (dp_imm.c, dp_reg.c): AddWithCarry,
 * register shifts and extends, DecodeBitMasks, bit reversal and counting.
 *
 * Values are carried in uint64_t whatever the operand size; `sf` (1 = 64-bit, 0 = 32-bit)
 * selects the width. A 32-bit result is always returned zero-extended, so it can be written to
 * X with a64_set_xreg (ARM ARM C1.2.5: writing W zeroes the upper half of X).
 */
#ifndef HTTUSIM_CORE_A64_ALU_H
#define HTTUSIM_CORE_A64_ALU_H

#include <stdbool.h>
#include <stdint.h>

#include "exec.h"

/* All-ones mask of the operand size. */
static inline uint64_t a64_size_mask(unsigned sf) { return sf ? ~0ull : 0xffffffffull; }

/* Bits of the operand size (32 or 64). */
static inline unsigned a64_datasize(unsigned sf) { return sf ? 64u : 32u; }

/* ---- AddWithCarry() (ARM ARM J1, shared/functions/integer/AddWithCarry) ----
 * Returns the sum truncated to the operand size and stores N, Z, C, V (in NZCV bit positions)
 * in *flags. x and y must already be truncated (zero-extended) to the operand size. */
static inline uint64_t a64_add_with_carry(uint64_t x, uint64_t y, unsigned carry_in, unsigned sf,
                                          uint32_t *flags)
{
    uint64_t r;
    uint32_t nzcv;
    if (sf) {
        r = x + y + carry_in;
        /* carry out of bit 63 = majority(x63, y63, carry into bit 63) */
        uint64_t c = ((x & y) | ((x | y) & ~r)) >> 63;
        uint64_t v = ((x ^ r) & (y ^ r)) >> 63;
        nzcv = (uint32_t)(r >> 63) << 31 | (uint32_t)(r == 0) << 30 | (uint32_t)c << 29 |
               (uint32_t)v << 28;
    } else {
        uint64_t wide = x + y + carry_in;   /* 33 significant bits */
        r = wide & 0xffffffffull;
        uint64_t v = (((x ^ r) & (y ^ r)) >> 31) & 1u;
        nzcv = (uint32_t)(r >> 31) << 31 | (uint32_t)(r == 0) << 30 |
               (uint32_t)(wide >> 32) << 29 | (uint32_t)v << 28;
    }
    *flags = nzcv;
    return r;
}

/* N and Z of a result, C = V = 0: the flags of ANDS/BICS/TST (C6.2.12 ANDS). */
static inline uint32_t a64_logic_flags(uint64_t r, unsigned sf)
{
    unsigned top = sf ? 63 : 31;
    return (uint32_t)((r >> top) & 1u) << 31 | (uint32_t)(r == 0) << 30;
}

/* Rotate right within the operand size; amount < datasize. */
static inline uint64_t a64_ror(uint64_t v, unsigned amount, unsigned sf)
{
    if (amount == 0)
        return v;
    if (sf)
        return (v >> amount) | (v << (64 - amount));
    uint32_t w = (uint32_t)v;
    return (uint32_t)((w >> amount) | (w << (32 - amount)));
}

/* ---- ShiftReg() (ARM ARM J1, aarch64/instrs/integer/shiftreg): type 0 LSL, 1 LSR, 2 ASR,
 * 3 ROR, amount < datasize. `v` is zero-extended to the operand size; so is the result. ---- */
enum { A64_SHIFT_LSL = 0, A64_SHIFT_LSR = 1, A64_SHIFT_ASR = 2, A64_SHIFT_ROR = 3 };

static inline uint64_t a64_shift_reg(uint64_t v, unsigned type, unsigned amount, unsigned sf)
{
    switch (type) {
    case A64_SHIFT_LSL:
        return (v << amount) & a64_size_mask(sf);
    case A64_SHIFT_LSR:
        return v >> amount;
    case A64_SHIFT_ASR:
        if (sf)
            return (uint64_t)((int64_t)v >> amount);
        return (uint32_t)((int32_t)(uint32_t)v >> amount);
    default:
        return a64_ror(v, amount, sf);
    }
}

/* ---- ExtendReg() (ARM ARM J1, aarch64/instrs/extendreg): option<1:0> selects B/H/W/X,
 * option<2> signed; the extended value is shifted left by 0..4 and truncated. ---- */
static inline uint64_t a64_extend_reg(uint64_t v, unsigned option, unsigned shift, unsigned sf)
{
    unsigned len = 8u << (option & 3);
    uint64_t e;
    if (len < 64)
        e = (option & 4) ? (uint64_t)a64_sext(v, len) : (v & ((1ull << len) - 1));
    else
        e = v;
    return (e << shift) & a64_size_mask(sf);
}

/* Ones(n) in the low bits, 0 < n <= 64. */
static inline uint64_t a64_ones(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

/* Replicate an element of `esize` bits (a power of two, 2..64) across 64 bits. */
static inline uint64_t a64_replicate(uint64_t elem, unsigned esize)
{
    while (esize < 64) {
        elem |= elem << esize;
        esize *= 2;
    }
    return elem;
}

/* ---- DecodeBitMasks() (ARM ARM J1, aarch64/instrs/integer/bitmasks) for logical immediates:
 * returns false for a reserved encoding (len < 1, or imms all-ones within the element), else
 * the wmask of the operand size. The caller has rejected N = 1 with sf = 0. ---- */
static inline bool a64_decode_logical_imm(unsigned n, unsigned imms, unsigned immr, unsigned sf,
                                          uint64_t *wmask)
{
    unsigned combined = (n << 6) | (~imms & 0x3fu);  /* immN:NOT(imms) */
    if (combined == 0)
        return false;
    unsigned len = 31u - (unsigned)__builtin_clz(combined);  /* HighestSetBit */
    if (len < 1)
        return false;
    unsigned levels = (1u << len) - 1;
    if ((imms & levels) == levels)   /* element of all ones: reserved */
        return false;
    unsigned s = imms & levels, r = immr & levels, esize = 1u << len;
    uint64_t welem = a64_ones(s + 1);
    if (r)  /* ROR within the element */
        welem = ((welem >> r) | (welem << (esize - r))) & a64_ones(esize);
    *wmask = a64_replicate(welem, esize) & a64_size_mask(sf);
    return true;
}

/* ---- bit counting and reversal ---- */
static inline uint64_t a64_bit_reverse64(uint64_t v)
{
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(v);
}

/* CountLeadingZeroBits() of the operand-size value (datasize for 0). */
static inline uint64_t a64_clz(uint64_t v, unsigned sf)
{
    if (sf)
        return v ? (uint64_t)__builtin_clzll(v) : 64u;
    return (uint32_t)v ? (uint64_t)__builtin_clz((uint32_t)v) : 32u;
}

/* CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>). */
static inline uint64_t a64_cls(uint64_t v, unsigned sf)
{
    if (sf)
        return a64_clz((v ^ (v << 1)) | 1u, 1);
    uint32_t w = (uint32_t)v;
    return a64_clz((uint32_t)(w ^ (w << 1)) | 1u, 0);
}

#endif
