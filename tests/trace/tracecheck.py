#!/usr/bin/env python3
"""Event-trace and waveform checks for ctest (tests/trace/CMakeLists.txt) and the golden-trace
regeneration of scripts/regen-traces.sh. docs/trace.md describes the formats.

  tracecheck.py golden  --httusim BIN --build DIR --traces DIR NAME
      run the entry NAME of traces/manifest.txt and compare its event trace with
      traces/NAME.trace and its counters with traces/NAME.stats (every counter of the golden
      file must exist with the same value; counters the golden file does not list are ignored,
      so that adding a counter does not invalidate the goldens)

  tracecheck.py regen   --httusim BIN --build DIR --traces DIR [NAME...]
      rewrite traces/NAME.trace and traces/NAME.stats (all entries when no NAME is given)

  tracecheck.py determinism --httusim BIN --elf ELF [--sim-arg=ARG]...
      run ELF twice with --trace and --stats and require byte-identical traces and identical
      deterministic counters

  tracecheck.py vcd     --httusim BIN --elf ELF [--sim-arg=ARG]...
      run ELF with --vcd and check the file is a VCD file GTKWave reads: $timescale, $scope,
      $var, $enddefinitions, then value changes of the traced signals at increasing times; and,
      when GTKWave is installed, that its vcd2fst converts it

  tracecheck.py events  --httusim BIN --elf ELF [--sim-arg=ARG]...
      --trace-events: an unknown name is a one-line error with exit status 2; a subset writes
      only those events; every line has the form "<cycle> <event> key=value..." with
      non-decreasing cycles

The counters sim.host_seconds and sim.mips depend on the host and are never compared.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HOST_DEPENDENT = {"sim.host_seconds", "sim.mips"}
EVENTS = ["walk", "fault", "hw_update", "hvc", "tlbi", "cmo", "exception"]
LINE_RE = re.compile(r"^(\d+) (%s)( [a-z0-9_]+=[^ ]+)*$" % "|".join(EVENTS))
TIMEOUT = 120


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, expect_status=None, cwd=None):
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        fail("timed out after %d s: %s" % (TIMEOUT, " ".join(cmd)))
    out = p.stdout.decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    if expect_status is not None and p.returncode != expect_status:
        fail("%s\nexit status %d, expected %d\nstdout (end):\n%s\nstderr:\n%s" %
             (" ".join(cmd), p.returncode, expect_status, out[-2000:], err[-2000:]))
    return p.returncode, out, err


def read_manifest(traces):
    """name -> (elf relative to the build directory, [httusim options], exit status)."""
    entries = {}
    with open(os.path.join(traces, "manifest.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 3:
                fail("manifest.txt: bad line: " + line)
            entries[fields[0]] = (fields[1], fields[3:], int(fields[2]))
    return entries


def deterministic_stats(path):
    """[(name, value)] of a --stats file, without the host-dependent counters."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) >= 2 and line[0] not in HOST_DEPENDENT:
                rows.append((line[0], line[1]))
    return rows


def run_traced(httusim, elf, args, status, tmp, extra=()):
    """Runs ELF from its own directory, by its file name: the firmware reads its command line
    (semihosting SYS_GET_CMDLINE, "ELF args..."), so the path of the build directory must not
    reach it, or the instruction and cycle counts would depend on where the tree is built."""
    trace = os.path.join(tmp, "trace.txt")
    stats = os.path.join(tmp, "stats.txt")
    httusim = os.path.abspath(httusim)
    # Manifest arguments: httusim options, then optionally "--" and the firmware's own arguments.
    args = list(args)
    split = args.index("--") if "--" in args else len(args)
    cmd = [httusim, "--trace=" + trace, "--stats=" + stats] + list(extra) + args[:split]
    cmd.append(os.path.basename(elf))
    cmd += args[split:]
    run(cmd, status, cwd=os.path.dirname(os.path.abspath(elf)))
    with open(trace) as f:
        text = f.read()
    return text, deterministic_stats(stats), cmd


def show_diff(expected, actual, what, limit=60):
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     "golden " + what, "this run", lineterm="", n=2))
    print("\n".join(diff[:limit]))
    if len(diff) > limit:
        print("... (%d more diff lines)" % (len(diff) - limit))


