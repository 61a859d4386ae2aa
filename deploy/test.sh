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
  # The load tests (label "load": predict floods, predicts under full ingest)
  # run in the normal build only: under ASan's 2-3x slowdown the flooded node
  # misses ZeroMQ heartbeats and clients report lost connections (a known
  # issue, docs/faults.md), which says nothing about memory safety.
  exclude=(-LE load)
else
  dir=build
  ./deploy/build.sh "$dir"
  exclude=()
fi
echo "[test] running ctest in $dir"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "${exclude[@]}"
echo "[test] all tests passed ($dir)"
