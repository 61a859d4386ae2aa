#include "learning/evaluator.h"

#include "learning/logistic.h"
#include "learning/metrics.h"
#include "learning/model_input.h"
#include "learning/online_step.h"
#include "learning/partition_state.h"

namespace driftline {
namespace {

double BaseLogit(const BaseModel* base, const Event& e) {
  return base ? base->Logit(ModelInput(e)) : 0.0;
}

// Predicts for `ex`, then learns from it (and from replayed examples).
// Returns the prediction made before learning.
double PredictThenLearn(PartitionState& state, const BaseModel* base,
                        const LabelledExample& ex) {
  const Event& e = ex.event;
  const SparseFeatures x = DeltaFeatures(e, state.options());
  const ScoreParts parts = ScoreOnline(state, state, e.user, e.item, x, BaseLogit(base, e));
  LearnOnline(state, state, e.user, e.item, x, parts, ex.label);
  state.OfferReplay(ex);
  for (size_t k = 0; k < state.options().replay_per_update; ++k) {
    const LabelledExample* old = state.SampleReplay();
    if (!old) break;
    const Event& r = old->event;
    const SparseFeatures rx = DeltaFeatures(r, state.options());
    const ScoreParts rparts = ScoreOnline(state, state, r.user, r.item, rx, BaseLogit(base, r));
    LearnOnline(state, state, r.user, r.item, rx, rparts, old->label);
  }
  return Sigmoid(parts.Logit());
}

}  // namespace

const char* EvalModeName(EvalMode mode) {
  switch (mode) {
    case EvalMode::kBase: return "base";
    case EvalMode::kHybrid: return "hybrid";
    case EvalMode::kOnline: return "online";
  }
  return "unknown";
}

EvalResult EvaluateProgressive(EvalMode mode, const BaseModel* base,
                               const std::vector<LabelledExample>& examples,
                               const EvalOptions& options, const EvalProgress& progress) {
  PartitionState state(0, options.online, options.seed);
  const BaseModel* prior = mode == EvalMode::kOnline ? nullptr : base;
  ProgressiveMetrics metrics;
  for (size_t i = 0; i < examples.size(); ++i) {
    const LabelledExample& ex = examples[i];
    const double p = mode == EvalMode::kBase ? Sigmoid(BaseLogit(prior, ex.event))
                                             : PredictThenLearn(state, prior, ex);
    metrics.Add(p, ex.label);
    if (progress && (i + 1) % kEvalProgressEvery == 0) progress(i + 1, examples.size());
  }
  return {metrics.count(), metrics.LogLoss(), metrics.Auc()};
}

}  // namespace driftline
