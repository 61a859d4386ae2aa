// Serving through a real node process: predict, learning from events, the
// predict -> outcome join, unknown outcomes, duplicate events.
#include <fstream>

#include "protocol/event_jsonl.h"
#include "protocol/json.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

const std::vector<std::string> kItems = {"1074638", "1853728", "0104257"};

struct Served {
  TempDir dir;
  std::unique_ptr<NodeProcess> node;
  std::unique_ptr<Client> client;
};

// A node serving model v1, and a client of it.
std::unique_ptr<Served> ServeV1() {
  auto s = std::make_unique<Served>();
  TrainedModels models = Ok(TrainModels(s->dir));
  s->node = Ok(StartNode(s->dir));
  s->client = Ok(s->node->Connect());
  REQUIRE(Ok(Serve(*s->client, models.v1)) == "v1");
  return s;
}

TEST_CASE("a served model scores every candidate with its version and no fallback") {
  auto s = ServeV1();
  PredictRequest request;
  request.user = "e2e-alice";
  for (const auto& item : kItems) request.candidates.push_back({item, {}});
  request.context = {{"user", {{"age", 30}}}};
  request.deadline_ms = 5000;
  PredictReply reply = Ok(s->client->Predict(request, std::chrono::seconds(15)));
  CHECK(reply.model_version == "v1");
  CHECK_FALSE(reply.fallback);
  CHECK(reply.fallback_reason.empty());
  CHECK_FALSE(reply.prediction_id.empty());
  REQUIRE(reply.scores.size() == kItems.size());
  for (size_t i = 0; i < kItems.size(); ++i) {
    CHECK(reply.scores[i].item == kItems[i]);
    CHECK(reply.scores[i].probability > 0.0);
    CHECK(reply.scores[i].probability < 1.0);
  }
  CHECK(std::find(kItems.begin(), kItems.end(), reply.chosen) != kItems.end());

  SECTION("driftline predict prints the same as one JSON object") {
    const std::string out = s->dir.File("predict.out");
    const int code = Ok(RunToCompletion(
        {DriftlineBinary(), "predict", "--router", s->node->endpoint(), "--user", "e2e-alice",
         "--candidates", "1074638,1853728,0104257", "--features", R"({"user":{"age":30}})",
         "--deadline-ms", "5000", "--timeout-ms", "15000"},
        out, s->dir.File("predict.err"), std::chrono::seconds(60)));
    INFO(ReadFileOrEmpty(s->dir.File("predict.err")));
    REQUIRE(code == 0);
    Json json = Ok(ParseJson(ReadFileOrEmpty(out)));
    REQUIRE(json.is_object());
    CHECK(json.FindMember("model_version")->as_string() == "v1");
    CHECK(json.FindMember("fallback")->as_bool() == false);
    CHECK(json.FindMember("reason")->as_string().empty());
    CHECK_FALSE(json.FindMember("prediction_id")->as_string().empty());
    CHECK(json.FindMember("propensity")->is_number());
    CHECK(json.FindMember("propensity_samples")->is_number());
    const Json* scores = json.FindMember("scores");
    REQUIRE(scores != nullptr);
    REQUIRE(scores->as_object().size() == kItems.size());
    for (size_t i = 0; i < kItems.size(); ++i) {
      CHECK(scores->as_object()[i].key == kItems[i]);
      // Same user, same model, no learning in between: the same score.
      CHECK(scores->as_object()[i].value.as_number() == Approx(reply.scores[i].probability));
    }
  }
}

