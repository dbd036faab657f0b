/* Internal to the A64 executor: register access, flags, bit helpers, memory access, and the
 * entry points of the instruction groups (ARM ARM C4.1, "A64 instruction set encoding").
 *
 * Convention for every a64_exec_* function: on success it updates the registers, sets cpu->pc to
 * the next instruction (pc + 4 or a branch target) and returns A64_STEP_OK. When the instruction
 * raises an exception it calls one of the a64_take_* / a64_undefined functions (which set PC to
 * the vector) and returns their result, leaving no destination register half-written.
 */
#ifndef HTTUSIM_CORE_A64_EXEC_H
#define HTTUSIM_CORE_A64_EXEC_H

#include "cpu.h"
#include "sysreg_bits.h"

#include <string.h>

#define A64_LIKELY(x) __builtin_expect(!!(x), 1)
#define A64_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- timing: an instruction of class `c` retires (docs/timing.md; the platform multiplies the
 * counts by its costs) ---- */
static inline void a64_charge(a64_cpu *cpu, a64_iclass c)
{
    cpu->ctr.insts_by_class[c]++;
}

/* ---- bit fields of an instruction word ---- */
static inline uint32_t a64_bits(uint32_t insn, unsigned hi, unsigned lo)
{
    return (insn >> lo) & ((1u << (hi - lo + 1)) - 1u);
}
static inline uint32_t a64_bit(uint32_t insn, unsigned pos) { return (insn >> pos) & 1u; }

