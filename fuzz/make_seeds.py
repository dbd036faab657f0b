#!/usr/bin/env python3
"""Generate the committed seed corpora of the fuzz harnesses (fuzz/corpus/a64, fuzz/corpus/vmsa).

    fuzz/make_seeds.py [--firmware DIR] [--out fuzz/corpus]

a64: windows of the instruction words of the firmware tests' main() (the ELFs in DIR, default
build/firmware/tests, built by the main build) and a few hand-picked sequences, each run in one of
several machine configurations: MMU off at EL1 and EL0; MMU on with identity-mapped RAM for the
4KB, 16KB and 64KB granules, a 2MB block, hardware Access flag and dirty state updates (AF = 0,
DBM pages), EL0 code; tables in platform memory (the TLB / no-TLB differential) or in the RAM
window (the core's own walk). Every vector entry holds a handler that skips the faulting
instruction (ELR += 4; ERET), so a seed keeps running after an exception.

vmsa: valid translation tables for each granule and several TxSZ / start levels, leaves of every
kind (pages and blocks, AF = 0, DBM, read-only, EL0, XN, Device, nG, APTable), with walks of
every access type, forced CAS failures, TLBIs and ASID switches.

The formats are described at the top of fuzz/fuzz_a64.c and fuzz/fuzz_vmsa.c. Deterministic: the
same firmware gives the same files.
"""
import argparse
import hashlib
import os
import struct
import sys

# ---- descriptor and register bits (core/vmsa/desc.h, core/a64/sysreg_bits.h) ----------------
VALID, TABLE, PAGE = 1, 2, 2
ATTR_NORMAL, ATTR_DEVICE, ATTR_NC = 0 << 2, 1 << 2, 2 << 2
AP1, AP2 = 1 << 6, 1 << 7
SH_IS = 3 << 8
AF, NG = 1 << 10, 1 << 11
DBM, CONTIG, PXN, UXN = 1 << 51, 1 << 52, 1 << 53, 1 << 54
PXNTABLE, UXNTABLE, APTABLE0, APTABLE1 = 1 << 59, 1 << 60, 1 << 61, 1 << 62
MAIR = 0x4400FF  # Attr0 Normal WB, Attr1 Device-nGnRnE, Attr2 Normal NC

TG0 = {12: 0, 16: 1, 14: 2}
TG1 = {14: 1, 12: 2, 16: 3}
TCR_AS, TCR_TBI0, TCR_TBI1 = 1 << 36, 1 << 37, 1 << 38
TCR_HA, TCR_HD, TCR_HPD0 = 1 << 39, 1 << 40, 1 << 41
TCR_A1, TCR_EPD1 = 1 << 22, 1 << 23
SCTLR_RESET = 0x30D00800 | (1 << 3) | (1 << 4)
SCTLR_M, SCTLR_C, SCTLR_I, SCTLR_WXN = 1, 1 << 2, 1 << 12, 1 << 19
MASK64 = (1 << 64) - 1


def tcr(granule, txsz, ips=5, extra=0):
    return (txsz | (txsz << 16) | (TG0[granule] << 14) | (TG1[granule] << 30) | (ips << 32) |
            TCR_AS | extra)


