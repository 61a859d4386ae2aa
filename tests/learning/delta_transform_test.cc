// The delta transform of a model activation (learning/delta_transform.h):
// parsing, the exact effect on FTRL coordinates, and what it applies to in a
// partition (deltas and Beta evidence, not the linear bandit nor the rest).
#include "learning/delta_transform.h"

#include <catch2/catch.hpp>

#include <cmath>

#include "learning/partition_learner.h"
#include "synthetic_events.h"

using namespace driftline;

namespace {

PartitionLearner Trained(size_t events) {
  OnlineOptions o;
  o.user_ftrl.l1 = 0.01;  // exercise the L1 branch of the decay too
  PartitionLearner learner(0, o, 7);
  for (const Event& e : testing::SyntheticEvents(events, 5)) {
    const SparseFeatures x = DeltaFeatures(e, learner.state().options());
    for (const auto& u : learner.Apply(EventInput{e, 0.2, learner.Arm(e.item, x).logit}).arm_updates) {
      learner.Apply(u);
    }
  }
  return learner;
}

}  // namespace

TEST_CASE("delta transforms parse from and print to keep, reset and decay:F") {
  CHECK(*ParseDeltaTransform("keep") == DeltaTransform::Keep());
  CHECK(*ParseDeltaTransform("reset") == DeltaTransform::Reset());
  CHECK(*ParseDeltaTransform("decay:0.5") == DeltaTransform::Decay(0.5));
  for (const char* text : {"keep", "reset", "decay:0.5", "decay:0.10000000000000001"}) {
    CHECK(*ParseDeltaTransform(DeltaTransformName(*ParseDeltaTransform(text))) == *ParseDeltaTransform(text));
  }
  CHECK(DeltaTransformName(DeltaTransform::Decay(0.25)) == "decay:0.25");
}

TEST_CASE("a decay factor outside (0, 1) or a malformed transform is refused with a message naming it") {
  for (const char* text : {"decay:0", "decay:1", "decay:1.5", "decay:-0.5", "decay:nan", "decay:inf"}) {
    auto t = ParseDeltaTransform(text);
    INFO(text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("strictly between 0 and 1") != std::string::npos);
  }
  for (const char* text : {"", "Keep", "decay", "decay:", "decay:0.5x", "drop", "decay:0.5 "}) {
    INFO(text);
    CHECK_FALSE(ParseDeltaTransform(text).ok());
  }
  CHECK_FALSE(ValidateDeltaTransform({DeltaTransform::Kind::kKeep, 0.5}).ok());
  CHECK_FALSE(ValidateDeltaTransform({DeltaTransform::Kind::kReset, 0.5}).ok());
  CHECK_FALSE(ValidateDeltaTransform({static_cast<DeltaTransform::Kind>(9), 0.5}).ok());
}

TEST_CASE("decay by F makes an FTRL weight exactly F times and its squared-gradient sum F times") {
  FtrlOptions o;
  o.l1 = 0.05;
  for (double z : {-3.0, -0.5, -0.04, 0.0, 0.03, 0.7, 4.0}) {
    for (double n : {0.0, 0.3, 12.0}) {
      for (double f : {0.1, 0.5, 0.9}) {
        const FtrlState s{z, n};
        const FtrlState d = DecayFtrlState(s, f, o);
        INFO("z " << z << " n " << n << " f " << f);
        CHECK(d.n == f * n);
        CHECK(FtrlWeight(d, o) == Approx(f * FtrlWeight(s, o)).margin(1e-15));
      }
    }
  }
}

