// Invariant 7 (same code offline and online, at any batch size): a real node
// process fed a MovieTweetings stream in batches of several events, and the
// offline evaluator itself (EvaluateProgressive, not a copy of its loop) with
// --batch semantics, give the same predictions: bit for bit on one partition
// at any batch size, and on 16 partitions with batches of one; with larger
// batches on 16 partitions, arm updates of one batch from different
// partitions may reach an arm in another order, so the log losses are
// compared (the difference goes to docs/evaluation.md).
//
// The client's protocol, which EvalOptions::batch models: before sending a
// batch, settle the arm updates already sent (a status request), then predict
// every event of the batch (one candidate: the event's item, with the event's
// features and time), then send the batch and wait for its ack. (Each probe
// leaves a pending prediction at the user's partition that no outcome joins;
// it expires and is dropped, and never changes a delta.)
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

#include "learning/evaluator.h"
#include "learning/metrics.h"
#include "learning/offline_trainer.h"
#include "protocol/codec.h"
#include "protocol/event_jsonl.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

constexpr size_t kStream = 600;  // events replayed through the node

struct SkewSetup {
  TempDir dir;
  std::string artifact_bytes;
  std::vector<LabelledExample> stream;  // the events after the cut, in time order
};

// The converted MovieTweetings slice, a base trained on its first half (in
// time) and the next kStream events as the stream to replay.
std::unique_ptr<SkewSetup> MakeSetup() {
  auto s = std::make_unique<SkewSetup>();
  const TrainedModels models = Ok(TrainModels(s->dir));
  auto reader = Ok(EventFileReader::Open(models.events));
  std::vector<Event> events;
  while (auto next = Ok(reader->Next())) events.push_back(std::move(next->event));
  std::vector<LabelledExample> all = PointInTimeSnapshot(events, std::numeric_limits<int64_t>::max());
  REQUIRE(all.size() > 2 * kStream);
  const int64_t cut = all[all.size() - kStream - 1].event.ts_ms;
  TrainConfig config;
  config.hashing.bits = 16;
  config.hashing.crosses = {{"user", "item"}};
  s->artifact_bytes = EncodeArtifact(TrainBaseModel(PointInTimeSnapshot(events, cut), config, "skew", {}));
  for (auto& ex : all) {
    if (ex.event.ts_ms > cut) s->stream.push_back(std::move(ex));
  }
  REQUIRE(s->stream.size() >= kStream - 10);  // ties at the cut may drop a few
  return s;
}

// Replays the stream through a node with `partitions` partitions following
// the client protocol above; returns the node's prediction for every event.
std::vector<double> ThroughTheNode(const SkewSetup& s, int partitions, size_t batch_size) {
  NodeConfig config;
  config.binary = DriftlineBinary();
  const std::string name = std::to_string(partitions) + "-" + std::to_string(batch_size);
  config.data_dir = s.dir.File("data-" + name);
  config.log_path = s.dir.File("node-" + name + ".log");
  config.extra_flags = {"--partitions", std::to_string(partitions)};
  auto node = Ok(NodeProcess::Start(config));
  auto client = Ok(node->Connect());
  auto registered = Ok(client->RegisterModel(s.artifact_bytes));
  REQUIRE(Ok(client->ActivateModel(registered.version)).version == "skew");

  std::vector<double> predictions;
  for (size_t begin = 0; begin < s.stream.size(); begin += batch_size) {
    const size_t end = std::min(s.stream.size(), begin + batch_size);
    // A status request settles the arm updates queued at every partition (it
    // goes behind them); on one partition they are then confirmed too.
    const int64_t outbox = Ok(Counter(*client, "partition_outbox"));
    if (partitions == 1) REQUIRE(outbox == 0);
    EventBatch batch;
    for (size_t i = begin; i < end; ++i) {
      const Event& e = s.stream[i].event;
      PredictRequest request;
      request.user = e.user;
      request.candidates = {{e.item, {}}};
      request.context = e.features;
      request.ts_ms = e.ts_ms;
      request.deadline_ms = 5000;  // generous: a slow machine must not fall back here
      PredictReply reply = Ok(client->Predict(request, std::chrono::seconds(15)));
      INFO(reply.fallback_reason);
      REQUIRE_FALSE(reply.fallback);
      REQUIRE(reply.scores.size() == 1);
      predictions.push_back(reply.scores[0].probability);
      Event labelled = e;
      labelled.label = s.stream[i].label;
      batch.events.push_back(std::move(labelled));
    }
    REQUIRE(Ok(client->SendBatch(std::move(batch), std::chrono::seconds(30))).accepted == end - begin);
  }
  REQUIRE(Ok(node->Terminate()) == 0);
  return predictions;
}

