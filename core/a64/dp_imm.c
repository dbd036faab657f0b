/* STUB (to be replaced): data processing, immediate. */
#include "exec.h"
a64_step_result a64_exec_dp_imm(a64_cpu *cpu, uint32_t insn) { (void)insn; return a64_undefined(cpu); }
