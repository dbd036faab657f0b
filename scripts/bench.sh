#!/usr/bin/env bash
# The httusim benchmark (docs/bench.md). Not a test. Builds (scripts/lib.sh), then:
#   1. runs firmware/bench/bench.c (build/firmware/bench/bench.elf) in httusim and in
#      `qemu-system-aarch64 -M virt -cpu max` with the same arguments, checks that both print the
#      same result (checksum), and reports simulated instructions, host seconds, httusim MIPS and
#      the ratio of httusim's wall time to QEMU's;
#   2. derives the host cost of one table walk from two more httusim runs of the same ELF without
#      TLB flushes (reclean=0), one with an L2 TLB that holds the whole window and one with a
#      4-entry L2 TLB: (host seconds tiny - host seconds large) / (walks tiny - walks large); and
#      once more with a 1-entry walk cache too (4-level walks through the interconnect); each
#      configuration runs 3 times and the least host time counts;
#   3. runs the C microbenchmark bench/tlb_walk_bench (host ns per L1 TLB hit and per 4-level
#      walk of the core, without SystemC).
# Prints the results and writes them to bench/results/<date>-<hostname>.txt with the machine.
#
#   scripts/bench.sh [--iters=N] [--walk-iters=N] [--no-build] [--no-save]
# Defaults keep the whole run under about two minutes on a 2-core machine. HTTUSIM_BUILD selects
# the build directory (default build/); --no-build uses it as it is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ITERS=300          # bench.elf iterations of the main run (about 0.65 M instructions each)
WALK_ITERS=120     # iterations of the walk-cost runs
REPEATS=3          # each walk-cost run is repeated; the least host time counts
SAVE=1
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --iters=*) ITERS=${arg#--iters=} ;;
    --walk-iters=*) WALK_ITERS=${arg#--walk-iters=} ;;
    --no-save) SAVE=0 ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$BUILD" = 1 ]; then
  ensure_packages
  build_httusim
