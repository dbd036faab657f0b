#!/usr/bin/env python3
"""ctest runner for pvmfw (tests/pvmfw/CMakeLists.txt, docs/pvmfw.md "Tests").

  pvmfw_test.py qemu     --qemu QEMU --elf ELF [--expect-mode M] [-- FW ARGS]
      run pvmfw on QEMU virt -cpu max; exit status 0, the last line a well-formed RESULT line
      whose fields obey the firmware-side counting rules.
  pvmfw_test.py counters --httusim BIN --elf ELF [--expect-mode M] [--sim-arg=A]... [-- FW ARGS]
      run pvmfw on httusim with --stats-json; the simulator's counters agree with the RESULT
      fields (the "Counting rules" of docs/pvmfw.md).
  pvmfw_test.py diff     --httusim BIN --qemu QEMU --elf ELF [--sim-arg=A]... [-- FW ARGS]
      QEMU (no EL2: pKVM calls emulated) and httusim (pKVM answers them): identical output, so
      identical RESULT lines, and the same exit status.
  pvmfw_test.py same     --httusim BIN --elf ELF --sim-arg=A... [-- FW ARGS]
      httusim with its defaults and with the given options: identical output and status (e.g.
      --hypervisor=none: the UNDEFINED HVC path changes nothing the firmware prints).
  pvmfw_test.py checksum --qemu QEMU --elf ELF [-- FW ARGS]
      the checksum does not depend on the policies: every dirty/mmio/share combination on QEMU
      gives the same one for the same workload.
  pvmfw_test.py usage    --qemu QEMU --elf ELF -- BAD ARGS
      a bad option: exactly one output line, "pvmfw: error: ...", exit status 2.

QEMU-based commands exit 77 (ctest SKIP) when qemu-system-aarch64 is not installed. Every run has
a timeout (--timeout, default 60 s).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
LINES_PER_PAGE = 4096 // 64  # DC CVAC per page: CTR_EL0.DminLine = 64 bytes on QEMU and httusim

RESULT_FIELDS = ["dirty_pages", "flushed_pages", "perm_faults", "mmio_faults", "mmio_map_hvcs",
                 "mmio_unmap_hvcs", "share_hvcs", "unshare_hvcs"]
RESULT_RE = re.compile(r"^RESULT mode=(hw|sw|flush-all)" +
                       "".join(r" %s=(\d+)" % f for f in RESULT_FIELDS) +
                       r" checksum=0x([0-9a-f]{16})$")


class Failure(Exception):
    pass


def find_qemu(qemu):
    path = shutil.which(qemu) if os.sep not in qemu else (qemu if os.access(qemu, os.X_OK) else None)
    if not path:
        print("SKIP: %s not found (install qemu-system-arm)" % qemu)
        sys.exit(SKIP)
    return path


def need_file(path, what):
    if not os.path.isfile(path):
        raise Failure("%s not found: %s" % (what, path))


def run(cmd, timeout):
    print("$ " + " ".join(cmd))
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        print((e.stdout or b"").decode("utf-8", "replace"))
        raise Failure("timeout after %d s" % timeout)
    except OSError as e:
        raise Failure("cannot run %s: %s" % (cmd[0], e))
    return p.returncode, p.stdout.decode("utf-8", "replace")


def qemu_run(qemu, elf, fw_args, timeout):
    # The semihosting command line is "pvmfw ARGS..."; QEMU splits -semihosting-config at commas.
    sh = ["enable=on", "target=native"] + ["arg=" + a.replace(",", ",,")
                                            for a in ["pvmfw"] + list(fw_args)]
    return run([qemu, "-M", "virt", "-cpu", "max", "-nographic", "-semihosting-config",
                ",".join(sh), "-kernel", elf], timeout)


def httusim_run(httusim, elf, fw_args, sim_args, timeout):
    cmd = [httusim] + list(sim_args) + [elf]
    if fw_args:
        cmd += ["--"] + list(fw_args)
    return run(cmd, timeout)


def show(title, out, limit=60):
    lines = out.splitlines()
    print("---- %s (%d lines)" % (title, len(lines)))
    for line in lines[-limit:]:
        print(line)
    print("----")


def parse_result(out):
    """The RESULT line, which must be the last line: (mode, {field: int}, checksum)."""
    lines = [l.rstrip("\r") for l in out.splitlines() if l.strip()]
    if not lines:
        raise Failure("no output")
    m = RESULT_RE.match(lines[-1])
    if not m:
        if any(l.startswith("RESULT") for l in lines):
            raise Failure("RESULT line malformed or not last: %r" % lines[-1])
        raise Failure("no RESULT line")
    fields = dict(zip(RESULT_FIELDS, (int(v) for v in m.groups()[1:-1])))
    return m.group(1), fields, m.group(len(RESULT_FIELDS) + 2)


def check_result_rules(mode, r, expect_mode):
    """The rules the RESULT line obeys by itself (docs/pvmfw.md, "Counting rules")."""
    problems = []
    if expect_mode and mode != expect_mode:
        problems.append("mode=%s, expected %s" % (mode, expect_mode))
    if mode == "sw" and r["perm_faults"] != r["dirty_pages"]:
        problems.append("sw: perm_faults %d != dirty_pages %d" % (r["perm_faults"], r["dirty_pages"]))
    if mode != "sw" and r["perm_faults"] != 0:
        problems.append("%s: perm_faults %d != 0" % (mode, r["perm_faults"]))
    if mode == "flush-all" and r["dirty_pages"] != 0:
        problems.append("flush-all: dirty_pages %d != 0" % r["dirty_pages"])
    if mode != "flush-all" and r["flushed_pages"] != r["dirty_pages"]:
        problems.append("flushed_pages %d != dirty_pages %d" % (r["flushed_pages"], r["dirty_pages"]))
    if r["mmio_unmap_hvcs"] != r["mmio_map_hvcs"]:
        problems.append("mmio_unmap_hvcs %d != mmio_map_hvcs %d" % (r["mmio_unmap_hvcs"],
                                                                    r["mmio_map_hvcs"]))
    if r["unshare_hvcs"] != r["share_hvcs"]:
        problems.append("unshare_hvcs %d != share_hvcs %d" % (r["unshare_hvcs"], r["share_hvcs"]))
    if r["mmio_faults"] not in (0, r["mmio_map_hvcs"]):
        problems.append("mmio_faults %d neither 0 (eager) nor mmio_map_hvcs %d (lazy)" %
                        (r["mmio_faults"], r["mmio_map_hvcs"]))
    if r["flushed_pages"] == 0 or r["mmio_map_hvcs"] == 0:
        problems.append("no pages flushed or no device mapped: the workload did not run")
    return problems


# ---------------------------------------------------------------------------------- commands
def cmd_qemu(a):
    qemu = find_qemu(a.qemu)
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    status, out = qemu_run(qemu, a.elf, a.fw_args, a.timeout)
    show("qemu output", out)
    problems = [] if status == 0 else ["exit status %d" % status]
    mode, r, _ = parse_result(out)
    problems += check_result_rules(mode, r, a.expect_mode)
    return problems


def counter_rules(mode, r, stats):
    """(what, simulator value, firmware value) for each counter the RESULT line predicts."""
    def s(name):
        if name not in stats:
            raise Failure("stats JSON lacks %s" % name)
        return stats[name]
    rules = [
        ("mmu.s1.faults.permission", s("mmu.s1.faults.permission"),
         r["perm_faults"] if mode == "sw" else 0),
        ("mmu.s1.faults.translation", s("mmu.s1.faults.translation"), r["mmio_faults"]),
        ("hvc.MMIO_GUARD_MAP", s("hvc.MMIO_GUARD_MAP"), r["mmio_map_hvcs"]),
        ("hvc.MMIO_GUARD_UNMAP", s("hvc.MMIO_GUARD_UNMAP"), r["mmio_unmap_hvcs"]),
        ("hvc.MEM_SHARE", s("hvc.MEM_SHARE"), r["share_hvcs"]),
        ("hvc.MEM_UNSHARE", s("hvc.MEM_UNSHARE"), r["unshare_hvcs"]),
        ("cache.maint.dc_cvac", s("cache.maint.dc_cvac"), r["flushed_pages"] * LINES_PER_PAGE),
        ("mmu.s1.hw_updates.dirty", s("mmu.s1.hw_updates.dirty"),
         r["dirty_pages"] if mode == "hw" else 0),
    ]
    return rules


def cmd_counters(a):
    need_file(a.httusim, "httusim (build the httusim target)")
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    with tempfile.TemporaryDirectory(prefix="pvmfw-") as tmp:
        stats_path = os.path.join(tmp, "stats.json")
        status, out = httusim_run(a.httusim, a.elf, a.fw_args,
                                  ["--stats-json=" + stats_path] + a.sim_arg, a.timeout)
        show("httusim output", out)
        problems = [] if status == 0 else ["exit status %d" % status]
        mode, r, _ = parse_result(out)
        problems += check_result_rules(mode, r, a.expect_mode)
        if not os.path.isfile(stats_path):
            raise Failure("httusim wrote no %s" % stats_path)
        with open(stats_path) as f:
            stats = json.load(f)
    print("%-28s %12s %12s" % ("counter", "httusim", "RESULT"))
    for name, sim, fw in counter_rules(mode, r, stats):
        ok = sim == fw
        print("%-28s %12d %12d %s" % (name, sim, fw, "ok" if ok else "MISMATCH"))
        if not ok:
            problems.append("%s = %d, RESULT says %d" % (name, sim, fw))
    return problems


def compare_outputs(title_a, out_a, status_a, title_b, out_b, status_b):
    problems = []
    if out_a != out_b:
        la, lb = out_a.splitlines(), out_b.splitlines()
        for i in range(max(len(la), len(lb))):
            x = la[i] if i < len(la) else "<none>"
            y = lb[i] if i < len(lb) else "<none>"
            if x != y:
                print("first difference at line %d:\n  %s: %s\n  %s: %s" % (i + 1, title_a, x,
                                                                           title_b, y))
                break
        ra = [l for l in la if l.startswith("RESULT")]
        rb = [l for l in lb if l.startswith("RESULT")]
        problems.append("RESULT lines differ" if ra != rb else "output differs")
    if status_a != status_b:
        problems.append("exit status: %s %d, %s %d" % (title_a, status_a, title_b, status_b))
    return problems


def cmd_diff(a):
    qemu = find_qemu(a.qemu)
    need_file(a.httusim, "httusim (build the httusim target)")
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    qstatus, qout = qemu_run(qemu, a.elf, a.fw_args, a.timeout)
    hstatus, hout = httusim_run(a.httusim, a.elf, a.fw_args, a.sim_arg, a.timeout)
    problems = compare_outputs("qemu", qout, qstatus, "httusim", hout, hstatus)
    show("qemu output", qout, 30 if problems else 3)
    if problems:
        show("httusim output", hout, 30)
    parse_result(qout)
    return problems


def cmd_same(a):
    need_file(a.httusim, "httusim (build the httusim target)")
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    s1, o1 = httusim_run(a.httusim, a.elf, a.fw_args, [], a.timeout)
    s2, o2 = httusim_run(a.httusim, a.elf, a.fw_args, a.sim_arg, a.timeout)
    problems = compare_outputs("default", o1, s1, " ".join(a.sim_arg), o2, s2)
    show("output", o2, 30 if problems else 3)
    parse_result(o2)
    if s2 != 0:
        problems.append("exit status %d" % s2)
    return problems


def cmd_checksum(a):
    qemu = find_qemu(a.qemu)
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    sums = {}
    for dirty in ("hw", "sw", "flush-all"):
        for mmio in ("lazy", "eager"):
            for share in ("pool", "direct"):
                args = ["--dirty=" + dirty, "--mmio=" + mmio, "--share=" + share] + a.fw_args
                status, out = qemu_run(qemu, a.elf, args, a.timeout)
                if status != 0:
                    show("qemu output", out)
                    return ["exit status %d with %s" % (status, " ".join(args))]
                _, _, checksum = parse_result(out)
                sums[" ".join(args[:3])] = checksum
                print("  %-40s checksum=0x%s" % (" ".join(args[:3]), checksum))
    if len(set(sums.values())) != 1:
        return ["the checksum depends on the policies"]
    return []


def cmd_usage(a):
    qemu = find_qemu(a.qemu)
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    status, out = qemu_run(qemu, a.elf, a.fw_args, a.timeout)
    show("qemu output", out)
    lines = [l for l in out.splitlines() if l.strip()]
    problems = []
    if status != 2:
        problems.append("exit status %d, expected 2" % status)
    if len(lines) != 1 or not lines[0].startswith("pvmfw: error: "):
        problems.append("expected exactly one line 'pvmfw: error: ...'")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["qemu", "counters", "diff", "same", "checksum", "usage"])
    p.add_argument("--qemu", default="qemu-system-aarch64")
    p.add_argument("--httusim")
    p.add_argument("--elf", required=True)
    p.add_argument("--expect-mode", choices=["hw", "sw", "flush-all"])
    p.add_argument("--sim-arg", action="append", default=[],
                   help="an httusim option, given as --sim-arg=--hafdbs=0")
    p.add_argument("--timeout", type=int, default=60)
    argv = sys.argv[1:]
    fw_args = []
    if "--" in argv:  # everything after the first "--" goes to pvmfw
        cut = argv.index("--")
        argv, fw_args = argv[:cut], argv[cut + 1:]
    a = p.parse_args(argv)
    a.fw_args = fw_args
    if a.command in ("counters", "diff", "same") and not a.httusim:
        p.error("--httusim is required for " + a.command)
    try:
        problems = globals()["cmd_" + a.command](a)
    except Failure as e:
        problems = [str(e)]
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
