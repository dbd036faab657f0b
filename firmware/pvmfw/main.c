/* pvmfw: options, memory layout, MMU set-up, the boot flow, teardown, the RESULT line.
 * docs/pvmfw.md describes the whole. */
#include "fault.h"
#include "heap.h"
#include "hyp.h"
#include "pt.h"
#include "pvmfw.h"
#include "work.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __stack_bottom[];
extern char __boot_stack_bottom[], __boot_stack_top[];
extern char __pt_pool_start[], __pt_pool_end[], __image_end[];

struct pv_stats pv_stats;
enum pv_mode pv_mode;
bool pv_mmu_on;
struct pv_region pv_regions[PV_MAX_REGIONS];
unsigned pv_nregions;
struct pv_layout pv_layout;

static const char *const mode_names[] = {"hw", "sw", "flush-all"};

static const struct pv_region *add_region(const char *name, uint64_t base, uint64_t size,
                                          enum pv_region_kind kind, unsigned mair_index)
{
    struct pv_region *r = &pv_regions[pv_nregions++];
    r->name = name;
    r->base = base;
    r->size = size;
    r->kind = kind;
    r->mair_index = mair_index;
    r->dirty_pages = 0;
    return r;
}

const struct pv_region *pv_region_of_tag(unsigned tag)
{
    if (tag == 0 || tag > pv_nregions || pv_regions[tag - 1].kind != PV_RK_DEVICE)
        return NULL;
    return &pv_regions[tag - 1];
}

const struct pv_region *pv_find_region(const char *name)
{
    for (unsigned i = 0; i < pv_nregions; i++)
        if (strcmp(pv_regions[i].name, name) == 0)
            return &pv_regions[i];
    return NULL;
}

static unsigned region_tag(const struct pv_region *r) { return (unsigned)(r - pv_regions) + 1; }

static uintptr_t sym(const char *s) { return (uintptr_t)s; }

/* ---- layout ---------------------------------------------------------------------------------- */
/* Device regions first: their lazy tag is their index + 1 (4 bits). Then RAM, in address order:
 *   0x4000_0000  dt           64 KiB   writable   the device tree blob
 *   0x4008_0000  text, rodata, data+bss, (guard), stack (SP_EL1), (guard), boot-stack (SP_EL0),
 *                pt-pool: the image (pvmfw.ld)
 *   2 MiB-aligned after the image, each region starting on a 2 MiB boundary:
 *                payload-src  payload  read-only  the payload as loaded (blocks where possible)
 *                payload-dst  payload  writable   where it is copied to
 *                scratch      scratch  writable   --write-frac of its pages get written
 *                heap         heap     writable   bounce buffers (pool chunks or direct pages),
 *                                                 the secrets page
 * "writable": writable-clean (DBM) with dirty tracking, plain read-write in flush-all mode. */
