/* STUB (to be replaced): data processing, register. */
#include "exec.h"
a64_step_result a64_exec_dp_reg(a64_cpu *cpu, uint32_t insn) { (void)insn; return a64_undefined(cpu); }
