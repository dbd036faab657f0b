/* Helpers shared by the MMU test programs (firmware/tests/mmu_*.c): a fault handler that records
 * each abort and resolves it the way a test asks, a probe function to execute through aliases,
 * and the feature report every MMU test starts with. */
#ifndef HTTUSIM_FW_MMUTEST_H
#define HTTUSIM_FW_MMUTEST_H

#include "fwtest.h"
#include "pagetable.h"

enum mt_action {
    MT_NONE,      /* no abort expected: report it and exit (status 99) */
    MT_SKIP,      /* skip the faulting instruction (ELR += 4) */
    MT_RETURN,    /* return to the caller of mt_call (ELR := X30), X0 := MT_CALL_FAULTED */
    MT_FIX_AF,    /* software Access flag: set AF in the leaf, TLBI VALE1, DSB, ISB, retry */
    MT_FIX_DIRTY, /* software dirty state: clear AP[2] of a DBM leaf, TLBI VALE1, DSB ISH, ISB,
                   * retry (a leaf without DBM is really read-only: skip the instruction) */
    MT_FIX,       /* by the fault status code: Access flag -> MT_FIX_AF, Permission ->
                   * MT_FIX_DIRTY, anything else -> MT_SKIP */
};

/* What the handler saw: the number of aborts since mt_expect, the last ESR/FAR/ELR, and the
 * leaf descriptor (at the FAR) before and after the handler changed it. */
struct mt_record {
    unsigned count;
    uint64_t esr, far, elr;
    uint64_t desc_before, desc_after;
};
extern volatile struct mt_record mt_seen;

/* The handler stops fixing after this many aborts in a row that find nothing to fix (AF already
 * 1, AP[2] already 0: a fix that does not take): it
 * skips the instruction instead, and the test's count check fails. */
#define MT_MAX_FIXES 8u

#define MT_CALL_FAULTED 0xfa017ed0fa017ed0ull

/* Install the handler (once) and set what it does with the next aborts; clears mt_seen. */
void mt_expect(enum mt_action a);

/* Call the code at `target` with x0 = arg (BLR), return its x0. */
uint64_t mt_call(uint64_t target, uint64_t arg);
/* A page of code (4 KiB aligned, alone in its page) whose entry returns arg + 1; map it at
 * another VA to execute it there. */
extern char mt_probe_page[];
#define MT_PROBE_RESULT(arg) ((arg) + 1)

/* Single accesses that may fault, each reporting the address of its instruction in *pc (the ELR
 * an abort must report). A load that faults and is skipped returns MT_NOT_LOADED. */
#define MT_NOT_LOADED 0x5eed5eed5eed5eedull
static inline uint64_t mt_ld64(uint64_t va, uint64_t *pc)
{
    uint64_t v = MT_NOT_LOADED, here;
    __asm__ __volatile__("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(here), "+r"(v) : "r"(va) : "memory");
    *pc = here;
    return v;
}
static inline uint64_t mt_ld8(uint64_t va, uint64_t *pc)
{
    uint64_t v = MT_NOT_LOADED, here;
    __asm__ __volatile__("adr %0, 1f\n1:\tldrb %w1, [%2]" : "=&r"(here), "+r"(v) : "r"(va) : "memory");
    *pc = here;
    return v;
}
static inline void mt_st64(uint64_t va, uint64_t v, uint64_t *pc)
{
    uint64_t here;
    __asm__ __volatile__("adr %0, 1f\n1:\tstr %1, [%2]" : "=&r"(here) : "r"(v), "r"(va) : "memory");
    *pc = here;
}
static inline void mt_st8(uint64_t va, uint64_t v, uint64_t *pc)
{
    uint64_t here;
    __asm__ __volatile__("adr %0, 1f\n1:\tstrb %w1, [%2]" : "=&r"(here) : "r"(v), "r"(va) : "memory");
    *pc = here;
}
static inline void mt_dc_zva(uint64_t va, uint64_t *pc)
{
    uint64_t here;
    __asm__ __volatile__("adr %0, 1f\n1:\tdc zva, %1" : "=&r"(here) : "r"(va) : "memory");
    *pc = here;
}

/* t_begin(name), then print the CPU's ID_AA64MMFR1_EL1.HAFDBS. */
void mt_begin(const char *name);
/* mmu_init + mmu_enable(hw), and print the TCR_EL1.HA/HD used. */
void mt_enable(uint64_t hw);
/* mmu_set_hw(hw), and print it. */
void mt_set_hw(uint64_t hw);
const char *mt_hw_name(uint64_t hw); /* "TCR_EL1.HA=1 HD=0" */

/* Check that the last access took exactly one abort with this ESR, FAR and ELR (each a printed
 * check prefixed by `what`), or none at all. */
void mt_check_abort(const char *what, uint64_t esr, uint64_t far, uint64_t elr);
void mt_check_no_abort(const char *what);

/* Print a descriptor with its named fields: "desc[...] = 0x... (AF DBM AP2 ...)". */
void mt_print_desc(const char *what, uint64_t d);

#endif
