#!/usr/bin/env python3
"""Random A64 instruction blocks for the differential test against QEMU (docs/randinsn.md).

  gen.py --seed N [--insns K] [--raw-words auto|0|1] -o block.S

writes an assembly file for aarch64-linux-gnu-gcc that defines what firmware/randinsn/ needs:
ri_initial (X0-X30 and NZCV at the start), ri_seed, ri_insn_count, and the code between ri_block
and ri_block_end, which ends with "b ri_exit". The same seed always gives the same file
(random.Random(seed); raw words are filtered with the installed binutils' disassembler).

Only what the httusim core implements (integer A64 of ARMv8.1) is generated, with operands
constrained so that both QEMU and httusim must give the same result:
  * x25 holds the scratch buffer's address and x26-x28 point into it (bases); no instruction of the
    block writes them except a base's writeback, which is undone right after ("add xB, x25, #off").
    x23 (address temporary) and x24 (index temporary) are written only by the helper instructions
    the generator puts before an access. Every load and store stays inside the buffer.
  * Branches go forward inside the block, to a label placed after a few more instructions of the
    same region; loops are bounded (a counter the body does not write); BL/BLR call subroutines
    placed after the main code, which do not write x30 and end with RET.
  * SP is not used (the exception vectors push their frame there).
  * Cases the architecture leaves CONSTRAINED UNPREDICTABLE or IMPLEMENTATION DEFINED, where QEMU
    and httusim may both be right and still differ, are not generated: see KNOWN_CHOICES below and
    docs/decisions.md "Random-instruction differential test: what the generator avoids".
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

SCRATCH_SIZE = 16384          # firmware/randinsn/randinsn.h RI_SCRATCH_SIZE
RO_START = 12288              # RI_SCRATCH_RO: the last page is mapped read-only
ADDR, INDEX, HOME = 23, 24, 25
BASES = (26, 27, 28)
RESERVED = {ADDR, INDEX, HOME} | set(BASES)
FREE = [r for r in range(31) if r not in RESERVED]   # x0-x22, x29, x30

# What the generator deliberately does not produce (each with its ARM ARM rule; the list is
# repeated in docs/decisions.md). Kept here so that the code that avoids a case can name it.
KNOWN_CHOICES = {
    "wb-overlap": "load/store with writeback and Rn == Rt (or Rt2): CONSTRAINED UNPREDICTABLE "
                  "(ARM ARM K1, LDR/STR/LDP/STP); bases are never transfer registers",
    "ldp-same": "LDP/LDPSW/LDXP/LDAXP with Rt == Rt2: CONSTRAINED UNPREDICTABLE (ARM ARM K1)",
    "stxr-status": "STXR/STXP with Ws == Rt, Rt2 or Rn: CONSTRAINED UNPREDICTABLE (ARM ARM K1)",
    "stxr-address": "STXR to an address or size other than the last LDXR's: IMPLEMENTATION "
                    "DEFINED whether it passes (B2.9.2); unaligned STXR without an open monitor: "
                    "CONSTRAINED UNPREDICTABLE whether it faults (ARM ARM K1)",
    "stxr-fail-abort": "a store exclusive that fails its monitor check to a location it may not "
                       "write: IMPLEMENTATION DEFINED whether the abort is taken (ARM ARM "
                       "AArch64.ExclusiveMonitorsPass(); QEMU fails without a fault, httusim "
                       "faults)",
    "monitor-store": "a plain store between LDXR and STXR: whether it clears the local monitor "
                     "is IMPLEMENTATION DEFINED (B2.9.5); QEMU compares values instead",
    "casp-odd": "CASP with Rs or Rt odd: CONSTRAINED UNPREDICTABLE (ARM ARM C6.2 CASP)",
    "store-split": "a store that crosses into the read-only page: which bytes of the writable "
                   "part are written before the Permission fault is CONSTRAINED UNPREDICTABLE "
                   "(the part outside the faulting page may or may not be written); stores "
                   "lie wholly on one side",
    "sbo-fields": "a word whose should-be-one/zero bits are not: CONSTRAINED UNPREDICTABLE "
                  "(UNDEFINED or as if they were right, ARM ARM K1); no undefined raw word from "
                  "the exclusive/ordered/CAS class, where Rs and Rt2 are such fields",
    "sp": "SP as a data register: the exception vectors use it",
    "fp": "FP/SIMD and SVE/SME encodings: not implemented by httusim (docs/decisions.md)",
    "post-v81": "encodings allocated after ARMv8.1 that QEMU -cpu max implements (MTE, FlagM, "
                "PAuth, ...): raw words are only those binutils cannot decode",
}

CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le",
         "al", "nv"]
SPECIAL = [0, 1, 2, 0xffffffffffffffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
           0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001, 0xfffffffffffffffe,
           0xffffffff80000000, 0x00000000ffff0000, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa,
           63, 64, 31, 32]


def xr(n, sf=1):
    if n == 31:
        return "xzr" if sf else "wzr"
    return ("x%d" if sf else "w%d") % n


def decode_bit_masks(n, imms, immr, size):
    """DecodeBitMasks() of the ARM ARM for a logical immediate: the value, or None if reserved."""
    combined = (n << 6) | (~imms & 0x3f)
    if combined == 0:
        return None
    length = combined.bit_length() - 1
    if length < 1:
        return None
    esize = 1 << length
    levels = esize - 1
    s, r = imms & levels, immr & levels
    if s == levels or esize > size:
        return None
    welem = (1 << (s + 1)) - 1
    elem = ((welem >> r) | (welem << (esize - r))) & ((1 << esize) - 1)
    value = 0
    for i in range(size // esize):
        value |= elem << (i * esize)
    return value


class Region:
    """A straight-line stretch of the block in which forward labels are placed: the main code, a
    loop body or a subroutine. Pending labels are placed after their distance in units."""

    def __init__(self):
        self.pending = []   # [label, units left]


class Generator:
    def __init__(self, seed, insns, raw_words, mmu_on=True):
        self.r = random.Random(seed)
        # MMU off: every data access is Device-nGnRnE and must be aligned (ARM ARM D8.2.10;
        # QEMU 7.2 does not fault, docs/decisions.md), so plain accesses are generated aligned;
        # no read-only page either
        self.mmu_on = mmu_on
        self.seed = seed
        self.target = insns
        self.count = 0
        self.out = []
        self.labels = 0
        self.literals = []
        self.subs = []           # subroutine names to emit
        self.avoid = set()       # registers the current region must not write (loop counter)
        self.in_sub = False
        self.in_loop = False
        self.region = Region()
        self.raw_pool = []       # (word, destination register or None): UNDEFINED words
        self.dp_pool = []        # random ARMv8.1 data-processing words
        self.base_off = {}
        r = self.r
        # bases: x26 16-byte aligned, x27 any alignment, x28 8-byte aligned, around the middle
        # of each third of the buffer
        self.base_off[26] = 2048 + 16 * r.randrange(256)
        self.base_off[27] = 6144 + (r.randrange(4096) if mmu_on else 16 * r.randrange(256))
        self.base_off[28] = 10240 + 8 * r.randrange(512)
        undefined, self.dp_pool = raw_word_pools(r, 64)
        if raw_words:
            self.raw_pool = undefined

    # ------------------------------------------------------------------ helpers
    def label(self, prefix="L"):
        self.labels += 1
        return ".L%s%d" % (prefix, self.labels)

    def emit(self, text, counted=True):
        self.out.append("    " + text)
        if counted:
            self.count += 1

    def place(self, label):
        self.out.append(label + ":")

    def dst(self, zr=True):
        """A destination register: never a reserved one nor the loop counter; x30 not in
        subroutines (their RET needs it)."""
        choices = [n for n in FREE if n not in self.avoid and not (self.in_sub and n == 30)]
        if zr and self.r.random() < 0.05:
            return 31
        return self.r.choice(choices)

    def src(self, zr=True):
        if zr and self.r.random() < 0.06:
            return 31
        return self.r.randrange(31)

    def sf(self):
        return self.r.random() < 0.6

    def imm(self, bits):
        r = self.r
        if r.random() < 0.3:
            return r.choice([0, 1, (1 << bits) - 1, 1 << (bits - 1), (1 << (bits - 1)) - 1])
        return r.randrange(1 << bits)

    def end_unit(self):
        """Count down the pending labels of this region; place those that are due."""
        due = []
        for p in self.region.pending:
            p[1] -= 1
            if p[1] <= 0:
                due.append(p)
        for p in due:
            self.region.pending.remove(p)
            self.place(p[0])

    def flush_labels(self):
        for p in self.region.pending:
            self.place(p[0])
        self.region.pending = []

    def forward_label(self):
        lab = self.label("F")
        self.region.pending.append([lab, self.r.randint(1, 6)])
        return lab

    # --------------------------------------------------------- data processing (immediate)
    def dp_imm(self):
        r, sf = self.r, self.sf()
        kind = r.randrange(7)
        size = 64 if sf else 32
        if kind == 0:   # ADD/SUB/ADDS/SUBS (immediate); Rd/Rn 31 is SP for ADD/SUB: avoided
            op = r.choice(["add", "sub", "adds", "subs"])
            d = self.dst(zr=op.endswith("s"))
            n = r.choice([x for x in range(31)])
            sh = ", lsl #12" if r.random() < 0.3 else ""
            self.emit("%s %s, %s, #%d%s" % (op, xr(d, sf), xr(n, sf), self.imm(12), sh))
        elif kind == 1:  # logical immediate
            op = r.choice(["and", "orr", "eor", "ands"])
            while True:   # a valid bitmask immediate (DecodeBitMasks)
                nbit = r.randrange(2) if sf else 0
                v = decode_bit_masks(nbit, r.randrange(64), r.randrange(64), size)
                if v is not None:
                    break
            d = self.dst(zr=(op == "ands"))
            self.emit("%s %s, %s, #0x%x" % (op, xr(d, sf), xr(self.src(), sf), v))
        elif kind == 2:  # move wide
            op = r.choice(["movz", "movn", "movk"])
            hw = r.randrange(4 if sf else 2)
            d = self.dst(zr=False)
            self.emit("%s %s, #0x%x, lsl #%d" % (op, xr(d, sf), self.imm(16), 16 * hw))
        elif kind == 3:  # ADR/ADRP
            d = self.dst(zr=False)
            if r.random() < 0.5:
                self.emit("adr %s, ." % xr(d) if r.random() < 0.5 else
                          "adr %s, ri_block" % xr(d))
            else:
                self.emit("adrp %s, %s" % (xr(d), r.choice(["ri_scratch", "ri_block", "."])))
        elif kind == 4:  # bitfield
            op = r.choice(["sbfm", "bfm", "ubfm"])
            self.emit("%s %s, %s, #%d, #%d" % (op, xr(self.dst(), sf), xr(self.src(), sf),
                                                r.randrange(size), r.randrange(size)))
        elif kind == 5:  # EXTR
            self.emit("extr %s, %s, %s, #%d" % (xr(self.dst(), sf), xr(self.src(), sf),
                                                 xr(self.src(), sf), r.randrange(size)))
        else:           # aliases the assembler picks encodings for: shifts, extends
            op = r.choice(["lsl", "lsr", "asr", "ror"])
            self.emit("%s %s, %s, #%d" % (op, xr(self.dst(), sf), xr(self.src(), sf),
                                          r.randrange(size)))

    # ---------------------------------------------------------- data processing (register)
    def dp_reg(self):
        r, sf = self.r, self.sf()
        size = 64 if sf else 32
        kind = r.randrange(11)
        d, n, m = self.dst(), self.src(), self.src()
        if kind == 0:   # add/sub shifted register
            op = r.choice(["add", "sub", "adds", "subs"])
            sh = r.choice(["lsl", "lsr", "asr"])
            self.emit("%s %s, %s, %s, %s #%d" % (op, xr(d, sf), xr(n, sf), xr(m, sf), sh,
                                                  r.randrange(size)))
        elif kind == 1:  # add/sub extended register: Rd (non-S) and Rn are SP when 31: avoided
            op = r.choice(["add", "sub", "adds", "subs"])
            ext = r.choice(["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"])
            mreg = xr(m, sf and ext.endswith("x"))
            d = self.dst(zr=op.endswith("s"))
            n = r.randrange(31)
            self.emit("%s %s, %s, %s, %s #%d" % (op, xr(d, sf), xr(n, sf), mreg, ext,
                                                  r.randrange(5)))
        elif kind == 2:
            op = r.choice(["adc", "adcs", "sbc", "sbcs"])
            self.emit("%s %s, %s, %s" % (op, xr(d, sf), xr(n, sf), xr(m, sf)))
        elif kind == 3:
            op = r.choice(["and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"])
            sh = r.choice(["lsl", "lsr", "asr", "ror"])
            self.emit("%s %s, %s, %s, %s #%d" % (op, xr(d, sf), xr(n, sf), xr(m, sf), sh,
                                                  r.randrange(size)))
        elif kind == 4:  # conditional compare
            op = r.choice(["ccmp", "ccmn"])
            second = xr(m, sf) if r.random() < 0.5 else "#%d" % r.randrange(32)
            self.emit("%s %s, %s, #%d, %s" % (op, xr(n, sf), second, r.randrange(16),
                                              r.choice(CONDS)))
        elif kind == 5:
            op = r.choice(["csel", "csinc", "csinv", "csneg"])
            self.emit("%s %s, %s, %s, %s" % (op, xr(d, sf), xr(n, sf), xr(m, sf), r.choice(CONDS)))
        elif kind == 6:  # 1 source
            ops = ["rbit", "rev16", "rev", "clz", "cls"] + (["rev32"] if sf else [])
            self.emit("%s %s, %s" % (r.choice(ops), xr(d, sf), xr(n, sf)))
        elif kind == 7:  # 2 source
            op = r.choice(["udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv"])
            self.emit("%s %s, %s, %s" % (op, xr(d, sf), xr(n, sf), xr(m, sf)))
        elif kind == 8:  # CRC32
            sz = r.choice("bhwx")
            op = "crc32" + ("c" if r.random() < 0.5 else "") + sz
            self.emit("%s %s, %s, %s" % (op, xr(d, 0), xr(n, 0), xr(m, sz == "x")))
        elif kind == 9:  # 3 source
            op = r.choice(["madd", "msub", "smaddl", "smsubl", "umaddl", "umsubl", "smulh",
                           "umulh", "mul", "mneg", "smull", "umull"])
            a = self.src()
            if op in ("madd", "msub"):
                self.emit("%s %s, %s, %s, %s" % (op, xr(d, sf), xr(n, sf), xr(m, sf), xr(a, sf)))
            elif op in ("mul", "mneg"):
                self.emit("%s %s, %s, %s" % (op, xr(d, sf), xr(n, sf), xr(m, sf)))
            elif op in ("smulh", "umulh"):
                self.emit("%s %s, %s, %s" % (op, xr(d), xr(n), xr(m)))
            elif op in ("smull", "umull"):
                self.emit("%s %s, %s, %s" % (op, xr(d), xr(n, 0), xr(m, 0)))
            else:
                self.emit("%s %s, %s, %s, %s" % (op, xr(d), xr(n, 0), xr(m, 0), xr(a)))
        else:           # NZCV through MRS/MSR, flag-setting tests
            k = r.randrange(3)
            if k == 0:
                self.emit("mrs %s, nzcv" % xr(self.dst(zr=False)))
            elif k == 1:
                self.emit("msr nzcv, %s" % xr(n))
            else:
                self.emit("tst %s, %s" % (xr(n, sf), xr(m, sf)))

    # --------------------------------------------------------------------- addresses
    def pick_target(self, size, align):
        """An offset in the scratch buffer for an access of `size` bytes: aligned to `align`
        most of the time, anywhere otherwise."""
        hi = SCRATCH_SIZE - size
        if self.r.random() < 0.8 or not self.mmu_on:
            return self.r.randrange(0, hi + 1, align)
        return self.r.randrange(0, hi + 1)

    def base_for(self, size, lo, hi, scale, target=None):
        """(base register, imm) with imm in [lo, hi], a multiple of `scale`, so that the access
        of `size` bytes at base + imm is inside the buffer; None if no base fits."""
        r = self.r
        for b in r.sample(BASES, len(BASES)):
            bo = self.base_off[b]
            ilo = max(lo, -bo)
            ihi = min(hi, SCRATCH_SIZE - size - bo)
            if ilo > ihi:
                continue
            if target is not None and ilo <= target - bo <= ihi and (target - bo) % scale == 0:
                return b, target - bo
            cands_lo = -(-ilo // scale)
            cands_hi = ihi // scale
            if cands_lo > cands_hi:
                continue
            if r.random() < 0.2:
                k = r.choice([cands_lo, cands_hi])
            else:
                k = r.randint(cands_lo, cands_hi)
            return b, k * scale
        return None

    def store_ok(self, offset, size):
        """False for a store of `size` bytes at `offset` that would cross into the read-only
        page ("store-split")."""
        return not self.mmu_on or not (offset < RO_START < offset + size)

    def byte_scale(self, size):
        """The step of a byte offset: 1, or the access size with the MMU off (alignment)."""
        return 1 if self.mmu_on else size

    def reset_base(self, b):
        off = self.base_off[b]
        self.emit("add %s, %s, #0x%x, lsl #12" % (xr(b), xr(HOME), off >> 12), counted=False)
        if off & 0xfff:
            self.emit("add %s, %s, #0x%x" % (xr(b), xr(b), off & 0xfff), counted=False)

    def set_addr(self, size, align, force_unaligned=False, writable=False):
        """x23 = scratch + an offset for an access of `size` bytes (in the writable pages if
        asked); returns the offset."""
        r = self.r
        end = RO_START if writable else SCRATCH_SIZE
        if force_unaligned:
            t = r.randrange(0, end - size)
            if t % align == 0:
                t += r.randrange(1, align)
        else:
            t = r.randrange(0, end - size + 1, align)
        b = r.choice(BASES)
        d = t - self.base_off[b]
        if 0 <= d < 4096:
            self.emit("add x23, %s, #%d" % (xr(b), d), counted=False)
        elif -4096 < d < 0:
            self.emit("sub x23, %s, #%d" % (xr(b), -d), counted=False)
        else:
            self.emit("add x23, x25, #0x%x, lsl #12" % (t >> 12), counted=False)
            if t & 0xfff:
                self.emit("add x23, x23, #0x%x" % (t & 0xfff), counted=False)
        return t

    # ------------------------------------------------------------------ loads and stores
    SINGLE = [  # mnemonic, bytes, register is X, is a load
        ("strb", 1, 0, 0), ("strh", 2, 0, 0), ("str", 4, 0, 0), ("str", 8, 1, 0),
        ("ldrb", 1, 0, 1), ("ldrh", 2, 0, 1), ("ldr", 4, 0, 1), ("ldr", 8, 1, 1),
        ("ldrsb", 1, 0, 1), ("ldrsb", 1, 1, 1), ("ldrsh", 2, 0, 1), ("ldrsh", 2, 1, 1),
        ("ldrsw", 4, 1, 1),
    ]

    def ld_st_single(self):
        r = self.r
        mn, size, isx, load = r.choice(self.SINGLE)
        t = (self.dst() if load else self.src())
        treg = xr(t, isx)
        mode = r.choice(["uoff", "uoff", "unscaled", "pre", "post", "reg", "reg", "unpriv",
                         "prfm"])
        if mode == "prfm":
            got = self.base_for(8, 0, 4095 * 8, 8)
            if got:
                op = r.choice(["pldl1keep", "pldl2strm", "pstl1keep", "plil1keep", "pldl3keep"])
                self.emit("prfm %s, [%s, #%d]" % (op, xr(got[0]), got[1]))
            return
        if mode == "uoff":
            target = self.pick_target(size, size)
            got = self.base_for(size, 0, 4095 * size, size, target)
            if got and (load or self.store_ok(self.base_off[got[0]] + got[1], size)):
                self.emit("%s %s, [%s, #%d]" % (mn, treg, xr(got[0]), got[1]))
            return
        if mode in ("unscaled", "unpriv"):
            got = self.base_for(size, -256, 255, self.byte_scale(size))
            if got and (load or self.store_ok(self.base_off[got[0]] + got[1], size)):
                umn = mn.replace("ldr", "ldur" if mode == "unscaled" else "ldtr").replace(
                    "str", "stur" if mode == "unscaled" else "sttr")
                self.emit("%s %s, [%s, #%d]" % (umn, treg, xr(got[0]), got[1]))
            return
        if mode in ("pre", "post"):
            # writeback with Rn == Rt is CONSTRAINED UNPREDICTABLE ("wb-overlap"): Rt is never
            # a base (loads never write reserved registers; stores pick another source)
            got = self.base_for(size, -256, 255, self.byte_scale(size))
            if not got:
                return
            b, imm = got
            if not load and not self.store_ok(self.base_off[b] + (imm if mode == "pre" else 0),
                                              size):
                return
            if not load and t == b:
                t = r.choice(FREE)
                treg = xr(t, isx)
            if mode == "pre":
                self.emit("%s %s, [%s, #%d]!" % (mn, treg, xr(b), imm))
            else:
                self.emit("%s %s, [%s], #%d" % (mn, treg, xr(b), imm))
            self.reset_base(b)
            return
        # register offset: x24 = the index, set right before; the address base + (index << s)
        # stays inside the buffer
        shift = {1: 0, 2: 1, 4: 2, 8: 3}[size]
        use_shift = r.random() < 0.5
        s = shift if use_shift else 0
        ext = r.choice(["lsl", "uxtw", "sxtw", "sxtx"])
        b = r.choice(BASES)
        idx = self.index_for(b, size, s)
        if ext == "uxtw" and idx < 0:
            b = HOME                           # from the buffer start: a non-negative index
            idx = self.index_for(b, size, s)
        if ext in ("uxtw", "sxtw"):
            # bits 63:32 are ignored by UXTW/SXTW: put garbage there
            value = (idx & 0xffffffff) | ((r.getrandbits(32) << 32) if r.random() < 0.5 else 0)
        else:
            value = idx & ((1 << 64) - 1)
        if not load and not self.store_ok((0 if b == HOME else self.base_off[b]) + (idx << s),
                                          size):
            return
        self.load_const(INDEX, value)
        amount = (" #%d" % s) if use_shift else (r.choice(["", " #0"]) if ext != "lsl" else "")
        if ext == "lsl" and not use_shift:
            self.emit("%s %s, [%s, x24]" % (mn, treg, xr(b)))
        else:
            ireg = "w24" if ext in ("uxtw", "sxtw") else "x24"
            self.emit("%s %s, [%s, %s, %s%s]" % (mn, treg, xr(b), ireg, ext, amount))

    def index_for(self, b, size, s):
        bo = 0 if b == HOME else self.base_off[b]
        lo = -(-(-bo) // (1 << s))
        hi = (SCRATCH_SIZE - size - bo) // (1 << s)
        if self.r.random() < 0.15:
            idx = self.r.choice([lo, hi])
        else:
            idx = self.r.randint(lo, hi)
        if not self.mmu_on and s == 0:      # aligned (bases are): round the index down
            idx -= (bo + idx) % size
            if idx < lo:
                idx += size
        return idx

    def load_const(self, reg, value):
        """MOVZ/MOVK sequence (helper instructions, not counted)."""
        first = True
        for hw in range(4):
            part = (value >> (16 * hw)) & 0xffff
            if part or (first and hw == 3):
                self.emit("%s %s, #0x%x, lsl #%d" % ("movz" if first else "movk", xr(reg), part,
                                                     16 * hw), counted=False)
                first = False
        if first:
            self.emit("movz %s, #0" % xr(reg), counted=False)

    PAIRS = [("stp", 4, 0, 0), ("stp", 8, 1, 0), ("ldp", 4, 0, 1), ("ldp", 8, 1, 1),
             ("ldpsw", 4, 1, 1), ("stnp", 4, 0, 0), ("stnp", 8, 1, 0), ("ldnp", 4, 0, 1),
             ("ldnp", 8, 1, 1)]

    def ld_st_pair(self):
        r = self.r
        mn, esize, isx, load = r.choice(self.PAIRS)
        if load:
            t1 = self.dst(zr=False)
            t2 = self.dst(zr=False)
            while t2 == t1:                      # "ldp-same"
                t2 = self.dst(zr=False)
        else:
            t1, t2 = self.src(), self.src()
        mode = "off" if mn.endswith("np") else r.choice(["off", "off", "pre", "post"])
        got = self.base_for(2 * esize, -64 * esize, 63 * esize, esize)
        if not got:
            return
        b, imm = got
        if not load and not self.store_ok(self.base_off[b] + (0 if mode == "post" else imm),
                                          2 * esize):
            return
        if mode != "off" and not load and b in (t1, t2):   # "wb-overlap"
            t1, t2 = [x if x != b else r.choice(FREE) for x in (t1, t2)]
        regs = "%s, %s" % (xr(t1, isx), xr(t2, isx))
        if mode == "off":
            self.emit("%s %s, [%s, #%d]" % (mn, regs, xr(b), imm))
        elif mode == "pre":
            self.emit("%s %s, [%s, #%d]!" % (mn, regs, xr(b), imm))
            self.reset_base(b)
        else:
            self.emit("%s %s, [%s], #%d" % (mn, regs, xr(b), imm))
            self.reset_base(b)

    def ld_literal(self):
        r = self.r
        lab = self.label("lit")
        self.literals.append((lab, r.choice(SPECIAL + [r.getrandbits(64)])))
        k = r.randrange(3)
        if k == 0:
            self.emit("ldr %s, %s" % (xr(self.dst()), lab))
        elif k == 1:
            self.emit("ldr %s, %s" % (xr(self.dst(), 0), lab))
        else:
            self.emit("ldrsw %s, %s" % (xr(self.dst()), lab))

    # --------------------------------------------------------- exclusives and ordered
    EXCL = [("b", 1, 0), ("h", 2, 0), ("", 4, 0), ("", 8, 1)]

    def exclusive(self):
        r = self.r
        sfx, size, isx = r.choice(self.EXCL)
        acq = r.choice(["", "a"])
        rel = r.choice(["", "l"])
        kind = r.randrange(10)
        if kind == 0:
            # an unaligned load exclusive: Alignment fault on both (B2.5.2); no store follows
            # ("stxr-address": an unaligned STXR without an open monitor is CU)
            if size == 1:
                size, sfx, isx = 4, "", 0
            self.set_addr(size, size, force_unaligned=True)
            self.emit("ld%sxr%s %s, [x23]" % (acq, sfx, xr(self.dst(), isx)))
            return
        if kind == 1:
            # STXR with the monitor known to be open (after CLREX): fails, Ws = 1; to a
            # writable page ("stxr-fail-abort")
            self.set_addr(size, size, writable=True)
            self.emit("clrex")
            t = self.src()
            s = self.dst(zr=False)
            while s == t:                      # "stxr-status"
                s = self.dst(zr=False)
            self.emit("st%sxr%s %s, %s, [x23]" % (rel, sfx, xr(s, 0), xr(t, isx)))
            return
        if kind in (2, 3):
            # LDXP/STXP: 8-byte (W) or 16-byte (X) aligned pair
            isx = r.random() < 0.5
            total = 16 if isx else 8
            self.set_addr(total, total)
            t1 = self.dst(zr=False)
            t2 = self.dst(zr=False)
            while t2 == t1:                    # "ldp-same"
                t2 = self.dst(zr=False)
            self.emit("ld%sxp %s, %s, [x23]" % (acq, xr(t1, isx), xr(t2, isx)))
            self.between_exclusives({t1, t2})
            u1, u2 = self.src(), self.src()
            s = self.dst(zr=False)
            while s in (u1, u2):               # "stxr-status"
                s = self.dst(zr=False)
            self.emit("st%sxp %s, %s, %s, [x23]" % (rel, xr(s, 0), xr(u1, isx), xr(u2, isx)))
            return
        if kind in (4, 5, 6):
            # LDAR/STLR, LDLAR/STLLR (FEAT_LOR): must be aligned, else an Alignment fault
            unaligned = size > 1 and r.random() < 0.15
            self.set_addr(size, size, force_unaligned=unaligned)
            lor = r.random() < 0.3
            if r.random() < 0.5:
                self.emit("%s%s %s, [x23]" % ("ldlar" if lor else "ldar", sfx,
                                              xr(self.dst(), isx)))
            else:
                self.emit("%s%s %s, [x23]" % ("stllr" if lor else "stlr", sfx,
                                              xr(self.src(), isx)))
            return
        # LDXR ... STXR to the same address and size, with only register instructions between
        # ("stxr-address", "monitor-store")
        self.set_addr(size, size)
        t = self.dst()
        self.emit("ld%sxr%s %s, [x23]" % (acq, sfx, xr(t, isx)))
        self.between_exclusives({t})
        u = self.src()
        s = self.dst(zr=False)
        while s == u:                          # "stxr-status"
            s = self.dst(zr=False)
        self.emit("st%sxr%s %s, %s, [x23]" % (rel, sfx, xr(s, 0), xr(u, isx)))

    def between_exclusives(self, loaded):
        """0-2 register-only instructions between a load and a store exclusive."""
        for _ in range(self.r.randrange(3)):
            sf = self.sf()
            usable = sorted(x for x in loaded if x != 31)   # 31 would be SP here
            n = self.r.choice(usable) if usable and self.r.random() < 0.5 else self.r.randrange(31)
            self.emit("%s %s, %s, #%d" % (self.r.choice(["add", "sub", "adds"]),
                                          xr(self.dst(zr=False), sf), xr(n, sf), self.imm(12)))

    # ------------------------------------------------------------------------- LSE atomics
    LSE_OPS = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]

    def atomic(self):
        r = self.r
        sfx, size, isx = r.choice(self.EXCL)
        order = r.choice(["", "a", "l", "al"])
        unaligned = size > 1 and r.random() < 0.12
        kind = r.randrange(6)
        if kind == 5:   # CASP: Rs, Rt even ("casp-odd"); pair of W (8 bytes) or X (16 bytes)
            isx = r.random() < 0.5
            total = 16 if isx else 8
            self.set_addr(total, total, force_unaligned=r.random() < 0.1)
            evens = [n for n in range(0, 22, 2) if n not in self.avoid and n + 1 not in self.avoid]
            s = r.choice(evens)
            t = r.choice(range(0, 30, 2))
            # make the compare succeed: load the expected pair first (a plain LDP, which may be
            # unaligned only with the MMU on)
            if r.random() < 0.4 and self.mmu_on:
                self.emit("ldp %s, %s, [x23]" % (xr(s, isx), xr(s + 1, isx)), counted=False)
            self.emit("casp%s %s, %s, %s, %s, [x23]" % (order, xr(s, isx), xr(s + 1, isx),
                                                        xr(t, isx), xr(t + 1, isx)))
            return
        self.set_addr(size, size, force_unaligned=unaligned)
        if kind == 4:   # CAS: Rs is compared and receives the old value
            s = self.dst(zr=False)
            if r.random() < 0.4 and not unaligned:
                self.emit("ldr%s %s, [x23]" % (sfx, xr(s, isx)), counted=False)
            self.emit("cas%s%s %s, %s, [x23]" % (order, sfx, xr(s, isx), xr(self.src(), isx)))
            return
        t = self.dst()
        s = self.src()
        if kind == 3:
            self.emit("swp%s%s %s, %s, [x23]" % (order, sfx, xr(s, isx), xr(t, isx)))
        else:
            op = r.choice(self.LSE_OPS)
            if t == 31 and r.random() < 0.5 and order in ("", "l"):
                # ST<op>: the alias with Rt = XZR and no acquire
                self.emit("st%s%s%s %s, [x23]" % (op, order, sfx, xr(s, isx)))
            else:
                self.emit("ld%s%s%s %s, %s, [x23]" % (op, order, sfx, xr(s, isx), xr(t, isx)))

    # ---------------------------------------------------------------------- branches
    def branch(self):
        r = self.r
        kind = r.randrange(10)
        if kind in (0, 1, 2):
            self.emit("b.%s %s" % (r.choice(CONDS), self.forward_label()))
        elif kind == 3:
            self.emit("%s %s, %s" % (r.choice(["cbz", "cbnz"]), xr(self.src(), self.sf()),
                                     self.forward_label()))
        elif kind == 4:
            bit = r.randrange(64)
            reg = xr(self.src(), 1 if bit >= 32 else r.random() < 0.5)
            self.emit("%s %s, #%d, %s" % (r.choice(["tbz", "tbnz"]), reg, bit,
                                          self.forward_label()))
        elif kind == 5:
            self.emit("b %s" % self.forward_label())
        elif kind == 6:   # BR x23 to a forward label
            lab = self.forward_label()
            self.emit("adr x23, %s" % lab, counted=False)
            self.emit("br x23")
        elif kind == 9:   # BR/BLR/RET to a misaligned address: PC alignment fault at the target
            # (ELR = FAR = the target); the harness resumes at the target with bits 1:0 cleared
            if not self.in_sub and not self.in_loop and r.random() < 0.4:
                lab = self.label("sub")
                self.subs.append(lab)
                op = "blr"
            else:
                lab = self.forward_label()
                op = r.choice(["br", "ret"])
            self.emit("adr x23, %s" % lab, counted=False)
            self.emit("add x23, x23, #%d" % r.randint(1, 3), counted=False)
            self.emit("%s x23" % op)
        elif kind in (7, 8) and not self.in_sub and not self.in_loop:
            sub = self.label("sub")
            self.subs.append(sub)
            if kind == 7:
                self.emit("bl %s" % sub)
            else:
                self.emit("adr x23, %s" % sub, counted=False)
                self.emit("blr x23")

    def loop(self):
        if self.in_sub or self.in_loop:
            return self.dp_reg()
        r = self.r
        counter = r.choice([n for n in FREE if n != 30])
        self.load_const(counter, r.randint(1, 4))
        top = self.label("loop")
        outer = self.region
        self.region = Region()
        self.in_loop = True
        self.avoid = {counter}
        self.place(top)
        for _ in range(r.randint(2, 8)):
            self.unit()
        self.flush_labels()
        self.emit("subs %s, %s, #1" % (xr(counter), xr(counter)), counted=False)
        self.emit("b.ne %s" % top, counted=False)
        self.avoid = set()
        self.in_loop = False
        self.region = outer

    def raw_word(self):
        self.emit_word(self.raw_pool)

    def dp_word(self):
        self.emit_word(self.dp_pool)

    def emit_word(self, pool):
        """One word of `pool` whose destination the current region may write."""
        usable = [w for w, d in pool if d is None or d == 31 or
                  (d not in self.avoid and not (self.in_sub and d == 30))]
        if not usable:
            return self.dp_reg()
        self.emit(".inst 0x%08x" % self.r.choice(usable))

    def misc(self):
        r = self.r
        self.emit(r.choice(["nop", "clrex", "dmb ish", "dsb sy", "isb", "dmb ld", "yield"]))

    # ---------------------------------------------------------------------------- units
    def unit(self):
        r = self.r
        weights = [("dp_imm", 18), ("dp_reg", 22), ("ld_st_single", 16), ("ld_st_pair", 6),
                   ("ld_literal", 2), ("exclusive", 6), ("atomic", 8), ("branch", 8),
                   ("loop", 1), ("misc", 2)]
        if self.raw_pool:
            weights.append(("raw_word", 3))
        if self.dp_pool:
            weights.append(("dp_word", 6))
        total = sum(w for _, w in weights)
        x = r.randrange(total)
        for name, w in weights:
            if x < w:
                getattr(self, name)()
                break
            x -= w
        self.end_unit()

    def subroutine(self, name):
        self.place(name)
        self.region = Region()
        self.in_sub = True
        for _ in range(self.r.randint(1, 6)):
            self.unit()
        self.flush_labels()
        self.emit("ret", counted=False)
        self.in_sub = False

    def initial_state(self):
        r = self.r
        vals = []
        for n in range(31):
            if n == HOME:
                vals.append("ri_scratch")
            elif n in BASES:
                vals.append("ri_scratch + %d" % self.base_off[n])
            elif n == ADDR:
                vals.append("ri_scratch")
            elif n == INDEX:
                vals.append("0")
            else:
                k = r.random()
                if k < 0.4:
                    v = r.choice(SPECIAL)
                elif k < 0.6:
                    v = r.getrandbits(32)
                elif k < 0.7:
                    v = r.randrange(-64, 64) & ((1 << 64) - 1)
                else:
                    v = r.getrandbits(64)
                vals.append("0x%016x" % v)
        vals.append("0x%x" % (r.randrange(16) << 28))   # NZCV
        vals.append("0")
        return vals

    def generate(self):
        state = self.initial_state()
        while self.count < self.target:
            self.unit()
        self.flush_labels()
        self.emit("b ri_exit", counted=False)
        i = 0
        while i < len(self.subs):      # subroutines may not call others (no BL in them)
            self.subroutine(self.subs[i])
            i += 1
        lines = [
            "/* Generated by tests/randinsn/gen.py --seed %d --insns %d: do not edit. */"
            % (self.seed, self.target),
            "    .section .rodata.ri_initial, \"a\"",
            "    .balign 8",
            "    .global ri_initial, ri_seed, ri_insn_count, ri_mmu_on",
            "ri_initial:",
        ]
        lines += ["    .quad %s" % v for v in state]
        lines += ["ri_seed:", "    .quad %d" % self.seed,
                  "ri_mmu_on:", "    .quad %d" % self.mmu_on,
                  "ri_insn_count:", "    .quad %d" % self.count,
                  "", "    .section .text.ri_block, \"ax\"", "    .balign 64",
                  "    .global ri_block, ri_block_end", "ri_block:"]
        lines += self.out
        lines.append("    .balign 8")
        for lab, v in self.literals:
            lines.append("%s:\n    .quad 0x%016x" % (lab, v))
        lines.append("ri_block_end:")
        return "\n".join(lines) + "\n"


# Mnemonics (as binutils prints them, aliases included) of the ARMv8.1 data-processing
# instructions in the immediate and register spaces. A random word there that disassembles to one
# of these is an ARMv8.1 instruction; anything else binutils decodes (MTE ADDG/IRG/SUBP/GMI,
# FlagM RMIF/SETF, PAuth PAC*/AUT*/XPAC*, CSSC ...) is a later feature and is not used.
V81_DP = set("""
add adds sub subs cmp cmn mov movz movn movk and orr eor ands tst adr adrp sbfm bfm ubfm sbfx ubfx
bfi bfxil bfc sbfiz ubfiz lsl lsr asr ror extr sxtb sxth sxtw uxtb uxth adc adcs sbc sbcs ngc ngcs
neg negs bic orn eon bics mvn ccmp ccmn csel csinc csinv csneg cset csetm cinc cinv cneg rbit rev16
rev32 rev rev64 clz cls udiv sdiv lslv lsrv asrv rorv crc32b crc32h crc32w crc32x crc32cb crc32ch
crc32cw crc32cx madd msub mul mneg smaddl smsubl umaddl umsubl smull umull smnegl umnegl smulh umulh
""".split())
NO_DEST = {"cmp", "cmn", "tst", "ccmp", "ccmn"}
DP_SPACES = [0b1000, 0b1001, 0b0101, 0b1101]
UNALLOCATED_SPACES = [0b0000, 0b0001, 0b0011]
# Loads/stores (x1x0) and branches/system (101x): only the words binutils cannot decode are used
# from these (they never access memory nor branch).
LDST_BRANCH_SPACES = [0b0100, 0b0110, 0b1100, 0b1110, 0b1010, 0b1011]


def disassemble(words):
    """[(word, mnemonic, operands)] for each word, as the installed binutils decodes it."""
    tools = os.environ.get("RANDINSN_CROSS_PREFIX", "aarch64-linux-gnu-")
    with tempfile.TemporaryDirectory(prefix="randinsn-") as tmp:
        src = os.path.join(tmp, "w.S")
        obj = os.path.join(tmp, "w.o")
        with open(src, "w") as f:
            f.write("".join(".inst 0x%08x\n" % w for w in words))
        subprocess.run([tools + "as", src, "-o", obj], check=True)
        dis = subprocess.run([tools + "objdump", "-d", obj], check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
    out = []
    for line in dis.splitlines():
        m = re.match(r"\s*[0-9a-f]+:\s+([0-9a-f]{8})\s+(\S+)\s*(.*)$", line)
        if m:
            out.append((int(m.group(1), 16), m.group(2), m.group(3)))
    return out


def random_words(r, spaces, count):
    words = []
    for _ in range(count):
        w = r.getrandbits(32)
        words.append((w & ~(0xf << 25)) | (r.choice(spaces) << 25))
    return words


def should_be_field_class(w):
    """The load/store exclusive, ordered and compare-and-swap class (insn[29:24] = 001000, V = 0
    included): its Rs and Rt2 fields are "should be one" in most of its instructions, and a word
    with such a bit clear is CONSTRAINED UNPREDICTABLE - UNDEFINED, or executed as if the bit
    were set (ARM ARM K1, "SBO/SBZ fields"). binutils calls those words undefined, QEMU 7.2 treats
    them as UNDEFINED, httusim executes them ("sbo-fields"): no undefined raw word comes from
    there."""
    return ((w >> 24) & 0x3f) == 0x08


def raw_word_pools(r, count):
    """Two pools of `count` random words each, drawn from the A64 spaces of data processing
    (immediate and register) and the unallocated ones (op0 = 000x, 0011), never FP/SIMD or SVE:
      * undefined: words binutils cannot decode, or UDF: UNDEFINED in every architecture version
        binutils knows, so QEMU -cpu max and httusim must agree; these come also from the
        load/store and branch/system spaces;
      * dp: words that decode to an ARMv8.1 data-processing instruction (V81_DP) that does not
        touch SP; each with its destination register (None for compares) so that the generator
        keeps the register rules (no x23-x28, no x30 in subroutines, not the loop counter).
    Random fields reach encodings the templates do not (reserved shift/extend/imms values,
    sf/N mismatches, every alias)."""
    cands = random_words(r, UNALLOCATED_SPACES + DP_SPACES + LDST_BRANCH_SPACES, count * 8)
    cands += random_words(r, DP_SPACES, count * 4)
    undefined, dp = [], []
    for w, mn, ops in disassemble(cands):
        if mn == "udf" or (mn == ".inst" and "undefined" in ops):
            if not should_be_field_class(w):
                undefined.append((w, None))
            continue
        if mn not in V81_DP or re.search(r"\bw?sp\b", ops):
            continue
        dest = None
        if mn not in NO_DEST:
            m = re.match(r"[wx](\d+)\b", ops)
            if not m:
                if not ops.startswith(("xzr", "wzr")):
                    continue
                dest = 31
            else:
                dest = int(m.group(1))
            if dest in RESERVED:
                continue
        dp.append((w, dest))
    pick = lambda pool: sorted(set(pool)) if len(set(pool)) <= count else \
        r.sample(sorted(set(pool)), count)
    return pick(undefined), pick(dp)


def mmu_on_for(seed, mode):
    """--mmu auto: the MMU is off in the seeds 5, 13, 21, ... (one of eight)."""
    return mode == "on" or (mode == "auto" and seed % 8 != 5)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--insns", type=int, default=300)
    p.add_argument("--raw-words", choices=["auto", "0", "1"], default="auto",
                   help="include undefined raw words (auto: in one seed of four)")
    p.add_argument("--mmu", choices=["auto", "on", "off"], default="auto",
                   help="run the block with the MMU on or off (auto: off in one seed of eight)")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()
    raw = a.raw_words == "1" or (a.raw_words == "auto" and a.seed % 4 == 3)
    text = Generator(a.seed, a.insns, raw, mmu_on_for(a.seed, a.mmu)).generate()
    with open(a.output, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
