/* The boot flow's work (work.h). */
#include "work.h"

#include "fdt.h"
#include "heap.h"

uint64_t work_scratch_written;

static uint64_t sum = PV_HASH_INIT;   /* the run's checksum */
static uint64_t payload_src_hash;     /* computed while generating the source */
static uint64_t payload_hash;         /* of the copy in place */

/* Two lanes (even and odd words) so that the loop runs two independent multiplies per iteration;
 * an odd last word goes to lane 0. */
uint64_t pv_hash_words(uint64_t h, const void *p, uint64_t bytes)
{
    const uint64_t *w = p;
    uint64_t n = bytes / 8, h1 = h ^ PV_HASH_LANE1;
    uint64_t i = 0;
    for (; i + 2 <= n; i += 2) {
        h = pv_hash_word(h, w[i]);
        h1 = pv_hash_word(h1, w[i + 1]);
    }
    if (i < n)
        h = pv_hash_word(h, w[i]);
    return pv_hash_word(h, h1);
}

uint64_t pv_hash_bytes(uint64_t h, const void *p, uint64_t bytes)
{
    const uint8_t *b = p;
    for (uint64_t i = 0; i < bytes; i++)
        h = pv_hash_word(h, b[i]);
    return h;
}

/* A cheap deterministic 64-bit mixer (splitmix64 finaliser, shortened). */
static inline uint64_t mix64(uint64_t x)
{
    x *= 0x9e3779b97f4a7c15ull;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 27);
}

uint64_t work_checksum(void) { return sum; }

/* ---- payload ---------------------------------------------------------------------------------- */
static inline uint64_t payload_word(uint64_t i)
{
    return (i * 0x9e3779b97f4a7c15ull) ^ (i >> 3) ^ 0x70766d66ull; /* "pvmf" */
}

/* Writes the image and computes its hash (the same two-lane hash as pv_hash_words) on the way. */
void work_generate_payload(void)
{
    uint64_t *src = (uint64_t *)(uintptr_t)pv_layout.src_base;
    uint64_t words = pv_layout.payload_size / 8; /* even: the size is a multiple of 4 KiB */
    uint64_t h0 = PV_HASH_INIT, h1 = PV_HASH_INIT ^ PV_HASH_LANE1;
    for (uint64_t i = 0; i < words; i += 2) {
        uint64_t w0 = payload_word(i), w1 = payload_word(i + 1);
        src[i] = w0;
        src[i + 1] = w1;
        h0 = pv_hash_word(h0, w0);
        h1 = pv_hash_word(h1, w1);
    }
    payload_src_hash = pv_hash_word(h0, h1);
}

/* A copy of whole 32-byte blocks with LDP/STP (the runtime's memcpy moves 8 bytes at a time). */
static void copy_blocks(uint64_t *dst, const uint64_t *src, uint64_t bytes)
{
    for (uint64_t i = 0; i < bytes / 8; i += 4) {
        uint64_t a = src[i], b = src[i + 1], c = src[i + 2], d = src[i + 3];
        dst[i] = a;
        dst[i + 1] = b;
        dst[i + 2] = c;
        dst[i + 3] = d;
    }
}

void work_copy_payload(void)
{
    void *dst = (void *)(uintptr_t)pv_layout.dst_base;
    copy_blocks(dst, (const uint64_t *)(uintptr_t)pv_layout.src_base, pv_layout.payload_size);
    payload_hash = pv_hash_words(PV_HASH_INIT, dst, pv_layout.payload_size);
    if (payload_hash != payload_src_hash)
        pv_die(PV_EXIT_SETUP, "payload: copy does not match the image");
    sum = pv_hash_word(sum, payload_hash);
    printf("pvmfw: payload: %lu bytes copied to 0x%08lx and verified\n",
           (unsigned long)pv_layout.payload_size, (unsigned long)pv_layout.dst_base);
}

