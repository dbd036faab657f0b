/* libFuzzer harness: random A64 instruction words through the core (core/a64) with a plain-memory
 * environment, checking invariants after every step (docs/fuzzing.md).
 *
 * Input (fuzz_input.h conventions, little-endian, zero past the end):
 *   u8  cfg      bit0: translation tables in the CPU's RAM window (the core walks them itself,
 *                      env.translate = NULL); else they are in platform memory the CPU cannot
 *                      access and env.translate is the harness's walker (then the run is made
 *                      twice, with and without L1 TLBs, and the two runs must agree)
 *                bit1: L1 TLBs (bit0 runs only)       bits2-3: ID_AA64MMFR1_EL1.HAFDBS (3 -> 2)
 *                bit4: PC and VBAR_EL1 taken raw, not folded into RAM
 *                bit5: fault loop limit 4 (else none)
 *   u8  pstate   bit0: EL, bit1: SPSel, bit2: PAN, bit3: UAO, bit4: IL, bit5: SS
 *   u8  nzcv     (high nibble)          u8 daif (low nibble)
 *   u64 pc       RAM offset (modulo the RAM size) unless cfg bit4
 *   u32 ptrmask  bit i < 31: X[i] is a RAM address (RAM base + X[i] modulo the RAM size);
 *                bit 31: SP_EL0 and SP_EL1 too
 *   u64 x[31], sp_el0, sp_el1
 *   u64 sctlr, tcr, ttbr0, ttbr1, mair, vbar (RAM offset unless cfg bit4), cpacr, spsr, elr
 *   u8  nchunks, then memory chunks over RAM followed by the table memory (fuzz_load_chunks)
 *
 * Physical map: RAM at RAM_BASE (RAM_SIZE), table memory right after it (TBL_SIZE), a device
 * window at MMIO_BASE that reads (pa ^ size) and accepts writes; anything else is a bus error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64/cpu.h"
#include "a64/translate.h"
#include "a64/sysreg_bits.h"
#include "fuzz_input.h"
#include "vmsa/walk.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x20000ull
#define TBL_BASE (RAM_BASE + RAM_SIZE)
#define TBL_SIZE 0x20000ull
#define MMIO_BASE 0x09000000ull
#define MMIO_SIZE 0x1000ull
#define MAX_STEPS 64

enum {
    CFG_TABLES_IN_RAM = 1u << 0,
    CFG_L1_TLB = 1u << 1,
    CFG_HAFDBS_SHIFT = 2,
    CFG_RAW_PC = 1u << 4,
    CFG_LOOP_LIMIT = 1u << 5,
};

typedef struct fuzz_setup {
    uint8_t cfg, pstate, nzcv, daif;
    uint64_t pc;
    uint32_t ptrmask;
    uint64_t x[31], sp_el0, sp_el1;
    uint64_t sctlr, tcr, ttbr0, ttbr1, mair, vbar, cpacr, spsr, elr;
} fuzz_setup;

/* One run's platform: the memory the CPU sees and the walker's memory. */
typedef struct fuzz_platform {
    uint8_t *ram;      /* CPU RAM window: RAM only, or RAM + table memory */
    uint64_t ram_size;
    uint8_t *tbl;      /* table memory (inside `ram` when the tables are in the RAM window) */
    bool walker;       /* env.translate is the harness walker */
    uint64_t walks;
} fuzz_platform;

/* Figures printed at exit (docs/fuzzing.md). */
static struct {
    uint64_t inputs, runs, steps, insts, exceptions, fatal, walks, compared, compare_skipped;
} stats;

static void print_stats(void)
{
    fprintf(stderr,
            "fuzz_a64: inputs %llu, runs %llu, steps %llu, instructions retired %llu, "
            "exceptions %llu, fatal stops %llu, harness walks %llu, TLB/no-TLB runs compared "
            "%llu (skipped: translation registers written %llu)\n",
            (unsigned long long)stats.inputs, (unsigned long long)stats.runs,
            (unsigned long long)stats.steps, (unsigned long long)stats.insts,
            (unsigned long long)stats.exceptions, (unsigned long long)stats.fatal,
            (unsigned long long)stats.walks, (unsigned long long)stats.compared,
            (unsigned long long)stats.compare_skipped);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    atexit(print_stats);
    return 0;
}

/* ---- environment ---------------------------------------------------------------------------- */

static bool in_window(const a64_cpu *cpu, uint64_t pa, unsigned size)
{
    uint64_t off = pa - cpu->cfg.ram.base;
    return off < cpu->cfg.ram.size && size <= cpu->cfg.ram.size - off;
}

