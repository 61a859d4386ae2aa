#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (installing it if missing) and runs
# each for N seconds (default 60): every binary decoder (client frames, cluster frames,
# artifacts, checkpoints, event-log records) from protocol/fuzz/corpus, then the JSON and
# JSON Lines event parsers, then the partition protocol (one partition's
# journal and learner driven by arbitrary sequences of valid inputs, crashes
# and redeliveries; actors/fuzz/journal_fuzzer.cc). New inputs go to build-fuzz/corpus*; a crash leaves
# its input in build-fuzz/ and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
./deploy/install_deps.sh --with-clang
dir=build-fuzz
echo "[fuzz] configuring $dir with clang"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DDRIFTLINE_FUZZ=ON >/dev/null
# Only the fuzz targets: the instrumented protocol library needs the fuzzer's link flags.
cmake --build "$dir" --target protocol_decode_fuzzer event_line_fuzzer partition_journal_fuzzer \
  -j "$(nproc)"
mkdir -p "$dir/corpus" "$dir/corpus-jsonl" "$dir/corpus-journal"
printf '%s\n' '{"ts":1,"user":"u","item":"i","label":1,"event_id":"e","features":{"item":{"genre=Drama":1}}}' \
  > "$dir/corpus-jsonl/seed.json"
cp -n protocol/fuzz/corpus/* "$dir/corpus/" 2>/dev/null || true
echo "[fuzz] fuzzing the decoders for ${seconds}s"
cd "$dir"
./protocol/protocol_decode_fuzzer -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 corpus
echo "[fuzz] fuzzing the JSON and event-line parsers for ${seconds}s"
./protocol/event_line_fuzzer -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 corpus-jsonl
echo "[fuzz] fuzzing the partition protocol (journal + learner) for ${seconds}s"
./actors/partition_journal_fuzzer -max_total_time="$seconds" -max_len=2048 -len_control=0 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus-journal
echo "[fuzz] no findings"