/* ---- devices ---------------------------------------------------------------------------------- */
#define VIRTIO_MAGIC_VALUE 0x000
#define VIRTIO_VERSION     0x004
#define VIRTIO_DEVICE_ID   0x008
#define VIRTIO_VENDOR_ID   0x00c
#define VIRTIO_INT_STATUS  0x060

/* Two transports on the first page, one on the second and the last: 3 device pages. */
static const unsigned probe_transports[] = {0, 1, 8, 31};
#define NPROBE (sizeof probe_transports / sizeof probe_transports[0])
static uint32_t probe_device_id[NPROBE];

void work_probe_devices(void)
{
    for (unsigned k = 0; k < NPROBE; k++) {
        uintptr_t t = PV_VIRTIO_BASE + probe_transports[k] * PV_VIRTIO_STRIDE;
        uint32_t magic = mmio_read32(t + VIRTIO_MAGIC_VALUE);
        uint32_t version = mmio_read32(t + VIRTIO_VERSION);
        uint32_t device = mmio_read32(t + VIRTIO_DEVICE_ID);
        uint32_t vendor = mmio_read32(t + VIRTIO_VENDOR_ID);
        if (magic != FW_VIRTIO_MAGIC)
            pv_die(PV_EXIT_SETUP, "virtio-mmio@0x%08lx: MagicValue 0x%08x", (unsigned long)t, magic);
        probe_device_id[k] = device;
        printf("pvmfw: virtio-mmio@0x%08lx: version %u, device %u%s, vendor 0x%08x\n",
               (unsigned long)t, version, device, device ? "" : " (none)", vendor);
        sum = pv_hash_word(sum, ((uint64_t)magic << 32) | version);
        sum = pv_hash_word(sum, ((uint64_t)device << 32) | vendor);
    }
    /* The PCIe window: one word of each of --pci-touch pages spread over the region. */
    const struct pv_region *pci = pv_find_region("pcie");
    uint32_t all = 0xffffffffu;
    for (uint32_t k = 0; k < pv_opt.pci_touch; k++) {
        uint64_t page = (uint64_t)k * pv_opt.pci_pages / pv_opt.pci_touch;
        uint32_t v = mmio_read32(pci->base + page * PV_PAGE_SIZE + ((k * 0x40u) & 0xfffu));
        all &= v;
        sum = pv_hash_word(sum, v);
    }
    printf("pvmfw: pcie window: %u of %u pages read%s\n", pv_opt.pci_touch, pv_opt.pci_pages,
           pv_opt.pci_touch == 0 ? "" : all == 0xffffffffu ? ", all ones" : ", not all ones");
}

/* ---- device tree ------------------------------------------------------------------------------ */
/* The root's properties, /chosen (patched later) and /memory (its size patched later). */
static void dt_add_root_chosen_memory(void)
{
    fdt_prop_u32("#address-cells", 2);
    fdt_prop_u32("#size-cells", 2);
    fdt_prop_str("compatible", "linux,dummy-virt");
    fdt_prop_str("model", "httusim pvmfw guest");

    fdt_begin_node("chosen");
    fdt_prop_str("bootargs", "console=ttyAMA0 panic=-1");
    fdt_prop_str("stdout-path", "/pl011@9000000");
    static const uint32_t zero2[2] = {0, 0};
    fdt_prop_cells("kaslr-seed", zero2, 2);
    fdt_prop_cells("linux,initrd-start", zero2, 2);
    fdt_prop_cells("linux,initrd-end", zero2, 2);
    fdt_end_node();

    fdt_begin_node("memory@40000000");
    fdt_prop_str("device_type", "memory");
    fdt_prop_reg("reg", PV_RAM_BASE, 0); /* size patched below */
    fdt_end_node();
}

