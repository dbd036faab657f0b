/* libFuzzer harness: random translation registers and descriptor trees in a plain memory array
 * through core/vmsa (the resumable walk, the walk cache, the TLB, the permission checks), with
 * forced CAS failures (docs/fuzzing.md).
 *
 * Input (fuzz_input.h conventions, little-endian, zero past the end):
 *   u64 sctlr, tcr, ttbr0, ttbr1, mair, mmfr0     (the registers vmsa_params_decode reads)
 *   u8  hafdbs   ID_AA64MMFR1_EL1.HAFDBS (modulo 3)
 *   u64 vabase[4]; u16 asid[4]
 *   u8  nchunks, then memory chunks (MEM_SIZE bytes at MEM_BASE)
 *   operations until the input ends (at most MAX_OPS), each starting with a kind byte:
 *     kind % 4 = 0, 1: walk: u8 access (type % 10, bit4 unpriv, bit5 PAN), u8 size (bit2: no
 *                     size, else 1 << bits[1:0]), u8 va selector, u32 offset (the VA is
 *                     vabase[sel & 3] + offset << sel[6:2]),
 *                     u8 second access, u8 its size, u8 forced CAS failures (& 3) and for each
 *                     { u8 how the concurrent writer changes the descriptor, u64 value }
 *     kind % 4 = 2: TLBI: u8 operation (one of the 12 EL1 TLBI encodings), u8 ASID selector,
 *                     u8 va selector, u32 offset
 *     kind % 4 = 3: context switch: u8 ASID selector (TTBR0/TTBR1.ASID = asid[sel & 3]; the
 *                     tables stay the same, so every ASID sees the same translations)
 *
 * Descriptor reads outside the memory are Synchronous External aborts that end the walk.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64/cpu.h"
#include "a64/vmsa_glue.h"
#include "fuzz_input.h"
#include "vmsa/desc.h"
#include "vmsa/params.h"
#include "vmsa/perms.h"
#include "vmsa/tlb.h"
#include "vmsa/tlbi.h"
#include "vmsa/walk.h"
#include "vmsa/walk_cache.h"

#define MEM_BASE 0x40000000ull
#define MEM_SIZE 0x80000ull
#define MAX_OPS 48
#define MAX_FAILS 3
/* Reads: one per level (0..3); CAS: one, plus one more per forced failure. */
#define MAX_REQUESTS (4 + MAX_FAILS + 1)

static struct {
    uint64_t inputs, ops, walks, walks_done, walks_faulted, walks_aborted, cas_ok, cas_forced_fail,
        wc_resumes, oracle_compared, oracle_skipped, tlb_checks, tlbis;
} stats;

static void print_stats(void)
{
    fprintf(stderr,
            "fuzz_vmsa: inputs %llu, operations %llu, walks %llu (done %llu, faulted %llu, "
            "external abort %llu), successful CAS %llu, forced CAS failures %llu, walk-cache "
            "resumes compared %llu, live walks checked against a fresh walk %llu (skipped %llu), "
            "TLB insert/lookup checks %llu, TLBIs %llu\n",
            (unsigned long long)stats.inputs, (unsigned long long)stats.ops,
            (unsigned long long)stats.walks, (unsigned long long)stats.walks_done,
            (unsigned long long)stats.walks_faulted, (unsigned long long)stats.walks_aborted,
            (unsigned long long)stats.cas_ok, (unsigned long long)stats.cas_forced_fail,
            (unsigned long long)stats.wc_resumes, (unsigned long long)stats.oracle_compared,
            (unsigned long long)stats.oracle_skipped, (unsigned long long)stats.tlb_checks,
            (unsigned long long)stats.tlbis);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    atexit(print_stats);
    return 0;
}

static uint8_t *mem;   /* exactly MEM_SIZE bytes (AddressSanitizer bounds) */

static bool mem_ok(uint64_t pa) { return pa >= MEM_BASE && pa - MEM_BASE <= MEM_SIZE - 8; }
static uint64_t mem_read(uint64_t pa)
{
    uint64_t v;
    memcpy(&v, mem + (pa - MEM_BASE), 8);
    return v;
}
static void mem_write(uint64_t pa, uint64_t v) { memcpy(mem + (pa - MEM_BASE), &v, 8); }

