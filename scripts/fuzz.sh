#!/usr/bin/env bash
# Build the libFuzzer harnesses (fuzz/, clang) and run them for a long time by hand
# (docs/fuzzing.md). ctest runs them for a minute each (tests fuzz.a64, fuzz.vmsa).
#
#   scripts/fuzz.sh [--time SECONDS] [--jobs N] [name...]      names: a64 vmsa (default: both)
#
# Each harness runs SECONDS (default 600) with N worker processes (default: the number of cores,
# at most 2), starting from the committed seed corpus fuzz/corpus/<name> and a working corpus in
# build/fuzz-run/<name>/corpus that grows from run to run (the committed corpus is never written).
# Findings (crash-*, leak-*, timeout-*, oom-*) are saved in fuzz/findings/<name>/ and listed at
# the end; the exit status is 1 when there is any. Figures (executions, exec/s, instructions,
# walks) are printed per harness and kept in build/fuzz-run/<name>/stats.txt.
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH=600
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) SECONDS_EACH="$2"; shift 2 ;;
    --time=*) SECONDS_EACH="${1#--time=}"; shift ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --jobs=*) JOBS="${1#--jobs=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    a64|vmsa) NAMES+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (names: a64 vmsa)" >&2; exit 2 ;;
  esac
done
[ ${#NAMES[@]} -eq 0 ] && NAMES=(a64 vmsa)

CLANG=$(command -v clang || command -v clang-14 || true)
if [ -z "$CLANG" ]; then
  echo "fuzz.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 77
fi
BUILD="$ROOT/build/fuzz-standalone"
RUN="$ROOT/build/fuzz-run"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$ROOT/fuzz" -B "$BUILD" -DHTTUSIM_FUZZ_CLANG_BUILD=ON -DCMAKE_C_COMPILER="$CLANG" \
  "${launcher[@]}" >/dev/null || exit 1
cmake --build "$BUILD" -j "$JOBS" >/dev/null || { cmake --build "$BUILD" -j1; exit 1; }

status=0
for name in "${NAMES[@]}"; do
  bin="$BUILD/bin/fuzz_$name"
  work="$RUN/$name"
  findings="$ROOT/fuzz/findings/$name"
  mkdir -p "$work/corpus" "$findings"
  rm -f "$work"/fuzz-*.log
  echo "== fuzz_$name: ${SECONDS_EACH}s, $JOBS worker(s), corpus $work/corpus + fuzz/corpus/$name"
  (cd "$work" && "$bin" -max_total_time="$SECONDS_EACH" -jobs="$JOBS" -workers="$JOBS" \
     -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
     -artifact_prefix="$findings/" "$work/corpus" "$ROOT/fuzz/corpus/$name" >/dev/null 2>&1)
  # Figures: libFuzzer's final stats and the harness's own counters, summed over the workers.
  cat "$work"/fuzz-*.log > "$work/all.log" 2>/dev/null
  awk -v name="$name" '
    /^stat::number_of_executed_units:/ { execs += $2 }
    /^stat::average_exec_per_sec:/ { rate += $2 }
    /^fuzz_/ { print }
    END { printf "fuzz_%s: executions %d, exec/s %d (all workers)\n", name, execs, rate }
  ' "$work/all.log" | tee "$work/stats.txt"
  n=$(find "$findings" -type f | wc -l)
  if [ "$n" -gt 0 ]; then
    echo "fuzz_$name: $n finding(s) in $findings:"
    ls -l "$findings"
    grep -h -A3 "INVARIANT VIOLATED\|ERROR: AddressSanitizer\|runtime error" "$work/all.log" | head -20
    status=1
  else
    echo "fuzz_$name: no finding"
  fi
done
exit $status
