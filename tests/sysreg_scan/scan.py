#!/usr/bin/env python3
"""The system-register encoding scan (firmware/sysreg_scan/sysreg_scan.elf) for ctest.

  scan.py check --httusim BIN --elf ELF --expected FILE [--update]
      run the scan on httusim; require the listing (with the VOLATILE values masked) to equal FILE
      (--update rewrites FILE instead), and check the ARM ARM rules of the ID register space on it.

  scan.py qemu_diff --httusim BIN --qemu QEMU --elf ELF
      run the scan on QEMU -M virt -cpu max and on httusim; mask the values of IMPL_DEFINED, then
      require every remaining difference to be one of DOCUMENTED (post-v8.1 features and choices
      listed in docs/decisions.md, "System register encoding scan"). Prints the differences by
      class. Exits 77 (ctest SKIP) when QEMU is missing.

The listing has one line per encoding that does not take the UNDEFINED exception (see
firmware/sysreg_scan/sysreg_scan.c); an encoding without a line is UNDEFINED.
"""

import argparse
import collections
import difflib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "firmware"))
import fwrun  # noqa: E402  (qemu_command, httusim_command, execute, find_qemu, DIFF_SIM_ARGS)

TIMEOUT = 60
CLASSES = ("mrs", "msr", "sys", "sysl")
ENCODINGS_PER_CLASS = 16384
UNDEFINED = "undefined"

LINE_RE = re.compile(r"^(mrs|msr|sys|sysl) (s[13]_[0-7]_c\d+_c\d+_[0-7]) (.*)$")
SUMMARY_RE = re.compile(r"^(mrs|msr|sys|sysl): (\d+) encodings, (\d+) undefined, (\d+) other "
                        r"exception, (\d+) executed, (\d+) skipped$")

# Values that change from run to run of the same program (time), masked in both comparisons.
VOLATILE = {
    "s3_3_c14_c0_1": "CNTPCT_EL0",
    "s3_3_c14_c0_2": "CNTVCT_EL0",
    "s3_3_c14_c2_0": "CNTP_TVAL_EL0",
    "s3_3_c14_c3_0": "CNTV_TVAL_EL0",
}

# Addresses that move when the firmware runtime or the scan program is relinked (the same ELF
# gives the same values on both simulators): masked in the expected listing only.
LAYOUT = {
    "s3_0_c4_c0_1": "ELR_EL1: the probe that took the last exception",
    "s3_0_c12_c0_0": "VBAR_EL1: the runtime's vector table",
}

# Values that are each implementation's own (identification, reset values, cache geometry; the
# feature set is compared field by field below): compared with QEMU only for being readable; httusim's values are
# pinned by the expected listing and by tests/core/test_sysregs.cc.
IMPL_DEFINED = {
    "s3_0_c0_c0_0": "MIDR_EL1: identification (httusim: Arm Cortex-A53 class r0p4)",
    "s3_0_c1_c0_0": "SCTLR_EL1: reset value (UNKNOWN bits, and RES1 bits of v8.1 that later "
                    "features turned into fields: TSCXT, nTLSMD, LSMAOE)",
    "s3_1_c0_c0_0": "CCSIDR_EL1: cache geometry",
    "s3_1_c0_c0_1": "CLIDR_EL1: cache hierarchy",
    "s3_3_c0_c0_1": "CTR_EL0: cache type",
}
# The ID registers of CRm = 1..7 (op0 = 3, op1 = 0, CRn = 0): values are compared field by field
# in id_field_differences(), not as a whole.
ID_REGISTER_RE = re.compile(r"^s3_0_c0_c[1-7]_[0-7]$")

