/* Exclusives, load-acquire/store-release, compare-and-swap and the LSE atomic memory operations
 * (ARM ARM C4.1.66, classes "Load/store exclusive and ordered", "Compare and swap (pair)" and
 * "Atomic memory operations"; FEAT_LSE and FEAT_LOR of ARMv8.1).
 *
 * Every access here must be naturally aligned to its (total) size: A64_MEM_ALIGN makes a
 * misaligned one take an Alignment fault (DFSC 0x21) whatever the memory type (ARM ARM B2.5.2).
 * Register 31 is XZR for Rs, Rt and Rt2, and SP (with CheckSPAlignment()) for Rn.
 *
 * The core runs on one host thread and an instruction is never interleaved with another
 * observer's access (the table walker's hardware updates happen between instructions), so a
 * read-modify-write performed within one call here is single-copy atomic for the guest.
 *
 * CONSTRAINED UNPREDICTABLE choices (ARM ARM K1.2):
 *   - STXR/STXP with Rs == Rt, Rt2 or Rn: every operand is read before Ws is written, so the
 *     value stored and the address used are those before the instruction (an UNKNOWN value is
 *     permitted; this is one).
 *   - LDXP/LDAXP with Rt == Rt2: the register gets the second element.
 */
#include "atomics.h"

static inline uint64_t size_mask(unsigned bytes) { return ~0ull >> (64 - 8 * bytes); }

/* ---- The local exclusive monitor (ARM ARM B2.9.2, B2.9.5) ---- */

/* AArch64.SetExclusiveMonitors(): tag the physical address range of an LDXR/LDXP. */
static void monitor_mark(a64_cpu *cpu, uint64_t pa, unsigned bytes)
{
    cpu->excl_valid = true;
    cpu->excl_addr = pa;
    cpu->excl_size = bytes;
}

/* AArch64.ExclusiveMonitorsPass() for a store exclusive whose address has already been checked:
 * passes only when the monitor is in the Exclusive Access state for exactly this physical range
 * (the strict choice among the IMPLEMENTATION DEFINED ones of B2.9.2 for a mismatching address),
 * and in every case returns the monitor to the Open Access state (ClearExclusiveLocal()). */
static bool monitor_pass_and_clear(a64_cpu *cpu, uint64_t pa, unsigned bytes)
{
    bool pass = cpu->excl_valid && cpu->excl_addr == pa && cpu->excl_size == bytes;
    cpu->excl_valid = false;
    return pass;
}

/* ---- Accesses of up to 16 bytes as two 64-bit halves (pairs, CASP) ----
 * A pair of W registers is one 8-byte access; a pair of X registers is two 8-byte accesses at
 * pa and pa + 8 (little-endian: the first register is at the lower address). */
static bool phys_load_wide(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned bytes, unsigned flags,
                           uint64_t out[2])
{
    out[1] = 0;
    if (!a64_phys_load(cpu, pa, va, bytes > 8 ? 8 : bytes, flags, &out[0]))
        return false;
    if (bytes < 8)
        out[0] &= size_mask(bytes);  /* only `bytes` bytes came from memory (MMIO may say more) */
    return bytes <= 8 || a64_phys_load(cpu, pa + 8, va + 8, 8, flags, &out[1]);
}

static bool phys_store_wide(a64_cpu *cpu, uint64_t pa, uint64_t va, unsigned bytes,
                            unsigned flags, const uint64_t in[2])
{
    if (!a64_phys_store(cpu, pa, va, bytes > 8 ? 8 : bytes, flags, in[0]))
        return false;
    return bytes <= 8 || a64_phys_store(cpu, pa + 8, va + 8, 8, flags, in[1]);
}

/* Split the memory image of a register pair into its two elements of `esize` bytes. */
static void pair_split(const uint64_t wide[2], unsigned esize, uint64_t *first, uint64_t *second)
{
    if (esize == 8) {
        *first = wide[0];
        *second = wide[1];
    } else {
        *first = (uint32_t)wide[0];
        *second = wide[0] >> 32;
    }
}

static void pair_join(uint64_t first, uint64_t second, unsigned esize, uint64_t wide[2])
{
    if (esize == 8) {
        wide[0] = first;
        wide[1] = second;
    } else {
        wide[0] = (uint32_t)first | (second << 32);
        wide[1] = 0;
    }
}

/* ---- LDXR/LDAXR (B/H/W/X) and LDXP/LDAXP (W/X): ARM ARM C6.2 LDXR, LDXP ---- */

