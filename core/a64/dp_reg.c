/* Data processing, register (ARM ARM C4.1.87): op0 = insn[28:25] = x101. The class is selected
 * by op1 = insn[28], op2 = insn[24:21] and, for some, op0 = insn[30] and op3 = insn[15:10]:
 *   op1 = 0, op2 = 0xxx   Logical (shifted register)      AND BIC ORR ORN EOR EON ANDS BICS
 *   op1 = 0, op2 = 1xx0   Add/subtract (shifted register) ADD ADDS SUB SUBS
 *   op1 = 0, op2 = 1xx1   Add/subtract (extended register)
 *   op1 = 1, op2 = 0000   Add/subtract with carry (op3 = 000000) ADC ADCS SBC SBCS
 *   op1 = 1, op2 = 0010   Conditional compare (register / immediate) CCMN CCMP
 *   op1 = 1, op2 = 0100   Conditional select CSEL CSINC CSINV CSNEG
 *   op1 = 1, op2 = 0110   Data-processing (2 source) when op0 = 0, (1 source) when op0 = 1
 *   op1 = 1, op2 = 1xxx   Data-processing (3 source)
 * Everything else (FEAT_FlagM RMIF/SETF, FEAT_MTE, FEAT_PAuth, FEAT_CSSC, ...) is UNDEFINED
 * in this ARMv8.1 core.
 */
#include "alu.h"

static inline a64_step_result retire_as(a64_cpu *cpu, a64_iclass c)
{
    a64_charge(cpu, c);
    cpu->pc += 4;
    return A64_STEP_OK;
}
static inline a64_step_result retire(a64_cpu *cpu) { return retire_as(cpu, A64_IC_ALU); }

/* Field helpers common to the group. */
static inline unsigned field_rd(uint32_t insn) { return a64_bits(insn, 4, 0); }
static inline unsigned field_rn(uint32_t insn) { return a64_bits(insn, 9, 5); }
static inline unsigned field_rm(uint32_t insn) { return a64_bits(insn, 20, 16); }

/* Operand register (31 = XZR) truncated to the operand size. */
static inline uint64_t operand(const a64_cpu *cpu, unsigned r, unsigned sf)
{
    return a64_xreg(cpu, r) & a64_size_mask(sf);
}

/* ---- Logical (shifted register), ANDS (shifted register) and siblings:
 * sf opc 01010 shift N imm6 Rm Rn Rd; all registers are XZR-or-register. opc:N selects
 * AND BIC ORR ORN EOR EON ANDS BICS; N inverts the shifted operand. ---- */
static a64_step_result exec_logical_shifted(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opc = a64_bits(insn, 30, 29), invert = a64_bit(insn, 21);
    unsigned amount = a64_bits(insn, 15, 10);
    if (!sf && amount >= 32)
        return a64_undefined(cpu);
    uint64_t mask = a64_size_mask(sf);
    uint64_t op1 = operand(cpu, field_rn(insn), sf);
    uint64_t op2 = a64_shift_reg(operand(cpu, field_rm(insn), sf), a64_bits(insn, 23, 22),
                                 amount, sf);
    if (invert)
        op2 = ~op2 & mask;
    uint64_t result;
    switch (opc) {
    case 0: result = op1 & op2; break;                    /* AND, BIC */
    case 1: result = op1 | op2; break;                    /* ORR, ORN (MOV, MVN) */
    case 2: result = op1 ^ op2; break;                    /* EOR, EON */
    default:                                              /* ANDS, BICS (TST) */
        result = op1 & op2;
        cpu->pstate.nzcv = a64_logic_flags(result, sf);
        break;
    }
    a64_set_xreg(cpu, field_rd(insn), result);
    return retire(cpu);
}

/* Add or subtract op2 from op1, setting the flags when asked (AddWithCarry()). */
static inline uint64_t add_sub(a64_cpu *cpu, uint64_t op1, uint64_t op2, unsigned sub,
                               unsigned setflags, unsigned sf)
{
    uint64_t mask = a64_size_mask(sf);
    if (setflags)
        return a64_add_with_carry(op1, sub ? ~op2 & mask : op2, sub, sf, &cpu->pstate.nzcv);
    return (sub ? op1 - op2 : op1 + op2) & mask;
}

/* ---- C6.2 ADD (shifted register) and siblings: sf op S 01011 shift 0 Rm imm6 Rn Rd.
 * shift = ROR is reserved; 32-bit with imm6<5> = 1 is UNDEFINED. Registers are XZR. ---- */
