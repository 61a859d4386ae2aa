// The serializable state of one partition: what a checkpoint holds. The live
// state is PartitionState (learning/partition_state.h); Snapshot()/Restore()
// convert exactly, so restore + replay of the log suffix equals a run that
// never stopped. Every list is sorted by key so the encoding is canonical.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "learning/event.h"
#include "learning/ftrl.h"

namespace driftline {

struct DeltaCoordinate {
  uint32_t index = 0;
  FtrlState state;
  bool operator==(const DeltaCoordinate& o) const { return index == o.index && state == o.state; }
};

// One user's correction layer.
struct UserDeltaSnapshot {
  std::string user;
  std::vector<DeltaCoordinate> coords;  // ascending index
  // Event time (partition clock) of the last update; drives eviction
  // (OnlineOptions::state_ttl_ms).
  int64_t last_touch_ms = 0;
  bool operator==(const UserDeltaSnapshot& o) const {
    return user == o.user && coords == o.coords && last_touch_ms == o.last_touch_ms;
  }
};

// One arm's online state: its delta layer and its bandit posteriors.
struct ArmSnapshot {
  std::string arm;
  std::vector<DeltaCoordinate> coords;  // ascending index
  double successes = 0.0;               // Beta-Bernoulli evidence
  double failures = 0.0;
  // Linear contextual bandit (disjoint LinUCB / linear TS) per arm:
  // A = lambda*I + sum x x^T (row-major, dim*dim) and b = sum r x (dim).
  // Empty when the arm has seen no context yet.
  std::vector<double> linear_a;
  std::vector<double> linear_b;
  int64_t last_touch_ms = 0;  // event time of the last update (eviction)
  bool operator==(const ArmSnapshot& o) const {
    return arm == o.arm && coords == o.coords && successes == o.successes &&
           failures == o.failures && linear_a == o.linear_a && linear_b == o.linear_b &&
           last_touch_ms == o.last_touch_ms;
  }
};

// A prediction waiting for its outcome (delayed label).
struct PendingPrediction {
  std::string prediction_id;
  std::string user;
  std::string chosen;          // the arm shown
  double propensity = 1.0;     // probability the policy chose `chosen`
  std::string model_version;   // base model that scored it
  int64_t ts_ms = 0;           // when it was made (event time, not wall clock)
  FeatureSet features;         // the features the score used (user context + chosen item)
  // The parts of the chosen arm's score when it was predicted; the outcome's
  // gradient is taken at exactly this score.
  double base_logit = 0.0;
  double user_logit = 0.0;
  double arm_logit = 0.0;
  bool operator==(const PendingPrediction& o) const {
    return prediction_id == o.prediction_id && user == o.user && chosen == o.chosen &&
           propensity == o.propensity && model_version == o.model_version &&
           ts_ms == o.ts_ms && features == o.features && base_logit == o.base_logit &&
           user_logit == o.user_logit && arm_logit == o.arm_logit;
  }
};

// A labelled example kept for replay, with the base and arm parts of its
// score as they were when it was learned (the partition that replays it owns
// only the user part).
struct ReplayExample {
  Event event;  // label set
  double base_logit = 0.0;
  double arm_logit = 0.0;
  bool operator==(const ReplayExample& o) const {
    return event == o.event && base_logit == o.base_logit && arm_logit == o.arm_logit;
  }
};

// Where an arm update was made: the source partition's log sequence of the
// record whose application produced it, and its index among that record's
// arm updates. Totally ordered per source; {0, 0} means "none" (log
// sequences start at 1).
struct ArmOrdinal {
  uint64_t sequence = 0;
  uint32_t index = 0;
  bool none() const { return sequence == 0 && index == 0; }
  bool operator==(const ArmOrdinal& o) const { return sequence == o.sequence && index == o.index; }
  bool operator!=(const ArmOrdinal& o) const { return !(*this == o); }
  bool operator<(const ArmOrdinal& o) const {
    return sequence != o.sequence ? sequence < o.sequence : index < o.index;
  }
};

// An ordinal tied to a partition: at an arm's partition, the high-water mark
// of what it logged from that source; at a source, the last ordinal it sent
// to that destination.
struct ArmWatermark {
  uint32_t partition = 0;
  ArmOrdinal ordinal;
  bool operator==(const ArmWatermark& o) const {
    return partition == o.partition && ordinal == o.ordinal;
  }
};

// The arm's share of a labelled update, produced by the user's partition and
// applied by the arm's partition: the same residual the user's layer took.
// Delivered exactly once by learning/arm_update_delivery.h.
struct ArmUpdateInput {
  std::string update_id;  // the event or prediction id it came from, for people; may be empty
  std::string arm;
  std::string user;       // whose features (identity included) x was built from
  FeatureSet features;
  double residual = 0.0;  // d loss / d score at the combined score
  int label = 0;
  int64_t ts_ms = 0;
  // Its identity: (source_partition, ordinal). Stamped by the source's
  // journal; none for an in-process delivery (the offline evaluator), which
  // is applied without de-duplication.
  uint32_t source_partition = 0;
  ArmOrdinal ordinal;
  // The ordinal of the update this source sent to the same arm partition
  // just before this one (none for the first): the receiver refuses an update
  // whose predecessor it has not logged, so redelivery can never skip one.
  ArmOrdinal previous;
  bool operator==(const ArmUpdateInput& o) const {
    return update_id == o.update_id && arm == o.arm && user == o.user &&
           features == o.features && residual == o.residual && label == o.label &&
           ts_ms == o.ts_ms && source_partition == o.source_partition &&
           ordinal == o.ordinal && previous == o.previous;
  }
};

struct PartitionSnapshot {
  uint32_t partition = 0;
  uint64_t epoch = 0;            // ownership epoch that wrote it
  uint64_t applied_sequence = 0; // last event-log sequence folded in
  std::vector<UserDeltaSnapshot> users;      // ascending user
  std::vector<ArmSnapshot> arms;             // ascending arm
  std::vector<PendingPrediction> pending;    // ascending prediction_id
  std::vector<ReplayExample> replay;         // replay reservoir, in slot order
  std::vector<std::string> recent_event_ids; // de-duplication window, oldest first
  std::vector<uint64_t> rng_state;           // the partition's seeded generator
  uint64_t events_seen = 0;                  // labelled examples offered to the reservoir
  int64_t clock_ms = 0;                      // latest event time applied (drives expiry)
  // Arm updates this partition produced that no arm partition has confirmed
  // logging yet; redelivered after a restart. Ascending ordinal. Kept by the
  // sender side of learning/arm_update_delivery.h, not by PartitionState.
  std::vector<ArmUpdateInput> outbox;
  // Per source partition: the last arm update logged here (ascending
  // partition). The exact de-duplication state of arm updates.
  std::vector<ArmWatermark> arm_high_water;
  // Per destination partition: the last arm update this partition sent there
  // (ascending partition); the next one names it as its predecessor.
  std::vector<ArmWatermark> arm_last_sent;
  // The options that shape what this partition learns
  // (learning/online_options_fingerprint.h); a restore with other options is
  // refused. Empty in checkpoints written before it existed.
  std::string options_fingerprint;
  // The last model activation applied here (ModelSwitchInput: the node's
  // activation number and the version); 0 and "" before the first.
  uint64_t model_activation = 0;
  std::string model_version;
  bool operator==(const PartitionSnapshot& o) const {
    return partition == o.partition && epoch == o.epoch &&
           applied_sequence == o.applied_sequence && users == o.users && arms == o.arms &&
           pending == o.pending && replay == o.replay &&
           recent_event_ids == o.recent_event_ids && rng_state == o.rng_state &&
           events_seen == o.events_seen && clock_ms == o.clock_ms && outbox == o.outbox &&
           arm_high_water == o.arm_high_water && arm_last_sent == o.arm_last_sent &&
           options_fingerprint == o.options_fingerprint &&
           model_activation == o.model_activation && model_version == o.model_version;
  }
};

}  // namespace driftline