static uint64_t canonical(uint64_t va) { return (uint64_t)((int64_t)(va << 8) >> 8); }

/* ---- driving a walk ------------------------------------------------------------------------ */

typedef struct cas_script {
    unsigned fails;                     /* failures still to force */
    uint8_t how[MAX_FAILS];
    uint64_t value[MAX_FAILS];
    unsigned next;
} cas_script;

typedef struct walk_out {
    vmsa_req_kind kind;       /* DONE, FAULT, or READ for a Synchronous External abort */
    vmsa_result res;
    vmsa_fault fault;
    uint64_t abort_addr;
    int abort_level;
    unsigned reads, cas, cas_ok, cas_failed;
    uint64_t read_addr[MAX_REQUESTS];
    int8_t read_level[MAX_REQUESTS];
    bool concurrent_write;    /* the script changed memory */
    uint64_t cw_addr;
    uint64_t dirty_cas;       /* a CAS that cleared AP[2] was requested */
} walk_out;

/* The value a "concurrent writer" stores before the walk's CAS reaches memory. */
static uint64_t concurrent_value(uint8_t how, uint64_t value, uint64_t old, uint64_t new_desc)
{
    switch (how & 7) {
    case 0: return value;
    case 1: return old ^ (1ull << (value & 63));
    case 2: return new_desc;                       /* another agent made the same update */
    case 3: return old & ~DESC_VALID;              /* invalidated (break-before-make) */
    case 4: return old | DESC_AF;
    case 5: return old ^ DESC_AP2;
    case 6: return old ^ DESC_DBM;
    default: return (old & ~DESC_OA_MASK_4K) | (value & DESC_OA_MASK_4K);   /* remapped */
    }
}

/* Answer the walk's requests from memory until it ends. `live`: perform the hardware updates
 * (with the script's forced failures); otherwise answer a CAS as if it had succeeded without
 * writing (AT, debug). Checks the request protocol as it goes. */
