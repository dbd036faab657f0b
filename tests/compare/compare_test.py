#!/usr/bin/env python3
"""ctest runner for the study tools (tests/compare/CMakeLists.txt, docs/study.md).

  compare_test.py hafdbs  --httusim BIN --elf PVMFW
      httusim --compare "--hafdbs=2" "--hafdbs=0" PVMFW -- --dirty=auto: exit 0; the table's
      mmu.s1.faults.permission row is 0 for A and, for B, the perm_faults of B's own RESULT line
      (software tracking: HAFDBS=0), mmu.s1.hw_updates.dirty is A's dirty_pages and 0 for B;
      the groups come in the order sim, cpu, mmu, hvc, cache; zero-in-both rows are left out.
  compare_test.py same    --httusim BIN --elf PVMFW
      --compare "" "" --compare-all: RESULT lines equal, zero rows shown, every counter equal
      (the host-time ones aside) with ratio 1.000 or '-'.
  compare_test.py usage   --httusim BIN
      --compare with one option set: exit 2, nothing on stdout, one line on stderr.
  compare_test.py child_failure --httusim BIN --elf PVMFW
      run B has a bad option: exit 2 (its status), one stderr line naming run B, its status and
      its own error message.
  compare_test.py sweep   --script scripts/sweep.sh --httusim BIN --elf PVMFW
      sweep.sh --quick --no-build into a temporary directory: the CSV has the 9 expected rows
      and the columns, every run's counters match its RESULT, and the PNG plots exist.
  compare_test.py demo    --script scripts/demo.sh --build DIR
      demo.sh --no-build: exit 0, the table has its 9 configurations, each with a check mark.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77
TIMEOUT = 120


class Failure(Exception):
    pass


def run(cmd, env=None):
    print("$ " + " ".join(repr(c) if (" " in c or not c) else c for c in cmd))
    e = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    e.update(env or {})
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=TIMEOUT, env=e)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    print("---- stdout\n" + out + "---- stderr\n" + err + "---- exit status %d" % p.returncode)
    return p.returncode, out, err


def result_fields(out, label):
    m = re.search(r"^  RESULT %s: (mode=\S+(?: \w+=\S+)*)$" % label, out, re.M)
    if not m:
        raise Failure("no 'RESULT %s:' line" % label)
    return dict(w.split("=", 1) for w in m.group(1).split())


def table_rows(out):
    """{counter: (A, B, ratio)} and the group headings in order."""
    rows, groups = {}, []
    lines = out.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("counter "))
    except StopIteration:
        raise Failure("no table header")
    for l in lines[start + 1:]:
        if l.startswith("("):
            break
        if re.fullmatch(r"[a-z0-9_]+", l):
            groups.append(l)
            continue
        f = l.split()
        if len(f) != 4 or not l.startswith("  "):
            raise Failure("malformed table row %r" % l)
        rows[f[0]] = (f[1], f[2], f[3])
    return rows, groups


def expect(problems, cond, what):
    if not cond:
        problems.append(what)


def cmd_hafdbs(a):
    status, out, err = run([a.httusim, "--compare", "--hafdbs=2", "--hafdbs=0", a.elf, "--",
                            "--dirty=auto"])
    problems = []
    expect(problems, status == 0, "exit status %d" % status)
    ra, rb = result_fields(out, "A"), result_fields(out, "B")
    rows, groups = table_rows(out)
    expect(problems, ra["mode"] == "hw" and rb["mode"] == "sw",
           "modes %s/%s, expected hw/sw" % (ra["mode"], rb["mode"]))
    perm_b = int(rb["perm_faults"])
    expect(problems, perm_b > 0, "B's RESULT has perm_faults=0")
    row = rows.get("mmu.s1.faults.permission")
    expect(problems, row == ("0", str(perm_b), "-"),
           "mmu.s1.faults.permission row %r, expected ('0', '%d', '-')" % (row, perm_b))
    row = rows.get("mmu.s1.hw_updates.dirty")
    expect(problems, row == (ra["dirty_pages"], "0", "0.000"),
           "mmu.s1.hw_updates.dirty row %r, expected (%s, 0, 0.000)" % (row, ra["dirty_pages"]))
    expect(problems, "RESULT lines: differ (mode, perm_faults)" in out,
           "the RESULT lines should differ in mode and perm_faults only")
    expect(problems, groups[:5] == ["sim", "cpu", "mmu", "hvc", "cache"],
           "groups %r, expected sim, cpu, mmu, hvc, cache first" % groups)
    expect(problems, "mmu.s1.faults.alignment" not in rows,
           "a counter that is 0 in both runs is shown without --compare-all")
    expect(problems, err == "", "unexpected stderr")
    return problems


def cmd_same(a):
    status, out, err = run([a.httusim, "--compare", "", "", "--compare-all", a.elf])
    problems = []
    expect(problems, status == 0, "exit status %d" % status)
    expect(problems, "RESULT lines: equal" in out, "RESULT lines not equal")
    rows, _ = table_rows(out)
    expect(problems, rows.get("mmu.s1.faults.alignment") == ("0", "0", "-"),
           "--compare-all: the zero row mmu.s1.faults.alignment is missing")
    for name, (va, vb, ratio) in sorted(rows.items()):
        if name in ("sim.host_seconds", "sim.mips"):
            continue
        if va != vb or ratio not in ("1.000", "-") or (ratio == "-") != (float(va) == 0):
            problems.append("%s: %s vs %s (%s) in two identical runs" % (name, va, vb, ratio))
    return problems


def cmd_usage(a):
    problems = []
    status, out, err = run([a.httusim, "--compare", "--hafdbs=2"])
    expect(problems, status == 2, "exit status %d, expected 2" % status)
    expect(problems, out == "", "something on stdout")
    lines = err.splitlines()
    expect(problems, len(lines) == 1 and lines[0].startswith("httusim: --compare: missing"),
           "expected one stderr line 'httusim: --compare: missing ...'")
    return problems


def cmd_child_failure(a):
    problems = []
    status, out, err = run([a.httusim, "--compare", "", "--hafdbs=7", a.elf])
    expect(problems, status == 2, "exit status %d, expected 2 (run B's)" % status)
    expect(problems, out == "", "something on stdout")
    lines = err.splitlines()
    expect(problems, len(lines) == 1, "expected one stderr line")
    if lines:
        l = lines[0]
        for part in ("httusim: --compare: run B", "--hafdbs=7", "exited with status 2",
                     "bad value"):
            expect(problems, part in l, "the error line lacks %r" % part)
    return problems


def have_matplotlib():
    try:
        return subprocess.run(["/usr/bin/python3", "-c", "import matplotlib"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def cmd_sweep(a):
    if not have_matplotlib():
        print("SKIP: /usr/bin/python3 has no matplotlib (install python3-matplotlib)")
        sys.exit(SKIP)
    problems = []
    with tempfile.TemporaryDirectory(prefix="sweep-test-") as tmp:
        out_dir = os.path.join(tmp, "out")
        status, out, err = run([a.script, "--no-build", "--quick", "--out=" + out_dir,
                                "--httusim=" + a.httusim, "--elf=" + a.elf])
        expect(problems, status == 0, "exit status %d" % status)
        csv_path = os.path.join(out_dir, "sweep.csv")
        if not os.path.isfile(csv_path):
            raise Failure("no %s" % csv_path)
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        need = ["policy", "mmio", "share", "payload", "write_frac", "exit_status",
                "counters_match", "mode", "dirty_pages", "flushed_pages", "perm_faults",
                "mmio_map_hvcs", "share_hvcs", "checksum", "sim.insts", "sim.cycles",
                "mmu.s1.faults.permission", "mmu.s1.hw_updates.dirty", "hvc.calls",
                "cache.maint.dc_cvac", "cache.maint.bytes", "mmu.s1.walks",
                "mmu.tlb.l1d.misses", "mmu.tlb.l2.misses"]
        missing = [c for c in need if rows and c not in rows[0]]
        expect(problems, not missing, "CSV lacks columns %s" % missing)
        grid = sorted((r["policy"], r["write_frac"], r["payload"]) for r in rows)
        want = sorted((p, f, "1M") for p in ("hw", "sw", "flush-all") for f in ("0", "0.5", "1"))
        expect(problems, grid == want, "CSV rows %r, expected %r" % (grid, want))
        for r in rows:
            expect(problems, r.get("counters_match") == "yes" and r.get("exit_status") == "0",
                   "run %s/%s: %s" % (r["policy"], r["write_frac"], r.get("mismatches")))
            if not missing and r["policy"] == "sw":
                expect(problems, r["mmu.s1.faults.permission"] == r["perm_faults"] != "0",
                       "sw run: permission faults %s vs perm_faults %s" %
                       (r["mmu.s1.faults.permission"], r["perm_faults"]))
        for png in ("cycles.png", "cycles_vs_hw.png", "perm_faults.png", "hvcs.png",
                    "flushed_bytes.png"):
            path = os.path.join(out_dir, png)
            ok = os.path.isfile(path) and open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
            expect(problems, ok, "%s missing or not a PNG" % png)
    return problems


def cmd_demo(a):
    problems = []
    status, out, err = run([a.script, "--no-build"], env={"HTTUSIM_BUILD": a.build})
    expect(problems, status == 0, "exit status %d" % status)
    rows = [l for l in out.splitlines() if re.match(r"^(sw|hw|flush-all) +(lazy|eager) ", l)]
    expect(problems, len(rows) == 9, "%d configuration rows, expected 9" % len(rows))
    expect(problems, all(l.endswith("✓") for l in rows), "a configuration without ✓")
    for col in ("cycles", "perm faults", "hw dirty", "MMIO HVCs", "share HVCs", "flushed",
                "walks", "= RESULT"):
        expect(problems, any(col in l for l in out.splitlines()[:4]), "no column %r" % col)
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["hafdbs", "same", "usage", "child_failure", "sweep",
                                       "demo"])
    p.add_argument("--httusim")
    p.add_argument("--elf")
    p.add_argument("--script")
    p.add_argument("--build")
    a = p.parse_args()
    for path in (a.httusim, a.elf, a.script):
        if path and not os.path.isfile(path):
            print("FAIL: not found: %s" % path)
            return 1
    try:
        problems = globals()["cmd_" + a.command](a)
    except (Failure, subprocess.TimeoutExpired) as e:
        problems = [str(e)]
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
