/* exceptions: synchronous exceptions taken to EL1 and returned from with ERET.
 *  - SVC #imm: EC 0x15, ISS = imm16, IL = 1, ELR = the next instruction, SPSR = the interrupted
 *    PSTATE (NZCV, DAIF, EL1h); the handler changes X0/X1 and SPSR.NZCV, and they take effect
 *  - registers the handler does not change survive the exception
 *  - BRK #imm: EC 0x3c, ISS = imm16, ELR = the BRK itself
 *  - UDF, HLT with a non-semihosting immediate, SMC without EL3: EC 0x00 (ESR = 0x02000000)
 *  - data abort (EC 0x25) on an unmapped physical address: synchronous external abort (DFSC
 *    0x10), WnR for stores, FAR = the address (unless FnV); beyond the 52-bit PA space an address
 *    size fault at level 0 (DFSC 0x00)
 *  - instruction abort (EC 0x21) when branching to an unmapped address; PC alignment fault
 *    (EC 0x22) with FAR = ELR = the misaligned target
 * QEMU virt 7.2 reports all of these as the architecture says (checked). Not tested: unaligned
 * data accesses (QEMU does not fault them with the MMU off), HVC (QEMU's PSCI layer takes any
 * HVC immediate), SP alignment (depends on SCTLR_EL1.SA's reset value).
 * With the argument "unexpected" the program ends with an unhandled UDF instead, to check the
 * runtime's report and its exit status 99 (FW_EXIT_UNEXPECTED_EXCEPTION). */
#include "fwtest.h"

#define UNMAPPED_PA 0x500000000ull        /* nothing there on QEMU virt or httusim */
#define BEYOND_PA   0x0010000000000000ull /* bit 52: beyond any PARange */

enum action { ACT_SVC, ACT_SKIP, ACT_RETURN };

static struct {
    enum action action;
    int count;
    uint64_t esr, far, elr, spsr;
    uint64_t x0, x1;
} seen;

static int handler(struct fw_frame *f)
{
    seen.count++;
    seen.esr = f->esr;
    seen.far = f->far;
    seen.elr = f->elr;
    seen.spsr = f->spsr;
    seen.x0 = f->x[0];
    seen.x1 = f->x[1];
    switch (seen.action) {
    case ACT_SVC: /* a "system call": result in x0, x1 inverted, flags Z and C set */
        f->x[0] = ESR_ISS(f->esr) + 0x1000;
        f->x[1] = ~f->x[1];
        f->spsr = (f->spsr & ~0xf0000000ull) | 0x60000000ull;
        break;
    case ACT_SKIP: /* skip the faulting instruction */
        f->elr += 4;
        break;
    case ACT_RETURN: /* the fault was at a branch target: return to the caller of the BLR */
        f->elr = f->x[30];
        break;
    }
    return 1;
}

static void expect(enum action a)
{
    seen.action = a;
    seen.count = 0;
    seen.esr = seen.far = seen.elr = seen.spsr = 0;
}

#define SPSR_MASK 0xf00003ffull /* NZCV, DAIF, M: the bits this test controls */

