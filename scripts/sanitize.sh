#!/usr/bin/env bash
# The sanitizer run of CI: builds the host code with AddressSanitizer and UndefinedBehaviorSanitizer
# in build-asan/ and runs the unit tests, the SystemC testbenches and a firmware subset with every
# finding fatal (halt_on_error; -fno-sanitize-recover=all in the build). Arguments go to ctest.
set -euo pipefail
HTTUSIM_BUILD=${HTTUSIM_ASAN_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build-asan}
HTTUSIM_CMAKE_ARGS=(-DHTTUSIM_SANITIZE=address,undefined -DHTTUSIM_BUILD_FUZZ=OFF)   # the fuzzers have their own
source "$(dirname "$0")/lib.sh"
ensure_packages
build_httusim
cd "$HTTUSIM_BUILD"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
# detect_stack_use_after_return stays off: SystemC switches coroutine stacks, which ASan's fake
# stacks do not follow. Leaks are reported (LeakSanitizer) and fail the run like any finding.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=0:detect_leaks=1:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
# One ctest run: the C core's unit tests, the SystemC testbenches, every firmware program in one
# build variant on httusim, the pvmfw counter checks and the golden traces (the QEMU diffs add
# nothing here: the sanitizers watch httusim only).
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" \
  -L 'unit|models|firmware|pvmfw|trace' -E 'qemu|lockstep|\.(O0-v8[01]|Os-v8[01]|O2-v80)\.' "$@"