static void plan_layout(void)
{
    add_region("uart", PV_UART_BASE, PV_PAGE_SIZE, PV_RK_DEVICE, PV_MAIR_DEV_NGNRE);
    add_region("virtio", PV_VIRTIO_BASE, pv_align_up(PV_VIRTIO_COUNT * PV_VIRTIO_STRIDE, PV_PAGE_SIZE),
               PV_RK_DEVICE, PV_MAIR_DEV_NGNRE);
    add_region("pcie", PV_PCI_BASE, (uint64_t)pv_opt.pci_pages * PV_PAGE_SIZE, PV_RK_DEVICE,
               PV_MAIR_DEV_NGNRNE);

    struct pv_layout *l = &pv_layout;
    l->dt_base = PV_RAM_BASE;
    l->dt_size = 64 * PV_KIB;
    add_region("dt", l->dt_base, l->dt_size, PV_RK_WRITABLE, 0);
    add_region("text", sym(__text_start), sym(__text_end) - sym(__text_start), PV_RK_CODE, 0);
    add_region("rodata", sym(__rodata_start), sym(__rodata_end) - sym(__rodata_start),
               PV_RK_RODATA, 0);
    add_region("data", sym(__data_start), sym(__data_end) - sym(__data_start), PV_RK_RW, 0);
    add_region("stack", sym(__stack_bottom), sym(__stack_top) - sym(__stack_bottom), PV_RK_RW, 0);
    add_region("boot-stack", sym(__boot_stack_bottom),
               sym(__boot_stack_top) - sym(__boot_stack_bottom), PV_RK_RW, 0);
    add_region("pt-pool", sym(__pt_pool_start), sym(__pt_pool_end) - sym(__pt_pool_start),
               PV_RK_RW, 0);

    l->payload_size = pv_opt.payload_size;
    l->src_base = pv_align_up(sym(__image_end), PT_BLOCK_2M);
    l->dst_base = pv_align_up(l->src_base + l->payload_size, PT_BLOCK_2M);
    l->scratch_base = pv_align_up(l->dst_base + l->payload_size, PT_BLOCK_2M);
    l->scratch_size = pv_opt.scratch_size;
    l->heap_base = pv_align_up(l->scratch_base + l->scratch_size, PT_BLOCK_2M);
    l->heap_size = pv_opt.heap_size;
    if (l->heap_base + l->heap_size > PV_RAM_BASE + PV_RAM_SIZE)
        pv_die(PV_EXIT_SETUP, "layout: payload, scratch and heap need RAM up to 0x%lx, beyond "
               "0x%lx", (unsigned long)(l->heap_base + l->heap_size),
               (unsigned long)(PV_RAM_BASE + PV_RAM_SIZE));
    add_region("payload-src", l->src_base, l->payload_size, PV_RK_RODATA, 0);
    add_region("payload-dst", l->dst_base, l->payload_size, PV_RK_WRITABLE, 0);
    add_region("scratch", l->scratch_base, l->scratch_size, PV_RK_WRITABLE, 0);
    add_region("heap", l->heap_base, l->heap_size, PV_RK_WRITABLE, 0);
    heap_init(l->heap_base, l->heap_size);
}

/* ---- dirty tracking mode ------------------------------------------------------------------- */
static unsigned hafdbs;

static void choose_mode(void)
{
    hafdbs = (unsigned)(read_sysreg(ID_AA64MMFR1_EL1) & 0xf);
    switch (pv_opt.dirty) {
    case PV_DIRTY_AUTO:
        pv_mode = hafdbs >= 2 ? PV_MODE_HW : PV_MODE_SW;
        break;
    case PV_DIRTY_HW:
        pv_mode = PV_MODE_HW;
        if (hafdbs < 2) {
            /* Decision (docs/pvmfw.md): fall back to software tracking, say so, and report
             * mode=sw; the run stays useful in a sweep. */
            printf("pvmfw: note: --dirty=hw: ID_AA64MMFR1_EL1.HAFDBS=%u has no hardware dirty "
                   "state, using software dirty tracking\n", hafdbs);
            pv_mode = PV_MODE_SW;
        }
        break;
    case PV_DIRTY_SW:
        pv_mode = PV_MODE_SW;
        break;
    case PV_DIRTY_FLUSH_ALL:
        pv_mode = PV_MODE_FLUSH_ALL;
        break;
    }
}

/* ---- stage 1 --------------------------------------------------------------------------------- */
static void build_tables(void)
{
    pt_init(pv_opt.va_bits, sym(__pt_pool_start), sym(__pt_pool_end) - sym(__pt_pool_start));
    for (unsigned i = 0; i < pv_nregions; i++) {
        const struct pv_region *r = &pv_regions[i];
        bool ok = true;
        switch (r->kind) {
        case PV_RK_CODE:
            ok = pt_map(r->base, r->base, r->size, PT_ATTR_CODE, PT_MAP_BLOCKS);
            break;
        case PV_RK_RODATA:
            ok = pt_map(r->base, r->base, r->size, PT_ATTR_RODATA, PT_MAP_BLOCKS);
            break;
        case PV_RK_RW:
            ok = pt_map(r->base, r->base, r->size, PT_ATTR_RW, PT_MAP_BLOCKS);
            break;
        case PV_RK_WRITABLE:
            /* Pages only: the page is the dirty-tracking granule (a writable-clean block would
             * become dirty, and be flushed, 2 MiB at a time). */
            ok = pt_map(r->base, r->base, r->size,
                        pv_mode == PV_MODE_FLUSH_ALL ? PT_ATTR_RW_FLUSH : PT_ATTR_RW_CLEAN, 0);
            break;
        case PV_RK_DEVICE:
            ok = pt_tag_lazy(r->base, r->size, region_tag(r));
            break;
        }
        if (!ok)
            pv_die(PV_EXIT_SETUP, "stage 1: cannot map %s (translation table pool exhausted?)",
                   r->name);
    }
}