static void drive(vmsa_walk *w, vmsa_req r, bool live, cas_script *script, walk_out *o)
{
    memset(o, 0, sizeof(*o));
    const vmsa_params *p = &w->p;
    uint64_t last_addr = 0, last_value = 0;
    int last_level = -1;
    bool have_value = false;
    unsigned requests = 0;
    stats.walks++;
    while (r.kind == VMSA_REQ_READ || r.kind == VMSA_REQ_CAS) {
        FUZZ_CHECK(++requests <= MAX_REQUESTS, "walk of 0x%llx: more than %d requests",
                   (unsigned long long)w->va, MAX_REQUESTS);
        FUZZ_CHECK(r.level >= 0 && r.level <= 3, "request at level %d", r.level);
        FUZZ_CHECK((r.addr & 7) == 0, "descriptor address 0x%llx not 8-byte aligned",
                   (unsigned long long)r.addr);
        uint64_t v;
        if (r.kind == VMSA_REQ_READ) {
            /* Each read is one level deeper than the last (the walk never goes back up). */
            FUZZ_CHECK(r.level > last_level, "read at level %d after level %d", r.level,
                       last_level);
            if (!mem_ok(r.addr)) {
                o->kind = VMSA_REQ_READ;
                o->abort_addr = r.addr;
                o->abort_level = r.level;
                stats.walks_aborted++;
                return;
            }
            o->read_addr[o->reads] = r.addr;
            o->read_level[o->reads] = r.level;
            o->reads++;
            v = mem_read(r.addr);
            last_addr = r.addr;
            last_level = r.level;
        } else {
            /* A CAS updates the descriptor just read (or the value a failed CAS returned): same
             * address, expects exactly that value, and changes only AF (set, with HA) and AP[2]
             * (cleared, with HD and DBM, for an access that writes) (D8.5.1, D8.5.2). */
            o->cas++;
            FUZZ_CHECK(have_value && r.addr == last_addr && r.level == last_level,
                       "CAS at 0x%llx level %d, last read 0x%llx level %d",
                       (unsigned long long)r.addr, r.level, (unsigned long long)last_addr,
                       last_level);
            FUZZ_CHECK(r.old_desc == last_value, "CAS expects 0x%llx, the walk was given 0x%llx",
                       (unsigned long long)r.old_desc, (unsigned long long)last_value);
            uint64_t changed = r.old_desc ^ r.new_desc;
            FUZZ_CHECK(changed != 0 && (changed & ~(DESC_AF | DESC_AP2)) == 0,
                       "CAS 0x%llx -> 0x%llx", (unsigned long long)r.old_desc,
                       (unsigned long long)r.new_desc);
            FUZZ_CHECK(!(changed & DESC_AF) || (p->ha && (r.new_desc & DESC_AF)),
                       "CAS changes AF 0x%llx -> 0x%llx (HA %d)", (unsigned long long)r.old_desc,
                       (unsigned long long)r.new_desc, p->ha);
            if (changed & DESC_AP2) {
                FUZZ_CHECK(p->hd && (r.old_desc & DESC_DBM) && (r.old_desc & DESC_AP2) &&
                               vmsa_acc_updates_dirty(w->acc.type),
                           "CAS changes AP[2] 0x%llx -> 0x%llx (HD %d, access %d)",
                           (unsigned long long)r.old_desc, (unsigned long long)r.new_desc, p->hd,
                           w->acc.type);
                o->dirty_cas = true;
            }
            if (!live) {
                v = r.old_desc;
            } else if (script && script->next < script->fails) {
                unsigned i = script->next++;
                v = concurrent_value(script->how[i], script->value[i], r.old_desc, r.new_desc);
                if (v == r.old_desc) {         /* the writer changed nothing: the CAS succeeds */
                    mem_write(r.addr, r.new_desc);
                    o->cas_ok++;
                    stats.cas_ok++;
                } else {
                    mem_write(r.addr, v);
                    o->cas_failed++;
                    o->concurrent_write = true;
                    o->cw_addr = r.addr;
                    stats.cas_forced_fail++;
                }
            } else {
                v = mem_read(r.addr);
                if (v == r.old_desc) {
                    mem_write(r.addr, r.new_desc);
                    o->cas_ok++;
                    stats.cas_ok++;
                }
            }
        }
        last_value = v;
        have_value = true;
        r = vmsa_walk_step(w, v);
    }
    /* A CAS is only followed by another CAS after a failure: at most one per failure, plus the
     * one that succeeds. */
    FUZZ_CHECK(o->cas <= o->cas_failed + 1, "%u CAS requests with %u failures", o->cas,
               o->cas_failed);
    o->kind = r.kind;
    if (r.kind == VMSA_REQ_DONE) {
        o->res = *r.result;
        stats.walks_done++;
    } else {
        FUZZ_CHECK(r.kind == VMSA_REQ_FAULT, "walk ended with request kind %d", r.kind);
        o->fault = *r.fault;
        stats.walks_faulted++;
    }
}

/* ---- what a finished walk must satisfy ------------------------------------------------------ */

static void check_fault(const vmsa_walk *w, const walk_out *o)
{
    const vmsa_fault *f = &o->fault;
    /* No hardware update on a faulting walk (walk.h; D8.5.1.2 R_QSPMS not taken): memory holds
     * only what the concurrent writer put there. */
    FUZZ_CHECK(o->cas_ok == 0, "faulting walk (%s) made %u successful CAS",
               vmsa_rule_name(f->rule), o->cas_ok);
    FUZZ_CHECK(f->kind != VMSA_FAULT_NONE && f->rule != VMSA_RULE_NONE &&
                   f->kind == vmsa_rule_kind(f->rule),
               "fault kind %d rule %d", f->kind, f->rule);
    FUZZ_CHECK(f->va == w->va, "fault VA 0x%llx for a walk of 0x%llx",
               (unsigned long long)f->va, (unsigned long long)w->va);
    FUZZ_CHECK(f->kind == VMSA_FAULT_ALIGNMENT || (f->level >= 0 && f->level <= 3),
               "fault at level %d", f->level);
    FUZZ_CHECK(f->fetch == (w->acc.type == VMSA_ACC_FETCH), "fault fetch flag");
    FUZZ_CHECK(f->cache_maint == vmsa_acc_is_maintenance(w->acc.type), "fault CM flag");
}

