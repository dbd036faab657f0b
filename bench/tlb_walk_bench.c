/* tlb_walk_bench: host nanoseconds per TLB hit and per table walk of httusim's C core
 * (docs/bench.md). Not a test: scripts/bench.sh runs it; it prints one "name value" line per
 * figure (nanoseconds, best of REPEATS timed runs of ITERS operations each).
 *
 *   l1_lookup_check_ns   vmsa_va_canonical + vmsa_tlb_lookup + vmsa_tlb_check + vmsa_tlb_pa on
 *                        a 10-entry fully associative TLB (the default L1 dTLB) holding 10
 *                        pages: what mem.c does for an access whose page is in the L1 TLB
 *   exec_hit_recent_ns   the executor (a64_step) running LDRs to 8 pages, MMU on minus MMU off,
 *                        per instruction: fetch and data translation served by the recent-entry
 *                        cache (a64_mmu_recent_entry), the executor's usual case for a TLB hit
 *   exec_hit_l1_ns       the same with LDRs to 10 pages 64 KiB apart (one recent-entry slot,
 *                        so each load does the full L1 lookup and check, then refills the slot)
 *   walk_4level_ns       vmsa_walk_start + 4 x vmsa_walk_step, descriptors read from a plain
 *                        host array (no TLM, no walk cache), 4 KiB granule, 48-bit VA, over
 *                        4096 pages in a scattered order
 *
 * Usage: tlb_walk_bench [SCALE]   (SCALE multiplies the iteration counts; default 1)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "a64/cpu.h"
#include "a64/translate.h"
#include "a64/sysreg_bits.h"
#include "vmsa/desc.h"
#include "vmsa/params.h"
#include "vmsa/tlb.h"
#include "vmsa/walk.h"

#define REPEATS   7
#define RAM_BASE  0x40000000ull
#define RAM_SIZE  (64ull << 20)
#define CODE_PA   (RAM_BASE + 0x1000)
#define DATA_PA   (RAM_BASE + (8ull << 20))   /* data pages */
#define TABLES_PA (RAM_BASE + (32ull << 20))  /* translation tables */
#define WIN_VA    0x0000008000000000ull       /* L0 index 1: tables of its own */
#define NPAGES    4096u
#define STRIDE    1031u                       /* odd: a permutation of the pages */

static uint8_t *ram;
static uint64_t next_table = TABLES_PA;
static uint64_t root;

static uint64_t get64(uint64_t pa)
{
    uint64_t v;
    memcpy(&v, ram + (pa - RAM_BASE), 8);
    return v;
}

static void put64(uint64_t pa, uint64_t v)
{
    memcpy(ram + (pa - RAM_BASE), &v, 8);
}

static uint64_t alloc_table(void)
{
    uint64_t t = next_table;
    next_table += 0x1000;
    memset(ram + (t - RAM_BASE), 0, 0x1000);
    return t;
}

/* 4 KiB page va -> pa, Normal memory, EL1 read/write, AF set, executable at EL1. */
static void map_page(uint64_t va, uint64_t pa)
{
    uint64_t table = root;
    for (int level = 0; level < 3; level++) {
        uint64_t slot = table + ((va >> (12 + 9 * (3 - level))) & 0x1ff) * 8;
        uint64_t d = get64(slot);
        if (!(d & DESC_VALID)) {
            d = alloc_table() | DESC_VALID | DESC_TYPE_TABLE;
            put64(slot, d);
        }
        table = d & DESC_OA_MASK_4K;
    }
    put64(table + ((va >> 12) & 0x1ff) * 8, (pa & DESC_OA_MASK_4K) | DESC_VALID |
                                               DESC_TYPE_PAGE | DESC_AF | (3ull << DESC_SH_SHIFT));
}

/* TCR_EL1: T0SZ = T1SZ = 16, 4 KiB granules, IPS 48 bits, no TTBR1 walks, 16-bit ASIDs. */
static const uint64_t kTcr = (16ull << TCR_T0SZ_SHIFT) | (16ull << TCR_T1SZ_SHIFT) |
                             (TCR_TG0_4K << TCR_TG0_SHIFT) | (TCR_TG1_4K << TCR_TG1_SHIFT) |
                             (5ull << TCR_IPS_SHIFT) | TCR_EPD1 | TCR_AS;
static const uint64_t kMair = MAIR_NORMAL_WB;   /* Attr0: Normal write-back */
static const uint64_t kAsid = 5;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static volatile uint64_t sink;   /* keeps the results alive */

/* ---- walks ---------------------------------------------------------------------------------- */