fi
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
HTTUSIM=$HTTUSIM_BUILD/bin/httusim
MICRO=$HTTUSIM_BUILD/bin/tlb_walk_bench
ELF_DIR=$HTTUSIM_BUILD/firmware/bench
QEMU=$(command -v qemu-system-aarch64 || true)
for f in "$HTTUSIM" "$MICRO" "$ELF_DIR/bench.elf"; do
  [ -e "$f" ] || { echo "bench.sh: $f was not built" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

stat_of() {   # stat_of FILE NAME: the value of a counter in a --stats file
  awk -v n="$2" '$1 == n { print $2 }' "$1"
}
wall() {   # wall OUTFILE CMD...: run from the ELF's directory, print the wall seconds
  local out=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  (cd "$ELF_DIR" && "$@") >"$out" 2>&1 || { cat "$out" >&2; echo "bench.sh: failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  python3 -c "print('%.3f' % ($t1 - $t0))"
}
calc() { python3 -c "print($1)"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: httusim bench.elf iters=$ITERS ..." >&2
H_WALL=$(wall "$WORK/httusim.out" "$HTTUSIM" --stats="$WORK/main.stats" bench.elf -- iters="$ITERS")
INSTS=$(stat_of "$WORK/main.stats" sim.insts)
H_SECS=$(stat_of "$WORK/main.stats" sim.host_seconds)
H_MIPS=$(calc "'%.1f' % ($INSTS / $H_SECS / 1e6)")
H_WALKS=$(stat_of "$WORK/main.stats" mmu.s1.walks)
H_L1D_HITS=$(stat_of "$WORK/main.stats" mmu.tlb.l1d.hits)
H_L1I_HITS=$(stat_of "$WORK/main.stats" mmu.tlb.l1i.hits)
H_HWU=$(( $(stat_of "$WORK/main.stats" mmu.s1.hw_updates.af) + $(stat_of "$WORK/main.stats" mmu.s1.hw_updates.dirty) ))

if [ -n "$QEMU" ]; then
  echo "bench: qemu-system-aarch64 -M virt -cpu max, same ELF and arguments ..." >&2
  Q_WALL=$(wall "$WORK/qemu.out" "$QEMU" -M virt -cpu max -nographic \
    -semihosting-config enable=on,target=native,arg=bench.elf,arg=iters="$ITERS" -kernel bench.elf)
  if ! diff -u "$WORK/qemu.out" "$WORK/httusim.out" >"$WORK/diff" 2>&1; then
    cat "$WORK/diff" >&2
    echo "bench.sh: httusim and QEMU disagree on the benchmark's output" >&2
    exit 1
  fi
  RATIO=$(calc "'%.2f' % ($H_WALL / $Q_WALL)")
  SAME="identical output (checksum)"
else
  Q_WALL="n/a"; RATIO="n/a"; SAME="QEMU not installed: not compared"
fi

echo "bench: walk cost runs (reclean=0, iters=$WALK_ITERS, 3 x $REPEATS runs) ..." >&2
walk_run() {   # walk_run NAME OPTIONS...: "secs walks reads insts", the least secs of REPEATS
  local name=$1 best="" secs i
  shift
  for i in $(seq "$REPEATS"); do
    wall "$WORK/$name.out" "$HTTUSIM" --stats="$WORK/$name.stats" "$@" bench.elf -- \
      iters="$WALK_ITERS" reclean=0 >/dev/null
    secs=$(stat_of "$WORK/$name.stats" sim.host_seconds)
    best=$(calc "min(${best:-$secs}, $secs)")
  done
  echo "$best $(stat_of "$WORK/$name.stats" mmu.s1.walks)" \
       "$(stat_of "$WORK/$name.stats" mmu.s1.walk_reads) $(stat_of "$WORK/$name.stats" sim.insts)"
}
read -r L_SECS L_WALKS L_READS L_INSTS < <(walk_run large --tlb-l2=16384:4)
read -r T_SECS T_WALKS T_READS T_INSTS < <(walk_run tiny --tlb-l2=4:4)
read -r F_SECS F_WALKS F_READS F_INSTS < <(walk_run full --tlb-l2=4:4 --walk-cache=1:1)
[ -n "$F_INSTS" ] && [ "$L_INSTS" = "$T_INSTS" ] && [ "$L_INSTS" = "$F_INSTS" ] ||
  { echo "bench.sh: the walk-cost runs retired different instruction counts" >&2; exit 1; }
NS_WALK=$(calc "'%.0f' % (($T_SECS - $L_SECS) * 1e9 / ($T_WALKS - $L_WALKS))")
NS_WALK4=$(calc "'%.0f' % (($F_SECS - $L_SECS) * 1e9 / ($F_WALKS - $L_WALKS))")
READS_T=$(calc "'%.2f' % ($T_READS / $T_WALKS)")
READS_F=$(calc "'%.2f' % ($F_READS / $F_WALKS)")

echo "bench: microbenchmark bench/tlb_walk_bench ..." >&2
"$MICRO" 0.5 >"$WORK/micro.out"
micro() { awk -v n="$1" '$1 == n { print $2 }' "$WORK/micro.out"; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

COMMIT=$(git -C "$HTTUSIM_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$HTTUSIM_ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  COMMIT="$COMMIT+modified"
fi
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
QV=$([ -n "$QEMU" ] && "$QEMU" --version | head -1 || echo "not installed")

REPORT=$WORK/report.txt
{
  echo "httusim benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(hostname), $(nproc) CPUs, $CPU"
  echo "load average (1/5/15 min): before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "httusim: commit $COMMIT, build $HTTUSIM_BUILD ($(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$HTTUSIM_BUILD/CMakeCache.txt"))"
  echo "qemu: $QV"
  echo
  echo "bench.elf iters=$ITERS (MMU on, hardware AF and dirty updates, 8192 pages of 4 KiB)"
  echo "  simulated instructions        $INSTS"
  echo "  httusim host seconds          $H_SECS  (sc_start to the end; process wall $H_WALL s)"
  echo "  httusim MIPS                  $H_MIPS"
  echo "  QEMU -cpu max wall seconds    $Q_WALL  ($SAME)"
  echo "  httusim / QEMU wall time      $RATIO"
  echo "  walks $H_WALKS, hardware updates $H_HWU, L1 hits d $H_L1D_HITS i $H_L1I_HITS"
  echo
  echo "host nanoseconds per TLB hit (bench/tlb_walk_bench, best of 7)"
  echo "  L1 lookup + check (10-entry TLB)                 $(micro l1_lookup_check_ns)"
  echo "  executor, recent-entry hit (MMU on - off, /insn) $(micro exec_hit_recent_ns)"
  echo "  executor, full L1 lookup   (MMU on - off, /insn) $(micro exec_hit_l1_ns)"
  echo "  (executor per instruction: MMU off $(micro exec_insn_mmu_off_ns), MMU on $(micro exec_insn_mmu_on_ns))"
  echo "host nanoseconds per walk"
  echo "  core only, 4 levels, plain array (tlb_walk_bench) $(micro walk_4level_ns)"
  echo "  httusim, walk-cache assisted ($READS_T reads/walk)  $NS_WALK   (tiny vs large L2 TLB)"
  echo "  httusim, no walk cache ($READS_F reads/walk)        $NS_WALK4   (tiny L2 + 1-entry walk cache vs large L2)"
  echo "  walk-cost runs (bench.elf iters=$WALK_ITERS reclean=0, $L_INSTS instructions each,"
  echo "  least host seconds of $REPEATS runs):"
  echo "    --tlb-l2=16384:4                   $L_SECS s, $L_WALKS walks"
  echo "    --tlb-l2=4:4                       $T_SECS s, $T_WALKS walks"
  echo "    --tlb-l2=4:4 --walk-cache=1:1      $F_SECS s, $F_WALKS walks"
} >"$REPORT"
cat "$REPORT"
if [ "$SAVE" = 1 ]; then
  mkdir -p "$HTTUSIM_ROOT/bench/results"
  OUT=$HTTUSIM_ROOT/bench/results/$(date -u +%Y-%m-%d)-$(hostname).txt
  cp "$REPORT" "$OUT"
  echo "bench: written to ${OUT#$HTTUSIM_ROOT/}" >&2
fi
