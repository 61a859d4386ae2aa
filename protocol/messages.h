// Plain C++ structs for every message on the client wire. The codec
// (protocol/codec.h) is the only code that sees Cap'n Proto generated types;
// everything else uses these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
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
  bool operator==(const PredictReply& o) const {
    return request_id == o.request_id && prediction_id == o.prediction_id &&
           model_version == o.model_version && scores == o.scores && chosen == o.chosen &&
           propensity == o.propensity && propensity_samples == o.propensity_samples &&
           fallback == o.fallback && fallback_reason == o.fallback_reason;
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

}  // namespace driftline