// The evaluator on the same stream, with the node's defaults.
EvalResult Offline(const SkewSetup& s, size_t batch_size) {
  auto artifact = Ok(DecodeArtifact(s.artifact_bytes));
  const BaseModel base(artifact);
  EvalOptions options;
  options.batch = batch_size;
  options.keep_predictions = true;
  return EvaluateProgressive(EvalMode::kHybrid, &base, s.stream, options);
}

double LogLoss(const std::vector<double>& predictions, const std::vector<LabelledExample>& stream) {
  ProgressiveMetrics metrics;
  for (size_t i = 0; i < predictions.size(); ++i) metrics.Add(predictions[i], stream[i].label);
  return metrics.LogLoss();
}

// Every prediction of the node equals the evaluator's, bit for bit.
void RequireBitForBit(const SkewSetup& s, const std::vector<double>& online, const EvalResult& offline) {
  REQUIRE(online.size() == offline.predictions.size());
  for (size_t i = 0; i < online.size(); ++i) {
    INFO("event " << i << " user " << s.stream[i].event.user << " item " << s.stream[i].event.item);
    REQUIRE(online[i] == offline.predictions[i]);
  }
  REQUIRE(LogLoss(online, s.stream) == offline.logloss);
}

TEST_CASE("a one-partition node fed batches of 25 and the evaluator with --batch 25 predict bit for bit") {
  auto s = MakeSetup();
  const EvalResult offline = Offline(*s, 25);
  RequireBitForBit(*s, ThroughTheNode(*s, 1, 25), offline);
  // The batches matter: event by event gives other predictions.
  REQUIRE(Offline(*s, 1).predictions != offline.predictions);
  // And learning happened: the stream is not scored by the base alone.
  auto artifact = Ok(DecodeArtifact(s->artifact_bytes));
  const BaseModel base(artifact);
  REQUIRE(EvaluateProgressive(EvalMode::kBase, &base, s->stream, EvalOptions{}).logloss != offline.logloss);
}

TEST_CASE("a 16-partition node fed batches of one and the evaluator predict bit for bit") {
  auto s = MakeSetup();
  RequireBitForBit(*s, ThroughTheNode(*s, 16, 1), Offline(*s, 1));
}

// Arm updates of one batch from different partitions reach an arm in an
// order set by thread scheduling (docs/architecture.md, "The arm view").
TEST_CASE("a 16-partition node fed batches of 25 stays within 0.001 log loss of the evaluator") {
  auto s = MakeSetup();
  const EvalResult offline = Offline(*s, 25);
  const std::vector<double> online = ThroughTheNode(*s, 16, 25);
  REQUIRE(online.size() == offline.predictions.size());
  size_t identical = 0;
  for (size_t i = 0; i < online.size(); ++i) identical += online[i] == offline.predictions[i];
  const double node_logloss = LogLoss(online, s->stream);
  const double difference = std::abs(node_logloss - offline.logloss);
  std::cout << "[skew] 16 partitions, " << online.size() << " events in batches of 25"
            << ": node log loss " << node_logloss << ", evaluator " << offline.logloss
            << ", difference " << difference << ", identical predictions " << identical << "/"
            << online.size() << "\n";
  REQUIRE(difference < 0.001);
}

