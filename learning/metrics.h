// Progressive-validation metrics: every prediction is recorded before the
// learner sees its label, so the running figures are honest out-of-sample
// estimates on a stream.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace driftline {

class ProgressiveMetrics {
 public:
  // REQUIRES: 0 <= p <= 1, label in {0, 1}.
  void Add(double p, int label);

  size_t count() const { return predictions_.size(); }
  // Mean log loss (nats); 0 when empty.
  double LogLoss() const;
  // Area under the ROC curve with tied scores counted as half; 0.5 when only
  // one class has been seen.
  double Auc() const;

 private:
  double loss_sum_ = 0.0;
  std::vector<std::pair<double, int>> predictions_;
};

}  // namespace driftline
