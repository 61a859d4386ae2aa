#include "protocol/validate.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/utf8.h"

namespace driftline {
namespace {

// "<field>[i]" as a string.
std::string Indexed(std::string_view field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

std::string Quoted(std::string_view name) { return "['" + std::string(name) + "']"; }

// Formats a double the way a human reads it in an error: "nan", "inf", "1.5".
std::string Describe(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

Status NotFinite(const std::string& path, double v) {
  return Status::InvalidArgument(path + " must be finite, got " + Describe(v));
}

Status CheckFinite(const std::string& path, double v) {
  return std::isfinite(v) ? Status::Ok() : NotFinite(path, v);
}

Status CheckProbability(const std::string& path, double v) {
  if (!std::isfinite(v)) return NotFinite(path, v);
  if (v < 0.0 || v > 1.0) {
    return Status::InvalidArgument(path + " must be within [0, 1], got " + Describe(v));
  }
  return Status::Ok();
}

// "prefix.name", or "name" when prefix is empty.
std::string Path(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  return std::string(prefix) + "." + std::string(name);
}

// A text short enough to quote in a one-line message (valid UTF-8 already).
std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

// At most kMaxIdBytes of valid UTF-8; `path()` names the field. The path is
// built only for an error: this runs for every id and feature name on the
// ingest path, where building it up front was most of validation's cost.
template <typename PathFn>
Status CheckTextAt(const PathFn& path, std::string_view text) {
  if (text.size() > kMaxIdBytes) {
    return Status::InvalidArgument(path() + " is " + std::to_string(text.size()) +
                                   " bytes long, more than the limit of " +
                                   std::to_string(kMaxIdBytes) + " bytes");
  }
  size_t bad = 0;
  if (!IsValidUtf8(text, &bad)) {
    return Status::InvalidArgument(path() + " is not valid UTF-8 (bad byte at offset " +
                                   std::to_string(bad) + ")");
  }
  return Status::Ok();
}

Status CheckText(const std::string& path, std::string_view text) {
  return CheckTextAt([&] { return path; }, text);
}

Status CheckTimestamp(const std::string& path, int64_t ts_ms, const char* zero_means) {
  if (ts_ms >= 0 && ts_ms <= kMaxTimestampMs) return Status::Ok();
  return Status::InvalidArgument(path + " must be within [0, " + std::to_string(kMaxTimestampMs) +
                                 "] ms" + zero_means + ", got " + std::to_string(ts_ms));
}

}  // namespace

Status ValidateRequestFeatures(const FeatureSet& features, std::string_view field) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateFeatureSet(features, field));
  size_t total = 0;
  std::vector<std::string_view> names;
  for (const FeatureNamespace& ns : features) total += ns.features.size();
  if (total > kMaxFeaturesPerSet) {
    return Status::InvalidArgument(std::string(field) + " has " + std::to_string(total) +
                                   " features, more than the limit of " +
                                   std::to_string(kMaxFeaturesPerSet));
  }
  for (size_t n = 0; n < features.size(); ++n) {
    const FeatureNamespace& ns = features[n];
    if (ns.name.empty()) {
      return Status::InvalidArgument(Indexed(field, n) + " has an empty namespace name");
    }
    DRIFTLINE_RETURN_IF_ERROR(CheckTextAt([&] { return Indexed(field, n) + ".name"; }, ns.name));
    const auto ns_path = [&] { return std::string(field) + Quoted(ns.name); };
    names.clear();
    for (size_t i = 0; i < ns.features.size(); ++i) {
      DRIFTLINE_RETURN_IF_ERROR(CheckTextAt(
          [&] { return ns_path() + "[" + std::to_string(i) + "].name"; }, ns.features[i].name));
      names.push_back(ns.features[i].name);
    }
    std::sort(names.begin(), names.end());
    auto twice = std::adjacent_find(names.begin(), names.end());
    if (twice != names.end()) {
      return Status::InvalidArgument(ns_path() + Quoted(*twice) + " appears twice");
    }
  }
  names.clear();
  for (const FeatureNamespace& ns : features) names.push_back(ns.name);
  std::sort(names.begin(), names.end());
  auto twice = std::adjacent_find(names.begin(), names.end());
  if (twice != names.end()) {
    return Status::InvalidArgument(std::string(field) + Quoted(*twice) + " appears twice");
  }
  return Status::Ok();
}

Status ValidateFeatureSet(const FeatureSet& features, std::string_view field) {
  for (const FeatureNamespace& ns : features) {
    for (size_t i = 0; i < ns.features.size(); ++i) {
      const Feature& f = ns.features[i];
      if (f.name.empty()) {
        return Status::InvalidArgument(std::string(field) + Quoted(ns.name) + "[" +
                                       std::to_string(i) + "].name must not be empty");
      }
      if (!std::isfinite(f.value)) {
        return NotFinite(std::string(field) + Quoted(ns.name) + Quoted(f.name), f.value);
      }
      if (std::fabs(f.value) > kMaxFeatureMagnitude) {
        return Status::InvalidArgument(std::string(field) + Quoted(ns.name) + Quoted(f.name) +
                                       " must be within +-1e9, got " + Describe(f.value));
      }
    }
  }
  return Status::Ok();
}

Status ValidateEvent(const Event& event, std::string_view field) {
  if (event.user.empty()) return Status::InvalidArgument(Path(field, "user") + " must not be empty");
  DRIFTLINE_RETURN_IF_ERROR(CheckTextAt([&] { return Path(field, "user"); }, event.user));
  DRIFTLINE_RETURN_IF_ERROR(CheckTextAt([&] { return Path(field, "item"); }, event.item));
  DRIFTLINE_RETURN_IF_ERROR(CheckTextAt([&] { return Path(field, "event_id"); }, event.event_id));
  DRIFTLINE_RETURN_IF_ERROR(
      CheckTextAt([&] { return Path(field, "prediction_id"); }, event.prediction_id));
  if (event.ts_ms < 0 || event.ts_ms > kMaxTimestampMs) {
    return CheckTimestamp(Path(field, "ts"), event.ts_ms, "");
  }
  for (const char* reserved : kReservedIdPrefixes) {
    if (event.event_id.rfind(reserved, 0) == 0) {
      return Status::InvalidArgument(Path(field, "event_id") + " must not start with '" +
                                     reserved + "' (reserved for driftline's own records)");
    }
  }
  if (event.label && *event.label != 0 && *event.label != 1) {
    return Status::InvalidArgument(Path(field, "label") + " must be 0 or 1, got " +
                                   std::to_string(*event.label));
  }
  return ValidateRequestFeatures(event.features, Path(field, "features"));
}

Status ValidateEventBatch(const EventBatch& batch, const ContentLimits& limits) {
  if (batch.events.size() > limits.max_events_per_batch) {
    return Status::ResourceExhausted("events has " + std::to_string(batch.events.size()) +
                                     " entries, more than the limit of " +
                                     std::to_string(limits.max_events_per_batch));
  }
  for (size_t i = 0; i < batch.events.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(ValidateEvent(batch.events[i], Indexed("events", i)));
  }
  return Status::Ok();
}

Status ValidatePredictRequest(const PredictRequest& request, const ContentLimits& limits) {
  if (request.user.empty()) return Status::InvalidArgument("user must not be empty");
  DRIFTLINE_RETURN_IF_ERROR(CheckText("user", request.user));
  DRIFTLINE_RETURN_IF_ERROR(CheckTimestamp("ts", request.ts_ms, " (0: the node's clock)"));
  if (request.candidates.empty()) return Status::InvalidArgument("candidates must not be empty");
  if (request.candidates.size() > limits.max_candidates) {
    return Status::ResourceExhausted("candidates has " +
                                     std::to_string(request.candidates.size()) +
                                     " entries, more than the limit of " +
                                     std::to_string(limits.max_candidates));
  }
  DRIFTLINE_RETURN_IF_ERROR(ValidateRequestFeatures(request.context, "context"));
  std::unordered_map<std::string_view, size_t> first_index;
  first_index.reserve(request.candidates.size());
  for (size_t i = 0; i < request.candidates.size(); ++i) {
    const Candidate& c = request.candidates[i];
    const std::string path = Indexed("candidates", i);
    if (c.item.empty()) return Status::InvalidArgument(path + ".item must not be empty");
    DRIFTLINE_RETURN_IF_ERROR(CheckText(path + ".item", c.item));
    auto [it, inserted] = first_index.emplace(c.item, i);
    if (!inserted) {
      return Status::InvalidArgument(path + ".item " + Excerpt(c.item) + " repeats " +
                                     Indexed("candidates", it->second) +
                                     ".item (each candidate must be listed once)");
    }
    DRIFTLINE_RETURN_IF_ERROR(ValidateRequestFeatures(c.features, path + ".features"));
  }
  return Status::Ok();
}

Status ValidatePredictReply(const PredictReply& reply) {
  for (size_t i = 0; i < reply.scores.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(
        CheckProbability(Indexed("scores", i) + ".probability", reply.scores[i].probability));
  }
  return CheckProbability("propensity", reply.propensity);
}

Status ValidateErrorReply(const ErrorReply& reply) {
  const int code = static_cast<int>(reply.code);
  const int last = static_cast<int>(Status::Code::kInternal);
  if (code <= 0 || code > last) {
    return Status::InvalidArgument("code must be a known non-ok status code (1.." +
                                   std::to_string(last) + "), got " + std::to_string(code));
  }
  return Status::Ok();
}

Status ValidateModelRegisterRequest(const ModelRegisterRequest& request,
                                    const ContentLimits& limits) {
  if (request.artifact.empty()) return Status::InvalidArgument("artifact must not be empty");
  if (request.artifact.size() > limits.max_artifact_bytes) {
    return Status::ResourceExhausted("artifact of " + std::to_string(request.artifact.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(limits.max_artifact_bytes) + " bytes");
  }
  return Status::Ok();
}

Status ValidateModelActivateRequest(const ModelActivateRequest& request) {
  if (request.version.empty()) return Status::InvalidArgument("version must not be empty");
  if (request.version.size() > kMaxModelVersionBytes) {
    return Status::InvalidArgument("version of " + std::to_string(request.version.size()) +
                                   " bytes is longer than the limit of " +
                                   std::to_string(kMaxModelVersionBytes) + " bytes");
  }
  if (request.deltas) DRIFTLINE_RETURN_IF_ERROR(ValidateDeltaTransform(*request.deltas));
  return Status::Ok();
}

Status ValidateModelRollbackRequest(const ModelRollbackRequest& request) {
  if (request.deltas) DRIFTLINE_RETURN_IF_ERROR(ValidateDeltaTransform(*request.deltas));
  return Status::Ok();
}

Status ValidateModelSwitchInput(const ModelSwitchInput& input) {
  if (input.activation == 0) return Status::InvalidArgument("model switch: activation must be >= 1");
  if (input.version.empty() || input.version.size() > kMaxModelVersionBytes) {
    return Status::InvalidArgument("model switch: version must be 1.." +
                                   std::to_string(kMaxModelVersionBytes) + " bytes, got " +
                                   std::to_string(input.version.size()));
  }
  return ValidateDeltaTransform(input.deltas);
}

Status ValidateStatusReply(const StatusReply& reply) {
  for (size_t i = 0; i < reply.counters.size(); ++i) {
    if (reply.counters[i].name.empty()) {
      return Status::InvalidArgument(Indexed("counters", i) + ".name must not be empty");
    }
  }
  return Status::Ok();
}

Status ValidateStallPartitionRequest(const StallPartitionRequest& request) {
  if (request.duration_ms > kMaxStallMs) {
    return Status::InvalidArgument("duration_ms must be at most " + std::to_string(kMaxStallMs) +
                                   ", got " + std::to_string(request.duration_ms));
  }
  return Status::Ok();
}

Status ValidateForgetUserRequest(const ForgetUserRequest& request) {
  if (request.user.empty()) return Status::InvalidArgument("user must not be empty");
  return CheckText("user", request.user);
}

Status ValidateForgetInput(const ForgetInput& input) {
  if (input.user.empty()) return Status::InvalidArgument("user must not be empty");
  return CheckText("user", input.user);
}

Status ValidateEventInput(const EventInput& input) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateEvent(input.event, "event"));
  DRIFTLINE_RETURN_IF_ERROR(CheckFinite("base_logit", input.base_logit));
  return CheckFinite("arm_logit", input.arm_logit);
}

