// Progressive validation (predict, then learn) of the three ways to serve:
//
//   base    the stale base model alone (no learning after its cut)
//   hybrid  base + per-user and per-arm deltas learned online
//   online  the deltas alone, from zero, no base
//
// Replays examples in the given order (time order from PointInTimeSnapshot)
// through the same PartitionState and online step the partition actors run.
// No clock, no I/O: the caller times the run and prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "learning/base_model.h"
#include "learning/online_options.h"
#include "learning/point_in_time.h"

namespace driftline {

enum class EvalMode { kBase, kHybrid, kOnline };
const char* EvalModeName(EvalMode mode);

struct EvalOptions {
  OnlineOptions online;  // Default: OnlineOptions{}
  uint64_t seed = 1;     // the evaluator partition's Rng seed. Default: 1
};

struct EvalResult {
  size_t n = 0;
  double logloss = 0.0;
  double auc = 0.5;
};

// Called every `kEvalProgressEvery` examples with (done, total).
using EvalProgress = std::function<void(size_t, size_t)>;
inline constexpr size_t kEvalProgressEvery = 10'000;

// REQUIRES: base != nullptr unless mode == kOnline.
EvalResult EvaluateProgressive(EvalMode mode, const BaseModel* base,
                               const std::vector<LabelledExample>& examples,
                               const EvalOptions& options, const EvalProgress& progress = {});

}  // namespace driftline