/* long: register variables hold their registers only if no call comes between them and the asm. */
static void test_svc(void)
{
    t_section("SVC");
    /* Register variables hold their register only at the asm statements: no calls between the
     * assignments and each asm. */
    uint64_t here, flags;
    expect(ACT_SVC);
    register uint64_t x0 __asm__("x0") = 0x1111;
    register uint64_t x1 __asm__("x1") = 0x00ff00ff00ff00ffull;
    __asm__ __volatile__("mov x9, #0x80000000\n\t"
                         "msr nzcv, x9\n\t" /* N set */
                         "adr %2, 1f\n\t"
                         "svc #0x1234\n"
                         "1:\tmrs %3, nzcv"
                         : "+r"(x0), "+r"(x1), "=&r"(here), "=r"(flags)
                         :
                         : "x9", "cc", "memory");
    uint64_t r0 = x0, r1 = x1; /* before any call */
    CHECK_EQ_MSG("svc taken once", seen.count, 1);
    CHECK_EQ_MSG("svc EC", ESR_EC(seen.esr), EC_SVC64);
    CHECK_EQ_MSG("svc ISS = imm16", ESR_ISS(seen.esr), 0x1234);
    CHECK_MSG(seen.esr & ESR_IL, "svc IL = 1");
    CHECK_EQ_MSG("svc ELR = next instruction", seen.elr, here);
    CHECK_EQ_MSG("svc SPSR (NZCV, DAIF, EL1h)", seen.spsr & SPSR_MASK, 0x800003c5ull);
    CHECK_EQ_MSG("svc handler saw x0", seen.x0, 0x1111);
    CHECK_EQ_MSG("svc x0 from handler", r0, 0x2234);
    CHECK_EQ_MSG("svc x1 from handler", r1, 0xff00ff00ff00ff00ull);
    CHECK_EQ_MSG("svc SPSR.NZCV from handler restored by ERET", flags >> 28, 0x6);

    expect(ACT_SVC);
    x0 = 0;
    x1 = 0;
    __asm__ __volatile__("svc #0xffff" : "+r"(x0), "+r"(x1) :: "memory");
    CHECK_EQ_MSG("svc #0xffff ISS", ESR_ISS(seen.esr), 0xffff);
    expect(ACT_SVC);
    x0 = 0;
    x1 = 0;
    __asm__ __volatile__("svc #0" : "+r"(x0), "+r"(x1) :: "memory");
    r0 = x0;
    CHECK_EQ_MSG("svc #0 ESR", seen.esr, 0x56000000ull);
    CHECK_EQ_MSG("svc #0 x0", r0, 0x1000);

    /* callee-saved and temporary registers survive an exception the handler does not touch */
    uint64_t sum;
    expect(ACT_SVC);
    x0 = 0;
    x1 = 0;
    __asm__ __volatile__("mov x19, #19\n\tmov x20, #20\n\tmov x21, #21\n\tmov x22, #22\n\t"
                         "mov x23, #23\n\tmov x24, #24\n\tmov x25, #25\n\tmov x26, #26\n\t"
                         "mov x27, #27\n\tmov x28, #28\n\tmov x9, #9\n\tmov x10, #10\n\t"
                         "mov x15, #15\n\tmov x16, #16\n\tmov x17, #17\n\tmov x18, #18\n\t"
                         "svc #7\n\t"
                         "add %0, x19, x20\n\tadd %0, %0, x21\n\tadd %0, %0, x22\n\t"
                         "add %0, %0, x23\n\tadd %0, %0, x24\n\tadd %0, %0, x25\n\t"
                         "add %0, %0, x26\n\tadd %0, %0, x27\n\tadd %0, %0, x28\n\t"
                         "add %0, %0, x9\n\tadd %0, %0, x10\n\tadd %0, %0, x15\n\t"
                         "add %0, %0, x16\n\tadd %0, %0, x17\n\tadd %0, %0, x18"
                         : "=&r"(sum), "+r"(x0), "+r"(x1)
                         :
                         : "x9", "x10", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22",
                           "x23", "x24", "x25", "x26", "x27", "x28", "memory");
    CHECK_EQ_MSG("registers preserved across svc", sum, 19 + 20 + 21 + 22 + 23 + 24 + 25 + 26 + 27 + 28 + 9 + 10 + 15 + 16 + 17 + 18);
}

static void test_brk_undef(void)
{
    t_section("BRK and undefined instructions");
    uint64_t here;
    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tbrk #0x42" : "=r"(here) :: "memory");
    CHECK_EQ_MSG("brk taken", seen.count, 1);
    CHECK_EQ_MSG("brk EC", ESR_EC(seen.esr), EC_BRK64);
    CHECK_EQ_MSG("brk ISS = imm16", ESR_ISS(seen.esr), 0x42);
    CHECK_EQ_MSG("brk ELR = the brk", seen.elr, here);

    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tudf #0x1234" : "=r"(here) :: "memory");
    CHECK_EQ_MSG("udf ESR (EC 0, IL 1)", seen.esr, 0x02000000ull);
    CHECK_EQ_MSG("udf ELR", seen.elr, here);

    expect(ACT_SKIP);
    /* op1 (bits 28:25) = 0b0001 is unallocated in every version of A64 */
    __asm__ __volatile__("adr %0, 1f\n1:\t.inst 0x02000000" : "=r"(here) :: "memory");
    CHECK_EQ_MSG("unallocated encoding ESR", seen.esr, 0x02000000ull);
    CHECK_EQ_MSG("unallocated encoding ELR", seen.elr, here);

    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\thlt #1" : "=r"(here) :: "memory");
    CHECK_EQ_MSG("hlt #1 (halting disabled) ESR", seen.esr, 0x02000000ull);
    CHECK_EQ_MSG("hlt #1 ELR", seen.elr, here);

    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tsmc #0" : "=r"(here) :: "x0", "x1", "x2", "x3", "memory");
    CHECK_EQ_MSG("smc without EL3 ESR", seen.esr, 0x02000000ull);
    CHECK_EQ_MSG("smc ELR", seen.elr, here);
}

