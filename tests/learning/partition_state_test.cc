#include "learning/partition_state.h"

#include <catch2/catch.hpp>

#include "learning/partition_learner.h"
#include "synthetic_events.h"

using namespace driftline;

namespace {

OnlineOptions Options() {
  OnlineOptions o;
  o.replay_capacity = 64;
  o.replay_per_update = 1;
  o.dedup_window = 1000;
  o.pending_ttl_ms = 100;
  return o;
}

// Applies labelled events the way the evaluator and partitions do.
void Apply(PartitionLearner& learner, const std::vector<Event>& events, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const Event& e = events[i];
    SparseFeatures x = DeltaFeatures(e, learner.state().options());
    EventInput input{e, 0.1, learner.Arm(e.item, x).logit};
    for (const auto& update : learner.Apply(input).arm_updates) learner.Apply(update);
  }
}

}  // namespace

TEST_CASE("restore from a snapshot plus the rest of the input equals an uninterrupted run") {
  auto events = testing::SyntheticEvents(2000, 11);
  PartitionLearner straight(3, Options(), 99);
  Apply(straight, events, 0, events.size());

  PartitionLearner first(3, Options(), 99);
  Apply(first, events, 0, 1200);
  PartitionSnapshot mid = first.Snapshot(1, 1200);
  auto restored = PartitionLearner::Restore(mid, Options());
  REQUIRE(restored.ok());
  PartitionLearner& resumed = *restored;
  REQUIRE(resumed.Snapshot(1, 1200) == mid);
  Apply(resumed, events, 1200, events.size());

  REQUIRE(resumed.Snapshot(1, 2000) == straight.Snapshot(1, 2000));
  REQUIRE(straight.state().user_count() == 40);
  REQUIRE(straight.state().arm_count() == 30);
  REQUIRE(straight.state().replay_size() == 64);
  REQUIRE(straight.counters().learned == 2000);
  REQUIRE(straight.counters().arm_updates == 2000);
}

TEST_CASE("the same input and seed give the same state; another seed changes the replay draws") {
  auto events = testing::SyntheticEvents(500, 4);
  PartitionLearner a(0, Options(), 1), b(0, Options(), 1), c(0, Options(), 2);
  Apply(a, events, 0, events.size());
  Apply(b, events, 0, events.size());
  Apply(c, events, 0, events.size());
  REQUIRE(a.Snapshot(0, 0) == b.Snapshot(0, 0));
  REQUIRE_FALSE(a.Snapshot(0, 0) == c.Snapshot(0, 0));
}

TEST_CASE("an event id seen within the window is a duplicate, and forgotten beyond it") {
  OnlineOptions o = Options();
  o.dedup_window = 2;
  PartitionState s(0, o, 1);
  REQUIRE_FALSE(s.CheckAndRememberEventId("a"));
  REQUIRE(s.CheckAndRememberEventId("a"));
  REQUIRE_FALSE(s.CheckAndRememberEventId(""));
  REQUIRE_FALSE(s.CheckAndRememberEventId(""));
  REQUIRE_FALSE(s.CheckAndRememberEventId("b"));
  REQUIRE_FALSE(s.CheckAndRememberEventId("c"));  // evicts "a"
  REQUIRE_FALSE(s.CheckAndRememberEventId("a"));
}

TEST_CASE("a pending prediction is taken once and expires after its wait in event time") {
  PartitionState s(0, Options(), 1);
  PendingPrediction p;
  p.prediction_id = "p1";
  p.user = "u";
  p.chosen = "i";
  p.ts_ms = 1000;
  REQUIRE(s.AddPending(p).ok());
  REQUIRE(s.AddPending(p).code() == Status::Code::kInvalidArgument);
  p.prediction_id = "p2";
  p.ts_ms = 1050;
  REQUIRE(s.AddPending(p).ok());
  REQUIRE(s.TakePending("p1").has_value());
  REQUIRE_FALSE(s.TakePending("p1").has_value());
  REQUIRE(s.ExpirePending(1100).empty());  // p2 is 50 ms old
  auto expired = s.ExpirePending(1151);
  REQUIRE(expired.size() == 1);
  REQUIRE(expired[0].prediction_id == "p2");
  REQUIRE(s.pending_count() == 0);
  PendingPrediction empty;
  REQUIRE_FALSE(s.AddPending(empty).ok());
}

TEST_CASE("pending predictions beyond the cap expire oldest first") {
  OnlineOptions o = Options();
  o.max_pending = 2;
  o.pending_ttl_ms = 1'000'000;
  PartitionState s(0, o, 1);
  for (int i = 0; i < 3; ++i) {
    PendingPrediction p;
    p.prediction_id = "p" + std::to_string(i);
    p.ts_ms = i;
    REQUIRE(s.AddPending(p).ok());
  }
  auto expired = s.ExpirePending(3);
  REQUIRE(expired.size() == 1);
  REQUIRE(expired[0].prediction_id == "p0");
}

TEST_CASE("a snapshot with a malformed linear bandit state is refused as corruption") {
  PartitionState s(0, Options(), 1);
  s.LearnArm("a", {{1, 1.0}}, -0.5, 1);
  PartitionSnapshot snap = s.Snapshot(0, 0);
  REQUIRE(snap.arms[0].linear_a.size() == 16u * 16u);
  snap.arms[0].linear_a.pop_back();
  auto restored = PartitionState::Restore(snap, Options());
  REQUIRE(restored.status().code() == Status::Code::kCorruption);
  REQUIRE(restored.status().message().find("arm a") != std::string::npos);
}

TEST_CASE("an arm's linear bandit learns the context of its outcomes") {
  PartitionState s(0, Options(), 1);
  SparseFeatures x = {{3, 1.0}};
  for (int i = 0; i < 20; ++i) s.LearnArm("a", x, -0.5, 1);
  Eigen::VectorXd context = *DenseContext(x, 16);
  REQUIRE(s.FindArm("a")->linear.Mean(context) > 0.9);
}

TEST_CASE("an arm counts successes and failures of its labelled outcomes") {
  PartitionState s(0, Options(), 1);
  SparseFeatures x = {{1, 1.0}};
  s.LearnArm("a", x, -0.5, 1);
  s.LearnArm("a", x, 0.5, 0);
  s.LearnArm("a", x, -0.5, 1);
  REQUIRE(s.FindArm("a")->successes == 2.0);
  REQUIRE(s.FindArm("a")->failures == 1.0);
  REQUIRE(s.FindArm("b") == nullptr);
  REQUIRE(s.ArmLogit("b", x) == 0.0);
}
