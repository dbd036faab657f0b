/* The probes of the system-register encoding scan (sysreg_scan.c): four tables, one per class,
 * each 16384 two-instruction functions, one per op1:CRn:CRm:op2 (14 bits, in that order), at a
 * stride of 8 bytes:
 *
 *   sysreg_scan_mrs[k]:   MRS x0, S3_<op1>_C<n>_C<m>_<op2> ; RET     (x0 = value read)
 *   sysreg_scan_msr[k]:   MSR S3_<op1>_C<n>_C<m>_<op2>, x0 ; RET     (x0 = value to write)
 *   sysreg_scan_sys[k]:   SYS #<op1>, C<n>, C<m>, #<op2>, x0 ; RET   (x0 = operand)
 *   sysreg_scan_sysl[k]:  SYSL x0, #<op1>, C<n>, C<m>, #<op2> ; RET  (x0 = result)
 *
 * The words are built from the encoding (ARM ARM C4.1.65 "System": 1101010100 L op0 op1 CRn CRm
 * op2 Rt), so every encoding is present whether or not the assembler knows a name for it. The
 * scan's exception handler skips a probe instruction that takes an exception (ELR += 4), and the
 * RET returns to the scan loop. */

    .macro PROBE_TABLE name, base
    .section .text.\name, "ax"
    .balign 8
    .global \name
    .type \name, %function
\name:
    .set key, 0
    .rept 16384
    .inst (\base) | (key << 5)
    ret
    .set key, key + 1
    .endr
    .size \name, . - \name
    .endm

    /* L = insn[21], op0 = insn[20:19], Rt = x0 */
    PROBE_TABLE sysreg_scan_mrs,  0xd5380000   /* L = 1, op0 = 3 */
    PROBE_TABLE sysreg_scan_msr,  0xd5180000   /* L = 0, op0 = 3 */
    PROBE_TABLE sysreg_scan_sys,  0xd5080000   /* L = 0, op0 = 1 */
    PROBE_TABLE sysreg_scan_sysl, 0xd5280000   /* L = 1, op0 = 1 */