static bool in_mmio(uint64_t pa, unsigned size)
{
    return pa >= MMIO_BASE && pa - MMIO_BASE < MMIO_SIZE && size <= MMIO_SIZE - (pa - MMIO_BASE);
}

/* cpu.h: an access whose physical address falls in the RAM window is served from host memory;
 * only the others reach the bus. */
static a64_cpu *current_cpu;

static a64_bus_status bus_read(void *ctx, uint64_t pa, unsigned size, uint64_t *value)
{
    (void)ctx;
    FUZZ_CHECK(size == 1 || size == 2 || size == 4 || size == 8, "bus read of size %u", size);
    FUZZ_CHECK(!in_window(current_cpu, pa, size),
               "bus read of RAM-window address 0x%llx size %u", (unsigned long long)pa, size);
    if (!in_mmio(pa, size))
        return A64_BUS_ERROR;
    *value = pa ^ size;
    return A64_BUS_OK;
}

static a64_bus_status bus_write(void *ctx, uint64_t pa, unsigned size, uint64_t value)
{
    (void)ctx;
    (void)value;
    FUZZ_CHECK(size == 1 || size == 2 || size == 4 || size == 8, "bus write of size %u", size);
    FUZZ_CHECK(!in_window(current_cpu, pa, size),
               "bus write of RAM-window address 0x%llx size %u", (unsigned long long)pa, size);
    return in_mmio(pa, size) ? A64_BUS_OK : A64_BUS_ERROR;
}

static bool no_hvc(void *ctx, a64_cpu *cpu, uint16_t imm16)
{
    (void)ctx;
    (void)cpu;
    (void)imm16;
    return false;
}

static void sysop_ignored(void *ctx, a64_cpu *cpu, const a64_sysop *op)
{
    (void)ctx;
    (void)cpu;
    (void)op;
}

static uint64_t fixed_counter(void *ctx)
{
    (void)ctx;
    return 1000;
}

/* The platform's MMU stand-in: a walk over the table memory only, with atomic CAS updates. A
 * descriptor outside the table memory is a Synchronous External abort on the walk. */
static bool walker_translate(void *ctx, a64_cpu *cpu, const vmsa_params *p, uint64_t va,
                             const vmsa_access *acc, unsigned flags, vmsa_result *res,
                             a64_fault *fault)
{
    (void)cpu;
    fuzz_platform *pf = ctx;
    pf->walks++;
    vmsa_walk w;
    unsigned requests = 0;
    vmsa_req r = vmsa_walk_start(&w, p, va, acc);
    while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
        FUZZ_CHECK(++requests <= 16, "walk of 0x%llx did not end", (unsigned long long)va);
        uint64_t off = r.addr - TBL_BASE;
        if (off >= TBL_SIZE || off + 8 > TBL_SIZE) {
            *fault = a64_mmu_walk_external_abort(acc, va, r.level);
            return false;
        }
        uint64_t v;
        memcpy(&v, pf->tbl + off, 8);
        if (r.kind == VMSA_REQ_CAS) {
            if (flags & A64_XLATE_NO_UPDATE)
                v = r.old_desc;
            else if (v == r.old_desc)
                memcpy(pf->tbl + off, &r.new_desc, 8);
        }
        r = vmsa_walk_step(&w, v);
    }
    if (r.kind == VMSA_REQ_DONE) {
        *res = *r.result;
        return true;
    }
    *fault = vmsa_fault_to_a64(r.fault);
    return false;
}

/* ---- input ------------------------------------------------------------------------------------ */

static void read_setup(fuzz_reader *rd, fuzz_setup *s)
{
    s->cfg = fuzz_u8(rd);
    s->pstate = fuzz_u8(rd);
    s->nzcv = fuzz_u8(rd);
    s->daif = fuzz_u8(rd);
    s->pc = fuzz_u64(rd);
    s->ptrmask = fuzz_u32(rd);
    for (int i = 0; i < 31; i++)
        s->x[i] = fuzz_u64(rd);
    s->sp_el0 = fuzz_u64(rd);
    s->sp_el1 = fuzz_u64(rd);
    s->sctlr = fuzz_u64(rd);
    s->tcr = fuzz_u64(rd);
    s->ttbr0 = fuzz_u64(rd);
    s->ttbr1 = fuzz_u64(rd);
    s->mair = fuzz_u64(rd);
    s->vbar = fuzz_u64(rd);
    s->cpacr = fuzz_u64(rd);
    s->spsr = fuzz_u64(rd);
    s->elr = fuzz_u64(rd);
}

