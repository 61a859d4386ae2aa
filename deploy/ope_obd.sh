#!/usr/bin/env bash
# Off-policy evaluation on the Open Bandit Dataset sample (docs/ope.md):
# the BTS policy's CTR estimated from the uniform-random log vs the BTS log's
# on-policy CTR, and driftline's own policies estimated on the random log.
# Usage: deploy/ope_obd.sh [BUILD_DIR] [WORK_DIR]   (defaults: build, a fresh temp dir)
# Deterministic: the same binary gives the same numbers (seeded Monte Carlo).
set -euo pipefail
cd "$(dirname "$0")/.."
D="${1:-build}/cli/driftline"
W="${2:-$(mktemp -d)}"
OBD=data/open_bandit_dataset
SPLIT=2019-11-27T12:00:00Z   # reward model / driftline policies: trained before, evaluated after
echo "[ope] work dir $W" >&2

"$D" convert --from obd --decisions "$OBD/random/men/men.csv" > "$W/random.decisions.jsonl"
"$D" convert --from obd --decisions "$OBD/bts/men/men.csv" > "$W/bts.decisions.jsonl"
"$D" convert --from obd "$OBD/random/men/men.csv" > "$W/random.events.jsonl"
# The base model on the random log's first half only (point-in-time: exposure and label <= SPLIT).
"$D" train --events "$W/random.events.jsonl" --until "$SPLIT" --out "$W/base.model" \
  --cross user:item,affinity:item --epochs 1 >&2

run() { echo; echo "\$ driftline evaluate-policy $*"; "$D" evaluate-policy "$@"; }
# 1. BTS from the random log, all 10,000 rows (IPS, SNIPS), and the BTS log's on-policy CTR.
run --log "$W/random.decisions.jsonl" --policy "bts:$OBD/bts_prior.csv"
run --log "$W/bts.decisions.jsonl" --policy "bts:$OBD/bts_prior.csv"
# 2. The same on the second half only, with DR (reward model trained on the first half).
run --log "$W/random.decisions.jsonl" --policy "bts:$OBD/bts_prior.csv" --from "$SPLIT" --reward-model "$W/base.model"
run --log "$W/bts.decisions.jsonl" --policy "bts:$OBD/bts_prior.csv" --from "$SPLIT"
# 3. driftline's policies on the random log's second half.
run --log "$W/random.decisions.jsonl" --policy "greedy:$W/base.model" --from "$SPLIT" --reward-model "$W/base.model"
run --log "$W/random.decisions.jsonl" --policy "thompson:$W/base.model" --from "$SPLIT" --reward-model "$W/base.model" \
  --samples 1000
run --log "$W/random.decisions.jsonl" --policy uniform --from "$SPLIT" --reward-model "$W/base.model"
