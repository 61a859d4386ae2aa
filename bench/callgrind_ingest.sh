#!/usr/bin/env bash
# Instructions a node spends to ingest the quickstart's 9999 MovieTweetings
# events (callgrind counts instructions, so the figure does not depend on how
# busy the machine is). Needs valgrind and ./deploy/quickstart.sh run once
# (for build/quickstart/{base.model,after-cut.jsonl}).
#   bench/callgrind_ingest.sh OUTDIR [VALGRIND_COLLECT_OPTION]
# Default option: --toggle-collect=driftline::PartitionJournal::LogAndApply*
# (the partition's log-and-apply step only); --collect-atstart=yes counts the
# whole node, start-up and shutdown included.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/callgrind_ingest.sh OUTDIR [VALGRIND_COLLECT_OPTION]}
collect=${2:---toggle-collect=driftline::PartitionJournal::LogAndApply*}
bin=build/cli/driftline
endpoint=tcp://127.0.0.1:${DRIFTLINE_PORT:-7491}
rm -rf "$out" && mkdir -p "$out"

valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$collect" \
  "$bin" node --data-dir "$out/node" --listen "$endpoint" 2> "$out/node.log" &
node_pid=$!
trap 'kill -TERM $node_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do "$bin" status --node "$endpoint" >/dev/null 2>&1 && break; sleep 0.5; done
version=$("$bin" model register --node "$endpoint" build/quickstart/base.model 2>/dev/null)
"$bin" model activate --node "$endpoint" "$version" >/dev/null
"$bin" send --router "$endpoint" build/quickstart/after-cut.jsonl 2>&1 | tail -1
kill -TERM "$node_pid"
wait "$node_pid"
trap - EXIT
callgrind_annotate --inclusive=yes "$out/cg.out" 2>/dev/null |
  grep -E "PROGRAM TOTALS|EncodePartitionInput|RocksEventLog::Append|PartitionLearner::Apply\(|ValidatePartitionInput" |
  head -6 | cut -c1-150