static uint64_t ram_address(uint64_t v) { return RAM_BASE + v % RAM_SIZE; }

/* Reset the CPU and give it the input's state. */
static void setup_cpu(a64_cpu *cpu, const fuzz_setup *s, fuzz_platform *pf, a64_mmu *mmu)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->cfg.ram.host = pf->ram;
    cpu->cfg.ram.base = RAM_BASE;
    cpu->cfg.ram.size = pf->ram_size;
    cpu->cfg.env.ctx = pf;
    cpu->cfg.env.phys_read = bus_read;
    cpu->cfg.env.phys_write = bus_write;
    cpu->cfg.env.hvc = no_hvc;
    cpu->cfg.env.sysop = sysop_ignored;
    cpu->cfg.env.translate = pf->walker ? walker_translate : NULL;
    cpu->cfg.env.counter = fixed_counter;
    cpu->cfg.env.counter_freq = 62500000;
    cpu->cfg.mmu = mmu;
    unsigned hafdbs = (s->cfg >> CFG_HAFDBS_SHIFT) & 3;
    cpu->cfg.hafdbs = hafdbs > 2 ? 2 : hafdbs;
    cpu->cfg.fault_loop_limit = (s->cfg & CFG_LOOP_LIMIT) ? 4 : 0;
    bool raw = (s->cfg & CFG_RAW_PC) != 0;
    a64_cpu_reset(cpu, raw ? s->pc : ram_address(s->pc));

    for (int i = 0; i < 31; i++)
        cpu->x[i] = (s->ptrmask >> i) & 1 ? ram_address(s->x[i]) : s->x[i];
    bool sp_ptr = (s->ptrmask >> 31) & 1;
    cpu->sys.sp_el0 = sp_ptr ? ram_address(s->sp_el0) : s->sp_el0;
    cpu->sys.sp_el1 = sp_ptr ? ram_address(s->sp_el1) : s->sp_el1;

    a64_pstate *p = &cpu->pstate;
    p->el = s->pstate & 1;
    p->sp = p->el ? (s->pstate >> 1) & 1 : 0;   /* EL0 always uses SP_EL0 */
    p->pan = (s->pstate >> 2) & 1;
    p->uao = (s->pstate >> 3) & 1;
    p->il = (s->pstate >> 4) & 1;
    p->ss = (s->pstate >> 5) & 1;
    p->nzcv = (uint32_t)(s->nzcv & 0xf0) << 24;
    p->daif = (uint32_t)(s->daif & 0xf) << SPSR_DAIF_SHIFT;

    cpu->sys.sctlr_el1 = s->sctlr;
    cpu->sys.tcr_el1 = s->tcr;
    cpu->sys.ttbr0_el1 = s->ttbr0;
    cpu->sys.ttbr1_el1 = s->ttbr1;
    cpu->sys.mair_el1 = s->mair;
    cpu->sys.vbar_el1 = raw ? s->vbar : ram_address(s->vbar);
    cpu->sys.cpacr_el1 = s->cpacr;
    cpu->sys.spsr_el1 = s->spsr;
    cpu->sys.elr_el1 = s->elr;
    a64_mmu_regs_changed(cpu);
}

/* ---- per-step invariants ------------------------------------------------------------------- */

typedef struct pre_step {
    uint64_t pc, x[31], sp_el0, sp_el1, spsr, insts, exceptions, exception_entries;
    uint8_t el, sp;
    bool il;
} pre_step;

static void snapshot(const a64_cpu *cpu, pre_step *s)
{
    s->pc = cpu->pc;
    memcpy(s->x, cpu->x, sizeof s->x);
    s->sp_el0 = cpu->sys.sp_el0;
    s->sp_el1 = cpu->sys.sp_el1;
    s->spsr = a64_pstate_to_spsr(cpu);
    s->insts = cpu->ctr.insts;
    s->exceptions = cpu->ctr.exceptions;
    s->exception_entries = cpu->ctr.exception_entries;
    s->el = cpu->pstate.el;
    s->sp = cpu->pstate.sp;
    s->il = cpu->pstate.il;
}

static bool valid_abort_fsc(unsigned fsc)
{
    return fsc <= 0x0f ||                        /* address size, translation, AF, permission */
           fsc == 0x10 || (fsc >= 0x14 && fsc <= 0x17) || fsc == 0x21;
}

