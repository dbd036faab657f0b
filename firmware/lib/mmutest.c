/* Helpers shared by the MMU test programs (mmutest.h). */
#include "mmutest.h"

volatile struct mt_record mt_seen;
static enum mt_action action = MT_NONE;
static unsigned fixes_in_a_row;

/* mt_call(target, arg): BLR to target with x0 = arg. The frame record keeps X30 of the caller;
 * the handler's MT_RETURN resumes after the BLR with X30 = the return address. */
__asm__(".pushsection .text.mt_call, \"ax\"\n"
        ".global mt_call\n"
        ".type mt_call, %function\n"
        "mt_call:\n"
        "   stp x29, x30, [sp, #-16]!\n"
        "   mov x29, sp\n"
        "   mov x16, x0\n"
        "   mov x0, x1\n"
        "   blr x16\n"
        "   ldp x29, x30, [sp], #16\n"
        "   ret\n"
        ".size mt_call, . - mt_call\n"
        ".popsection\n"
        /* The probe: alone in a 4 KiB page. */
        ".pushsection .text.mt_probe, \"ax\"\n"
        ".balign 4096\n"
        ".global mt_probe_page\n"
        ".type mt_probe_page, %function\n"
        "mt_probe_page:\n"
        "   add x0, x0, #1\n"
        "   ret\n"
        ".balign 4096\n"
        ".size mt_probe_page, . - mt_probe_page\n"
        ".popsection\n");

static bool is_abort(uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    return ec == EC_DABT_CUR || ec == EC_IABT_CUR;
}

static void fix_leaf(struct fw_frame *f, uint64_t set, uint64_t clear, uint64_t need)
{
    uint64_t *d = mmu_leaf_desc(f->far, NULL);
    if (!d || (need && !(desc_read(d) & need))) {
        f->elr += 4; /* nothing to fix: really read-only (or unmapped) */
        return;
    }
    /* An atomic read-modify-write: hardware (or another agent) may update the descriptor at the
     * same time. */
    uint64_t old = set ? desc_set_bits(d, set) : desc_clear_bits(d, clear);
    mt_seen.desc_before = old;
    mt_seen.desc_after = desc_read(d);
    TLBI(vale1, tlbi_va_arg(f->far, mmu_asid()));
    dsb_ish();
    isb();
}

static int handler(struct fw_frame *f)
{
    if (!is_abort(f->esr) || action == MT_NONE)
        return 0;
    mt_seen.count++;
    mt_seen.esr = f->esr;
    mt_seen.far = f->far;
    mt_seen.elr = f->elr;
    uint64_t *d = mmu_leaf_desc(f->far, NULL);
    mt_seen.desc_before = mt_seen.desc_after = d ? desc_read(d) : 0;
    enum mt_action a = action;
    if (a == MT_FIX) {
        unsigned fsc = ESR_DFSC(f->esr);
        a = (fsc >= FSC_ACCESS_FLAG(0) && fsc <= FSC_ACCESS_FLAG(3)) ? MT_FIX_AF
          : (fsc >= FSC_PERMISSION(0) && fsc <= FSC_PERMISSION(3)) ? MT_FIX_DIRTY
          : MT_SKIP;
    }
    /* A fix that has nothing left to do (AF already 1, AP[2] already 0) did not take: after
     * MT_MAX_FIXES of those in a row, give up on the instruction. */
    bool done_already = d && ((a == MT_FIX_AF && (mt_seen.desc_before & DESC_AF)) ||
                              (a == MT_FIX_DIRTY && desc_is_dirty(mt_seen.desc_before)));
    fixes_in_a_row = done_already ? fixes_in_a_row + 1 : 0;
    if ((a == MT_FIX_AF || a == MT_FIX_DIRTY) && fixes_in_a_row > MT_MAX_FIXES) {
        printf("  (handler: %u aborts at ELR 0x%llx without progress, skipping it)\n",
               fixes_in_a_row, (unsigned long long)f->elr);
        fixes_in_a_row = 0;
        a = ESR_EC(f->esr) == EC_IABT_CUR ? MT_RETURN : MT_SKIP;
    }
    switch (a) {
    case MT_NONE:
    case MT_FIX:
        return 0;
    case MT_SKIP:
        f->elr += 4;
        break;
    case MT_RETURN:
        f->elr = f->x[30];
        f->x[0] = MT_CALL_FAULTED;
        break;
    case MT_FIX_AF:
        fix_leaf(f, DESC_AF, 0, 0);
        break;
    case MT_FIX_DIRTY:
        fix_leaf(f, 0, DESC_AP2, DESC_DBM);
        break;
    }
    return 1;
}

void mt_expect(enum mt_action a)
{
    fw_set_sync_handler(handler);
    action = a;
    fixes_in_a_row = 0;
    mt_seen.count = 0;
    mt_seen.esr = mt_seen.far = mt_seen.elr = 0;
    mt_seen.desc_before = mt_seen.desc_after = 0;
}

const char *mt_hw_name(uint64_t hw)
{
    switch (hw & (TCR_HA | TCR_HD)) {
    case 0: return "TCR_EL1.HA=0 HD=0";
    case TCR_HA: return "TCR_EL1.HA=1 HD=0";
    case TCR_HD: return "TCR_EL1.HA=0 HD=1";
    default: return "TCR_EL1.HA=1 HD=1";
    }
}

void mt_begin(const char *name)
{
    t_begin(name);
    unsigned h = mmu_hafdbs();
    printf("cpu: ID_AA64MMFR1_EL1.HAFDBS=%u (%s)\n", h, mmu_hafdbs_name(h));
}

void mt_enable(uint64_t hw)
{
    mmu_init();
    mmu_enable(hw);
    printf("mmu: on (4 KiB granule, 48-bit VA, identity map), %s\n", mt_hw_name(hw));
}

void mt_set_hw(uint64_t hw)
{
    mmu_set_hw(hw);
    printf("mmu: %s\n", mt_hw_name(hw));
}

void mt_print_desc(const char *what, uint64_t d)
{
    printf("  %s = 0x%016llx (%s%s%s%s%s%s%s)\n", what, (unsigned long long)d,
           (d & DESC_VALID) ? "valid" : "invalid", (d & DESC_AF) ? " AF" : "",
           (d & DESC_DBM) ? " DBM" : "", (d & DESC_AP2) ? " AP2" : "", (d & DESC_NG) ? " nG" : "",
           (d & DESC_PXN) ? " PXN" : "", (d & DESC_UXN) ? " UXN" : "");
}

void mt_check_abort(const char *what, uint64_t esr, uint64_t far, uint64_t elr)
{
    char msg[96];
    snprintf(msg, sizeof msg, "%s: one abort", what);
    CHECK_EQ_MSG(msg, mt_seen.count, 1);
    snprintf(msg, sizeof msg, "%s: ESR", what);
    CHECK_EQ_MSG(msg, mt_seen.esr, esr);
    snprintf(msg, sizeof msg, "%s: FAR", what);
    CHECK_EQ_MSG(msg, mt_seen.far, far);
    snprintf(msg, sizeof msg, "%s: ELR", what);
    CHECK_EQ_MSG(msg, mt_seen.elr, elr);
}

void mt_check_no_abort(const char *what)
{
    char msg[96];
    snprintf(msg, sizeof msg, "%s: no abort", what);
    CHECK_EQ_MSG(msg, mt_seen.count, 0);
}
