// PartitionLearner: the learning logic of one partition, as a plain class.
// It applies PartitionInputs (learning/partition_input.h) to a PartitionState
// in order, and answers the reads a predict needs. The partition actor owns
// one and feeds it its log; the offline evaluator owns one and feeds it a
// replay. Same code, same numbers: no training-serving skew.
//
// Determinism: the state after a sequence of inputs depends only on the
// inputs and the seed (no clock, one Rng inside the state).
// Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "learning/online_step.h"
#include "learning/partition_input.h"
#include "learning/partition_state.h"

namespace driftline {

// Running totals of what Apply did. Not part of checkpoints (they restart at
// zero with the process, like any metrics counter).
struct PartitionCounters {
  uint64_t learned = 0;             // labelled updates of a user layer
  uint64_t outcomes_joined = 0;     // outcomes that found their pending prediction
  uint64_t outcomes_unknown = 0;    // outcomes for unknown or expired predictions
  uint64_t duplicates = 0;          // inputs whose id was seen
  uint64_t predictions = 0;         // predictions remembered
  uint64_t rejected = 0;            // inputs refused by the state
  uint64_t expired_labelled = 0;    // expired predictions given the default label
  uint64_t expired_dropped = 0;     // expired predictions dropped
  uint64_t arm_updates = 0;         // arm updates applied here
  uint64_t arm_gaps = 0;            // arm updates refused: their predecessor is not logged here
  uint64_t unlabelled = 0;          // events that only advanced time
  uint64_t model_switches = 0;      // model activations that transformed the deltas
  uint64_t evicted_users = 0;       // user layers idle beyond state_ttl_ms, removed
  uint64_t evicted_arms = 0;        // arm states idle beyond state_ttl_ms, removed
  uint64_t forgotten_users = 0;     // ForgetInputs applied
};

// The de-duplication-window id of an input: the event id or "pred/" + the
// prediction id; "" when it has none. Arm updates have none: they are
// de-duplicated exactly by their source ordinal (learning/arm_update_delivery.h).
std::string DedupId(const PartitionInput& input);

// What the arm's partition knows about an arm for a predict.
struct ArmView {
  double logit = 0.0;      // the arm's delta for the given features
  double successes = 0.0;  // Beta-Bernoulli evidence
  double failures = 0.0;
};

class PartitionLearner {
 public:
  PartitionLearner(uint32_t partition, const OnlineOptions& options, uint64_t seed);
  // Corruption when the snapshot holds malformed bandit state.
  static Result<PartitionLearner> Restore(const PartitionSnapshot& snapshot,
                                          const OnlineOptions& options);

  // --- reads for predict ---
  double UserLogit(const std::string& user, const SparseFeatures& delta_x) const {
    return state_.UserLogit(user, delta_x);
  }
  ArmView Arm(const std::string& arm, const SparseFeatures& delta_x) const;

  // True if applying `input` now would be a duplicate (its DedupId is in the
  // de-duplication window; for an arm update, its ordinal is at or below its
  // source's high-water mark). Lets the owner skip logging it.
  bool IsDuplicate(const PartitionInput& input) const;

  // Applies one input. Expiry of pending predictions runs first, against the
  // input's event time. Arm updates in the result must be applied, in order,
  // by the arms' partitions.
  ApplyResult Apply(const PartitionInput& input);

  const PartitionCounters& counters() const { return counters_; }
  const PartitionState& state() const { return state_; }
  uint32_t partition() const { return state_.partition(); }
  PartitionSnapshot Snapshot(uint64_t epoch, uint64_t applied_sequence) const {
    return state_.Snapshot(epoch, applied_sequence);
  }

 private:
  explicit PartitionLearner(PartitionState state) : state_(std::move(state)) {}

  ApplyResult ApplyEvent(const EventInput& input);
  ApplyResult ApplyPrediction(const PredictionInput& input);
  ApplyResult ApplyArmUpdate(const ArmUpdateInput& input);
  ApplyResult ApplyModelSwitch(const ModelSwitchInput& input);
  ApplyResult ApplyForget(const ForgetInput& input);
  // Advances event time, expires pending predictions into `result`, then
  // evicts users and arms idle beyond state_ttl_ms.
  void AdvanceTo(int64_t ts_ms, ApplyResult& result);
  // The labelled update of the user's layer at `parts`; appends the arm's
  // share to result.arm_updates.
  void LearnUserAndForward(const std::string& id, const std::string& user,
                           const std::string& item, const FeatureSet& features,
                           const ScoreParts& parts, int label, int64_t ts_ms,
                           ApplyResult& result);
  void ReplayUserLayer();

  PartitionState state_;
  PartitionCounters counters_;
};

}  // namespace driftline
