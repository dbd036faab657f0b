/* mmu_syndromes: the syndromes of two kinds of abort that differential testing against QEMU found
 * wrong in httusim (issue 8), each expected value computed from the ARM ARM rule.
 *  - LSE atomics (LD<op>, SWP, CAS, CASP and their acquire/release forms): ESR_EL1.WnR is 0 when
 *    a read of the location would have generated the fault, 1 otherwise (ARM ARM D17.2 ESR_EL1,
 *    ISS encoding for an exception from a Data Abort, WnR). So WnR = 0 for an Alignment fault,
 *    a Translation fault, an Access flag fault (TCR_EL1.HA = 0), a Synchronous External abort on
 *    the walk, and a Permission fault that a read gets too (EL0 access to an EL1-only page); WnR
 *    = 1 for a Permission fault of the write part only (a read-only page, a writable-clean page
 *    with TCR_EL1.HD = 0, an EL0 read-only page at EL0). A plain load and store of the same
 *    locations are checked alongside. Only in the armv8.1-a builds (no LSE in armv8-a): the
 *    armv8-a builds print "skipped" for that section.
 *  - AT S1E1R, S1E1W, S1E0R, S1E0W whose walk gets a Synchronous External abort (a table
 *    descriptor pointing at a physical address nothing answers): the abort is taken as a Data
 *    Abort exception (ARM ARM: AT reports in PAR_EL1 only the faults of the translation, an
 *    External abort on the walk is taken), with EC 0x25, CM = 1 and WnR = 1 (the values ESR
 *    gives every fault of an address translation instruction), DFSC 0b0101LL with the level of
 *    the failed lookup, FAR = the VA given to AT, ELR = the AT, PAR_EL1 unchanged. */
#include "mmutest.h"

#define PAGE MMU_PAGE_SIZE
/* Test windows: L0 index 1, L1 index 1, L2 index 2; one page each. */
#define WIN_BASE     0x0000008040400000ull
#define WIN_RW       (WIN_BASE + 0 * PAGE)  /* read/write */
#define WIN_NONE     (WIN_BASE + 1 * PAGE)  /* invalid: Translation fault, level 3 */
#define WIN_AF       (WIN_BASE + 2 * PAGE)  /* AF = 0 */
#define WIN_RO       (WIN_BASE + 3 * PAGE)  /* read-only at EL1, no EL0 access */
#define WIN_CLEAN    (WIN_BASE + 4 * PAGE)  /* writable-clean: DBM = 1, AP[2] = 1 */
#define WIN_EL0_RO   (WIN_BASE + 5 * PAGE)  /* read-only at EL0 and EL1 */
#define WIN_EL0_CODE (WIN_BASE + 6 * PAGE)  /* the EL0 probe code */
/* A VA whose level 1 entry (L0 index 1, L1 index 4) is a table descriptor pointing at EXT_PA:
 * the level 2 lookup reads no memory. */
#define WIN_EXT      0x0000008100012000ull
#define EXT_LEVEL    2
/* Nothing answers here on QEMU virt (between the secure-memory hole at 0x0e000000 and the PCIe
 * MMIO window at 0x10000000) nor on httusim's platform (DESIGN.md section 2). */
#define EXT_PA       0x000000000f000000ull

static uint8_t pages[6][PAGE] __attribute__((aligned(PAGE)));
#define P(i) ((uint64_t)(uintptr_t)pages[i])

static const uint64_t rw = MMU_NORMAL | DESC_AF | MMU_RW;

/* The ESR of a data abort taken from EL1 (EC 0x25) or EL0 (EC 0x24), ISV = 0. */
static uint64_t dabt_esr(bool from_el0, unsigned fsc, bool wnr, bool cm)
{
    uint64_t ec = from_el0 ? EC_DABT_LOW : EC_DABT_CUR;
    return (ec << ESR_EC_SHIFT) | ESR_IL | (wnr ? ESR_DABT_WNR : 0u) | (cm ? ESR_DABT_CM : 0u) | fsc;
}

/* The locations every faulting access is tried on. */
struct location {
    const char *name;
    uint64_t va;
    unsigned fsc;
    bool read_faults; /* does a read of this location take the same fault? */
};

static const struct location locations[] = {
    {"invalid page (Translation, level 3)", WIN_NONE, FSC_TRANSLATION(3), true},
    {"AF = 0, TCR_EL1.HA = 0 (Access flag, level 3)", WIN_AF, FSC_ACCESS_FLAG(3), true},
    {"read-only page (Permission, level 3)", WIN_RO, FSC_PERMISSION(3), false},
    {"writable-clean page, TCR_EL1.HD = 0 (Permission, level 3)", WIN_CLEAN, FSC_PERMISSION(3), false},
    {"walk reads no memory (External abort on the walk, level 2)", WIN_EXT,
     FSC_EXTERNAL + 4u + EXT_LEVEL, true},
};
#define NLOCATIONS (sizeof locations / sizeof locations[0])

