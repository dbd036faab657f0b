/* Stage 1 EL1&0 translation table walk, one descriptor access per step.
 *
 * Per level (ARM ARM D8.15.4 "MMU fault-checking sequence"; ASL AArch64.S1Walk):
 *   valid? -> descriptor type allowed at this level? -> address inside the output size? ->
 *   Table: accumulate hierarchical attributes, read the next level;
 *   Block/Page: Access flag -> alignment by memory type -> permissions -> hardware update.
 * The leaf order follows ASL AArch64.S1Translate: the Access flag fault is raised by the walk,
 * then the Alignment fault of the memory type, then the Permission check; only an access with no
 * fault builds a new descriptor (AF set with HA; AP[2] cleared for a write to a writable-clean
 * descriptor with HD) and swaps it in with a CAS, repeated on the value found until it sticks
 * (AArch64.MemSwapTableDesc loop).
 */
#include "vmsa/walk.h"

#include "vmsa/align.h"
#include "vmsa/s2_perms.h"

static vmsa_req req_final(const vmsa_walk *w)
{
    vmsa_req r = { 0 };
    r.level = w->level;
    if (w->phase == VMSA_WALK_DONE) {
        r.kind = VMSA_REQ_DONE;
        r.result = &w->result;
    } else {
        r.kind = VMSA_REQ_FAULT;
        r.fault = &w->fault;
    }
    return r;
}

static vmsa_req fail(vmsa_walk *w, vmsa_rule rule, int level)
{
    w->fault = vmsa_make_fault(rule, level, w->va, &w->acc);
    if (w->stage == 2) {
        w->fault.stage = 2;
        w->fault.ipa = w->va;
        if (w->s1ptw) {
            /* A fault on a stage 1 walk's descriptor access: WnR says whether that access was
             * the hardware update's write (ESR_EL2.ISS S1PTW, WnR). */
            w->fault.s1ptw = true;
            w->fault.write = w->s1_update;
        }
    }
    w->phase = VMSA_WALK_FAULTED;
    return req_final(w);
}

/* A READ of, or a CAS on, the descriptor at w->desc_pa (the CAS from w->desc to w->new_desc). */
static vmsa_req descriptor_request(const vmsa_walk *w, vmsa_req_kind kind)
{
    vmsa_req q = { 0 };
    q.kind = kind;
    q.level = w->level;
    q.addr = w->desc_pa;
    if (kind == VMSA_REQ_CAS) {
        q.old_desc = w->desc;
        q.new_desc = w->new_desc;
    }
    return q;
}

static vmsa_req read_level(vmsa_walk *w)
{
    const vmsa_range *r = vmsa_walk_range(w);
    w->desc_pa = w->table_pa[w->level] + vmsa_level_index(r, w->va_canonical, w->level) * 8;
    w->phase = VMSA_WALK_READING;
    w->reads++;
    return descriptor_request(w, VMSA_REQ_READ);
}

/* A stage 2 leaf's attributes: MemAttr (no MAIR, no nG: entries are tagged by VMID), and the
 * stage 2 permissions, which do not depend on the exception level. */
static void s2_result_attributes(vmsa_result *res, uint64_t desc, bool hd)
{
    res->attr = (uint8_t)((desc & S2DESC_MEMATTR_MASK) >> S2DESC_MEMATTR_SHIFT);
    res->device = s2desc_is_device(desc);
    res->global = true;
    res->asid = 0;
    res->perm_inputs = vmsa_s2_perm_inputs(desc, hd);
    uint8_t perms = 0;
    if (res->perm_inputs & VMSA_S2_PERM_INPUT_READ)
        perms |= VMSA_PERM_EL1_R | VMSA_PERM_EL0_R;
    if (res->perm_inputs & VMSA_S2_PERM_INPUT_WRITE)
        perms |= VMSA_PERM_EL1_W | VMSA_PERM_EL0_W;
    if (!(res->perm_inputs & VMSA_S2_PERM_INPUT_XN))
        perms |= VMSA_PERM_EL1_X | VMSA_PERM_EL0_X;
    res->perms = perms;
    res->dirty = vmsa_s2_dirty_state(desc, hd);
}

