// The online learning step: the one code path that turns a labelled example
// into delta updates, shared by the offline evaluator and the partition
// actors (no training-serving skew).
//
//   score = base(x) + delta_user[u](x) + delta_arm[a](x),  p = sigmoid(score)
//
// Both deltas take a gradient step on the log loss of the combined score,
// with the residual computed from the same parts that were predicted.
// The user's layer lives in the user's partition and the arm's in the arm's;
// in one process they may be the same PartitionState.
#pragma once

#include <string>

#include "learning/feature_hasher.h"
#include "learning/partition_state.h"
#include "learning/point_in_time.h"

namespace driftline {

struct ScoreParts {
  double base = 0.0;
  double user = 0.0;
  double arm = 0.0;
  double Logit() const { return base + user + arm; }
};

// Features of the delta layers for (user, item, features): the model input
// hashed into options.delta_bits buckets, without crosses.
SparseFeatures DeltaFeatures(const Event& event, const OnlineOptions& options);

ScoreParts ScoreOnline(const PartitionState& user_partition, const PartitionState& arm_partition,
                       const std::string& user, const std::string& arm,
                       const SparseFeatures& delta_x, double base_logit);

// Updates both layers (and the arm's Beta-Bernoulli evidence) towards label.
// `parts` are the parts the prediction used.
void LearnOnline(PartitionState& user_partition, PartitionState& arm_partition,
                 const std::string& user, const std::string& arm, const SparseFeatures& delta_x,
                 const ScoreParts& parts, int label);

}  // namespace driftline
