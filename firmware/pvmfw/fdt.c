/* Flattened device tree: build, patch, check (fdt.h). */
#include "fdt.h"

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

#define HDR_MAGIC        0
#define HDR_TOTALSIZE    4
#define HDR_OFF_STRUCT   8
#define HDR_OFF_STRINGS  12
#define HDR_OFF_RSVMAP   16
#define HDR_VERSION      20
#define HDR_LAST_COMP    24
#define HDR_BOOT_CPUID   28
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT  36
#define HDR_SIZE         40

#define STRINGS_MAX 1024

static uint8_t *fdt_buf;
static uint32_t fdt_cap, fdt_off; /* structure block grows at fdt_buf + fdt_off */
static uint32_t fdt_struct_start;
static char fdt_strings[STRINGS_MAX];
static uint32_t fdt_strings_len;

static inline uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }
static inline uint32_t rd32(const void *fdt, uint32_t off)
{
    return be32(*(const uint32_t *)((const uint8_t *)fdt + off));
}
static inline void wr32(void *fdt, uint32_t off, uint32_t v)
{
    *(uint32_t *)((uint8_t *)fdt + off) = be32(v);
}

static void need(uint32_t bytes)
{
    if (fdt_off + bytes > fdt_cap)
        pv_die(PV_EXIT_SETUP, "device tree larger than its %u bytes", fdt_cap);
}

static void put32(uint32_t v)
{
    need(4);
    wr32(fdt_buf, fdt_off, v);
    fdt_off += 4;
}

/* Bytes, then zero padding to a 4-byte boundary. */
static void put_bytes(const void *p, uint32_t n)
{
    need((n + 3) & ~3u);
    const uint8_t *s = p;
    for (uint32_t i = 0; i < n; i++)
        fdt_buf[fdt_off + i] = s[i];
    for (uint32_t i = n; i & 3; i++)
        fdt_buf[fdt_off + i] = 0;
    fdt_off += (n + 3) & ~3u;
}

static uint32_t string_offset(const char *name)
{
    for (uint32_t off = 0; off < fdt_strings_len; off += (uint32_t)strlen(fdt_strings + off) + 1)
        if (strcmp(fdt_strings + off, name) == 0)
            return off;
    uint32_t n = (uint32_t)strlen(name) + 1;
    if (fdt_strings_len + n > STRINGS_MAX)
        pv_die(PV_EXIT_SETUP, "device tree: too many property names");
    memcpy(fdt_strings + fdt_strings_len, name, n);
    fdt_strings_len += n;
    return fdt_strings_len - n;
}

void fdt_begin(void *buf, uint32_t capacity)
{
    fdt_buf = buf;
    fdt_cap = capacity;
    fdt_strings_len = 0;
    fdt_off = HDR_SIZE;
    /* Memory reservation block: just the terminating (0, 0) entry. */
    for (int i = 0; i < 4; i++)
        put32(0);
    fdt_struct_start = fdt_off;
}

void fdt_begin_node(const char *name)
{
    put32(FDT_BEGIN_NODE);
    put_bytes(name, (uint32_t)strlen(name) + 1);
}

void fdt_end_node(void) { put32(FDT_END_NODE); }

void fdt_prop(const char *name, const void *value, uint32_t len)
{
    put32(FDT_PROP);
    put32(len);
    put32(string_offset(name));
    put_bytes(value, len);
}

void fdt_prop_str(const char *name, const char *value)
{
    fdt_prop(name, value, (uint32_t)strlen(value) + 1);
}

void fdt_prop_cells(const char *name, const uint32_t *cells, uint32_t n)
{
    put32(FDT_PROP);
    put32(n * 4);
    put32(string_offset(name));
    for (uint32_t i = 0; i < n; i++)
        put32(cells[i]);
}

void fdt_prop_u32(const char *name, uint32_t value) { fdt_prop_cells(name, &value, 1); }

void fdt_prop_reg(const char *name, uint64_t addr, uint64_t size)
{
    uint32_t c[4] = {(uint32_t)(addr >> 32), (uint32_t)addr, (uint32_t)(size >> 32), (uint32_t)size};
    fdt_prop_cells(name, c, 4);
}

uint32_t fdt_finish(void)
{
    put32(FDT_END);
    uint32_t size_struct = fdt_off - fdt_struct_start;
    uint32_t off_strings = fdt_off;
    put_bytes(fdt_strings, fdt_strings_len);
    uint32_t total = fdt_off;
    wr32(fdt_buf, HDR_MAGIC, FDT_MAGIC);
    wr32(fdt_buf, HDR_TOTALSIZE, total);
    wr32(fdt_buf, HDR_OFF_STRUCT, fdt_struct_start);
    wr32(fdt_buf, HDR_OFF_STRINGS, off_strings);
    wr32(fdt_buf, HDR_OFF_RSVMAP, HDR_SIZE);
    wr32(fdt_buf, HDR_VERSION, 17);
    wr32(fdt_buf, HDR_LAST_COMP, 16);
    wr32(fdt_buf, HDR_BOOT_CPUID, 0);
    wr32(fdt_buf, HDR_SIZE_STRINGS, fdt_strings_len);
    wr32(fdt_buf, HDR_SIZE_STRUCT, size_struct);
    return total;
}

uint32_t fdt_totalsize(const void *fdt) { return rd32(fdt, HDR_TOTALSIZE); }