static double bench_walk(const vmsa_params *p, uint64_t iters)
{
    vmsa_access acc = { .type = VMSA_ACC_READ, .size = 8 };
    double best = 1e300;
    for (int rep = 0; rep < REPEATS; rep++) {
        uint64_t sum = 0, reads = 0;
        unsigned page = 0;
        double t0 = now_ns();
        for (uint64_t i = 0; i < iters; i++) {
            page = (page + STRIDE) & (NPAGES - 1);
            uint64_t va = WIN_VA + (uint64_t)page * 4096 + 8 * (i & 511);
            vmsa_walk w;
            vmsa_req r = vmsa_walk_start(&w, p, va, &acc);
            while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS)
                r = vmsa_walk_step(&w, get64(r.addr));
            if (r.kind != VMSA_REQ_DONE) {
                fprintf(stderr, "tlb_walk_bench: walk of 0x%llx faulted\n",
                        (unsigned long long)va);
                exit(1);
            }
            sum += r.result->pa;
            reads += w.reads;
        }
        double t = (now_ns() - t0) / (double)iters;
        if (reads != 4 * iters) {
            fprintf(stderr, "tlb_walk_bench: expected 4 reads per walk\n");
            exit(1);
        }
        sink = sum;
        if (t < best)
            best = t;
    }
    return best;
}

/* ---- L1 lookup + check ---------------------------------------------------------------------- */

static double bench_l1(const vmsa_params *p, uint64_t iters)
{
    vmsa_tlb tlb;
    if (!vmsa_tlb_init(&tlb, 1, 10))
        exit(1);
    vmsa_access acc = { .type = VMSA_ACC_READ, .size = 8 };
    uint64_t pages[10];
    for (unsigned k = 0; k < 10; k++) {
        pages[k] = WIN_VA + (uint64_t)(k * 97) * 4096;
        vmsa_walk w;
        vmsa_req r = vmsa_walk_start(&w, p, pages[k], &acc);
        while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS)
            r = vmsa_walk_step(&w, get64(r.addr));
        if (r.kind != VMSA_REQ_DONE)
            exit(1);
        vmsa_tlb_insert(&tlb, r.result);
    }
    double best = 1e300;
    for (int rep = 0; rep < REPEATS; rep++) {
        uint64_t sum = 0;
        unsigned k = 0;
        double t0 = now_ns();
        for (uint64_t i = 0; i < iters; i++) {
            k = k == 9 ? 0 : k + 1;
            uint64_t va = pages[k] + ((i * 8) & 0xff8);
            uint64_t vc = vmsa_va_canonical(p, va);
            vmsa_tlb_entry *e = vmsa_tlb_lookup(&tlb, vc, p->asid);
            vmsa_fault vf;
            if (!e || vmsa_tlb_check(e, &acc, va, &vf) != VMSA_HIT_OK)
                exit(1);
            sum += vmsa_tlb_pa(e, vc);
        }
        double t = (now_ns() - t0) / (double)iters;
        sink = sum;
        if (t < best)
            best = t;
    }
    vmsa_tlb_destroy(&tlb);
    return best;
}

/* ---- the executor ----------------------------------------------------------------------------- */

static a64_bus_status no_bus_read(void *ctx, uint64_t pa, unsigned size, uint64_t *v)
{
    (void)ctx; (void)pa; (void)size; (void)v;
    return A64_BUS_ERROR;
}
static a64_bus_status no_bus_write(void *ctx, uint64_t pa, unsigned size, uint64_t v)
{
    (void)ctx; (void)pa; (void)size; (void)v;
    return A64_BUS_ERROR;
}
static uint64_t counter(void *ctx)
{
    (void)ctx;
    return 0;
}

static uint32_t ldr_imm(unsigned rt, unsigned rn, unsigned offset)   /* LDR Xt, [Xn, #off] */
{
    return 0xf9400000u | ((offset / 8) << 10) | (rn << 5) | rt;
}
static uint32_t ldr_reg(unsigned rt, unsigned rn, unsigned rm)       /* LDR Xt, [Xn, Xm] */
{
    return 0xf8606800u | (rm << 16) | (rn << 5) | rt;
}
static uint32_t branch(int64_t offset)                               /* B offset */
{
    return 0x14000000u | (uint32_t)((offset / 4) & 0x3ffffff);
}

/* A loop of 64 loads and a branch. `spread`: 10 pages 64 KiB apart through registers x3..x12,
 * else 8 consecutive pages by immediate offsets. */
static unsigned write_program(int spread)
{
    uint32_t code[65];
    for (unsigned k = 0; k < 64; k++)
        code[k] = spread ? ldr_reg(2, 1, 3 + k % 10)
                         : ldr_imm(2, 1, (k % 8) * 4096 + (k / 8) * 8);
    code[64] = branch(-64 * 4);
    memcpy(ram + (CODE_PA - RAM_BASE), code, sizeof code);
    return 65;
}

