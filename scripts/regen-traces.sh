#!/usr/bin/env bash
# Regenerate the golden event traces and counters of traces/ (traces/README.md) on purpose, after
# a change that is meant to alter them (cycle costs, a new event, a firmware change). Builds first
# (scripts/lib.sh), then rewrites traces/<name>.trace and traces/<name>.stats for every entry of
# traces/manifest.txt, or only the names given. Review `git diff traces/` before committing.
#
#   scripts/regen-traces.sh [NAME...]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages
build_httusim
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
python3 "$HTTUSIM_ROOT/tests/trace/tracecheck.py" regen --httusim "$HTTUSIM_BUILD/bin/httusim" \
  --build "$HTTUSIM_BUILD" --traces "$HTTUSIM_ROOT/traces" "$@"
echo "regen-traces: done; review with: git diff --stat traces/" >&2