static a64_step_result exec_add_sub_shifted(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), shift = a64_bits(insn, 23, 22);
    unsigned amount = a64_bits(insn, 15, 10);
    if (shift == A64_SHIFT_ROR || (!sf && amount >= 32))
        return a64_undefined(cpu);
    uint64_t op1 = operand(cpu, field_rn(insn), sf);
    uint64_t op2 = a64_shift_reg(operand(cpu, field_rm(insn), sf), shift, amount, sf);
    uint64_t r = add_sub(cpu, op1, op2, a64_bit(insn, 30), a64_bit(insn, 29), sf);
    a64_set_xreg(cpu, field_rd(insn), r);
    return retire(cpu);
}

/* ---- C6.2 ADD (extended register) and siblings: sf op S 01011 opt 1 Rm option imm3 Rn Rd.
 * opt != 00 and imm3 > 4 are UNDEFINED. Rn is SP; Rd is SP for ADD/SUB and XZR for ADDS/SUBS
 * (CMN/CMP); Rm is XZR, extended by ExtendReg(m, option, imm3). ---- */
static a64_step_result exec_add_sub_extended(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), setflags = a64_bit(insn, 29), shift = a64_bits(insn, 12, 10);
    if (a64_bits(insn, 23, 22) != 0 || shift > 4)
        return a64_undefined(cpu);
    uint64_t op1 = a64_xreg_sp(cpu, field_rn(insn)) & a64_size_mask(sf);
    uint64_t op2 = a64_extend_reg(a64_xreg(cpu, field_rm(insn)), a64_bits(insn, 15, 13), shift, sf);
    uint64_t r = add_sub(cpu, op1, op2, a64_bit(insn, 30), setflags, sf);
    if (setflags)
        a64_set_xreg(cpu, field_rd(insn), r);
    else
        a64_set_xreg_sp(cpu, field_rd(insn), r);
    return retire(cpu);
}

/* ---- C6.2 ADC / SBC (and the S forms): sf op S 11010000 Rm 000000 Rn Rd.
 * AddWithCarry(Rn, op ? NOT(Rm) : Rm, PSTATE.C). ---- */
static a64_step_result exec_add_sub_carry(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    if (a64_bits(insn, 15, 10) != 0)   /* RMIF, SETF8/16 (FEAT_FlagM) */
        return a64_undefined(cpu);
    uint64_t mask = a64_size_mask(sf);
    uint64_t op1 = operand(cpu, field_rn(insn), sf);
    uint64_t op2 = operand(cpu, field_rm(insn), sf);
    if (sub)
        op2 = ~op2 & mask;
    uint32_t flags;
    uint64_t r = a64_add_with_carry(op1, op2, (cpu->pstate.nzcv & A64_C) ? 1u : 0u, sf, &flags);
    if (setflags)
        cpu->pstate.nzcv = flags;
    a64_set_xreg(cpu, field_rd(insn), r);
    return retire(cpu);
}

/* ---- C6.2 CCMN / CCMP (register and immediate):
 * sf op 1 11010010 Rm|imm5 cond i o2 Rn o3 nzcv. S = 0, o2 = 1 or o3 = 1 are unallocated.
 * If ConditionHolds(cond) the flags are those of Rn + / - op2, else the nzcv field. ---- */
static a64_step_result exec_cond_compare(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), sub = a64_bit(insn, 30);
    if (!a64_bit(insn, 29) || a64_bit(insn, 10) || a64_bit(insn, 4))
        return a64_undefined(cpu);
    if (a64_cond_holds(cpu->pstate.nzcv, a64_bits(insn, 15, 12))) {
        uint64_t mask = a64_size_mask(sf);
        uint64_t op1 = operand(cpu, field_rn(insn), sf);
        uint64_t op2 = a64_bit(insn, 11) ? a64_bits(insn, 20, 16)            /* imm5 */
                                         : operand(cpu, field_rm(insn), sf);
        if (sub)
            op2 = ~op2 & mask;
        a64_add_with_carry(op1, op2, sub, sf, &cpu->pstate.nzcv);
    } else {
        cpu->pstate.nzcv = a64_bits(insn, 3, 0) << 28;
    }
    return retire(cpu);
}

/* ---- C6.2 CSEL / CSINC / CSINV / CSNEG: sf op S 11010100 Rm cond op2 Rn Rd.
 * S = 1 or op2<1> = 1 are unallocated. Aliases CSET, CSETM, CINC, CINV, CNEG. ---- */
static a64_step_result exec_cond_select(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), op = a64_bit(insn, 30), op2 = a64_bits(insn, 11, 10);
    if (a64_bit(insn, 29) || (op2 & 2))
        return a64_undefined(cpu);
    uint64_t result;
    if (a64_cond_holds(cpu->pstate.nzcv, a64_bits(insn, 15, 12))) {
        result = operand(cpu, field_rn(insn), sf);
    } else {
        result = a64_xreg(cpu, field_rm(insn));
        if (op)
            result = ~result;         /* CSINV, CSNEG */
        if (op2 & 1)
            result += 1;              /* CSINC, CSNEG (NOT(x) + 1 = -x) */
        result &= a64_size_mask(sf);
    }
    a64_set_xreg(cpu, field_rd(insn), result);
    return retire(cpu);
}

