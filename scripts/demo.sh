#!/usr/bin/env bash
# The main job: installs what is missing, builds httusim and the firmware, then
#
#   scripts/demo.sh [-- pvmfw options]
#       runs the protected-VM firmware (build/firmware/pvmfw.elf, docs/pvmfw.md) in its main
#       configurations - software vs hardware dirty tracking, lazy vs eager MMIO guard, pooled
#       vs direct sharing, and flush-all - in parallel, and prints one comparison table: cycles,
#       instructions, permission faults, hardware dirty updates, MMIO guard and share HVCs,
#       flushed bytes, walks, and whether httusim's counters match the firmware's own RESULT
#       line (docs/study.md), and, when qemu-system-aarch64 is installed, whether QEMU prints the
#       same RESULT line. Options after -- change the workload, e.g. -- --payload=4M.
#   scripts/demo.sh FW.elf [firmware args...]
#       runs any firmware once and shows what it printed and its main counters.
#
# --no-build: use what is built in $HTTUSIM_BUILD (default build/) without installing or building.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  ensure_packages
  build_httusim
fi
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

if [ $# -eq 0 ] || [ "$1" = "--" ]; then
  [ $# -eq 0 ] || shift
  qemu=()
  if command -v qemu-system-aarch64 >/dev/null; then
    qemu=(--qemu="$(command -v qemu-system-aarch64)")
  fi
  # /usr/bin/python3: Debian's (a pyenv python3 on PATH may lack Debian's packages).
  exec /usr/bin/python3 "$HTTUSIM_ROOT/scripts/study.py" demo \
    --httusim="$HTTUSIM_BUILD/bin/httusim" --elf="$HTTUSIM_BUILD/firmware/pvmfw.elf" \
    --jobs="$(nproc 2>/dev/null || echo 2)" "${qemu[@]}" -- "$@"
fi

fw=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== $fw on httusim =="
status=0
if [ $# -gt 0 ]; then
  "$HTTUSIM_BUILD/bin/httusim" --stats="$out/stats.txt" "$fw" -- "$@" || status=$?
else
  "$HTTUSIM_BUILD/bin/httusim" --stats="$out/stats.txt" "$fw" || status=$?
fi
echo "== exit status $status; main counters =="
grep -E '^(sim\.|cpu\.exceptions |hvc\.calls|hvc\.[A-Z_]+ +[1-9]|cache\.maint\.[a-z_]+ +[1-9]|mmu\.tlbi\.[A-Z0-9]+ +[1-9])' \
  "$out/stats.txt" || true
exit $status
