// Issue 6's node-level invariants: one event cannot poison a partition's
// clock (refused through the batch reply, naming it), and a restart with
// other online options is refused, naming the option, unless the online
// state is reset explicitly.
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/actors/node_harness.h"
#include "tests/support/temp_dir.h"

using namespace driftline;
using namespace driftline::testing;

TEST_CASE("an event beyond the skew ahead of its partition's clock is refused in the batch reply, naming it") {
  NodeHarness h(/*partitions=*/1);
  h.Activate(SmallModel("v1"));
  REQUIRE(h.Send(Labelled("u1", "i1", 1, 3, "now", 1'000)).accepted == 3);
  const PredictReply waiting = h.Predict("u1", {"i1", "i2"});  // at ts 5000
  REQUIRE_FALSE(waiting.fallback);
  // The router sends the prediction to the partition before this batch, so
  // once the batch is acknowledged the prediction is pending there.
  REQUIRE(h.Send(Labelled("u1", "i1", 1, 1, "after", 5'050)).accepted == 1);
  REQUIRE(h.Counter("partition_pending") == 1);

  std::vector<Event> batch = Labelled("u2", "i2", 1, 1, "ok", 5'100);
  Event far = Labelled("u2", "i3", 0, 1, "far", 5'100 + OnlineOptions{}.max_event_skew_ms + 1)[0];
  batch.insert(batch.begin(), far);
  Message reply = h.Call(EventBatch{900, batch});
  REQUIRE(std::holds_alternative<ErrorReply>(reply));
  const ErrorReply& error = std::get<ErrorReply>(reply);
  CHECK(error.code == Status::Code::kInvalidArgument);
  CHECK(error.message.find("event far-0") != std::string::npos);
  CHECK(error.message.find("max_event_skew_ms") != std::string::npos);
  // Nothing expired: the pending prediction still waits for its outcome.
  CHECK(h.Counter("partition_pending") == 1);
  CHECK(h.Counter("partition_expired_dropped") == 0);
  // Refused, not logged: a resend is refused again, not a duplicate.
  Message again = h.Call(EventBatch{901, {far}});
  REQUIRE(std::holds_alternative<ErrorReply>(again));
  CHECK(std::get<ErrorReply>(again).message.find("event far-0") != std::string::npos);
}

namespace {

Result<std::unique_ptr<Node>> StartOn(const TempDir& dir, const NodeOptions& base,
                                      std::ostringstream& log) {
  NodeOptions options = base;
  options.data_dir = dir.File("db");
  options.listen = "inproc://options";
  options.partitions = 2;
  return Node::Start(options, log, std::make_shared<cluster::InProcTransport>(3));
}

}  // namespace

TEST_CASE("a restart with other online options is refused, naming the option, unless reset") {
  TempDir dir;
  std::ostringstream log;
  NodeOptions original;
  {
    auto node = StartOn(dir, original, log);
    REQUIRE(node.ok());
    REQUIRE((*node)->Stop().ok());
  }
  NodeOptions changed = original;
  changed.online.pending_ttl_ms = 5'000;
  auto refused = StartOn(dir, changed, log);
  REQUIRE(refused.status().code() == Status::Code::kFailedPrecondition);
  CHECK(refused.status().message().find("pending_ttl_ms was 3600000 in this data dir, now 5000") !=
        std::string::npos);
  CHECK(refused.status().message().find("--reset-online-state") != std::string::npos);

  NodeOptions reseeded = original;
  reseeded.seed = 9;
  auto refused_seed = StartOn(dir, reseeded, log);
  REQUIRE(refused_seed.status().code() == Status::Code::kFailedPrecondition);
  CHECK(refused_seed.status().message().find("seed was 1") != std::string::npos);

  changed.reset_online_state = true;
  {
    auto node = StartOn(dir, changed, log);
    REQUIRE(node.ok());
    REQUIRE((*node)->Stop().ok());
  }
  CHECK(log.str().find("online state reset") != std::string::npos);
  changed.reset_online_state = false;
  {
    auto node = StartOn(dir, changed, log);  // the new options are the data dir's now
    REQUIRE(node.ok());
    REQUIRE((*node)->Stop().ok());
  }
  REQUIRE(StartOn(dir, original, log).status().code() == Status::Code::kFailedPrecondition);
}