def cmd_golden(a):
    entries = read_manifest(a.traces)
    if a.name[0] not in entries:
        fail("no entry %s in %s/manifest.txt" % (a.name[0], a.traces))
    name = a.name[0]
    elf, args, status = entries[name]
    elf = os.path.join(a.build, elf)
    if not os.path.isfile(elf):
        fail("ELF not found: %s (build the firmware)" % elf)
    hint = ("if the change is intended (e.g. new cycle costs), regenerate the goldens with "
            "scripts/regen-traces.sh and review the diff (traces/README.md)")
    with tempfile.TemporaryDirectory() as tmp:
        trace, stats, cmd = run_traced(a.httusim, elf, args, status, tmp)
    print("ran: " + " ".join(cmd))
    with open(os.path.join(a.traces, name + ".trace")) as f:
        golden_trace = f.read()
    golden_stats = []
    with open(os.path.join(a.traces, name + ".stats")) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2:
                golden_stats.append((fields[0], fields[1]))
    ok = True
    if trace != golden_trace:
        ok = False
        print("the event trace differs from traces/%s.trace:" % name)
        show_diff(golden_trace, trace, "trace")
    now = dict(stats)
    bad = []
    for n, v in golden_stats:
        if n not in now:
            bad.append("%s: missing (golden %s)" % (n, v))
        elif now[n] != v:
            bad.append("%s: %s (golden %s)" % (n, now[n], v))
    if bad:
        ok = False
        print("counters differ from traces/%s.stats:" % name)
        print("\n".join("  " + b for b in bad[:60]))
    if not ok:
        fail(hint)
    print("PASS trace.%s: %d events, %d counters identical" %
          (name, trace.count("\n"), len(golden_stats)))


def cmd_regen(a):
    entries = read_manifest(a.traces)
    names = a.name or sorted(entries)
    for name in names:
        if name not in entries:
            fail("no entry %s in %s/manifest.txt" % (name, a.traces))
        elf, args, status = entries[name]
        with tempfile.TemporaryDirectory() as tmp:
            trace, stats, cmd = run_traced(a.httusim, os.path.join(a.build, elf), args, status,
                                           tmp)
        with open(os.path.join(a.traces, name + ".trace"), "w") as f:
            f.write(trace)
        with open(os.path.join(a.traces, name + ".stats"), "w") as f:
            for n, v in stats:
                f.write("%s %s\n" % (n, v))
        print("%-24s %6d events %4d counters  (%s)" %
              (name, trace.count("\n"), len(stats), " ".join(args + [elf])))


def cmd_determinism(a):
    with tempfile.TemporaryDirectory() as tmp:
        t1, s1, cmd = run_traced(a.httusim, a.elf, a.sim_arg, None, tmp)
        t2, s2, _ = run_traced(a.httusim, a.elf, a.sim_arg, None, tmp)
    if not t1:
        fail("empty trace: " + " ".join(cmd))
    if t1 != t2:
        show_diff(t1, t2, "first run")
        fail("two runs of the same ELF gave different traces")
    if s1 != s2:
        fail("two runs gave different counters: %s" %
             [x for x in zip(s1, s2) if x[0] != x[1]][:10])
    print("PASS: two runs, %d identical trace lines (%d bytes), %d identical counters" %
          (t1.count("\n"), len(t1), len(s1)))


def cmd_vcd(a):
    with tempfile.TemporaryDirectory() as tmp:
        for fname in ("waves.vcd", "waves.out"):   # SystemC's own ".vcd" suffix, and another
            path = os.path.join(tmp, fname)
            run([a.httusim, "--vcd=" + path] + a.sim_arg + [a.elf], 0)
            if not os.path.isfile(path):
                fail("--vcd=%s: no file written (%s)" % (path, os.listdir(tmp)))
            with open(path) as f:
                text = f.read()
            check_vcd(text, fname)
            vcd2fst = shutil.which("vcd2fst")   # GTKWave's own reader, when installed
            if vcd2fst:
                fst = os.path.join(tmp, "waves.fst")
                status, out, err = run([vcd2fst, path, fst])
                if status != 0 or not os.path.isfile(fst):
                    fail("%s: GTKWave's vcd2fst rejects it (%d): %s" % (fname, status, err))
                os.remove(fst)
                print("  GTKWave's vcd2fst reads %s" % fname)
            leftovers = [n for n in os.listdir(tmp) if n.startswith(fname) and n != fname]
            if leftovers:
                fail("stray files next to %s: %s" % (fname, leftovers))
            os.remove(path)


