// Input-distribution drift. For every namespace, features are counted over a
// fixed number of buckets (bucket = feature hash mod kDriftBuckets). The base
// model artifact carries the training-time histograms; serving keeps the same
// histograms over a sliding window and compares them with KL divergence.
//
// Pure functions and plain values; no clock (windows are counted in events).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "learning/event.h"
#include "learning/model_artifact.h"

namespace driftline {

// DO NOT CHANGE: artifacts record histograms with this many buckets.
inline constexpr size_t kDriftBuckets = 64;

// Accumulates per-namespace histograms.
class DriftHistogramBuilder {
 public:
  // Counts one occurrence of every feature with a non-zero value.
  void Add(const FeatureSet& features);
  // Histograms in ascending namespace name, kDriftBuckets counts each.
  std::vector<NamespaceHistogram> Build() const;

 private:
  std::map<std::string, std::vector<double>> counts_;
};

// KL(p || q) in nats between two count vectors of equal length, each turned
// into a distribution with additive (Laplace) smoothing `alpha` per bucket so
// empty buckets do not give infinity. Returns 0 when both are empty.
// REQUIRES: p.size() == q.size().
double KlDivergence(const std::vector<double>& p, const std::vector<double>& q,
                    double alpha = 0.5);

// KL(serving || training) per namespace present in either; a namespace
// missing on one side counts as an empty histogram there.
std::map<std::string, double> NamespaceDrift(const std::vector<NamespaceHistogram>& serving,
                                             const std::vector<NamespaceHistogram>& training);

}  // namespace driftline