/* A synchronous exception was taken to EL1 by the instruction at pre->pc (ARM ARM D1.10.2,
 * AArch64.TakeException; ESR_EL1 D17.2.37). */
static void check_exception(const a64_cpu *cpu, const pre_step *pre)
{
    uint32_t esr = (uint32_t)cpu->sys.esr_el1;
    unsigned ec = esr >> 26;
    unsigned long long pc = pre->pc;
    /* Vector: VBAR_EL1 + 0x000 (current EL, SP_EL0), 0x200 (current EL, SP_ELx), 0x400 (lower
     * EL, AArch64). */
    uint64_t offset = pre->el == 0 ? 0x400 : pre->sp ? 0x200 : 0x000;
    uint64_t vector = (cpu->sys.vbar_el1 & ~0x7ffull) + offset;
    FUZZ_CHECK(cpu->pc == vector, "PC 0x%llx after an exception at 0x%llx, vector 0x%llx",
               (unsigned long long)cpu->pc, pc, (unsigned long long)vector);
    FUZZ_CHECK(cpu->pstate.el == 1 && cpu->pstate.sp == 1 &&
                   cpu->pstate.daif == SPSR_DAIF_MASK && !cpu->pstate.il && !cpu->pstate.ss,
               "PSTATE after exception entry: EL%u SP%u DAIF 0x%x IL %d SS %d", cpu->pstate.el,
               cpu->pstate.sp, cpu->pstate.daif, cpu->pstate.il, cpu->pstate.ss);
    FUZZ_CHECK(cpu->sys.spsr_el1 == pre->spsr,
               "SPSR_EL1 0x%llx is not PSTATE before the instruction 0x%llx (ESR 0x%x, PC 0x%llx)",
               (unsigned long long)cpu->sys.spsr_el1, (unsigned long long)pre->spsr, esr, pc);
    /* IL = 1: every exception here comes from a 32-bit instruction or is one whose IL is RES1
     * (Instruction Abort, PC alignment, Illegal Execution state). */
    FUZZ_CHECK(esr & (1u << 25), "ESR 0x%x with IL = 0", esr);
    /* Preferred return address: the next instruction for SVC/HVC/SMC, else the instruction. */
    uint64_t want_elr = (ec == 0x15 || ec == 0x16 || ec == 0x17) ? pre->pc + 4 : pre->pc;
    FUZZ_CHECK(cpu->sys.elr_el1 == want_elr, "ELR 0x%llx, expected 0x%llx (ESR 0x%x)",
               (unsigned long long)cpu->sys.elr_el1, (unsigned long long)want_elr, esr);
    /* Illegal Execution state: taken before anything else, EC 0x0E (D1.4.4). */
    FUZZ_CHECK(pre->il == (ec == 0x0e), "PSTATE.IL was %d, EC 0x%x", pre->il, ec);
    if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
        bool lower = ec == 0x20 || ec == 0x24;
        FUZZ_CHECK(lower == (pre->el == 0), "abort EC 0x%x taken from EL%u", ec, pre->el);
        FUZZ_CHECK(valid_abort_fsc(esr & 0x3f), "abort with FSC 0x%x (ESR 0x%x)", esr & 0x3f,
                   esr);
        if (ec == 0x20 || ec == 0x21)   /* Instruction Abort: FAR is the fetched PC */
            FUZZ_CHECK(cpu->sys.far_el1 == pre->pc, "Instruction Abort at 0x%llx with FAR 0x%llx",
                       pc, (unsigned long long)cpu->sys.far_el1);
        else if (esr & (1u << 8))       /* CM = 1: reported as a write (WnR = 1) */
            FUZZ_CHECK(esr & (1u << 6), "Data Abort with CM = 1 and WnR = 0 (ESR 0x%x)", esr);
    }
    if (ec == 0x22) /* PC alignment fault: FAR is the misaligned PC (D1.3.5) */
        FUZZ_CHECK((pre->pc & 3) && cpu->sys.far_el1 == pre->pc,
                   "PC alignment fault at 0x%llx with FAR 0x%llx", pc,
                   (unsigned long long)cpu->sys.far_el1);
    /* An instruction that takes an exception does not retire: no register it would write has
     * changed (exec.h: "leaving no destination register half-written"). */
    for (int i = 0; i < 31; i++)
        FUZZ_CHECK(cpu->x[i] == pre->x[i],
                   "X%d changed 0x%llx -> 0x%llx by an instruction that took ESR 0x%x at 0x%llx",
                   i, (unsigned long long)pre->x[i], (unsigned long long)cpu->x[i], esr, pc);
    FUZZ_CHECK(cpu->sys.sp_el0 == pre->sp_el0 && cpu->sys.sp_el1 == pre->sp_el1,
               "SP changed by an instruction that took ESR 0x%x at 0x%llx", esr, pc);
}