/* --mmio=eager: every page of every device region, MMIO_GUARD_MAP then a valid stage-1 entry
 * (blocks where the region allows). */
static void map_devices_eagerly(void)
{
    for (unsigned i = 0; i < pv_nregions; i++) {
        const struct pv_region *r = &pv_regions[i];
        if (r->kind != PV_RK_DEVICE)
            continue;
        for (uint64_t p = r->base; p < r->base + r->size; p += PV_PAGE_SIZE)
            hyp_mmio_map(p);
        if (!pt_map(r->base, r->base, r->size, PT_ATTR_DEVICE(r->mair_index), PT_MAP_BLOCKS))
            pv_die(PV_EXIT_SETUP, "stage 1: cannot map %s", r->name);
    }
}

/* ---- teardown -------------------------------------------------------------------------------- */
static bool uart_pending; /* the UART page stays mapped until the RESULT line is out */

static void unmap_device_leaf(uint64_t va, uint64_t size, unsigned level, uint64_t *e, void *ctx)
{
    (void)level;
    (void)e;
    const struct pv_region *r = ctx;
    if (r->base == PV_UART_BASE) {
        uart_pending = true;
        return;
    }
    uint64_t lo = va > r->base ? va : r->base;
    uint64_t hi = va + size < r->base + r->size ? va + size : r->base + r->size;
    for (uint64_t p = lo; p < hi; p += PV_PAGE_SIZE)
        hyp_mmio_unmap(p);
    if (!pt_unmap(va, size, PT_SW_TAG(region_tag(r))))
        pv_die(PV_EXIT_SETUP, "stage 1: cannot unmap 0x%lx", (unsigned long)va);
}

static void unmap_devices(void)
{
    for (unsigned i = 0; i < pv_nregions; i++) {
        struct pv_region *r = &pv_regions[i];
        if (r->kind == PV_RK_DEVICE)
            pt_for_each_leaf(r->base, r->base + r->size, unmap_device_leaf, r);
    }
}

static uint64_t dline; /* DC CVAC stride: CTR_EL0.DminLine */

static void flush_leaf(uint64_t va, uint64_t size, unsigned level, uint64_t *e, void *ctx)
{
    (void)level;
    (void)ctx;
    uint64_t d = __atomic_load_n(e, __ATOMIC_RELAXED);
    if (pv_mode == PV_MODE_FLUSH_ALL) {
        if (!(d & PT_SW_WRITABLE))
            return;
    } else {
        if (!pt_is_dirty(d))
            return;
        pv_stats.dirty_pages++; /* one per descriptor: all DBM leaves are pages */
        for (unsigned i = 0; i < pv_nregions; i++)
            if (va - pv_regions[i].base < pv_regions[i].size)
                pv_regions[i].dirty_pages++;
    }
    for (uint64_t a = va; a < va + size; a += dline)
        __asm__ __volatile__("dc cvac, %0" ::"r"(a) : "memory");
    pv_stats.flushed_pages += size / PV_PAGE_SIZE;
    pv_stats.flushed_lines += size / dline;
}

/* DSB ISH (hardware dirty-state updates visible), walk every leaf of the tables, DC CVAC each
 * line of each dirty page (every writable page in flush-all mode), DSB ISH. */
static void flush_for_handover(void)
{
    dline = 4ull << ((read_sysreg(CTR_EL0) >> 16) & 0xf);
    __asm__ __volatile__("dsb ish" ::: "memory");
    pt_for_each_leaf(0, ~0ull, flush_leaf, NULL);
    __asm__ __volatile__("dsb ish" ::: "memory");
}

static int failed_checks;

static void check(bool ok, const char *what)
{
    if (!ok) {
        printf("pvmfw: check failed: %s\n", what);
        failed_checks++;
    }
}

static uint64_t device_pages(void)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < pv_nregions; i++)
        if (pv_regions[i].kind == PV_RK_DEVICE)
            n += pv_regions[i].size / PV_PAGE_SIZE;
    return n;
}