static void check_result(const vmsa_walk *w, const walk_out *o, bool live)
{
    const vmsa_result *r = &o->res;
    const vmsa_range *rg = vmsa_walk_range(w);
    FUZZ_CHECK(r->va == canonical(w->va), "result VA 0x%llx for 0x%llx",
               (unsigned long long)r->va, (unsigned long long)w->va);
    FUZZ_CHECK(r->level >= rg->start_level && r->level <= 3, "leaf at level %d (start %d)",
               r->level, rg->start_level);
    FUZZ_CHECK(r->level == 3 || vmsa_block_allowed(rg->granule, r->level),
               "block at level %d with granule %d", r->level, rg->granule);
    FUZZ_CHECK(r->size_log2 == vmsa_level_shift(rg, r->level), "size 2^%u at level %d",
               r->size_log2, r->level);
    uint64_t mask = (1ull << r->size_log2) - 1;
    FUZZ_CHECK(r->va_base == (r->va & ~mask) && (r->pa_base & mask) == 0 &&
                   r->pa == (r->pa_base | (r->va & mask)),
               "addresses: va 0x%llx va_base 0x%llx pa 0x%llx pa_base 0x%llx size 2^%u",
               (unsigned long long)r->va, (unsigned long long)r->va_base,
               (unsigned long long)r->pa, (unsigned long long)r->pa_base, r->size_log2);
    FUZZ_CHECK(w->p.oasize >= 48 || (r->pa >> w->p.oasize) == 0,
               "PA 0x%llx above the %u-bit output size", (unsigned long long)r->pa, w->p.oasize);
    FUZZ_CHECK(r->asid == w->p.asid && r->global == !(r->desc & DESC_NG), "ASID / nG");
    /* The leaf has AF = 1 after the walk: it was set, or HA set it (D8.5.1). */
    FUZZ_CHECK(r->desc & DESC_AF, "successful walk with AF = 0 in 0x%llx",
               (unsigned long long)r->desc);
    FUZZ_CHECK(r->perms == vmsa_perms_from_inputs(r->perm_inputs), "perms / perm_inputs");
    FUZZ_CHECK(vmsa_check_permission(r->perm_inputs, &w->acc) == VMSA_RULE_NONE,
               "the walk succeeded but its permissions refuse the access");
    /* A write that succeeded leaves the descriptor writable-dirty, never writable-clean. */
    if (vmsa_acc_updates_dirty(w->acc.type))
        FUZZ_CHECK(r->dirty != VMSA_DIRTY_CLEAN, "write left the leaf writable-clean");
    if (live) {
        FUZZ_CHECK(mem_ok(r->desc_pa) && mem_read(r->desc_pa) == r->desc,
                   "result descriptor 0x%llx, memory at 0x%llx holds 0x%llx",
                   (unsigned long long)r->desc, (unsigned long long)r->desc_pa,
                   mem_ok(r->desc_pa) ? (unsigned long long)mem_read(r->desc_pa) : 0ull);
        FUZZ_CHECK(r->af_updated + r->dirty_updated <= 2 &&
                       (!(r->af_updated || r->dirty_updated) || o->cas_ok == 1),
                   "result reports an update without a successful CAS");
    }
}

static void check_walk(const vmsa_walk *w, const walk_out *o, bool live)
{
    if (o->kind == VMSA_REQ_DONE)
        check_result(w, o, live);
    else if (o->kind == VMSA_REQ_FAULT)
        check_fault(w, o);
}

/* The architectural outcome of two walks is the same (translation, attributes, permissions,
 * fault); `updates`: also what hardware updates they report. */
