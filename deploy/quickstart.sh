#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds
# into build/, then runs the offline half of driftline on real data:
#   1. converts the MovieTweetings ratings (data/movietweetings) to events,
#   2. trains the base model on the first 80% of time (point-in-time cut),
#   3. trains again and checks the artifact is byte-identical (reproducible),
#   4. replays the last 20% with progressive validation: the stale base vs the
#      hybrid (base + per-user and per-arm online deltas) vs online only.
# Idempotent; everything it writes goes to build/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/install_deps.sh
./deploy/build.sh build

bin=build/cli/driftline
work=build/quickstart
mkdir -p "$work"
cut=1368706380000   # 2013-05-16 12:13 UTC: 80% of the ratings are at or before it

echo "[quickstart] converting MovieTweetings ratings to events: $work/movietweetings.jsonl"
"$bin" convert --from movietweetings data/movietweetings/ratings.dat > "$work/movietweetings.jsonl"

echo "[quickstart] training the base model on labels known at or before $cut"
hash1=$("$bin" train --events "$work/movietweetings.jsonl" --until "$cut" --out "$work/base.model")
hash2=$("$bin" train --events "$work/movietweetings.jsonl" --until "$cut" --out "$work/base-again.model" 2>/dev/null)
if cmp -s "$work/base.model" "$work/base-again.model" && [ "$hash1" = "$hash2" ]; then
  echo "[quickstart] reproducible: both trainings wrote the same bytes, content hash $hash1"
else
  echo "[quickstart] ERROR: two trainings on the same snapshot differ" >&2
  exit 1
fi

echo "[quickstart] replaying the events after the cut (predict, then learn)"
"$bin" evaluate --model "$work/base.model" --events "$work/movietweetings.jsonl" --from "$cut"
echo "[quickstart] done. Artifacts in $work/. Next: ./deploy/test.sh runs the tests."