# Differences from QEMU 7.2 -cpu max that are documented (docs/decisions.md): (feature class,
# scan classes, encoding regex, outcome on QEMU, outcome on httusim). Outcomes are regexes on the
# line's text after the encoding ("= 0x...", "ok", "exception esr=0x...") or UNDEFINED. (The
# registers the MSR pass skips are skipped on both simulators: never a difference.)
EXC_SYS = r"exception esr=0x62[0-9a-f]{6}"  # EC 0x18, IL = 1
DOCUMENTED = [
    ("FEAT_IDST (v8.4): unallocated ID space traps with EC 0x18", ("mrs",),
     r"s3_(0_c0_c0_[1-47]|[13]_c0_c[0-7]_[0-7])", EXC_SYS, UNDEFINED),
    ("FEAT_PAuth (v8.3): key registers AP{IA,IB,DA,DB,GA}Key{Lo,Hi}_EL1", ("mrs", "msr"),
     r"s3_0_c2_c[123]_[0-3]", r"(= 0x.*|ok)", UNDEFINED),
    ("FEAT_UAO (v8.2): PSTATE.UAO", ("mrs",), r"s3_0_c4_c2_4", r"= 0x.*", UNDEFINED),
    ("FEAT_RAS (v8.2): ERRIDR_EL1, DISR_EL1", ("mrs", "msr"), r"s3_0_c(5_c3_0|12_c1_1)",
     r"(= 0x.*|ok)", UNDEFINED),
    ("FEAT_PMUv3 (optional; ID_AA64DFR0_EL1.PMUVer = 0 here): PMU registers", ("mrs", "msr"),
     r"s3_(0_c9_c14_[126]|3_c9_c1[2-4]_[0-7]|3_c14_c(8|9|1[0-5])_[0-7])", r"(= 0x.*|ok)",
     UNDEFINED),
    ("FEAT_CSV2_2 (v8.5): SCXTNUM_EL0, SCXTNUM_EL1", ("mrs", "msr"), r"s3_[03]_c13_c0_7",
     r"(= 0x.*|ok)", UNDEFINED),
    ("FEAT_RNG (v8.5): RNDR, RNDRRS", ("mrs",), r"s3_3_c2_c4_[01]", r"= 0x.*", UNDEFINED),
    ("FEAT_DIT (v8.4), FEAT_SSBS (v8.5): PSTATE.DIT, PSTATE.SSBS", ("mrs",), r"s3_3_c4_c2_[56]",
     r"= 0x.*", UNDEFINED),
    ("FEAT_SVE (v8.2): ZCR_EL1, trapped by CPACR_EL1.ZEN (EC 0x19)", ("mrs", "msr"),
     r"s3_0_c1_c2_0", r"exception esr=0x66000000", UNDEFINED),
    ("FEAT_SME (v9.2): SMCR_EL1, SVCR trapped by CPACR_EL1.SMEN (EC 0x1D); SMPRI_EL1, "
     "SMIDR_EL1, TPIDR2_EL0", ("mrs", "msr"),
     r"s3_(0_c1_c2_[46]|3_c4_c2_2|1_c0_c0_6|3_c13_c0_5)",
     r"(= 0x.*|ok|exception esr=0x76000000)", UNDEFINED),
    ("IMPLEMENTATION DEFINED registers of QEMU's Cortex-A57 base (L2CTLR_EL1, L2ECTLR_EL1, "
     "L2ACTLR_EL1, CPUACTLR_EL1, CPUECTLR_EL1, CPUMERRSR_EL1, L2MERRSR_EL1, CBAR_EL1)",
     ("mrs", "msr"), r"s3_1_c(11_c0_[23]|15_c0_0|15_c2_[0-3]|15_c3_0)", r"(= 0x.*|ok)",
     UNDEFINED),
    ("FEAT_PAN2 (v8.2): AT S1E1RP, AT S1E1WP", ("sys",), r"s1_0_c7_c9_[01]", "ok", UNDEFINED),
    ("FEAT_TLBIOS (v8.4): TLBI *E1OS", ("sys",), r"s1_0_c8_c1_[0-7]", "ok", UNDEFINED),
    ("FEAT_TLBIRANGE (v8.4): TLBI RVA*E1{,IS,OS}", ("sys",), r"s1_0_c8_c[256]_[1357]", "ok",
     UNDEFINED),
    ("FEAT_SPECRES (v8.5): CFP, DVP, CPP RCTX", ("sys",), r"s1_3_c7_c3_[457]", "ok", UNDEFINED),
    ("FEAT_DPB2 (v8.5): DC CVADP", ("sys",), r"s1_3_c7_c13_1", "ok", UNDEFINED),
    ("DC ZVA with the MMU off: Device memory, Alignment fault (ARM ARM; QEMU zeroes)", ("sys",),
     r"s1_3_c7_c4_1", "ok", r"exception esr=0x96000061"),
]

