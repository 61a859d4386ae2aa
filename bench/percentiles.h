// Latency summaries: nearest-rank percentiles over microsecond samples.
#pragma once

#include <cstddef>
#include <vector>

namespace driftline::bench {

struct LatencySummary {
  size_t count = 0;
  double p50_us = 0, p99_us = 0, p999_us = 0, max_us = 0, mean_us = 0;
};

// Nearest-rank percentiles of `samples_us` (any order). All zero when empty.
LatencySummary Summarize(std::vector<double> samples_us);

}  // namespace driftline::bench
