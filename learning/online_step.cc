#include "learning/online_step.h"

#include "learning/model_input.h"

namespace driftline {

SparseFeatures DeltaFeatures(const std::string& user, const std::string& item,
                             const FeatureSet& features, const OnlineOptions& options) {
  HashingConfig config;
  config.bits = options.delta_bits;
  return HashFeatures(ModelInput(user, item, features), config);
}

}  // namespace driftline