static vmsa_req done(vmsa_walk *w, uint64_t desc, bool af_updated, bool dirty_updated)
{
    const vmsa_range *r = vmsa_walk_range(w);
    unsigned shift = vmsa_level_shift(r, w->level);
    uint64_t offset_mask = (1ull << shift) - 1;
    uint8_t attrs = w->table_attrs[w->level];
    vmsa_result *res = &w->result;

    res->va = w->va_canonical;
    res->va_base = w->va_canonical & ~offset_mask;
    res->pa_base = desc & desc_oa_mask(shift);
    res->pa = res->pa_base | (w->va_canonical & offset_mask);
    res->size_log2 = (uint8_t)shift;
    res->level = w->level;
    res->asid = w->p.asid;
    res->global = !(desc & DESC_NG);
    res->attr = mair_attr(w->p.mair, desc_attrindx(desc));
    res->device = mair_is_device(res->attr);
    res->sh = (uint8_t)((desc & DESC_SH_MASK) >> DESC_SH_SHIFT);
    res->contiguous = (desc & DESC_CONTIG) != 0;
    res->perm_inputs = vmsa_perm_inputs(desc, attrs, w->p.hd, w->p.wxn);
    res->perms = vmsa_perms_from_inputs(res->perm_inputs);
    res->dirty = vmsa_dirty_state(desc, w->p.hd);
    if (w->stage == 2)
        s2_result_attributes(res, desc, w->p.hd);
    res->desc_pa = w->desc_pa;
    res->desc = desc;
    res->af_updated = af_updated;
    res->dirty_updated = dirty_updated;
    w->phase = VMSA_WALK_DONE;
    return req_final(w);
}

/* After the leaf checks passed: swap in `new_desc` by CAS, or finish when nothing changes. */
static vmsa_req update(vmsa_walk *w, uint64_t desc, uint64_t new_desc)
{
    if (new_desc == desc)
        return done(w, desc, false, false);
    w->desc = desc;
    w->new_desc = new_desc;
    w->phase = VMSA_WALK_UPDATING;
    w->cas_issued++;
    return descriptor_request(w, VMSA_REQ_CAS);
}

/* Stage 2 Block or Page descriptor (ASL AArch64.S2Translate after AArch64.S2Walk): the Access
 * flag, then for a data access or fetch the alignment of the stage 2 memory type and the stage 2
 * permissions, or for a stage 1 walk's descriptor access what that access needs; then the
 * hardware update. A stage 1 walk's read never dirties; its hardware update write does. */
static vmsa_req s2_leaf(vmsa_walk *w, uint64_t desc)
{
    const vmsa_params *p = &w->p;
    if (!(desc & DESC_AF) && !p->ha)
        return fail(w, VMSA_RULE_AF_CLEAR, w->level);

    uint8_t in = vmsa_s2_perm_inputs(desc, p->hd);
    vmsa_rule rule;
    if (w->s1ptw) {
        rule = vmsa_s2_check_walk_access(in, w->s1_update, w->s2_ptw);
    } else {
        rule = vmsa_check_alignment(s2desc_is_device(desc), w->acc.type, w->va, w->acc.size);
        if (rule == VMSA_RULE_NONE)
            rule = vmsa_s2_check_permission(in, &w->acc);
    }
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, w->level);

    vmsa_access descriptor_read = { 0 };
    descriptor_read.type = VMSA_ACC_READ;
    const vmsa_access *acc = w->s1ptw ? &descriptor_read : &w->acc;
    return update(w, desc, vmsa_s2_updated_desc(desc, in, p->ha, acc, w->s1_update));
}

/* Block or Page descriptor at w->level: the leaf checks and the hardware update decision
 * (ASL AArch64.S1Translate after AArch64.S1Walk; D8.5.1.2 R_HDTRB, D8.5.2.1 R_NSXRD). */