static void test_aborts(void)
{
    t_section("data and instruction aborts");
    uint64_t here, v = 0x5555;
    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(here), "+r"(v) : "r"(UNMAPPED_PA) : "memory");
    CHECK_EQ_MSG("load abort taken", seen.count, 1);
    CHECK_EQ_MSG("load abort EC", ESR_EC(seen.esr), EC_DABT_CUR);
    CHECK_EQ_MSG("load abort DFSC (synchronous external abort)", ESR_DFSC(seen.esr), 0x10);
    CHECK_MSG(!(seen.esr & ESR_DABT_WNR), "load abort WnR = 0");
    CHECK_MSG((seen.esr & ESR_DABT_FNV) || seen.far == UNMAPPED_PA, "load abort FAR (or FnV)");
    CHECK_EQ_MSG("load abort ELR", seen.elr, here);

    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tstr %w1, [%2, #8]" : "=&r"(here) : "r"(v), "r"(UNMAPPED_PA) : "memory");
    CHECK_EQ_MSG("store abort EC", ESR_EC(seen.esr), EC_DABT_CUR);
    CHECK_EQ_MSG("store abort DFSC", ESR_DFSC(seen.esr), 0x10);
    CHECK_MSG(seen.esr & ESR_DABT_WNR, "store abort WnR = 1");
    CHECK_MSG((seen.esr & ESR_DABT_FNV) || seen.far == UNMAPPED_PA + 8, "store abort FAR (or FnV)");
    CHECK_EQ_MSG("store abort ELR", seen.elr, here);

    expect(ACT_SKIP);
    __asm__ __volatile__("adr %0, 1f\n1:\tldrb %w1, [%2]" : "=&r"(here), "+r"(v) : "r"(BEYOND_PA + 3) : "memory");
    CHECK_EQ_MSG("address size fault EC", ESR_EC(seen.esr), EC_DABT_CUR);
    CHECK_EQ_MSG("address size fault DFSC (level 0)", ESR_DFSC(seen.esr), 0x00);
    CHECK_EQ_MSG("address size fault FAR", seen.far, BEYOND_PA + 3);
    CHECK_EQ_MSG("address size fault ELR", seen.elr, here);

    /* Branch to an unmapped address: the fetch aborts; FAR = ELR = the target. */
    expect(ACT_RETURN);
    register uint64_t target __asm__("x0") = UNMAPPED_PA + 0x40;
    __asm__ __volatile__("blr x0" : "+r"(target) :: "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
                         "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "memory");
    CHECK_EQ_MSG("instruction abort EC", ESR_EC(seen.esr), EC_IABT_CUR);
    CHECK_EQ_MSG("instruction abort IFSC", ESR_DFSC(seen.esr), 0x10);
    CHECK_EQ_MSG("instruction abort ELR", seen.elr, UNMAPPED_PA + 0x40);
    CHECK_EQ_MSG("instruction abort FAR", seen.far, UNMAPPED_PA + 0x40);

    expect(ACT_RETURN);
    target = BEYOND_PA;
    __asm__ __volatile__("blr x0" : "+r"(target) :: "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
                         "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "memory");
    CHECK_EQ_MSG("instruction address size fault EC", ESR_EC(seen.esr), EC_IABT_CUR);
    CHECK_EQ_MSG("instruction address size fault IFSC", ESR_DFSC(seen.esr), 0x00);

    /* Branch to a misaligned address inside this function. */
    expect(ACT_RETURN);
    uint64_t mis;
    __asm__ __volatile__("adr %0, 1f\n\tadd %0, %0, #2\n\tmov x0, %0\n\tblr x0\n\tb 2f\n"
                         "1:\tnop\n\tnop\n2:"
                         : "=&r"(mis) :: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
                           "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "memory");
    CHECK_EQ_MSG("pc alignment fault taken", seen.count, 1);
    CHECK_EQ_MSG("pc alignment fault EC", ESR_EC(seen.esr), EC_PC_ALIGN);
    CHECK_EQ_MSG("pc alignment fault ISS", ESR_ISS(seen.esr), 0);
    CHECK_EQ_MSG("pc alignment fault ELR", seen.elr, mis);
    CHECK_EQ_MSG("pc alignment fault FAR", seen.far, mis);
}

static void test_bookkeeping(void)
{
    t_section("runtime bookkeeping");
    uint64_t before = fw_exception_count;
    expect(ACT_SKIP);
    for (int i = 0; i < 10; i++)
        __asm__ __volatile__("brk #1" ::: "memory");
    CHECK_EQ_MSG("ten brk exceptions counted", fw_exception_count - before, 10);
    CHECK_EQ_MSG("handler saw ten", seen.count, 10);
    fw_sync_handler_t prev = fw_set_sync_handler(NULL);
    CHECK_MSG(prev == handler, "fw_set_sync_handler returns the previous handler");
    fw_set_sync_handler(handler);
    CHECK_EQ_MSG("VBAR_EL1 = __vectors", read_sysreg(VBAR_EL1), (uintptr_t)__vectors);
}

int main(int argc, char **argv)
{
    t_begin("exceptions");
    fw_set_sync_handler(handler);
    test_svc();
    test_brk_undef();
    test_aborts();
    test_bookkeeping();
    if (argc > 1 && strcmp(argv[1], "unexpected") == 0) {
        printf("now an unhandled UDF: the runtime reports it and exits with status %d\n",
               FW_EXIT_UNEXPECTED_EXCEPTION);
        fw_set_sync_handler(NULL);
        __asm__ __volatile__("udf #0xbad");
    }
    return t_end();
}