TEST_CASE("reset zeroes every user and arm delta and the arm evidence, and keeps the linear bandit") {
  PartitionLearner learner = Trained(600);
  const PartitionSnapshot before = learner.Snapshot(1, 0);
  REQUIRE_FALSE(before.users.empty());
  REQUIRE_FALSE(before.arms.empty());
  REQUIRE(learner.Apply(ModelSwitchInput{1, "b", DeltaTransform::Reset()}).kind ==
          ApplyResult::Kind::kModelSwitched);
  const PartitionSnapshot after = learner.Snapshot(1, 0);
  CHECK(after.users.empty());
  REQUIRE(after.arms.size() == before.arms.size());
  for (size_t i = 0; i < after.arms.size(); ++i) {
    CHECK(after.arms[i].coords.empty());
    CHECK(after.arms[i].successes == 0.0);
    CHECK(after.arms[i].failures == 0.0);
    CHECK(after.arms[i].linear_a == before.arms[i].linear_a);
    CHECK(after.arms[i].linear_b == before.arms[i].linear_b);
  }
  // Everything that is not learned against the base stays.
  CHECK(after.pending == before.pending);
  CHECK(after.recent_event_ids == before.recent_event_ids);
  CHECK(after.rng_state == before.rng_state);
  CHECK(after.clock_ms == before.clock_ms);
  CHECK(after.model_activation == 1);
  CHECK(after.model_version == "b");
  SparseFeatures x = DeltaFeatures(testing::SyntheticEvents(1, 5)[0], learner.state().options());
  CHECK(learner.UserLogit("u1", x) == 0.0);
}

TEST_CASE("decay scales every delta logit and the arm evidence by F; keep changes no delta") {
  const auto probes = testing::SyntheticEvents(50, 99);
  PartitionLearner kept = Trained(600), decayed = Trained(600);
  const PartitionSnapshot before = kept.Snapshot(1, 0);
  kept.Apply(ModelSwitchInput{1, "b", DeltaTransform::Keep()});
  decayed.Apply(ModelSwitchInput{1, "b", DeltaTransform::Decay(0.5)});
  PartitionSnapshot after_keep = kept.Snapshot(1, 0);
  CHECK(after_keep.users == before.users);
  CHECK(after_keep.arms == before.arms);
  bool some_nonzero = false;
  for (const Event& e : probes) {
    const SparseFeatures x = DeltaFeatures(e, kept.state().options());
    const double user = kept.UserLogit(e.user, x), arm = kept.Arm(e.item, x).logit;
    some_nonzero |= user != 0.0;
    CHECK(decayed.UserLogit(e.user, x) == Approx(0.5 * user).margin(1e-12));
    CHECK(decayed.Arm(e.item, x).logit == Approx(0.5 * arm).margin(1e-12));
    CHECK(decayed.Arm(e.item, x).successes == 0.5 * kept.Arm(e.item, x).successes);
    CHECK(decayed.Arm(e.item, x).failures == 0.5 * kept.Arm(e.item, x).failures);
  }
  CHECK(some_nonzero);
}

TEST_CASE("a model switch applies once per activation number, and survives snapshot and restore") {
  PartitionLearner learner = Trained(300);
  REQUIRE(learner.Apply(ModelSwitchInput{2, "b", DeltaTransform::Decay(0.5)}).kind ==
          ApplyResult::Kind::kModelSwitched);
  const PartitionSnapshot once = learner.Snapshot(1, 0);
  CHECK(learner.IsDuplicate(ModelSwitchInput{2, "b", DeltaTransform::Decay(0.5)}));
  CHECK(learner.IsDuplicate(ModelSwitchInput{1, "a", DeltaTransform::Reset()}));
  CHECK(learner.Apply(ModelSwitchInput{2, "b", DeltaTransform::Decay(0.5)}).kind ==
        ApplyResult::Kind::kDuplicate);
  CHECK(learner.Apply(ModelSwitchInput{1, "a", DeltaTransform::Reset()}).kind ==
        ApplyResult::Kind::kDuplicate);
  CHECK(learner.Snapshot(1, 0) == once);
  auto restored = PartitionLearner::Restore(once, learner.state().options());
  REQUIRE(restored.ok());
  CHECK(restored->Snapshot(1, 0) == once);
  CHECK(restored->IsDuplicate(ModelSwitchInput{2, "b", DeltaTransform::Decay(0.5)}));
  CHECK_FALSE(restored->IsDuplicate(ModelSwitchInput{3, "c", DeltaTransform::Keep()}));
}
