// Hand encoders for the few A64 instructions the platform tests run, built from the field
// layouts of the ARM ARM (DDI 0487, chapter C6). Each comment gives the encoding diagram.
#pragma once

#include <cstdint>

namespace a64enc {

// MOVZ Xd, #imm16, LSL #(16*hw): sf=1 opc=10 100101 hw imm16 Rd
constexpr uint32_t movz(unsigned rd, uint16_t imm16, unsigned hw = 0)
{
    return 0xd2800000u | (hw << 21) | (uint32_t{imm16} << 5) | rd;
}
// MOVK Xd, #imm16, LSL #(16*hw): sf=1 opc=11 100101 hw imm16 Rd
constexpr uint32_t movk(unsigned rd, uint16_t imm16, unsigned hw = 0)
{
    return 0xf2800000u | (hw << 21) | (uint32_t{imm16} << 5) | rd;
}
// HVC #imm16: 11010100 000 imm16 000 10
constexpr uint32_t hvc(uint16_t imm16) { return 0xd4000002u | (uint32_t{imm16} << 5); }
// HLT #imm16: 11010100 010 imm16 000 00 (semihosting uses HLT #0xF000)
constexpr uint32_t hlt(uint16_t imm16) { return 0xd4400000u | (uint32_t{imm16} << 5); }
// UDF #imm16: 0000000000000000 imm16 (permanently UNDEFINED)
constexpr uint32_t udf(uint16_t imm16) { return imm16; }
// WFI / NOP: hints CRm=0000, op2=011 / op2=000
constexpr uint32_t kWfi = 0xd503207fu;
constexpr uint32_t kNop = 0xd503201fu;
// B . : 000101 imm26 with imm26 = 0
constexpr uint32_t kBranchToSelf = 0x14000000u;
// STR Xt, [Xn, #imm] (unsigned offset): 11 111 0 01 00 imm12 Rn Rt, imm12 = imm / 8
constexpr uint32_t str_x(unsigned rt, unsigned rn, unsigned offset)
{
    return 0xf9000000u | ((offset / 8) << 10) | (rn << 5) | rt;
}
// LDR Xt, [Xn, #imm] (unsigned offset): 11 111 0 01 01 imm12 Rn Rt
constexpr uint32_t ldr_x(unsigned rt, unsigned rn, unsigned offset)
{
    return 0xf9400000u | ((offset / 8) << 10) | (rn << 5) | rt;
}
// STRB Wt, [Xn, #imm] (unsigned offset): 00 111 0 01 00 imm12 Rn Rt
constexpr uint32_t strb(unsigned rt, unsigned rn, unsigned offset)
{
    return 0x39000000u | (offset << 10) | (rn << 5) | rt;
}
// ERET: 1101011 0100 11111 000000 11111 00000
constexpr uint32_t kEret = 0xd69f03e0u;
// System register moves: 1101010100 L 1 o0 op1 CRn CRm op2 Rt, with op0 = 2 + o0.
constexpr uint32_t sysreg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
}
constexpr uint32_t mrs(unsigned rt, uint32_t reg) { return 0xd5300000u | reg | rt; }
constexpr uint32_t msr(uint32_t reg, unsigned rt) { return 0xd5100000u | reg | rt; }
constexpr uint32_t kCntvctEl0 = sysreg(3, 3, 14, 0, 2);
constexpr uint32_t kIdAa64mmfr1El1 = sysreg(3, 0, 0, 7, 1);
constexpr uint32_t kVbarEl1 = sysreg(3, 0, 12, 0, 0);
// SYS #op1, Cn, Cm, #op2, Xt (DC, IC, TLBI): 1101010100 0 01 op1 CRn CRm op2 Rt
constexpr uint32_t sys(unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt)
{
    return 0xd5080000u | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt;
}
// AND Xd, Xn, #0xf: sf=1 opc=00 100100 N=1 immr=0 imms=000011 Rn Rd
constexpr uint32_t and_0xf(unsigned rd, unsigned rn) { return 0x92400c00u | (rn << 5) | rd; }

} // namespace a64enc
