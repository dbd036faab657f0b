/* Data processing, immediate (ARM ARM C4.1.86): op0 = insn[28:25] = 100x, the class selected by
 * op1 = insn[25:23]:
 *   00x PC-relative addressing     ADR, ADRP
 *   010 Add/subtract (immediate)   ADD, ADDS, SUB, SUBS (MOV to/from SP, CMP, CMN)
 *   011 Add/subtract (with tags), Min/max (immediate): FEAT_MTE / FEAT_CSSC, not implemented
 *   100 Logical (immediate)        AND, ORR, EOR, ANDS (MOV bitmask, TST)
 *   101 Move wide (immediate)      MOVN, MOVZ, MOVK
 *   110 Bitfield                   SBFM, BFM, UBFM (LSL/LSR/ASR, SXT*, UXT*, BFI, BFXIL,
 *                                  SBFX, UBFX, SBFIZ, UBFIZ)
 *   111 Extract                    EXTR (ROR immediate)
 * Register 31 is SP where the encoding says so (C1.2.5) and XZR elsewhere.
 */
#include "alu.h"

static inline a64_step_result retire(a64_cpu *cpu)
{
    a64_charge(cpu, A64_IC_ALU);
    cpu->pc += 4;
    return A64_STEP_OK;
}

/* C6.2 ADR / ADRP: op immlo(30:29) 10000 immhi(23:5) Rd. */
static a64_step_result exec_pc_rel(a64_cpu *cpu, uint32_t insn)
{
    unsigned rd = a64_bits(insn, 4, 0);
    uint64_t imm = (a64_bits(insn, 23, 5) << 2) | a64_bits(insn, 30, 29);
    uint64_t value;
    if (a64_bit(insn, 31))   /* ADRP: 4 KiB page of PC + imm * 4096 */
        value = (cpu->pc & ~0xfffull) + ((uint64_t)a64_sext(imm, 21) << 12);
    else
        value = cpu->pc + (uint64_t)a64_sext(imm, 21);
    a64_set_xreg(cpu, rd, value);
    return retire(cpu);
}

/* C6.2 ADD/ADDS/SUB/SUBS (immediate): sf op S 100010 sh imm12 Rn Rd.
 * Rn is SP-or-register; Rd is SP for ADD/SUB and XZR for ADDS/SUBS (CMN/CMP). */
static a64_step_result exec_add_sub_imm(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    unsigned rd = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    uint64_t imm = a64_bits(insn, 21, 10);
    if (a64_bit(insn, 22))
        imm <<= 12;
    uint64_t mask = a64_size_mask(sf);
    uint64_t op1 = a64_xreg_sp(cpu, rn) & mask;
    uint64_t result;
    if (setflags) {
        /* AddWithCarry(op1, sub ? NOT(imm) : imm, sub) */
        uint64_t op2 = sub ? ~imm & mask : imm;
        result = a64_add_with_carry(op1, op2, sub, sf, &cpu->pstate.nzcv);
        a64_set_xreg(cpu, rd, result);
    } else {
        result = (sub ? op1 - imm : op1 + imm) & mask;
        a64_set_xreg_sp(cpu, rd, result);
    }
    return retire(cpu);
}

/* C6.2 AND / ORR / EOR / ANDS (immediate):
 * sf opc 100100 N immr imms Rn Rd. Rd is SP except for ANDS (XZR); Rn is XZR. */
static a64_step_result exec_logical_imm(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opc = a64_bits(insn, 30, 29), n = a64_bit(insn, 22);
    unsigned rd = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    uint64_t imm;
    if (!sf && n)
        return a64_undefined(cpu);
    if (!a64_decode_logical_imm(n, a64_bits(insn, 15, 10), a64_bits(insn, 21, 16), sf, &imm))
        return a64_undefined(cpu);
    uint64_t op1 = a64_xreg(cpu, rn) & a64_size_mask(sf);
    switch (opc) {
    case 0:  /* AND */
        a64_set_xreg_sp(cpu, rd, op1 & imm);
        break;
    case 1:  /* ORR (MOV bitmask immediate) */
        a64_set_xreg_sp(cpu, rd, op1 | imm);
        break;
    case 2:  /* EOR */
        a64_set_xreg_sp(cpu, rd, op1 ^ imm);
        break;
    default: { /* ANDS (TST) */
        uint64_t r = op1 & imm;
        cpu->pstate.nzcv = a64_logic_flags(r, sf);
        a64_set_xreg(cpu, rd, r);
        break;
    }
    }
    return retire(cpu);
}

/* C6.2 MOVN / MOVZ / MOVK: sf opc 100101 hw imm16 Rd.
 * opc = 01 is unallocated; hw<1> = 1 needs sf = 1. */
