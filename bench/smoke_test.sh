#!/bin/sh
# bench_smoke: driftline_bench --quick runs to the end and prints the four RATIO
# lines. No performance assertions.
# usage: smoke_test.sh BENCH DRIFTLINE RATINGS
set -u
out=$("$1" --quick --driftline "$2" --data "$3" --rate 1000 --samples 100 --warmup 20 --ingest-events 1000 --batch 100)
code=$?
echo "$out"
if [ "$code" -ne 0 ]; then echo "bench_smoke: driftline_bench exited $code"; exit 1; fi
for name in predict_p50 predict_p99 ingest_wal ingest_fsync; do
  if ! echo "$out" | grep -Eq "^RATIO $name [0-9]+(\.[0-9]+)?$"; then
    echo "bench_smoke: no 'RATIO $name <x>' line"; exit 1
  fi
done
echo "bench_smoke: ok"
