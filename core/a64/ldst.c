/* Loads and stores (ARM ARM C4.1.66): op0 = insn[28:25] = x1x0. Within the group the classes are
 * selected by insn[29:28], V = insn[26], insn[24:23], insn[21] and insn[11:10]:
 *
 *   29:28 = 00  bit 24 = 0, V = 0   Load/store exclusive and ordered, CAS, CASP  -> atomics.c
 *               bit 31 = 0, V = 1   Advanced SIMD load/store structures          -> SIMD&FP
 *   29:28 = 01  bit 24 = 0          Load register (literal)  LDR, LDRSW, PRFM
 *   29:28 = 10                      Load/store pair  LDNP/STNP, LDP/STP, LDPSW (post, offset, pre)
 *   29:28 = 11  bit 24 = 1          Load/store register (unsigned immediate)
 *               bit 24 = 0, bit 21 = 0, 11:10 = 00  unscaled immediate  LDUR/STUR, PRFUM
 *                                          = 01  immediate post-indexed
 *                                          = 10  unprivileged  LDTR/STTR
 *                                          = 11  immediate pre-indexed
 *               bit 24 = 0, bit 21 = 1, 11:10 = 00  Atomic memory operations          -> atomics.c
 *                                          = 10  register offset  LDR/STR (register), PRFM
 *                                          = x1  pointer authentication (FEAT_PAuth): UNDEFINED
 *
 * Everything else is unallocated in ARMv8.1 (the RCpc, MTE and PAuth forms of later versions
 * are not implemented) and UNDEFINED. Allocated SIMD&FP forms (V = 1) go to a64_exec_simd_fp().
 *
 * CONSTRAINED UNPREDICTABLE choices (ARM ARM K1.2, "Load/store" cases), one each, everywhere:
 *   - a load with writeback whose Rt (or Rt2) is Rn (n != 31): the writeback is suppressed
 *     (Constraint_WBSUPPRESS): Rt ends up holding the loaded value;
 *   - a store with writeback whose Rt (or Rt2) is Rn (n != 31): the value stored is Rn before the
 *     writeback (Constraint_NONE);
 *   - LDP/LDNP/LDPSW with Rt == Rt2: the register gets the second element (an UNKNOWN value).
 */
#include "atomics.h"

/* Addressing modes of the immediate and pair forms. */
typedef enum {
    ADDR_OFFSET,     /* [Xn, #imm]: no writeback */
    ADDR_PRE_INDEX,  /* [Xn, #imm]!: access at Xn + imm, Xn = Xn + imm */
    ADDR_POST_INDEX, /* [Xn], #imm: access at Xn, Xn = Xn + imm */
} addr_mode;

/* What a size:opc pair of the single-register classes means (ARM ARM C4.1.66, the tables of
 * "Load/store register (...)"): the access size, and how a load extends into Rt. */
typedef struct ldst_kind {
    unsigned bytes;    /* 1, 2, 4 or 8 */
    bool load;
    bool sign_extend;  /* LDRSB, LDRSH, LDRSW */
    bool to_x;         /* the destination is X (64-bit) rather than W */
    bool prefetch;     /* PRFM / PRFUM: a hint, no access */
} ldst_kind;

/* Decode size(31:30) and opc(23:22) of a V = 0 single-register form:
 *   opc 00 STR*, 01 LDR* (zero-extending), 10 LDRS* to X (size 11: PRFM), 11 LDRS* to W.
 * size 10 opc 11 and size 11 opc 11 are unallocated. Returns false for those. */
static bool decode_ldst_kind(unsigned size, unsigned opc, ldst_kind *k)
{
    k->bytes = 1u << size;
    k->load = opc != 0;
    k->sign_extend = opc >= 2;
    k->to_x = size == 3 || opc == 2;
    k->prefetch = size == 3 && opc == 2;
    if (k->prefetch)
        k->sign_extend = false;
    if (opc == 3 && size >= 2)
        return false;
    return true;
}

/* A load's value as it is written to Rt: sign-extended to 64 bits, or to 32 bits with the
 * upper half of X zeroed for a W destination (ARM ARM C1.2.5). */
