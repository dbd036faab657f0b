/* pvmfw's synchronous exception handler.
 *
 * Handled, and execution resumes:
 *  - Translation fault (DFSC 0x04-0x07) on an invalid entry tagged with a lazy device region, at
 *    an address inside that region: MMIO_GUARD_MAP the page (HVC 0xc600_0007), map it valid at
 *    stage 1 with the region's Device type (splitting a lazy block entry if needed), retry the
 *    access. Making an invalid entry valid needs no TLBI.
 *  - Permission fault (DFSC 0x0D-0x0F) on a write (WnR = 1) to a writable-clean page (DBM = 1,
 *    AP[2] = 1) in software dirty-tracking mode: clear AP[2] with a compare-and-swap on the
 *    descriptor (an atomic read-modify-write, as the hardware's own update is), TLBI VALE1,
 *    DSB ISH, ISB, retry the write.
 *  - UNDEFINED HVC (EC 0x00 on an HVC instruction: EL2 set HCR_EL2.HCD): x0 := NOT_SUPPORTED,
 *    skip the HVC, remember that there is no hypervisor.
 * Anything else: one report line (what, ESR, FAR, ELR), the register dump, exit PV_EXIT_FAULT.
 */
#include "fault.h"

#include "hyp.h"
#include "pt.h"

#define DFSC_TRANSLATION_L0 0x04u
#define DFSC_TRANSLATION_L3 0x07u
#define DFSC_PERMISSION_L1  0x0du
#define DFSC_PERMISSION_L3  0x0fu
#define HVC_MASK  0xffe0001fu
#define HVC_INSN  0xd4000002u /* HVC #imm16 */

static bool dying; /* pv_die is reporting: lazy device pages are mapped without the HVC */

__attribute__((noreturn)) static void unhandled(const struct fw_frame *f, const char *what)
{
    dying = true;
    printf("pvmfw: unhandled exception: %s: ESR=0x%08lx FAR=0x%lx ELR=0x%lx\n", what,
           (unsigned long)f->esr, (unsigned long)f->far, (unsigned long)f->elr);
    fw_dump_frame(f);
    fw_exit(PV_EXIT_FAULT);
}

void pv_die(int status, const char *fmt, ...)
{
    if (dying) {
        semihost_write0("pvmfw: error while reporting an error\n");
        fw_exit(status);
    }
    dying = true;
    va_list ap;
    va_start(ap, fmt);
    printf("pvmfw: error: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fw_exit(status);
}

/* A Translation fault: a lazily mapped device page? Returns NULL when handled, else why not. */
static const char *lazy_device_fault(uint64_t far)
{
    unsigned level;
    uint64_t *e = pt_lookup(far, &level);
    if (!e)
        return "Translation fault outside the VA space";
    uint64_t d = __atomic_load_n(e, __ATOMIC_RELAXED);
    if (d & PT_VALID)
        return "Translation fault on a valid entry";
    const struct pv_region *r = pv_region_of_tag(PT_SW_TAG_OF(d));
    if (!r || far - r->base >= r->size)
        return "Translation fault on an unmapped address";
    if (pv_opt.mmio == PV_MMIO_EAGER && !dying)
        return "Translation fault on a device page with eager MMIO guard mapping";
    uint64_t page = pv_align_down(far, PV_PAGE_SIZE);
    if (!dying)
        hyp_mmio_map(page);
    if (!pt_map(page, page, PV_PAGE_SIZE, PT_ATTR_DEVICE(r->mair_index), 0))
        return "Translation fault on a device page: translation table pool exhausted";
    if (!dying)
        pv_stats.mmio_faults++;
    return NULL;
}

/* A Permission fault on a write: software dirty tracking? NULL when handled, else why not. */
static const char *dirty_fault(uint64_t far)
{
    unsigned level;
    uint64_t *e = pt_lookup(far, &level);
    if (!e)
        return "Permission fault outside the VA space";
    uint64_t old = __atomic_load_n(e, __ATOMIC_RELAXED);
    if (!(old & PT_VALID) || !(old & PT_DBM))
        return "write to a read-only page";
    if (pv_mode != PV_MODE_SW)
        return "Permission fault on a writable-clean page with hardware dirty tracking";
    /* Writable-clean -> writable-dirty. The CAS fails if the descriptor changed meanwhile (the
     * hardware may set AF): re-read and retry. */
    for (;;) {
        uint64_t new = old & ~PT_AP2;
        if (new == old)
            break; /* already dirty: a stale TLB entry; the TLBI below retires it */
        if (__atomic_compare_exchange_n(e, &old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            break;
    }
    pt_tlbi_vale1(far);
    pv_stats.perm_faults++;
    return NULL;
}

int pv_sync_handler(struct fw_frame *f)
{
    uint64_t esr = f->esr;
    unsigned ec = ESR_EC(esr);
    if (ec == EC_UNKNOWN && (*(const uint32_t *)(uintptr_t)f->elr & HVC_MASK) == HVC_INSN) {
        hyp_mark_undefined();
        f->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
        f->elr += 4;
        return 1;
    }
    if (ec != EC_DABT_CUR)
        unhandled(f, ec == EC_IABT_CUR ? "instruction abort" : "unexpected exception class");
    if (esr & ESR_DABT_FNV)
        unhandled(f, "data abort without a valid FAR");
    unsigned dfsc = ESR_DFSC(esr);
    const char *why;
    if (dfsc >= DFSC_TRANSLATION_L0 && dfsc <= DFSC_TRANSLATION_L3)
        why = lazy_device_fault(f->far);
    else if (dfsc >= DFSC_PERMISSION_L1 && dfsc <= DFSC_PERMISSION_L3)
        why = (esr & ESR_DABT_WNR) ? dirty_fault(f->far) : "Permission fault on a read";
    else
        why = "data abort of an unexpected kind";
    if (why)
        unhandled(f, why);
    return 1;
}
