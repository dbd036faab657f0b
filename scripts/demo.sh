#!/usr/bin/env bash
# The main job: installs what is missing, builds httusim and the firmware, runs the default
# firmware and shows what it printed and the main counters.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages
build_httusim

fw=${1:-$HTTUSIM_BUILD/firmware/demo.elf}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

echo "== $fw on httusim =="
status=0
"$HTTUSIM_BUILD/bin/httusim" --stats="$out/stats.txt" "$fw" || status=$?
echo "== exit status $status; main counters =="
grep -E '^(sim\.|cpu\.exceptions |hvc\.calls|hvc\.[A-Z_]+ +[1-9]|cache\.maint\.[a-z_]+ +[1-9]|mmu\.tlbi\.[A-Z0-9]+ +[1-9])' \
  "$out/stats.txt" || true
exit $status
