#!/usr/bin/env python3
"""Differential random-instruction test: httusim against QEMU virt -cpu max (docs/randinsn.md).

  randinsn.py run  --seed N [--insns K] [common options]
      generate the block of seed N (gen.py), link it with the harness
      (build/firmware/randinsn/librandinsn.a), run it on QEMU and on httusim and compare the
      output: X0-X30, NZCV, SP delta, the exception log (offset, instruction, ESR, FAR) and the
      scratch-buffer hashes. Exit 0 when equal, 1 on a difference, 77 when QEMU is missing.

  randinsn.py many --seeds N [--start S] [--insns K] [--jobs 2] [common options]
      the same for seeds S .. S+N-1, in parallel; the files of every failing seed stay under
      --results (one folder per seed, with a minimised reproduction); prints one summary line:
      "randinsn: N seeds, I instructions, D differences ...".

  randinsn.py minimise --seed N [--insns K] [common options]
      the smallest instruction count of seed N (the generator's output for fewer instructions is
      a prefix of it) that still differs, and the last instructions of that block.

  randinsn.py selftest
      checks the tools themselves (no QEMU needed): the generator is deterministic, its blocks
      assemble for -march=armv8.1-a and keep the register and address rules, and the LSE mask
      changes only WnR of aborts on LSE atomics.

Common options: --build DIR (default: build), --httusim BIN, --qemu QEMU, --work DIR,
--mask-lse-wnr (treat ESR.WnR of a data abort on an LSE atomic as equal: the known httusim
bug of issue 8 item 3, while it is being fixed), --keep.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

SKIP = 77
CROSS = os.environ.get("RANDINSN_CROSS_PREFIX", "aarch64-linux-gnu-")
TIMEOUT = 60
# As in tests/firmware/fwrun.py: QEMU virt without EL2 answers only PSCI.
SIM_ARGS = ["--hypervisor=psci"]

EXC_RE = re.compile(r"^EXC off=([0-9a-f]+) insn=([0-9a-f]{8}) esr=([0-9a-f]{8}) far=([0-9a-f]+)$")


def is_lse_atomic(insn):
    """LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN} (and the ST aliases), SWP, CAS, CASP
    (ARM ARM C4.1.66 'Atomic memory operations', 'Compare and swap (pair)')."""
    if (insn & 0x3f200c00) == 0x38200000:        # atomic memory operations, SWP
        return True
    if (insn & 0x3fa07c00) == 0x08a07c00:        # CAS{A,L,AL}{B,H,}
        return True
    if (insn & 0xbfa07c00) == 0x08207c00:        # CASP{A,L,AL}
        return True
    return False


def normalise(text, mask_lse_wnr):
    """The output with the masks applied (each one documented in docs/decisions.md)."""
    out = []
    for line in text.splitlines():
        m = EXC_RE.match(line)
        if m and mask_lse_wnr:
            insn, esr = int(m.group(2), 16), int(m.group(3), 16)
            if is_lse_atomic(insn) and (esr >> 26) in (0x24, 0x25):
                esr &= ~(1 << 6)                  # ESR_ELx.WnR
                line = "EXC off=%s insn=%s esr=%08x far=%s (WnR masked)" % (
                    m.group(1), m.group(2), esr, m.group(4))
        out.append(line)
    return out


class Env:
    def __init__(self, a):
        self.build = os.path.abspath(a.build)
        self.rt = os.path.join(self.build, "firmware", "randinsn")
        self.httusim = a.httusim or os.path.join(self.build, "bin", "httusim")
        self.qemu = a.qemu
        self.mask_lse_wnr = a.mask_lse_wnr
        self.work = a.work or os.path.join(self.build, "tests", "randinsn", "work")
        self.keep = a.keep
        self.mmu = a.mmu

    def check(self):
        qemu = shutil.which(self.qemu) if os.sep not in self.qemu else self.qemu
        if not qemu or not os.access(qemu, os.X_OK):
            print("SKIP: %s not found; install qemu-system-arm (Debian) to run the randinsn "
                  "comparison" % self.qemu)
            sys.exit(SKIP)
        self.qemu = qemu
        for path, what in ((self.httusim, "httusim (build the httusim target)"),
                           (os.path.join(self.rt, "librandinsn.a"),
                            "the harness library (build the httusim_firmware target)")):
            if not os.path.isfile(path):
                print("FAIL: %s not found: %s" % (what, path))
                sys.exit(1)
        if not shutil.which(CROSS + "gcc"):
            print("FAIL: %sgcc not found (apt-get install gcc-aarch64-linux-gnu)" % CROSS)
            sys.exit(1)


def execute(cmd, timeout=TIMEOUT):
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("utf-8", "replace")
    except OSError as e:        # e.g. the binary is being rebuilt: this seed fails, the run goes on
        return "error", "cannot run %s: %s" % (cmd[0], e)


def build_elf(env, seed, insns, raw_words, folder, mmu_on=True):
    """block.S and block.elf (+ block.lst) of one seed in `folder`; returns the ELF path and the
    number of instructions generated."""
    os.makedirs(folder, exist_ok=True)
    src = os.path.join(folder, "block.S")
    elf = os.path.join(folder, "block.elf")
    g = gen.Generator(seed, insns, raw_words, mmu_on)
    with open(src, "w") as f:
        f.write(g.generate())
    cmd = [CROSS + "gcc", "-march=armv8.1-a", "-nostdlib", "-static", "-no-pie",
           "-T", os.path.join(env.rt, "link.ld"), "-Wl,--build-id=none", "-Wl,--gc-sections",
           "-Wl,--no-warn-rwx-segments", src, "-Wl,--whole-archive",
           os.path.join(env.rt, "librandinsn.a"), "-Wl,--no-whole-archive", "-lgcc", "-o", elf]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise RuntimeError("cannot build seed %d:\n%s" % (seed, p.stdout.decode(errors="replace")))
    symbols = dict((l.split()[2], l.split()[0]) for l in subprocess.run(
        [CROSS + "nm", elf], stdout=subprocess.PIPE, universal_newlines=True).stdout.splitlines()
        if len(l.split()) == 3)
    with open(os.path.join(folder, "block.lst"), "w") as f:
        subprocess.run([CROSS + "objdump", "-d", "--start-address=0x" + symbols["ri_block"],
                        "--stop-address=0x" + symbols["ri_block_end"], elf], stdout=f)
    return elf, g.count


def raw_words_for(seed, mode):
    return mode == "1" or (mode == "auto" and seed % 4 == 3)


def compare_seed(env, seed, insns, raw_mode, folder):
    """Runs one seed. Returns (ok, instructions, report text)."""
    elf, count = build_elf(env, seed, insns, raw_words_for(seed, raw_mode), folder,
                           gen.mmu_on_for(seed, env.mmu))
    qcmd = [env.qemu, "-M", "virt", "-cpu", "max", "-nographic", "-semihosting-config",
            "enable=on,target=native", "-kernel", elf]
    hcmd = [env.httusim] + SIM_ARGS + [elf]
    qstatus, qout = execute(qcmd)
    hstatus, hout = execute(hcmd)
    for name, text in (("qemu.txt", qout), ("httusim.txt", hout)):
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    problems = []
    if qstatus != 0 or "RANDINSN END" not in qout:
        problems.append("QEMU run failed (status %s)" % qstatus)
    if hstatus != 0 or "RANDINSN END" not in hout:
        problems.append("httusim run failed (status %s)" % hstatus)
    q, h = normalise(qout, env.mask_lse_wnr), normalise(hout, env.mask_lse_wnr)
    report = []
    if q != h:
        problems.append("output differs")
        report += list(difflib.unified_diff(q, h, "qemu", "httusim", lineterm="", n=1))[:80]
    if problems:
        report.insert(0, "seed %d: %s (files in %s)" % (seed, "; ".join(problems), folder))
        with open(os.path.join(folder, "diff.txt"), "w") as f:
            f.write("\n".join(report) + "\n")
    return not problems, count, "\n".join(report)


def seed_folder(base, seed):
    return os.path.join(base, "seed-%d" % seed)


def cmd_run(env, a):
    env.check()
    folder = seed_folder(env.work, a.seed)
    ok, count, report = compare_seed(env, a.seed, a.insns, a.raw_words, folder)
    if ok:
        print("OK: seed %d, %d instructions: identical registers, NZCV, exception log and memory"
              " hashes on QEMU and httusim%s" % (a.seed, count,
                                                 " (LSE WnR masked)" if env.mask_lse_wnr else ""))
        if not env.keep:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    print(report)
    show_tail(folder)
    print("FAIL: seed %d differs; reproduce with: %s minimise --seed %d --insns %d%s" % (
        a.seed, sys.argv[0], a.seed, a.insns, " --mask-lse-wnr" if env.mask_lse_wnr else ""))
    return 1


def show_tail(folder):
    for name in ("qemu.txt", "httusim.txt"):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path) as f:
                lines = f.read().splitlines()
            print("---- %s (last 12 of %d lines)" % (name, len(lines)))
            for line in lines[-12:]:
                print(line)


def minimise(env, seed, insns, raw_mode, folder):
    """Smallest instruction count K' <= insns whose block still differs (binary search: the
    block of K' instructions is a prefix of the block of K). Returns (K', folder) or None."""
    ok, _, _ = compare_seed(env, seed, insns, raw_mode, folder)
    if ok:
        return None
    lo, hi = 0, insns      # block(lo) agrees, block(hi) differs
    while hi - lo > 1:
        mid = (lo + hi) // 2
        ok, _, _ = compare_seed(env, seed, mid, raw_mode, folder)
        if ok:
            lo = mid
        else:
            hi = mid
    compare_seed(env, seed, hi, raw_mode, folder)
    return hi, folder


def last_instructions(folder, n=8):
    """The last generated instructions of the main code (before "b ri_exit")."""
    with open(os.path.join(folder, "block.S")) as f:
        lines = f.read().splitlines()
    start = lines.index("ri_block:")
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "b ri_exit")
    return lines[max(start + 1, end - n):end]


def cmd_minimise(env, a):
    env.check()
    folder = seed_folder(os.path.join(env.work, "minimised"), a.seed)
    got = minimise(env, a.seed, a.insns, a.raw_words, folder)
    if got is None:
        print("seed %d, %d instructions: no difference" % (a.seed, a.insns))
        return 0
    k, folder = got
    print("seed %d: smallest differing block has %d instructions (files in %s); it ends with:"
          % (a.seed, k, folder))
    for line in last_instructions(folder):
        print("  " + line.strip())
    with open(os.path.join(folder, "diff.txt")) as f:
        print(f.read())
    return 1


def cmd_many(env, a):
    env.check()
    results = a.results or os.path.join(env.work, "results")
    seeds = list(range(a.start, a.start + a.seeds))
    failures = []
    total = 0
    tmp_base = tempfile.mkdtemp(prefix="randinsn-", dir=env.work if os.path.isdir(env.work)
                                else None)

    def one(seed):
        folder = seed_folder(tmp_base, seed)
        try:
            ok, count, report = compare_seed(env, seed, a.insns, a.raw_words, folder)
        except RuntimeError as e:
            return seed, False, 0, str(e), folder
        return seed, ok, count, report, folder

    os.makedirs(results, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for seed, ok, count, report, folder in pool.map(one, seeds):
            total += count
            if ok:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            failures.append(seed)
            dest = seed_folder(results, seed)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.move(folder, dest)
            print(report.replace(folder, dest).splitlines()[0] if report else
                  "seed %d failed" % seed, flush=True)
    shutil.rmtree(tmp_base, ignore_errors=True)
    for seed in failures if a.minimise else []:
        got = minimise(env, seed, a.insns, a.raw_words,
                       os.path.join(seed_folder(results, seed), "minimised"))
        if got:
            print("seed %d: minimised to %d instructions, ending with: %s" % (
                seed, got[0], " | ".join(l.strip() for l in
                                         last_instructions(got[1], 3))), flush=True)
    print("randinsn: %d seeds (%d..%d), %d instructions, %d differences%s%s" % (
        len(seeds), seeds[0], seeds[-1], total, len(failures),
        (" (seeds %s; files in %s)" % (" ".join(map(str, failures)), results)) if failures else "",
        ", LSE WnR masked" if env.mask_lse_wnr else ""))
    return 1 if failures else 0


def selftest():
    problems = []

    def check(ok, what):
        print("%s: %s" % ("ok" if ok else "FAIL", what))
        if not ok:
            problems.append(what)

    # the LSE classifier on encodings from the ARM ARM (C6.2): LDADD X, LDCLRAL W, STADD (Rt = 31),
    # SWPB, CASAL X, CASP X, and some non-atomics: LDXR, STXR, LDR, LDAR, LDP
    atomics = {"ldadd x1, x2, [x3]": 0xf8210062, "ldclral w1, w2, [x3]": 0xb8e11062,
               "stadd x1, [x3]": 0xf821007f, "swpb w1, w2, [x3]": 0x38218062,
               "casal x1, x2, [x3]": 0xc8e1fc62, "casp x0, x1, x2, x3, [x4]": 0x48207c82}
    others = {"ldxr x1, [x2]": 0xc85f7c41, "stxr w0, x1, [x2]": 0xc8007c41,
              "ldr x1, [x2]": 0xf9400041, "ldar x1, [x2]": 0xc8dffc41,
              "ldp x1, x2, [x3]": 0xa9400861}
    for name, w in atomics.items():
        check(is_lse_atomic(w), "LSE atomic: " + name)
    for name, w in others.items():
        check(not is_lse_atomic(w), "not an LSE atomic: " + name)
    text = ("EXC off=00010 insn=f8210062 esr=96000061 far=0000000040001001\n"
            "EXC off=00014 insn=c85f7c41 esr=96000061 far=0000000040001001\n")
    masked = normalise(text, True)
    check(masked[0].startswith("EXC off=00010 insn=f8210062 esr=96000021 "),
          "the mask clears WnR of an abort on LDADD")
    check(masked[1] == text.splitlines()[1], "the mask leaves an abort on LDXR alone")
    check(normalise(text, False) == text.splitlines(), "no mask: output unchanged")

    with tempfile.TemporaryDirectory(prefix="randinsn-selftest-") as tmp:
        for seed in (5, 7):      # 7: with raw words
            a = gen.Generator(seed, 200, raw_words_for(seed, "auto")).generate()
            b = gen.Generator(seed, 200, raw_words_for(seed, "auto")).generate()
            check(a == b, "seed %d: the same block twice" % seed)
            check_rules(a, seed, check)
            src = os.path.join(tmp, "b%d.S" % seed)
            with open(src, "w") as f:
                f.write(a)
            p = subprocess.run([CROSS + "gcc", "-march=armv8.1-a", "-c", src, "-o", src + ".o"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            check(p.returncode == 0, "seed %d assembles for armv8.1-a %s" % (
                seed, p.stdout.decode(errors="replace")[:400]))
        check(gen.Generator(5, 200, False).generate() != gen.Generator(6, 200, False).generate(),
              "two seeds give two blocks")
    print("%d problems" % len(problems))
    return 1 if problems else 0


def check_rules(text, seed, check):
    """The register rules of gen.py on a generated block: random instructions never write
    x23-x28 (only helper lines, which follow fixed patterns), never use SP, branch forward."""
    code = text[text.index("ri_block:"):text.index("ri_block_end:")].splitlines()
    helper = re.compile(r"^\s+(add x2[3-8], x2[3-8], #|sub x23, x2[6-8], #|adr x23, |"
                        r"mov[zk] x24, |ldr[bh]? [wx]\d+, \[x23\]$|ldp [wx]\d+, [wx]\d+, \[x23\]$)")
    bad_dest = re.compile(r"^\s+(?!st|cb|tb|b\.|b |bl |br |blr |prfm|cmp|cmn|tst|msr|ccm|cas|swp|ld(add|clr|eor|set|smax|smin|umax|umin)|\.inst|ret|nop|clrex|dmb|dsb|isb|yield)\w+ [wx]2[3-8]\b")
    wrong = [l for l in code if bad_dest.match(l) and not helper.match(l)]
    check(not wrong, "seed %d: no random instruction writes x23-x28 %s" % (seed, wrong[:3]))
    check(not any(re.search(r"\bw?sp\b", l) for l in code), "seed %d: SP is not used" % seed)
    defined = set()
    backward = []
    for l in code:
        m = re.match(r"^(\.L\w+):", l)
        if m:
            defined.add(m.group(1))
        m = re.search(r"(?:b\.\w+|cbn?z [wx]\d+,|tbn?z [wx]\d+, #\d+,|^\s+b) (\.L\w+)$", l)
        if m and m.group(1) in defined and not m.group(1).startswith(".Lloop"):
            backward.append(l)
    check(not backward, "seed %d: branches go forward (loops aside) %s" % (seed, backward[:3]))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("selftest")
    for name in ("run", "many", "minimise"):
        s = sub.add_parser(name)
        s.add_argument("--build", default="build")
        s.add_argument("--httusim")
        s.add_argument("--qemu", default="qemu-system-aarch64")
        s.add_argument("--work")
        s.add_argument("--insns", type=int, default=300)
        s.add_argument("--raw-words", choices=["auto", "0", "1"], default="auto")
        s.add_argument("--mmu", choices=["auto", "on", "off"], default="auto",
                       help="blocks run with the MMU on or off (auto: off in one seed of eight)")
        s.add_argument("--mask-lse-wnr", action="store_true",
                       help="ignore ESR.WnR of aborts on LSE atomics (known httusim bug)")
        s.add_argument("--keep", action="store_true")
        if name == "many":
            s.add_argument("--seeds", type=int, required=True)
            s.add_argument("--start", type=int, default=1)
            s.add_argument("--jobs", type=int, default=2)
            s.add_argument("--results")
            s.add_argument("--minimise", action="store_true",
                           help="minimise every failing seed")
        else:
            s.add_argument("--seed", type=int, required=True)
    a = p.parse_args()
    if a.cmd == "selftest":
        sys.exit(selftest())
    env = Env(a)
    sys.exit({"run": cmd_run, "many": cmd_many, "minimise": cmd_minimise}[a.cmd](env, a))


if __name__ == "__main__":
    main()
