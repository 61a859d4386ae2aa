// Semantic checks on the plain message structs: what a well-formed message
// must satisfy beyond parsing. These are the rules of every door: the codec
// runs them on every decoded frame (the ZeroMQ wire), ParseEventLine on every
// JSON Lines event, the client library before it sends, and the node on
// requests that never went through bytes (in-process clients, the HTTP/JSON
// endpoint), so every door refuses the same inputs with the same message
// (docs/events.md, "Limits").
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
#include "protocol/shard_messages.h"

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

// Longest text accepted at a door, in bytes, for every id and name of a
// request: user, item, event_id, prediction_id, a candidate's item, and
// namespace and feature names. Every such text must also be valid UTF-8.
inline constexpr size_t kMaxIdBytes = 1024;
// Most features one feature set may carry: an event's features, a predict
// request's context, one candidate's features (all namespaces together).
inline constexpr size_t kMaxFeaturesPerSet = 4096;

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

// Every feature has a non-empty name and a finite value within
// +-kMaxFeatureMagnitude. Namespace names may be empty (driftline's own
// records use the default namespace). `field` prefixes messages. The rules
// for internal records; a request's feature sets get ValidateRequestFeatures.
Status ValidateFeatureSet(const FeatureSet& features, std::string_view field);

// The door rules for a feature set a client sent: ValidateFeatureSet, plus
// namespace names non-empty, every name at most kMaxIdBytes of valid UTF-8,
// no namespace twice, no feature twice within its namespace ("... appears
// twice"), at most kMaxFeaturesPerSet features in all.
Status ValidateRequestFeatures(const FeatureSet& features, std::string_view field);

// user non-empty; user, item, event_id and prediction_id at most kMaxIdBytes
// of valid UTF-8; event_id without a reserved prefix; ts within
// [0, kMaxTimestampMs]; label unset, 0 or 1; features as
// ValidateRequestFeatures. `field` prefixes messages ("event.user ...");
// an empty `field` gives bare paths ("user ...", used by JSON Lines).
Status ValidateEvent(const Event& event, std::string_view field = "event");

// At most limits.max_events_per_batch events (else ResourceExhausted), each
// valid ("events[i]...").
Status ValidateEventBatch(const EventBatch& batch, const ContentLimits& limits = {});

// user non-empty, at most kMaxIdBytes of valid UTF-8; ts within
// [0, kMaxTimestampMs]; 1..limits.max_candidates candidates (none:
// InvalidArgument, too many: ResourceExhausted), each with a non-empty item
// of at most kMaxIdBytes of valid UTF-8, no item twice ("candidates[3].item
// repeats candidates[1].item": a duplicate would be scored twice and its key
// repeated in the reply); context and candidate features as
// ValidateRequestFeatures.
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
// Also the delta transform, if given (learning/delta_transform.h).
Status ValidateModelActivateRequest(const ModelActivateRequest& request);
Status ValidateModelRollbackRequest(const ModelRollbackRequest& request);

// Every counter name non-empty ("counters[i].name").
Status ValidateStatusReply(const StatusReply& reply);

// duration_ms at most kMaxStallMs.
Status ValidateStallPartitionRequest(const StallPartitionRequest& request);

// user non-empty, at most kMaxIdBytes of valid UTF-8 (the rules of every
// user id at every door).
Status ValidateForgetUserRequest(const ForgetUserRequest& request);

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
// Activation >= 1, a version name, a valid delta transform.
Status ValidateModelSwitchInput(const ModelSwitchInput& input);

// user non-empty, at most kMaxIdBytes of valid UTF-8.
Status ValidateForgetInput(const ForgetInput& input);

// The rules of the input's kind.
Status ValidatePartitionInput(const PartitionInput& input);

// ---- Cluster wire (protocol/shard_messages.h; validate_shard.cc) ---------------

// Most hashed features one delta-feature vector may carry (features, their
// crosses and the bias).
inline constexpr size_t kMaxHashedFeatures = 65536;

// Every partition named has an epoch >= 1 ("target.epoch must be at least 1").
// UserPartRead: user non-empty, at most kMaxIdBytes of valid UTF-8; 1..
//   limits.max_candidates candidates, each at most kMaxHashedFeatures finite
//   features with index below 2^30 (learning's largest hashing).
// ArmPartsRead: 1..limits.max_candidates arms, each a non-empty valid id, and
//   features as above.
// UserPartReply / ArmPartsReply: every number finite; evidence not negative.
// EventAppend: 1..limits.max_events_per_batch inputs, each ValidateEventInput
//   ("inputs[3].event.user ...").
// PredictionAppend: ValidatePredictionInput.
// ArmUpdateBatch: 1..limits.max_events_per_batch updates, each
//   ValidateArmUpdateInput, stamped (ordinal not none), from the batch's
//   source partition, in strictly ascending ordinal order.
// ModelActivation: version as ValidateModelActivateRequest; at least one
//   partition, none twice; artifact at most limits.max_artifact_bytes.
// ShardError: code a known non-ok code. EventAppendReply, ArmUpdateConfirm
//   and ShardOk: partitions' epochs only. ShardPing: no rules.
// Count limits give ResourceExhausted, everything else InvalidArgument.
Status ValidateShardMessage(const ShardMessage& message, const ContentLimits& limits = {});

// ---- Model artifact --------------------------------------------------------

// hashing bits in [1, 32]; weights finite with strictly ascending indices
// below 2^bits; histogram counts finite and non-negative; learning rate and
// l2 finite.
Status ValidateArtifact(const ModelArtifact& artifact);

}  // namespace driftline
