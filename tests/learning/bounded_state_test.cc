// Bounded online state (issue 6 item 7): eviction of idle users and arms by
// event time, and forgetting a user. Whole-state comparisons: a run that
// evicted equals, snapshot for snapshot, a run that never saw the evicted
// keys; a forget equals the state before it with exactly the user's entries
// taken out.
#include <catch2/catch.hpp>

#include "learning/partition_learner.h"

using namespace driftline;

namespace {

OnlineOptions WithTtl(int64_t ttl_ms) {
  OnlineOptions o;
  o.state_ttl_ms = ttl_ms;
  o.pending_ttl_ms = 1'000'000;
  return o;
}

// A labelled event without an event id: it leaves nothing in the
// de-duplication window, so the only trace of its user is the user's layer.
EventInput Rated(int64_t ts, const std::string& user, const std::string& item, int label) {
  Event e;
  e.ts_ms = ts;
  e.user = user;
  e.item = item;
  e.label = label;
  e.features = {{"item", {{"genre=Drama", 1.0}}}};
  return EventInput{e, 0.1, -0.2};
}

// The arm's share of an update, delivered in-process (no ordinal).
ArmUpdateInput ArmShare(int64_t ts, const std::string& arm, const std::string& user) {
  ArmUpdateInput u;
  u.arm = arm;
  u.user = user;
  u.features = {{"item", {{"genre=Drama", 1.0}}}};
  u.residual = -0.4;
  u.label = 1;
  u.ts_ms = ts;
  return u;
}

PredictionInput Prediction(const std::string& id, const std::string& user, int64_t ts) {
  PredictionInput in;
  in.prediction.prediction_id = id;
  in.prediction.user = user;
  in.prediction.chosen = "i1";
  in.prediction.ts_ms = ts;
  in.prediction.features = {{"item", {{"genre=Drama", 1.0}}}};
  in.prediction.base_logit = 0.2;
  return in;
}

PartitionSnapshot Run(const OnlineOptions& options, const std::vector<PartitionInput>& inputs,
                      PartitionCounters* counters = nullptr) {
  PartitionLearner learner(0, options, 3);
  for (const auto& in : inputs) learner.Apply(in);
  if (counters) *counters = learner.counters();
  return learner.Snapshot(1, 0);
}

}  // namespace

TEST_CASE("a user and an arm idle beyond state_ttl_ms are evicted: the state equals a run that never saw them") {
  const OnlineOptions options = WithTtl(1000);
  const std::vector<PartitionInput> with_idle = {
      Rated(100, "idle", "i1", 1), ArmShare(100, "old-arm", "idle"),
      Rated(200, "busy", "i1", 0), ArmShare(200, "new-arm", "busy"),
      Rated(900, "busy", "i1", 1), ArmShare(900, "new-arm", "busy"),
      Rated(1150, "busy", "i1", 1),  // 1150 - 1000 = 150 > 100: idle and old-arm go
  };
  const std::vector<PartitionInput> without = {
      Rated(200, "busy", "i1", 0), ArmShare(200, "new-arm", "busy"),
      Rated(900, "busy", "i1", 1), ArmShare(900, "new-arm", "busy"),
      Rated(1150, "busy", "i1", 1),
  };
  PartitionCounters counters;
  const PartitionSnapshot evicted = Run(options, with_idle, &counters);
  REQUIRE(evicted == Run(options, without));
  REQUIRE(evicted.users.size() == 1);
  REQUIRE(evicted.users[0].user == "busy");
  REQUIRE(evicted.users[0].last_touch_ms == 1150);
  REQUIRE(evicted.arms.size() == 1);
  REQUIRE(evicted.arms[0].arm == "new-arm");
  REQUIRE(counters.evicted_users == 1);
  REQUIRE(counters.evicted_arms == 1);

  SECTION("an evicted user scores as the base (zero delta) and learns afresh") {
    PartitionLearner learner(0, options, 3);
    for (const auto& in : with_idle) learner.Apply(in);
    const SparseFeatures x = DeltaFeatures(std::get<EventInput>(with_idle[0]).event, options);
    REQUIRE(learner.UserLogit("idle", x) == 0.0);
    REQUIRE(learner.Arm("old-arm", x).successes == 0.0);
  }
}

TEST_CASE("state idle exactly state_ttl_ms stays; one millisecond more and it goes") {
  const OnlineOptions options = WithTtl(1000);
  PartitionLearner learner(0, options, 3);
  learner.Apply(Rated(100, "u", "i1", 1));
  learner.Apply(Rated(1100, "v", "i1", 1));  // u idle exactly 1000
  REQUIRE(learner.state().user_count() == 2);
  learner.Apply(Rated(1101, "v", "i1", 1));
  REQUIRE(learner.state().user_count() == 1);
  REQUIRE(learner.counters().evicted_users == 1);
}

TEST_CASE("with state_ttl_ms 0 (the default) nothing is ever evicted") {
  REQUIRE(OnlineOptions{}.state_ttl_ms == 0);
  PartitionCounters counters;
  const PartitionSnapshot s = Run(OnlineOptions{}, {Rated(1, "u", "i1", 1), ArmShare(1, "a", "u"),
                                                    Rated(1'000'000'000'000, "v", "i1", 1)},
                                  &counters);
  REQUIRE(s.users.size() == 2);
  REQUIRE(s.arms.size() == 1);
  REQUIRE(counters.evicted_users + counters.evicted_arms == 0);
}