static vmsa_req leaf(vmsa_walk *w, uint64_t desc)
{
    if (w->stage == 2)
        return s2_leaf(w, desc);
    const vmsa_params *p = &w->p;
    int level = w->level;

    /* D8.5.1.1 R_SWTYY: AF = 0 without hardware AF management. */
    if (!(desc & DESC_AF) && !p->ha)
        return fail(w, VMSA_RULE_AF_CLEAR, level);

    bool device = mair_is_device(mair_attr(p->mair, desc_attrindx(desc)));
    vmsa_rule rule = vmsa_check_alignment(device, w->acc.type, w->va, w->acc.size);
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, level);

    uint16_t in = vmsa_perm_inputs(desc, w->table_attrs[level], p->hd, p->wxn);
    rule = vmsa_check_permission(in, &w->acc);
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, level);

    uint64_t new_desc = desc;
    if (p->ha)
        new_desc |= DESC_AF;
    /* Writable-clean (HD, DBM = 1, AP[2] = 1) and the access writes: AP[2] -> 0. The permission
     * check above already passed with AP[2] taken as 0, so AP[2] was the only obstacle. */
    if ((in & VMSA_PERM_INPUT_WCLEAN) && vmsa_acc_updates_dirty(w->acc.type))
        new_desc &= ~DESC_AP2;
    return update(w, desc, new_desc);
}

/* A descriptor read (or re-read after a failed CAS) at w->level (D8.15.4 steps 5-7). */
static vmsa_req descriptor(vmsa_walk *w, uint64_t desc)
{
    const vmsa_range *r = vmsa_walk_range(w);
    int level = w->level;
    bool type_bit = (desc & DESC_TYPE_TABLE) != 0;

    if (!(desc & DESC_VALID))
        return fail(w, VMSA_RULE_INVALID_DESC, level);
    if (level == 3 && !type_bit)
        return fail(w, VMSA_RULE_RESERVED_DESC, level);  /* D8.15.1.1 R_KRMJZ */
    if (level < 3 && !type_bit && !vmsa_block_allowed(r->granule, level))
        return fail(w, VMSA_RULE_BLOCK_NOT_ALLOWED, level);

    bool table = level < 3 && type_bit;
    /* D8.15.1.2 R_CVSBH: address bits above the output size fault at this level. */
    if (r->granule == VMSA_GRANULE_64K && (desc & DESC_OA_51_48_64K))
        return fail(w, VMSA_RULE_OA_64K_HIGH_BITS, level);
    uint64_t addr = desc & desc_oa_mask(r->granule);
    if (w->p.oasize < 48 && (addr >> w->p.oasize) != 0)
        return fail(w, table ? VMSA_RULE_TABLE_ADDR_TOO_LARGE : VMSA_RULE_OA_TOO_LARGE, level);

    if (!table)
        return leaf(w, desc);

    /* Stage 2 Table descriptors have no hierarchical controls (bits[63:59] are ignored). */
    if (w->stage == 1)
        w->table_attrs[level + 1] = vmsa_table_attrs_add(w->table_attrs[level], desc, r->hpd);
    w->table_pa[level + 1] = addr;
    w->level = (int8_t)(level + 1);
    return read_level(w);
}

/* Common start: snapshot, level 0 checks. Returns VMSA_RULE_NONE when the walk may read. */
/* Common start of a walk of either stage: the parameter snapshot, the input address (and its
 * canonical form and range), counters cleared, positioned at the range's start level. */
static void reset(vmsa_walk *w, const vmsa_params *p, const vmsa_access *acc, uint64_t va,
                  uint64_t va_canonical, unsigned range_index, uint8_t stage)
{
    w->p = *p;
    w->acc = *acc;
    w->va = va;
    w->va_canonical = va_canonical;
    w->range_index = (uint8_t)range_index;
    w->reads = 0;
    w->cas_issued = 0;
    w->cas_retries = 0;
    w->desc_pa = 0;
    w->desc = 0;
    w->new_desc = 0;
    w->stage = stage;
    w->s1ptw = false;
    w->s1_update = false;
    w->s2_ptw = false;
    for (int l = 0; l < 4; l++) {
        w->table_pa[l] = 0;
        w->table_attrs[l] = 0;
    }
    w->level = vmsa_walk_range(w)->start_level;
    w->first_level = w->level;
}

/* Stage 1 start: snapshot, level 0 checks. Returns VMSA_RULE_NONE when the walk may read. */
static vmsa_rule begin(vmsa_walk *w, const vmsa_params *p, uint64_t va, const vmsa_access *acc)
{
    reset(w, p, acc, va, vmsa_va_sign_extend55(va), vmsa_va_range_index(va), 1);
    return vmsa_check_va(p, va);
}

