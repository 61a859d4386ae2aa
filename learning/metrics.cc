#include "learning/metrics.h"

#include <algorithm>

#include "learning/logistic.h"

namespace driftline {

void ProgressiveMetrics::Add(double p, int label) {
  loss_sum_ += driftline::LogLoss(p, label);
  predictions_.emplace_back(p, label);
}

double ProgressiveMetrics::LogLoss() const {
  return predictions_.empty() ? 0.0 : loss_sum_ / static_cast<double>(predictions_.size());
}

double ProgressiveMetrics::Auc() const {
  std::vector<std::pair<double, int>> sorted = predictions_;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Mann-Whitney U: sum of positive ranks, ties get their average rank.
  double positive_rank_sum = 0.0;
  double positives = 0.0;
  size_t i = 0;
  while (i < sorted.size()) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (sorted[k].second) {
        positive_rank_sum += average_rank;
        positives += 1.0;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(sorted.size()) - positives;
  if (positives == 0.0 || negatives == 0.0) return 0.5;
  return (positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

}  // namespace driftline
