/* Shared layout of the random-instruction harness (firmware/randinsn/) and the blocks that
 * tests/randinsn/gen.py generates. Included from C and from assembly. */
#ifndef HTTUSIM_RANDINSN_H
#define HTTUSIM_RANDINSN_H

/* The scratch buffer every load and store of a block stays inside: 16 KiB of Normal write-back
 * memory (4 pages), page aligned. */
#define RI_SCRATCH_SIZE   16384
/* Its last page is mapped read-only (EL1): stores there take a Permission fault. */
#define RI_SCRATCH_RO     12288

/* struct ri_state: X0-X30, NZCV, SP delta (exit SP - entry SP). */
#define RI_STATE_X(n)     ((n) * 8)
#define RI_STATE_NZCV     (31 * 8)
#define RI_STATE_SPDELTA  (32 * 8)
#define RI_STATE_SIZE     (33 * 8)

/* At most this many exceptions are logged one by one; the count goes on. */
#define RI_LOG_MAX        64

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ri_state {
    uint64_t x[31];
    uint64_t nzcv;
    uint64_t sp_delta;
};

/* Defined by the generated block (gen.py): */
extern const struct ri_state ri_initial;  /* registers and NZCV at the start of the block */
extern const uint64_t ri_seed;            /* fills the scratch buffer */
extern const uint64_t ri_insn_count;      /* instructions generated (for the report) */
extern const uint64_t ri_mmu_on;          /* 0: run the block with the MMU off */
extern char ri_block[], ri_block_end[];   /* the code the exception handler may skip in */

/* Defined by entry.S: runs the block with the registers of *s and writes them back into *s. */
void ri_run(struct ri_state *s);

/* Defined by harness.c: */
extern uint8_t ri_scratch[RI_SCRATCH_SIZE];
#endif

#endif