/* Sign-extend the low `bits` bits of v. */
static inline int64_t a64_sext(uint64_t v, unsigned bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* ---- general-purpose registers (ARM ARM C1.2.5: register 31 is XZR or SP by encoding) ---- */
static inline uint64_t a64_xreg(const a64_cpu *cpu, unsigned r) { return r == 31 ? 0 : cpu->x[r]; }
static inline uint64_t a64_xreg_sp(const a64_cpu *cpu, unsigned r)
{
    return r == 31 ? a64_get_sp(cpu) : cpu->x[r];
}
static inline void a64_set_xreg(a64_cpu *cpu, unsigned r, uint64_t v)
{
    if (r != 31)
        cpu->x[r] = v;
}
static inline void a64_set_xreg_sp(a64_cpu *cpu, unsigned r, uint64_t v)
{
    if (r == 31)
        a64_set_sp(cpu, v);
    else
        cpu->x[r] = v;
}
/* Write a W register: the upper 32 bits of X are zeroed (ARM ARM C1.2.5). */
static inline void a64_set_wreg(a64_cpu *cpu, unsigned r, uint32_t v) { a64_set_xreg(cpu, r, v); }

/* ---- NZCV ---- */
#define A64_N (1u << 31)
#define A64_Z (1u << 30)
#define A64_C (1u << 29)
#define A64_V (1u << 28)

/* ConditionHolds() (ARM ARM J1, shared/functions/system/ConditionHolds). */
static inline bool a64_cond_holds(uint32_t nzcv, unsigned cond)
{
    bool n = nzcv & A64_N, z = nzcv & A64_Z, c = nzcv & A64_C, v = nzcv & A64_V;
    bool r;
    switch (cond >> 1) {
    case 0: r = z; break;                /* EQ / NE */
    case 1: r = c; break;                /* CS / CC */
    case 2: r = n; break;                /* MI / PL */
    case 3: r = v; break;                /* VS / VC */
    case 4: r = c && !z; break;          /* HI / LS */
    case 5: r = n == v; break;           /* GE / LT */
    case 6: r = n == v && !z; break;     /* GT / LE */
    default: return true;                /* AL, NV: always */
    }
    return (cond & 1) ? !r : r;
}

/* ---- memory access (mem.c) ---- */
enum {
    A64_MEM_WRITE = 1u << 0,   /* store (or the write half of an atomic) */
    A64_MEM_ALIGN = 1u << 1,   /* must be size-aligned: exclusives, atomics, acquire/release */
    A64_MEM_EXCL = 1u << 2,    /* load/store exclusive */
    A64_MEM_UNPRIV = 1u << 3,  /* LDTR/STTR: EL0 permissions when executed at EL1 */
    A64_MEM_RMW = 1u << 4,     /* atomic read-modify-write: needs read and write permission */
    A64_MEM_CMO = 1u << 5,     /* cache maintenance / AT by VA: no alignment check, and a fault
                                  reports CM = 1 and WnR = 1 (ARM ARM D17.2.37) */
    A64_MEM_ZVA = 1u << 6,     /* DC ZVA: a store of a whole block (with A64_MEM_WRITE) */
    A64_MEM_IC = 1u << 7,      /* IC IVAU (with A64_MEM_CMO): instruction cache maintenance */
};

/* Translate a data access of `size` bytes at `va` (alignment check, then stage 1 when the MMU is
 * on). On a fault, takes the Data Abort (or Alignment fault) and returns false. With the MMU on,
 * an access crossing into a physically non-contiguous page gets a PA tagged A64_PA_SPLIT
 * (a64/translate.h): pass it unchanged to a64_phys_load/a64_phys_store. */
bool a64_translate_data(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *pa);

/* Physical accesses of 1, 2, 4 or 8 bytes. On a bus error takes a Synchronous External abort
 * reporting `va` and returns false. */
bool a64_phys_load(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                   uint64_t *out);
bool a64_phys_store(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned size, unsigned flags,
                    uint64_t value);

/* Host pointer of `size` bytes at physical `pa` when they lie in the RAM window, else NULL.
 * Atomics use it to perform their read-modify-write in one host operation. */
static inline uint8_t *a64_ram_ptr(const a64_cpu *cpu, uint64_t pa, unsigned size)
{
    uint64_t off = pa - cpu->cfg.ram.base;
    if (A64_LIKELY(cpu->cfg.ram.host && off < cpu->cfg.ram.size && size <= cpu->cfg.ram.size - off))
        return cpu->cfg.ram.host + off;
    return NULL;
}

/* Little-endian host loads and stores of 1, 2, 4 or 8 bytes (SCTLR_EL1.EE = 0 and an x86-64 or
 * AArch64 host). Each memcpy has a constant size, so it compiles to one move: a memcpy with a
 * variable size would be a libc call on every guest load and store. */
static inline uint64_t a64_host_load(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}
static inline void a64_host_store(uint8_t *p, unsigned size, uint64_t value)
{
    switch (size) {
    case 1: *p = (uint8_t)value; break;
    case 2: { uint16_t v = (uint16_t)value; memcpy(p, &v, 2); break; }
    case 4: { uint32_t v = (uint32_t)value; memcpy(p, &v, 4); break; }
    default: memcpy(p, &value, 8); break;
    }
}

/* A whole data load/store: translate, then access. Return false when an exception was taken. */
bool a64_load(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t *out);
bool a64_store(a64_cpu *cpu, uint64_t va, unsigned size, unsigned flags, uint64_t value);

/* A store by this PE clears the local monitor when it writes the monitored bytes (we model the
 * IMPLEMENTATION DEFINED choice of ARM ARM B2.9.5 that the architecture permits: any store that
 * overlaps the reservation clears it). */
static inline void a64_monitor_note_store(a64_cpu *cpu, uint64_t pa, unsigned size)
{
    if (cpu->excl_valid && pa < cpu->excl_addr + cpu->excl_size && cpu->excl_addr < pa + size)
        cpu->excl_valid = false;
}

/* Instruction fetch of the word at cpu->pc. On a fault takes the Instruction Abort (or PC
 * alignment fault) and returns false. */
bool a64_fetch_slow(a64_cpu *cpu, uint32_t *insn);   /* the whole fetch; see fetch.h */
/* Fetch from physical `pa` outside the RAM window (MMIO), or take the abort for `pc`. */
bool a64_fetch_device(a64_cpu *cpu, uint64_t pc, uint64_t pa, uint32_t *insn);

/* ---- exceptions raised by instructions (exception.c) ---- */
/* UNDEFINED: EC 0x00, ISS 0, IL 1. */
a64_step_result a64_undefined(a64_cpu *cpu);
/* Build an ESR value: EC, IL = 1 (32-bit instruction), ISS. */
static inline uint32_t a64_esr(unsigned ec, uint32_t iss) { return (ec << 26) | (1u << 25) | iss; }

/* ---- instruction groups, by op0 = insn[28:25] (ARM ARM C4.1) ---- */
a64_step_result a64_exec_dp_imm(a64_cpu *cpu, uint32_t insn);      /* 100x */
a64_step_result a64_exec_branch_sys(a64_cpu *cpu, uint32_t insn);  /* 101x */
a64_step_result a64_exec_ldst(a64_cpu *cpu, uint32_t insn);        /* x1x0 */
a64_step_result a64_exec_dp_reg(a64_cpu *cpu, uint32_t insn);      /* x101 */
a64_step_result a64_exec_simd_fp(a64_cpu *cpu, uint32_t insn);     /* x111, and FP/SIMD ld/st */

/* ERET and the system-register moves live in the branch/system group; DAIF/SPSel helpers: */
uint64_t a64_read_nzcv(const a64_cpu *cpu);

#endif
