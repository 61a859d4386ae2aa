#include "learning/point_in_time.h"

#include <catch2/catch.hpp>

using namespace driftline;

namespace {
Event Make(int64_t ts, std::string user, std::string item, std::optional<int> label,
           std::string prediction_id = "") {
  Event e;
  e.ts_ms = ts;
  e.user = std::move(user);
  e.item = std::move(item);
  e.label = label;
  e.prediction_id = std::move(prediction_id);
  return e;
}
}  // namespace

TEST_CASE("labelled events after the cut are left out") {
  std::vector<Event> events = {Make(10, "a", "x", 1), Make(20, "b", "y", 0), Make(30, "c", "z", 1)};
  auto snap = PointInTimeSnapshot(events, 20);
  REQUIRE(snap.size() == 2);
  REQUIRE(snap[1].event.user == "b");
}

TEST_CASE("an exposure joins its outcome only when the outcome is known by the cut") {
  std::vector<Event> events = {
      Make(10, "a", "x", std::nullopt, "p1"),  // exposure, outcome at 15
      Make(12, "b", "y", std::nullopt, "p2"),  // exposure, outcome at 40 (after cut)
      Make(15, "a", "", 1, "p1"),
      Make(40, "b", "", 0, "p2"),
  };
  events[0].features = {{"ctx", {{"hour=9", 1}}}};
  auto snap = PointInTimeSnapshot(events, 20);
  REQUIRE(snap.size() == 1);
  REQUIRE(snap[0].event.item == "x");  // exposure's fields
  REQUIRE(snap[0].event.features.size() == 1);
  REQUIRE(snap[0].label == 1);
  REQUIRE(snap[0].known_at_ms == 15);
  REQUIRE(PointInTimeSnapshot(events, 40).size() == 2);
}

TEST_CASE("an exposure takes only its first outcome") {
  std::vector<Event> events = {Make(10, "a", "x", std::nullopt, "p1"), Make(11, "a", "", 1, "p1"),
                               Make(12, "a", "", 0, "p1")};
  auto snap = PointInTimeSnapshot(events, 100);
  REQUIRE(snap.size() == 1);
  REQUIRE(snap[0].label == 1);
}

TEST_CASE("examples come out in time order with input order breaking ties") {
  std::vector<Event> events = {Make(30, "c", "z", 1), Make(10, "a", "x", 1), Make(10, "b", "y", 0)};
  auto snap = PointInTimeSnapshot(events, 100);
  REQUIRE(snap[0].event.user == "a");
  REQUIRE(snap[1].event.user == "b");
  REQUIRE(snap[2].event.user == "c");
}

TEST_CASE("a training cut between an exposure and its outcome leaves the example out") {
  std::vector<Event> events = {Make(10, "a", "x", std::nullopt, "p1"), Make(30, "a", "", 1, "p1")};
  events[1].event_id = "o1";
  REQUIRE(PointInTimeSnapshot(events, 10).empty());
  REQUIRE(PointInTimeSnapshot(events, 29).empty());
  auto snap = PointInTimeSnapshot(events, 30);
  REQUIRE(snap.size() == 1);
  REQUIRE(snap[0].joined);
  REQUIRE(snap[0].event.ts_ms == 10);
  REQUIRE(snap[0].known_at_ms == 30);
  REQUIRE(snap[0].outcome_event_id == "o1");
}

TEST_CASE("a labelled event without an exposure is exposed and known at its own time") {
  auto snap = PointInTimeSnapshot({Make(10, "a", "x", 1), Make(12, "a", "", 0, "p-unknown")}, 100);
  REQUIRE(snap.size() == 2);
  REQUIRE_FALSE(snap[0].joined);
  REQUIRE_FALSE(snap[1].joined);
  REQUIRE(snap[1].known_at_ms == 12);
  REQUIRE(FindOutcomesBeforeExposure({Make(12, "a", "", 0, "p-unknown")}).count == 0);
}

TEST_CASE("an outcome before its exposure is malformed: never an example, and named") {
  // Exposure at 30 (after the cut 20) with its outcome at 15 (before it).
  std::vector<Event> events = {Make(30, "a", "x", std::nullopt, "p1"), Make(15, "a", "", 1, "p1"),
                               Make(12, "b", "y", 1)};
  auto snap = PointInTimeSnapshot(events, 20);
  REQUIRE(snap.size() == 1);
  REQUIRE(snap[0].event.user == "b");
  REQUIRE(PointInTimeSnapshot(events, 100).size() == 1);  // at any cut
  const MalformedOutcomes bad = FindOutcomesBeforeExposure(events);
  REQUIRE(bad.count == 1);
  REQUIRE(bad.first == "prediction p1: outcome at 15 before its exposure at 30");
  // An outcome at the same time as its exposure is fine.
  events[1].ts_ms = 30;
  REQUIRE(FindOutcomesBeforeExposure(events).count == 0);
  REQUIRE(PointInTimeSnapshot(events, 30).size() == 2);
}
