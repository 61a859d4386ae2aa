// Plain C++ structs for every message on the client wire. The codec
// (protocol/codec.h) is the only code that sees Cap'n Proto generated types;
// everything else uses these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/delta_transform.h"
#include "learning/event.h"

namespace driftline {

// A batch of events sent for ingestion. Acknowledged as a whole.
struct EventBatch {
  uint64_t batch_id = 0;        // chosen by the sender, echoed in the ack
  std::vector<Event> events;
  bool operator==(const EventBatch& o) const { return batch_id == o.batch_id && events == o.events; }
};

// The answer to an EventBatch, sent once every event in it is durable in its
// partition's log or known as a duplicate. accepted + duplicates counts the
// whole batch.
struct BatchAck {
  uint64_t batch_id = 0;    // the EventBatch's batch_id
  uint32_t accepted = 0;    // events appended to a log
  uint32_t duplicates = 0;  // events dropped because their event_id was seen
  bool operator==(const BatchAck& o) const {
    return batch_id == o.batch_id && accepted == o.accepted && duplicates == o.duplicates;
  }
};

struct Candidate {
  std::string item;
  FeatureSet features;  // item-side features (namespaces)
  bool operator==(const Candidate& o) const { return item == o.item && features == o.features; }
};

struct PredictRequest {
  uint64_t request_id = 0;      // echoed in the reply
  std::string user;
  FeatureSet context;           // user / request-side features
  std::vector<Candidate> candidates;
  uint32_t deadline_ms = 0;     // 0: the server's default
  bool explore = false;         // choose with the exploration policy
  int64_t ts_ms = 0;            // event time of the request; 0: server's clock
  bool operator==(const PredictRequest& o) const {
    return request_id == o.request_id && user == o.user && context == o.context &&
           candidates == o.candidates && deadline_ms == o.deadline_ms &&
           explore == o.explore && ts_ms == o.ts_ms;
  }
};

struct ScoredCandidate {
  std::string item;
  double probability = 0.0;
  bool operator==(const ScoredCandidate& o) const { return item == o.item && probability == o.probability; }
};

struct PredictReply {
  uint64_t request_id = 0;
  std::string prediction_id;
  std::string model_version;
  std::vector<ScoredCandidate> scores;  // in request order
  std::string chosen;
  double propensity = 1.0;
  uint32_t propensity_samples = 0;      // 0: exact; else Monte Carlo draws used
  bool fallback = false;
  std::string fallback_reason;          // empty unless fallback
  // True: the prediction was logged at the user's partition before this reply
  // left, so an outcome with prediction_id joins it (also after a kill -9).
  // False: the node could not confirm that within the deadline (or logging
  // failed); an outcome with this id may not be joined. Why: unjoinable_reason.
  bool joinable = true;
  std::string unjoinable_reason;        // empty when joinable
  bool operator==(const PredictReply& o) const {
    return request_id == o.request_id && prediction_id == o.prediction_id &&
           model_version == o.model_version && scores == o.scores && chosen == o.chosen &&
           propensity == o.propensity && propensity_samples == o.propensity_samples &&
           fallback == o.fallback && fallback_reason == o.fallback_reason &&
           joinable == o.joinable && unjoinable_reason == o.unjoinable_reason;
  }
};

struct ErrorReply {
  uint64_t request_id = 0;
  Status::Code code = Status::Code::kInvalidArgument;
  std::string message;
  bool operator==(const ErrorReply& o) const {
    return request_id == o.request_id && code == o.code && message == o.message;
  }
};

// ---- Administration (model registry, status, fault injection) ----------

// Validate and store an artifact in the node's registry.
struct ModelRegisterRequest {
  uint64_t request_id = 0;
  std::string artifact;  // the artifact file's bytes (protocol/codec.h EncodeArtifact)
  bool operator==(const ModelRegisterRequest& o) const {
    return request_id == o.request_id && artifact == o.artifact;
  }
};

// Switch the router and every partition to a registered version; every
// partition transforms its deltas as `deltas` says (learning/delta_transform.h;
// unset: the node's default, DefaultDeltaTransform()).
struct ModelActivateRequest {
  uint64_t request_id = 0;
  std::string version;
  std::optional<DeltaTransform> deltas;
  bool operator==(const ModelActivateRequest& o) const {
    return request_id == o.request_id && version == o.version && deltas == o.deltas;
  }
};

// Return to the version active before the current one (deltas: as above).
struct ModelRollbackRequest {
  uint64_t request_id = 0;
  std::optional<DeltaTransform> deltas;
  bool operator==(const ModelRollbackRequest& o) const {
    return request_id == o.request_id && deltas == o.deltas;
  }
};

// The answer to register (the stored version), activate and rollback (the
// version now active).
struct ModelReply {
  uint64_t request_id = 0;
  std::string version;
  std::string content_hash;
  // Activate and rollback: the delta transform every partition applied.
  std::optional<DeltaTransform> deltas;
  bool operator==(const ModelReply& o) const {
    return request_id == o.request_id && version == o.version &&
           content_hash == o.content_hash && deltas == o.deltas;
  }
};

struct StatusRequest {
  uint64_t request_id = 0;
  bool operator==(const StatusRequest& o) const { return request_id == o.request_id; }
};

struct Counter {
  std::string name;  // e.g. "events_acked", "predict_fallback"
  int64_t value = 0;
  bool operator==(const Counter& o) const { return name == o.name && value == o.value; }
};

struct StatusReply {
  uint64_t request_id = 0;
  std::string active_version;  // empty when no model is active
  uint32_t partitions = 0;
  std::vector<Counter> counters;  // ascending name
  bool operator==(const StatusReply& o) const {
    return request_id == o.request_id && active_version == o.active_version &&
           partitions == o.partitions && counters == o.counters;
  }
};

// Fault injection (refused unless the node enables it): the partition
// processes nothing for duration_ms, then catches up.
struct StallPartitionRequest {
  uint64_t request_id = 0;
  uint32_t partition = 0;
  uint32_t duration_ms = 0;
  bool operator==(const StallPartitionRequest& o) const {
    return request_id == o.request_id && partition == o.partition && duration_ms == o.duration_ms;
  }
};

// `driftline forget`: remove everything the user's partition keeps keyed by
// the user. Answered with a ForgetUserReply once the request is in the
// partition's durable log and applied (so it survives a kill -9).
struct ForgetUserRequest {
  uint64_t request_id = 0;
  std::string user;
  bool operator==(const ForgetUserRequest& o) const {
    return request_id == o.request_id && user == o.user;
  }
};

// What a forget removed at the user's partition.
struct ForgetUserReply {
  uint64_t request_id = 0;
  std::string user;
  uint32_t partition = 0;        // the user's partition
  bool delta_removed = false;    // the user had a delta layer
  uint32_t pending_removed = 0;  // pending predictions of the user
  uint32_t replay_removed = 0;   // the user's examples in the replay reservoir
  bool operator==(const ForgetUserReply& o) const {
    return request_id == o.request_id && user == o.user && partition == o.partition &&
           delta_removed == o.delta_removed && pending_removed == o.pending_removed &&
           replay_removed == o.replay_removed;
  }
};

// A plain acknowledgement (e.g. of a stall).
struct OkReply {
  uint64_t request_id = 0;
  std::string message;
  bool operator==(const OkReply& o) const { return request_id == o.request_id && message == o.message; }
};

}  // namespace driftline
