/* pvmfw's command line (docs/pvmfw.md, "Options"). Options arrive through semihosting
 * SYS_GET_CMDLINE as "ELF --name=value ...": argv[0] is the program, the rest are options. */
#include "pvmfw.h"

struct pv_options pv_opt = {
    .dirty = PV_DIRTY_AUTO,
    .mmio = PV_MMIO_LAZY,
    .share = PV_SHARE_POOL,
    .payload_size = 1 * PV_MIB,
    .scratch_size = 1 * PV_MIB,
    .heap_size = 512 * PV_KIB,
    .pool_chunk = 16 * PV_KIB,
    .write_frac_ppm = 250000,
    .requests = 64,
    .queue_depth = 4,
    .pci_pages = 256,
    .pci_touch = 4,
    .va_bits = 48,
    .verbose = false,
    .selftest = false,
};

const char *pv_dirty_name(enum pv_dirty_policy p)
{
    switch (p) {
    case PV_DIRTY_AUTO: return "auto";
    case PV_DIRTY_HW: return "hw";
    case PV_DIRTY_SW: return "sw";
    case PV_DIRTY_FLUSH_ALL: return "flush-all";
    }
    return "?";
}

const char *pv_mmio_name(enum pv_mmio_policy p) { return p == PV_MMIO_LAZY ? "lazy" : "eager"; }
const char *pv_share_name(enum pv_share_policy p) { return p == PV_SHARE_POOL ? "pool" : "direct"; }

/* Unsigned decimal or 0x-hex; optional K, M or G suffix (binary) when `suffix`. */
static bool parse_u64(const char *s, bool suffix, uint64_t *out)
{
    uint64_t v = 0, base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    const char *start = s;
    for (;; s++) {
        unsigned d;
        char c = *s;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    if (s == start)
        return false;
    uint64_t mult = 1;
    if (suffix && *s) {
        switch (*s) {
        case 'k': case 'K': mult = PV_KIB; break;
        case 'm': case 'M': mult = PV_MIB; break;
        case 'g': case 'G': mult = 1024 * PV_MIB; break;
        default: return false;
        }
        s++;
    }
    if (*s)
        return false;
    if (v > UINT64_MAX / mult)
        return false;
    *out = v * mult;
    return true;
}

/* A fraction in [0, 1] as a decimal ("0.25", ".5", "1", "1.0"): millionths, truncated after six
 * decimals. Fixed point: the firmware has no floating point (-mgeneral-regs-only). */
static bool parse_fraction(const char *s, uint32_t *ppm)
{
    uint64_t whole = 0, frac = 0, scale = 1000000;
    bool digits = false;
    for (; *s >= '0' && *s <= '9'; s++) {
        whole = whole * 10 + (uint64_t)(*s - '0');
        digits = true;
        if (whole > 1)
            return false;
    }
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++) {
            digits = true;
            if (scale > 1) {
                scale /= 10;
                frac += (uint64_t)(*s - '0') * scale;
            }
        }
    }
    if (*s || !digits)
        return false;
    uint64_t v = whole * 1000000 + frac;
    if (v > 1000000)
        return false;
    *ppm = (uint32_t)v;
    return true;
}

static void usage(void)
{
    printf("usage: pvmfw [--dirty=auto|hw|sw|flush-all] [--mmio=lazy|eager] [--share=pool|direct]\n"
           "             [--payload=SIZE] [--scratch=SIZE] [--heap=SIZE] [--pool-chunk=SIZE]\n"
           "             [--write-frac=F] [--requests=N] [--queue-depth=N] [--pci-pages=N]\n"
           "             [--pci-touch=N] [--va-bits=N] [--selftest] [--verbose]\n"
           "SIZE: bytes with an optional K/M/G suffix; F: a decimal fraction in [0, 1]\n");
}

static bool bad(const char *arg, const char *why)
{
    printf("pvmfw: error: %s: %s\n", arg, why);
    return false;
}

/* A size option: a nonzero multiple of the page size, at most `max`. */
static bool size_opt(const char *arg, const char *val, uint64_t max, uint64_t *out)
{
    uint64_t v;
    if (!parse_u64(val, true, &v))
        return bad(arg, "not a size (bytes, optional K/M/G suffix)");
    if (v == 0 || (v & (PV_PAGE_SIZE - 1)))
        return bad(arg, "must be a nonzero multiple of 4K");
    if (v > max)
        return bad(arg, "too large");
    *out = v;
    return true;
}

