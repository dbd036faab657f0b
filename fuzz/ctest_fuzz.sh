#!/bin/sh
# ctest driver of one fuzz harness (fuzz/CMakeLists.txt): a bounded libFuzzer run on a scratch
# copy of the committed seed corpus. Fails on any finding (crash, sanitizer report, violated
# invariant, leak, timeout); exits 77 (skipped) when the harness could not be built.
# Usage: ctest_fuzz.sh BINARY SEED_CORPUS WORK_DIR SECONDS [SKIP_REASON]
bin=$1 seeds=$2 work=$3 seconds=$4 reason=$5
if [ -n "$reason" ] || [ ! -x "$bin" ]; then
  echo "SKIPPED: fuzz harness $(basename "$bin") not built: ${reason:-$bin missing}" >&2
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/findings"
cp "$seeds"/* "$work/corpus/" 2>/dev/null
cd "$work" || exit 1
# One process, fixed seed: the same run every time on the same machine and corpus.
"$bin" -max_total_time="$seconds" -seed=1 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/findings/" "$work/corpus"
rc=$?
# libFuzzer exits 77 on a finding by default (-error_exitcode), which ctest would take for a
# skip: every failure becomes 1 here.
if [ $rc -ne 0 ] || [ -n "$(ls -A "$work/findings")" ]; then
  echo "FINDING: $(basename "$bin") exited $rc; reproducer(s) in $work/findings:" >&2
  ls -l "$work/findings" >&2
  exit 1
fi
exit 0