# ID register fields (op0 = 3, op1 = 0, CRn = 0; positions from ARM ARM D17.2): encoding ->
# (name, [(lsb, field, what a larger value on QEMU means)]). A field that differs from QEMU must
# be listed here; any other differing field fails the comparison.
ID_FIELDS = {
    "s3_0_c0_c4_0": ("ID_AA64PFR0_EL1", [
        (0, "EL0", "AArch32 at EL0"), (4, "EL1", "AArch32 at EL1"),
        (16, "FP", "FEAT_FP16 (v8.2)"), (20, "AdvSIMD", "FEAT_FP16 (v8.2)"),
        (24, "GIC", "GICv3 system registers"), (28, "RAS", "FEAT_RAS (v8.2)"),
        (32, "SVE", "FEAT_SVE (v8.2)"), (36, "SEL2", "FEAT_SEL2 (v8.4)"),
        (44, "AMU", "FEAT_AMUv1 (v8.4)"), (48, "DIT", "FEAT_DIT (v8.4)"),
        (56, "CSV2", "FEAT_CSV2 (v8.5)"), (60, "CSV3", "FEAT_CSV3 (v8.5)")]),
    "s3_0_c0_c4_1": ("ID_AA64PFR1_EL1", [
        (0, "BT", "FEAT_BTI (v8.5)"), (4, "SSBS", "FEAT_SSBS2 (v8.5)"),
        (8, "MTE", "FEAT_MTE (v8.5)"), (24, "SME", "FEAT_SME (v9.2)"),
        (32, "CSV2_frac", "FEAT_CSV2_1p2")]),
    "s3_0_c0_c4_4": ("ID_AA64ZFR0_EL1", [(lsb, "(SVE)", "FEAT_SVE, FEAT_SVE2 and extensions")
                                         for lsb in range(0, 64, 4)]),
    "s3_0_c0_c4_5": ("ID_AA64SMFR0_EL1", [(lsb, "(SME)", "FEAT_SME and extensions")
                                          for lsb in range(0, 64, 4)]),
    "s3_0_c0_c5_0": ("ID_AA64DFR0_EL1", [
        (0, "DebugVer", "FEAT_Debugv8p2/v8p4 (v8.2, v8.4)"), (8, "PMUVer", "FEAT_PMUv3"),
        (12, "BRPs", "breakpoints (debug not modelled)"),
        (20, "WRPs", "watchpoints (debug not modelled)"),
        (28, "CTX_CMPs", "context-aware breakpoints (debug not modelled)")]),
    "s3_0_c0_c6_0": ("ID_AA64ISAR0_EL1", [
        (4, "AES", "FEAT_AES, FEAT_PMULL"), (8, "SHA1", "FEAT_SHA1"),
        (12, "SHA2", "FEAT_SHA256, FEAT_SHA512"), (28, "RDM", "FEAT_RDM (v8.1 Advanced SIMD)"),
        (32, "SHA3", "FEAT_SHA3 (v8.2)"), (36, "SM3", "FEAT_SM3 (v8.2)"),
        (40, "SM4", "FEAT_SM4 (v8.2)"), (44, "DP", "FEAT_DotProd (v8.2)"),
        (48, "FHM", "FEAT_FHM (v8.2)"), (52, "TS", "FEAT_FlagM, FEAT_FlagM2 (v8.4, v8.5)"),
        (56, "TLB", "FEAT_TLBIOS, FEAT_TLBIRANGE (v8.4)"), (60, "RNDR", "FEAT_RNG (v8.5)")]),
    "s3_0_c0_c6_1": ("ID_AA64ISAR1_EL1", [
        (0, "DPB", "FEAT_DPB, FEAT_DPB2 (v8.2, v8.5)"), (4, "APA", "FEAT_PAuth (v8.3)"),
        (8, "API", "FEAT_PAuth (v8.3)"), (12, "JSCVT", "FEAT_JSCVT (v8.3)"),
        (16, "FCMA", "FEAT_FCMA (v8.3)"), (20, "LRCPC", "FEAT_LRCPC, FEAT_LRCPC2 (v8.3, v8.4)"),
        (24, "GPA", "FEAT_PAuth (v8.3)"), (28, "GPI", "FEAT_PAuth (v8.3)"),
        (32, "FRINTTS", "FEAT_FRINTTS (v8.5)"), (36, "SB", "FEAT_SB (v8.5)"),
        (40, "SPECRES", "FEAT_SPECRES (v8.5)"), (44, "BF16", "FEAT_BF16 (v8.6)"),
        (48, "DGH", "FEAT_DGH (v8.6)"), (52, "I8MM", "FEAT_I8MM (v8.6)")]),
    "s3_0_c0_c7_0": ("ID_AA64MMFR0_EL1", [
        (0, "PARange", "FEAT_LPA: 52-bit PA (v8.2)"), (20, "TGran16", "FEAT_LPA2 (v8.7)"),
        (28, "TGran4", "FEAT_LPA2 (v8.7)"), (32, "TGran16_2", "stage 2 (EL2)"),
        (36, "TGran64_2", "stage 2 (EL2)"), (40, "TGran4_2", "stage 2 (EL2)")]),
    "s3_0_c0_c7_1": ("ID_AA64MMFR1_EL1", [
        (4, "VMIDBits", "16-bit VMIDs (EL2)"), (8, "VH", "FEAT_VHE (EL2)"),
        (12, "HPDS", "FEAT_HPDS2 (v8.2)"), (20, "PAN", "FEAT_PAN2 (v8.2)"),
        (28, "XNX", "FEAT_XNX (v8.2, stage 2)"), (32, "TWED", "FEAT_TWED (v8.6)"),
        (36, "ETS", "FEAT_ETS (v8.7)"), (40, "HCX", "FEAT_HCX (v8.7)"),
        (44, "AFP", "FEAT_AFP (v8.7)")]),
    "s3_0_c0_c7_2": ("ID_AA64MMFR2_EL1", [
        (0, "CnP", "FEAT_TTCNP (v8.2)"), (4, "UAO", "FEAT_UAO (v8.2)"),
        (12, "IESB", "FEAT_IESB (v8.2)"), (16, "VARange", "FEAT_LVA (v8.2)"),
        (20, "CCIDX", "FEAT_CCIDX (v8.3)"), (24, "NV", "FEAT_NV (EL2)"),
        (28, "ST", "FEAT_TTST (v8.4)"), (32, "AT", "FEAT_LSE2 (v8.4)"),
        (36, "IDS", "FEAT_IDST (v8.4)"), (40, "FWB", "FEAT_S2FWB (v8.4, stage 2)"),
        (48, "TTL", "FEAT_TTL (v8.4)"), (52, "BBM", "FEAT_BBM (v8.4)"),
        (56, "EVT", "FEAT_EVT (v8.5)"), (60, "E0PD", "FEAT_E0PD (v8.5)")]),
}
# Bits of other registers that may differ, with the reason: encoding -> (mask, name, reason).
VALUE_FIELDS = {
    # The scan calls each probe with BLR: with FEAT_BTI, PSTATE.BTYPE = 0b10 at the probe, and the
    # exception taken there saves it in SPSR_EL1[11:10].
    "s3_0_c4_c0_0": (0xc00, "SPSR_EL1.BTYPE", "FEAT_BTI (v8.5)"),
}
# CRm = 1..3: the AArch32 ID registers. httusim has no AArch32 (ID_AA64PFR0_EL1.EL0 = EL1 = 1):
# they read as zero; QEMU -cpu max supports AArch32 at EL0 and EL1 and describes it.
AARCH32_ID_RE = re.compile(r"^s3_0_c0_c[123]_[0-7]$")


