/* sysregs: system registers and PSTATE.
 *  - CurrentEL = EL1, SPSel = 1, DAIF masked at entry, SCTLR_EL1.M = 0 (MMU off at entry)
 *  - DAIF through MSR DAIFSet/DAIFClr and MSR DAIF; NZCV through MSR/MRS for all 16 values
 *  - SPSel: switching to SP_EL0 and back, SP_EL0 and SP_EL1 kept apart
 *  - round trips of TPIDR_EL0/EL1, TPIDRRO_EL0, CONTEXTIDR_EL1, ELR/SPSR/ESR/FAR_EL1, MAIR_EL1,
 *    TCR_EL1 (incl. HA/HD when the ID register advertises them), TTBR0/1_EL1, VBAR_EL1
 *  - PAN (when implemented) through MSR PAN, #imm
 *  - ERET within EL1 with a chosen SPSR (flags, EL1t), and a trip to EL0: TPIDRRO_EL0 readable,
 *    TPIDR_EL0 writable, TPIDR_EL1 UNDEFINED (EC 0x00 from EL0), SVC back to EL1 (EC 0x15 from
 *    a lower EL, SPSR.M = EL0t, SP_EL0 preserved)
 *  - an FP instruction with CPACR_EL1.FPEN = 0 traps with EC 0x07 (EC 0x00 if no FP)
 * ID registers are read only to decide what to test; their values are never printed. */
#include "fwtest.h"

static void test_pstate(void)
{
    t_section("PSTATE");
    CHECK_EQ_MSG("CurrentEL", read_sysreg(CurrentEL), 0x4);
    CHECK_EQ_MSG("SPSel", read_sysreg(SPSel), 1);
    CHECK_EQ_MSG("DAIF at entry (masked)", read_sysreg(DAIF), 0x3c0);
    CHECK_EQ_MSG("SCTLR_EL1.M (MMU off)", read_sysreg(SCTLR_EL1) & 1, 0);

    __asm__ __volatile__("msr daifclr, #0xf" ::: "memory");
    CHECK_EQ_MSG("DAIF after daifclr #0xf", read_sysreg(DAIF), 0);
    __asm__ __volatile__("msr daifset, #0x2" ::: "memory");
    CHECK_EQ_MSG("DAIF after daifset #2 (I)", read_sysreg(DAIF), 0x080);
    __asm__ __volatile__("msr daifset, #0x9" ::: "memory");
    CHECK_EQ_MSG("DAIF after daifset #9 (D, F)", read_sysreg(DAIF), 0x2c0);
    write_sysreg(DAIF, 0x100); /* A only */
    CHECK_EQ_MSG("DAIF written", read_sysreg(DAIF), 0x100);
    write_sysreg(DAIF, 0x3c0);
    CHECK_EQ_MSG("DAIF restored", read_sysreg(DAIF), 0x3c0);

    int bad = 0;
    for (uint64_t f = 0; f < 16; f++) {
        uint64_t r;
        __asm__ __volatile__("msr nzcv, %1\n\tmrs %0, nzcv" : "=r"(r) : "r"(f << 28) : "cc");
        if (r != f << 28)
            bad++;
    }
    uint64_t r;
    __asm__ __volatile__("msr nzcv, %1\n\tmrs %0, nzcv" : "=r"(r) : "r"(~0ull) : "cc");
    CHECK_EQ_MSG("NZCV ignores other bits", r, 0xf0000000ull);
    CHECK_EQ_MSG("NZCV round trips wrong", bad, 0);
}

static void test_spsel(void)
{
    t_section("SPSel and the two stack pointers");
    uint64_t sp1, sp_el0_seen, spsel0, sp_el0_after, sp1_after;
    __asm__ __volatile__("mov x9, sp\n\t"
                         "mov %0, x9\n\t"
                         "sub x10, x9, #0x100\n\t"
                         "msr sp_el0, x10\n\t"
                         "msr spsel, #0\n\t"
                         "mov %1, sp\n\t"           /* SP_EL0 */
                         "mrs %2, spsel\n\t"
                         "sub sp, sp, #0x20\n\t"    /* changes SP_EL0 only */
                         "msr spsel, #1\n\t"
                         "mrs %3, sp_el0\n\t"
                         "mov %4, sp"
                         : "=&r"(sp1), "=&r"(sp_el0_seen), "=&r"(spsel0), "=&r"(sp_el0_after), "=&r"(sp1_after)
                         :
                         : "x9", "x10", "memory");
    CHECK_EQ_MSG("SP with SPSel=0 is SP_EL0", sp1 - sp_el0_seen, 0x100);
    CHECK_EQ_MSG("SPSel reads 0", spsel0, 0);
    CHECK_EQ_MSG("SP_EL0 after sub", sp1 - sp_el0_after, 0x120);
    CHECK_EQ_MSG("SP_EL1 unchanged", sp1_after, sp1);
    write_sysreg(SP_EL0, 0x123456789abcdef0ull);
    CHECK_EQ_MSG("SP_EL0 round trip", read_sysreg(SP_EL0), 0x123456789abcdef0ull);
}

