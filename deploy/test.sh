#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   deploy/test.sh             normal build in build/
#   deploy/test.sh --sanitize  ASan + UBSan build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install_deps.sh
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  ./deploy/build.sh "$dir" -DDRIFTLINE_SANITIZE=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir=build
  ./deploy/build.sh "$dir"
fi
echo "[test] running ctest in $dir"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
echo "[test] all tests passed ($dir)"