def parse(text):
    """(outcomes: {(class, encoding): outcome text}, summaries: {class: counts}, other lines)."""
    outcomes, summaries, other = {}, {}, []
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if m:
            outcomes[(m.group(1), m.group(2))] = m.group(3)
            continue
        m = SUMMARY_RE.match(line)
        if m:
            summaries[m.group(1)] = tuple(int(g) for g in m.groups()[1:])
            continue
        other.append(line)
    return outcomes, summaries, other


def mask_line(line):
    """The line of the expected listing: VOLATILE and LAYOUT values replaced by their reason."""
    m = LINE_RE.match(line)
    if m and m.group(1) == "mrs" and m.group(3).startswith("= "):
        for kind, table in (("volatile", VOLATILE), ("layout", LAYOUT)):
            if m.group(2) in table:
                return "%s %s = <%s: %s>" % (m.group(1), m.group(2), kind, table[m.group(2)])
    return line


def masked_listing(text):
    return "".join(mask_line(line) + "\n" for line in text.splitlines())


def run_httusim(httusim, elf):
    fwrun.check_file(httusim, "httusim", "build the `httusim` target")
    fwrun.check_file(elf, "sysreg_scan.elf", "build the `httusim_firmware` target")
    cmd = fwrun.httusim_command(httusim, elf, [], fwrun.DIFF_SIM_ARGS)
    print("$ " + " ".join(cmd))
    status, out = fwrun.execute(cmd, TIMEOUT)
    if status != 0 or "sysreg_scan done" not in out:
        fwrun.show("httusim output", out, 40)
        fwrun.fail("httusim: exit status %d, expected 0 and 'sysreg_scan done'" % status)
    return out