// Delayed labels through the node: every third event of the stream becomes an
// exposure (a predict at its time) whose outcome (carrying the node's
// prediction id) arrives after the next three events. The client follows the
// evaluator's order of known things (docs/evaluation.md), one step at a time:
// an exposure is settled + predicted; a rating settled + predicted + sent; an
// outcome sent. The node joins each outcome to its pending prediction and
// learns at the parts it predicted with, as the evaluator does.
TEST_CASE("delayed labels: a node fed exposures, ratings and later outcomes and the evaluator predict bit for bit") {
  auto s = MakeSetup();
  std::vector<Event> events;
  for (size_t i = 0; i < s->stream.size(); ++i) {
    Event e = s->stream[i].event;
    e.label = s->stream[i].label;
    if (i % 3 == 0 && i + 3 < s->stream.size()) {
      Event outcome;
      outcome.ts_ms = s->stream[i + 3].event.ts_ms + 1;
      outcome.user = e.user;
      outcome.label = e.label;
      outcome.prediction_id = "p" + std::to_string(i);
      outcome.event_id = "o" + std::to_string(i);
      e.label.reset();
      e.prediction_id = outcome.prediction_id;
      events.push_back(std::move(outcome));
    }
    events.push_back(std::move(e));
  }
  const std::vector<LabelledExample> examples =
      PointInTimeSnapshot(events, std::numeric_limits<int64_t>::max());
  REQUIRE(examples.size() == s->stream.size());
  auto artifact = Ok(DecodeArtifact(s->artifact_bytes));
  const BaseModel base(artifact);
  // A pending wait of a week, on the node and in the evaluator: most outcomes
  // join (MovieTweetings ratings are often hours apart).
  constexpr int64_t kPendingTtlMs = 7 * 24 * 3'600'000LL;
  EvalOptions options;
  options.keep_predictions = true;
  options.online.pending_ttl_ms = kPendingTtlMs;
  const EvalResult offline = EvaluateProgressive(EvalMode::kHybrid, &base, examples, options);

  // The order of known things: (time, outcomes last, example order).
  struct Step {
    int64_t ts;
    bool outcome;
    size_t index;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < examples.size(); ++i) {
    steps.push_back({examples[i].event.ts_ms, false, i});
    if (examples[i].joined) steps.push_back({examples[i].known_at_ms, true, i});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.outcome != b.outcome ? b.outcome : a.index < b.index;
  });

  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = s->dir.File("data-delayed");
  config.log_path = s->dir.File("node-delayed.log");
  config.extra_flags = {"--partitions", "16", "--pending-ttl-ms", std::to_string(kPendingTtlMs)};
  auto node = Ok(NodeProcess::Start(config));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(client->ActivateModel(Ok(client->RegisterModel(s->artifact_bytes)).version)).version == "skew");
  std::vector<double> online(examples.size(), -1.0);
  std::map<std::string, std::string> node_prediction;  // our prediction id -> the node's
  for (const Step& step : steps) {
    const LabelledExample& ex = examples[step.index];
    EventBatch batch;
    if (step.outcome) {
      Event outcome;
      outcome.ts_ms = ex.known_at_ms;
      outcome.user = ex.event.user;
      outcome.label = ex.label;
      outcome.event_id = ex.outcome_event_id;
      outcome.prediction_id = node_prediction.at(ex.event.prediction_id);
      batch.events.push_back(std::move(outcome));
    } else {
      (void)Ok(Counter(*client, "partition_outbox"));  // settles queued arm updates
      PredictRequest request;
      request.user = ex.event.user;
      request.candidates = {{ex.event.item, {}}};
      request.context = ex.event.features;
      request.ts_ms = ex.event.ts_ms;
      request.deadline_ms = 5000;
      PredictReply reply = Ok(client->Predict(request, std::chrono::seconds(15)));
      INFO(reply.fallback_reason);
      REQUIRE_FALSE(reply.fallback);
      online[step.index] = reply.scores.at(0).probability;
      if (ex.joined) {
        node_prediction[ex.event.prediction_id] = reply.prediction_id;
        continue;  // its label comes later
      }
      Event rating = ex.event;
      rating.label = ex.label;
      batch.events.push_back(std::move(rating));
    }
    REQUIRE(Ok(client->SendBatch(std::move(batch), std::chrono::seconds(30))).accepted == 1);
  }
  // Every outcome found its pending prediction (none waited a week).
  REQUIRE(Ok(Counter(*client, "partition_outcomes_joined")) ==
          static_cast<int64_t>(node_prediction.size()));
  REQUIRE(node_prediction.size() > examples.size() / 4);
  RequireBitForBit(*s, online, offline);
  REQUIRE(Ok(node->Terminate()) == 0);
}

}  // namespace
}  // namespace driftline::e2e
