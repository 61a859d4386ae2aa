// The rules of the cluster wire's messages (protocol/validate.h,
// ValidateShardMessage).
#include <string>

#include "protocol/validate.h"
#include "protocol/validate_internal.h"

namespace driftline {
namespace {

using validate_internal::CheckFiniteValue;
using validate_internal::CheckIdText;

constexpr uint32_t kMaxHashedIndex = uint32_t{1} << 30;

std::string Indexed(const std::string& field, size_t i) {
  return field + "[" + std::to_string(i) + "]";
}

Status CheckEpoch(const std::string& field, const PartitionEpoch& pe) {
  if (pe.epoch >= 1) return Status::Ok();
  return Status::InvalidArgument(field + ".epoch must be at least 1 (partition " +
                                 std::to_string(pe.partition) + "), got 0");
}

Status CheckCount(const std::string& field, size_t count, size_t limit) {
  if (count == 0) return Status::InvalidArgument(field + " must not be empty");
  if (count > limit) {
    return Status::ResourceExhausted(field + " has " + std::to_string(count) +
                                     " entries, more than the limit of " + std::to_string(limit));
  }
  return Status::Ok();
}

Status CheckId(const std::string& field, const std::string& id) {
  if (id.empty()) return Status::InvalidArgument(field + " must not be empty");
  return CheckIdText(field, id);
}

Status CheckSparse(const std::string& field, const SparseFeatures& x) {
  if (x.size() > kMaxHashedFeatures) {
    return Status::ResourceExhausted(field + " has " + std::to_string(x.size()) +
                                     " features, more than the limit of " +
                                     std::to_string(kMaxHashedFeatures));
  }
  for (size_t i = 0; i < x.size(); ++i) {
    const std::string path = Indexed(field, i);
    if (x[i].index >= kMaxHashedIndex) {
      return Status::InvalidArgument(path + ".index " + std::to_string(x[i].index) +
                                     " is outside 2^30 buckets");
    }
    DRIFTLINE_RETURN_IF_ERROR(CheckFiniteValue(path + ".value", x[i].value));
  }
  return Status::Ok();
}

Status Check(const UserPartRead& m, const ContentLimits& limits) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("target", m.target));
  DRIFTLINE_RETURN_IF_ERROR(CheckId("user", m.user));
  DRIFTLINE_RETURN_IF_ERROR(CheckCount("candidates", m.candidates.size(), limits.max_candidates));
  for (size_t i = 0; i < m.candidates.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(CheckSparse(Indexed("candidates", i), m.candidates[i]));
  }
  return Status::Ok();
}

Status Check(const UserPartReply& m, const ContentLimits&) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("source", m.source));
  for (size_t i = 0; i < m.logits.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(CheckFiniteValue(Indexed("logits", i), m.logits[i]));
  }
  return Status::Ok();
}

Status Check(const ArmPartsRead& m, const ContentLimits& limits) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("target", m.target));
  DRIFTLINE_RETURN_IF_ERROR(CheckCount("arms", m.arms.size(), limits.max_candidates));
  for (size_t i = 0; i < m.arms.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(CheckId(Indexed("arms", i) + ".arm", m.arms[i].first));
    DRIFTLINE_RETURN_IF_ERROR(CheckSparse(Indexed("arms", i) + ".features", m.arms[i].second));
  }
  return Status::Ok();
}

Status Check(const ArmPartsReply& m, const ContentLimits&) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("source", m.source));
  for (size_t i = 0; i < m.views.size(); ++i) {
    const std::string path = Indexed("views", i);
    DRIFTLINE_RETURN_IF_ERROR(CheckFiniteValue(path + ".logit", m.views[i].logit));
    DRIFTLINE_RETURN_IF_ERROR(CheckFiniteValue(path + ".successes", m.views[i].successes));
    DRIFTLINE_RETURN_IF_ERROR(CheckFiniteValue(path + ".failures", m.views[i].failures));
    if (m.views[i].successes < 0 || m.views[i].failures < 0) {
      return Status::InvalidArgument(path + " evidence must not be negative");
    }
  }
  return Status::Ok();
}