static uint64_t extend_loaded(const ldst_kind *k, uint64_t v)
{
    v &= ~0ull >> (64 - 8 * k->bytes);  /* only `bytes` bytes came from memory (MMIO may say more) */
    if (k->sign_extend)
        v = (uint64_t)a64_sext(v, k->bytes * 8);
    return k->to_x ? v : (uint32_t)v;
}

/* The single-register load/store common to every addressing mode. `flags` adds A64_MEM_UNPRIV
 * for LDTR/STTR. Loads write Rt only after the access succeeded; writeback follows the access. */
static a64_step_result ldst_single(a64_cpu *cpu, const ldst_kind *k, unsigned rt, unsigned rn,
                                   uint64_t offset, addr_mode mode, unsigned flags)
{
    if (k->prefetch)  /* PRFM/PRFUM: a hint; no translation, no fault, no SP check */
        return a64_ldst_retire(cpu, A64_IC_LOAD);
    uint64_t base;
    if (!a64_ldst_base(cpu, rn, &base))
        return a64_ldst_fault_result(cpu);
    uint64_t address = mode == ADDR_POST_INDEX ? base : base + offset;
    bool wback = mode != ADDR_OFFSET;

    if (k->load) {
        uint64_t data;
        if (!a64_load(cpu, address, k->bytes, flags, &data))
            return a64_ldst_fault_result(cpu);
        if (wback)  /* before Rt: with Rt == Rn the loaded value stays (WBSUPPRESS) */
            a64_set_xreg_sp(cpu, rn, base + offset);
        a64_set_xreg(cpu, rt, extend_loaded(k, data));
    } else {
        /* read before writeback (Constraint_NONE when Rt == Rn) */
        uint64_t data = a64_xreg(cpu, rt) & (~0ull >> (64 - 8 * k->bytes));
        if (!a64_store(cpu, address, k->bytes, flags, data))
            return a64_ldst_fault_result(cpu);
        if (wback)
            a64_set_xreg_sp(cpu, rn, base + offset);
    }
    return a64_ldst_retire(cpu, k->load ? A64_IC_LOAD : A64_IC_STORE);
}

/* Allocated SIMD&FP single-register forms (V = 1): size:opc with opc<1> = 1 exists only for
 * size 00 (the 128-bit Q forms); the others are B/H/S/D. */
static bool simd_single_allocated(unsigned size, unsigned opc)
{
    return (opc & 2) == 0 || size == 0;
}

/* ---- Load register (literal): opc(31:30) 011 V 00 imm19 Rt (ARM ARM C6.2 LDR (literal), LDRSW (literal), PRFM (literal)) ---- */
static a64_step_result exec_load_literal(a64_cpu *cpu, uint32_t insn)
{
    unsigned opc = a64_bits(insn, 31, 30), rt = a64_bits(insn, 4, 0);
    if (a64_bit(insn, 26))
        return opc == 3 ? a64_undefined(cpu) : a64_exec_simd_fp(cpu, insn);
    if (opc == 3)  /* PRFM (literal): a hint */
        return a64_ldst_retire(cpu, A64_IC_LOAD);
    uint64_t address = cpu->pc + (uint64_t)(a64_sext(a64_bits(insn, 23, 5), 19) * 4);
    ldst_kind k = { .bytes = opc == 1 ? 8u : 4u, .load = true, .sign_extend = opc == 2,
                    .to_x = opc != 0 };
    uint64_t data;
    if (!a64_load(cpu, address, k.bytes, 0, &data))
        return a64_ldst_fault_result(cpu);
    a64_set_xreg(cpu, rt, extend_loaded(&k, data));
    return a64_ldst_retire(cpu, A64_IC_LOAD);
}

/* ---- Load/store pair: opc(31:30) 101 V 0 idx(24:23) L imm7 Rt2 Rn Rt ----
 * idx: 00 no-allocate offset (LDNP/STNP), 01 post-index, 10 signed offset, 11 pre-index.
 * opc: 00 32-bit, 01 LDPSW (L = 1, idx != 00; with L = 0 it is STGP, FEAT_MTE), 10 64-bit.
 * ARM ARM C6.2 LDP, LDPSW, STP, LDNP, STNP. Both elements are translated before
 * either is accessed, and the loaded values are written only after both reads succeeded. */