TEST_CASE("a touch renews a user: only state idle since its last update is evicted") {
  const OnlineOptions options = WithTtl(1000);
  PartitionLearner learner(0, options, 3);
  learner.Apply(Rated(100, "u", "i1", 1));
  learner.Apply(Rated(800, "u", "i1", 0));   // renewed at 800
  learner.Apply(Rated(1500, "v", "i1", 1));  // 1500 - 1000 = 500 < 800: u stays
  REQUIRE(learner.state().user_count() == 2);
  learner.Apply(Rated(1801, "v", "i1", 1));  // 801 > 800: u goes
  REQUIRE(learner.state().user_count() == 1);
  REQUIRE(learner.Snapshot(1, 0).users[0].user == "v");
}

TEST_CASE("eviction after a snapshot and restore equals eviction in a run that never stopped") {
  const OnlineOptions options = WithTtl(300);
  std::vector<PartitionInput> inputs;
  for (int i = 0; i < 200; ++i) {
    const std::string user = "u" + std::to_string(i % 17);
    const std::string arm = "a" + std::to_string(i % 5 == 0 ? i : i % 3);
    inputs.push_back(Rated(100 + i * 37, user, arm, i % 2));
    inputs.push_back(ArmShare(100 + i * 37, arm, user));
  }
  PartitionCounters straight_counters;
  const PartitionSnapshot straight = Run(options, inputs, &straight_counters);
  REQUIRE(straight_counters.evicted_users > 0);
  REQUIRE(straight_counters.evicted_arms > 0);
  for (size_t cut : {size_t{1}, size_t{77}, size_t{200}, size_t{399}}) {
    PartitionLearner first(0, options, 3);
    for (size_t i = 0; i < cut; ++i) first.Apply(inputs[i]);
    auto resumed = PartitionLearner::Restore(first.Snapshot(1, 0), options);
    REQUIRE(resumed.ok());
    for (size_t i = cut; i < inputs.size(); ++i) resumed->Apply(inputs[i]);
    REQUIRE(resumed->Snapshot(1, 0) == straight);
  }
}

TEST_CASE("a forget removes exactly the user's delta, pending predictions and replay examples") {
  OnlineOptions options = WithTtl(0);
  options.replay_per_update = 1;
  options.replay_capacity = 1000;
  PartitionLearner learner(0, options, 3);
  for (int i = 0; i < 30; ++i) {
    const std::string user = i % 3 == 0 ? "gone" : "kept" + std::to_string(i % 2);
    learner.Apply(Rated(100 + i, user, "i1", i % 2));
  }
  learner.Apply(Prediction("p-gone-1", "gone", 200));
  learner.Apply(Prediction("p-kept", "kept0", 201));
  learner.Apply(Prediction("p-gone-2", "gone", 202));
  PartitionSnapshot expected = learner.Snapshot(1, 0);
  auto drop = [](auto& list, auto is_gone) {
    list.erase(std::remove_if(list.begin(), list.end(), is_gone), list.end());
  };
  drop(expected.users, [](const UserDeltaSnapshot& u) { return u.user == "gone"; });
  drop(expected.pending, [](const PendingPrediction& p) { return p.user == "gone"; });
  const size_t replay_before = expected.replay.size();
  drop(expected.replay, [](const ReplayExample& r) { return r.event.user == "gone"; });
  REQUIRE(expected.replay.size() < replay_before);

  const ApplyResult r = learner.Apply(ForgetInput{"gone"});
  REQUIRE(r.kind == ApplyResult::Kind::kForgotten);
  REQUIRE(r.forgotten.delta);
  REQUIRE(r.forgotten.pending == 2);
  REQUIRE(r.forgotten.replay == replay_before - expected.replay.size());
  REQUIRE(r.arm_updates.empty());
  REQUIRE(learner.Snapshot(1, 0) == expected);
  REQUIRE(learner.counters().forgotten_users == 1);

  SECTION("forgetting again, or an unknown user, removes nothing and changes nothing") {
    const ApplyResult again = learner.Apply(ForgetInput{"gone"});
    REQUIRE(again.forgotten == ForgetReport{});
    REQUIRE(learner.Apply(ForgetInput{"never-seen"}).forgotten == ForgetReport{});
    REQUIRE(learner.Snapshot(1, 0) == expected);
  }
  SECTION("the forgotten user's outcome no longer joins") {
    Event outcome;
    outcome.ts_ms = 300;
    outcome.user = "gone";
    outcome.label = 1;
    outcome.prediction_id = "p-gone-1";
    REQUIRE(learner.Apply(EventInput{outcome, 0, 0}).kind ==
            ApplyResult::Kind::kUnknownPrediction);
  }
}

TEST_CASE("a forget with eviction on keeps the eviction index consistent") {
  const OnlineOptions options = WithTtl(1000);
  PartitionLearner learner(0, options, 3);
  learner.Apply(Rated(100, "gone", "i1", 1));
  learner.Apply(Rated(150, "kept", "i1", 1));
  learner.Apply(ForgetInput{"gone"});
  learner.Apply(Rated(1200, "other", "i1", 1));  // kept is idle: evicted; gone was already gone
  REQUIRE(learner.counters().evicted_users == 1);
  REQUIRE(learner.state().user_count() == 1);
  auto restored = PartitionLearner::Restore(learner.Snapshot(1, 0), options);
  REQUIRE(restored.ok());
  REQUIRE(restored->Snapshot(1, 0) == learner.Snapshot(1, 0));
}
