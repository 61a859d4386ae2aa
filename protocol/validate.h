// Semantic checks on the plain message structs: what a well-formed message
// must satisfy beyond parsing. The codec runs them on every decoded frame;
// the node runs them on requests that never went through bytes (in-process
// clients, the HTTP/JSON endpoint), so both paths refuse the same inputs.
//
// Every function returns Ok() or InvalidArgument (ResourceExhausted for a
// count above its limit) with a one-line message that names the offending
// field by path, e.g.
//   "events[3].features['user']['age'] must be finite, got nan".
// Pure functions of their arguments; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "learning/event.h"
#include "learning/model_artifact.h"
#include "protocol/messages.h"

namespace driftline {

// Count limits on message content.
struct ContentLimits {
  size_t max_events_per_batch = 10000;  // events in one EventBatch. Default: 10,000
  size_t max_candidates = 10000;        // candidates in one PredictRequest. Default: 10,000
};

// Every feature has a non-empty name and a finite value (no NaN, no +-Inf).
// Namespace names may be empty (the default namespace). `field` prefixes
// messages.
Status ValidateFeatureSet(const FeatureSet& features, std::string_view field);

// user non-empty; label unset, 0 or 1; feature values finite.
Status ValidateEvent(const Event& event, std::string_view field = "event");

// At most limits.max_events_per_batch events (else ResourceExhausted), each
// valid ("events[i]...").
Status ValidateEventBatch(const EventBatch& batch, const ContentLimits& limits = {});

// user non-empty; 1..limits.max_candidates candidates (none: InvalidArgument,
// too many: ResourceExhausted), each with a non-empty item; context and
// candidate features finite.
Status ValidatePredictRequest(const PredictRequest& request, const ContentLimits& limits = {});

// Every probability and the propensity finite and within [0, 1].
Status ValidatePredictReply(const PredictReply& reply);

// code is a known Status::Code other than kOk.
Status ValidateErrorReply(const ErrorReply& reply);

// hashing bits in [1, 32]; weights finite with strictly ascending indices
// below 2^bits; histogram counts finite and non-negative; learning rate and
// l2 finite.
Status ValidateArtifact(const ModelArtifact& artifact);

}  // namespace driftline