vmsa_req vmsa_walk_start(vmsa_walk *w, const vmsa_params *p, uint64_t va, const vmsa_access *acc)
{
    vmsa_rule rule = begin(w, p, va, acc);
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, 0);
    const vmsa_range *r = vmsa_walk_range(w);
    /* D8.15.1.2 R_BFHQH: a TTBR base above the output size is an Address size fault, level 0. */
    if (w->p.oasize < 48 && (r->ttbr_baddr >> w->p.oasize) != 0)
        return fail(w, VMSA_RULE_TTBR_ADDR_TOO_LARGE, 0);
    w->table_pa[w->level] = r->table_base;
    return read_level(w);
}

vmsa_req vmsa_walk_start_at(vmsa_walk *w, const vmsa_params *p, uint64_t va,
                            const vmsa_access *acc, int level, uint64_t table_pa,
                            uint8_t table_attrs)
{
    const vmsa_range *r = &p->range[vmsa_va_range_index(va)];
    if (level <= r->start_level || level > 3)
        return vmsa_walk_start(w, p, va, acc);
    vmsa_rule rule = begin(w, p, va, acc);
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, 0);
    w->level = (int8_t)level;
    w->first_level = (int8_t)level;
    w->table_pa[level] = table_pa;
    w->table_attrs[level] = table_attrs;
    return read_level(w);
}

vmsa_hw_change vmsa_hw_update_change(uint64_t old_desc, uint64_t new_desc)
{
    vmsa_hw_change c;
    c.af = !(old_desc & DESC_AF) && (new_desc & DESC_AF);
    c.dirty = (old_desc & DESC_AP2) && !(new_desc & DESC_AP2);
    return c;
}

vmsa_hw_change vmsa_s2_hw_update_change(uint64_t old_desc, uint64_t new_desc)
{
    vmsa_hw_change c;
    c.af = !(old_desc & DESC_AF) && (new_desc & DESC_AF);
    c.dirty = !(old_desc & S2DESC_S2AP_W) && (new_desc & S2DESC_S2AP_W);
    return c;
}

vmsa_req vmsa_walk_start_s2(vmsa_walk *w, const vmsa_s2_params *p, uint64_t ipa,
                            const vmsa_access *acc, bool s1ptw, bool s1_update)
{
    /* The walk's parameter block holds stage 2's range in range[0] and its output size and
     * HA/HD; the stage 1 fields (MAIR, ASID, WXN, the TTBR1 range) stay zero. */
    vmsa_params params = { 0 };
    params.range[0] = p->range;
    params.oasize = p->oasize;
    params.ha = p->ha;
    params.hd = p->hd;
    params.mmu_enabled = p->enabled;
    reset(w, &params, acc, ipa, ipa, 0, 2);
    w->s1ptw = s1ptw;
    w->s1_update = s1ptw && s1_update;
    w->s2_ptw = p->ptw;
    vmsa_rule rule = vmsa_s2_check_ipa(p, ipa);
    if (rule != VMSA_RULE_NONE)
        return fail(w, rule, 0);
    w->table_pa[w->level] = p->range.table_base;
    return read_level(w);
}

vmsa_req vmsa_walk_step(vmsa_walk *w, uint64_t value)
{
    switch (w->phase) {
    case VMSA_WALK_READING:
        return descriptor(w, value);
    case VMSA_WALK_UPDATING:
        if (value == w->desc) {
            vmsa_hw_change c = w->stage == 2 ? vmsa_s2_hw_update_change(w->desc, w->new_desc)
                                             : vmsa_hw_update_change(w->desc, w->new_desc);
            return done(w, w->new_desc, c.af, c.dirty);
        }
        /* Memory changed since the read: evaluate what is there now, from the start of this
         * level's checks (D8.5.2.1 I_YZSVV). */
        w->cas_retries++;
        return descriptor(w, value);
    case VMSA_WALK_IDLE:
    case VMSA_WALK_DONE:
    case VMSA_WALK_FAULTED:
        break;
    }
    return req_final(w);
}
