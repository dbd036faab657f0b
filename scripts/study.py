#!/usr/bin/python3
"""The pvmfw study (issue 5, docs/study.md): the demo table and the parameter sweep.

  study.py demo  --httusim BIN --elf PVMFW.elf [--jobs N] [--qemu QEMU] [-- FW ARGS]
      runs pvmfw in its main configurations (software vs hardware dirty tracking, lazy vs eager
      MMIO guard, pool vs direct sharing, plus flush-all) in parallel and prints one table, with
      a check per run that httusim's counters agree with the firmware's RESULT line (and, with
      --qemu, that QEMU virt -cpu max prints the same RESULT line).
  study.py sweep --httusim BIN --elf PVMFW.elf --out DIR [--policies=..] [--fracs=..]
                 [--payloads=..] [--mmio=..] [--share=..] [--quick] [--jobs N]
                 [--sim-args="..."] [--fw-args="..."] [--no-plots]
      runs the grid policy x write fraction x payload size (x mmio x share) in parallel, writes
      DIR/sweep.csv (one row per run) and DIR/*.png (one plot per metric, one line per policy,
      one panel per payload size). Every run's output and stats.json stay in DIR/runs/.

Exit status: 0 when every run's counters agree with its RESULT line; 1 when some do not (a run
that failed, e.g. httusim's status 6 for an output it could not write, or a run killed by a
signal, is named with its last stderr line); 2 for a bad command line; 6 when an output of its
own (the CSV, a plot, a run's files, standard output) could not be written, after one line
naming the file and the reason.

Called by scripts/demo.sh and scripts/sweep.sh (which install and build first). Plotting needs
matplotlib: Debian's python3-matplotlib, for /usr/bin/python3.
"""

import argparse
import concurrent.futures
import csv
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

LINES_PER_PAGE = 4096 // 64  # DC CVAC per 4 KiB page: CTR_EL0.DminLine = 64 bytes

RESULT_FIELDS = ["dirty_pages", "flushed_pages", "perm_faults", "mmio_faults", "mmio_map_hvcs",
                 "mmio_unmap_hvcs", "share_hvcs", "unshare_hvcs"]
RESULT_RE = re.compile(r"^RESULT mode=(hw|sw|flush-all)" +
                       "".join(r" %s=(\d+)" % f for f in RESULT_FIELDS) +
                       r" checksum=0x([0-9a-f]{16})$")

RUN_TIMEOUT = 600


class Failure(Exception):
    pass


# ---------------------------------------------------------------------------------- one run
def parse_result(out):
    """The last RESULT line of the firmware's output as a dict (mode, fields, checksum), or None."""
    lines = [l.rstrip("\r") for l in out.splitlines() if l.startswith("RESULT ")]
    if not lines:
        return None
    m = RESULT_RE.match(lines[-1])
    if not m:
        return None
    r = {"mode": m.group(1), "checksum": "0x" + m.group(len(RESULT_FIELDS) + 2)}
    r.update(zip(RESULT_FIELDS, (int(v) for v in m.groups()[1:-1])))
    return r


def counter_rules(r, stats):
    """(counter, simulator value, value the RESULT line predicts): docs/pvmfw.md "Counting rules"
    (httusim with --hypervisor=pkvm, the default)."""
    mode = r["mode"]
    return [
        ("mmu.s1.faults.permission", stats.get("mmu.s1.faults.permission"),
         r["perm_faults"] if mode == "sw" else 0),
        ("mmu.s1.hw_updates.dirty", stats.get("mmu.s1.hw_updates.dirty"),
         r["dirty_pages"] if mode == "hw" else 0),
        ("mmu.s1.faults.translation", stats.get("mmu.s1.faults.translation"), r["mmio_faults"]),
        ("hvc.MMIO_GUARD_MAP", stats.get("hvc.MMIO_GUARD_MAP"), r["mmio_map_hvcs"]),
        ("hvc.MMIO_GUARD_UNMAP", stats.get("hvc.MMIO_GUARD_UNMAP"), r["mmio_unmap_hvcs"]),
        ("hvc.MEM_SHARE", stats.get("hvc.MEM_SHARE"), r["share_hvcs"]),
        ("hvc.MEM_UNSHARE", stats.get("hvc.MEM_UNSHARE"), r["unshare_hvcs"]),
        ("cache.maint.dc_cvac", stats.get("cache.maint.dc_cvac"),
         r["flushed_pages"] * LINES_PER_PAGE),
    ]