static a64_step_result exec_move_wide(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opc = a64_bits(insn, 30, 29), hw = a64_bits(insn, 22, 21);
    unsigned rd = a64_bits(insn, 4, 0);
    if (opc == 1 || (!sf && (hw & 2)))
        return a64_undefined(cpu);
    unsigned pos = hw * 16;
    uint64_t imm = (uint64_t)a64_bits(insn, 20, 5) << pos;
    uint64_t result;
    switch (opc) {
    case 0:  /* MOVN */
        result = ~imm & a64_size_mask(sf);
        break;
    case 2:  /* MOVZ */
        result = imm;
        break;
    default: /* MOVK: keep the other bits of Rd */
        result = ((a64_xreg(cpu, rd) & ~(0xffffull << pos)) | imm) & a64_size_mask(sf);
        break;
    }
    a64_set_xreg(cpu, rd, result);
    return retire(cpu);
}

/* C6.2 SBFM / BFM / UBFM: sf opc 100110 N immr imms Rn Rd.
 * N must equal sf, and a 32-bit form needs immr<5> = imms<5> = 0. Then DecodeBitMasks(N, imms,
 * immr, FALSE) has esize = datasize: wmask = ROR(Ones(S+1), R), tmask = Ones(((S-R) mod size)+1).
 *   dst = inzero ? 0 : Rd;  bot = (dst AND NOT wmask) OR (ROR(Rn, R) AND wmask)
 *   top = extend ? Replicate(Rn<S>) : dst;  Rd = (top AND NOT tmask) OR (bot AND tmask) */
static a64_step_result exec_bitfield(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), opc = a64_bits(insn, 30, 29), n = a64_bit(insn, 22);
    unsigned r = a64_bits(insn, 21, 16), s = a64_bits(insn, 15, 10);
    unsigned rd = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5);
    if (opc == 3 || n != sf || (!sf && ((r | s) & 0x20)))
        return a64_undefined(cpu);
    unsigned size = a64_datasize(sf);
    uint64_t mask = a64_size_mask(sf);
    uint64_t src = a64_xreg(cpu, rn) & mask;
    uint64_t wmask = a64_ror(a64_ones(s + 1), r, sf);
    uint64_t tmask = a64_ones(((s - r) & (size - 1)) + 1);
    uint64_t dst = opc == 1 ? a64_xreg(cpu, rd) & mask : 0;   /* BFM keeps Rd */
    uint64_t bot = (dst & ~wmask) | (a64_ror(src, r, sf) & wmask);
    uint64_t top = dst;
    if (opc == 0 && ((src >> s) & 1))                           /* SBFM: sign of bit S */
        top = mask;
    a64_set_xreg(cpu, rd, ((top & ~tmask) | (bot & tmask)) & mask);
    return retire(cpu);
}

/* C6.2 EXTR: sf op21 100111 N o0 Rm imms Rn Rd; result = (Rn:Rm)<lsb+size-1:lsb>.
 * op21 and o0 must be 0, N must equal sf, and lsb < 32 for the 32-bit form. */
static a64_step_result exec_extract(a64_cpu *cpu, uint32_t insn)
{
    unsigned sf = a64_bit(insn, 31), n = a64_bit(insn, 22), lsb = a64_bits(insn, 15, 10);
    unsigned rd = a64_bits(insn, 4, 0), rn = a64_bits(insn, 9, 5), rm = a64_bits(insn, 20, 16);
    if (a64_bits(insn, 30, 29) != 0 || a64_bit(insn, 21) || n != sf || (!sf && lsb >= 32))
        return a64_undefined(cpu);
    uint64_t hi = a64_xreg(cpu, rn), lo = a64_xreg(cpu, rm), result;
    if (sf)
        result = lsb ? (lo >> lsb) | (hi << (64 - lsb)) : lo;
    else
        result = (uint32_t)((((hi & 0xffffffffull) << 32) | (lo & 0xffffffffull)) >> lsb);
    a64_set_xreg(cpu, rd, result);
    return retire(cpu);
}

a64_step_result a64_exec_dp_imm(a64_cpu *cpu, uint32_t insn)
{
    switch (a64_bits(insn, 25, 23)) {
    case 0: case 1: return exec_pc_rel(cpu, insn);
    case 2: return exec_add_sub_imm(cpu, insn);
    case 4: return exec_logical_imm(cpu, insn);
    case 5: return exec_move_wide(cpu, insn);
    case 6: return exec_bitfield(cpu, insn);
    case 7: return exec_extract(cpu, insn);
    default: return a64_undefined(cpu);   /* 011: ADDG/SUBG (FEAT_MTE), min/max (FEAT_CSSC) */
    }
}