/* ---- the abort handler: records each Data Abort and skips the instruction ------------------ *
 * (mmutest's handler looks the FAR up in the tables, which the External-abort window would make
 * it read at EXT_PA: this one touches no table.) An SVC from EL0 returns to the EL1 code whose
 * address the caller put in x19. */
static volatile struct {
    unsigned aborts;
    uint64_t esr, far, elr;
} seen;

static int handler(struct fw_frame *f)
{
    unsigned ec = ESR_EC(f->esr);
    if (ec == EC_DABT_CUR || ec == EC_DABT_LOW) {
        seen.aborts++;
        seen.esr = f->esr;
        seen.far = f->far;
        seen.elr = f->elr;
        f->elr += 4;
        return 1;
    }
    if (ec == EC_SVC64 && (f->spsr & 0xf) == 0) {
        f->elr = f->x[19]; /* the continuation at EL1 */
        f->spsr = 0x3c5;   /* EL1h, DAIF masked */
        return 1;
    }
    return 0;
}

static void expect_abort(void)
{
    seen.aborts = 0;
    seen.esr = seen.far = seen.elr = 0;
}

/* Exactly one abort since expect_abort(), with this ESR, FAR and ELR. */
static void check_one_abort(const char *op, const char *loc, uint64_t esr, uint64_t far,
                            uint64_t pc)
{
    char what[192];
    snprintf(what, sizeof what, "%s, %s: one abort", op, loc);
    CHECK_EQ_MSG(what, seen.aborts, 1);
    snprintf(what, sizeof what, "%s, %s: ESR", op, loc);
    CHECK_EQ_MSG(what, seen.esr, esr);
    snprintf(what, sizeof what, "%s, %s: FAR", op, loc);
    CHECK_EQ_MSG(what, seen.far, far);
    snprintf(what, sizeof what, "%s, %s: ELR", op, loc);
    CHECK_EQ_MSG(what, seen.elr, pc);
}

static void check_no_abort(const char *op)
{
    char what[96];
    snprintf(what, sizeof what, "%s: no abort", op);
    CHECK_EQ_MSG(what, seen.aborts, 0);
}

/* The EL0 probe, executed at EL0 through WIN_EL0_CODE: LDADD x2, x1, [x0]; SVC #0. (The encoding
 * is given as a word: the armv8-a builds assemble it too, and never run it.) */
__asm__(".pushsection .text.el0_probe, \"ax\"\n"
        ".balign 4096\n"
        ".global el0_probe_page\n"
        "el0_probe_page:\n"
        "   .inst 0xf8220001\n" /* ldadd x2, x1, [x0] */
        "   svc #0\n"
        "   b .\n"
        ".balign 4096\n"
        ".popsection\n");
extern char el0_probe_page[];

/* ---- plain loads and stores: the reference the atomics are compared with ----------------- */
static void test_plain(void)
{
    t_section("plain loads and stores (WnR = 0 for a load, 1 for a store)");
    uint64_t pc;
    for (unsigned i = 0; i < NLOCATIONS; i++) {
        const struct location *l = &locations[i];
        expect_abort();
        uint64_t v = mt_ld64(l->va + 0x10, &pc);
        if (l->read_faults) {
            check_one_abort("LDR", l->name, dabt_esr(false, l->fsc, false, false), l->va + 0x10, pc);
        } else {
            check_no_abort("LDR");
            CHECK_EQ_MSG("  value", v, 0x10);
        }
        expect_abort();
        mt_st64(l->va + 0x18, 0x1234, &pc);
        check_one_abort("STR", l->name, dabt_esr(false, l->fsc, true, false), l->va + 0x18, pc);
    }
}

#ifdef __ARM_FEATURE_ATOMICS
/* ---- LSE atomics ---------------------------------------------------------------------------- */
/* The WnR rule of an atomic read-modify-write (ARM ARM D17.2 ESR_EL1.WnR): 0 when a read of the
 * location would have generated the fault being reported, 1 otherwise. */
static bool atomic_wnr(bool a_read_faults)
{
    return !a_read_faults;
}

typedef void (*atomic_fn)(uint64_t va, uint64_t *pc);

/* One instruction at label 1, its address in *pc; the source and destination registers are
 * left as they were if it faults and the handler skips it. */
#define ATOMIC_OP(fn, insn)                                                                      \
    static void fn(uint64_t va, uint64_t *pc)                                                    \
    {                                                                                            \
        uint64_t here, s = 1, t = 0;                                                             \
        __asm__ __volatile__("adr %0, 1f\n1:\t" insn                                             \
                             : "=&r"(here), "+r"(s), "+r"(t)                                     \
                             : "r"(va)                                                           \
                             : "memory");                                                        \
        *pc = here;                                                                              \
    }
