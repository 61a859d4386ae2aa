#include "learning/online_step.h"

#include "learning/logistic.h"
#include "learning/model_input.h"

namespace driftline {

SparseFeatures DeltaFeatures(const Event& event, const OnlineOptions& options) {
  HashingConfig config;
  config.bits = options.delta_bits;
  return HashFeatures(ModelInput(event), config);
}

ScoreParts ScoreOnline(const PartitionState& user_partition, const PartitionState& arm_partition,
                       const std::string& user, const std::string& arm,
                       const SparseFeatures& delta_x, double base_logit) {
  ScoreParts parts;
  parts.base = base_logit;
  parts.user = user_partition.UserLogit(user, delta_x);
  parts.arm = arm.empty() ? 0.0 : arm_partition.ArmLogit(arm, delta_x);
  return parts;
}

void LearnOnline(PartitionState& user_partition, PartitionState& arm_partition,
                 const std::string& user, const std::string& arm, const SparseFeatures& delta_x,
                 const ScoreParts& parts, int label) {
  const double residual = LogisticGradient(parts.Logit(), label);
  user_partition.LearnUser(user, delta_x, residual);
  if (!arm.empty()) arm_partition.LearnArm(arm, delta_x, residual, label);
}

}  // namespace driftline