/* Check one step; returns false when the run ends. */
static bool check_step(const a64_cpu *cpu, const pre_step *pre, a64_step_result r)
{
    FUZZ_CHECK(cpu->ctr.insts >= pre->insts, "instruction counter went down");
    uint64_t retired = cpu->ctr.insts - pre->insts;
    uint64_t taken = cpu->ctr.exceptions - pre->exceptions;
    uint64_t entered = cpu->ctr.exception_entries - pre->exception_entries;
    /* The timed count of exception entries (docs/timing.md) leaves out the one that ended the
     * run as FATAL. */
    FUZZ_CHECK(entered == (r == A64_STEP_FATAL ? 0 : taken),
               "step at 0x%llx took %llu exceptions and entered %llu (result %d)",
               (unsigned long long)pre->pc, (unsigned long long)taken,
               (unsigned long long)entered, r);
    if (r == A64_STEP_FATAL) {
        FUZZ_CHECK(cpu->fatal.kind != A64_FATAL_NONE, "FATAL without a report");
        FUZZ_CHECK(retired == 0 && taken == 1, "FATAL step retired %llu, exceptions %llu",
                   (unsigned long long)retired, (unsigned long long)taken);
        stats.fatal++;
        return false;
    }
    FUZZ_CHECK(cpu->fatal.kind == A64_FATAL_NONE, "fatal report on a step that returned %d", r);
    /* Each step either retires the instruction or takes one exception: never both, never
     * neither, never two. */
    FUZZ_CHECK(retired + taken == 1,
               "step at 0x%llx retired %llu instructions and took %llu exceptions (ESR 0x%llx)",
               (unsigned long long)pre->pc, (unsigned long long)retired,
               (unsigned long long)taken, (unsigned long long)cpu->sys.esr_el1);
    if (taken)
        check_exception(cpu, pre);
    return r != A64_STEP_HALT;
}

/* ---- runs ------------------------------------------------------------------------------------ */

typedef struct run_outcome {
    a64_step_result last;
    unsigned steps;
    bool translation_regs_written;
} run_outcome;

static run_outcome run(a64_cpu *cpu, const fuzz_setup *s)
{
    run_outcome o = { A64_STEP_OK, 0, false };
    uint64_t sctlr0 = cpu->sys.sctlr_el1;
    current_cpu = cpu;
    stats.runs++;
    for (unsigned i = 0; i < MAX_STEPS; i++) {
        pre_step pre;
        snapshot(cpu, &pre);
        a64_step_result r = a64_step(cpu);
        o.last = r;
        o.steps++;
        stats.steps++;
        stats.insts += cpu->ctr.insts - pre.insts;
        stats.exceptions += cpu->ctr.exceptions - pre.exceptions;
        bool go_on = check_step(cpu, &pre, r);
        if (cpu->sys.sctlr_el1 != sctlr0 || cpu->sys.tcr_el1 != s->tcr ||
            cpu->sys.ttbr0_el1 != s->ttbr0 || cpu->sys.ttbr1_el1 != s->ttbr1 ||
            cpu->sys.mair_el1 != s->mair)
            o.translation_regs_written = true;
        if (!go_on)
            break;
    }
    return o;
}

/* ---- the differential: L1 TLBs and recent-entry caches versus a walk for every access ---- */

static uint8_t *ram_a, *tbl_a, *ram_b, *tbl_b, *ram_joint;
static a64_mmu mmu;