/* Load exclusive of `bytes` (a register) or 2 * esize (a pair; pair != 0). */
static a64_step_result exec_load_exclusive(a64_cpu *cpu, uint32_t insn, unsigned esize, bool pair)
{
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rt2 = a64_bits(insn, 14, 10);
    unsigned bytes = pair ? 2 * esize : esize;
    uint64_t va, pa, wide[2];
    if (!a64_ldst_base(cpu, rn, &va))
        return a64_ldst_fault_result(cpu);
    /* The alignment check covers the whole pair (C6.2 LDXP: the pair is one access of twice the element size). */
    if (!a64_translate_data(cpu, va, bytes, A64_MEM_ALIGN | A64_MEM_EXCL, &pa) ||
        !phys_load_wide(cpu, pa, va, bytes, A64_MEM_ALIGN | A64_MEM_EXCL, wide))
        return a64_ldst_fault_result(cpu);
    monitor_mark(cpu, pa, bytes);
    if (pair) {
        uint64_t first, second;
        pair_split(wide, esize, &first, &second);
        a64_set_xreg(cpu, rt, first);
        a64_set_xreg(cpu, rt2, second);
    } else {
        a64_set_xreg(cpu, rt, wide[0]);  /* zero-extended to the register size */
    }
    return a64_ldst_retire(cpu, A64_IC_LOAD);
}

/* ---- STXR/STLXR (B/H/W/X) and STXP/STLXP (W/X): ARM ARM C6.2 STXR, STXP ----
 * The address is checked (alignment, translation) before the monitor: an abort is taken with Ws
 * untouched even when the store would have failed (the IMPLEMENTATION DEFINED choice B2.9.2
 * allows: the pseudocode's AArch64.ExclusiveMonitorsPass() checks alignment first). Then the
 * store happens only if the monitor passes; Ws = 0 on success, 1 on failure; the monitor is
 * cleared either way. */
static a64_step_result exec_store_exclusive(a64_cpu *cpu, uint32_t insn, unsigned esize,
                                            bool pair)
{
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rt2 = a64_bits(insn, 14, 10);
    unsigned rs = a64_bits(insn, 20, 16);
    unsigned bytes = pair ? 2 * esize : esize;
    const unsigned flags = A64_MEM_ALIGN | A64_MEM_EXCL | A64_MEM_WRITE;
    uint64_t va, pa, wide[2] = { a64_xreg(cpu, rt) & size_mask(esize), 0 };
    if (pair)
        pair_join(wide[0], a64_xreg(cpu, rt2) & size_mask(esize), esize, wide);
    if (!a64_ldst_base(cpu, rn, &va))
        return a64_ldst_fault_result(cpu);
    if (!a64_translate_data(cpu, va, bytes, flags, &pa))
        return a64_ldst_fault_result(cpu);
    bool pass = monitor_pass_and_clear(cpu, pa, bytes);
    if (pass && !phys_store_wide(cpu, pa, va, bytes, flags, wide))
        return a64_ldst_fault_result(cpu);
    a64_set_wreg(cpu, rs, pass ? 0 : 1);
    return a64_ldst_retire(cpu, A64_IC_STORE);
}

/* ---- LDAR/LDLAR and STLR/STLLR (B/H/W/X): ARM ARM C6.2 LDAR, LDLAR, STLR, STLLR ----
 * One processing element with in-order memory: acquire, release and LORegion ordering add no
 * behaviour beyond the alignment requirement. */
static a64_step_result exec_ordered(a64_cpu *cpu, uint32_t insn, unsigned bytes, bool load)
{
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    uint64_t va, data;
    if (!a64_ldst_base(cpu, rn, &va))
        return a64_ldst_fault_result(cpu);
    if (load) {
        if (!a64_load(cpu, va, bytes, A64_MEM_ALIGN, &data))
            return a64_ldst_fault_result(cpu);
        a64_set_xreg(cpu, rt, data & size_mask(bytes));
    } else {
        data = a64_xreg(cpu, rt) & size_mask(bytes);
        if (!a64_store(cpu, va, bytes, A64_MEM_ALIGN, data))
            return a64_ldst_fault_result(cpu);
    }
    return a64_ldst_retire(cpu, load ? A64_IC_LOAD : A64_IC_STORE);
}

/* ---- Compare and swap ----
 * MemAtomicCompareAndSwap(): the location is translated once as a read-modify-write. For
 * permission checking (and watchpoints) every LSE atomic, CAS included, is treated as both a load
 * and a store whether or not the comparison succeeds (ARM ARM C3.2, the atomic instructions, and the CAS description), so a
 * failed CAS to a read-only page still takes a Permission fault; the translation may therefore also
 * mark the page dirty (hardware DBM), which the architecture permits for a failed CAS. The memory
 * is written only when the comparison succeeds. `bytes` is at most 16 (CASP X). */