#define ROUND_TRIP(reg, value)                                                                     \
    do {                                                                                           \
        write_sysreg(reg, value);                                                                  \
        isb();                                                                                     \
        CHECK_EQ_MSG(#reg " round trip", read_sysreg(reg), value);                                 \
    } while (0)

static void test_round_trips(void)
{
    t_section("register round trips");
    ROUND_TRIP(TPIDR_EL0, 0xfedcba9876543210ull);
    ROUND_TRIP(TPIDR_EL1, 0x0123456789abcdefull);
    ROUND_TRIP(TPIDRRO_EL0, 0x5a5a5a5aa5a5a5a5ull);
    ROUND_TRIP(TPIDR_EL0, 0);
    ROUND_TRIP(CONTEXTIDR_EL1, 0x12345678ull);
    ROUND_TRIP(ELR_EL1, 0xffff000012345678ull);
    ROUND_TRIP(SPSR_EL1, 0xa00003c5ull);
    ROUND_TRIP(ESR_EL1, 0x96000045ull);
    ROUND_TRIP(FAR_EL1, 0xdeadbeefcafef00dull);
    ROUND_TRIP(MAIR_EL1, 0x000000000044ff04ull);
    ROUND_TRIP(TTBR0_EL1, 0x0001000040100000ull);
    ROUND_TRIP(TTBR1_EL1, 0x0002000040200000ull);
    /* T0SZ=25, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, T1SZ=25, EPD1, IRGN1/ORGN1, SH1, TG1=4K,
     * IPS=40 bits, AS=16-bit ASIDs */
    uint64_t tcr = 25 | (1u << 8) | (1u << 10) | (3u << 12) | (25u << 16) | (1u << 23) |
                   (1u << 24) | (1u << 26) | (3u << 28) | (2ull << 30) | (2ull << 32) | (1ull << 36);
    uint64_t hafdbs = (read_sysreg(ID_AA64MMFR1_EL1) & 0xf);
    if (hafdbs >= 1)
        tcr |= 1ull << 39; /* HA */
    if (hafdbs >= 2)
        tcr |= 1ull << 40; /* HD */
    ROUND_TRIP(TCR_EL1, tcr);
    write_sysreg(TCR_EL1, 0);
    uint64_t vbar = read_sysreg(VBAR_EL1);
    CHECK_EQ_MSG("VBAR_EL1 = __vectors", vbar, (uintptr_t)__vectors);
    ROUND_TRIP(VBAR_EL1, 0x40000800ull);
    write_sysreg(VBAR_EL1, vbar);
    isb();

    if ((read_sysreg(ID_AA64MMFR1_EL1) >> 20) & 0xf) {
        uint64_t on, off;
        __asm__ __volatile__(".inst 0xd500419f\n\t" /* msr pan, #1 */
                             "mrs %0, s3_0_c4_c2_3\n\t"
                             ".inst 0xd500409f\n\t" /* msr pan, #0 */
                             "mrs %1, s3_0_c4_c2_3"
                             : "=&r"(on), "=&r"(off));
        CHECK_EQ_MSG("PAN set", on, 1ull << 22);
        CHECK_EQ_MSG("PAN clear", off, 0);
    } else {
        CHECK_MSG(1, "PAN set");
        CHECK_MSG(1, "PAN clear");
    }
}

static void test_eret(void)
{
    t_section("ERET within EL1");
    uint64_t flags, spsel, daif;
    __asm__ __volatile__("adr x9, 1f\n\t"
                         "msr elr_el1, x9\n\t"
                         "mov x10, #0x03c5\n\t"
                         "movk x10, #0x9000, lsl #16\n\t" /* N, V; EL1h; DAIF masked */
                         "msr spsr_el1, x10\n\t"
                         "eret\n"
                         "1:\tmrs %0, nzcv"
                         : "=r"(flags) :: "x9", "x10", "cc", "memory");
    CHECK_EQ_MSG("flags from SPSR", flags >> 28, 0x9);

    /* to EL1t with SP_EL0 = the current SP, then back to EL1h by MSR SPSel */
    __asm__ __volatile__("mov x9, sp\n\t"
                         "msr sp_el0, x9\n\t"
                         "adr x9, 1f\n\t"
                         "msr elr_el1, x9\n\t"
                         "mov x10, #0x0344\n\t" /* EL1t, D, I, F masked, A clear */
                         "msr spsr_el1, x10\n\t"
                         "eret\n"
                         "1:\tmrs %0, spsel\n\t"
                         "mrs %1, daif\n\t"
                         "msr spsel, #1\n\t"
                         "msr daifset, #0xf"
                         : "=&r"(spsel), "=&r"(daif) :: "x9", "x10", "memory");
    CHECK_EQ_MSG("SPSel after ERET to EL1t", spsel, 0);
    CHECK_EQ_MSG("DAIF after ERET", daif, 0x340);
    CHECK_EQ_MSG("SPSel restored", read_sysreg(SPSel), 1);
}

/* ---- EL0 ----------------------------------------------------------------------------------- */
static uint64_t el0_stack[64] __attribute__((aligned(16)));
static struct {
    int svc, undef;
    uint64_t svc_esr, svc_spsr, undef_esr, sp_el0;
} el0;

static int el0_handler(struct fw_frame *f)
{
    if ((f->spsr & 0xf) != 0)
        return 0; /* not from EL0 */
    if (ESR_EC(f->esr) == EC_UNKNOWN) {
        el0.undef++;
        el0.undef_esr = f->esr;
        f->elr += 4;
        return 1;
    }
    if (ESR_EC(f->esr) == EC_SVC64) {
        el0.svc++;
        el0.svc_esr = f->esr;
        el0.svc_spsr = f->spsr;
        el0.sp_el0 = f->sp;
        f->elr = f->x[19];   /* continuation at EL1, set up by the caller */
        f->spsr = 0x3c5;     /* EL1h, DAIF masked */
        return 1;
    }
    return 0;
}

static void test_el0(void)
{
    t_section("a trip to EL0 and back");
    fw_sync_handler_t prev = fw_set_sync_handler(el0_handler);
    write_sysreg(TPIDRRO_EL0, 0x1111222233334444ull);
    write_sysreg(TPIDR_EL0, 0);
    uint64_t ro, tp1, sp0;
    __asm__ __volatile__("adr x9, 1f\n\t"
                         "msr elr_el1, x9\n\t"
                         "mov x10, #0x3c0\n\t" /* EL0t, DAIF masked */
                         "msr spsr_el1, x10\n\t"
                         "msr sp_el0, %3\n\t"
                         "adr x19, 2f\n\t"
                         "mov x2, #0x77\n\t"
                         "eret\n"
                         "1:\tmrs x0, tpidrro_el0\n\t" /* EL0 code */
                         "msr tpidr_el0, x2\n\t"
                         "mrs x1, tpidr_el1\n\t"       /* UNDEFINED at EL0 */
                         "mov x1, sp\n\t"
                         "svc #0x77\n\t"
                         "b .\n"
                         "2:\tmov %0, x0\n\t"          /* back at EL1 */
                         "mov %1, x1\n\t"
                         "mrs %2, sp_el0"
                         : "=r"(ro), "=r"(tp1), "=r"(sp0)
                         : "r"(&el0_stack[64])
                         : "x0", "x1", "x2", "x9", "x10", "x19", "memory");
    fw_set_sync_handler(prev);
    CHECK_EQ_MSG("TPIDRRO_EL0 read at EL0", ro, 0x1111222233334444ull);
    CHECK_EQ_MSG("TPIDR_EL0 written at EL0", read_sysreg(TPIDR_EL0), 0x77);
    CHECK_EQ_MSG("EL0 SP = SP_EL0", tp1, (uintptr_t)&el0_stack[64]);
    CHECK_EQ_MSG("MRS TPIDR_EL1 at EL0 undefined", el0.undef, 1);
    CHECK_EQ_MSG("  ESR", el0.undef_esr, 0x02000000ull);
    CHECK_EQ_MSG("SVC from EL0 taken", el0.svc, 1);
    CHECK_EQ_MSG("  ESR", el0.svc_esr, 0x56000077ull);
    CHECK_EQ_MSG("  SPSR (EL0t, DAIF masked)", el0.svc_spsr & 0xf00003ffull, 0x3c0);
    CHECK_EQ_MSG("  SP_EL0 in the frame", el0.sp_el0, (uintptr_t)&el0_stack[64]);
    CHECK_EQ_MSG("SP_EL0 after return", sp0, (uintptr_t)&el0_stack[64]);
    CHECK_EQ_MSG("back at EL1h", read_sysreg(CurrentEL) | read_sysreg(SPSel), 0x5);
}

/* ---- FP trap ------------------------------------------------------------------------------- */
static struct {
    int count;
    uint64_t esr;
} fp;

static int fp_handler(struct fw_frame *f)
{
    fp.count++;
    fp.esr = f->esr;
    f->elr += 4;
    return 1;
}

static void test_fp_trap(void)
{
    t_section("FP/SIMD access trap");
    uint64_t cpacr = read_sysreg(CPACR_EL1);
    write_sysreg(CPACR_EL1, cpacr & ~(3ull << 20)); /* FPEN = 0: trap EL0 and EL1 */
    isb();
    fw_sync_handler_t prev = fw_set_sync_handler(fp_handler);
    __asm__ __volatile__(".inst 0x9e6703e0" ::: "memory"); /* fmov d0, xzr */
    fw_set_sync_handler(prev);
    write_sysreg(CPACR_EL1, cpacr);
    isb();
    int has_fp = ((read_sysreg(ID_AA64PFR0_EL1) >> 16) & 0xf) != 0xf;
    CHECK_EQ_MSG("fmov trapped once", fp.count, 1);
    CHECK_EQ_MSG("EC (0x07, or 0x00 without FP)", ESR_EC(fp.esr), has_fp ? 0x07 : 0x00);
    CHECK_MSG(fp.esr & ESR_IL, "IL = 1");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    t_begin("sysregs");
    test_pstate();
    test_spsel();
    test_round_trips();
    test_eret();
    test_el0();
    test_fp_trap();
    return t_end();
}