/* ---- reading ------------------------------------------------------------------------------- */
struct fdt_token {
    uint32_t tag;
    uint32_t off;  /* of the token */
    uint32_t next; /* of the next token */
    const char *name; /* node name or property name */
    uint32_t len;     /* property value length */
    uint32_t value;   /* offset of the property value */
};

/* Decodes the token at off; false if it runs past the structure block. */
static bool token_at(const void *fdt, uint32_t off, struct fdt_token *t)
{
    const uint8_t *b = fdt;
    uint32_t end = rd32(fdt, HDR_OFF_STRUCT) + rd32(fdt, HDR_SIZE_STRUCT);
    if (off + 4 > end)
        return false;
    t->tag = rd32(fdt, off);
    t->off = off;
    t->name = NULL;
    switch (t->tag) {
    case FDT_BEGIN_NODE: {
        uint32_t p = off + 4;
        t->name = (const char *)b + p;
        while (p < end && b[p])
            p++;
        if (p >= end)
            return false;
        t->next = (p + 1 + 3) & ~3u;
        return true;
    }
    case FDT_PROP:
        if (off + 12 > end)
            return false;
        t->len = rd32(fdt, off + 4);
        t->name = (const char *)b + rd32(fdt, HDR_OFF_STRINGS) + rd32(fdt, off + 8);
        t->value = off + 12;
        t->next = (off + 12 + t->len + 3) & ~3u;
        return t->next <= end;
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        t->next = off + 4;
        return true;
    default:
        return false;
    }
}

/* Compares a node name with the path component [c, c + n). */
static bool name_is(const char *name, const char *c, size_t n)
{
    return strncmp(name, c, n) == 0 && name[n] == '\0';
}

/* Offset of the FDT_BEGIN_NODE token of `path`, or 0. */
static uint32_t find_node(const void *fdt, const char *path)
{
    if (path[0] != '/')
        return 0;
    const char *comp[8];
    size_t clen[8];
    unsigned ncomp = 0;
    for (const char *p = path + 1; *p;) {
        const char *e = p;
        while (*e && *e != '/')
            e++;
        if (e > p) {
            if (ncomp == 8)
                return 0;
            comp[ncomp] = p;
            clen[ncomp++] = (size_t)(e - p);
        }
        p = *e ? e + 1 : e;
    }
    unsigned depth = 0, matched = 0; /* root at depth 1; component i at depth i + 2 */
    struct fdt_token t;
    for (uint32_t off = rd32(fdt, HDR_OFF_STRUCT); token_at(fdt, off, &t); off = t.next) {
        if (t.tag == FDT_BEGIN_NODE) {
            depth++;
            if (depth == 1 && ncomp == 0)
                return off;
            if (depth >= 2 && matched == depth - 2 && matched < ncomp &&
                name_is(t.name, comp[matched], clen[matched])) {
                matched++;
                if (matched == ncomp)
                    return off;
            }
        } else if (t.tag == FDT_END_NODE) {
            if (depth >= 2 && matched >= depth - 1)
                matched = depth - 2;
            depth--;
        } else if (t.tag == FDT_END) {
            break;
        }
    }
    return 0;
}

bool fdt_setprop_inplace(void *fdt, const char *path, const char *prop, const void *value,
                         uint32_t len)
{
    uint32_t node = find_node(fdt, path);
    if (!node)
        return false;
    struct fdt_token t;
    unsigned depth = 0;
    for (uint32_t off = node; token_at(fdt, off, &t); off = t.next) {
        if (t.tag == FDT_BEGIN_NODE)
            depth++;
        else if (t.tag == FDT_END_NODE) {
            if (--depth == 0)
                break;
        } else if (t.tag == FDT_PROP && depth == 1 && strcmp(t.name, prop) == 0) {
            if (t.len != len)
                return false;
            memcpy((uint8_t *)fdt + t.value, value, len);
            return true;
        } else if (t.tag == FDT_END)
            break;
    }
    return false;
}

bool fdt_nop_node(void *fdt, const char *path)
{
    uint32_t node = find_node(fdt, path);
    if (!node)
        return false;
    struct fdt_token t;
    unsigned depth = 0;
    for (uint32_t off = node; token_at(fdt, off, &t); off = t.next) {
        if (t.tag == FDT_BEGIN_NODE)
            depth++;
        else if (t.tag == FDT_END_NODE)
            depth--;
        else if (t.tag == FDT_END)
            return false;
        if (depth == 0) {
            for (uint32_t w = node; w < t.next; w += 4)
                wr32(fdt, w, FDT_NOP);
            return true;
        }
    }
    return false;
}

bool fdt_check(const void *fdt, uint32_t *nodes, uint32_t *props)
{
    if (rd32(fdt, HDR_MAGIC) != FDT_MAGIC || rd32(fdt, HDR_VERSION) != 17)
        return false;
    uint32_t n = 0, p = 0;
    int depth = 0;
    struct fdt_token t;
    for (uint32_t off = rd32(fdt, HDR_OFF_STRUCT); token_at(fdt, off, &t); off = t.next) {
        if (t.tag == FDT_BEGIN_NODE) {
            depth++;
            n++;
        } else if (t.tag == FDT_END_NODE) {
            if (--depth < 0)
                return false;
        } else if (t.tag == FDT_PROP) {
            if (depth == 0)
                return false;
            p++;
        } else if (t.tag == FDT_END) {
            *nodes = n;
            *props = p;
            return depth == 0;
        }
    }
    return false;
}