Status Check(const EventAppend& m, const ContentLimits& limits) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("target", m.target));
  DRIFTLINE_RETURN_IF_ERROR(CheckCount("inputs", m.inputs.size(), limits.max_events_per_batch));
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    if (Status s = ValidateEventInput(m.inputs[i]); !s.ok()) {
      return Status(s.code(), Indexed("inputs", i) + "." + s.message());
    }
  }
  return Status::Ok();
}

Status Check(const EventAppendReply& m, const ContentLimits&) { return CheckEpoch("source", m.source); }

Status Check(const PredictionAppend& m, const ContentLimits&) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("target", m.target));
  return ValidatePredictionInput(m.prediction);
}

Status Check(const ArmUpdateBatch& m, const ContentLimits& limits) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("source", m.source));
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("target", m.target));
  DRIFTLINE_RETURN_IF_ERROR(CheckCount("updates", m.updates.size(), limits.max_events_per_batch));
  for (size_t i = 0; i < m.updates.size(); ++i) {
    const ArmUpdateInput& u = m.updates[i];
    const std::string path = Indexed("updates", i);
    if (Status s = ValidateArmUpdateInput(u); !s.ok()) return Status(s.code(), path + "." + s.message());
    if (u.ordinal.none()) {
      return Status::InvalidArgument(path + " carries no source ordinal (sequence, index)");
    }
    if (u.source_partition != m.source.partition) {
      return Status::InvalidArgument(path + ".source_partition " + std::to_string(u.source_partition) +
                                     " is not the batch's source partition " +
                                     std::to_string(m.source.partition));
    }
    if (i > 0 && !(m.updates[i - 1].ordinal < u.ordinal)) {
      return Status::InvalidArgument(path + ".ordinal must be greater than the previous update's");
    }
  }
  return Status::Ok();
}

Status Check(const ArmUpdateConfirm& m, const ContentLimits&) {
  DRIFTLINE_RETURN_IF_ERROR(CheckEpoch("source", m.source));
  return CheckEpoch("target", m.target);
}

Status Check(const ModelActivation& m, const ContentLimits& limits) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateModelActivateRequest(ModelActivateRequest{m.request_id, m.version}));
  if (m.partitions.empty()) return Status::InvalidArgument("partitions must not be empty");
  for (size_t i = 0; i < m.partitions.size(); ++i) {
    DRIFTLINE_RETURN_IF_ERROR(CheckEpoch(Indexed("partitions", i), m.partitions[i]));
    for (size_t j = 0; j < i; ++j) {
      if (m.partitions[j].partition == m.partitions[i].partition) {
        return Status::InvalidArgument(Indexed("partitions", i) + " repeats partition " +
                                       std::to_string(m.partitions[i].partition));
      }
    }
  }
  if (m.artifact.size() > limits.max_artifact_bytes) {
    return Status::ResourceExhausted("artifact of " + std::to_string(m.artifact.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(limits.max_artifact_bytes) + " bytes");
  }
  return Status::Ok();
}

Status Check(const ShardError& m, const ContentLimits&) {
  return ValidateErrorReply(ErrorReply{m.request_id, m.code, m.message});
}

Status Check(const ShardOk& m, const ContentLimits&) { return CheckEpoch("source", m.source); }

Status Check(const ShardPing&, const ContentLimits&) { return Status::Ok(); }

}  // namespace

Status ValidateShardMessage(const ShardMessage& message, const ContentLimits& limits) {
  return std::visit([&](const auto& m) { return Check(m, limits); }, message);
}

const char* ShardMessageName(const ShardMessage& message) {
  static constexpr const char* kNames[] = {
      "UserPartRead",    "UserPartReply",  "ArmPartsRead",     "ArmPartsReply",
      "EventAppend",     "EventAppendReply", "PredictionAppend", "ArmUpdateBatch",
      "ArmUpdateConfirm", "ModelActivation", "ShardError",       "ShardOk",
      "ShardPing"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == std::variant_size_v<ShardMessage>);
  return kNames[message.index()];
}

uint64_t ShardRequestId(const ShardMessage& message) {
  return std::visit([](const auto& m) { return m.request_id; }, message);
}

}  // namespace driftline