static void dt_add_cpus_psci(void)
{
    fdt_begin_node("cpus");
    fdt_prop_u32("#address-cells", 1);
    fdt_prop_u32("#size-cells", 0);
    fdt_begin_node("cpu@0");
    fdt_prop_str("device_type", "cpu");
    fdt_prop_str("compatible", "arm,arm-v8");
    fdt_prop_u32("reg", 0);
    fdt_prop_str("enable-method", "psci");
    fdt_end_node();
    fdt_end_node();

    fdt_begin_node("psci");
    fdt_prop_str("compatible", "arm,psci-1.0");
    fdt_prop_str("method", "hvc");
    fdt_end_node();
}

/* The UART, every virtio-mmio transport and the PCIe host. */
static void dt_add_devices(void)
{
    char name[40];
    fdt_begin_node("pl011@9000000");
    static const char pl011_compat[] = "arm,pl011\0arm,primecell";
    fdt_prop("compatible", pl011_compat, sizeof pl011_compat);
    fdt_prop_reg("reg", PV_UART_BASE, PV_PAGE_SIZE);
    fdt_end_node();

    for (unsigned i = 0; i < PV_VIRTIO_COUNT; i++) {
        uint64_t base = PV_VIRTIO_BASE + i * PV_VIRTIO_STRIDE;
        snprintf(name, sizeof name, "virtio_mmio@%lx", (unsigned long)base);
        fdt_begin_node(name);
        fdt_prop_str("compatible", "virtio,mmio");
        fdt_prop_reg("reg", base, PV_VIRTIO_STRIDE);
        uint32_t irq[3] = {0, 16 + i, 1};
        fdt_prop_cells("interrupts", irq, 3);
        fdt_prop("dma-coherent", NULL, 0);
        fdt_end_node();
    }

    fdt_begin_node("pcie@10000000");
    fdt_prop_str("compatible", "pci-host-ecam-generic");
    fdt_prop_str("device_type", "pci");
    fdt_prop_reg("reg", PV_PCI_BASE, (uint64_t)pv_opt.pci_pages * PV_PAGE_SIZE);
    fdt_end_node();
}

/* Writes the device tree at pv_layout.dt_base; returns its size. */
static uint32_t dt_build(void)
{
    fdt_begin((void *)(uintptr_t)pv_layout.dt_base, (uint32_t)pv_layout.dt_size);
    fdt_begin_node("");
    dt_add_root_chosen_memory();
    dt_add_cpus_psci();
    dt_add_devices();
    fdt_end_node();
    return fdt_finish();
}

/* Patches the memory size, a KASLR seed and the initrd range from the payload in place. */
static bool dt_patch_memory_chosen(void *dt)
{
    bool ok = true;
    uint32_t reg[4] = {__builtin_bswap32(0), __builtin_bswap32((uint32_t)PV_RAM_BASE),
                       __builtin_bswap32((uint32_t)(PV_RAM_SIZE >> 32)),
                       __builtin_bswap32((uint32_t)PV_RAM_SIZE)};
    ok &= fdt_setprop_inplace(dt, "/memory@40000000", "reg", reg, sizeof reg);
    uint64_t seed = mix64(payload_hash);
    uint32_t seed_be[2] = {__builtin_bswap32((uint32_t)(seed >> 32)), __builtin_bswap32((uint32_t)seed)};
    ok &= fdt_setprop_inplace(dt, "/chosen", "kaslr-seed", seed_be, sizeof seed_be);
    uint64_t initrd[2] = {pv_layout.dst_base, pv_layout.dst_base + pv_layout.payload_size};
    for (int j = 0; j < 2; j++) {
        uint32_t be[2] = {__builtin_bswap32((uint32_t)(initrd[j] >> 32)),
                          __builtin_bswap32((uint32_t)initrd[j])};
        ok &= fdt_setprop_inplace(dt, "/chosen", j ? "linux,initrd-end" : "linux,initrd-start",
                                  be, sizeof be);
    }
    return ok;
}

/* Removes the transports the probe found empty (DeviceID 0), as a VMM's DT is cut down to what
 * exists; *removed = how many. */