ATOMIC_OP(op_ldadd, "ldadd %1, %2, [%3]")
ATOMIC_OP(op_ldaddal_w, "ldaddal %w1, %w2, [%3]")
ATOMIC_OP(op_ldclrl_h, "ldclrlh %w1, %w2, [%3]")
ATOMIC_OP(op_ldseta, "ldseta %1, %2, [%3]")
ATOMIC_OP(op_ldumax_w, "ldumax %w1, %w2, [%3]")
ATOMIC_OP(op_swp, "swp %1, %2, [%3]")
ATOMIC_OP(op_swpal_w, "swpal %w1, %w2, [%3]")
ATOMIC_OP(op_cas, "cas %1, %2, [%3]")
ATOMIC_OP(op_casal_w, "casal %w1, %w2, [%3]")
ATOMIC_OP(op_casab, "casab %w1, %w2, [%3]")

static void op_casp(uint64_t va, uint64_t *pc)
{
    uint64_t here;
    __asm__ __volatile__("mov x4, #0\n\tmov x5, #0\n\tmov x6, #1\n\tmov x7, #2\n\t"
                         "adr %0, 1f\n1:\tcaspal x4, x5, x6, x7, [%1]"
                         : "=&r"(here)
                         : "r"(va)
                         : "x4", "x5", "x6", "x7", "memory");
    *pc = here;
}

struct atomic_op {
    const char *name;
    atomic_fn run;
    unsigned size; /* bytes accessed: a misalignment of size / 2 is tried (size > 1) */
};

static const struct atomic_op atomic_ops[] = {
    {"LDADD", op_ldadd, 8},       {"LDADDAL (W)", op_ldaddal_w, 4}, {"LDCLRLH", op_ldclrl_h, 2},
    {"LDSETA", op_ldseta, 8},     {"LDUMAX (W)", op_ldumax_w, 4},   {"SWP", op_swp, 8},
    {"SWPAL (W)", op_swpal_w, 4}, {"CAS", op_cas, 8},               {"CASAL (W)", op_casal_w, 4},
    {"CASAB", op_casab, 1},       {"CASPAL (X)", op_casp, 16},
};
#define NATOMIC_OPS (sizeof atomic_ops / sizeof atomic_ops[0])

static void test_atomics_unaligned(void)
{
    t_section("LSE atomics, unaligned (Alignment fault: a read faults too, WnR = 0)");
    uint64_t pc;
    for (unsigned i = 0; i < NATOMIC_OPS; i++) {
        const struct atomic_op *op = &atomic_ops[i];
        if (op->size == 1)
            continue;
        uint64_t va = WIN_RW + 0x100 + op->size / 2;
        expect_abort();
        op->run(va, &pc);
        check_one_abort(op->name, "Normal memory, unaligned",
                        dabt_esr(false, FSC_ALIGNMENT, atomic_wnr(true), false), va, pc);
    }
}

static void test_atomics_faulting(void)
{
    t_section("LSE atomics on faulting locations (WnR = 0 when a read would fault)");
    uint64_t pc;
    for (unsigned l = 0; l < NLOCATIONS; l++) {
        const struct location *loc = &locations[l];
        for (unsigned i = 0; i < NATOMIC_OPS; i++) {
            const struct atomic_op *op = &atomic_ops[i];
            uint64_t va = loc->va + 0x40;
            expect_abort();
            op->run(va, &pc);
            check_one_abort(op->name, loc->name,
                            dabt_esr(false, loc->fsc, atomic_wnr(loc->read_faults), false), va, pc);
        }
    }
    CHECK_EQ_MSG("read-only page unchanged", ((volatile uint64_t *)pages[2])[0x40 / 8], 0x40);
    CHECK_EQ_MSG("writable-clean page unchanged", ((volatile uint64_t *)pages[3])[0x40 / 8], 0x40);
}

/* ---- LSE atomics at EL0 ------------------------------------------------------------------- */
/* Run the probe at EL0 with x0 = va. */
static void run_el0_ldadd(uint64_t va)
{
    __asm__ __volatile__("msr elr_el1, %0\n\t"
                         "mov x10, #0x3c0\n\t" /* EL0t, DAIF masked */
                         "msr spsr_el1, x10\n\t"
                         "mov x0, %1\n\t"
                         "mov x1, #0\n\t"
                         "mov x2, #1\n\t"
                         "adr x19, 2f\n\t"
                         "eret\n"
                         "2:"
                         :
                         : "r"(WIN_EL0_CODE), "r"(va)
                         : "x0", "x1", "x2", "x10", "x19", "memory");
}