static bool compare_and_swap(a64_cpu *cpu, uint64_t va, unsigned bytes, const uint64_t expected[2],
                             const uint64_t desired[2], uint64_t old[2])
{
    const unsigned flags = A64_MEM_RMW | A64_MEM_ALIGN | A64_MEM_WRITE;
    uint64_t pa;
    if (!a64_translate_data(cpu, va, bytes, flags, &pa))
        return false;
    uint8_t *host = a64_ram_ptr(cpu, pa, bytes);
    if (A64_LIKELY(host != NULL)) {
        old[0] = old[1] = 0;
        memcpy(old, host, bytes);
        if (old[0] == expected[0] && old[1] == expected[1]) {
            a64_monitor_note_store(cpu, pa, bytes);
            memcpy(host, desired, bytes);
        }
        return true;
    }
    if (!phys_load_wide(cpu, pa, va, bytes, flags, old))
        return false;
    if (old[0] == expected[0] && old[1] == expected[1])
        return phys_store_wide(cpu, pa, va, bytes, flags, desired);
    return true;
}

/* CAS, CASA, CASL, CASAL (B/H/W/X): ARM ARM C6.2 CAS*. Ws/Xs = compare value, and receives the
 * old memory value (zero-extended); Wt/Xt = new value. On an abort Rs keeps its value. */
static a64_step_result exec_cas(a64_cpu *cpu, uint32_t insn, unsigned bytes)
{
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rs = a64_bits(insn, 20, 16);
    uint64_t va, old[2];
    uint64_t expected[2] = { a64_xreg(cpu, rs) & size_mask(bytes), 0 };
    uint64_t desired[2] = { a64_xreg(cpu, rt) & size_mask(bytes), 0 };
    if (!a64_ldst_base(cpu, rn, &va) || !compare_and_swap(cpu, va, bytes, expected, desired, old))
        return a64_ldst_fault_result(cpu);
    a64_set_xreg(cpu, rs, old[0]);
    return a64_ldst_retire(cpu, A64_IC_ATOMIC);
}

/* CASP, CASPA, CASPL, CASPAL (W/X pairs): ARM ARM C6.2 CASP*. Rs and Rt name even registers (odd
 * is UNDEFINED); Rs+1/Rt+1 may be 31, which is then XZR. Little-endian: Rs/Rt is compared with
 * and written to the lower address. The pair is aligned to its total size. */
static a64_step_result exec_casp(a64_cpu *cpu, uint32_t insn, unsigned esize)
{
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rs = a64_bits(insn, 20, 16);
    if ((rs & 1) || (rt & 1))
        return a64_undefined(cpu);
    uint64_t m = size_mask(esize), va, expected[2], desired[2], old[2], first, second;
    pair_join(a64_xreg(cpu, rs) & m, a64_xreg(cpu, rs + 1) & m, esize, expected);
    pair_join(a64_xreg(cpu, rt) & m, a64_xreg(cpu, rt + 1) & m, esize, desired);
    if (!a64_ldst_base(cpu, rn, &va) ||
        !compare_and_swap(cpu, va, 2 * esize, expected, desired, old))
        return a64_ldst_fault_result(cpu);
    pair_split(old, esize, &first, &second);
    a64_set_xreg(cpu, rs, first);
    a64_set_xreg(cpu, rs + 1, second);
    return a64_ldst_retire(cpu, A64_IC_ATOMIC);
}

/* size(31:30) 001000 o2(23) L(22) o1(21) Rs o0(15) Rt2 Rn Rt:
 *   o2 o1 = 00  L = 0 STXR/STLXR (o0 = release),  L = 1 LDXR/LDAXR (o0 = acquire)
 *           01  size 1x: STXP/STLXP, LDXP/LDAXP (size<0> = 64-bit);
 *               size 0x: CASP/CASPA/CASPL/CASPAL (size<0> = 64-bit; L = acquire, o0 = release)
 *           10  STLLR (L=0 o0=0), STLR (L=0 o0=1), LDLAR (L=1 o0=0), LDAR (L=1 o0=1)
 *           11  CAS/CASA/CASL/CASAL (L = acquire, o0 = release)
 * The Rs and Rt2 fields that are "(1)" (should be one) in a form are not checked: a form with
 * other values there behaves as the form (one of the CONSTRAINED UNPREDICTABLE options). */
