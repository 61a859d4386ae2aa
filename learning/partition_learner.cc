#include "learning/partition_learner.h"

#include "learning/arm_update_delivery.h"
#include "learning/logistic.h"

namespace driftline {
namespace {

// For people reading a record: which event or prediction an arm update came
// from. Not an identity (that is its source ordinal).
std::string ArmUpdateId(const std::string& source_id) {
  return source_id.empty() ? std::string() : "arm/" + source_id;
}

}  // namespace

std::string DedupId(const PartitionInput& input) {
  if (const auto* e = std::get_if<EventInput>(&input)) return e->event.event_id;
  if (std::holds_alternative<ArmUpdateInput>(input)) return std::string();  // by ordinal
  if (std::holds_alternative<ModelSwitchInput>(input)) return std::string();  // by activation
  if (std::holds_alternative<ForgetInput>(input)) return std::string();  // idempotent
  const auto& p = std::get<PredictionInput>(input).prediction;
  return p.prediction_id.empty() ? std::string() : "pred/" + p.prediction_id;
}

PartitionLearner::PartitionLearner(uint32_t partition, const OnlineOptions& options,
                                   uint64_t seed)
    : state_(partition, options, seed) {}

Result<PartitionLearner> PartitionLearner::Restore(const PartitionSnapshot& snapshot,
                                                   const OnlineOptions& options) {
  auto state = PartitionState::Restore(snapshot, options);
  if (!state.ok()) return state.status();
  return PartitionLearner(std::move(*state));
}

ArmView PartitionLearner::Arm(const std::string& arm, const SparseFeatures& delta_x) const {
  ArmView view;
  const ArmState* s = state_.FindArm(arm);
  if (!s) return view;
  view.logit = state_.ArmLogit(arm, delta_x);
  view.successes = s->successes;
  view.failures = s->failures;
  return view;
}

bool PartitionLearner::IsDuplicate(const PartitionInput& input) const {
  if (const auto* a = std::get_if<ArmUpdateInput>(&input)) {
    return JudgeArmUpdate(*a, state_.ArmHighWater(a->source_partition)) == ArmVerdict::kDuplicate;
  }
  if (const auto* m = std::get_if<ModelSwitchInput>(&input)) {
    return m->activation <= state_.model_activation();
  }
  return state_.HasEventId(DedupId(input));
}

ApplyResult PartitionLearner::Apply(const PartitionInput& input) {
  if (const auto* e = std::get_if<EventInput>(&input)) return ApplyEvent(*e);
  if (const auto* p = std::get_if<PredictionInput>(&input)) return ApplyPrediction(*p);
  if (const auto* m = std::get_if<ModelSwitchInput>(&input)) return ApplyModelSwitch(*m);
  if (const auto* f = std::get_if<ForgetInput>(&input)) return ApplyForget(*f);
  return ApplyArmUpdate(std::get<ArmUpdateInput>(input));
}

ApplyResult PartitionLearner::ApplyForget(const ForgetInput& input) {
  ApplyResult result;
  result.forgotten = state_.ForgetUser(input.user);
  ++counters_.forgotten_users;
  result.kind = ApplyResult::Kind::kForgotten;
  return result;
}

void PartitionLearner::AdvanceTo(int64_t ts_ms, ApplyResult& result) {
  state_.AdvanceClock(ts_ms);
  const auto& options = state_.options();
  for (PendingPrediction& p : state_.ExpirePending(state_.clock_ms())) {
    if (!options.default_label) {
      ++result.expired_dropped;
      ++counters_.expired_dropped;
      continue;
    }
    ++result.expired_labelled;
    ++counters_.expired_labelled;
    LearnUserAndForward(p.prediction_id, p.user, p.chosen, p.features,
                        {p.base_logit, p.user_logit, p.arm_logit}, *options.default_label,
                        p.ts_ms, result);
  }
  // Idle state goes after expiry (a default label touches its layers at the
  // clock, so they stay), before this input learns anything.
  const Evicted evicted = state_.EvictIdle(state_.clock_ms());
  counters_.evicted_users += evicted.users;
  counters_.evicted_arms += evicted.arms;
}

void PartitionLearner::LearnUserAndForward(const std::string& id, const std::string& user,
                                           const std::string& item, const FeatureSet& features,
                                           const ScoreParts& parts, int label, int64_t ts_ms,
                                           ApplyResult& result) {
  const double residual = LogisticGradient(parts.Logit(), label);
  state_.LearnUser(user, DeltaFeatures(user, item, features, state_.options()), residual, ts_ms);
  ++counters_.learned;
  if (!item.empty()) {
    ArmUpdateInput update;  // stamped with its source ordinal by the journal
    update.update_id = ArmUpdateId(id);
    update.arm = item;
    update.user = user;
    update.features = features;
    update.residual = residual;
    update.label = label;
    update.ts_ms = ts_ms;
    result.arm_updates.push_back(std::move(update));
  }
}

ApplyResult PartitionLearner::ApplyEvent(const EventInput& input) {
  ApplyResult result;
  const Event& e = input.event;
  if (state_.CheckAndRememberEventId(e.event_id)) {
    ++counters_.duplicates;
    result.kind = ApplyResult::Kind::kDuplicate;
    return result;
  }
  AdvanceTo(e.ts_ms, result);
  if (!e.label) {
    ++counters_.unlabelled;
    result.kind = ApplyResult::Kind::kAdvanced;
    return result;
  }
  if (!e.prediction_id.empty()) {
    std::optional<PendingPrediction> p = state_.TakePending(e.prediction_id);
    if (!p) {
      ++counters_.outcomes_unknown;
      result.kind = ApplyResult::Kind::kUnknownPrediction;
      return result;
    }
    ++counters_.outcomes_joined;
    LearnUserAndForward(p->prediction_id, p->user, p->chosen, p->features,
                        {p->base_logit, p->user_logit, p->arm_logit}, *e.label, e.ts_ms, result);
    result.kind = ApplyResult::Kind::kLearned;
    return result;
  }
  const SparseFeatures x = DeltaFeatures(e, state_.options());
  const ScoreParts parts{input.base_logit, state_.UserLogit(e.user, x), input.arm_logit};
  LearnUserAndForward(e.event_id, e.user, e.item, e.features, parts, *e.label, e.ts_ms, result);
  if (state_.options().replay_per_update > 0) {  // the reservoir only matters when replayed
    state_.OfferReplay({e, input.base_logit, input.arm_logit});
    ReplayUserLayer();
  }
  result.kind = ApplyResult::Kind::kLearned;
  return result;
}

void PartitionLearner::ReplayUserLayer() {
  for (size_t k = 0; k < state_.options().replay_per_update; ++k) {
    const ReplayExample* old = state_.SampleReplay();
    if (!old) return;
    const Event& r = old->event;
    const SparseFeatures x = DeltaFeatures(r, state_.options());
    const ScoreParts parts{old->base_logit, state_.UserLogit(r.user, x), old->arm_logit};
    state_.LearnUser(r.user, x, LogisticGradient(parts.Logit(), r.label.value_or(0)));
  }
}

ApplyResult PartitionLearner::ApplyPrediction(const PredictionInput& input) {
  ApplyResult result;
  if (state_.CheckAndRememberEventId(DedupId(input))) {
    ++counters_.duplicates;
    result.kind = ApplyResult::Kind::kDuplicate;
    return result;
  }
  AdvanceTo(input.prediction.ts_ms, result);
  if (!state_.AddPending(input.prediction).ok()) {
    ++counters_.rejected;
    result.kind = ApplyResult::Kind::kRejected;
    return result;
  }
  ++counters_.predictions;
  result.kind = ApplyResult::Kind::kRemembered;
  return result;
}

ApplyResult PartitionLearner::ApplyArmUpdate(const ArmUpdateInput& input) {
  ApplyResult result;
  switch (JudgeArmUpdate(input, state_.ArmHighWater(input.source_partition))) {
    case ArmVerdict::kDuplicate:
      ++counters_.duplicates;
      result.kind = ApplyResult::Kind::kDuplicate;
      return result;
    case ArmVerdict::kGap:
      ++counters_.arm_gaps;
      result.kind = ApplyResult::Kind::kRejected;
      return result;
    case ArmVerdict::kApply:
      state_.SetArmHighWater(input.source_partition, input.ordinal);
      break;
    case ArmVerdict::kUnstamped:
      break;  // delivered in-process (the offline evaluator): exactly once by construction
  }
  const SparseFeatures x = DeltaFeatures(input.user, input.arm, input.features, state_.options());
  state_.LearnArm(input.arm, x, input.residual, input.label, input.ts_ms);
  ++counters_.arm_updates;
  result.kind = ApplyResult::Kind::kLearned;
  return result;
}

ApplyResult PartitionLearner::ApplyModelSwitch(const ModelSwitchInput& input) {
  ApplyResult result;
  if (input.activation <= state_.model_activation()) {
    ++counters_.duplicates;
    result.kind = ApplyResult::Kind::kDuplicate;
    return result;
  }
  state_.TransformDeltas(input.deltas);
  state_.SetModel(input.activation, input.version);
  ++counters_.model_switches;
  result.kind = ApplyResult::Kind::kModelSwitched;
  return result;
}

}  // namespace driftline
