// The offline half of the hybrid: trains the base model (logistic regression
// on hashed features, AdaGrad with L2) on a point-in-time snapshot.
//
// Deterministic: the same examples in the same order with the same config give
// bit-identical weights (single thread, seeded shuffle, no clock), so the
// encoded artifact is byte-identical.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "learning/model_artifact.h"
#include "learning/point_in_time.h"

namespace driftline {

// Called after every epoch with (epochs done, epochs total, mean training
// log loss of that epoch). May be empty.
using TrainProgress = std::function<void(size_t, size_t, double)>;

// Trains on `examples` (from PointInTimeSnapshot). The artifact gets
// `version`, `config`, `snapshot`, the non-zero weights and the training-time
// input histograms; its content_hash is left empty for the codec to fill.
// REQUIRES: 1 <= config.hashing.bits <= 30.
ModelArtifact TrainBaseModel(const std::vector<LabelledExample>& examples,
                             const TrainConfig& config, const std::string& version,
                             const SnapshotInfo& snapshot, const TrainProgress& progress = {});

}  // namespace driftline