static a64_step_result exec_ldst_pair(a64_cpu *cpu, uint32_t insn)
{
    unsigned opc = a64_bits(insn, 31, 30), idx = a64_bits(insn, 24, 23);
    bool load = a64_bit(insn, 22);
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rt2 = a64_bits(insn, 14, 10);
    if (a64_bit(insn, 26))
        return opc == 3 ? a64_undefined(cpu) : a64_exec_simd_fp(cpu, insn);
    if (opc == 3 || (opc == 1 && (!load || idx == 0)))
        return a64_undefined(cpu);

    unsigned scale = opc == 2 ? 3 : 2;
    unsigned bytes = 1u << scale;
    uint64_t offset = (uint64_t)a64_sext(a64_bits(insn, 21, 15), 7) << scale;
    addr_mode mode = idx == 1 ? ADDR_POST_INDEX : idx == 3 ? ADDR_PRE_INDEX : ADDR_OFFSET;

    uint64_t base;
    if (!a64_ldst_base(cpu, rn, &base))
        return a64_ldst_fault_result(cpu);
    uint64_t address = mode == ADDR_POST_INDEX ? base : base + offset;
    unsigned flags = load ? 0 : A64_MEM_WRITE;
    uint64_t pa1, pa2;
    if (!a64_translate_data(cpu, address, bytes, flags, &pa1) ||
        !a64_translate_data(cpu, address + bytes, bytes, flags, &pa2))
        return a64_ldst_fault_result(cpu);

    if (load) {
        uint64_t d1, d2;
        if (!a64_phys_load(cpu, pa1, address, bytes, flags, &d1) ||
            !a64_phys_load(cpu, pa2, address + bytes, bytes, flags, &d2))
            return a64_ldst_fault_result(cpu);
        if (bytes == 4) {  /* LDP W zero-extends, LDPSW sign-extends */
            d1 = opc == 1 ? (uint64_t)a64_sext(d1, 32) : (uint32_t)d1;
            d2 = opc == 1 ? (uint64_t)a64_sext(d2, 32) : (uint32_t)d2;
        }
        if (mode != ADDR_OFFSET)  /* before Rt/Rt2: WBSUPPRESS when one of them is Rn */
            a64_set_xreg_sp(cpu, rn, base + offset);
        a64_set_xreg(cpu, rt, d1);
        a64_set_xreg(cpu, rt2, d2);  /* Rt == Rt2: the second element (UNKNOWN) */
    } else {
        uint64_t mask = bytes == 8 ? ~0ull : 0xffffffffull;
        uint64_t d1 = a64_xreg(cpu, rt) & mask, d2 = a64_xreg(cpu, rt2) & mask;
        if (!a64_phys_store(cpu, pa1, address, bytes, flags, d1) ||
            !a64_phys_store(cpu, pa2, address + bytes, bytes, flags, d2))
            return a64_ldst_fault_result(cpu);
        if (mode != ADDR_OFFSET)
            a64_set_xreg_sp(cpu, rn, base + offset);
    }
    return a64_ldst_retire(cpu, load ? A64_IC_LOAD : A64_IC_STORE);
}

/* ---- Load/store register, 9-bit signed immediate: size 111 V 00 opc 0 imm9 op Rn Rt ----
 * insn[11:10]: 00 unscaled (LDUR/STUR/PRFUM), 01 post-index, 10 unprivileged (LDTR/STTR),
 * 11 pre-index. PRFM exists only unscaled (PRFUM); the unprivileged forms have no SIMD&FP
 * variant. ARM ARM C6.2 LDUR*, STUR*, LDTR*, STTR*, LDR/STR (immediate). */
static a64_step_result exec_ldst_imm9(a64_cpu *cpu, uint32_t insn)
{
    unsigned size = a64_bits(insn, 31, 30), opc = a64_bits(insn, 23, 22);
    unsigned form = a64_bits(insn, 11, 10);
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    if (a64_bit(insn, 26)) {
        bool allocated = form != 2 && simd_single_allocated(size, opc);
        return allocated ? a64_exec_simd_fp(cpu, insn) : a64_undefined(cpu);
    }
    ldst_kind k;
    if (!decode_ldst_kind(size, opc, &k) || (k.prefetch && form != 0))
        return a64_undefined(cpu);
    uint64_t offset = (uint64_t)a64_sext(a64_bits(insn, 20, 12), 9);
    unsigned flags = 0;
    addr_mode mode = ADDR_OFFSET;
    switch (form) {
    case 1: mode = ADDR_POST_INDEX; break;
    case 3: mode = ADDR_PRE_INDEX; break;
    case 2:
        /* AArch64.UnprivAccess: at EL1 the access is checked with EL0 permissions unless
         * PSTATE.UAO is set (FEAT_UAO); at EL0 it is an ordinary access. */
        if (cpu->pstate.el == 1 && !cpu->pstate.uao)
            flags = A64_MEM_UNPRIV;
        break;
    default: break;
    }
    return ldst_single(cpu, &k, rt, rn, offset, mode, flags);
}