TEST_CASE("labelled events sent with driftline send move the user's score for the item") {
  auto s = ServeV1();
  const double before = Ok(Score(*s->client, "e2e-alice", kItems[0]));
  const std::string path = s->dir.File("alice.jsonl");
  {
    std::ofstream out(path);
    for (int i = 0; i < 30; ++i) {
      out << FormatEventLine(Labelled("e2e-alice", kItems[0], 1, "alice:" + std::to_string(i))) << "\n";
    }
  }
  const std::string out = s->dir.File("send.out");
  const int code = Ok(RunToCompletion({DriftlineBinary(), "send", "--router", s->node->endpoint(),
                                       path, "--batch-size", "7", "--window", "3"},
                                      out, s->dir.File("send.err"), std::chrono::seconds(60)));
  INFO(ReadFileOrEmpty(s->dir.File("send.err")));
  REQUIRE(code == 0);
  const std::string summary = ReadFileOrEmpty(out);
  INFO(summary);
  CHECK(summary.find("acknowledged 30 events (30 accepted, 0 duplicates) in 5 batches") == 0);
  CHECK(summary.find("events/s") != std::string::npos);

  const double after = Ok(Score(*s->client, "e2e-alice", kItems[0]));
  CHECK(after > before + 0.01);
}

TEST_CASE("an outcome carrying a prediction's id is joined to that prediction") {
  auto s = ServeV1();
  PredictRequest request;
  request.user = "e2e-bob";
  for (const auto& item : kItems) request.candidates.push_back({item, {}});
  request.ts_ms = kTestTs;
  request.deadline_ms = 5000;
  PredictReply reply = Ok(s->client->Predict(request, std::chrono::seconds(15)));
  REQUIRE_FALSE(reply.fallback);
  const int64_t joined = Ok(Counter(*s->client, "partition_outcomes_joined"));

  Event outcome = Labelled("e2e-bob", reply.chosen, 1, "bob-outcome");
  outcome.prediction_id = reply.prediction_id;
  outcome.ts_ms = kTestTs + 1000;
  BatchAck ack = Ok(s->client->SendBatch(EventBatch{0, {outcome}}));
  CHECK(ack.accepted == 1);
  CHECK(Ok(Counter(*s->client, "partition_outcomes_joined")) == joined + 1);
}

TEST_CASE("an outcome for an unknown prediction id is counted and changes nothing") {
  auto s = ServeV1();
  const double before = Ok(Score(*s->client, "e2e-carol", kItems[1]));
  const int64_t unknown = Ok(Counter(*s->client, "partition_outcomes_unknown"));
  const int64_t learned = Ok(Counter(*s->client, "partition_learned"));

  Event outcome = Labelled("e2e-carol", kItems[1], 1, "carol-outcome");
  outcome.prediction_id = "p999-no-such-prediction";
  BatchAck ack = Ok(s->client->SendBatch(EventBatch{0, {outcome}}));
  CHECK(ack.accepted == 1);
  CHECK(Ok(Counter(*s->client, "partition_outcomes_unknown")) == unknown + 1);
  CHECK(Ok(Counter(*s->client, "partition_learned")) == learned);
  CHECK(Ok(Score(*s->client, "e2e-carol", kItems[1])) == before);
}

TEST_CASE("a duplicate event id is acknowledged as a duplicate and applied once") {
  auto s = ServeV1();
  const int64_t learned = Ok(Counter(*s->client, "partition_learned"));
  const Event e = Labelled("e2e-dave", kItems[2], 1, "dave:1");

  BatchAck first = Ok(s->client->SendBatch(EventBatch{0, {e}}));
  CHECK(first.accepted == 1);
  CHECK(first.duplicates == 0);
  const double once = Ok(Score(*s->client, "e2e-dave", kItems[2]));

  BatchAck again = Ok(s->client->SendBatch(EventBatch{0, {e}}));
  CHECK(again.accepted == 0);
  CHECK(again.duplicates == 1);
  CHECK(Ok(Score(*s->client, "e2e-dave", kItems[2])) == once);
  CHECK(Ok(Counter(*s->client, "partition_learned")) == learned + 1);

  SECTION("twice in one batch: one accepted, one duplicate") {
    const Event f = Labelled("e2e-dave", kItems[2], 0, "dave:2");
    BatchAck both = Ok(s->client->SendBatch(EventBatch{0, {f, f}}));
    CHECK(both.accepted == 1);
    CHECK(both.duplicates == 1);
    CHECK(Ok(Counter(*s->client, "partition_learned")) == learned + 2);
  }
}

}  // namespace
}  // namespace driftline::e2e