static bool dt_remove_empty_transports(void *dt, unsigned *removed)
{
    char name[40];
    bool ok = true;
    *removed = 0;
    for (unsigned k = 0; k < NPROBE; k++) {
        if (probe_device_id[k] != 0)
            continue;
        snprintf(name, sizeof name, "/virtio_mmio@%lx",
                 (unsigned long)(PV_VIRTIO_BASE + probe_transports[k] * PV_VIRTIO_STRIDE));
        ok &= fdt_nop_node(dt, name);
        (*removed)++;
    }
    return ok;
}

void work_device_tree(void)
{
    uint32_t size = dt_build();
    void *dt = (void *)(uintptr_t)pv_layout.dt_base;
    unsigned removed = 0;
    bool ok = dt_patch_memory_chosen(dt);
    ok &= dt_remove_empty_transports(dt, &removed);
    uint32_t nodes = 0, props = 0;
    if (!ok || !fdt_check(dt, &nodes, &props) || fdt_totalsize(dt) != size)
        pv_die(PV_EXIT_SETUP, "device tree: patching failed");
    sum = pv_hash_bytes(sum, dt, size);
    printf("pvmfw: device tree: %u bytes at 0x%08lx, %u nodes, %u properties, %u transports "
           "removed\n", size, (unsigned long)pv_layout.dt_base, nodes, props, removed);
}

/* ---- secrets ---------------------------------------------------------------------------------- */
void work_secrets(void)
{
    const uint64_t bytes = PV_PAGE_SIZE;
    uint64_t page = heap_alloc_pages(1);
    volatile uint64_t *s = (volatile uint64_t *)(uintptr_t)page;
    /* Derive (a stand-in for the DICE CDIs), use (a seal over them), zeroize, verify. */
    uint64_t seal = PV_HASH_INIT;
    for (uint64_t i = 0; i < bytes / 8; i++)
        s[i] = mix64(payload_hash ^ (i + 1));
    for (uint64_t i = 0; i < bytes / 8; i++)
        seal = pv_hash_word(seal, s[i]);
    for (uint64_t i = 0; i < bytes / 8; i++)
        s[i] = 0;
    uint64_t left = 0;
    for (uint64_t i = 0; i < bytes / 8; i++)
        left |= s[i];
    if (left)
        pv_die(PV_EXIT_SETUP, "secrets: not zeroized");
    heap_free_pages(page, 1);
    sum = pv_hash_word(sum, seal);
    printf("pvmfw: secrets: %lu bytes derived, sealed and zeroized\n", (unsigned long)bytes);
}

/* ---- scratch writes --------------------------------------------------------------------------- */
/* Page p of n is written when floor((p + 1) f) > floor(p f): exactly floor(n f) pages, evenly
 * spread (f = write_frac_ppm / 10^6). Each written page gets one 64-byte line, at an offset that
 * moves from page to page. */
void work_scratch(void)
{
    uint64_t pages = pv_layout.scratch_size / PV_PAGE_SIZE, ppm = pv_opt.write_frac_ppm;
    uint64_t written = 0;
    for (uint64_t p = 0; p < pages; p++) {
        if ((p + 1) * ppm / 1000000 == p * ppm / 1000000)
            continue;
        uint64_t *line = (uint64_t *)(uintptr_t)(pv_layout.scratch_base + p * PV_PAGE_SIZE +
                                                 ((p * 64) & (PV_PAGE_SIZE - 1)));
        for (unsigned j = 0; j < 8; j++)
            line[j] = mix64((p << 3) | j);
        sum = pv_hash_words(sum, line, 64);
        written++;
    }
    work_scratch_written = written;
    printf("pvmfw: scratch: %lu of %lu pages written (write-frac %u.%06u)\n",
           (unsigned long)written, (unsigned long)pages, pv_opt.write_frac_ppm / 1000000,
           pv_opt.write_frac_ppm % 1000000);
}