class Tables:
    """Translation tables built in a dict {physical address: descriptor}."""

    def __init__(self, granule, txsz, base, size):
        self.g, self.stride = granule, granule - 3
        self.iasize = 64 - txsz
        self.start = 3 - ((self.iasize - 1 - granule) // self.stride)
        self.base, self.end, self.next = base, base + size, base
        self.mem = {}
        self.root0 = self.alloc()
        self.root1 = None  # allocated on the first TTBR1 mapping

    def alloc(self):
        t = self.next
        self.next += 1 << self.g
        assert self.next <= self.end, "out of table memory"
        return t

    def shift(self, level):
        return self.g + (3 - level) * self.stride

    def index(self, va, level):
        bits = self.iasize - self.shift(level) if level == self.start else self.stride
        return (va >> self.shift(level)) & ((1 << bits) - 1)

    def slot(self, va, level, table_bits=0):
        if (va >> 55) & 1 and self.root1 is None:
            self.root1 = self.alloc()
        table = self.root1 if (va >> 55) & 1 else self.root0
        for lvl in range(self.start, level):
            a = table + self.index(va, lvl) * 8
            d = self.mem.get(a, 0)
            if not d & VALID:
                d = self.alloc() | VALID | TABLE | table_bits
                self.mem[a] = d
            table = d & ((1 << 48) - 1) & ~((1 << self.g) - 1)
        return table + self.index(va, level) * 8

    def map(self, va, pa, level, bits, table_bits=0):
        size = self.shift(level)
        leaf = (pa & ((1 << 48) - 1) & ~((1 << size) - 1)) | bits | VALID
        if level == 3:
            leaf |= PAGE
        a = self.slot(va, level, table_bits)
        self.mem[a] = leaf
        return a


def chunks(mem, base):
    """{pa: u64} -> memory chunks (offset from base / 8, <= 255 words each)."""
    out = b""
    n = 0
    addrs = sorted(mem)
    i = 0
    while i < len(addrs):
        start = addrs[i]
        words = [mem[start]]
        while (i + 1 < len(addrs) and addrs[i + 1] == start + 8 * len(words) and
               len(words) < 255):
            i += 1
            words.append(mem[addrs[i]])
        i += 1
        out += struct.pack("<HB", (start - base) // 8, len(words))
        out += b"".join(struct.pack("<Q", w & MASK64) for w in words)
        n += 1
    assert n <= 255
    return n, out


def words_to_mem(words, pa):
    """32-bit instruction words at pa -> {pa: u64}."""
    if len(words) % 2:
        words = words + [0xD503201F]  # NOP
    return {pa + 4 * i: words[i] | (words[i + 1] << 32) for i in range(0, len(words), 2)}


# ---- a64 ------------------------------------------------------------------------------------
RAM_BASE, RAM_SIZE = 0x40000000, 0x20000
TBL_BASE, TBL_SIZE = RAM_BASE + RAM_SIZE, 0x20000
MMIO_BASE = 0x09000000
CODE_OFF, VBAR_OFF, DATA_OFF = 0x1000, 0x800, 0x8000
# mrs x17, elr_el1; add x17, x17, #4; msr elr_el1, x17; eret
SKIP_HANDLER = [0xD5384031, 0x91001231, 0xD5184031, 0xD69F03E0]

HAND_WRITTEN = {
    # ldaxr/stlxr loop, LSE ldadd/swp/cas, ldp/stp with writeback, dc zva, at s1e1r, tlbi
    "lse_excl": [0xC85FFC02, 0x91000442, 0xC803FC02, 0x35FFFFA3, 0xF8200041, 0xF8208043,
                 0xC8A07C22, 0xA9C10FE2, 0xA8BF0FE2, 0xD50B7424, 0xD5087805, 0xD5384004,
                 0xD508871F, 0xD5033F9F, 0xD5033FDF, 0xB8646843],
    # msr/mrs of the translation registers, svc, brk, hvc, eret to EL0, wfi
    # EL1 loads with PAN off and on, LDTR/STTR, ERET to EL0, EL0 loads of EL0 and EL1-only pages
    "pan_el0": [0xF9400024, 0xD500419F, 0xF9400025, 0xF9000045, 0xD500409F, 0xF9400286,
                0xF8400A87, 0xF8400827, 0xF8000847, 0x10000088, 0xD5184028, 0xD518401F,
                0xD69F03E0, 0xF9400029, 0xF940028A, 0xF9000029, 0xF90002A9, 0xF940004B,
                0xD4000001, 0xF94002AC, 0xF940002D],
    "sys": [0xD5382000, 0xD5382041, 0xD5182041, 0xD538A202, 0xD5100103, 0xD4000021,
            0xD4200020, 0xD4000002, 0xD500409F, 0xD500419F, 0xD503207F, 0xD51B4223,
            0xD53B4223, 0xD5380700, 0xD5380F00, 0xD69F03E0],
}


def elf_main_words(path):
    """The 32-bit words of main() in an AArch64 ELF (symbol table, section of the symbol)."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return []
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for s in secs:
        if s[1] != 2:  # SHT_SYMTAB
            continue
        strtab = secs[s[6]]
        for off in range(s[4], s[4] + s[5], 24):
            name, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", data, off)
            end = data.index(b"\0", strtab[4] + name)
            if data[strtab[4] + name:end] != b"main" or (info & 0xF) != 2:
                continue
            sec = secs[shndx]
            start = sec[4] + (value - sec[3])
            return list(struct.unpack_from("<%dI" % (size // 4), data, start))
    return []


def a64_config(kind):
    """Registers and table memory of one machine configuration."""
    c = dict(cfg=0, pstate=0b011, sctlr=SCTLR_RESET, tcr=0, ttbr0=0, ttbr1=0, mair=MAIR,
             cpacr=3 << 20, spsr=0x3C5, elr=RAM_BASE + CODE_OFF, mem={})
    if kind == "off_el1":
        return c
    if kind == "off_el0":
        c["pstate"] = 0
        return c
    granule = {"mmu4k": 12, "mmu16k": 14, "mmu64k": 16, "block": 12, "hafdbs": 12,
               "inram": 12, "inram_tlb": 12, "el0": 12, "wxn": 12, "pan": 12}[kind]
    t = Tables(granule, 25, TBL_BASE, TBL_SIZE)
    page = 1 << granule
    for off in range(0, RAM_SIZE, page):
        bits = AF | SH_IS | ATTR_NORMAL
        if kind == "hafdbs" and off >= DATA_OFF:
            bits = SH_IS | ATTR_NORMAL | DBM | AP2 | (AF if off & page else 0)
        if kind == "el0":
            bits |= AP1 | AP2 if off < DATA_OFF else AP1 | PXN
        if kind == "pan" and off >= DATA_OFF and not (off >> granule) & 1:
            bits |= AP1 | PXN  # even data pages EL0 read/write, odd ones EL1 only
        if kind == "wxn" and off >= DATA_OFF:
            bits |= UXN | PXN
        if kind == "block":
            break
        t.map(RAM_BASE + off, RAM_BASE + off, 3, bits)
    if kind == "block":
        t.map(RAM_BASE, RAM_BASE, 2, AF | SH_IS | ATTR_NORMAL)
    if granule == 16:  # no room for a third 64KB table: a 512MB Device block over the MMIO
        t.map(0, 0, 2, AF | ATTR_DEVICE | PXN | UXN)
    else:
        t.map(MMIO_BASE, MMIO_BASE, 3, AF | ATTR_DEVICE | PXN | UXN)
    extra = TCR_HA | TCR_HD if kind == "hafdbs" else 0
    c.update(sctlr=SCTLR_RESET | SCTLR_M | SCTLR_C | SCTLR_I | (SCTLR_WXN if kind == "wxn" else 0),
             tcr=tcr(granule, 25, extra=extra), ttbr0=t.root0 | (0x42 << 48), ttbr1=t.root0,
             mem=t.mem)
    c["cfg"] = 2 << 2  # HAFDBS = 2
    if kind in ("inram", "inram_tlb"):
        c["cfg"] |= 1 | (2 if kind == "inram_tlb" else 0)
    if kind == "el0":
        c["pstate"] = 0
    return c


def a64_seed(c, code, index):
    mem = dict(c["mem"])
    mem.update(words_to_mem(code, RAM_BASE + CODE_OFF))
    for v in (0x000, 0x200, 0x400):
        mem.update(words_to_mem(SKIP_HANDLER, RAM_BASE + VBAR_OFF + v))
    # a recognisable data pattern where the registers point
    for i in range(16):
        mem[RAM_BASE + DATA_OFF + 8 * i] = 0x0101010101010101 * (i + 1)
    regs = []
    ptrmask = 0
    for i in range(31):
        if i % 3 != 2:
            ptrmask |= 1 << i
            regs.append(DATA_OFF + 0x100 * i + 0x40 * (index % 4))
        else:
            regs.append((0x9E3779B97F4A7C15 * (i + index + 1)) & MASK64)
    ptrmask |= 1 << 31
    hdr = struct.pack("<BBBB", c["cfg"], c["pstate"], 0x60, 0xF)
    hdr += struct.pack("<QI", CODE_OFF, ptrmask)
    hdr += struct.pack("<31Q", *regs)
    hdr += struct.pack("<QQ", DATA_OFF + 0x4000, DATA_OFF + 0x6000)
    hdr += struct.pack("<9Q", c["sctlr"], c["tcr"], c["ttbr0"], c["ttbr1"], c["mair"],
                       VBAR_OFF, c["cpacr"], c["spsr"], c["elr"])
    n, body = chunks(mem, RAM_BASE)
    return hdr + struct.pack("<B", n) + body


def a64_seeds(firmware):
    codes = []
    for name in sorted(os.listdir(firmware)) if os.path.isdir(firmware) else []:
        if not name.endswith("-O2-v81.elf"):
            continue
        words = elf_main_words(os.path.join(firmware, name))
        for k, start in enumerate((0, len(words) // 2)):
            w = words[start:start + 64]
            if len(w) >= 16:
                codes.append(("%s_%d" % (name.split("-")[0], k), w))
    if not codes:
        sys.exit("make_seeds.py: no firmware ELF with main() in %s (build the firmware first)"
                 % firmware)
    codes += sorted(HAND_WRITTEN.items())
    kinds = ["off_el1", "mmu4k", "mmu16k", "mmu64k", "block", "hafdbs", "inram", "inram_tlb",
             "el0", "off_el0", "wxn", "pan"]
    seeds = {}
    for i, (name, words) in enumerate(codes):
        kind = kinds[i % len(kinds)]
        seeds["%s-%s" % (name, kind)] = a64_seed(a64_config(kind), words, i)
    # every configuration once more with the hand-written sequences
    for j, kind in enumerate(kinds):
        name, words = sorted(HAND_WRITTEN.items())[j % len(HAND_WRITTEN)]
        seeds["%s-%s" % (name, kind)] = a64_seed(a64_config(kind), words, j)
    for kind in ("pan", "el0", "hafdbs", "inram_tlb"):
        seeds["pan_el0-%s" % kind] = a64_seed(a64_config(kind), HAND_WRITTEN["pan_el0"], 0)
    return seeds


# ---- vmsa -----------------------------------------------------------------------------------
MEM_BASE, MEM_SIZE = 0x40000000, 0x80000
ACC = dict(read=0, write=1, rmw=2, fetch=3, dc_clean=4, dc_inval=5, dc_zva=6, ic_inval=7,
           at_read=8, at_write=9)
UNPRIV, PAN = 16, 32


def op_walk(acc, va_sel, off, acc2="read", size=8, fails=()):
    a = ACC[acc.split("+")[0]] | (UNPRIV if "+el0" in acc else 0) | (PAN if "+pan" in acc else 0)
    a2 = ACC[acc2.split("+")[0]] | (UNPRIV if "+el0" in acc2 else 0)
    size_sel = {0: 4, 1: 0, 2: 1, 4: 2, 8: 3}[size]
    shift = 0 if off < 1 << 32 else 12   # the offset is scaled by 2^(va_sel[6:2])
    out = struct.pack("<BBBBIBBB", 0, a, size_sel, va_sel | (shift << 2), off >> shift, a2, 3,
                      len(fails))
    for how, value in fails:
        out += struct.pack("<BQ", how, value & MASK64)
    return out


def op_tlbi(op, asid_sel, va_sel, off):
    shift = 0 if off < 1 << 32 else 12
    return struct.pack("<BBBBI", 2, op, asid_sel, va_sel | (shift << 2), off >> shift)


def op_asid(sel):
    return struct.pack("<BB", 3, sel)


def vmsa_seed(granule, txsz, extra_tcr=0, hafdbs=2, leaf_level=3, table_bits=0, ops_style=0):
    t = Tables(granule, txsz, MEM_BASE, MEM_SIZE)
    page = 1 << granule
    va0 = (1 << (t.iasize - 2)) | (0x3 << t.shift(2)) if t.iasize > t.shift(2) + 2 else 0
    va0 &= ~((1 << t.shift(min(leaf_level, 2))) - 1) if leaf_level < 3 else ~(page - 1)
    va1 = (MASK64 << t.iasize) & MASK64 | (1 << (t.iasize - 1))
    leaves = [
        AF | SH_IS | ATTR_NORMAL,                   # RW EL1
        SH_IS | ATTR_NORMAL,                        # AF = 0
        AF | SH_IS | ATTR_NORMAL | DBM | AP2,       # writable-clean
        SH_IS | ATTR_NORMAL | DBM | AP2,            # writable-clean, AF = 0
        AF | AP2 | ATTR_NORMAL,                     # read-only
        AF | AP1 | ATTR_NORMAL | PXN,               # EL0 RW
        AF | AP1 | AP2 | ATTR_NORMAL | UXN | NG,    # EL0 RO, nG
        AF | ATTR_DEVICE | PXN | UXN,               # Device
        AF | ATTR_NC | NG | CONTIG,                 # Non-cacheable, nG
        AF | AP1 | ATTR_NORMAL | DBM | AP2 | NG,    # EL0 writable-clean
    ]
    step = 1 << t.shift(leaf_level)
    if leaf_level < 3:
        assert step <= 1 << 30 or granule == 12
    for i, bits in enumerate(leaves):
        t.map(va0 + i * step, 0x80000000 + i * step * 3, leaf_level, bits, table_bits)
    t.map(va1, 0x90000000, 3, AF | SH_IS | ATTR_NORMAL)
    t.map(va1 + page, 0x90000000 + page, 3, SH_IS | ATTR_NORMAL | DBM | AP2)
    tcr_v = tcr(granule, txsz, ips=5, extra=extra_tcr)
    hdr = struct.pack("<6Q", SCTLR_RESET | SCTLR_M, tcr_v, t.root0 | (5 << 48), t.root1 | (5 << 48),
                      MAIR, 0x0000000000001125 | (1 << 20))
    hdr += struct.pack("<B", hafdbs)
    hdr += struct.pack("<4Q", va0, va1, va0 + len(leaves) * step * 7, (1 << 62) | va0)
    hdr += struct.pack("<4H", 5, 7, 0x105, 9)
    n, body = chunks(t.mem, MEM_BASE)
    ops = b""
    accs = ["read", "write", "rmw", "fetch", "dc_clean", "dc_inval", "dc_zva", "ic_inval",
            "at_read", "at_write"]
    for i in range(len(leaves)):
        acc = accs[(i + ops_style) % len(accs)]
        if ops_style % 3 == 1:
            acc += "+el0"
        if ops_style % 4 == 2:
            acc += "+pan"
        fails = ()
        if ops_style and i % 3 == 1:
            fails = ((ops_style + i) % 8, 0x40000000 | AF | VALID | PAGE),
        ops += op_walk(acc, 0, i * step + 8 * i, accs[(i * 3 + 1) % len(accs)],
                       size=[8, 4, 2, 1, 0][i % 5], fails=fails)
        ops += op_walk(accs[(i + 1) % len(accs)], 0, i * step, "write")
    ops += op_walk("write", 1, 0x10, "read")
    ops += op_walk("write", 1, page + 0x10, "write", fails=((2, 0), (5, 0)))
    ops += op_walk("read", 2, 0)
    ops += op_walk("read", 3, 0)
    ops += op_tlbi(ops_style % 12, ops_style % 4, 0, 2 * step)
    ops += op_asid(1 + ops_style % 3)
    for i in range(4):
        ops += op_walk(accs[i], 0, i * step, "rmw")
    ops += op_tlbi((ops_style + 5) % 12, 1, 0, 0)
    ops += op_walk("read", 0, 0)
    return hdr + struct.pack("<B", n) + body + ops


def vmsa_seeds():
    seeds = {}
    variants = [
        ("4k_t16_l3", dict(granule=12, txsz=16)),
        ("4k_t25_l3", dict(granule=12, txsz=25, ops_style=1)),
        ("4k_t25_l2block", dict(granule=12, txsz=25, leaf_level=2, ops_style=2)),
        ("4k_t16_l1block", dict(granule=12, txsz=16, leaf_level=1, ops_style=3)),
        ("4k_t39_l3", dict(granule=12, txsz=39, ops_style=4)),
        ("4k_hahd", dict(granule=12, txsz=25, extra_tcr=TCR_HA | TCR_HD, ops_style=5)),
        ("4k_ha", dict(granule=12, txsz=25, extra_tcr=TCR_HA, ops_style=6)),
        ("4k_hahd_aptable", dict(granule=12, txsz=25, extra_tcr=TCR_HA | TCR_HD,
                                 table_bits=APTABLE1 | PXNTABLE, ops_style=7)),
        ("4k_hpd_aptable", dict(granule=12, txsz=25, extra_tcr=TCR_HPD0 | TCR_HA | TCR_HD,
                                table_bits=APTABLE0 | UXNTABLE, ops_style=8)),
        ("4k_tbi_a1", dict(granule=12, txsz=25, extra_tcr=TCR_TBI0 | TCR_TBI1 | TCR_A1,
                           ops_style=9)),
        ("4k_hafdbs0", dict(granule=12, txsz=25, extra_tcr=TCR_HA | TCR_HD, hafdbs=0,
                            ops_style=10)),
        ("16k_t16_l3", dict(granule=14, txsz=16, extra_tcr=TCR_HA | TCR_HD)),
        ("16k_t28_l3", dict(granule=14, txsz=28, ops_style=1)),
        ("16k_t25_l2block", dict(granule=14, txsz=25, leaf_level=2, extra_tcr=TCR_HA | TCR_HD,
                                 ops_style=2)),
        ("16k_t39_l3", dict(granule=14, txsz=39, ops_style=3)),
        ("64k_t22_l3", dict(granule=16, txsz=22, extra_tcr=TCR_HA | TCR_HD)),
        ("64k_t34_l3", dict(granule=16, txsz=34, ops_style=5)),
        ("64k_t22_l2block", dict(granule=16, txsz=22, leaf_level=2, ops_style=6,
                                 extra_tcr=TCR_HA | TCR_HD)),
        ("64k_t39_l3", dict(granule=16, txsz=39, ops_style=7, extra_tcr=TCR_HA)),
        ("64k_epd1", dict(granule=16, txsz=25, ops_style=8, extra_tcr=TCR_EPD1 | TCR_HA)),
    ]
    for name, kw in variants:
        seeds[name] = vmsa_seed(**kw)
    return seeds


def write(out_dir, seeds):
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(out_dir, "seed-" + name), "wb") as f:
            f.write(data)
    print("%s: %d seeds, %d bytes" % (out_dir, len(seeds), sum(map(len, seeds.values()))))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firmware", default=os.path.join(here, "..", "build", "firmware", "tests"))
    ap.add_argument("--out", default=os.path.join(here, "corpus"))
    args = ap.parse_args()
    write(os.path.join(args.out, "a64"), a64_seeds(args.firmware))
    write(os.path.join(args.out, "vmsa"), vmsa_seeds())


if __name__ == "__main__":
    main()
