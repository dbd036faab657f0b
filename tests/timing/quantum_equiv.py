#!/usr/bin/env python3
"""Timing checks of whole firmware runs for ctest (tests/timing/CMakeLists.txt; docs/timing.md).

  quantum_equiv.py --httusim BIN --elf ELF [--quantum N]... [--sim-arg=ARG]... [-- FW ARGS]
      run ELF once per quantum (default: 1, 10000 and 1000000 cycles) and require, with one
      master, the same exit status, the same console output, the same counters (all of them
      but the host-dependent sim.host_seconds and sim.mips; so sim.cycles and every *.cycles
      counter), and, when httusim has --trace, byte-identical event traces. Every run must also
      account for all its cycles: the cycle counters of the components (cpu.cycles.* and every
      counter named *.cycles or *_cycles but sim.cycles) add up to sim.cycles exactly.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HOST_DEPENDENT = {"sim.host_seconds", "sim.mips"}
TIMEOUT = 300


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_stats(path):
    stats = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 2:
                stats[fields[0]] = fields[1]
    return stats


def is_component(name):
    return name != "sim.cycles" and (name.startswith("cpu.cycles.") or
                                     name.endswith(".cycles") or name.endswith("_cycles"))


def run(args, quantum, workdir, with_trace):
    stats = os.path.join(workdir, "stats-%d.txt" % quantum)
    trace = os.path.join(workdir, "trace-%d.txt" % quantum)
    cmd = [args.httusim, "--quantum=%d" % quantum, "--stats=" + stats] + args.sim_arg
    if with_trace:
        cmd.append("--trace=" + trace)
    cmd.append(args.elf)
    if args.fw_args:
        cmd += ["--"] + args.fw_args
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        fail("timeout after %d s: %s" % (TIMEOUT, " ".join(cmd)))
    print("ran (status %d): %s" % (p.returncode, " ".join(cmd)))
    result = {"status": p.returncode, "output": p.stdout, "stats": read_stats(stats)}
    if with_trace:
        with open(trace, "rb") as f:
            result["trace"] = f.read()
    return result


def check_sum(quantum, stats):
    if "sim.cycles" not in stats:
        fail("--quantum=%d: no sim.cycles in the statistics" % quantum)
    parts = {n: int(v) for n, v in stats.items() if is_component(n)}
    total = int(stats["sim.cycles"])
    if sum(parts.values()) != total:
        fail("--quantum=%d: the cycle counters add up to %d, sim.cycles is %d:\n  %s" %
             (quantum, sum(parts.values()), total,
              "\n  ".join("%s %d" % kv for kv in sorted(parts.items()))))
    return total, len(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--httusim", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--quantum", type=int, action="append")
    ap.add_argument("--sim-arg", action="append", default=[])
    ap.add_argument("fw_args", nargs="*")
    args = ap.parse_args()
    quanta = args.quantum or [1, 10000, 1000000]
    if not os.path.isfile(args.elf):
        fail("ELF not found: %s (build the firmware)" % args.elf)
    help_text = subprocess.run([args.httusim, "--help"], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout
    with_trace = "--trace=" in help_text
    with tempfile.TemporaryDirectory() as workdir:
        runs = [(q, run(args, q, workdir, with_trace)) for q in quanta]
    q0, first = runs[0]
    for q, r in runs:
        total, parts = check_sum(q, r["stats"])
        print("--quantum=%d: sim.cycles %d = the sum of %d cycle counters" % (q, total, parts))
    for q, r in runs[1:]:
        what = "--quantum=%d and --quantum=%d" % (q0, q)
        if r["status"] != first["status"]:
            fail("%s: exit status %d and %d" % (what, first["status"], r["status"]))
        if r["output"] != first["output"]:
            fail("%s: different console output" % what)
        a = {n: v for n, v in first["stats"].items() if n not in HOST_DEPENDENT}
        b = {n: v for n, v in r["stats"].items() if n not in HOST_DEPENDENT}
        if a != b:
            diff = ["%s: %s / %s" % (n, a.get(n), b.get(n))
                    for n in sorted(set(a) | set(b)) if a.get(n) != b.get(n)]
            fail("%s: different counters:\n  %s" % (what, "\n  ".join(diff[:40])))
        if with_trace and r["trace"] != first["trace"]:
            la, lb = first["trace"].splitlines(), r["trace"].splitlines()
            at = next((i for i in range(min(len(la), len(lb))) if la[i] != lb[i]),
                      min(len(la), len(lb)))
            fail("%s: event traces differ from line %d:\n  %s\n  %s" %
                 (what, at + 1, la[at] if at < len(la) else "<end>",
                  lb[at] if at < len(lb) else "<end>"))
    print("PASS: %d runs (quanta %s): same status, output, counters (%d)%s; sim.cycles = %s" %
          (len(runs), ", ".join(map(str, quanta)), len(first["stats"]) - 2,
           ", event trace (%d lines)" % len(first["trace"].splitlines()) if with_trace else "",
           first["stats"]["sim.cycles"]))


if __name__ == "__main__":
    main()