static void test_atomics_el0(void)
{
    t_section("LDADD at EL0");
    static const struct {
        const char *name;
        uint64_t va;
        bool read_faults;
    } cases[] = {
        {"EL1-only page (EL0 cannot read)", WIN_RO + 0x80, true},
        {"EL0 read-only page", WIN_EL0_RO + 0x80, false},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_abort();
        run_el0_ldadd(cases[i].va);
        check_one_abort("LDADD at EL0", cases[i].name,
                        dabt_esr(true, FSC_PERMISSION(3), atomic_wnr(cases[i].read_faults), false),
                        cases[i].va, WIN_EL0_CODE);
    }
}

static void test_atomics(void)
{
    test_atomics_unaligned();
    test_atomics_faulting();
    test_atomics_el0();
}
#else
static void test_atomics(void)
{
    t_section("LSE atomics");
    printf("  skipped: built without FEAT_LSE (armv8-a)\n");
}
#endif

/* ---- AT whose walk gets an External abort ------------------------------------------------- */
#define AT_OP(fn, op)                                                                            \
    static void fn(uint64_t va, uint64_t *pc)                                                    \
    {                                                                                            \
        uint64_t here;                                                                           \
        __asm__ __volatile__("adr %0, 1f\n1:\tat " op ", %1\n\tisb"                              \
                             : "=&r"(here)                                                       \
                             : "r"(va)                                                           \
                             : "memory");                                                        \
        *pc = here;                                                                              \
    }
AT_OP(at_s1e1r, "s1e1r")
AT_OP(at_s1e1w, "s1e1w")
AT_OP(at_s1e0r, "s1e0r")
AT_OP(at_s1e0w, "s1e0w")

static void test_at_external_abort(void)
{
    t_section("AT whose walk gets a Synchronous External abort: a Data Abort, PAR_EL1 unchanged");
    static const struct {
        const char *name;
        void (*run)(uint64_t va, uint64_t *pc);
    } ats[] = {
        {"AT S1E1R", at_s1e1r}, {"AT S1E1W", at_s1e1w},
        {"AT S1E0R", at_s1e0r}, {"AT S1E0W", at_s1e0w},
    };
    uint64_t pc;
    for (unsigned i = 0; i < sizeof ats / sizeof ats[0]; i++) {
        /* PAR_EL1 before: the result of a successful AT */
        uint64_t before = mmu_at_s1e1r(WIN_RW);
        CHECK_EQ_MSG("AT S1E1R of a mapped page: PA", before & (PAR_F | PAR_PA_MASK), P(0));
        uint64_t va = WIN_EXT + 0x123 + i * 0x10;
        expect_abort();
        ats[i].run(va, &pc);
        check_one_abort(ats[i].name, "walk reads no memory",
                        dabt_esr(false, FSC_EXTERNAL + 4u + EXT_LEVEL, true, true), va, pc);
        CHECK_EQ_MSG("  PAR_EL1 unchanged", read_sysreg(PAR_EL1), before);
    }
    uint64_t par = mmu_at_s1e1r(WIN_NONE);
    CHECK_EQ_MSG("AT S1E1R of an invalid page: still reported in PAR (F = 1, FST)",
                 par & (PAR_F | (0x3full << 1)), PAR_F | (FSC_TRANSLATION(3) << 1));
}

static void map_windows(void)
{
    mmu_map(WIN_RW, P(0), PAGE, rw, MMU_MAP_PAGES);
    mmu_map(WIN_AF, P(1), PAGE, MMU_NORMAL | MMU_RW, MMU_MAP_PAGES);
    mmu_map(WIN_RO, P(2), PAGE, rw | MMU_RO, MMU_MAP_PAGES);
    mmu_map(WIN_CLEAN, P(3), PAGE, rw | MMU_WRITABLE_CLEAN, MMU_MAP_PAGES);
    mmu_map(WIN_EL0_RO, P(4), PAGE, rw | DESC_AP1 | DESC_AP2, MMU_MAP_PAGES);
    mmu_map(WIN_EL0_CODE, (uint64_t)(uintptr_t)el0_probe_page, PAGE,
            MMU_NORMAL | DESC_AF | DESC_AP1 | DESC_AP2 | DESC_PXN, MMU_MAP_PAGES);
    /* The level 1 entry of WIN_EXT: a table at EXT_PA. It was invalid: no TLBI needed. */
    uint64_t *l1 = mmu_desc_addr(WIN_EXT, 1);
    desc_write(l1, EXT_PA | DESC_TYPE_TABLE);
    mmu_tlbi_all();
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mt_begin("mmu_syndromes");
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < (int)(PAGE / 8); j++)
            ((uint64_t *)pages[i])[j] = (uint64_t)j * 8;
    fw_set_sync_handler(handler);
    mt_enable(0); /* TCR_EL1.HA = HD = 0: AF = 0 faults, writable-clean is read-only */
    map_windows();
    test_plain();
    test_atomics();
    test_at_external_abort();
    mmu_disable();
    return t_end();
}