def mismatches(run):
    """Why the run's counters do not agree with its RESULT line ([] when they do)."""
    problems = []
    last_err = [l for l in run["stderr"].splitlines() if l.strip()][-1:]
    why = (": " + last_err[0]) if last_err else ""
    if run.get("timed_out"):
        problems.append("timed out after %d s" % RUN_TIMEOUT)
    elif run["status"] < 0:   # subprocess: -N when killed by signal N
        problems.append("killed by signal %d%s" % (-run["status"], why))
    elif run["status"] != 0:   # e.g. 6: one of its outputs could not be written
        problems.append("exit status %d%s" % (run["status"], why))
    if run["result"] is None:
        problems.append("no RESULT line")
    if run["stats"] is None:
        problems.append("no stats.json")
    if problems:
        return problems
    for name, sim, fw in counter_rules(run["result"], run["stats"]):
        if sim != fw:
            problems.append("%s=%s, RESULT says %d" % (name, sim, fw))
    return problems


def write_output(path, write):
    """Writes the text file `path` with write(f); an OSError (also one raised when the file is
    closed, e.g. a full disk) names `path`."""
    try:
        with open(path, "w", newline="") as f:
            write(f)
    except OSError as e:
        raise OSError(e.errno, e.strerror, path) from e


def run_httusim(httusim, elf, sim_args, fw_args, rundir):
    """Runs httusim once with --stats-json into rundir; returns a dict describing the run."""
    os.makedirs(rundir, exist_ok=True)
    stats_path = os.path.join(rundir, "stats.json")
    if os.path.exists(stats_path):
        os.remove(stats_path)
    cmd = [httusim] + list(sim_args) + ["--stats-json=" + stats_path, elf]
    if fw_args:
        cmd += ["--"] + list(fw_args)
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    start = time.time()
    with open(os.path.join(rundir, "stdout"), "wb") as out, \
         open(os.path.join(rundir, "stderr"), "wb") as err:
        timed_out = False
        try:
            status = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    env=env, timeout=RUN_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            status, timed_out = -1, True
    write_output(os.path.join(rundir, "cmd"),
                 lambda f: f.write(" ".join(shlex.quote(c) for c in cmd) + "\n"))
    with open(os.path.join(rundir, "stdout"), encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(os.path.join(rundir, "stderr"), encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    stats = None
    if os.path.isfile(stats_path):
        with open(stats_path) as f:
            stats = json.load(f)
    run = {"cmd": cmd, "status": status, "stdout": stdout, "stderr": stderr, "stats": stats,
           "result": parse_result(stdout), "seconds": time.time() - start,
           "timed_out": timed_out}
    run["problems"] = mismatches(run)
    return run


def run_qemu(qemu, elf, fw_args):
    """Runs the ELF on QEMU virt -cpu max (the pKVM calls emulated by the firmware); returns
    (exit status, output, RESULT dict or None)."""
    # The semihosting command line is "pvmfw ARGS..."; QEMU splits -semihosting-config at commas.
    sh = ["enable=on", "target=native"] + ["arg=" + x.replace(",", ",,")
                                            for x in ["pvmfw"] + list(fw_args)]
    cmd = [qemu, "-M", "virt", "-cpu", "max", "-nographic", "-semihosting-config", ",".join(sh),
           "-kernel", elf]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, str(e), None
    out = p.stdout.decode("utf-8", "replace")
    return p.returncode, out, parse_result(out)


def run_all(jobs, tasks):
    """tasks: list of (key, callable). Runs them on `jobs` threads; returns {key: result}."""
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(fn): key for key, fn in tasks}
        for f in concurrent.futures.as_completed(futures):
            results[futures[f]] = f.result()
    return results


def need_file(path, what):
    if not path or not os.path.isfile(path):
        raise Failure("%s not found: %s" % (what, path))


def default_jobs():
    return os.cpu_count() or 2


# ---------------------------------------------------------------------------------- demo
# (dirty, mmio, share): the sw/hw pairs next to each other, the old flush-all behaviour last.
DEMO_CONFIGS = [(d, m, s) for m, s in (("lazy", "pool"), ("eager", "pool"), ("lazy", "direct"),
                                       ("eager", "direct")) for d in ("sw", "hw")]
DEMO_CONFIGS.append(("flush-all", "lazy", "pool"))


def demo_values(run):
    """The table's numbers for one run (None where a counter is missing)."""
    s = run["stats"] or {}

    def c(*names):
        return sum(s[n] for n in names) if all(n in s for n in names) else None
    return {
        "cycles": c("sim.cycles"),
        "insts": c("sim.insts"),
        "perm": c("mmu.s1.faults.permission"),
        "hwdirty": c("mmu.s1.hw_updates.dirty"),
        "mmio": c("hvc.MMIO_GUARD_MAP", "hvc.MMIO_GUARD_UNMAP"),
        "share": c("hvc.MEM_SHARE", "hvc.MEM_UNSHARE"),
        "flushed": c("cache.maint.bytes"),
        "walks": c("mmu.s1.walks"),
    }


def fmt_millions(v):
    return "?" if v is None else "%.3f M" % (v / 1e6)


def fmt_int(v):
    return "?" if v is None else "{:,}".format(int(v))


def fmt_kib(v):
    return "?" if v is None else "{:,} KiB".format(int(v) // 1024)


def cmd_demo(a):
    need_file(a.httusim, "httusim (build it: scripts/demo.sh builds first)")
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="httusim-demo-") as tmp:
        tasks = []
        for i, cfg in enumerate(DEMO_CONFIGS):
            opts = ["--dirty=" + cfg[0], "--mmio=" + cfg[1], "--share=" + cfg[2]]
            rundir = os.path.join(tmp, "run%d" % i)
            tasks.append((cfg, lambda o=opts, d=rundir:
                          run_httusim(a.httusim, a.elf, a.sim_args, o + a.fw_args, d)))
            if a.qemu:
                tasks.append((("qemu",) + cfg, lambda o=opts:
                              run_qemu(a.qemu, a.elf, o + a.fw_args)))
        runs = run_all(a.jobs, tasks)

    def qemu_mark(cfg):
        """✓ when QEMU's RESULT line is the same as httusim's for the configuration."""
        status, _, result = runs[("qemu",) + cfg]
        return "✓" if status == 0 and result and result == runs[cfg]["result"] else "✗"
    elapsed = time.time() - start

    failed = [cfg for cfg in DEMO_CONFIGS if runs[cfg]["problems"]]
    if len(failed) == len(DEMO_CONFIGS) and all(runs[c]["result"] is None for c in failed):
        run = runs[failed[0]]
        print("demo: every run failed, e.g. %s: %s" % (" ".join(failed[0]),
                                                       "; ".join(run["problems"])),
              file=sys.stderr)
        for l in (run["stderr"].strip() or run["stdout"].strip()).splitlines()[-3:]:
            print("    " + l, file=sys.stderr)
        return 1
    base = demo_values(runs[DEMO_CONFIGS[0]])["cycles"]

    def delta(v):
        if v["cycles"] is None or not base:
            return "?"
        return "%+.1f%%" % (100.0 * (v["cycles"] - base) / base)
    # (header, left-aligned, cell)
    cols = [
        ("dirty", True, lambda c, v, r: c[0]),
        ("MMIO", True, lambda c, v, r: c[1]),
        ("share", True, lambda c, v, r: c[2]),
        ("cycles", False, lambda c, v, r: fmt_millions(v["cycles"])),
        ("vs first", False, lambda c, v, r: "-" if c == DEMO_CONFIGS[0] else delta(v)),
        ("insts", False, lambda c, v, r: fmt_millions(v["insts"])),
        ("perm faults", False, lambda c, v, r: fmt_int(v["perm"])),
        ("hw dirty", False, lambda c, v, r: fmt_int(v["hwdirty"])),
        ("MMIO HVCs", False, lambda c, v, r: fmt_int(v["mmio"])),
        ("share HVCs", False, lambda c, v, r: fmt_int(v["share"])),
        ("flushed", False, lambda c, v, r: fmt_kib(v["flushed"])),
        ("walks", False, lambda c, v, r: fmt_int(v["walks"])),
        ("= RESULT", False, lambda c, v, r: "✓" if not r["problems"] else "✗"),
    ]
    if a.qemu:
        cols.append(("= QEMU", False, lambda c, v, r: qemu_mark(c)))
    table = [[fn(cfg, demo_values(runs[cfg]), runs[cfg]) for _, _, fn in cols]
             for cfg in DEMO_CONFIGS]
    widths = [max([len(h)] + [len(row[i]) for row in table]) for i, (h, _, _) in enumerate(cols)]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if cols[i][1] else c.rjust(widths[i])
                         for i, c in enumerate(cells)).rstrip()
    workload = " ".join(a.fw_args) or "default (--payload=1M --scratch=1M --write-frac=0.25)"
    sim = " ".join(a.sim_args) or "defaults (--hafdbs=2 --hypervisor=pkvm)"
    print("pvmfw.elf on httusim %s; workload %s" % (sim, workload))
    print()
    print(line([h for h, _, _ in cols]))
    print(line(["-" * w for w in widths]))
    for cells in table:
        print(line(cells))
    print()
    print("MMIO HVCs: MMIO_GUARD_MAP+UNMAP; share HVCs: MEM_SHARE+UNSHARE; flushed: DC CVAC bytes.")
    print("= RESULT: ✓ when every httusim counter equals the firmware's own count on its RESULT "
          "line (docs/pvmfw.md).")
    if a.qemu:
        print("= QEMU: ✓ when QEMU virt -cpu max prints the same RESULT line (QEMU counts no "
              "cycles; the firmware emulates the pKVM calls there).")
    sums = sorted({runs[c]["result"]["checksum"] for c in DEMO_CONFIGS if runs[c]["result"]})
    if len(sums) == 1:
        print("Same work in every run (checksum %s); %d configurations%s in %.1f s." % (
            sums[0], len(DEMO_CONFIGS), " on httusim and QEMU" if a.qemu else "", elapsed))
    else:
        print("Checksums: %s; %d configurations in %.1f s." % (", ".join(sums) or "none",
                                                               len(DEMO_CONFIGS), elapsed))
    qemu_failed = [cfg for cfg in DEMO_CONFIGS if a.qemu and qemu_mark(cfg) != "✓"]
    for cfg in qemu_failed:
        status, out, _ = runs[("qemu",) + cfg]
        print("✗ QEMU %s: exit status %d, RESULT differs from httusim's; last output:" % (
            " ".join(cfg), status), file=sys.stderr)
        for l in out.strip().splitlines()[-2:]:
            print("    " + l, file=sys.stderr)
    for cfg in failed:
        run = runs[cfg]
        print("✗ %s: %s" % (" ".join(cfg), "; ".join(run["problems"])), file=sys.stderr)
        for l in (run["stderr"].strip() or run["stdout"].strip()).splitlines()[-3:]:
            print("    " + l, file=sys.stderr)
    return 1 if failed or qemu_failed else 0


