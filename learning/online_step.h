// The pieces of the online step every learner shares: how a labelled example
// becomes delta-layer features, and the parts of the combined score
//
//   score = base(x) + delta_user[u](x) + delta_arm[a](x),  p = sigmoid(score)
//
// Both deltas take a gradient step on the log loss of the combined score at
// the parts that were predicted (learning/partition_learner.h applies it).
#pragma once

#include <string>

#include "learning/event.h"
#include "learning/feature_hasher.h"
#include "learning/online_options.h"

namespace driftline {

struct ScoreParts {
  double base = 0.0;
  double user = 0.0;
  double arm = 0.0;
  double Logit() const { return base + user + arm; }
};

// Features of the delta layers for (user, item, features): the model input
// (identities included, learning/model_input.h) hashed into
// options.delta_bits buckets, without crosses.
SparseFeatures DeltaFeatures(const std::string& user, const std::string& item,
                             const FeatureSet& features, const OnlineOptions& options);

inline SparseFeatures DeltaFeatures(const Event& event, const OnlineOptions& options) {
  return DeltaFeatures(event.user, event.item, event.features, options);
}

}  // namespace driftline
