#!/usr/bin/env bash
# Configures and builds driftline. Usage: deploy/build.sh [BUILD_DIR] [cmake args...]
# Default BUILD_DIR: build/. Idempotent: an existing build dir is rebuilt incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
generator=()
command -v ninja >/dev/null && [ ! -f "$dir/Makefile" ] && generator=(-G Ninja)
echo "[build] configuring $dir"
cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
echo "[build] compiling (this takes a few minutes on 2 cores the first time)"
cmake --build "$dir" -j "$(nproc)"
echo "[build] done: $dir/cli/driftline"