static void compare_walks(const char *what, const walk_out *a, const walk_out *b, bool updates)
{
    FUZZ_CHECK(a->kind == b->kind, "%s: outcome %d vs %d", what, a->kind, b->kind);
    if (a->kind == VMSA_REQ_READ) {
        FUZZ_CHECK(a->abort_addr == b->abort_addr && a->abort_level == b->abort_level,
                   "%s: external abort at 0x%llx/%d vs 0x%llx/%d", what,
                   (unsigned long long)a->abort_addr, a->abort_level,
                   (unsigned long long)b->abort_addr, b->abort_level);
        return;
    }
    if (a->kind == VMSA_REQ_FAULT) {
        const vmsa_fault *x = &a->fault, *y = &b->fault;
        FUZZ_CHECK(x->kind == y->kind && x->rule == y->rule && x->level == y->level &&
                       x->write == y->write && x->fetch == y->fetch &&
                       x->cache_maint == y->cache_maint && x->va == y->va && x->s1ptw == y->s1ptw,
                   "%s: fault %s level %d vs %s level %d", what, vmsa_rule_name(x->rule),
                   x->level, vmsa_rule_name(y->rule), y->level);
        return;
    }
    const vmsa_result *x = &a->res, *y = &b->res;
    FUZZ_CHECK(x->va == y->va && x->pa == y->pa && x->va_base == y->va_base &&
                   x->pa_base == y->pa_base && x->size_log2 == y->size_log2 &&
                   x->level == y->level && x->desc_pa == y->desc_pa,
               "%s: translation 0x%llx -> 0x%llx (2^%u, level %d) vs 0x%llx (2^%u, level %d)",
               what, (unsigned long long)x->va, (unsigned long long)x->pa, x->size_log2, x->level,
               (unsigned long long)y->pa, y->size_log2, y->level);
    FUZZ_CHECK(x->asid == y->asid && x->global == y->global && x->attr == y->attr &&
                   x->device == y->device && x->sh == y->sh && x->contiguous == y->contiguous,
               "%s: attributes differ", what);
    FUZZ_CHECK(x->perms == y->perms && x->perm_inputs == y->perm_inputs && x->dirty == y->dirty &&
                   x->desc == y->desc,
               "%s: permissions 0x%x/0x%x dirty %d desc 0x%llx vs 0x%x/0x%x dirty %d desc 0x%llx",
               what, x->perms, x->perm_inputs, x->dirty, (unsigned long long)x->desc, y->perms,
               y->perm_inputs, y->dirty, (unsigned long long)y->desc);
    if (updates)
        FUZZ_CHECK(x->af_updated == y->af_updated && x->dirty_updated == y->dirty_updated,
                   "%s: hardware updates differ", what);
}

/* ---- the TLB and the walk cache ---------------------------------------------------------- */

static vmsa_tlb tlb;
static vmsa_walk_cache wc;

/* size_mask / size_count agree with the entries, and every entry is in its set. */
static void check_tlb_bookkeeping(void)
{
    uint32_t count[64] = { 0 };
    for (unsigned i = 0; i < tlb.sets * tlb.ways; i++) {
        const vmsa_tlb_entry *e = &tlb.entries[i];
        if (!e->valid)
            continue;
        FUZZ_CHECK(e->size_log2 < 64, "entry size 2^%u", e->size_log2);
        count[e->size_log2]++;
        FUZZ_CHECK(((e->va_base >> e->size_log2) & tlb.set_mask) == i / tlb.ways,
                   "entry for 0x%llx in the wrong set", (unsigned long long)e->va_base);
    }
    for (unsigned s = 0; s < 64; s++) {
        FUZZ_CHECK(tlb.size_count[s] == count[s], "size_count[%u] %u, %u entries", s,
                   tlb.size_count[s], count[s]);
        FUZZ_CHECK(((tlb.size_mask >> s) & 1) == (count[s] != 0), "size_mask bit %u", s);
    }
}

/* What the TLB returns after insert is what was inserted (until evicted or invalidated), and
 * its hit check decides as a walk for another access would (D8.13: a TLB caches the walk). */