a64_step_result a64_exec_ldst_exclusive(a64_cpu *cpu, uint32_t insn)
{
    unsigned size = a64_bits(insn, 31, 30);
    bool load = a64_bit(insn, 22);
    unsigned bytes = 1u << size;
    switch ((a64_bit(insn, 23) << 1) | a64_bit(insn, 21)) {
    case 0:
        return load ? exec_load_exclusive(cpu, insn, bytes, false)
                    : exec_store_exclusive(cpu, insn, bytes, false);
    case 1: {
        unsigned esize = (size & 1) ? 8 : 4;
        if (size < 2)
            return exec_casp(cpu, insn, esize);
        return load ? exec_load_exclusive(cpu, insn, esize, true)
                    : exec_store_exclusive(cpu, insn, esize, true);
    }
    case 2:
        return exec_ordered(cpu, insn, bytes, load);
    default:
        return exec_cas(cpu, insn, bytes);
    }
}

/* ---- Atomic memory operations (FEAT_LSE): ARM ARM C6.2 LDADD ... LDUMIN, SWP ----
 * o3:opc (insn[15], insn[14:12]): 0000 LDADD, 0001 LDCLR, 0010 LDEOR, 0011 LDSET, 0100 LDSMAX,
 * 0101 LDSMIN, 0110 LDUMAX, 0111 LDUMIN, 1000 SWP; 1100 is LDAPR (FEAT_LRCPC, ARMv8.3) and the
 * rest are unallocated: UNDEFINED here. A = acquire, R = release. With Rt = 31 (and A = 0) they
 * are the STADD... aliases: the old value is discarded into XZR. */
enum atomic_op {
    ATOMIC_ADD = 0, ATOMIC_CLR, ATOMIC_EOR, ATOMIC_SET,
    ATOMIC_SMAX, ATOMIC_SMIN, ATOMIC_UMAX, ATOMIC_UMIN,
    ATOMIC_SWP,
};

/* The value written back by MemAtomic() for `op` (the comparisons are at the access size). */
static uint64_t atomic_new_value(unsigned op, uint64_t old, uint64_t operand, unsigned bytes)
{
    unsigned bits = 8 * bytes;
    int64_t sold = a64_sext(old, bits), soperand = a64_sext(operand, bits);
    uint64_t result;
    switch (op) {
    case ATOMIC_ADD:  result = old + operand; break;
    case ATOMIC_CLR:  result = old & ~operand; break;
    case ATOMIC_EOR:  result = old ^ operand; break;
    case ATOMIC_SET:  result = old | operand; break;
    case ATOMIC_SMAX: result = sold > soperand ? old : operand; break;
    case ATOMIC_SMIN: result = sold < soperand ? old : operand; break;
    case ATOMIC_UMAX: result = old > operand ? old : operand; break;
    case ATOMIC_UMIN: result = old < operand ? old : operand; break;
    default:          result = operand; break;  /* SWP */
    }
    return result & size_mask(bytes);
}

a64_step_result a64_exec_atomic_memop(a64_cpu *cpu, uint32_t insn)
{
    unsigned bytes = 1u << a64_bits(insn, 31, 30);
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rs = a64_bits(insn, 20, 16);
    unsigned op = a64_bits(insn, 15, 12);
    if (op > ATOMIC_SWP)
        return a64_undefined(cpu);

    const unsigned flags = A64_MEM_RMW | A64_MEM_ALIGN | A64_MEM_WRITE;
    uint64_t operand = a64_xreg(cpu, rs) & size_mask(bytes), va, pa, old = 0;
    if (!a64_ldst_base(cpu, rn, &va) || !a64_translate_data(cpu, va, bytes, flags, &pa))
        return a64_ldst_fault_result(cpu);
    uint8_t *host = a64_ram_ptr(cpu, pa, bytes);
    if (A64_LIKELY(host != NULL)) {
        old = a64_host_load(host, bytes);
        uint64_t result = atomic_new_value(op, old, operand, bytes);
        a64_monitor_note_store(cpu, pa, bytes);
        a64_host_store(host, bytes, result);
    } else {
        if (!a64_phys_load(cpu, pa, va, bytes, flags, &old))
            return a64_ldst_fault_result(cpu);
        old &= size_mask(bytes);
        if (!a64_phys_store(cpu, pa, va, bytes, flags, atomic_new_value(op, old, operand, bytes)))
            return a64_ldst_fault_result(cpu);
    }
    a64_set_xreg(cpu, rt, old);
    return a64_ldst_retire(cpu, A64_IC_ATOMIC);
}
