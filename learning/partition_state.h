// PartitionState: everything one partition owns, as a plain class. A
// partition actor (actors/) owns exactly one and feeds it messages in order;
// the offline evaluator owns one directly. Its state depends only on the
// order of its input (no clock, one seeded Rng), so a checkpoint plus a replay
// of the log suffix reproduces it bit for bit.
//
// Owns: per-user delta layers, per-arm state (delta layer + Beta-Bernoulli
// evidence + linear bandit statistics), pending predictions awaiting their
// outcome, the replay reservoir, the event-id de-duplication window, the
// arm-update high-water mark per source partition, the Rng.
//
// Bounds (docs/architecture.md, "Bounded state"): users and arms idle longer
// than OnlineOptions::state_ttl_ms of event time are evicted (EvictIdle, in
// O(log n) per eviction through an index by last-touch time), pending by
// max_pending, the window by dedup_window, the reservoir by replay_capacity,
// the high-water marks by the partition count.
//
// Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "learning/delta_layer.h"
#include "learning/delta_transform.h"
#include "learning/linear_bandit.h"
#include "learning/online_options.h"
#include "learning/partition_input.h"
#include "learning/partition_snapshot.h"
#include "common/rng.h"

namespace driftline {

struct ArmState {
  explicit ArmState(const LinearBanditOptions& linear_options) : linear(linear_options) {}
  DeltaLayer delta;
  double successes = 0.0;  // Beta-Bernoulli evidence (see learning/beta_bernoulli.h)
  double failures = 0.0;
  LinearArmState linear;   // disjoint linear bandit over the delta features
  int64_t last_touch_ms = 0;  // event time of the last update (eviction)
};

struct UserState {
  DeltaLayer delta;
  int64_t last_touch_ms = 0;  // event time of the last update (eviction)
};

// What EvictIdle removed.
struct Evicted {
  size_t users = 0;
  size_t arms = 0;
};


class PartitionState {
 public:
  PartitionState(uint32_t partition, const OnlineOptions& options, uint64_t seed);

  uint32_t partition() const { return partition_; }
  const OnlineOptions& options() const { return options_; }
  Rng& rng() { return rng_; }

  // --- scoring (read-only) ---
  double UserLogit(const std::string& user, const SparseFeatures& x) const;
  double ArmLogit(const std::string& arm, const SparseFeatures& x) const;
  // nullptr when the arm has no state yet.
  const ArmState* FindArm(const std::string& arm) const;

  // --- learning ---
  // residual = LogisticGradient(combined logit, label), computed by the caller
  // from the same score parts it predicted with. The layer's last touch
  // becomes max(clock_ms(), ts_ms).
  void LearnUser(const std::string& user, const SparseFeatures& x, double residual,
                 int64_t ts_ms = 0);
  // Also adds the outcome to the arm's Beta evidence and, with x folded into
  // a dense context, to its linear bandit. Touches the arm like LearnUser.
  void LearnArm(const std::string& arm, const SparseFeatures& x, double residual, int label,
                int64_t ts_ms = 0);

  // --- bounds ---
  // With options().state_ttl_ms > 0: removes every user layer and arm state
  // whose last touch is before now_ms - state_ttl_ms, oldest first (ties by
  // key). O(log n) per removal; nothing is scanned that stays. A no-op
  // when state_ttl_ms is 0.
  Evicted EvictIdle(int64_t now_ms);
  // Removes everything keyed by `user`: its delta layer, its pending
  // predictions and its examples in the replay reservoir (the reservoir
  // keeps the order of the rest). Arm state learned from the user's events
  // is an aggregate over users and stays.
  ForgetReport ForgetUser(const std::string& user);

  // --- de-duplication ---
  // True if event_id was seen within the window; remembers it otherwise.
  // An empty id is never a duplicate.
  bool CheckAndRememberEventId(const std::string& event_id);
  // True if event_id is in the window (an empty id never is).
  bool HasEventId(const std::string& event_id) const {
    return !event_id.empty() && recent_id_set_.count(event_id) > 0;
  }