# ---------------------------------------------------------------------------------- sweep
SWEEP_COUNTERS = ["sim.insts", "sim.cycles", "cpu.exceptions", "mmu.s1.faults.permission",
                  "mmu.s1.faults.translation", "mmu.s1.hw_updates.dirty", "hvc.calls",
                  "hvc.MMIO_GUARD_MAP", "hvc.MMIO_GUARD_UNMAP", "hvc.MEM_SHARE",
                  "hvc.MEM_UNSHARE", "cache.maint.dc_cvac", "cache.maint.bytes", "mmu.s1.walks",
                  "mmu.tlb.l1i.misses", "mmu.tlb.l1d.misses", "mmu.tlb.l2.misses"]
CONFIG_COLUMNS = ["policy", "mmio", "share", "payload", "write_frac", "exit_status",
                  "counters_match", "mismatches"]
RESULT_COLUMNS = ["mode"] + RESULT_FIELDS + ["checksum"]

# (file, CSV column, y label, scale, y axis from 0). "cycles_vs_hw" is derived: the cycles of a
# run relative to the hw run of the same point, in percent.
PLOTS = [
    ("cycles.png", "sim.cycles", "simulated cycles (millions)", 1e-6, False),
    ("cycles_vs_hw.png", "cycles_vs_hw", "cycles relative to hw dirty tracking (%)", 1, False),
    ("perm_faults.png", "mmu.s1.faults.permission", "permission faults", 1, True),
    ("hvcs.png", "hvc.calls", "hypervisor calls (all HVCs)", 1, True),
    ("flushed_bytes.png", "cache.maint.bytes", "bytes cleaned by DC CVAC (KiB)", 1 / 1024, True),
]