def check_vcd(text, what):
    header, sep, body = text.partition("$enddefinitions")
    if not sep:
        fail(what + ": no $enddefinitions")
    for kw in ("$timescale", "$scope", "$var", "$upscope"):
        if kw not in header:
            fail("%s: no %s in the header" % (what, kw))
    ids = {}
    for m in re.finditer(r"\$var\s+(\w+)\s+(\d+)\s+(\S+)\s+(\S+)", header):
        ids[m.group(3)] = m.group(4)
    for signal in ("l1i_hit", "l1d_miss", "l2_miss", "walk", "fault", "hvc", "exception"):
        if signal not in ids.values():
            fail("%s: no signal %s (have %s)" % (what, signal, sorted(ids.values())))
    times, changes, last = 0, {}, -1
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("#"):
            t = int(line[1:])
            if t < last:
                fail("%s: time goes backwards: #%d after #%d" % (what, t, last))
            last = t
            times += 1
        elif re.match(r"^[01xz]\S+$", line) and line[1:] in ids:
            changes[ids[line[1:]]] = changes.get(ids[line[1:]], 0) + 1
        elif re.match(r"^b[01xz]+ \S+$", line) and line.split()[1] in ids:
            n = ids[line.split()[1]]
            changes[n] = changes.get(n, 0) + 1
    if times < 2:
        fail("%s: fewer than two time steps" % what)
    for signal in ("walk", "l1d_miss", "exception"):
        if changes.get(signal, 0) < 2:
            fail("%s: signal %s has no value change after the initial dump" % (what, signal))
    print("PASS %s: %d signals, %d time steps, %d value changes" %
          (what, len(ids), times, sum(changes.values())))


def cmd_events(a):
    status, out, err = run([a.httusim, "--trace-events=walk,bogus", a.elf])
    lines = err.strip().splitlines()
    if status != 2 or len(lines) != 1 or "bogus" not in lines[0]:
        fail("--trace-events=walk,bogus: expected exit status 2 and one line naming 'bogus', "
             "got %d: %r" % (status, err))
    with tempfile.TemporaryDirectory() as tmp:
        full, _, _ = run_traced(a.httusim, a.elf, a.sim_arg, None, tmp)
        seen = set()
        last = -1
        for line in full.splitlines():
            if not LINE_RE.match(line):
                fail("malformed trace line: %r" % line)
            cycle = int(line.split()[0])
            if cycle < last:
                fail("cycles go backwards at %r" % line)
            last = cycle
            seen.add(line.split()[1])
        for subset in (["walk", "hw_update"], ["fault", "exception"], ["tlbi", "cmo", "hvc"]):
            part, _, _ = run_traced(a.httusim, a.elf, a.sim_arg, None, tmp,
                                    ["--trace-events=" + ",".join(subset)])
            expected = "".join(l + "\n" for l in full.splitlines() if l.split()[1] in subset)
            if part != expected:
                show_diff(expected, part, "filtered full trace")
                fail("--trace-events=%s is not the full trace filtered" % ",".join(subset))
    print("PASS: events seen %s; subsets equal the filtered full trace" % sorted(seen))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["golden", "regen", "determinism", "vcd", "events"])
    p.add_argument("--httusim", required=True)
    p.add_argument("--build")
    p.add_argument("--traces")
    p.add_argument("--elf")
    p.add_argument("--sim-arg", action="append", default=[])
    p.add_argument("name", nargs="*")
    a = p.parse_intermixed_args()
    if a.command in ("golden", "regen") and not (a.build and a.traces):
        p.error("--build and --traces are required")
    if a.command == "golden" and len(a.name) != 1:
        p.error("golden takes one NAME")
    if a.command in ("determinism", "vcd", "events") and not a.elf:
        p.error("--elf is required")
    {"golden": cmd_golden, "regen": cmd_regen, "determinism": cmd_determinism,
     "vcd": cmd_vcd, "events": cmd_events}[a.command](a)


if __name__ == "__main__":
    main()
