/* STUB (to be replaced): branches, exception generation, system. */
#include "exec.h"
a64_step_result a64_exec_branch_sys(a64_cpu *cpu, uint32_t insn) { (void)insn; return a64_undefined(cpu); }
