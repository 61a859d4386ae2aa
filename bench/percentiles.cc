#include "bench/percentiles.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace driftline::bench {
namespace {

// Nearest rank: the smallest sample with at least q of the samples at or below it.
double Rank(const std::vector<double>& sorted, double q) {
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

LatencySummary Summarize(std::vector<double> samples_us) {
  LatencySummary s;
  if (samples_us.empty()) return s;
  std::sort(samples_us.begin(), samples_us.end());
  s.count = samples_us.size();
  s.p50_us = Rank(samples_us, 0.50);
  s.p99_us = Rank(samples_us, 0.99);
  s.p999_us = Rank(samples_us, 0.999);
  s.max_us = samples_us.back();
  s.mean_us = std::accumulate(samples_us.begin(), samples_us.end(), 0.0) / samples_us.size();
  return s;
}

}  // namespace driftline::bench
