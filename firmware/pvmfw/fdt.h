/* A flattened device tree (the devicetree specification's FDT v17 format, big-endian): a small
 * sequential builder, in-place patching as libfdt's fdt_setprop_inplace / fdt_nop_node do, and a
 * structure check. Node paths are absolute ("/", "/chosen", "/cpus/cpu@0"). */
#ifndef PVMFW_FDT_H
#define PVMFW_FDT_H

#include "pvmfw.h"

#define FDT_MAGIC 0xd00dfeedu

void fdt_begin(void *buf, uint32_t capacity);
void fdt_begin_node(const char *name);
void fdt_end_node(void);
void fdt_prop(const char *name, const void *value, uint32_t len);
void fdt_prop_str(const char *name, const char *value);
void fdt_prop_u32(const char *name, uint32_t value);
void fdt_prop_cells(const char *name, const uint32_t *cells, uint32_t n); /* host order */
void fdt_prop_reg(const char *name, uint64_t addr, uint64_t size);          /* 2 + 2 cells */
uint32_t fdt_finish(void); /* fills in the header; returns totalsize */

uint32_t fdt_totalsize(const void *fdt);
/* Replaces the value of an existing property with one of the same length. */
bool fdt_setprop_inplace(void *fdt, const char *path, const char *prop, const void *value,
                         uint32_t len);
/* Overwrites a node and its subtree with FDT_NOP tokens. */
bool fdt_nop_node(void *fdt, const char *path);
/* Walks the structure block; false if malformed. Counts nodes and properties. */
bool fdt_check(const void *fdt, uint32_t *nodes, uint32_t *props);

#endif
