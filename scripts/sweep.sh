#!/usr/bin/env bash
# The pvmfw parameter sweep (docs/study.md): dirty-tracking policy x write fraction x payload size,
# run in parallel on the machine's cores; writes sweep.csv and PNG plots.
#
#   scripts/sweep.sh [--quick] [--out=DIR] [--policies=hw,sw,flush-all] [--fracs=0,0.5,1]
#                    [--payloads=1M,4M] [--mmio=lazy,eager] [--share=pool,direct]
#                    [--jobs=N] [--sim-args="httusim options"] [--fw-args="pvmfw options"]
#                    [--no-plots] [--no-build] [--httusim=BIN] [--elf=ELF]
#
# Default grid: {hw, sw, flush-all} x {0, 0.125, 0.25, 0.5, 0.75, 1.0} x {1M, 4M}, MMIO lazy,
# sharing pool (36 runs). --quick: {hw, sw, flush-all} x {0, 0.5, 1} x {1M} (9 runs).
# Output: results/sweep-<date>/ unless --out; per-run output in <out>/runs/.
# --no-build: use the httusim and pvmfw.elf already built in $HTTUSIM_BUILD (default build/),
# without installing or building (the ctest uses it); --httusim=BIN --elf=ELF name other ones.
# Exit status: scripts/study.py's: 0 all runs agree with their RESULT lines, 1 some do not (each
# named with its failure, e.g. httusim's status 6 for an output it could not write), 2 bad
# command line, 6 an output of the sweep (CSV, plot, standard output) could not be written.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build=1
out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --out=*) out=${1#--out=} ;;
    --out) [ $# -ge 2 ] || { echo "sweep.sh: --out needs a directory" >&2; exit 2; }
           out=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --quick|--no-plots|--policies=*|--fracs=*|--payloads=*|--mmio=*|--share=*|--jobs=*|\
    --sim-args=*|--fw-args=*|--httusim=*|--elf=*) args+=("$1") ;;
    *) echo "sweep.sh: unknown option '$1' (see scripts/sweep.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  ensure_packages
  build_httusim
fi
[ -n "$out" ] || out="$HTTUSIM_ROOT/results/sweep-$(date +%Y%m%d-%H%M%S)"

# /usr/bin/python3: Debian's, which has python3-matplotlib (a pyenv python3 on PATH may not).
exec /usr/bin/python3 "$HTTUSIM_ROOT/scripts/study.py" sweep \
  --httusim="$HTTUSIM_BUILD/bin/httusim" --elf="$HTTUSIM_BUILD/firmware/pvmfw.elf" \
  --jobs="$(nproc 2>/dev/null || echo 2)" --out="$out" "${args[@]}"