/* The firmware's own view must agree with itself; the simulator's counters are compared with
 * the RESULT line by the tests (docs/pvmfw.md, "Counting rules"). */
static void self_checks(uint64_t unmap_hvcs)
{
    struct pv_stats *s = &pv_stats;
    const struct pv_region *dst = pv_find_region("payload-dst");
    const struct pv_region *scratch = pv_find_region("scratch");
    switch (pv_mode) {
    case PV_MODE_SW:
        check(s->perm_faults == s->dirty_pages, "sw: perm_faults == dirty_pages");
        break;
    case PV_MODE_HW:
        check(s->perm_faults == 0, "hw: perm_faults == 0");
        break;
    case PV_MODE_FLUSH_ALL:
        check(s->perm_faults == 0 && s->dirty_pages == 0, "flush-all: no dirty tracking");
        break;
    }
    if (pv_mode != PV_MODE_FLUSH_ALL) {
        check(dst->dirty_pages == dst->size / PV_PAGE_SIZE, "every payload page dirty");
        check(scratch->dirty_pages == work_scratch_written,
              "dirty scratch pages == scratch pages written");
        check(s->flushed_pages == s->dirty_pages, "flushed_pages == dirty_pages");
    }
    if (pv_opt.mmio == PV_MMIO_LAZY)
        check(s->mmio_faults == s->mmio_map_hvcs, "lazy: mmio_faults == mmio_map_hvcs");
    else
        check(s->mmio_faults == 0 && s->mmio_map_hvcs == device_pages(),
              "eager: one MMIO_GUARD_MAP per device page, no faults");
    check(unmap_hvcs == s->mmio_map_hvcs, "mmio_unmap_hvcs == mmio_map_hvcs");
    check(s->unshare_hvcs == s->share_hvcs, "unshare_hvcs == share_hvcs");
    check(s->flushed_lines == s->flushed_pages * (PV_PAGE_SIZE / dline), "whole pages flushed");
}

static void print_dirty_report(void)
{
    if (pv_mode == PV_MODE_FLUSH_ALL) {
        printf("pvmfw: flush-all: %lu writable pages flushed, dirty state not tracked\n",
               (unsigned long)pv_stats.flushed_pages);
        return;
    }
    printf("pvmfw: dirty pages:");
    for (unsigned i = 0; i < pv_nregions; i++)
        if (pv_regions[i].kind == PV_RK_WRITABLE)
            printf(" %s %lu/%lu", pv_regions[i].name, (unsigned long)pv_regions[i].dirty_pages,
                   (unsigned long)(pv_regions[i].size / PV_PAGE_SIZE));
    printf("\n");
}

/* ---- main ------------------------------------------------------------------------------------ */
static void print_config(void)
{
    const struct pv_options *o = &pv_opt;
    printf("pvmfw: dirty=%s mmio=%s share=%s payload=%luK scratch=%luK heap=%luK pool-chunk=%luK "
           "write-frac=%u.%06u requests=%u queue-depth=%u pci-pages=%u pci-touch=%u va-bits=%u\n",
           pv_dirty_name(o->dirty), pv_mmio_name(o->mmio), pv_share_name(o->share),
           (unsigned long)(o->payload_size / PV_KIB), (unsigned long)(o->scratch_size / PV_KIB),
           (unsigned long)(o->heap_size / PV_KIB), (unsigned long)(o->pool_chunk / PV_KIB),
           o->write_frac_ppm / 1000000, o->write_frac_ppm % 1000000, o->requests, o->queue_depth,
           o->pci_pages, o->pci_touch, o->va_bits);
}

static void print_layout(void)
{
    const struct pv_layout *l = &pv_layout;
    printf("pvmfw: layout: dt 0x%08lx, image 0x%08lx-0x%08lx, payload 0x%08lx -> 0x%08lx, "
           "scratch 0x%08lx, heap 0x%08lx\n", (unsigned long)l->dt_base,
           (unsigned long)sym(__text_start), (unsigned long)sym(__image_end),
           (unsigned long)l->src_base, (unsigned long)l->dst_base, (unsigned long)l->scratch_base,
           (unsigned long)l->heap_base);
    if (pv_opt.verbose)
        for (unsigned i = 0; i < pv_nregions; i++)
            printf("pvmfw:   region %-12s 0x%08lx +0x%08lx\n", pv_regions[i].name,
                   (unsigned long)pv_regions[i].base, (unsigned long)pv_regions[i].size);
}