/* ExtendReg() for the register-offset forms (ARM ARM J1, shared/functions/ExtendReg): option
 * 010 UXTW, 011 LSL/UXTX, 110 SXTW, 111 SXTX, then shifted left by `shift`. */
static uint64_t extend_index(uint64_t xm, unsigned option, unsigned shift)
{
    uint64_t v;
    switch (option) {
    case 2: v = (uint32_t)xm; break;
    case 6: v = (uint64_t)(int64_t)(int32_t)(uint32_t)xm; break;
    default: v = xm; break;  /* 3 (UXTX/LSL) and 7 (SXTX) use all 64 bits */
    }
    return v << shift;
}

/* ---- Load/store register (register offset): size 111 V 00 opc 1 Rm option S 10 Rn Rt ----
 * option<1> = 0 is unallocated. S scales the index by the access size (by 8 for PRFM).
 * ARM ARM C6.2 LDR (register) and friends, PRFM (register). */
static a64_step_result exec_ldst_reg_offset(a64_cpu *cpu, uint32_t insn)
{
    unsigned size = a64_bits(insn, 31, 30), opc = a64_bits(insn, 23, 22);
    unsigned option = a64_bits(insn, 15, 13);
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rm = a64_bits(insn, 20, 16);
    if ((option & 2) == 0)
        return a64_undefined(cpu);
    if (a64_bit(insn, 26))
        return simd_single_allocated(size, opc) ? a64_exec_simd_fp(cpu, insn) : a64_undefined(cpu);
    ldst_kind k;
    if (!decode_ldst_kind(size, opc, &k))
        return a64_undefined(cpu);
    unsigned shift = a64_bit(insn, 12) ? size : 0;
    uint64_t offset = extend_index(a64_xreg(cpu, rm), option, shift);
    return ldst_single(cpu, &k, rt, rn, offset, ADDR_OFFSET, 0);
}

/* ---- Load/store register (unsigned immediate): size 111 V 01 opc imm12 Rn Rt ----
 * The offset is imm12 scaled by the access size (by 8 for PRFM). ARM ARM C6.2 LDR
 * (immediate) and friends, PRFM (immediate). */
static a64_step_result exec_ldst_uimm(a64_cpu *cpu, uint32_t insn)
{
    unsigned size = a64_bits(insn, 31, 30), opc = a64_bits(insn, 23, 22);
    unsigned rt = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    if (a64_bit(insn, 26))
        return simd_single_allocated(size, opc) ? a64_exec_simd_fp(cpu, insn) : a64_undefined(cpu);
    ldst_kind k;
    if (!decode_ldst_kind(size, opc, &k))
        return a64_undefined(cpu);
    uint64_t offset = (uint64_t)a64_bits(insn, 21, 10) << size;
    return ldst_single(cpu, &k, rt, rn, offset, ADDR_OFFSET, 0);
}

/* insn[29:28] = 11: the single-register classes and the atomic memory operations. */
static a64_step_result exec_ldst_register(a64_cpu *cpu, uint32_t insn)
{
    if (a64_bit(insn, 24))
        return exec_ldst_uimm(cpu, insn);
    if (!a64_bit(insn, 21))
        return exec_ldst_imm9(cpu, insn);
    switch (a64_bits(insn, 11, 10)) {
    case 0:  /* atomic memory operations: no SIMD&FP form */
        return a64_bit(insn, 26) ? a64_undefined(cpu) : a64_exec_atomic_memop(cpu, insn);
    case 2:
        return exec_ldst_reg_offset(cpu, insn);
    default: /* LDRAA/LDRAB (FEAT_PAuth): not implemented */
        return a64_undefined(cpu);
    }
}