static void check_tlb_insert(const vmsa_walk *w, const walk_out *o, const vmsa_access *acc2)
{
    const vmsa_result *r = &o->res;
    vmsa_tlb_insert(&tlb, r);
    check_tlb_bookkeeping();
    vmsa_tlb_entry *e = vmsa_tlb_lookup(&tlb, r->va, w->p.asid);
    stats.tlb_checks++;
    FUZZ_CHECK(e != NULL, "TLB lookup of 0x%llx ASID %u misses right after insert",
               (unsigned long long)r->va, w->p.asid);
    FUZZ_CHECK(vmsa_tlb_pa(e, r->va) == r->pa && e->perms == r->perms &&
                   e->perm_inputs == r->perm_inputs && e->attr == r->attr &&
                   e->device == r->device && e->global == r->global &&
                   (e->global || e->asid == r->asid) && e->level == r->level &&
                   e->dirty == (uint8_t)r->dirty,
               "TLB returns 0x%llx perms 0x%x for 0x%llx, inserted 0x%llx perms 0x%x",
               (unsigned long long)vmsa_tlb_pa(e, r->va), e->perms, (unsigned long long)r->va,
               (unsigned long long)r->pa, r->perms);

    /* A second access checked against the entry and walked (without update) on the same tables
     * must get the same answer: the fault (same rule and level), or a hit that needs a walk
     * exactly when the walk wants to clear AP[2]. */
    vmsa_walk w2;
    walk_out o2;
    drive(&w2, vmsa_walk_start(&w2, &w->p, w->va, acc2), false, NULL, &o2);
    check_walk(&w2, &o2, false);
    vmsa_fault hf;
    vmsa_hit h = vmsa_tlb_check(e, acc2, w->va, &hf);
    FUZZ_CHECK(o2.kind != VMSA_REQ_READ, "second walk of a translated VA aborted");
    if (o2.kind == VMSA_REQ_FAULT) {
        FUZZ_CHECK(h == VMSA_HIT_FAULT, "walk faults (%s) for access %d, TLB check says %d",
                   vmsa_rule_name(o2.fault.rule), acc2->type, h);
        walk_out hit = o2;
        hit.fault = hf;
        compare_walks("TLB check vs walk", &o2, &hit, false);
    } else {
        FUZZ_CHECK(h == (o2.dirty_cas ? VMSA_HIT_WALK : VMSA_HIT_OK),
                   "walk succeeds for access %d (dirty update %d), TLB check says %d (%s)",
                   acc2->type, (int)o2.dirty_cas, h,
                   h == VMSA_HIT_FAULT ? vmsa_rule_name(hf.rule) : "-");
    }
}

static void invalidate_all(void)
{
    vmsa_tlbi op = { .op = VMSA_TLBI_VMALLE1 };
    vmsa_tlb_invalidate(&tlb, &op);
    vmsa_walk_cache_invalidate(&wc, &op);
}

/* ---- operations -------------------------------------------------------------------------- */

typedef struct fuzz_state {
    vmsa_regs regs;
    vmsa_params p;
    uint64_t vabase[4];
    uint16_t asid[4];
} fuzz_state;

static vmsa_access read_access(uint8_t a, uint8_t s)
{
    vmsa_access acc;
    acc.type = (vmsa_acc_type)((a & 15) % 10);
    acc.unpriv = (a >> 4) & 1;
    acc.pan = (a >> 5) & 1;
    acc.size = (s & 4) ? 0 : (uint8_t)(1u << (s & 3));
    return acc;
}

/* The address `va`'s walk read at another level than `level` (one word as table and leaf). */
static bool aliased(const walk_out *a, const walk_out *b, uint64_t addr, int level)
{
    const walk_out *outs[2] = { a, b };
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < outs[k]->reads; i++)
            if (outs[k]->read_addr[i] == addr && outs[k]->read_level[i] != level)
                return true;
    return false;
}

/* vabase[sel & 3] + offset << sel[6:2]. */
static uint64_t pick_va(const fuzz_state *st, uint8_t sel, uint32_t offset)
{
    return st->vabase[sel & 3] + ((uint64_t)offset << ((sel >> 2) & 31));
}