POLICIES = ["hw", "sw", "flush-all"]


def split_list(text, what, check=None):
    items = [x.strip() for x in text.split(",") if x.strip()]
    if not items:
        raise Failure("%s: empty list" % what)
    for x in items:
        if check and not check(x):
            raise Failure("%s: bad value %r" % (what, x))
    return items


def is_frac(x):
    try:
        return 0 <= float(x) <= 1 and re.fullmatch(r"[0-9]*\.?[0-9]+", x) is not None
    except ValueError:
        return False


def is_size(x):
    return re.fullmatch(r"(0x[0-9a-fA-F]+|[0-9]+)[KMGkmg]?", x) is not None


def sweep_grid(a):
    if a.quick:
        policies, fracs, payloads = POLICIES, ["0", "0.5", "1"], ["1M"]
        mmios, shares = ["lazy"], ["pool"]
    else:
        policies, fracs, payloads = POLICIES, ["0", "0.125", "0.25", "0.5", "0.75", "1.0"], \
            ["1M", "4M"]
        mmios, shares = ["lazy"], ["pool"]
    if a.policies:
        policies = split_list(a.policies, "--policies", lambda x: x in POLICIES + ["auto"])
    if a.fracs:
        fracs = split_list(a.fracs, "--fracs", is_frac)
    if a.payloads:
        payloads = split_list(a.payloads, "--payloads", is_size)
    if a.mmio:
        mmios = split_list(a.mmio, "--mmio", lambda x: x in ("lazy", "eager"))
    if a.share:
        shares = split_list(a.share, "--share", lambda x: x in ("pool", "direct"))
    grid = []
    for payload in payloads:
        for policy in policies:
            for mmio in mmios:
                for share in shares:
                    for frac in fracs:
                        grid.append({"policy": policy, "mmio": mmio, "share": share,
                                     "payload": payload, "write_frac": frac})
    return grid, {"policies": policies, "fracs": fracs, "payloads": payloads, "mmio": mmios,
                  "share": shares}