static bool count_opt(const char *arg, const char *val, uint64_t min, uint64_t max, uint32_t *out)
{
    uint64_t v;
    if (!parse_u64(val, false, &v))
        return bad(arg, "not a number");
    if (v < min || v > max)
        return bad(arg, "out of range");
    *out = (uint32_t)v;
    return true;
}

/* "--name=value": true and *val when arg starts with "--name=". */
static bool opt_is(const char *arg, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) == 0 && arg[n] == '=') {
        *val = arg + n + 1;
        return true;
    }
    return false;
}

/* long: one branch per option, like a decoder's switch. */
bool pv_parse_options(int argc, char **argv)
{
    struct pv_options *o = &pv_opt;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0) {
            usage();
            fw_exit(0);
        } else if (strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--selftest") == 0) {
            o->selftest = true;
        } else if (opt_is(a, "--dirty", &v)) {
            if (strcmp(v, "auto") == 0)
                o->dirty = PV_DIRTY_AUTO;
            else if (strcmp(v, "hw") == 0)
                o->dirty = PV_DIRTY_HW;
            else if (strcmp(v, "sw") == 0)
                o->dirty = PV_DIRTY_SW;
            else if (strcmp(v, "flush-all") == 0)
                o->dirty = PV_DIRTY_FLUSH_ALL;
            else
                return bad(a, "expected auto, hw, sw or flush-all");
        } else if (opt_is(a, "--mmio", &v)) {
            if (strcmp(v, "lazy") == 0)
                o->mmio = PV_MMIO_LAZY;
            else if (strcmp(v, "eager") == 0)
                o->mmio = PV_MMIO_EAGER;
            else
                return bad(a, "expected lazy or eager");
        } else if (opt_is(a, "--share", &v)) {
            if (strcmp(v, "pool") == 0)
                o->share = PV_SHARE_POOL;
            else if (strcmp(v, "direct") == 0)
                o->share = PV_SHARE_DIRECT;
            else
                return bad(a, "expected pool or direct");
        } else if (opt_is(a, "--payload", &v)) {
            if (!size_opt(a, v, 48 * PV_MIB, &o->payload_size))
                return false;
        } else if (opt_is(a, "--scratch", &v)) {
            if (!size_opt(a, v, 96 * PV_MIB, &o->scratch_size))
                return false;
        } else if (opt_is(a, "--heap", &v)) {
            if (!size_opt(a, v, 64 * PV_MIB, &o->heap_size))
                return false;
        } else if (opt_is(a, "--pool-chunk", &v)) {
            if (!size_opt(a, v, 1 * PV_MIB, &o->pool_chunk))
                return false;
            if (o->pool_chunk < 12 * PV_KIB)
                return bad(a, "must be at least 12K (the largest bounce buffer is 8224 bytes)");
        } else if (opt_is(a, "--write-frac", &v)) {
            if (!parse_fraction(v, &o->write_frac_ppm))
                return bad(a, "expected a decimal fraction between 0 and 1");
        } else if (opt_is(a, "--requests", &v)) {
            if (!count_opt(a, v, 0, 1000000, &o->requests))
                return false;
        } else if (opt_is(a, "--queue-depth", &v)) {
            if (!count_opt(a, v, 1, 64, &o->queue_depth))
                return false;
        } else if (opt_is(a, "--pci-pages", &v)) {
            if (!count_opt(a, v, 1, (PV_PCI_LIMIT - PV_PCI_BASE) / PV_PAGE_SIZE, &o->pci_pages))
                return false;
        } else if (opt_is(a, "--pci-touch", &v)) {
            if (!count_opt(a, v, 0, (PV_PCI_LIMIT - PV_PCI_BASE) / PV_PAGE_SIZE, &o->pci_touch))
                return false;
        } else if (opt_is(a, "--va-bits", &v)) {
            if (!count_opt(a, v, 32, 48, &o->va_bits))
                return false;
        } else if (a[0] == '-' && a[1] == '-') {
            return bad(a, "unknown option (--help lists them)");
        } else {
            return bad(a, "unexpected argument (--help lists the options)");
        }
    }
    if (o->pci_touch > o->pci_pages)
        return bad("--pci-touch", "more pages than --pci-pages");
    return true;
}
