// Fault injection through a real node process: a stalled partition turns
// predicts into base-only fallbacks within the deadline, keeps what was sent
// to it meanwhile, and catches up when it returns.
#include <future>

#include "cluster/partitioner.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST_CASE("a stalled partition: fallback replies within the deadline, then it catches up") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir, /*fault_injection=*/true));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");

  const std::string user = "e2e-frank";
  const std::string item = "1853728";
  const uint32_t partitions = Ok(client->NodeStatus()).partitions;
  const uint32_t partition = PartitionOf(user, partitions);
  const double before = Ok(Score(*client, user, item));
  const int64_t fallbacks = Ok(Counter(*client, "router_predict_fallback"));

  constexpr uint32_t kStallMs = 4000;
  OkReply stalled = Ok(client->StallPartition(partition, kStallMs));
  CHECK(stalled.message.find("partition " + std::to_string(partition)) != std::string::npos);

  // Events for the user, sent during the stall from a second client: acked
  // only once the partition is back.
  std::vector<Event> events;
  for (int i = 0; i < 20; ++i) events.push_back(Labelled(user, item, 1, "frank:" + std::to_string(i)));
  auto sender = Ok(node->Connect(std::chrono::seconds(60)));
  auto acked = std::async(std::launch::async, [&sender, &events] {
    return sender->SendBatch(EventBatch{0, events});
  });

  // Predicts keep coming back within the deadline + 1 s, base-only, with the reason.
  constexpr uint32_t kDeadlineMs = 200;
  for (int i = 0; i < 3; ++i) {
    PredictRequest request;
    request.user = user;
    request.candidates = {{item, {}}, {"1074638", {}}};
    request.ts_ms = kTestTs;
    request.deadline_ms = kDeadlineMs;
    const auto start = Clock::now();
    PredictReply reply = Ok(client->Predict(request, std::chrono::seconds(10)));
    const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    INFO("reply after " << elapsed.count() << " ms");
    CHECK(elapsed < milliseconds(kDeadlineMs + 1000));
    CHECK(reply.fallback);
    CHECK(reply.fallback_reason.find("partition " + std::to_string(partition)) != std::string::npos);
    CHECK(reply.fallback_reason.find("did not answer within 200 ms") != std::string::npos);
    // The stalled partition is the user's: the prediction could not be
    // logged before the deadline, and the reply says so.
    CHECK_FALSE(reply.joinable);
    CHECK(reply.unjoinable_reason.find("not logged") != std::string::npos);
    CHECK(reply.model_version == "v1");
    REQUIRE(reply.scores.size() == 2);
  }

  // The batch sent during the stall is acknowledged once the partition returns.
  BatchAck ack = Ok(acked.get());
  CHECK(ack.accepted == events.size());
  CHECK(ack.duplicates == 0);
  CHECK(Ok(Counter(*client, "router_predict_fallback")) >= fallbacks + 3);

  // Caught up: no fallback, and the user's score moved with the events.
  const double after = Ok(Score(*client, user, item));
  CHECK(after > before + 0.01);
}

TEST_CASE("stall is refused by a node started without fault injection") {
  TempDir dir;
  auto node = Ok(StartNode(dir, /*fault_injection=*/false));
  auto client = Ok(node->Connect());
  auto refused = client->StallPartition(0, 1000);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kFailedPrecondition);
  CHECK(refused.status().message().find("--enable-fault-injection") != std::string::npos);
}

}  // namespace
}  // namespace driftline::e2e