def summary_problems(summaries, who):
    problems = []
    for cls in CLASSES:
        s = summaries.get(cls)
        if s is None:
            problems.append("%s: no summary line for %s" % (who, cls))
        elif s[0] != ENCODINGS_PER_CLASS or sum(s[1:]) != ENCODINGS_PER_CLASS:
            problems.append("%s: %s summary %s does not add up to %d encodings" %
                            (who, cls, s, ENCODINGS_PER_CLASS))
    return problems


def id_space_problems(outcomes):
    """The ARM ARM rules of the ID register space (C5.3): CRm = 1..7 are readable at EL1 (named
    registers or "Reserved, RAZ") and not writable; CRm = 8..15 are UNDEFINED both ways; and
    RVBAR_EL1 is readable (EL1 is the highest Exception level)."""
    problems = []
    for crm in range(1, 16):
        for op2 in range(8):
            enc = "s3_0_c0_c%d_%d" % (crm, op2)
            read, write = outcomes.get(("mrs", enc)), outcomes.get(("msr", enc))
            if crm <= 7 and not (read or "").startswith("= "):
                problems.append("MRS %s: %s, expected readable (ID space, RAZ if reserved)" %
                                (enc, read or UNDEFINED))
            if crm >= 8 and read is not None:
                problems.append("MRS %s: %s, expected UNDEFINED" % (enc, read))
            if write is not None:
                problems.append("MSR %s: %s, expected UNDEFINED" % (enc, write))
    if not (outcomes.get(("mrs", "s3_0_c12_c0_1")) or "").startswith("= "):
        problems.append("MRS RVBAR_EL1 (s3_0_c12_c0_1) is not readable")
    return problems


def cmd_check(a):
    out = run_httusim(a.httusim, a.elf)
    listing = masked_listing(out)
    outcomes, summaries, _ = parse(out)
    problems = summary_problems(summaries, "httusim") + id_space_problems(outcomes)
    if a.update:
        with open(a.expected, "w") as f:
            f.write(listing)
        print("wrote %s (%d lines)" % (a.expected, len(listing.splitlines())))
    else:
        with open(a.expected) as f:
            expected = f.read()
        if listing != expected:
            print("listing differs from %s (- expected, + httusim):" % a.expected)
            for line in list(difflib.unified_diff(expected.splitlines(), listing.splitlines(),
                                                  "expected", "httusim", lineterm="", n=1))[:120]:
                print(line)
            problems.append("listing differs from the expected one (rerun with --update after "
                            "checking the change against QEMU: the qemu_diff test)")
    for p in problems:
        print("problem: " + p)
    if problems:
        fwrun.fail("%d problem(s)" % len(problems))
    for cls in CLASSES:
        print("%s: %d encodings, %d undefined, %d other exception, %d executed, %d skipped" %
              ((cls,) + summaries[cls]))
    print("OK: listing as expected; ID register space as the ARM ARM lists it")


def id_field_differences(enc, qemu_value, sim_value):
    """Explained and unexplained differences of one ID register, field by field."""
    if AARCH32_ID_RE.match(enc):
        if sim_value == 0:
            return ["%s: QEMU %#x, httusim 0 (AArch32 ID register; no AArch32 here)" %
                    (enc, qemu_value)], []
        return [], ["%s = %#x, expected 0 (no AArch32)" % (enc, sim_value)]
    name, fields = ID_FIELDS.get(enc, (enc, []))
    explained, unexplained = [], []
    known = {lsb: (field, feature) for lsb, field, feature in fields}
    for lsb in range(0, 64, 4):
        q, s = (qemu_value >> lsb) & 0xf, (sim_value >> lsb) & 0xf
        if q == s:
            continue
        if lsb in known:
            field, feature = known[lsb]
            explained.append("%s.%s: QEMU %d, httusim %d (%s)" % (name, field, q, s, feature))
        else:
            unexplained.append("%s[%d:%d]: QEMU %d, httusim %d" % (name, lsb + 3, lsb, q, s))
    return explained, unexplained