/* ns per instruction of the loop, with the MMU on or off. */
static double bench_exec(int spread, int mmu_on, uint64_t steps)
{
    static a64_cpu cpu;
    static a64_mmu mmu;
    static int mmu_ready;
    if (!mmu_ready) {
        if (!a64_mmu_init(&mmu, 10, 10, 10, 10))
            exit(1);
        mmu_ready = 1;
    }
    memset(&cpu, 0, sizeof cpu);
    cpu.cfg.ram.host = ram;
    cpu.cfg.ram.base = RAM_BASE;
    cpu.cfg.ram.size = RAM_SIZE;
    cpu.cfg.env.phys_read = no_bus_read;
    cpu.cfg.env.phys_write = no_bus_write;
    cpu.cfg.env.counter = counter;
    cpu.cfg.env.counter_freq = 62500000;
    cpu.cfg.fault_loop_limit = 1;
    cpu.cfg.mmu = mmu_on ? &mmu : NULL;
    a64_cpu_reset(&cpu, CODE_PA);
    write_program(spread);
    uint64_t base = mmu_on ? WIN_VA : DATA_PA;
    cpu.x[1] = base;
    for (unsigned k = 0; k < 10; k++)
        cpu.x[3 + k] = (uint64_t)k * 0x10000;
    if (mmu_on) {
        a64_mmu_reset(&mmu);
        cpu.sys.tcr_el1 = kTcr;
        cpu.sys.mair_el1 = kMair;
        cpu.sys.ttbr0_el1 = root | (kAsid << TTBR_ASID_SHIFT);
        cpu.sys.sctlr_el1 |= SCTLR_M;
        a64_mmu_regs_changed(&cpu);
    }
    double best = 1e300;
    for (int rep = 0; rep < REPEATS; rep++) {
        double t0 = now_ns();
        for (uint64_t i = 0; i < steps; i++) {
            if (a64_step(&cpu) != A64_STEP_OK) {
                fprintf(stderr, "tlb_walk_bench: the load loop stopped (ESR 0x%x)\n",
                        (unsigned)cpu.sys.esr_el1);
                exit(1);
            }
        }
        double t = (now_ns() - t0) / (double)steps;
        if (cpu.ctr.exceptions) {
            fprintf(stderr, "tlb_walk_bench: the load loop took an exception (ESR 0x%x)\n",
                    (unsigned)cpu.sys.esr_el1);
            exit(1);
        }
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    if (!(scale > 0))
        scale = 1.0;
    ram = calloc(1, RAM_SIZE);
    if (!ram)
        return 1;
    root = alloc_table();
    map_page(CODE_PA, CODE_PA);   /* the code, identity-mapped */
    for (unsigned k = 0; k < NPAGES; k++)   /* 16 MiB window: the walk bench */
        map_page(WIN_VA + (uint64_t)k * 4096, DATA_PA + (uint64_t)k * 4096);
    for (unsigned k = 0; k < 10; k++)       /* the executor's 64 KiB-spread pages */
        map_page(WIN_VA + (uint64_t)k * 0x10000, DATA_PA + (uint64_t)k * 0x10000);

    a64_sysregs sys;
    memset(&sys, 0, sizeof sys);
    sys.sctlr_el1 = SCTLR_M;
    sys.tcr_el1 = kTcr;
    sys.mair_el1 = kMair;
    sys.ttbr0_el1 = root | (kAsid << TTBR_ASID_SHIFT);
    sys.id_aa64mmfr0_el1 = 5 | (2u << 4);   /* PARange 48 bits, 16-bit ASIDs */
    sys.id_aa64mmfr1_el1 = 2;               /* HAFDBS */
    vmsa_regs regs = vmsa_regs_from_a64(&sys);
    vmsa_params p;
    vmsa_params_decode(&p, &regs);

    uint64_t n = (uint64_t)(2e6 * scale);
    double l1 = bench_l1(&p, 10 * n);
    double walk = bench_walk(&p, n);
    double on8 = bench_exec(0, 1, 5 * n), off8 = bench_exec(0, 0, 5 * n);
    double on10 = bench_exec(1, 1, 5 * n), off10 = bench_exec(1, 0, 5 * n);

    printf("l1_lookup_check_ns %.2f\n", l1);
    printf("exec_hit_recent_ns %.2f\n", on8 - off8);
    printf("exec_hit_l1_ns %.2f\n", on10 - off10);
    printf("walk_4level_ns %.2f\n", walk);
    printf("exec_insn_mmu_off_ns %.2f\n", off8);
    printf("exec_insn_mmu_on_ns %.2f\n", on8);
    free(ram);
    return 0;
}
