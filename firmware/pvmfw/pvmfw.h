/* pvmfw: a protected-VM firmware in the style of Android's pvmfw on pKVM, for the study of
 * software vs hardware dirty tracking (FEAT_HAFDBS), lazy vs eager MMIO guard mapping and pooled
 * vs direct memory sharing. See docs/pvmfw.md.
 *
 * Modules:
 *   options.c  the command line (semihosting SYS_GET_CMDLINE): policies and workload size
 *   pt.c       the stage-1 identity map: tables, blocks, splits, lazy device entries, the
 *              dirty-page walk and flush
 *   fault.c    the synchronous exception handler: lazy MMIO mapping, software dirty tracking,
 *              UNDEFINED HVC; anything else is reported and ends the run
 *   hyp.c      pKVM discovery and the hypervisor calls (emulated and counted without pKVM)
 *   heap.c     the page allocator of the main heap, the shared pool, bounce buffers
 *   fdt.c      the device-tree blob: build, patch, check
 *   work.c     the boot flow's work: payload, devices, secrets, scratch writes, requests
 *   main.c     layout, MMU set-up, the boot flow, teardown, the RESULT line
 */
#ifndef PVMFW_H
#define PVMFW_H

#include <stdbool.h>
#include <stdint.h>

#include "fw.h"

#define PV_PAGE_SIZE  4096ull
#define PV_PAGE_SHIFT 12
#define PV_KIB        1024ull
#define PV_MIB        (1024ull * 1024ull)

static inline uint64_t pv_align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
static inline uint64_t pv_align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

/* Exit statuses (semihosting SYS_EXIT). 0 is reserved for the normal end (PSCI SYSTEM_OFF). */
#define PV_EXIT_CHECK   1   /* the run completed but a consistency check failed */
#define PV_EXIT_USAGE   2   /* unknown or malformed option */
#define PV_EXIT_SETUP   3   /* setup error: layout, table pool, hypervisor refused a call */
#define PV_EXIT_FAULT   4   /* an exception the firmware does not handle */

/* ---- options (options.c) ------------------------------------------------------------------ */
enum pv_dirty_policy { PV_DIRTY_AUTO, PV_DIRTY_HW, PV_DIRTY_SW, PV_DIRTY_FLUSH_ALL };
enum pv_mmio_policy { PV_MMIO_LAZY, PV_MMIO_EAGER };
enum pv_share_policy { PV_SHARE_POOL, PV_SHARE_DIRECT };

struct pv_options {
    enum pv_dirty_policy dirty;
    enum pv_mmio_policy mmio;
    enum pv_share_policy share;
    uint64_t payload_size;     /* bytes, a multiple of the page size */
    uint64_t scratch_size;
    uint64_t heap_size;
    uint64_t pool_chunk;       /* bytes the shared pool grows by */
    uint32_t write_frac_ppm;   /* fraction of scratch pages written, in millionths */
    uint32_t requests;
    uint32_t queue_depth;
    uint32_t pci_pages;        /* size of the PCIe-window device region, in pages */
    uint32_t pci_touch;        /* pages of it the firmware reads */
    uint32_t va_bits;
    bool verbose;
    bool selftest;
};

extern struct pv_options pv_opt;

/* Parses argv[1..]; on error prints one line and returns false. */
bool pv_parse_options(int argc, char **argv);
const char *pv_dirty_name(enum pv_dirty_policy p);
const char *pv_mmio_name(enum pv_mmio_policy p);
const char *pv_share_name(enum pv_share_policy p);

/* --selftest (selftest.c): true when every check passed. */
bool pv_selftest(void);

/* Runs fn on SP_EL0 with the given stack (boot.S); exceptions keep SP_EL1. */
__attribute__((noreturn)) void pv_run_on_sp_el0(void (*fn)(void), uint64_t stack_top);