/* ---- virtio-style requests -------------------------------------------------------------------- */
#define REQ_OUT 1u /* virtio-blk VIRTIO_BLK_T_OUT: data to the device */
#define REQ_IN  0u /* VIRTIO_BLK_T_IN: data from the device */
#define REQ_HDR 16u
#define REQ_TAIL 16u

struct req_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};
struct req_tail {
    uint64_t result; /* device: hash of the data (OUT) or its length (IN) */
    uint8_t status;  /* 0 = VIRTIO_BLK_S_OK */
    uint8_t pad[7];
};

struct req {
    uint8_t *buf;
    uint64_t bytes;
    uint32_t len, type;
};

static uint32_t req_len(uint32_t r)
{
    uint32_t len = 512 + (uint32_t)(((uint64_t)r * 2654435761u >> 7) % 7681u);
    len &= ~7u;
    if (len > pv_layout.payload_size)
        len = (uint32_t)pv_layout.payload_size;
    return len;
}

/* The host's side of the request (what the VMM's device would do with the shared buffer). */
static void device_process(struct req *q)
{
    struct req_hdr *h = (struct req_hdr *)q->buf;
    uint64_t *data = (uint64_t *)(q->buf + REQ_HDR);
    struct req_tail *t = (struct req_tail *)(q->buf + REQ_HDR + q->len);
    if (h->type == REQ_OUT) {
        t->result = pv_hash_words(PV_HASH_INIT, data, q->len);
    } else {
        for (uint32_t i = 0; i < q->len / 8; i++)
            data[i] = mix64((h->sector << 9) + i * 8);
        t->result = q->len;
    }
    t->status = 0;
}

void work_requests(void)
{
    struct req q[64];
    uint64_t bytes_total = 0, outs = 0;
    uint32_t qd = pv_opt.queue_depth;
    for (uint32_t first = 0; first < pv_opt.requests; first += qd) {
        uint32_t n = pv_opt.requests - first < qd ? pv_opt.requests - first : qd;
        /* The guest fills the requests in. */
        for (uint32_t j = 0; j < n; j++) {
            uint32_t r = first + j;
            q[j].len = req_len(r);
            q[j].type = (r & 1) ? REQ_IN : REQ_OUT;
            q[j].bytes = REQ_HDR + q[j].len + REQ_TAIL;
            q[j].buf = bounce_alloc(q[j].bytes);
            struct req_hdr *h = (struct req_hdr *)q[j].buf;
            h->type = q[j].type;
            h->reserved = 0;
            h->sector = (uint64_t)r * 16;
            if (q[j].type == REQ_OUT) {
                uint64_t off = ((uint64_t)r * 12288) % (pv_layout.payload_size - q[j].len + 8);
                off &= ~7ull;
                memcpy(q[j].buf + REQ_HDR, (const void *)(uintptr_t)(pv_layout.dst_base + off),
                       q[j].len);
                outs++;
            }
            bytes_total += q[j].bytes;
        }
        /* Kick, the device runs, poll the interrupt status. */
        for (uint32_t j = 0; j < n; j++)
            device_process(&q[j]);
        uint32_t isr = mmio_read32(PV_VIRTIO_BASE + VIRTIO_INT_STATUS);
        sum = pv_hash_word(sum, isr);
        /* Completions: check, take the results, release the buffers. */
        for (uint32_t j = 0; j < n; j++) {
            struct req_tail *t = (struct req_tail *)(q[j].buf + REQ_HDR + q[j].len);
            if (t->status != 0)
                pv_die(PV_EXIT_SETUP, "request %u failed", first + j);
            sum = pv_hash_word(sum, t->result);
            if (q[j].type == REQ_IN)
                sum = pv_hash_words(sum, q[j].buf + REQ_HDR, q[j].len);
            bounce_free(q[j].buf, q[j].bytes);
        }
    }
    printf("pvmfw: requests: %u done (%lu out, %lu in), %lu bytes through bounce buffers\n",
           pv_opt.requests, (unsigned long)outs, (unsigned long)(pv_opt.requests - outs),
           (unsigned long)bytes_total);
}
