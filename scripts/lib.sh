# Shared set-up for scripts/demo.sh and scripts/test.sh: install what is missing, configure, build.
# Idempotent: with everything present it only runs an incremental build.

HTTUSIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTTUSIM_BUILD=${HTTUSIM_BUILD:-$HTTUSIM_ROOT/build}
HTTUSIM_CMAKE_ARGS=("${HTTUSIM_CMAKE_ARGS[@]}")   # extra configure options (scripts/sanitize.sh)
HTTUSIM_PACKAGES=(cmake make g++ gcc pkg-config python3 libsystemc-dev libgtest-dev libelf-dev
                  clang libclang-rt-14-dev
                  gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm
                  python3-matplotlib)

ensure_packages() {
  local missing=()
  for p in "${HTTUSIM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "httusim: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# Configure and build; the compiler's output goes to build/build.log and is shown only on failure.
build_httusim() {
  local jobs log
  jobs=$(nproc 2>/dev/null || echo 2)
  mkdir -p "$HTTUSIM_BUILD"
  log="$HTTUSIM_BUILD/build.log"
  echo "httusim: building in $HTTUSIM_BUILD (log: $log)" >&2
  if ! { [ -f "$HTTUSIM_BUILD/CMakeCache.txt" ] ||
         cmake -S "$HTTUSIM_ROOT" -B "$HTTUSIM_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
               "${HTTUSIM_CMAKE_ARGS[@]}"; } >"$log" 2>&1 ||
     ! cmake --build "$HTTUSIM_BUILD" -j"$jobs" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "httusim: build failed (full log: $log)" >&2
    return 1
  fi
}