/* ---- counters: the RESULT line and a few more --------------------------------------------- */
struct pv_stats {
    /* RESULT fields (docs/pvmfw.md, "Counting rules") */
    uint64_t dirty_pages;      /* DBM leaves found dirty by the handover walk */
    uint64_t flushed_pages;    /* 4 KiB pages cleaned to PoC with DC CVAC */
    uint64_t perm_faults;      /* Permission faults taken (software dirty tracking) */
    uint64_t mmio_faults;      /* Translation faults on lazily mapped device pages */
    uint64_t mmio_map_hvcs;
    uint64_t mmio_unmap_hvcs;
    uint64_t share_hvcs;
    uint64_t unshare_hvcs;
    /* informative */
    uint64_t flushed_lines;
    uint64_t tables;           /* translation tables allocated */
    uint64_t splits;           /* block or lazy block entries split into a table */
    uint64_t pool_chunks;      /* shared-pool refills */
};

extern struct pv_stats pv_stats;

/* ---- what the run actually does ------------------------------------------------------------ */
enum pv_mode { PV_MODE_HW, PV_MODE_SW, PV_MODE_FLUSH_ALL };
extern enum pv_mode pv_mode;
extern bool pv_mmu_on;

/* ---- memory regions (main.c) ---------------------------------------------------------------- */
enum pv_region_kind {
    PV_RK_CODE,         /* read-only, executable */
    PV_RK_RODATA,       /* read-only, execute-never */
    PV_RK_RW,           /* plain read-write: the firmware's own data, stack, tables */
    PV_RK_WRITABLE,     /* writable-clean (DBM) in hw/sw mode, read-write in flush-all mode */
    PV_RK_DEVICE,       /* lazily (or eagerly) mapped device region, MMIO guarded */
};

struct pv_region {
    const char *name;
    uint64_t base, size;
    enum pv_region_kind kind;
    unsigned mair_index;        /* devices: the memory type */
    uint64_t dirty_pages;       /* filled at handover (writable regions) */
};

#define PV_MAX_REGIONS 16
extern struct pv_region pv_regions[PV_MAX_REGIONS];
extern unsigned pv_nregions;

/* Lazy-entry tag of a device region: its index + 1 (the tag is 4 bits, 0 means "not mapped"). */
const struct pv_region *pv_region_of_tag(unsigned tag);
const struct pv_region *pv_find_region(const char *name);

/* The workload's regions, by role (main.c fills them in). */
struct pv_layout {
    uint64_t dt_base, dt_size;
    uint64_t src_base, dst_base, payload_size;
    uint64_t scratch_base, scratch_size;
    uint64_t heap_base, heap_size;
};
extern struct pv_layout pv_layout;

#define PV_RAM_BASE   0x40000000ull
#define PV_RAM_SIZE   (128ull * PV_MIB)  /* QEMU virt and httusim default */
#define PV_UART_BASE  0x09000000ull
#define PV_VIRTIO_BASE 0x0a000000ull
#define PV_VIRTIO_COUNT 32u
#define PV_VIRTIO_STRIDE 0x200ull
#define PV_PCI_BASE   0x10000000ull
#define PV_PCI_LIMIT  0x3eff0000ull

/* ---- memory attributes: MAIR_EL1 indices --------------------------------------------------- */
#define PV_MAIR_NORMAL      0u   /* 0xff: Normal, inner/outer write-back, read/write-allocate */
#define PV_MAIR_DEV_NGNRNE  1u   /* 0x00 */
#define PV_MAIR_DEV_NGNRE   2u   /* 0x04 */
#define PV_MAIR_VALUE       (0xffull | (0x00ull << 8) | (0x04ull << 16))

/* ---- fatal errors -------------------------------------------------------------------------- */
__attribute__((noreturn, format(printf, 2, 3))) void pv_die(int status, const char *fmt, ...);

/* ---- checksum: 64-bit word mixing (FNV-1a style on words; pv_hash_words in two lanes) ------- */
#define PV_HASH_INIT  0xcbf29ce484222325ull
#define PV_HASH_PRIME 0x100000001b3ull
#define PV_HASH_LANE1 0x9e3779b97f4a7c15ull
static inline uint64_t pv_hash_word(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= PV_HASH_PRIME;
    return h ^ (h >> 29);
}
uint64_t pv_hash_words(uint64_t h, const void *p, uint64_t bytes); /* bytes: a multiple of 8 */
uint64_t pv_hash_bytes(uint64_t h, const void *p, uint64_t bytes);

#endif