/* Reverse the bytes within each `container`-byte unit (REV16: 2, REV32: 4, REV: 8). */
static inline uint64_t reverse_bytes_in(uint64_t v, unsigned container)
{
    switch (container) {
    case 2:
        return ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
    case 4:
        v = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
        return ((v >> 16) & 0x0000ffff0000ffffull) | ((v & 0x0000ffff0000ffffull) << 16);
    default:
        return __builtin_bswap64(v);
    }
}

/* ---- Data-processing (1 source): sf 1 S 11010110 opcode2 opcode Rn Rd
 * (C6.2 RBIT, REV16, REV32, REV, CLZ, CLS). S = 1, opcode2 != 0 (FEAT_PAuth) and the other
 * opcodes (FEAT_CSSC) are UNDEFINED; so is opcode 000011 (REV) with sf = 0. ---- */
static a64_step_result exec_dp_1src(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opcode = a64_bits(insn, 15, 10);
    if (a64_bit(insn, 29) || a64_bits(insn, 20, 16) != 0)
        return a64_undefined(cpu);
    uint64_t v = operand(cpu, field_rn(insn), sf), result;
    switch (opcode) {
    case 0:  /* RBIT */
        result = sf ? a64_bit_reverse64(v) : a64_bit_reverse64(v) >> 32;
        break;
    case 1:  /* REV16 */
        result = reverse_bytes_in(v, 2);
        break;
    case 2:  /* REV32 (64-bit); REV (32-bit) */
        result = reverse_bytes_in(v, 4);
        break;
    case 3:  /* REV (64-bit) */
        if (!sf)
            return a64_undefined(cpu);
        result = reverse_bytes_in(v, 8);
        break;
    case 4:  /* CLZ */
        result = a64_clz(v, sf);
        break;
    case 5:  /* CLS */
        result = a64_cls(v, sf);
        break;
    default:
        return a64_undefined(cpu);
    }
    a64_set_xreg(cpu, field_rd(insn), result);
    return retire(cpu);
}

/* C6.2 UDIV: RoundTowardsZero; a zero divisor gives 0. */
static inline uint64_t udiv(uint64_t n, uint64_t m) { return m ? n / m : 0; }

/* C6.2 SDIV: RoundTowardsZero of the real quotient, truncated to the operand size: a zero
 * divisor gives 0 and INT_MIN / -1 (2^(N-1), which does not fit) wraps to INT_MIN. */
static inline uint64_t sdiv(uint64_t n, uint64_t m, unsigned sf)
{
    if (m == 0)
        return 0;
    if (sf) {
        int64_t a = (int64_t)n, b = (int64_t)m;
        if (b == -1)
            return (0 - n);                   /* also INT64_MIN / -1 = INT64_MIN */
        return (uint64_t)(a / b);
    }
    int32_t a = (int32_t)(uint32_t)n, b = (int32_t)(uint32_t)m;
    if (b == -1)
        return (uint32_t)(0u - (uint32_t)n);
    return (uint32_t)(a / b);
}

/* ---- C6.2 CRC32 / CRC32C: the pseudocode's bit-reversed Poly32Mod2() is the reflected CRC,
 * per bit crc = (crc >> 1) XOR (crc<0> ? reflected poly : 0), over the operand's bytes from
 * the least significant. We fold a nibble at a time with 16-entry tables of the reflected
 * polynomials 0xEDB88320 (CRC-32, 0x04C11DB7) and 0x82F63B78 (CRC-32C, 0x1EDC6F41). ---- */
static const uint32_t crc32_nibble[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
    0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};