def run_name(cfg):
    return "%s-%s-%s-p%s-f%s" % (cfg["policy"], cfg["mmio"], cfg["share"], cfg["payload"],
                                 cfg["write_frac"])


def cmd_sweep(a):
    need_file(a.httusim, "httusim (scripts/sweep.sh builds it)")
    need_file(a.elf, "pvmfw ELF (build the httusim_firmware target)")
    grid, dims = sweep_grid(a)
    sim_args, fw_extra = a.sim_args, a.fw_args
    os.makedirs(a.out, exist_ok=True)
    print("sweep: %d runs (%s) on %d jobs -> %s" % (
        len(grid), " x ".join("%d %s" % (len(v), k) for k, v in dims.items() if len(v) > 1),
        a.jobs, a.out), flush=True)
    start = time.time()
    tasks = []
    for cfg in grid:
        fw = ["--dirty=" + cfg["policy"], "--mmio=" + cfg["mmio"], "--share=" + cfg["share"],
              "--payload=" + cfg["payload"], "--write-frac=" + cfg["write_frac"]] + fw_extra
        rundir = os.path.join(a.out, "runs", run_name(cfg))
        tasks.append((run_name(cfg), lambda f=fw, d=rundir:
                      run_httusim(a.httusim, a.elf, sim_args, f, d)))
    runs = run_all(a.jobs, tasks)
    elapsed = time.time() - start

    csv_path = os.path.join(a.out, "sweep.csv")
    rows = []
    for cfg in grid:
        run = runs[run_name(cfg)]
        row = dict(cfg)
        row["exit_status"] = run["status"]
        row["counters_match"] = "yes" if not run["problems"] else "no"
        row["mismatches"] = "; ".join(run["problems"])
        r = run["result"] or {}
        for k in RESULT_COLUMNS:
            row[k] = r.get(k, "")
        s = run["stats"] or {}
        for k in SWEEP_COUNTERS:
            row[k] = s.get(k, "")
        rows.append(row)
    def write_csv(f):
        w = csv.DictWriter(f, fieldnames=CONFIG_COLUMNS + RESULT_COLUMNS + SWEEP_COUNTERS)
        w.writeheader()
        w.writerows(rows)
    write_output(csv_path, write_csv)
    bad = [r for r in rows if r["counters_match"] != "yes"]
    print("sweep: %d runs in %.1f s, %d with counters matching RESULT; %s" % (
        len(rows), elapsed, len(rows) - len(bad), csv_path), flush=True)
    for r in bad:
        print("sweep: %s: %s (%s)" % (run_name(r), r["mismatches"],
                                      os.path.join(a.out, "runs", run_name(r))), file=sys.stderr)
    if not a.no_plots:
        for png in plot(rows, dims, a.out):
            print("sweep: plot %s" % png)
    return 1 if bad else 0


