/* STUB (to be replaced): loads and stores. */
#include "exec.h"
a64_step_result a64_exec_ldst(a64_cpu *cpu, uint32_t insn) { (void)insn; return a64_undefined(cpu); }
