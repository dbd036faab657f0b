#!/usr/bin/env bash
# The long mode of the differential random-instruction test (docs/randinsn.md): many seeds of
# tests/randinsn/gen.py run on QEMU virt -cpu max and on httusim, 2 in parallel; every failing
# seed's files are kept under the results folder; one summary line at the end.
#
#   scripts/randinsn.sh [--seeds 1000] [--start 1] [--insns 500] [--jobs 2]
#                       [--results results/randinsn-DATE] [--minimise] [--mask-lse-wnr]
#
# Builds what it needs first (httusim and the firmware, in build/). Exit status 0 when no seed
# differs, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=1000 start=1 insns=500 jobs=2 results="" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --insns) insns=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --minimise|--mask-lse-wnr) extra+=("$1"); shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "randinsn.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$results" ] || results="results/randinsn-$(date -u +%Y%m%d-%H%M%S)"

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build -j2 --target httusim httusim_firmware >/dev/null

exec python3 tests/randinsn/randinsn.py many --build build --seeds "$seeds" --start "$start" \
  --insns "$insns" --jobs "$jobs" --results "$results" "${extra[@]}"
