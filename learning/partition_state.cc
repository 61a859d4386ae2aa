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

int64_t PartitionState::Touch(std::set<std::pair<int64_t, std::string>>& index,
                              const std::string& key, int64_t old_touch, bool is_new,
                              int64_t ts_ms) {
  const int64_t touch = std::max(clock_ms_, ts_ms);
  if (options_.state_ttl_ms > 0 && (is_new || touch != old_touch)) {
    if (!is_new) index.erase({old_touch, key});
    index.emplace(touch, key);
  }
  return touch;
}

Evicted PartitionState::EvictIdle(int64_t now_ms) {
  Evicted evicted;
  if (options_.state_ttl_ms <= 0) return evicted;
  // last_touch < now - ttl, written so nothing overflows (now >= 0, ttl > 0).
  const int64_t horizon = now_ms - options_.state_ttl_ms;
  while (!users_by_touch_.empty() && users_by_touch_.begin()->first < horizon) {
    users_.erase(users_by_touch_.begin()->second);
    users_by_touch_.erase(users_by_touch_.begin());
    ++evicted.users;
  }
  while (!arms_by_touch_.empty() && arms_by_touch_.begin()->first < horizon) {
    arms_.erase(arms_by_touch_.begin()->second);
    arms_by_touch_.erase(arms_by_touch_.begin());
    ++evicted.arms;
  }
  return evicted;
}

ForgetReport PartitionState::ForgetUser(const std::string& user) {
  ForgetReport report;
  if (auto it = users_.find(user); it != users_.end()) {
    users_by_touch_.erase({it->second.last_touch_ms, user});
    users_.erase(it);
    report.delta = true;
  }
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.user == user) {
      pending_by_time_.erase({it->second.ts_ms, it->first});
      it = pending_.erase(it);
      ++report.pending;
    } else {
      ++it;
    }
  }
  const auto kept = std::remove_if(replay_.begin(), replay_.end(),
                                   [&](const ReplayExample& r) { return r.event.user == user; });
  report.replay = static_cast<uint32_t>(replay_.end() - kept);
  replay_.erase(kept, replay_.end());
  return report;
}

double PartitionState::UserLogit(const std::string& user, const SparseFeatures& x) const {
  auto it = users_.find(user);
  return it == users_.end() ? 0.0 : it->second.delta.Logit(x, options_.user_ftrl);
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
                               double residual, int64_t ts_ms) {
  auto [it, is_new] = users_.try_emplace(user);
  UserState& state = it->second;
  state.last_touch_ms = Touch(users_by_touch_, user, state.last_touch_ms, is_new, ts_ms);
  state.delta.Update(x, residual, options_.user_ftrl);
}

void PartitionState::LearnArm(const std::string& arm, const SparseFeatures& x, double residual,
                              int label, int64_t ts_ms) {
  const bool is_new = arms_.count(arm) == 0;
  ArmState& state = Arm(arm);
  state.last_touch_ms = Touch(arms_by_touch_, arm, state.last_touch_ms, is_new, ts_ms);
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
      users_by_touch_.clear();  // arms stay (their touch with them)
      for (auto& [arm, state] : arms_) {
        state.delta = DeltaLayer();
        state.successes = state.failures = 0.0;
      }
      return;
    case DeltaTransform::Kind::kDecay:
      for (auto& [user, u] : users_) u.delta.Decay(transform.factor, options_.user_ftrl);
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
  for (const auto& [user, u] : users_) {
    s.users.push_back({user, u.delta.Coordinates(), u.last_touch_ms});
  }
  std::sort(s.users.begin(), s.users.end(),
            [](const auto& a, const auto& b) { return a.user < b.user; });
  for (const auto& [arm, st] : arms_) {
    ArmSnapshot a{arm, st.delta.Coordinates(), st.successes, st.failures, {}, {}, st.last_touch_ms};
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
  const bool indexed = options.state_ttl_ms > 0;
  for (const auto& u : s.users) {
    state.users_[u.user] = UserState{DeltaLayer::FromCoordinates(u.coords), u.last_touch_ms};
    if (indexed) state.users_by_touch_.emplace(u.last_touch_ms, u.user);
  }
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
    arm.last_touch_ms = a.last_touch_ms;
    if (indexed) state.arms_by_touch_.emplace(a.last_touch_ms, a.arm);
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
