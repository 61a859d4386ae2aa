#include "learning/partition_state.h"

#include <algorithm>

namespace driftline {

PartitionState::PartitionState(uint32_t partition, const OnlineOptions& options, uint64_t seed)
    : partition_(partition),
      options_(options),
      linear_options_{options.linear_dim, options.linear_ridge},
      rng_(seed) {}

ArmState& PartitionState::Arm(const std::string& arm) {
  auto it = arms_.find(arm);
  if (it == arms_.end()) it = arms_.emplace(arm, ArmState(linear_options_)).first;
  return it->second;
}

double PartitionState::UserLogit(const std::string& user, const SparseFeatures& x) const {
  auto it = users_.find(user);
  return it == users_.end() ? 0.0 : it->second.Logit(x, options_.user_ftrl);
}

double PartitionState::ArmLogit(const std::string& arm, const SparseFeatures& x) const {
  auto it = arms_.find(arm);
  return it == arms_.end() ? 0.0 : it->second.delta.Logit(x, options_.arm_ftrl);
}

const ArmState* PartitionState::FindArm(const std::string& arm) const {
  auto it = arms_.find(arm);
  return it == arms_.end() ? nullptr : &it->second;
}

void PartitionState::LearnUser(const std::string& user, const SparseFeatures& x,
                               double residual) {
  users_[user].Update(x, residual, options_.user_ftrl);
}

void PartitionState::LearnArm(const std::string& arm, const SparseFeatures& x, double residual,
                              int label) {
  ArmState& state = Arm(arm);
  state.delta.Update(x, residual, options_.arm_ftrl);
  (label ? state.successes : state.failures) += 1.0;
  Result<Eigen::VectorXd> context = DenseContext(x, linear_options_.dim);
  if (context.ok()) state.linear.Update(*context, label).ok();  // x is finite: cannot fail
}

void PartitionState::TransformDeltas(const DeltaTransform& transform) {
  switch (transform.kind) {
    case DeltaTransform::Kind::kKeep:
      return;
    case DeltaTransform::Kind::kReset:
      users_.clear();
      for (auto& [arm, state] : arms_) {
        state.delta = DeltaLayer();
        state.successes = state.failures = 0.0;
      }
      return;
    case DeltaTransform::Kind::kDecay:
      for (auto& [user, layer] : users_) layer.Decay(transform.factor, options_.user_ftrl);
      for (auto& [arm, state] : arms_) {
        state.delta.Decay(transform.factor, options_.arm_ftrl);
        state.successes *= transform.factor;
        state.failures *= transform.factor;
      }
      return;
  }
}

bool PartitionState::CheckAndRememberEventId(const std::string& event_id) {
  if (event_id.empty() || options_.dedup_window == 0) return false;
  if (recent_id_set_.count(event_id)) return true;
  recent_ids_.push_back(event_id);
  recent_id_set_.insert(event_id);
  while (recent_ids_.size() > options_.dedup_window) {
    recent_id_set_.erase(recent_ids_.front());
    recent_ids_.pop_front();
  }
  return false;
}

Status PartitionState::AddPending(PendingPrediction prediction) {
  if (prediction.prediction_id.empty()) {
    return Status::InvalidArgument("pending prediction has an empty prediction_id");
  }
  if (pending_.count(prediction.prediction_id)) {
    return Status::InvalidArgument("prediction_id " + prediction.prediction_id +
                                   " is already pending");
  }
  pending_by_time_.emplace(prediction.ts_ms, prediction.prediction_id);
  std::string id = prediction.prediction_id;
  pending_.emplace(std::move(id), std::move(prediction));
  return Status::Ok();
}

std::optional<PendingPrediction> PartitionState::TakePending(const std::string& prediction_id) {
  auto it = pending_.find(prediction_id);
  if (it == pending_.end()) return std::nullopt;
  PendingPrediction p = std::move(it->second);
  pending_.erase(it);
  pending_by_time_.erase({p.ts_ms, p.prediction_id});
  return p;
}

std::vector<PendingPrediction> PartitionState::ExpirePending(int64_t now_ms) {
  std::vector<PendingPrediction> expired;
  while (!pending_by_time_.empty()) {
    const auto& [ts, id] = *pending_by_time_.begin();
    // ts < now - ttl rather than now - ts > ttl: the clock is >= 0 and the
    // wait >= 0, so nothing overflows whatever ts a prediction carries.
    const bool too_old = ts < now_ms - options_.pending_ttl_ms;
    const bool too_many = pending_.size() > options_.max_pending;
    if (!too_old && !too_many) break;
    auto it = pending_.find(id);
    expired.push_back(std::move(it->second));
    pending_.erase(it);
    pending_by_time_.erase(pending_by_time_.begin());
  }
  return expired;
}

void PartitionState::OfferReplay(const ReplayExample& example) {
  if (options_.replay_capacity == 0) return;
  ++labelled_seen_;
  if (replay_.size() < options_.replay_capacity) {
    replay_.push_back(example);
    return;
  }
  const uint64_t slot = rng_.NextBelow(labelled_seen_);
  if (slot < replay_.size()) replay_[slot] = example;
}

const ReplayExample* PartitionState::SampleReplay() {
  if (replay_.empty()) return nullptr;
  return &replay_[rng_.NextBelow(replay_.size())];
}

PartitionSnapshot PartitionState::Snapshot(uint64_t epoch, uint64_t applied_sequence) const {
  PartitionSnapshot s;
  s.partition = partition_;
  s.epoch = epoch;
  s.applied_sequence = applied_sequence;
  for (const auto& [user, layer] : users_) s.users.push_back({user, layer.Coordinates()});
  std::sort(s.users.begin(), s.users.end(),
            [](const auto& a, const auto& b) { return a.user < b.user; });
  for (const auto& [arm, st] : arms_) {
    ArmSnapshot a{arm, st.delta.Coordinates(), st.successes, st.failures, {}, {}};
    st.linear.ToSnapshot(&a.linear_a, &a.linear_b);
    s.arms.push_back(std::move(a));
  }
  std::sort(s.arms.begin(), s.arms.end(),
            [](const auto& a, const auto& b) { return a.arm < b.arm; });
  for (const auto& [id, p] : pending_) s.pending.push_back(p);
  s.replay = replay_;
  s.recent_event_ids.assign(recent_ids_.begin(), recent_ids_.end());
  s.rng_state.assign(rng_.state().begin(), rng_.state().end());
  s.events_seen = labelled_seen_;
  s.clock_ms = clock_ms_;
  for (const auto& [source, ordinal] : arm_high_water_) s.arm_high_water.push_back({source, ordinal});
  s.model_activation = model_activation_;
  s.model_version = model_version_;
  return s;
}

Result<PartitionState> PartitionState::Restore(const PartitionSnapshot& s,
                                               const OnlineOptions& options) {
  PartitionState state(s.partition, options, 0);
  for (const auto& u : s.users) state.users_[u.user] = DeltaLayer::FromCoordinates(u.coords);
  for (const auto& a : s.arms) {
    auto linear = LinearArmState::FromSnapshot(a.linear_a, a.linear_b, state.linear_options_);
    if (!linear.ok()) {
      return Status::Corruption("arm " + a.arm + ": " + linear.status().message());
    }
    ArmState& arm = state.Arm(a.arm);
    arm.delta = DeltaLayer::FromCoordinates(a.coords);
    arm.successes = a.successes;
    arm.failures = a.failures;
    arm.linear = std::move(*linear);
  }
  for (const auto& p : s.pending) {
    state.pending_by_time_.emplace(p.ts_ms, p.prediction_id);
    state.pending_.emplace(p.prediction_id, p);
  }
  state.replay_ = s.replay;
  for (const auto& id : s.recent_event_ids) {
    state.recent_ids_.push_back(id);
    state.recent_id_set_.insert(id);
  }
  if (s.rng_state.size() == 4) {
    Rng::State st;
    std::copy(s.rng_state.begin(), s.rng_state.end(), st.begin());
    state.rng_ = Rng::FromState(st);
  }
  state.labelled_seen_ = s.events_seen;
  state.clock_ms_ = s.clock_ms;
  for (const ArmWatermark& w : s.arm_high_water) state.arm_high_water_[w.partition] = w.ordinal;
  state.model_activation_ = s.model_activation;
  state.model_version_ = s.model_version;
  return state;
}

}  // namespace driftline