def plot(rows, dims, out):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise Failure("matplotlib is missing for %s (install python3-matplotlib; the CSV is "
                      "written)" % sys.executable)
    payloads = dims["payloads"]
    # One line per policy (and per MMIO / sharing policy when those vary too).
    series = []
    for policy in dims["policies"]:
        for mmio in dims["mmio"]:
            for share in dims["share"]:
                label = policy
                if len(dims["mmio"]) > 1:
                    label += " " + mmio
                if len(dims["share"]) > 1:
                    label += " " + share
                series.append((label, policy, mmio, share))
    # The derived column: cycles relative to the hw run with the same other parameters.
    hw_cycles = {(r["mmio"], r["share"], r["payload"], r["write_frac"]): r["sim.cycles"]
                 for r in rows if r["policy"] == "hw" and r["sim.cycles"] != ""}
    rows = [dict(r) for r in rows]
    for r in rows:
        base = hw_cycles.get((r["mmio"], r["share"], r["payload"], r["write_frac"]))
        r["cycles_vs_hw"] = ("" if not base or r["sim.cycles"] == "" else
                             100.0 * (float(r["sim.cycles"]) - float(base)) / float(base))
    # Colour by dirty policy; with one MMIO and sharing policy each line also has its own marker
    # and dash (lines that coincide stay visible), else the dash is the MMIO policy and the marker
    # the sharing policy.
    colours = {"hw": "tab:blue", "sw": "tab:orange", "flush-all": "tab:green", "auto": "tab:purple"}
    solo = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-.")]

    def style(i, policy, mmio, share):
        if len(dims["mmio"]) == 1 and len(dims["share"]) == 1:
            marker, ls = solo[i % len(solo)]
        else:
            ls = ["-", "--"][dims["mmio"].index(mmio) % 2]
            marker = ["o", "s"][dims["share"].index(share) % 2]
        return dict(color=colours.get(policy), marker=marker, linestyle=ls,
                    markersize=6 - i % 3, linewidth=1.6)
    written = []
    for fname, column, ylabel, scale, from_zero in PLOTS:
        if column == "cycles_vs_hw" and not hw_cycles:
            continue
        many = len(series) > len(dims["policies"])  # the legend goes right of the panels
        fig, axes = plt.subplots(1, len(payloads),
                                 figsize=(5.2 * len(payloads) + (2.2 if many else 0), 4.0),
                                 squeeze=False)
        for ax, payload in zip(axes[0], payloads):
            for i, (label, policy, mmio, share) in enumerate(series):
                pts = sorted((float(r["write_frac"]), float(r[column]) * scale) for r in rows
                             if r["policy"] == policy and r["mmio"] == mmio and
                             r["share"] == share and r["payload"] == payload and
                             r[column] != "")
                if not pts:
                    continue
                ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label,
                        **style(i, policy, mmio, share))
            ax.set_title("payload %s" % payload)
            ax.set_xlabel("write fraction of the scratch region")
            ax.set_ylabel(ylabel)
            ax.grid(True, alpha=0.3)
            if from_zero:
                ax.set_ylim(bottom=0)
            else:
                ax.margins(y=0.15)
            if not many:
                ax.legend(title="dirty tracking", fontsize=9)
            elif ax is axes[0][-1]:
                ax.legend(title="dirty MMIO share", fontsize=8, loc="upper left",
                          bbox_to_anchor=(1.02, 1.0))
        fig.suptitle("pvmfw on httusim: %s against the write fraction" % ylabel.split(" (")[0])
        fig.tight_layout()
        path = os.path.join(out, fname)
        try:
            fig.savefig(path, dpi=110)
        except OSError as e:
            raise OSError(e.errno, e.strerror, path) from e
        plt.close(fig)
        written.append(path)
    return written


