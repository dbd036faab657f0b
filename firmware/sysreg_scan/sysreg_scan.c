/* sysreg_scan: every encoding of the system register and system instruction space at EL1, for
 * the comparison of httusim with QEMU (tests/sysreg_scan/).
 *
 * Four classes of 16384 encodings each (op1 0-7, CRn 0-15, CRm 0-15, op2 0-7), in this order:
 *   mrs   MRS  x0, S3_<op1>_C<n>_C<m>_<op2>
 *   msr   MSR  S3_<op1>_C<n>_C<m>_<op2>, x0   writing back what MRS read (0 where MRS is
 *         UNDEFINED), except for the registers of skip_write() that hold translation, exception
 *         or PSTATE state: those are not written at all
 *   sys   SYS  #<op1>, C<n>, C<m>, #<op2>, x0   x0 = the start of a 4 KiB scratch buffer, so that
 *         DC ZVA / DC GZVA zero scratch bytes and DC/IC/AT/TLBI by address name scratch memory
 *   sysl  SYSL x0, #<op1>, C<n>, C<m>, #<op2>
 * The probes are in probes.S. The MMU stays off.
 *
 * Output: one line for every encoding that does not take the UNDEFINED exception (ESR_EL1 =
 * 0x02000000: EC 0x00, IL = 1), so an encoding with no line is UNDEFINED:
 *   mrs s3_<op1>_c<n>_c<m>_<op2> = 0x<value>
 *   msr s3_<op1>_c<n>_c<m>_<op2> ok | skip
 *   sys s1_<op1>_c<n>_c<m>_<op2> ok
 *   sysl s1_<op1>_c<n>_c<m>_<op2> = 0x<value>
 *   <class> <encoding> exception esr=0x<ESR_EL1>     (any other exception, e.g. a trap)
 * and one summary line per class: "<class>: <n> encodings, <u> undefined, <e> other exception,
 * <x> executed, <s> skipped". */
#include "fw.h"

#define SCAN_KEYS 16384u
#define ESR_UNDEFINED 0x02000000ull

typedef uint64_t (*probe_fn)(uint64_t x0);

extern char sysreg_scan_mrs[], sysreg_scan_msr[], sysreg_scan_sys[], sysreg_scan_sysl[];

static uint8_t scratch[4096] __attribute__((aligned(4096)));

/* Set by the handler when the probe instruction took an exception. */
static volatile int probe_faulted;
static volatile uint64_t probe_esr;

static int skip_probe_instruction(struct fw_frame *f)
{
    probe_faulted = 1;
    probe_esr = f->esr;
    f->elr += 4;
    return 1;
}

static probe_fn probe_at(char *table, unsigned key)
{
    return (probe_fn)(uintptr_t)(table + 8u * key);
}

/* Runs one probe: returns 1 and *value when it executed, 0 and *esr when it took an exception. */
static int run_probe(char *table, unsigned key, uint64_t x0, uint64_t *value, uint64_t *esr)
{
    probe_faulted = 0;
    uint64_t v = probe_at(table, key)(x0);
    if (probe_faulted) {
        *esr = probe_esr;
        return 0;
    }
    *value = v;
    return 1;
}

#define KEY(op1, crn, crm, op2) (((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* Registers the MSR pass does not write, even with the value just read: what controls
 * translation (SCTLR_EL1, TCR_EL1, TTBR0/1_EL1, TCR2_EL1, SCTLR2_EL1), exception state
 * (VBAR_EL1, ELR_EL1, SPSR_EL1, SP_EL0, CPACR_EL1) and the PSTATE fields (SPSel, PAN, UAO,
 * ALLINT, NZCV, DAIF, SVCR, DIT, SSBS, TCO). */