/* The boot flow, on SP_EL0 (exceptions have SP_EL1 to themselves).
 * long: one call per step of the flow, in order, with the messages between them. */
__attribute__((noreturn)) static void boot(void)
{
    /* MMU off, not yet enrolled in the MMIO guard: the UART is used directly. */
    choose_mode();
    print_config();
    plan_layout();
    print_layout();
    work_generate_payload(); /* stands for the VMM's loading of the payload */

    hyp_probe(); /* from here on, device pages must be MMIO_GUARD_MAPped before use */
    build_tables();
    pt_enable(hafdbs >= 1, pv_mode == PV_MODE_HW);
    if (pv_opt.mmio == PV_MMIO_EAGER)
        map_devices_eagerly();

    if (pv_opt.verbose)
        printf("pvmfw: platform: ID_AA64MMFR1_EL1.HAFDBS=%u, pKVM %s\n", hafdbs,
               hyp_pkvm() ? "present" : hyp_undefined() ? "absent (HVC UNDEFINED)"
                                                       : "absent (calls emulated)");
    printf("pvmfw: MMU on: %u-bit VA, %lu translation tables, %lu splits\n", pt_va_bits(),
           (unsigned long)pv_stats.tables, (unsigned long)pv_stats.splits);
    if (pv_opt.selftest && !pv_selftest())
        pv_die(PV_EXIT_CHECK, "selftest failed");

    work_copy_payload();
    work_probe_devices();
    work_device_tree();
    work_secrets();
    work_scratch();
    work_requests();
    uint64_t checksum = work_checksum();

    /* Teardown: stop sharing, give the device pages back, make the dirty data reach memory. */
    if (pv_opt.share == PV_SHARE_POOL)
        bounce_teardown();
    unmap_devices();
    flush_for_handover();
    print_dirty_report();
    printf("pvmfw: handover: %lu translation tables, %lu splits, %lu pool chunks\n",
           (unsigned long)pv_stats.tables, (unsigned long)pv_stats.splits,
           (unsigned long)pv_stats.pool_chunks);

    /* The UART page is given back right after the last line; the count includes it. */
    const struct pv_region *uart = pv_find_region("uart");
    unsigned level;
    uint64_t *ue = pt_lookup(uart->base, &level);
    bool uart_mapped = uart_pending && ue && (*ue & PT_VALID);
    uint64_t unmap_hvcs = pv_stats.mmio_unmap_hvcs + (uart_mapped ? 1 : 0);
    self_checks(unmap_hvcs);
    printf("RESULT mode=%s dirty_pages=%lu flushed_pages=%lu perm_faults=%lu mmio_faults=%lu "
           "mmio_map_hvcs=%lu mmio_unmap_hvcs=%lu share_hvcs=%lu unshare_hvcs=%lu "
           "checksum=0x%016lx\n",
           mode_names[pv_mode], (unsigned long)pv_stats.dirty_pages,
           (unsigned long)pv_stats.flushed_pages, (unsigned long)pv_stats.perm_faults,
           (unsigned long)pv_stats.mmio_faults, (unsigned long)pv_stats.mmio_map_hvcs,
           (unsigned long)unmap_hvcs, (unsigned long)pv_stats.share_hvcs,
           (unsigned long)pv_stats.unshare_hvcs, (unsigned long)checksum);
    if (uart_mapped) {
        hyp_mmio_unmap(uart->base);
        pt_unmap(uart->base, PV_PAGE_SIZE, PT_SW_TAG(region_tag(uart)));
    }

    /* Hand over: MMU off, then PSCI SYSTEM_OFF (exit status 0), or the failed checks' status. */
    pt_disable();
    hyp_system_off(failed_checks ? PV_EXIT_CHECK : 0);
}

int main(int argc, char **argv)
{
    fw_set_sync_handler(pv_sync_handler);
    if (!pv_parse_options(argc, argv))
        return PV_EXIT_USAGE;
    pv_run_on_sp_el0(boot, sym(__boot_stack_top));
}
