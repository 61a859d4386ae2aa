// What a partition applies, in the order of its log. A partition's state is a
// pure function of its checkpoint and the inputs after it, so every input
// carries the score parts that were computed elsewhere (the base logit by the
// router, the arm logit by the arm's partition): replaying the log never asks
// anyone anything.
//
// Plain values: the codec (protocol/) turns them into event-log records and
// the actors into messages that could cross a process boundary.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "learning/delta_transform.h"
#include "learning/event.h"
#include "learning/partition_snapshot.h"

namespace driftline {

// An event for the user's partition. A labelled event without a prediction
// id updates the user's delta at base_logit + user + arm_logit; an outcome
// (prediction id + label) joins its pending prediction and uses the parts
// recorded there (base_logit/arm_logit here are then ignored); an unlabelled
// event only advances the partition's event time.
struct EventInput {
  Event event;
  double base_logit = 0.0;  // the base model's logit for (user, item, features)
  double arm_logit = 0.0;   // the arm's delta, read at the arm's partition
  bool operator==(const EventInput& o) const {
    return event == o.event && base_logit == o.base_logit && arm_logit == o.arm_logit;
  }
};

// A prediction to remember until its outcome arrives (delayed label).
struct PredictionInput {
  PendingPrediction prediction;
  bool operator==(const PredictionInput& o) const { return prediction == o.prediction; }
};

// ArmUpdateInput (the arm's share of a labelled update) is declared in
// learning/partition_snapshot.h: unconfirmed ones travel in checkpoints.

// A new base model was activated: transform the deltas as the activation
// says (learning/delta_transform.h). Logged like any input, so a restore plus
// the log replays it at the same place. `activation` is the node's activation
// number (>= 1, rising): one at or below the partition's last is a
// duplicate and changes nothing, so a re-sent activation applies once.
struct ModelSwitchInput {
  uint64_t activation = 0;
  std::string version;
  DeltaTransform deltas;
  bool operator==(const ModelSwitchInput& o) const {
    return activation == o.activation && version == o.version && deltas == o.deltas;
  }
};

// A user asked to be forgotten (`driftline forget`): everything the user's
// partition keeps keyed by the user goes (PartitionState::ForgetUser). Logged
// like any input, so a replay forgets again at the same point. Moves no
// clock, expires nothing, never a duplicate (forgetting twice is harmless).
struct ForgetInput {
  std::string user;
  bool operator==(const ForgetInput& o) const { return user == o.user; }
};

// What applying a ForgetInput removed (PartitionState::ForgetUser).
struct ForgetReport {
  bool delta = false;   // the user had a delta layer
  uint32_t pending = 0; // pending predictions of the user
  uint32_t replay = 0;  // the user's examples in the replay reservoir
  bool operator==(const ForgetReport& o) const {
    return delta == o.delta && pending == o.pending && replay == o.replay;
  }
};

using PartitionInput =
    std::variant<EventInput, PredictionInput, ArmUpdateInput, ModelSwitchInput, ForgetInput>;

// What applying one input did, for counters and for the caller to route.
struct ApplyResult {
  enum class Kind {
    kLearned,            // a labelled update was applied
    kRemembered,         // a prediction is now pending
    kAdvanced,           // an unlabelled event: only time moved
    kDuplicate,          // its event id (or update id) was seen: nothing applied
    kUnknownPrediction,  // an outcome for an unknown or expired prediction: nothing applied
    kRejected,           // invalid for this state (e.g. a prediction id already pending)
    kModelSwitched,      // a model activation transformed the deltas
    kForgotten,          // a ForgetInput was applied: `forgotten` says what went
  };
  Kind kind = Kind::kAdvanced;
  // Arm updates to deliver to the arms' partitions (possibly this one), in order.
  std::vector<ArmUpdateInput> arm_updates;
  size_t expired_labelled = 0;  // pending predictions that expired and took the default label
  size_t expired_dropped = 0;   // pending predictions that expired without a default label
  ForgetReport forgotten;       // kForgotten only
};

}  // namespace driftline