Status ValidatePredictionInput(const PredictionInput& input) {
  const PendingPrediction& p = input.prediction;
  if (p.prediction_id.empty()) {
    return Status::InvalidArgument("prediction.prediction_id must not be empty");
  }
  if (p.user.empty()) return Status::InvalidArgument("prediction.user must not be empty");
  DRIFTLINE_RETURN_IF_ERROR(CheckProbability("prediction.propensity", p.propensity));
  DRIFTLINE_RETURN_IF_ERROR(ValidateFeatureSet(p.features, "prediction.features"));
  DRIFTLINE_RETURN_IF_ERROR(CheckFinite("prediction.base_logit", p.base_logit));
  DRIFTLINE_RETURN_IF_ERROR(CheckFinite("prediction.user_logit", p.user_logit));
  return CheckFinite("prediction.arm_logit", p.arm_logit);
}

Status ValidateArmUpdateInput(const ArmUpdateInput& input) {
  if (input.arm.empty()) return Status::InvalidArgument("arm must not be empty");
  if (input.label != 0 && input.label != 1) {
    return Status::InvalidArgument("label must be 0 or 1, got " + std::to_string(input.label));
  }
  DRIFTLINE_RETURN_IF_ERROR(CheckFinite("residual", input.residual));
  return ValidateFeatureSet(input.features, "features");
}