/* Advanced SIMD load/store multiple structures (ARM ARM C4.1.66; C6.2 LD1..LD4/ST1..ST4
 * (multiple structures)): 0 Q 001100 P L x Rm opcode size Rn Rt, P = post-index. Without
 * post-index insn[21:16] must be 000000, with it insn[21] must be 0. Allocated opcodes: 0000
 * LD4/ST4, 0010 LD1/ST1 (4 registers), 0100 LD3/ST3, 0110 LD1/ST1 (3), 0111 LD1/ST1 (1), 1000
 * LD2/ST2, 1010 LD1/ST1 (2); the .1D arrangement (size:Q = 110) only with one element per
 * structure ("if size:Q == '110' && selem != 1 then UNDEFINED"). */
static bool simd_multiple_allocated(uint32_t insn)
{
    bool post = a64_bit(insn, 23);
    if (post ? a64_bit(insn, 21) : a64_bits(insn, 21, 16) != 0)
        return false;
    unsigned selem;
    switch (a64_bits(insn, 15, 12)) {
    case 0x0: selem = 4; break;
    case 0x4: selem = 3; break;
    case 0x8: selem = 2; break;
    case 0x2: case 0x6: case 0x7: case 0xa: selem = 1; break;
    default: return false;
    }
    unsigned size_q = (a64_bits(insn, 11, 10) << 1) | a64_bit(insn, 30);
    return !(size_q == 6 && selem != 1);
}

/* Advanced SIMD load/store single structure (C6.2 LD1..LD4/ST1..ST4 (single structure),
 * LD1R..LD4R): 0 Q 001101 P L R Rm opcode S size Rn Rt. Without post-index Rm must be 00000.
 * The shared decode: scale = opcode<2:1>; 11 (load and replicate) needs L = 1 and S = 0; 01
 * (16-bit) needs size<0> = 0; 10 needs size<1> = 0, and S = 0 when size<0> = 1 (64-bit). */
static bool simd_single_allocated_structure(uint32_t insn)
{
    if (!a64_bit(insn, 23) && a64_bits(insn, 20, 16) != 0)
        return false;
    unsigned size = a64_bits(insn, 11, 10);
    bool load = a64_bit(insn, 22), s = a64_bit(insn, 12);
    switch (a64_bits(insn, 15, 14)) {
    case 0: return true;                           /* 8-bit */
    case 1: return (size & 1) == 0;                /* 16-bit */
    case 2: return (size & 2) == 0 && (!(size & 1) || !s); /* 32-bit, 64-bit */
    default: return load && !s;                    /* LDnR */
    }
}

/* insn[29:28] = 00: exclusives/ordered/CAS (V = 0), Advanced SIMD structures (V = 1). Only an
 * allocated structure encoding takes the SIMD&FP path (and so the CPACR_EL1.FPEN trap); an
 * unallocated one is UNDEFINED, whatever FPEN says. */
static a64_step_result exec_ldst_class00(a64_cpu *cpu, uint32_t insn)
{
    if (a64_bit(insn, 26)) {
        /* LD1..LD4/ST1..ST4: 0 Q 001100 x (multiple structures), 0 Q 001101 x (single) */
        bool allocated = !a64_bit(insn, 31) &&
                         (a64_bit(insn, 24) ? simd_single_allocated_structure(insn)
                                            : simd_multiple_allocated(insn));
        return allocated ? a64_exec_simd_fp(cpu, insn) : a64_undefined(cpu);
    }
    if (a64_bit(insn, 24))  /* RCpc/MTE forms of later versions */
        return a64_undefined(cpu);
    return a64_exec_ldst_exclusive(cpu, insn);
}

a64_step_result a64_exec_ldst(a64_cpu *cpu, uint32_t insn)
{
    switch (a64_bits(insn, 29, 28)) {
    case 0:
        return exec_ldst_class00(cpu, insn);
    case 1:
        if (a64_bit(insn, 24))  /* LDAPR/STLUR (unscaled), FEAT_LRCPC2: not implemented */
            return a64_undefined(cpu);
        return exec_load_literal(cpu, insn);
    case 2:
        return exec_ldst_pair(cpu, insn);
    default:
        return exec_ldst_register(cpu, insn);
    }
}
