#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds
# into build/, then runs driftline on real data (MovieTweetings, data/):
#   1. converts the ratings to events and trains the base model on the first
#      80% of time (point-in-time cut), twice, checking the artifact is
#      byte-identical (reproducible);
#   2. starts a node (router, 16 partition learners, coordinator; RocksDB in
#      build/quickstart/node), registers and activates the model;
#   3. asks for predictions for a few users, streams the last 20% of events
#      through `driftline send`, and asks again: the per-user and per-arm
#      deltas move the scores;
#   4. stalls every partition to show the fallback to the base model, then
#      shows the partitions catching up;
#   5. prints the offline evaluation table (stale base vs hybrid vs online)
#      and stops the node cleanly.
# Idempotent: everything it writes goes to build/quickstart/ (the node's data
# dir is recreated each run). Port: $DRIFTLINE_PORT, default 7400.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install_deps.sh
./deploy/build.sh build

bin=build/cli/driftline
work=build/quickstart
port="${DRIFTLINE_PORT:-7400}"
endpoint="tcp://127.0.0.1:$port"
cut=1368706380000   # 2013-05-16 12:13 UTC: 80% of the ratings are at or before it
mkdir -p "$work"
say() { printf '\n[quickstart] %s\n' "$*"; }

say "converting MovieTweetings ratings to events: $work/movietweetings.jsonl"
"$bin" convert --from movietweetings data/movietweetings/ratings.dat > "$work/movietweetings.jsonl"
awk -F'[:,]' -v cut="$cut" '$2 > cut' "$work/movietweetings.jsonl" > "$work/after-cut.jsonl"

say "training the base model on labels known at or before $cut (twice: it must be reproducible)"
hash1=$("$bin" train --events "$work/movietweetings.jsonl" --until "$cut" --out "$work/base.model")
hash2=$("$bin" train --events "$work/movietweetings.jsonl" --until "$cut" --out "$work/base-again.model" 2>/dev/null)
if cmp -s "$work/base.model" "$work/base-again.model" && [ "$hash1" = "$hash2" ]; then
  echo "[quickstart] reproducible: both trainings wrote the same bytes, content hash $hash1"
else
  echo "[quickstart] ERROR: two trainings on the same snapshot differ" >&2
  exit 1
fi

say "starting a node on $endpoint (data dir $work/node)"
rm -rf "$work/node"
"$bin" node --data-dir "$work/node" --listen "$endpoint" --enable-fault-injection 2> "$work/node.log" &
node_pid=$!
trap 'kill -TERM $node_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  "$bin" status --node "$endpoint" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.log" >&2; echo "[quickstart] the node did not start" >&2; exit 1; }
  sleep 0.2
done
version=$("$bin" model register --node "$endpoint" "$work/base.model" 2>/dev/null)
"$bin" model activate --node "$endpoint" "$version" >/dev/null
echo "[quickstart] model $version registered and active"

# Three of the users most active after the cut, each with the first three
# movies they rate after it (one awk pass; no pipes that head would cut).
declare -A candidates outcomes
while read -r u items labels; do
  candidates[$u]=$items
  outcomes[$u]=$labels
done < <(awk -F'"' '{
    u = ""; it = ""; y = "?"
    for (i = 1; i < NF; i++) {
      if ($i == "user" && u == "") u = $(i + 2)
      if ($i == "item" && it == "") it = $(i + 2)   # the first one is the event item, not a namespace
      if ($i == "label") y = substr($(i + 1), 2, 1)
    }
    n[u]++
    if (c[u] < 3) { m[u] = m[u] (c[u] ? "," : "") it; l[u] = l[u] (c[u] ? "," : "") it "=" y; c[u]++ }
  } END { for (u in n) print n[u], u, m[u], l[u] }' "$work/after-cut.jsonl" | sort -k1,1nr -k2,2 | awk 'NR <= 3 {print $2, $3, $4}')
users="${!candidates[*]}"
predict_all() {
  for u in $users; do
    printf '  user %-6s ' "$u"
    "$bin" predict --router "$endpoint" --user "$u" --candidates "${candidates[$u]}" --ts "$cut" "$@"
  done
}

say "predictions before the users' new events (base model + empty deltas)"
predict_all
say "streaming the $(wc -l < "$work/after-cut.jsonl") events after the cut through driftline send"
"$bin" send --router "$endpoint" "$work/after-cut.jsonl"
say "the same predictions after: the deltas moved the scores towards what these users did"
predict_all
for u in $users; do echo "  user $u liked (1) or not (0): ${outcomes[$u]}"; done

say "stalling every partition for 3 s: replies fall back to the base model within their deadline"
for p in $(seq 0 15); do "$bin" stall --node "$endpoint" --partition "$p" --ms 3000 >/dev/null; done
predict_all --deadline-ms 20
sleep 3.5
say "the partitions are back and caught up"
predict_all

say "node status"
"$bin" status --node "$endpoint"

say "offline evaluation of the same split (progressive validation)"
"$bin" evaluate --model "$work/base.model" --events "$work/movietweetings.jsonl" --from "$cut" 2>/dev/null

say "stopping the node (SIGTERM: checkpoint, close RocksDB, exit 0)"
trap - EXIT
kill -TERM "$node_pid"
if wait "$node_pid"; then
  echo "[quickstart] node stopped cleanly. Next: ./deploy/test.sh runs the tests."
else
  echo "[quickstart] ERROR: the node exited with $?" >&2
  exit 1
fi
