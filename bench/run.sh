#!/bin/sh
# Builds driftline_bench and the driftline binary (RelWithDebInfo, the default
# build in build/; BUILD_DIR overrides) and runs the bench. Extra arguments go
# to driftline_bench (e.g. --quick, --rate 1000, --samples 50000; see --help).
# The output ends with four lines:
#   RATIO predict_p50 <x>   RATIO predict_p99 <x>   (driftline / raw latency)
#   RATIO ingest_wal <x>    RATIO ingest_fsync <x>  (driftline / raw floor throughput)
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" --target driftline_bench driftline -j2 >&2
exec "$BUILD_DIR/bench/driftline_bench" --driftline "$BUILD_DIR/cli/driftline" \
  --data data/movietweetings/ratings.dat "$@"
