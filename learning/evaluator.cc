#include "learning/evaluator.h"

#include "learning/logistic.h"
#include "learning/metrics.h"
#include "learning/model_input.h"
#include "learning/online_step.h"
#include "learning/partition_learner.h"

namespace driftline {
namespace {

double BaseLogit(const BaseModel* base, const Event& e) {
  return base ? base->Logit(ModelInput(e)) : 0.0;
}

// Predicts for `ex` the way the node does (base from the model, the user part
// from the user's partition, the arm part from the arm's partition), then
// learns from it through the same inputs the partitions apply. One learner
// plays both the user's and the arm's partition. Returns the prediction.
double PredictThenLearn(PartitionLearner& learner, const BaseModel* base,
                        const LabelledExample& ex) {
  EventInput input;
  input.event = ex.event;
  input.event.label = ex.label;
  input.event.prediction_id.clear();  // joined already: a labelled event
  const Event& e = input.event;
  const SparseFeatures x = DeltaFeatures(e, learner.state().options());
  input.base_logit = BaseLogit(base, e);
  input.arm_logit = e.item.empty() ? 0.0 : learner.Arm(e.item, x).logit;
  const ScoreParts parts{input.base_logit, learner.UserLogit(e.user, x), input.arm_logit};
  const ApplyResult result = learner.Apply(input);
  for (const ArmUpdateInput& update : result.arm_updates) learner.Apply(update);
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
  PartitionLearner learner(0, options.online, options.seed);
  const BaseModel* prior = mode == EvalMode::kOnline ? nullptr : base;
  ProgressiveMetrics metrics;
  for (size_t i = 0; i < examples.size(); ++i) {
    const LabelledExample& ex = examples[i];
    const double p = mode == EvalMode::kBase ? Sigmoid(BaseLogit(prior, ex.event))
                                             : PredictThenLearn(learner, prior, ex);
    metrics.Add(p, ex.label);
    if (progress && (i + 1) % kEvalProgressEvery == 0) progress(i + 1, examples.size());
  }
  return {metrics.count(), metrics.LogLoss(), metrics.Auc()};
}

}  // namespace driftline
