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
#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "learning/event.h"
#include "learning/model_artifact.h"
#include "learning/partition_input.h"
#include "protocol/messages.h"

namespace driftline {

// Count limits on message content.
struct ContentLimits {
  size_t max_events_per_batch = 10000;  // events in one EventBatch. Default: 10,000
  size_t max_candidates = 10000;        // candidates in one PredictRequest. Default: 10,000
  // Bytes of the artifact in one ModelRegisterRequest. Default: 64 MiB (a
  // dense 2^22-bucket model). On the wire DecodeLimits::max_bytes (16 MiB by
  // default) bounds the whole frame first.
  size_t max_artifact_bytes = size_t{64} << 20;
};

// Longest model version accepted in a ModelActivateRequest, in bytes.
constexpr size_t kMaxModelVersionBytes = 256;
// Longest stall a StallPartitionRequest may ask for: one minute.
constexpr uint32_t kMaxStallMs = 60000;

// Ranges every accepted event respects (on the wire and in JSON Lines):
// a feature value's magnitude (larger ones overflow squared gradients and
// poison an arm for everyone), an event time (ms since the epoch, up to the
// year 9999), and the id prefixes driftline reserves for its own records.
inline constexpr double kMaxFeatureMagnitude = 1e9;
inline constexpr int64_t kMaxTimestampMs = 253402300799999;  // 9999-12-31T23:59:59.999Z
inline constexpr const char* kReservedIdPrefixes[] = {"arm/", "arm@", "pred/"};

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

// ---- Administration ----------------------------------------------------------

// artifact non-empty and at most limits.max_artifact_bytes bytes (else
// ResourceExhausted). Its content is not checked here: the node runs
// DecodeArtifact() on it.
Status ValidateModelRegisterRequest(const ModelRegisterRequest& request,
                                    const ContentLimits& limits = {});

// version non-empty and at most kMaxModelVersionBytes bytes.
Status ValidateModelActivateRequest(const ModelActivateRequest& request);

// Every counter name non-empty ("counters[i].name").
Status ValidateStatusReply(const StatusReply& reply);

// duration_ms at most kMaxStallMs.
Status ValidateStallPartitionRequest(const StallPartitionRequest& request);

// ---- Partition inputs (learning/partition_input.h) ----------------------------
// Run before an input is appended to a partition's log. Paths are relative to
// the input: "event.user", "base_logit", "prediction.propensity", "arm".

// event valid (ValidateEvent, "event..."); base_logit and arm_logit finite.
Status ValidateEventInput(const EventInput& input);

// prediction.prediction_id and prediction.user non-empty; prediction.propensity
// finite within [0, 1]; prediction.features valid; prediction.base_logit,
// user_logit and arm_logit finite.
Status ValidatePredictionInput(const PredictionInput& input);

// arm non-empty; label 0 or 1; residual finite; features valid.
Status ValidateArmUpdateInput(const ArmUpdateInput& input);

// The rules of the input's kind.
Status ValidatePartitionInput(const PartitionInput& input);

// ---- Model artifact --------------------------------------------------------

// hashing bits in [1, 32]; weights finite with strictly ascending indices
// below 2^bits; histogram counts finite and non-negative; learning rate and
// l2 finite.
Status ValidateArtifact(const ModelArtifact& artifact);

}  // namespace driftline