static void op_walk(fuzz_reader *rd, fuzz_state *st)
{
    uint8_t a = fuzz_u8(rd), s = fuzz_u8(rd), sel = fuzz_u8(rd);
    uint64_t va = pick_va(st, sel, fuzz_u32(rd));
    uint8_t a2 = fuzz_u8(rd), s2 = fuzz_u8(rd);
    vmsa_access acc = read_access(a, s), acc2 = read_access(a2, s2);
    cas_script script = { 0 };
    script.fails = fuzz_u8(rd) & 3;
    for (unsigned i = 0; i < script.fails; i++) {
        script.how[i] = fuzz_u8(rd);
        script.value[i] = fuzz_u64(rd);
    }
    const vmsa_params *p = &st->p;

    /* (a) A walk resumed from the walk cache gives what a full walk gives. Both without update,
     * on the same memory. */
    const vmsa_wc_entry *ce = vmsa_walk_cache_lookup(&wc, p, va, p->asid);
    vmsa_wc_entry entry;
    if (ce)
        entry = *ce;
    vmsa_walk full;
    walk_out of;
    drive(&full, vmsa_walk_start(&full, p, va, &acc), false, NULL, &of);
    check_walk(&full, &of, false);
    if (ce) {
        vmsa_walk resumed;
        walk_out orr;
        drive(&resumed,
              vmsa_walk_start_at(&resumed, p, va, &acc, entry.level, entry.table_pa, entry.attrs),
              false, NULL, &orr);
        check_walk(&resumed, &orr, false);
        compare_walks("walk resumed from the walk cache vs full walk", &orr, &of, true);
        stats.wc_resumes++;
    }

    /* The walk as the MMU makes it: from the walk cache, with hardware updates and the forced
     * CAS failures. */
    vmsa_walk live;
    walk_out ol;
    vmsa_req first = ce ? vmsa_walk_start_at(&live, p, va, &acc, entry.level, entry.table_pa,
                                             entry.attrs)
                        : vmsa_walk_start(&live, p, va, &acc);
    drive(&live, first, true, &script, &ol);
    check_walk(&live, &ol, true);

    /* After a failed CAS the walk re-evaluated what memory held (D8.5.2.1 I_YZSVV): its outcome
     * is that of a walk of the memory as it now is. Not comparable when the changed word is
     * also a table descriptor of this walk at another level. */
    bool comparable = !ol.concurrent_write ||
                      !aliased(&of, &ol, ol.cw_addr, ol.kind == VMSA_REQ_DONE
                                                          ? ol.res.level
                                                          : ol.read_level[ol.reads - 1]);
    if (comparable) {
        vmsa_walk fresh;
        walk_out ofr;
        drive(&fresh, vmsa_walk_start(&fresh, p, va, &acc), false, NULL, &ofr);
        compare_walks("live walk vs fresh walk of the memory it left", &ol, &ofr, false);
        stats.oracle_compared++;
    } else {
        stats.oracle_skipped++;
    }

    /* (b) the TLB, then the caches as the MMU fills them. A concurrent change of a descriptor
     * is followed by the TLB maintenance software owes it (TLBI VMALLE1). */
    if (ol.concurrent_write)
        invalidate_all();
    if (ol.kind == VMSA_REQ_DONE && comparable)
        check_tlb_insert(&live, &ol, &acc2);
    if (!ol.concurrent_write && ol.kind != VMSA_REQ_READ)
        vmsa_walk_cache_fill(&wc, &live);
}

static const uint32_t tlbi_ops[12] = {
    A64_SYSOP_TLBI_VMALLE1IS, A64_SYSOP_TLBI_VAE1IS, A64_SYSOP_TLBI_ASIDE1IS,
    A64_SYSOP_TLBI_VAAE1IS,   A64_SYSOP_TLBI_VALE1IS, A64_SYSOP_TLBI_VAALE1IS,
    A64_SYSOP_TLBI_VMALLE1,   A64_SYSOP_TLBI_VAE1,   A64_SYSOP_TLBI_ASIDE1,
    A64_SYSOP_TLBI_VAAE1,     A64_SYSOP_TLBI_VALE1,  A64_SYSOP_TLBI_VAALE1,
};

/* After a TLBI no entry it covers is left (D8.13), in the TLB or (for the forms that are not
 * last-level only) in the walk cache. */
static void check_after_tlbi(const vmsa_tlbi *op)
{
    bool by_va = vmsa_tlbi_by_va(op->op);
    for (unsigned i = 0; i < tlb.sets * tlb.ways; i++) {
        const vmsa_tlb_entry *e = &tlb.entries[i];
        if (!e->valid)
            continue;
        bool tag = op->op == VMSA_TLBI_VMALLE1 ||
                   (op->op == VMSA_TLBI_ASIDE1 && !e->global && e->asid == op->asid) ||
                   ((op->op == VMSA_TLBI_VAE1 || op->op == VMSA_TLBI_VALE1) &&
                    (e->global || e->asid == op->asid)) ||
                   vmsa_tlbi_any_asid(op->op);
        bool covers = !by_va || ((e->va_base ^ op->va) >> e->size_log2) == 0;
        FUZZ_CHECK(!(tag && covers), "%s left the TLB entry for 0x%llx ASID %u global %d",
                   vmsa_tlbi_name(op), (unsigned long long)e->va_base, e->asid, e->global);
    }
    if (vmsa_tlbi_last_level(op->op))
        return;
    for (unsigned i = 0; i < wc.sets * wc.ways; i++) {
        const vmsa_wc_entry *e = &wc.entries[i];
        if (!e->valid)
            continue;
        bool gone = op->op == VMSA_TLBI_VMALLE1 ||
                    (op->op == VMSA_TLBI_ASIDE1 && e->asid == op->asid) ||
                    (by_va && (op->va >> e->shift) == e->va_tag);
        FUZZ_CHECK(!gone, "%s left the walk cache entry level %d tag 0x%llx ASID %u",
                   vmsa_tlbi_name(op), e->level, (unsigned long long)e->va_tag, e->asid);
    }
}