static const uint32_t crc32c_nibble[16] = {
    0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1, 0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
    0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9, 0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

static uint32_t crc_update(uint32_t crc, uint64_t value, unsigned bytes, bool castagnoli)
{
    const uint32_t *table = castagnoli ? crc32c_nibble : crc32_nibble;
    for (unsigned i = 0; i < 2 * bytes; i++) {
        crc ^= (uint32_t)(value & 0xf);
        value >>= 4;
        crc = (crc >> 4) ^ table[crc & 0xf];
    }
    return crc;
}

/* ---- Data-processing (2 source): sf 0 S 11010110 Rm opcode Rn Rd
 * (C6.2 UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32*, CRC32C*).
 * S = 1 (SUBPS) and the MTE/PAuth/CSSC opcodes are UNDEFINED. ---- */
static a64_step_result exec_dp_2src(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opcode = a64_bits(insn, 15, 10);
    if (a64_bit(insn, 29))
        return a64_undefined(cpu);
    uint64_t op1 = operand(cpu, field_rn(insn), sf);
    uint64_t op2 = operand(cpu, field_rm(insn), sf);
    uint64_t result;
    switch (opcode) {
    case 0x02:  /* UDIV */
        result = udiv(op1, op2);
        break;
    case 0x03:  /* SDIV */
        result = sdiv(op1, op2, sf);
        break;
    case 0x08: case 0x09: case 0x0a: case 0x0b:  /* LSLV LSRV ASRV RORV: Rm mod datasize */
        result = a64_shift_reg(op1, opcode & 3, (unsigned)(op2 & (a64_datasize(sf) - 1)), sf);
        break;
    case 0x10: case 0x11: case 0x12: case 0x13:  /* CRC32B/H/W/X */
    case 0x14: case 0x15: case 0x16: case 0x17: { /* CRC32CB/H/W/X */
        unsigned sz = opcode & 3;
        if ((sz == 3) != (sf == 1))   /* X forms need sf = 1, the others sf = 0 */
            return a64_undefined(cpu);
        uint64_t value = a64_xreg(cpu, field_rm(insn));
        result = crc_update((uint32_t)op1, value, 1u << sz, (opcode & 4) != 0);
        break;
    }
    default:
        return a64_undefined(cpu);
    }
    a64_set_xreg(cpu, field_rd(insn), result);
    return retire_as(cpu, opcode <= 0x03 ? A64_IC_DIV : A64_IC_ALU);   /* 0x02, 0x03: divides */
}

/* High 64 bits of the 128-bit product (C6.2 SMULH, UMULH). */
static inline uint64_t umulh(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)(((u128)a * b) >> 64);
#else
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
    return (hi_lo >> 32) + (cross >> 32) + hi_hi;
#endif
}
static inline uint64_t smulh(uint64_t a, uint64_t b)
{
    /* signed high part = unsigned high part - (a < 0 ? b : 0) - (b < 0 ? a : 0) (mod 2^64) */
    uint64_t h = umulh(a, b);
    if ((int64_t)a < 0)
        h -= b;
    if ((int64_t)b < 0)
        h -= a;
    return h;
}

/* ---- Data-processing (3 source): sf op54 11011 op31 Rm o0 Ra Rn Rd
 * (C6.2 MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH).
 * op54 != 00, and every op31 other than 000 with sf = 0, are UNDEFINED. ---- */
static a64_step_result exec_dp_3src(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), op31 = a64_bits(insn, 23, 21), o0 = a64_bit(insn, 15);
    if (a64_bits(insn, 30, 29) != 0 || (!sf && op31 != 0))
        return a64_undefined(cpu);
    uint64_t n = a64_xreg(cpu, field_rn(insn)), m = a64_xreg(cpu, field_rm(insn));
    uint64_t a = a64_xreg(cpu, a64_bits(insn, 14, 10));
    uint64_t product, result;
    switch (op31) {
    case 0:  /* MADD, MSUB (MUL, MNEG) */
        product = n * m;
        result = (o0 ? a - product : a + product) & a64_size_mask(sf);
        break;
    case 1:  /* SMADDL, SMSUBL (SMULL, SMNEGL) */
        product = (uint64_t)((int64_t)(int32_t)(uint32_t)n * (int64_t)(int32_t)(uint32_t)m);
        result = o0 ? a - product : a + product;
        break;
    case 5:  /* UMADDL, UMSUBL (UMULL, UMNEGL) */
        product = (n & 0xffffffffu) * (m & 0xffffffffu);
        result = o0 ? a - product : a + product;
        break;
    case 2:  /* SMULH */
        if (o0)
            return a64_undefined(cpu);
        result = smulh(n, m);
        break;
    case 6:  /* UMULH */
        if (o0)
            return a64_undefined(cpu);
        result = umulh(n, m);
        break;
    default:
        return a64_undefined(cpu);
    }
    a64_set_xreg(cpu, field_rd(insn), result);
    return retire_as(cpu, A64_IC_MUL);
}

a64_step_result a64_exec_dp_reg(a64_cpu *cpu, uint32_t insn)
{
    unsigned op2 = a64_bits(insn, 24, 21);
    if (!a64_bit(insn, 28)) {
        if (!(op2 & 8))
            return exec_logical_shifted(cpu, insn);
        return (op2 & 1) ? exec_add_sub_extended(cpu, insn) : exec_add_sub_shifted(cpu, insn);
    }
    if (op2 & 8)
        return exec_dp_3src(cpu, insn);
    switch (op2) {
    case 0x0: return exec_add_sub_carry(cpu, insn);
    case 0x2: return exec_cond_compare(cpu, insn);
    case 0x4: return exec_cond_select(cpu, insn);
    case 0x6: return a64_bit(insn, 30) ? exec_dp_1src(cpu, insn) : exec_dp_2src(cpu, insn);
    default: return a64_undefined(cpu);
    }
}
