// Plain C++ structs for the cluster wire: what a router, a coordinator and
// the other shards send a shard, and what it answers (docs/cluster.md, "Wire
// messages"). The codec (protocol/shard_codec.h) is the only code that sees
// their Cap'n Proto form (driftline.capnp, ShardFrame).
//
// Every message that reads or changes a partition names it with the epoch the
// sender believes its owner has (PartitionEpoch); the receiver refuses any
// other epoch with a ShardError (stale_epoch set) that names the partition,
// the epoch it got and its own (cluster/epoch_fence.h). Replies name the
// partition and epoch that answered.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "learning/feature_hasher.h"
#include "learning/partition_input.h"

namespace driftline {

struct PartitionEpoch {
  uint32_t partition = 0;
  uint64_t epoch = 0;  // 0 is never an owner's epoch (epochs start at 1)
  bool operator==(const PartitionEpoch& o) const {
    return partition == o.partition && epoch == o.epoch;
  }
};

// router -> shard: the user's delta for each candidate's delta features.
struct UserPartRead {
  uint64_t request_id = 0;
  PartitionEpoch target;  // the user's partition
  std::string user;
  std::vector<SparseFeatures> candidates;
  bool operator==(const UserPartRead& o) const;
};

struct UserPartReply {
  uint64_t request_id = 0;
  PartitionEpoch source;
  std::vector<double> logits;  // one per candidate, in request order
  bool operator==(const UserPartReply& o) const {
    return request_id == o.request_id && source == o.source && logits == o.logits;
  }
};

// router -> shard: each arm's delta and Beta-Bernoulli evidence.
struct ArmPartsRead {
  uint64_t request_id = 0;
  PartitionEpoch target;  // the arms' partition
  std::vector<std::pair<std::string, SparseFeatures>> arms;
  bool operator==(const ArmPartsRead& o) const;
};

// One arm's part (learning/partition_learner.h ArmView, as it travels).
struct ArmPartView {
  double logit = 0.0;
  double successes = 0.0;
  double failures = 0.0;
  bool operator==(const ArmPartView& o) const {
    return logit == o.logit && successes == o.successes && failures == o.failures;
  }
};

struct ArmPartsReply {
  uint64_t request_id = 0;
  PartitionEpoch source;
  std::vector<ArmPartView> views;  // one per arm, in request order
  bool operator==(const ArmPartsReply& o) const {
    return request_id == o.request_id && source == o.source && views == o.views;
  }
};

// router -> shard: one partition's share of an event batch (events and
// outcomes), answered only after the accepted inputs are durable.
struct EventAppend {
  uint64_t request_id = 0;
  PartitionEpoch target;  // the users' partition
  std::vector<EventInput> inputs;
  bool operator==(const EventAppend& o) const {
    return request_id == o.request_id && target == o.target && inputs == o.inputs;
  }
};

struct EventAppendReply {
  uint64_t request_id = 0;
  PartitionEpoch source;
  uint32_t accepted = 0;    // logged and applied
  uint32_t duplicates = 0;  // dropped as already logged
  uint32_t rejected = 0;    // refused (invalid, too far ahead): never logged
  std::string first_rejection;
  bool operator==(const EventAppendReply& o) const {
    return request_id == o.request_id && source == o.source && accepted == o.accepted &&
           duplicates == o.duplicates && rejected == o.rejected &&
           first_rejection == o.first_rejection;
  }
};

// router -> shard: a prediction to log before the predict's reply. Answered
// with ShardOk once durable.
struct PredictionAppend {
  uint64_t request_id = 0;
  PartitionEpoch target;  // the user's partition
  PredictionInput prediction;
  bool operator==(const PredictionAppend& o) const {
    return request_id == o.request_id && target == o.target && prediction == o.prediction;
  }
};

// shard -> shard: stamped arm updates of one source partition for one arm
// partition, in ordinal order (learning/arm_update_delivery.h). Answered with
// ArmUpdateConfirm.
struct ArmUpdateBatch {
  uint64_t request_id = 0;
  PartitionEpoch source;  // the sending partition and its own epoch
  PartitionEpoch target;  // the arm's partition, as the sender's map knows it
  std::vector<ArmUpdateInput> updates;
  bool operator==(const ArmUpdateBatch& o) const {
    return request_id == o.request_id && source == o.source && target == o.target &&
           updates == o.updates;
  }
};

// shard -> shard: the arm's partition `source` logged every update of
// `target`'s partition up to high_water.
struct ArmUpdateConfirm {
  uint64_t request_id = 0;
  PartitionEpoch source;  // the confirming arm partition
  PartitionEpoch target;  // the source partition confirmed to
  ArmOrdinal high_water;
  bool operator==(const ArmUpdateConfirm& o) const {
    return request_id == o.request_id && source == o.source && target == o.target &&
           high_water == o.high_water;
  }
};

// coordinator -> shard: serve `version` on the listed partitions (each at the
// epoch the coordinator assigned); `artifact` carries the model's bytes when
// the shard may not hold it (empty: it does).
struct ModelActivation {
  uint64_t request_id = 0;
  std::string version;
  std::vector<PartitionEpoch> partitions;
  std::string artifact;
  bool operator==(const ModelActivation& o) const {
    return request_id == o.request_id && version == o.version && partitions == o.partitions &&
           artifact == o.artifact;
  }
};

// A refusal. stale_epoch: the message named an epoch at which the receiver
// does not own current.partition; current.epoch is the receiver's (0: it
// does not own it at all), got_epoch the message's.
struct ShardError {
  uint64_t request_id = 0;
  Status::Code code = Status::Code::kUnavailable;
  std::string message;
  bool stale_epoch = false;
  PartitionEpoch current;
  uint64_t got_epoch = 0;
  bool operator==(const ShardError& o) const {
    return request_id == o.request_id && code == o.code && message == o.message &&
           stale_epoch == o.stale_epoch && current == o.current && got_epoch == o.got_epoch;
  }
};

struct ShardOk {
  uint64_t request_id = 0;
  PartitionEpoch source;
  std::string message;
  bool operator==(const ShardOk& o) const {
    return request_id == o.request_id && source == o.source && message == o.message;
  }
};

// Is the shard there? Answered with the same ShardPing.
struct ShardPing {
  uint64_t request_id = 0;
  bool operator==(const ShardPing& o) const { return request_id == o.request_id; }
};

using ShardMessage =
    std::variant<UserPartRead, UserPartReply, ArmPartsRead, ArmPartsReply, EventAppend,
                 EventAppendReply, PredictionAppend, ArmUpdateBatch, ArmUpdateConfirm,
                 ModelActivation, ShardError, ShardOk, ShardPing>;

// The kind's name ("UserPartRead", ...), for messages and counters.
const char* ShardMessageName(const ShardMessage& message);

// The request id every shard message carries (replies echo the request's).
uint64_t ShardRequestId(const ShardMessage& message);

inline bool SameSparse(const SparseFeatures& a, const SparseFeatures& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].value != b[i].value) return false;
  }
  return true;
}

inline bool UserPartRead::operator==(const UserPartRead& o) const {
  if (!(request_id == o.request_id && target == o.target && user == o.user &&
        candidates.size() == o.candidates.size())) {
    return false;
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!SameSparse(candidates[i], o.candidates[i])) return false;
  }
  return true;
}

inline bool ArmPartsRead::operator==(const ArmPartsRead& o) const {
  if (!(request_id == o.request_id && target == o.target && arms.size() == o.arms.size())) {
    return false;
  }
  for (size_t i = 0; i < arms.size(); ++i) {
    if (arms[i].first != o.arms[i].first || !SameSparse(arms[i].second, o.arms[i].second)) {
      return false;
    }
  }
  return true;
}

}  // namespace driftline
