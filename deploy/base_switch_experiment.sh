#!/usr/bin/env bash
# The measurement behind the default of `driftline model activate --deltas`
# (docs/evaluation.md, "A new base model and the old deltas"):
#   1. base A trained on MovieTweetings labels known at or before the 50 %
#      time cut, base B on those known at or before the 80 % cut
#      (point-in-time: `train --until` checks exposure and label times);
#   2. the events after 50 % replayed with A (progressive validation, deltas
#      learned online), B activated at 80 %, and the last 20 % scored with
#      each delta transform: keep, reset, decay at a few factors.
# Prints one table row per transform (the "after switch" figures of the
# hybrid; base = B alone, frozen). Deterministic: same data, same numbers.
# Usage: [BATCH=N] deploy/base_switch_experiment.sh [BUILD_DIR]   (default build/, batch 1)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build}/cli/driftline"
work="${1:-build}/base-switch"
cut50=1366066660000   # 2013-04-15 22:57:40 UTC: 50 % of the ratings at or before it
cut80=1368706380000   # 2013-05-16 12:13 UTC: 80 %
mkdir -p "$work"
"$bin" convert --from movietweetings data/movietweetings/ratings.dat > "$work/mt.jsonl"
"$bin" train --events "$work/mt.jsonl" --until "$cut50" --out "$work/a.model" >/dev/null
"$bin" train --events "$work/mt.jsonl" --until "$cut80" --out "$work/b.model" >/dev/null

batch="${BATCH:-1}"   # events per batch, as `evaluate --batch`
echo "| at 80 % | deltas | n | hybrid log loss | hybrid AUC | base alone log loss | base alone AUC |"
echo "|---|---|---:|---:|---:|---:|---:|"
# First row: no switch at all (A all along: switching to A itself with keep
# is exactly no switch, tests/learning/evaluator_test.cc).
for run in a:keep b:keep b:reset b:decay:0.1 b:decay:0.25 b:decay:0.35 b:decay:0.5 b:decay:0.75 b:decay:0.9; do
  model="${run%%:*}"
  deltas="${run#*:}"
  json=$("$bin" evaluate --model "$work/a.model" --events "$work/mt.jsonl" --from "$cut50" --batch "$batch" \
           --switch-model "$work/$model.model" --switch-at "$cut80" --deltas "$deltas" --json 2>/dev/null)
  python3 -c '
import json, sys
r = json.loads(sys.argv[1]); h = r["modes"]["hybrid"]["after_switch"]; b = r["modes"]["base"]["after_switch"]
print("| %s | %s | %d | %.4f | %.4f | %.4f | %.4f |" % (sys.argv[2], sys.argv[3], h["n"], h["logloss"], h["auc"], b["logloss"], b["auc"]))
' "$json" "$([ "$model" = a ] && echo "no switch (A kept)" || echo "B activated")" "$deltas"
done