Status ValidatePartitionInput(const PartitionInput& input) {
  struct Visitor {
    Status operator()(const EventInput& in) const { return ValidateEventInput(in); }
    Status operator()(const PredictionInput& in) const { return ValidatePredictionInput(in); }
    Status operator()(const ArmUpdateInput& in) const { return ValidateArmUpdateInput(in); }
    Status operator()(const ModelSwitchInput& in) const { return ValidateModelSwitchInput(in); }
    Status operator()(const ForgetInput& in) const { return ValidateForgetInput(in); }
  };
  return std::visit(Visitor{}, input);
}

Status ValidateArtifact(const ModelArtifact& artifact) {
  const uint32_t bits = artifact.config.hashing.bits;
  if (bits < 1 || bits > 32) {
    return Status::InvalidArgument("config.hashing.bits must be within [1, 32], got " +
                                   std::to_string(bits));
  }
  if (!std::isfinite(artifact.config.learning_rate)) {
    return NotFinite("config.learning_rate", artifact.config.learning_rate);
  }
  if (!std::isfinite(artifact.config.l2)) return NotFinite("config.l2", artifact.config.l2);
  const uint64_t buckets = uint64_t{1} << bits;
  for (size_t i = 0; i < artifact.weights.size(); ++i) {
    const WeightEntry& w = artifact.weights[i];
    const std::string path = Indexed("weights", i);
    if (!std::isfinite(w.weight)) return NotFinite(path + ".weight", w.weight);
    if (w.index >= buckets) {
      return Status::InvalidArgument(path + ".index " + std::to_string(w.index) +
                                     " is outside 2^" + std::to_string(bits) + " buckets");
    }
    if (i > 0 && w.index <= artifact.weights[i - 1].index) {
      return Status::InvalidArgument(path + ".index must be greater than the previous index");
    }
  }
  for (size_t i = 0; i < artifact.histograms.size(); ++i) {
    const NamespaceHistogram& h = artifact.histograms[i];
    for (size_t j = 0; j < h.counts.size(); ++j) {
      const std::string path = Indexed("histograms", i) + Indexed(".counts", j);
      if (!std::isfinite(h.counts[j])) return NotFinite(path, h.counts[j]);
      if (h.counts[j] < 0) return Status::InvalidArgument(path + " must not be negative");
    }
  }
  return Status::Ok();
}

namespace validate_internal {

Status CheckIdText(const std::string& path, std::string_view text) { return CheckText(path, text); }
Status CheckFiniteValue(const std::string& path, double v) { return CheckFinite(path, v); }

}  // namespace validate_internal

}  // namespace driftline