static void compare_runs(const a64_cpu *a, const run_outcome *oa, const a64_cpu *b,
                         const run_outcome *ob)
{
    if (oa->translation_regs_written || ob->translation_regs_written) {
        /* Without TLB maintenance the architecture lets a TLB keep the old translations. */
        stats.compare_skipped++;
        return;
    }
    stats.compared++;
    FUZZ_CHECK(oa->steps == ob->steps && oa->last == ob->last,
               "with L1 TLBs: %u steps ending %d; without: %u steps ending %d", oa->steps,
               oa->last, ob->steps, ob->last);
    FUZZ_CHECK(a->pc == b->pc, "PC 0x%llx with L1 TLBs, 0x%llx without",
               (unsigned long long)a->pc, (unsigned long long)b->pc);
    for (int i = 0; i < 31; i++)
        FUZZ_CHECK(a->x[i] == b->x[i], "X%d 0x%llx with L1 TLBs, 0x%llx without", i,
                   (unsigned long long)a->x[i], (unsigned long long)b->x[i]);
    FUZZ_CHECK(a64_pstate_to_spsr(a) == a64_pstate_to_spsr(b), "PSTATE differs with L1 TLBs");
    FUZZ_CHECK(memcmp(&a->sys, &b->sys, sizeof a->sys) == 0,
               "system registers differ with L1 TLBs (ESR 0x%llx / 0x%llx, FAR 0x%llx / 0x%llx, "
               "PAR 0x%llx / 0x%llx)",
               (unsigned long long)a->sys.esr_el1, (unsigned long long)b->sys.esr_el1,
               (unsigned long long)a->sys.far_el1, (unsigned long long)b->sys.far_el1,
               (unsigned long long)a->sys.par_el1, (unsigned long long)b->sys.par_el1);
    FUZZ_CHECK(memcmp(&a->ctr, &b->ctr, sizeof a->ctr) == 0,
               "counters differ with L1 TLBs (retired %llu / %llu, exceptions %llu / %llu)",
               (unsigned long long)a->ctr.insts, (unsigned long long)b->ctr.insts,
               (unsigned long long)a->ctr.exceptions, (unsigned long long)b->ctr.exceptions);
    FUZZ_CHECK(a->excl_valid == b->excl_valid &&
                   (!a->excl_valid || (a->excl_addr == b->excl_addr &&
                                       a->excl_size == b->excl_size)),
               "exclusive monitor differs with L1 TLBs");
    FUZZ_CHECK(memcmp(ram_a, ram_b, RAM_SIZE) == 0, "RAM differs with L1 TLBs");
    FUZZ_CHECK(memcmp(tbl_a, tbl_b, TBL_SIZE) == 0,
               "translation tables (hardware updates) differ with L1 TLBs");
}

static void allocate(void)
{
    if (ram_a)
        return;
    /* Exactly the sizes the CPU is told, so that AddressSanitizer catches any access outside. */
    ram_a = malloc(RAM_SIZE);
    tbl_a = malloc(TBL_SIZE);
    ram_b = malloc(RAM_SIZE);
    tbl_b = malloc(TBL_SIZE);
    ram_joint = malloc(RAM_SIZE + TBL_SIZE);
    if (!ram_a || !tbl_a || !ram_b || !tbl_b || !ram_joint || !a64_mmu_init(&mmu, 16, 4, 16, 4))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    allocate();
    stats.inputs++;
    fuzz_reader rd = { data, size, 0 };
    fuzz_setup s;
    read_setup(&rd, &s);
    unsigned nchunks = fuzz_u8(&rd);
    memset(ram_joint, 0, RAM_SIZE + TBL_SIZE);
    fuzz_load_chunks(&rd, nchunks, ram_joint, RAM_SIZE + TBL_SIZE);

    static a64_cpu cpu_a, cpu_b;
    if (s.cfg & CFG_TABLES_IN_RAM) {
        /* The core's own functional walk over tables the program can also store to. */
        fuzz_platform pf = { ram_joint, RAM_SIZE + TBL_SIZE, ram_joint + RAM_SIZE, false, 0 };
        setup_cpu(&cpu_a, &s, &pf, (s.cfg & CFG_L1_TLB) ? &mmu : NULL);
        run(&cpu_a, &s);
        return 0;
    }
    memcpy(ram_a, ram_joint, RAM_SIZE);
    memcpy(ram_b, ram_joint, RAM_SIZE);
    memcpy(tbl_a, ram_joint + RAM_SIZE, TBL_SIZE);
    memcpy(tbl_b, ram_joint + RAM_SIZE, TBL_SIZE);
    fuzz_platform pa = { ram_a, RAM_SIZE, tbl_a, true, 0 };
    fuzz_platform pb = { ram_b, RAM_SIZE, tbl_b, true, 0 };
    setup_cpu(&cpu_a, &s, &pa, &mmu);
    run_outcome oa = run(&cpu_a, &s);
    setup_cpu(&cpu_b, &s, &pb, NULL);
    run_outcome ob = run(&cpu_b, &s);
    stats.walks += pa.walks + pb.walks;
    compare_runs(&cpu_a, &oa, &cpu_b, &ob);
    return 0;
}