def classify(cls, enc, q, s):
    """The documented reason for outcome q (QEMU) against s (httusim), or None."""
    for label, classes, enc_re, q_re, s_re in DOCUMENTED:
        if cls not in classes or not re.fullmatch(enc_re, enc):
            continue
        q_ok = (q == UNDEFINED) if q_re == UNDEFINED else (q != UNDEFINED and re.fullmatch(q_re, q))
        s_ok = (s == UNDEFINED) if s_re == UNDEFINED else (s != UNDEFINED and re.fullmatch(s_re, s))
        if q_ok and s_ok:
            return label
    return None


def value_of(outcome):
    return int(outcome[2:], 16) if outcome.startswith("= 0x") else None


def compare(qout, hout):
    """({class label: [details]}, [unexplained differences], counts per scan class)."""
    qo, _, _ = parse(qout)
    ho, _, _ = parse(hout)
    explained = collections.defaultdict(list)
    unexplained = []
    per_class = collections.Counter()
    for cls, enc in sorted(set(qo) | set(ho)):
        q, s = qo.get((cls, enc), UNDEFINED), ho.get((cls, enc), UNDEFINED)
        if q == s:
            continue
        qv, sv = value_of(q), value_of(s)
        if cls == "mrs" and qv is not None and sv is not None:
            if enc in VOLATILE:
                continue
            if enc in IMPL_DEFINED:
                per_class[cls] += 1
                explained["IMPLEMENTATION DEFINED values"].append(
                    "%s: QEMU %#x, httusim %#x" % (IMPL_DEFINED[enc], qv, sv))
                continue
            if enc in VALUE_FIELDS and not (qv ^ sv) & ~VALUE_FIELDS[enc][0]:
                per_class[cls] += 1
                _, name, reason = VALUE_FIELDS[enc]
                explained["Register bits of post-v8.1 features"].append(
                    "%s: QEMU %#x, httusim %#x (%s)" % (name, qv, sv, reason))
                continue
            if ID_REGISTER_RE.match(enc):
                per_class[cls] += 1
                ok, bad = id_field_differences(enc, qv, sv)
                for line in ok:
                    explained["ID register fields of post-v8.1 or optional features"].append(line)
                unexplained.extend("mrs " + b for b in bad)
                continue
        per_class[cls] += 1
        label = classify(cls, enc, q, s)
        if label:
            explained[label].append("%s %s" % (cls, enc))
        else:
            unexplained.append("%s %s: QEMU %s, httusim %s" % (cls, enc, q, s))
    return explained, unexplained, per_class


def cmd_qemu_diff(a):
    qemu = fwrun.find_qemu(a.qemu)
    fwrun.check_file(a.elf, "sysreg_scan.elf", "build the `httusim_firmware` target")
    qcmd = fwrun.qemu_command(qemu, a.elf, [])
    print("$ " + " ".join(qcmd))
    qstatus, qout = fwrun.execute(qcmd, TIMEOUT)
    if qstatus != 0 or "sysreg_scan done" not in qout:
        fwrun.show("qemu output", qout, 40)
        fwrun.fail("qemu: exit status %d, expected 0 and 'sysreg_scan done'" % qstatus)
    hout = run_httusim(a.httusim, a.elf)
    problems = summary_problems(parse(qout)[1], "qemu") + summary_problems(parse(hout)[1], "httusim")
    explained, unexplained, per_class = compare(qout, hout)
    print("differences by scan class: " +
          ", ".join("%s %d" % (cls, per_class[cls]) for cls in CLASSES))
    for label in sorted(explained):
        print("documented: %s (%d)" % (label, len(explained[label])))
        for detail in explained[label]:
            print("    " + detail)
    for u in unexplained:
        print("UNEXPLAINED: " + u)
    problems += ["%d unexplained difference(s)" % len(unexplained)] if unexplained else []
    if problems:
        fwrun.fail("; ".join(problems))
    print("OK: every difference from QEMU is documented (%d in all)" % sum(per_class.values()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--httusim", required=True)
    c.add_argument("--elf", required=True)
    c.add_argument("--expected", required=True)
    c.add_argument("--update", action="store_true")
    d = sub.add_parser("qemu_diff")
    d.add_argument("--httusim", required=True)
    d.add_argument("--qemu", required=True)
    d.add_argument("--elf", required=True)
    a = ap.parse_args()
    {"check": cmd_check, "qemu_diff": cmd_qemu_diff}[a.cmd](a)


if __name__ == "__main__":
    main()