  // --- arm updates received (learning/arm_update_delivery.h) ---
  // The last arm update from `source` logged here; none if nothing yet.
  ArmOrdinal ArmHighWater(uint32_t source) const {
    auto it = arm_high_water_.find(source);
    return it == arm_high_water_.end() ? ArmOrdinal{} : it->second;
  }
  void SetArmHighWater(uint32_t source, ArmOrdinal ordinal) { arm_high_water_[source] = ordinal; }

  // --- pending predictions (delayed labels) ---
  // InvalidArgument on an empty or already-pending prediction id.
  Status AddPending(PendingPrediction prediction);
  // Removes and returns the prediction; nullopt if unknown or expired.
  std::optional<PendingPrediction> TakePending(const std::string& prediction_id);
  // Removes predictions older than now - pending_ttl_ms (and beyond
  // max_pending), oldest first, and returns them for the caller to label with
  // the default or drop.
  std::vector<PendingPrediction> ExpirePending(int64_t now_ms);
  size_t pending_count() const { return pending_.size(); }

  // --- replay reservoir (Algorithm R over labelled examples) ---
  void OfferReplay(const ReplayExample& example);
  // Draws one stored example uniformly; nullptr when empty.
  const ReplayExample* SampleReplay();
  size_t replay_size() const { return replay_.size(); }

  // --- event time ---
  // The latest event time applied; pending predictions expire against it.
  int64_t clock_ms() const { return clock_ms_; }
  // Moves the clock forward to ts_ms (never backwards).
  void AdvanceClock(int64_t ts_ms) {
    if (ts_ms > clock_ms_) clock_ms_ = ts_ms;
  }

  // --- base-model switches (learning/delta_transform.h) ---
  // Applies `transform` to every user and arm delta layer and to every arm's
  // Beta evidence; the linear bandit statistics and everything else stay.
  void TransformDeltas(const DeltaTransform& transform);
  // The last activation applied (0: none) and its model version.
  uint64_t model_activation() const { return model_activation_; }
  const std::string& model_version() const { return model_version_; }
  void SetModel(uint64_t activation, std::string version) {
    model_activation_ = activation;
    model_version_ = std::move(version);
  }

  size_t user_count() const { return users_.size(); }
  size_t arm_count() const { return arms_.size(); }

  // --- checkpoints ---
  PartitionSnapshot Snapshot(uint64_t epoch, uint64_t applied_sequence) const;
  // Corruption when a stored linear-bandit state is malformed.
  static Result<PartitionState> Restore(const PartitionSnapshot& snapshot,
                                        const OnlineOptions& options);

 private:
  ArmState& Arm(const std::string& arm);
  // Moves `key` in `index` from its old touch time to max(clock_ms_, ts_ms)
  // (the index is kept only when state_ttl_ms > 0); returns the new time.
  int64_t Touch(std::set<std::pair<int64_t, std::string>>& index, const std::string& key,
                int64_t old_touch, bool is_new, int64_t ts_ms);

  uint32_t partition_;
  OnlineOptions options_;
  LinearBanditOptions linear_options_;
  Rng rng_;
  std::unordered_map<std::string, UserState> users_;
  std::unordered_map<std::string, ArmState> arms_;
  // (last touch, key), kept only when state_ttl_ms > 0: the eviction order.
  std::set<std::pair<int64_t, std::string>> users_by_touch_;
  std::set<std::pair<int64_t, std::string>> arms_by_touch_;
  std::map<std::string, PendingPrediction> pending_;
  std::set<std::pair<int64_t, std::string>> pending_by_time_;
  std::vector<ReplayExample> replay_;
  uint64_t labelled_seen_ = 0;
  int64_t clock_ms_ = 0;
  std::deque<std::string> recent_ids_;
  std::unordered_set<std::string> recent_id_set_;
  std::map<uint32_t, ArmOrdinal> arm_high_water_;  // by source partition
  uint64_t model_activation_ = 0;
  std::string model_version_;
};

}  // namespace driftline
