#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs ctest (unit tests of the C core,
# SystemC testbenches, firmware on httusim, differential and lock-step tests against QEMU).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages
build_httusim
cd "$HTTUSIM_BUILD"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"
