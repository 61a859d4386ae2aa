// Overload and deadlines at the node (docs/faults.md, "Overload and
// deadlines"): predicts beyond the in-flight bounds are answered at once,
// base-only and not joinable; admitted predicts are answered by their
// deadline even when every partition is stalled; a joinable reply names a
// prediction that was logged before it left.
#include <chrono>
#include <map>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/actors/node_harness.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

PredictRequest MakePredict(uint64_t id, const std::string& user, uint32_t deadline_ms) {
  PredictRequest request;
  request.request_id = id;
  request.user = user;
  request.candidates = {{"i3", {{"item", {{"genre=1", 1.0}}}}}, {"i4", {}}};
  request.deadline_ms = deadline_ms;
  request.ts_ms = 5000;
  return request;
}

void StallAll(NodeHarness& h, uint32_t partitions, uint32_t duration_ms) {
  for (uint32_t p = 0; p < partitions; ++p) {
    Message stalled = h.Call(StallPartitionRequest{900 + p, p, duration_ms});
    REQUIRE(std::holds_alternative<OkReply>(stalled));
  }
}

// Every reply to requests first..first+n-1, by request id (REQUIREs each is a PredictReply).
std::map<uint64_t, PredictReply> ReceivePredictReplies(NodeHarness& h, size_t n) {
  std::map<uint64_t, PredictReply> out;
  for (size_t i = 0; i < n; ++i) {
    Message m = h.Receive(std::chrono::seconds(20));
    if (auto* e = std::get_if<ErrorReply>(&m)) FAIL(e->message);
    REQUIRE(std::holds_alternative<PredictReply>(m));
    const PredictReply& r = std::get<PredictReply>(m);
    out.emplace(r.request_id, r);
  }
  return out;
}

// Predicts until one is answered with online scores and joinable (the node
// recovered), at most `tries` times.
bool ServedNormallyWithin(NodeHarness& h, int tries) {
  std::string last;
  for (int i = 0; i < tries; ++i) {
    PredictReply r = h.Predict("after", {"i3"}, 2000);
    if (!r.fallback && r.joinable) return true;
    last = r.fallback_reason + " / " + r.unjoinable_reason;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  WARN("still not served normally: " << last);
  return false;
}

}  // namespace

TEST_CASE("beyond the in-flight bound a predict is answered at once, base-only and not joinable") {
  NodeOptions options;
  options.max_predicts_in_flight = 4;
  options.max_predicts_per_connection = 100;
  NodeHarness h(2, true, options);
  h.Activate(SmallModel("v1"));
  StallAll(h, 2, 2500);

  for (uint64_t id = 1; id <= 20; ++id) h.SendFrame(EncodeFrame(MakePredict(id, "u" + std::to_string(id), 1000)));
  auto replies = ReceivePredictReplies(h, 20);
  REQUIRE(replies.size() == 20);
  int busy = 0, at_deadline = 0;
  for (const auto& [id, r] : replies) {
    INFO(id << ": " << r.fallback_reason);
    REQUIRE(r.fallback);
    REQUIRE_FALSE(r.joinable);
    REQUIRE_FALSE(r.unjoinable_reason.empty());
    REQUIRE(r.model_version == "v1");
    REQUIRE(r.scores.size() == 2);
    if (r.fallback_reason.find("node busy") != std::string::npos) {
      ++busy;
    } else {
      REQUIRE(r.fallback_reason.find("did not answer within 1000 ms") != std::string::npos);
      ++at_deadline;
    }
  }
  REQUIRE(busy == 16);
  REQUIRE(at_deadline == 4);
  REQUIRE(h.Counter("endpoint_predicts_busy_node") == 16);

  // Once the partitions are back the node serves normally again.
  REQUIRE(ServedNormallyWithin(h, 100));
  // The 4 admitted predictions were logged when the partitions came back
  // (their replies had left, not joinable), and the router let go of them.
  REQUIRE(h.Counter("partition_predictions") >= 4);
  REQUIRE(h.Counter("endpoint_predicts_in_flight") == 0);
}

TEST_CASE("one connection beyond its bound is answered at once; another connection is still admitted") {
  NodeOptions options;
  options.max_predicts_in_flight = 100;
  options.max_predicts_per_connection = 3;
  NodeHarness h(2, true, options);
  h.Activate(SmallModel("v1"));
  StallAll(h, 2, 1500);

  for (uint64_t id = 1; id <= 10; ++id) h.SendFrame(EncodeFrame(MakePredict(id, "u1", 500)));
  auto other = h.transport().Connect("inproc://node");
  REQUIRE(other.ok());
  REQUIRE((*other)->Send({EncodeFrame(MakePredict(77, "u2", 500))}).ok());

  auto replies = ReceivePredictReplies(h, 10);
  int busy = 0;
  for (const auto& [id, r] : replies) {
    REQUIRE(r.fallback);
    REQUIRE_FALSE(r.joinable);
    if (r.fallback_reason.find("connection busy") != std::string::npos) ++busy;
  }
  REQUIRE(busy == 7);
  auto frames = (*other)->Receive(std::chrono::seconds(20));
  REQUIRE(frames.ok());
  auto message = DecodeFrame((*frames)[0]);
  REQUIRE(message.ok());
  REQUIRE(std::holds_alternative<PredictReply>(*message));
  const PredictReply& admitted = std::get<PredictReply>(*message);
  REQUIRE(admitted.request_id == 77);
  REQUIRE(admitted.fallback_reason.find("connection busy") == std::string::npos);
  REQUIRE(h.Counter("endpoint_predicts_busy_connection") == 7);
  REQUIRE(ServedNormallyWithin(h, 100));
}

TEST_CASE("a joinable reply names a prediction that was logged: after a restart its outcome joins") {
  NodeHarness h(4);
  h.Activate(SmallModel("v1"));
  PredictReply reply = h.Predict("joiner", {"i3", "i4"}, 2000);
  REQUIRE(reply.joinable);
  REQUIRE(reply.unjoinable_reason.empty());
  REQUIRE(h.Counter("partition_pending") == 1);  // logged and applied before the reply
  h.Restart();
  Event outcome = Labelled("joiner", reply.chosen, 1, 1, "outcome", 6000)[0];
  outcome.prediction_id = reply.prediction_id;
  REQUIRE(h.Send({outcome}).accepted == 1);
  REQUIRE(h.Counter("partition_outcomes_joined") == 1);
  REQUIRE(h.Counter("partition_outcomes_unknown") == 0);
}