static void op_tlbi(fuzz_reader *rd, fuzz_state *st)
{
    uint32_t sysop = tlbi_ops[fuzz_u8(rd) % 12];
    uint16_t asid = st->asid[fuzz_u8(rd) & 3];
    uint8_t sel = fuzz_u8(rd);
    uint64_t va = pick_va(st, sel, fuzz_u32(rd));
    /* Xt: ASID in [63:48], VA[55:12] in [43:0] (C5.5). */
    uint64_t xt = ((uint64_t)asid << 48) | ((va >> 12) & ((1ull << 44) - 1));
    vmsa_tlbi op;
    FUZZ_CHECK(a64_tlbi_decode(sysop, xt, st->p.asid16, &op), "TLBI 0x%x not decoded", sysop);
    if (vmsa_tlbi_by_va(op.op))
        FUZZ_CHECK(op.va == (canonical(va) & ~0xfffull), "TLBI VA 0x%llx from 0x%llx",
                   (unsigned long long)op.va, (unsigned long long)va);
    if (op.op != VMSA_TLBI_VMALLE1 && !vmsa_tlbi_any_asid(op.op))
        FUZZ_CHECK(op.asid == (st->p.asid16 ? asid : (asid & 0xff)), "TLBI ASID 0x%x from 0x%x",
                   op.asid, asid);
    vmsa_tlb_invalidate(&tlb, &op);
    vmsa_walk_cache_invalidate(&wc, &op);
    check_tlb_bookkeeping();
    check_after_tlbi(&op);
    stats.tlbis++;
}

static void set_asid(fuzz_state *st, uint16_t asid)
{
    uint64_t field = (uint64_t)TTBR_ASID_MASK << TTBR_ASID_SHIFT;
    st->regs.ttbr0 = (st->regs.ttbr0 & ~field) | ((uint64_t)asid << TTBR_ASID_SHIFT);
    st->regs.ttbr1 = (st->regs.ttbr1 & ~field) | ((uint64_t)asid << TTBR_ASID_SHIFT);
    vmsa_params_decode(&st->p, &st->regs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!mem) {
        mem = malloc(MEM_SIZE);
        if (!mem || !vmsa_tlb_init(&tlb, 8, 2) || !vmsa_walk_cache_init(&wc, 4, 2))
            abort();
    }
    stats.inputs++;
    fuzz_reader rd = { data, size, 0 };
    fuzz_state st;
    memset(&st, 0, sizeof st);
    st.regs.sctlr = fuzz_u64(&rd);
    st.regs.tcr = fuzz_u64(&rd);
    st.regs.ttbr0 = fuzz_u64(&rd);
    st.regs.ttbr1 = fuzz_u64(&rd);
    st.regs.mair = fuzz_u64(&rd);
    st.regs.mmfr0 = fuzz_u64(&rd);
    st.regs.mmfr1 = fuzz_u8(&rd) % 3;
    for (int i = 0; i < 4; i++)
        st.vabase[i] = fuzz_u64(&rd);
    for (int i = 0; i < 4; i++)
        st.asid[i] = fuzz_u16(&rd);
    memset(mem, 0, MEM_SIZE);
    unsigned nchunks = fuzz_u8(&rd);
    fuzz_load_chunks(&rd, nchunks, mem, MEM_SIZE);
    vmsa_params_decode(&st.p, &st.regs);
    invalidate_all();

    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&rd) > 0; n++) {
        stats.ops++;
        switch (fuzz_u8(&rd) & 3) {
        case 0:
        case 1: op_walk(&rd, &st); break;
        case 2: op_tlbi(&rd, &st); break;
        default: set_asid(&st, st.asid[fuzz_u8(&rd) & 3]); break;
        }
    }
    return 0;
}
