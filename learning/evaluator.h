// Progressive validation (predict, then learn) of the three ways to serve:
//
//   base    the stale base model alone (no learning after its cut)
//   hybrid  base + per-user and per-arm deltas learned online
//   online  the deltas alone, from zero, no base
//
// Same code as the node, same semantics (docs/architecture.md, "The arm view"):
// one PartitionLearner plays every partition (the user's and the arm's) and
// receives the inputs a one-partition node receives when a client sends the
// stream in batches of `EvalOptions::batch` events and predicts each event
// just before sending the batch that carries it.
//
// The order is the order in which things become known, never the order of
// exposure alone:
//  * every example is scored at its exposure time (event.ts_ms);
//  * a plain labelled example (not `joined`) is learned right after it is
//    scored, at the same time;
//  * a joined example (exposure + later outcome) is remembered as a pending
//    prediction with the score parts it was predicted with, and learned when
//    its label arrives (known_at_ms), through the same outcome join the node
//    runs (so an outcome later than OnlineOptions::pending_ttl_ms after its
//    exposure is dropped, as in the node; the example is still scored).
// These steps are sorted by (time, outcomes after everything else at the same
// time, example order): an outcome's label known at time t is used only by
// predictions after t.
//
// Batches: the steps are cut into consecutive groups of `batch`. Within a
// group every step is scored from the state before the group (user part and
// arm part alike: the client's predicts before it sends the batch), the
// group's exposures are remembered, then its labelled events and outcomes are
// applied in order (labelled events at the arm part read before the group),
// then the arm updates they produced. batch = 1 is plain event-by-event
// progressive validation.
//
// A model switch (EvalOptions::model_switch) replays an activation: the
// steps after its time are scored with the new base, and before the first of
// them the learner applies the ModelSwitchInput the node's partitions log
// (the same PartitionLearner::Apply, so the same delta transform). Batches
// restart at the switch (a client sends what precedes it, activates, then
// sends the rest). Online-only has no base: nothing switches there.
//
// No clock, no I/O: the caller times the run and prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "learning/base_model.h"
#include "learning/delta_transform.h"
#include "learning/online_options.h"
#include "learning/point_in_time.h"

namespace driftline {

enum class EvalMode { kBase, kHybrid, kOnline };
const char* EvalModeName(EvalMode mode);

// A new base model activated during the replay.
struct EvalModelSwitch {
  const BaseModel* model = nullptr;  // REQUIRES: non-null, outlives the call
  int64_t after_ms = 0;              // steps at times > after_ms see the new model
  DeltaTransform deltas;             // Default: keep
};

struct EvalOptions {
  OnlineOptions online;  // Default: OnlineOptions{}
  uint64_t seed = 1;     // the evaluator partition's Rng seed. Default: 1
  // Events per batch, as a client sending the stream to a node would group
  // them (see above). REQUIRES: >= 1. Default: 1
  size_t batch = 1;
  // Keep every prediction in EvalResult::predictions. Default: false
  bool keep_predictions = false;
  // Activate another base model during the replay. Default: none
  std::optional<EvalModelSwitch> model_switch;
};

// Metrics over part of the replay.
struct EvalWindow {
  size_t n = 0;
  double logloss = 0.0;
  double auc = 0.5;
};

struct EvalResult {
  size_t n = 0;
  double logloss = 0.0;
  double auc = 0.5;
  // With keep_predictions: predictions[i] is the probability given to
  // examples[i] (input order). Otherwise empty.
  std::vector<double> predictions;
  // With a model switch: the examples scored after it (n = 0 without).
  EvalWindow after_switch;
};

// Called every `kEvalProgressEvery` examples with (done, total).
using EvalProgress = std::function<void(size_t, size_t)>;
inline constexpr size_t kEvalProgressEvery = 10'000;

// `examples` in any order (the evaluator orders them as above), each with
// known_at_ms >= event.ts_ms (PointInTimeSnapshot guarantees it).
// REQUIRES: base != nullptr unless mode == kOnline; options.batch >= 1.
EvalResult EvaluateProgressive(EvalMode mode, const BaseModel* base,
                               const std::vector<LabelledExample>& examples,
                               const EvalOptions& options, const EvalProgress& progress = {});

}  // namespace driftline