# ---------------------------------------------------------------------------------- main
OUTPUT_ERROR = 6   # as httusim's kExitOutputError (sim/exit_status.h)


def quiet_stdout():
    """After a write error on standard output: point it at /dev/null, so that the flush at
    exit does not print a second error."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError):
        pass


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quietly stop when piped into head
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["demo", "sweep"])
    p.add_argument("--httusim", required=True)
    p.add_argument("--elf", required=True)
    p.add_argument("--jobs", type=int, default=default_jobs())
    p.add_argument("--out")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--policies")
    p.add_argument("--fracs")
    p.add_argument("--payloads")
    p.add_argument("--mmio")
    p.add_argument("--share")
    p.add_argument("--sim-args", dest="sim_args_text")
    p.add_argument("--fw-args", dest="fw_args_text")
    p.add_argument("--no-plots", action="store_true")
    p.add_argument("--qemu", help="demo: also run QEMU and compare its RESULT lines")
    argv = sys.argv[1:]
    fw_args = []
    if "--" in argv:
        cut = argv.index("--")
        argv, fw_args = argv[:cut], argv[cut + 1:]
    a = p.parse_args(argv)
    a.fw_args = fw_args + shlex.split(a.fw_args_text or "")
    a.sim_args = shlex.split(a.sim_args_text or "")
    if a.command == "sweep" and not a.out:
        p.error("sweep needs --out")
    prog = os.path.basename(sys.argv[0])
    try:
        status = cmd_demo(a) if a.command == "demo" else cmd_sweep(a)
        sys.stdout.flush()   # a full standard output is an error here, not at exit
        return status
    except Failure as e:
        print("%s: error: %s" % (prog, e), file=sys.stderr)
        return 2
    except OSError as e:   # an output (CSV, plot, run directory, standard output) not written
        print("%s: error: %s: %s" % (prog, e.filename or "standard output",
                                     e.strerror or e), file=sys.stderr)
        quiet_stdout()
        return OUTPUT_ERROR


if __name__ == "__main__":
    sys.exit(main())
