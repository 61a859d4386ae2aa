#include "learning/evaluator.h"

#include <algorithm>

#include "learning/logistic.h"
#include "learning/metrics.h"
#include "learning/model_input.h"
#include "learning/online_step.h"
#include "learning/partition_learner.h"

namespace driftline {
namespace {

// One step of the timeline: example `index` is scored (and, unless joined,
// learned), or a joined example's label arrives.
struct Step {
  int64_t ts_ms;
  bool outcome;  // the label of a joined example
  size_t index;
};

std::vector<Step> Timeline(const std::vector<LabelledExample>& examples) {
  std::vector<Step> steps;
  steps.reserve(examples.size() * 2);
  for (size_t i = 0; i < examples.size(); ++i) {
    steps.push_back({examples[i].event.ts_ms, false, i});
    if (examples[i].joined) steps.push_back({examples[i].known_at_ms, true, i});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    if (a.ts_ms != b.ts_ms) return a.ts_ms < b.ts_ms;
    if (a.outcome != b.outcome) return b.outcome;
    return a.index < b.index;
  });
  return steps;
}

// The score parts of an example read from the state as it is now (the
// router's reads: base here, user part at the user's partition, arm part at
// the arm's partition).
ScoreParts Read(const PartitionLearner& learner, const BaseModel* base, const Event& e,
                const OnlineOptions& online) {
  const SparseFeatures x = DeltaFeatures(e, online);
  return {base ? base->Logit(ModelInput(e)) : 0.0, learner.UserLogit(e.user, x),
          e.item.empty() ? 0.0 : learner.Arm(e.item, x).logit};
}

// What the node's partitions receive for an example, as inputs.
PredictionInput Remember(const LabelledExample& ex, const ScoreParts& parts) {
  PredictionInput in;
  PendingPrediction& p = in.prediction;
  p.prediction_id = ex.event.prediction_id;
  p.user = ex.event.user;
  p.chosen = ex.event.item;
  p.ts_ms = ex.event.ts_ms;
  p.features = ex.event.features;
  p.base_logit = parts.base;
  p.user_logit = parts.user;
  p.arm_logit = parts.arm;
  return in;
}

EventInput LabelledInput(const LabelledExample& ex, const ScoreParts& parts) {
  EventInput in{ex.event, parts.base, parts.arm};
  in.event.label = ex.label;
  in.event.prediction_id.clear();  // an outcome without its exposure: a plain labelled event
  return in;
}

EventInput OutcomeInput(const LabelledExample& ex) {
  EventInput in;
  in.event.ts_ms = ex.known_at_ms;
  in.event.user = ex.event.user;
  in.event.label = ex.label;
  in.event.event_id = ex.outcome_event_id;
  in.event.prediction_id = ex.event.prediction_id;
  return in;
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
  const bool learns = mode != EvalMode::kBase;
  const size_t batch = std::max<size_t>(1, options.batch);
  const std::vector<Step> steps = Timeline(examples);
  // Where the model switch happens: before the first step after its time.
  const EvalModelSwitch* change =
      options.model_switch && mode != EvalMode::kOnline ? &*options.model_switch : nullptr;
  size_t switch_at = steps.size();
  if (change) {
    switch_at = static_cast<size_t>(
        std::find_if(steps.begin(), steps.end(),
                     [&](const Step& s) { return s.ts_ms > change->after_ms; }) -
        steps.begin());
  }

  ProgressiveMetrics metrics, after_switch;
  EvalResult result;
  if (options.keep_predictions) result.predictions.assign(examples.size(), 0.0);
  std::vector<ScoreParts> parts(examples.size());
  for (size_t group = 0, end = 0; group < steps.size(); group = end) {
    if (change && group == switch_at) {
      prior = change->model;
      // The one transform the node's partitions apply (activation 1: the
      // evaluator's learner has seen none before).
      if (learns) learner.Apply(ModelSwitchInput{1, change->model->version(), change->deltas});
    }
    // Batches do not straddle the switch.
    const size_t limit = group < switch_at ? switch_at : steps.size();
    end = std::min(limit, group + batch);
    // 1. Score every example of the group from the state before the group.
    for (size_t s = group; s < end; ++s) {
      if (steps[s].outcome) continue;
      const size_t i = steps[s].index;
      const Event& e = examples[i].event;
      parts[i] = learns ? Read(learner, prior, e, options.online)
                        : ScoreParts{prior ? prior->Logit(ModelInput(e)) : 0.0, 0.0, 0.0};
      const double p = Sigmoid(parts[i].Logit());
      metrics.Add(p, examples[i].label);
      if (s >= switch_at) after_switch.Add(p, examples[i].label);
      if (options.keep_predictions) result.predictions[i] = p;
      if (progress && metrics.count() % kEvalProgressEvery == 0) {
        progress(metrics.count(), examples.size());
      }
    }
    if (!learns) continue;
    // 2. Remember the group's predictions that wait for a later label.
    for (size_t s = group; s < end; ++s) {
      const size_t i = steps[s].index;
      if (!steps[s].outcome && examples[i].joined) learner.Apply(Remember(examples[i], parts[i]));
    }
    // 3. Apply the group's labels in order, 4. then the arm updates.
    std::vector<ArmUpdateInput> arm_updates;
    for (size_t s = group; s < end; ++s) {
      const size_t i = steps[s].index;
      if (examples[i].joined && !steps[s].outcome) continue;  // its label comes later
      const EventInput in =
          steps[s].outcome ? OutcomeInput(examples[i]) : LabelledInput(examples[i], parts[i]);
      ApplyResult applied = learner.Apply(in);
      for (ArmUpdateInput& u : applied.arm_updates) arm_updates.push_back(std::move(u));
    }
    for (const ArmUpdateInput& u : arm_updates) learner.Apply(u);
  }
  result.n = metrics.count();
  result.logloss = metrics.LogLoss();
  result.auc = metrics.Auc();
  if (change) result.after_switch = {after_switch.count(), after_switch.LogLoss(), after_switch.Auc()};
  return result;
}

}  // namespace driftline