static int skip_write(unsigned key)
{
    static const uint16_t skipped[] = {
        KEY(0, 1, 0, 0),  /* SCTLR_EL1 */
        KEY(0, 1, 0, 2),  /* CPACR_EL1 */
        KEY(0, 1, 0, 3),  /* SCTLR2_EL1 */
        KEY(0, 2, 0, 0),  /* TTBR0_EL1 */
        KEY(0, 2, 0, 1),  /* TTBR1_EL1 */
        KEY(0, 2, 0, 2),  /* TCR_EL1 */
        KEY(0, 2, 0, 3),  /* TCR2_EL1 */
        KEY(0, 4, 0, 0),  /* SPSR_EL1 */
        KEY(0, 4, 0, 1),  /* ELR_EL1 */
        KEY(0, 4, 1, 0),  /* SP_EL0 */
        KEY(0, 4, 2, 0),  /* SPSel */
        KEY(0, 4, 2, 3),  /* PAN */
        KEY(0, 4, 2, 4),  /* UAO */
        KEY(0, 4, 3, 0),  /* ALLINT */
        KEY(0, 12, 0, 0), /* VBAR_EL1 */
        KEY(3, 4, 2, 0),  /* NZCV */
        KEY(3, 4, 2, 1),  /* DAIF */
        KEY(3, 4, 2, 2),  /* SVCR */
        KEY(3, 4, 2, 5),  /* DIT */
        KEY(3, 4, 2, 6),  /* SSBS */
        KEY(3, 4, 2, 7),  /* TCO */
    };
    for (unsigned i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
        if (skipped[i] == key)
            return 1;
    return 0;
}

struct tally {
    unsigned undefined, other, executed, skipped;
};

static void print_encoding(const char *cls, unsigned op0, unsigned key)
{
    printf("%s s%u_%u_c%u_c%u_%u", cls, op0, key >> 11, (key >> 7) & 0xf, (key >> 3) & 0xf,
           key & 7);
}

/* Prints the line of an encoding that did not execute; returns 1 if it was UNDEFINED. */
static int report_exception(const char *cls, unsigned op0, unsigned key, uint64_t esr,
                            struct tally *t)
{
    if (esr == ESR_UNDEFINED) {
        t->undefined++;
        return 1;
    }
    t->other++;
    print_encoding(cls, op0, key);
    printf(" exception esr=0x%08lx\n", (unsigned long)esr);
    return 0;
}

static void print_summary(const char *cls, const struct tally *t)
{
    printf("%s: %u encodings, %u undefined, %u other exception, %u executed, %u skipped\n", cls,
           t->undefined + t->other + t->executed + t->skipped, t->undefined, t->other,
           t->executed, t->skipped);
}

/* mrs and sysl: the value read is printed. */
static void scan_reads(const char *cls, unsigned op0, char *table)
{
    struct tally t = {0};
    for (unsigned key = 0; key < SCAN_KEYS; key++) {
        uint64_t value, esr;
        if (!run_probe(table, key, 0, &value, &esr)) {
            report_exception(cls, op0, key, esr, &t);
            continue;
        }
        t.executed++;
        print_encoding(cls, op0, key);
        printf(" = 0x%016lx\n", (unsigned long)value);
    }
    print_summary(cls, &t);
}

static void scan_msr(void)
{
    struct tally t = {0};
    for (unsigned key = 0; key < SCAN_KEYS; key++) {
        uint64_t value = 0, esr;
        if (skip_write(key)) {
            t.skipped++;
            print_encoding("msr", 3, key);
            printf(" skip\n");
            continue;
        }
        if (!run_probe(sysreg_scan_mrs, key, 0, &value, &esr))
            value = 0;
        if (!run_probe(sysreg_scan_msr, key, value, &value, &esr)) {
            report_exception("msr", 3, key, esr, &t);
            continue;
        }
        t.executed++;
        print_encoding("msr", 3, key);
        printf(" ok\n");
    }
    print_summary("msr", &t);
}

static void scan_sys(void)
{
    struct tally t = {0};
    for (unsigned key = 0; key < SCAN_KEYS; key++) {
        uint64_t value, esr;
        if (!run_probe(sysreg_scan_sys, key, (uintptr_t)scratch, &value, &esr)) {
            report_exception("sys", 1, key, esr, &t);
            continue;
        }
        t.executed++;
        print_encoding("sys", 1, key);
        printf(" ok\n");
    }
    print_summary("sys", &t);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("sysreg_scan: MRS/MSR op0=3 and SYS/SYSL op0=1 at EL1, MMU off; "
           "encodings without a line are UNDEFINED\n");
    fw_set_sync_handler(skip_probe_instruction);
    scan_reads("mrs", 3, sysreg_scan_mrs);
    scan_msr();
    scan_sys();
    scan_reads("sysl", 1, sysreg_scan_sysl);
    fw_set_sync_handler(0);
    printf("sysreg_scan done\n");
    return 0;
}
