#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <thread>

#include <catch2/catch.hpp>

#include "cluster/partitioner.h"
#include "storage/rocks_node_store.h"
#include "tests/actors/node_harness.h"
#include "tests/support/temp_dir.h"

using namespace driftline;
using namespace driftline::testing;

TEST_CASE("a stalled partition turns predicts into flagged base-only replies within the deadline") {
  NodeHarness h(4);
  h.Activate(SmallModel("v1"));
  const std::string user = "stall-user";
  const uint32_t p = PartitionOf(user, 4);
  REQUIRE(h.Send(Labelled(user, "i3", 1, 20, "warm")).accepted == 20);
  // The arm's update travels after the ack: settle it, or `warm` may hold
  // the user's delta without the arm's, which after the same 20 updates
  // equals the arm's without the user's (the stalled reply below).
  h.Settle();
  const double warm = h.Predict(user, {"i3"}).scores[0].probability;

  Message stalled = h.Call(StallPartitionRequest{1, p, 3000});
  REQUIRE(std::holds_alternative<OkReply>(stalled));
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    PredictReply r = h.Predict(user, {"i3"}, 20);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(r.fallback);
    // The router names the partition that missed its gather window; on a
    // machine so loaded that the router itself misses the deadline, the
    // endpoint answers and says so.
    INFO(r.fallback_reason);
    REQUIRE((r.fallback_reason.find("partition " + std::to_string(p)) != std::string::npos ||
             r.fallback_reason.find("router did not answer") != std::string::npos));
    REQUIRE(r.fallback_reason.find("20 ms") != std::string::npos);
    // The stalled partition is the user's: the prediction could not be
    // logged before the deadline, and the reply says so.
    REQUIRE_FALSE(r.joinable);
    REQUIRE(r.unjoinable_reason.find("not logged") != std::string::npos);
    REQUIRE(took < std::chrono::milliseconds(1000));  // deadline 20 ms + slack for a slow machine
    REQUIRE(r.scores[0].probability != warm);          // base only: the delta is missing
  }
  // Events sent while it is stalled are acknowledged once it is back.
  REQUIRE(h.Send(Labelled(user, "i3", 1, 10, "during")).accepted == 10);
  PredictReply back = h.Predict(user, {"i3"});
  REQUIRE_FALSE(back.fallback);
  REQUIRE(back.joinable);
  REQUIRE(back.scores[0].probability > warm);  // caught up: 10 more positives learned
  REQUIRE(h.Counter("router_predict_fallback") + h.Counter("router_predict_expired_on_arrival") == 5);
}

TEST_CASE("stall requests are refused unless fault injection is enabled") {
  NodeHarness h(2, /*fault_injection=*/false);
  Message reply = h.Call(StallPartitionRequest{1, 0, 100});
  REQUIRE(std::holds_alternative<ErrorReply>(reply));
  REQUIRE(std::get<ErrorReply>(reply).code == Status::Code::kFailedPrecondition);
}

TEST_CASE("bad frames get an error reply, are counted, and change nothing") {
  NodeHarness h;
  h.Activate(SmallModel("v1"));
  const double before = h.Predict("u1", {"i1"}).scores[0].probability;
  std::vector<std::string> bad = {"garbage bytes, not a frame", std::string(64, '\0')};
  EventBatch nan_batch{5, Labelled("u1", "i1", 1, 1, "nan")};
  nan_batch.events[0].features[0].features[0].value = std::nan("");
  bad.push_back(EncodeFrame(nan_batch));
  PredictRequest empty{6, "u1", {}, {}, 10, false, 0};
  bad.push_back(EncodeFrame(empty));
  PredictRequest no_user{7, "", {}, {{"i1", {}}}, 10, false, 0};
  bad.push_back(EncodeFrame(no_user));
  EventBatch huge{8, Labelled("u1", "i1", 1, 10'001, "huge")};
  bad.push_back(EncodeFrame(huge));
  for (const auto& frame : bad) {
    Message reply = h.Call(frame);
    REQUIRE(std::holds_alternative<ErrorReply>(reply));
    INFO(std::get<ErrorReply>(reply).message);
    REQUIRE_FALSE(std::get<ErrorReply>(reply).message.empty());
  }
  REQUIRE(h.Counter("endpoint_bad_frames") == static_cast<int64_t>(bad.size()));
  REQUIRE(h.Counter("router_events_accepted") == 0);
  REQUIRE(h.Predict("u1", {"i1"}).scores[0].probability == before);
}

TEST_CASE("a restart on the same data dir serves the same model and the same learned state") {
  NodeHarness h;
  h.Activate(SmallModel("v1"));
  REQUIRE(h.Send(Labelled("keeper", "i6", 1, 25, "k")).accepted == 25);
  h.Settle();
  PredictReply before = h.Predict("keeper", {"i6", "i7"});
  h.Restart();
  PredictReply after = h.Predict("keeper", {"i6", "i7"});
  REQUIRE(after.model_version == "v1");
  REQUIRE(after.scores == before.scores);
  REQUIRE(h.log().find("[node] stopped") != std::string::npos);
}

TEST_CASE("a start that fails after the actors are up returns its error instead of hanging") {
  driftline::testing::TempDir dir;
  {
    auto store = storage::RocksNodeStore::Open(dir.Sub("db"), {});
    REQUIRE(store.ok());
    REQUIRE((*store)->models().Put("v1", "not an artifact").ok());  // e.g. a damaged disk
    REQUIRE((*store)->models().Activate("v1").ok());
  }
  NodeOptions options;
  options.data_dir = dir.Sub("db");
  options.listen = "inproc://broken";
  options.partitions = 2;
  std::ostringstream log;
  auto transport = std::make_shared<cluster::InProcTransport>(3);
  std::promise<Status> started;
  std::future<Status> result = started.get_future();
  std::thread([&] { started.set_value(Node::Start(options, log, transport).status()); }).detach();
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    // Start is stuck (in the actor system's destructor): nothing can unblock it.
    std::cerr << "Node::Start did not return within 30 s\n";
    std::_Exit(1);
  }
  Status status = result.get();
  INFO(status.ToString());
  REQUIRE(status.code() == Status::Code::kCorruption);
}

TEST_CASE("batches beyond the in-flight limit are refused as busy, the rest acknowledged") {
  NodeHarness h(2);
  for (uint32_t p = 0; p < 2; ++p) {
    REQUIRE(std::holds_alternative<OkReply>(h.Call(StallPartitionRequest{90 + p, p, 1500})));
  }
  const int kBatches = 80;  // the router works on at most 64 at once
  for (int i = 0; i < kBatches; ++i) {
    h.SendFrame(EncodeFrame(EventBatch{1000 + static_cast<uint64_t>(i),
                                       Labelled("flood" + std::to_string(i), "i1", 1, 1, "f" + std::to_string(i))}));
  }
  int acked = 0, busy = 0;
  for (int i = 0; i < kBatches; ++i) {
    Message reply = h.Receive(std::chrono::seconds(30));
    if (std::holds_alternative<BatchAck>(reply)) {
      ++acked;
    } else {
      REQUIRE(std::holds_alternative<ErrorReply>(reply));
      REQUIRE(std::get<ErrorReply>(reply).code == Status::Code::kUnavailable);
      REQUIRE(std::get<ErrorReply>(reply).message.find("node busy") != std::string::npos);
      ++busy;
    }
  }
  REQUIRE(busy >= kBatches - 64);
  REQUIRE(acked + busy == kBatches);
  REQUIRE(h.Counter("router_batches_refused_busy") == busy);
  REQUIRE(h.Counter("router_events_accepted") == acked);
}
