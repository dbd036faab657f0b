#!/usr/bin/env python3
"""Histograms of --stats / --stats-json (docs/stats.md) against the counters and the event trace
of the same run, for ctest (tests/trace/CMakeLists.txt):

  histcheck.py --httusim BIN --build DIR --traces DIR NAME

runs the entry NAME of traces/manifest.txt with --trace, --stats and --stats-json and requires:
  - every histogram's samples equal its bucket counts plus underflows and overflows, and the
    text lines (::samples, ::sum, one per bucket) say what the JSON object says;
  - mmu.s1.walk_latency: samples == mmu.s1.walks, sum == mmu.s1.walk_cycles;
  - mmu.s1.walk_reads_per_walk: samples == mmu.s1.walks, sum == mmu.s1.walk_reads, and each
    bucket N == the walk events with levels=N;
  - mmu.s1.hw_updates.cas_retries_per_update: sum == mmu.s1.hw_updates.cas_retries, and its
    buckets == the walks preceded by hw_update events, by their number of kind=cas_retry;
  - mmu.tlb.l2.fill_size: samples == the walk events with result=ok that are not AT;
  - hvc.cycles_per_call: samples == hvc.calls == the hvc events, sum == hvc.cycles.
"""

import argparse
import collections
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracecheck  # noqa: E402

HISTOGRAMS = ["mmu.s1.walk_latency", "mmu.s1.walk_reads_per_walk",
              "mmu.s1.hw_updates.cas_retries_per_update", "mmu.tlb.l2.fill_size",
              "hvc.cycles_per_call"]


class Checker:
    def __init__(self):
        self.problems = []
        self.checked = 0

    def equal(self, what, got, expected):
        self.checked += 1
        if got != expected:
            self.problems.append("%s: %s, expected %s" % (what, got, expected))


def event_fields(line):
    """(event, {key: value}) of one trace line."""
    words = line.split()
    return words[1], dict(w.split("=", 1) for w in words[2:])


def trace_facts(trace):
    """What the event trace says about walks, hardware updates and HVCs."""
    levels = collections.Counter()
    retries_per_update = collections.Counter()
    fills = 0
    hvcs = 0
    pending_cas, pending_retries = 0, 0   # hw_update lines of the walk not yet ended
    for line in trace.splitlines():
        event, f = event_fields(line)
        if event == "hw_update":
            pending_cas += 1
            pending_retries += f["kind"] == "cas_retry"
        elif event == "walk":
            levels[int(f["levels"])] += 1
            if f["result"] == "ok" and not f["acc"].startswith("at_"):
                fills += 1
            if pending_cas:
                retries_per_update[pending_retries] += 1
            pending_cas, pending_retries = 0, 0
        elif event == "hvc":
            hvcs += 1
    return levels, retries_per_update, fills, hvcs


def text_histogram_lines(stats_text, name):
    """{suffix: count} of the lines NAME::suffix of the --stats text."""
    out = {}
    for line in stats_text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[0].startswith(name + "::"):
            out[words[0][len(name) + 2:]] = words[1]
    return out


def check_shape(c, name, h, stats_text):
    buckets = sum(b["count"] for b in h["buckets"])
    c.equal(name + " samples vs buckets", h["samples"], buckets + h["underflows"] + h["overflows"])
    text = text_histogram_lines(stats_text, name)
    c.equal(name + "::samples (text)", text.get("samples"), str(h["samples"]))
    c.equal(name + "::sum (text)", text.get("sum"), str(h["sum"]))
    c.equal(name + "::total (text)", text.get("total"), str(h["samples"]))
    for b in h["buckets"]:
        c.equal("%s::%s (text)" % (name, b["label"]), text.get(b["label"]), str(b["count"]))


def by_label(h):
    return {b["label"]: b["count"] for b in h["buckets"]}


def check(stats, stats_text, trace):
    c = Checker()
    for name in HISTOGRAMS:
        if not isinstance(stats.get(name), dict):
            c.problems.append("%s: not a histogram object in --stats-json" % name)
    if c.problems:
        return c
    for name in HISTOGRAMS:
        check_shape(c, name, stats[name], stats_text)
    levels, retries_per_update, fills, hvcs = trace_facts(trace)

    lat, reads = stats["mmu.s1.walk_latency"], stats["mmu.s1.walk_reads_per_walk"]
    c.equal("walk_latency samples == mmu.s1.walks", lat["samples"], stats["mmu.s1.walks"])
    c.equal("walk_latency sum == mmu.s1.walk_cycles", lat["sum"], stats["mmu.s1.walk_cycles"])
    c.equal("walk_reads_per_walk samples == mmu.s1.walks", reads["samples"], stats["mmu.s1.walks"])
    c.equal("walk_reads_per_walk sum == mmu.s1.walk_reads", reads["sum"],
            stats["mmu.s1.walk_reads"])
    got = {int(k): v for k, v in by_label(reads).items() if v}
    c.equal("walk_reads_per_walk buckets == walk events by levels=", got, dict(levels))

    cas = stats["mmu.s1.hw_updates.cas_retries_per_update"]
    c.equal("cas_retries_per_update sum == mmu.s1.hw_updates.cas_retries", cas["sum"],
            stats["mmu.s1.hw_updates.cas_retries"])
    got = {int(k): v for k, v in by_label(cas).items() if v}
    c.equal("cas_retries_per_update buckets == walks with hw_update events, by retries", got,
            dict(retries_per_update))

    c.equal("l2 fill_size samples == walk events result=ok, not AT",
            stats["mmu.tlb.l2.fill_size"]["samples"], fills)

    hvc = stats["hvc.cycles_per_call"]
    c.equal("hvc.cycles_per_call samples == hvc.calls", hvc["samples"], stats["hvc.calls"])
    c.equal("hvc.cycles_per_call samples == hvc events", hvc["samples"], hvcs)
    c.equal("hvc.cycles_per_call sum == hvc.cycles", hvc["sum"], stats["hvc.cycles"])
    return c


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--httusim", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--traces", required=True)
    p.add_argument("name")
    a = p.parse_args()
    entries = tracecheck.read_manifest(a.traces)
    if a.name not in entries:
        tracecheck.fail("no entry %s in %s/manifest.txt" % (a.name, a.traces))
    elf, args, status = entries[a.name]
    with tempfile.TemporaryDirectory() as tmp:
        json_path = os.path.join(tmp, "stats.json")
        trace, _, cmd = tracecheck.run_traced(a.httusim, os.path.join(a.build, elf), args,
                                              status, tmp, extra=["--stats-json=" + json_path])
        with open(json_path) as f:
            stats = json.load(f)
        with open(os.path.join(tmp, "stats.txt")) as f:
            stats_text = f.read()
    print("ran: " + " ".join(cmd))
    c = check(stats, stats_text, trace)
    if c.problems:
        tracecheck.fail("histograms disagree:\n  " + "\n  ".join(c.problems))
    print("PASS histograms.%s: %d equalities (walks %d, HVCs %d)" %
          (a.name, c.checked, stats["mmu.s1.walks"], stats["hvc.calls"]))


if __name__ == "__main__":
    main()
