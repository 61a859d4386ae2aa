// The predict path of a real node process under faults and load
// (docs/faults.md, "Overload and deadlines"): a joinable prediction survives
// kill -9; a predict flood far beyond capacity keeps the node's memory
// bounded, status answering, and normal service right after; predicts during
// full-speed ingest from four senders are all answered.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "cluster/zmq_transport.h"
#include "protocol/codec.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

const std::vector<std::string> kItems = {"1074638", "1853728", "0104257"};

PredictRequest MakePredict(const std::string& user, uint32_t deadline_ms) {
  PredictRequest request;
  request.user = user;
  for (const auto& item : kItems) request.candidates.push_back({item, {}});
  request.ts_ms = kTestTs;
  request.deadline_ms = deadline_ms;
  return request;
}

// Resident set size of process `pid` in MiB (VmRSS), or -1.
double RssMiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      double kb = -1;
      in >> kb;
      return kb / 1024.0;
    }
    std::string rest;
    std::getline(in, rest);
  }
  return -1;
}

struct Served {
  TempDir dir;
  TrainedModels models;
  std::unique_ptr<NodeProcess> node;
  std::unique_ptr<Client> client;
};

std::unique_ptr<Served> ServeV1() {
  auto s = std::make_unique<Served>();
  s->models = Ok(TrainModels(s->dir));
  s->node = Ok(StartNode(s->dir));
  s->client = Ok(s->node->Connect());
  REQUIRE(Ok(Serve(*s->client, s->models.v1)) == "v1");
  return s;
}

TEST_CASE("kill -9 right after predict replies: after the restart every joinable prediction's outcome joins") {
  auto s = ServeV1();
  std::vector<PredictReply> replies;
  for (int i = 0; i < 30; ++i) {
    // A generous deadline: on a slow machine the log write must fit in it.
    PredictReply reply = Ok(s->client->Predict(MakePredict("kill-u" + std::to_string(i), 2000),
                                               std::chrono::seconds(15)));
    INFO(reply.unjoinable_reason);
    REQUIRE(reply.joinable);
    replies.push_back(reply);
  }
  s->node->Kill();  // at once after the last reply

  s->node = Ok(StartNode(s->dir));
  s->client = Ok(s->node->Connect(std::chrono::seconds(30)));
  EventBatch outcomes;
  for (size_t i = 0; i < replies.size(); ++i) {
    Event e = Labelled("kill-u" + std::to_string(i), replies[i].chosen, 1,
                       "kill-outcome-" + std::to_string(i));
    e.prediction_id = replies[i].prediction_id;
    e.ts_ms = kTestTs + 1000;
    outcomes.events.push_back(e);
  }
  BatchAck ack = Ok(s->client->SendBatch(outcomes));
  CHECK(ack.accepted == replies.size());
  CHECK(Ok(Counter(*s->client, "partition_outcomes_joined")) == static_cast<int64_t>(replies.size()));
  CHECK(Ok(Counter(*s->client, "partition_outcomes_unknown")) == 0);
}

// Floods `endpoint` with predicts from one connection as fast as it can send
// until `stop`, reading (and counting) whatever replies arrive.
void Flood(const std::string& endpoint, int thread, const std::atomic<bool>& stop,
           std::atomic<uint64_t>& sent, std::atomic<uint64_t>& answered) {
  auto transport = cluster::MakeZmqTransport();
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) return;
  std::vector<std::string> frames;
  for (int i = 0; i < 64; ++i) {
    PredictRequest r = MakePredict("flood-" + std::to_string(thread) + "-" + std::to_string(i), 0);
    r.request_id = static_cast<uint64_t>(i + 1);
    frames.push_back(EncodeFrame(r));
  }
  size_t next = 0;
  while (!stop.load()) {
    if ((*socket)->Send({frames[next++ % frames.size()]}).ok()) {
      ++sent;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // send queue full
    }
    while ((*socket)->Receive(std::chrono::milliseconds(0)).ok()) ++answered;
  }
  (*socket)->Close();
}

// The node's RSS growth allowed during the flood. Under AddressSanitizer
// (the CI's second run) freed memory waits in a 256 MiB quarantine and every
// allocation carries redzones, so the same bounded queues show up to about
// twice as large: measured 422 MiB there. Unbounded queueing (the bug this
// guards against) grew past 850 MiB in 3 s without ASan.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kFloodRssBoundMiB = 600.0;
#else
constexpr double kFloodRssBoundMiB = 200.0;
#endif

// A counter read after the flood, each attempt on a fresh connection with
// 5 s to answer. Right after a flood status sometimes gets no reply for
// several seconds (a known bug, docs/faults.md, "Known bug, still open"): the
// misses are counted and reported; twelve in a row (a minute) fail the test.
template <class NodeT>
int64_t CounterAfterFlood(NodeT& node, const std::string& name, int* misses) {
  Status last;
  for (int attempt = 0; attempt < 12; ++attempt) {
    auto client = Ok(node.Connect(std::chrono::seconds(5)));
    auto value = Counter(*client, name);
    if (value.ok()) return *value;
    last = value.status();
    ++*misses;
  }
  FAIL("no status reply in twelve attempts (a minute) after the flood: " << last.ToString());
  return -1;
}

TEST_CASE("a predict flood far beyond capacity: memory stays bounded, status answers, service is normal after") {
  auto s = ServeV1();
  // Warm the node (model, partitions, allocator) before the baseline.
  for (int i = 0; i < 50; ++i) Ok(s->client->Predict(MakePredict("warm" + std::to_string(i), 2000)));
  const double rss_before = RssMiB(s->node->pid());
  REQUIRE(rss_before > 0);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> sent{0}, answered{0};
  std::vector<std::thread> flooders;
  for (int t = 0; t < 4; ++t) {
    flooders.emplace_back(Flood, s->node->endpoint(), t, std::cref(stop), std::ref(sent), std::ref(answered));
  }
  // Status during the flood: every request answered within the client's 2 s
  // (the node gathers counters for at most 500 ms, then answers with what
  // came: CoordinatorConfig::status_gather_ms).
  auto status_client = Ok(s->node->Connect(std::chrono::seconds(2)));
  double rss_max = rss_before;
  int status_answers = 0, status_misses = 0;
  const auto flood_end = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (std::chrono::steady_clock::now() < flood_end) {
    // Status answers throughout (the client's 2 s timeout is the bound).
    auto status = status_client->NodeStatus();
    if (status.ok()) {
      CHECK(status->active_version == "v1");
      ++status_answers;
    } else {
      ++status_misses;
      status_client = Ok(s->node->Connect(std::chrono::seconds(2)));
    }
    rss_max = std::max(rss_max, RssMiB(s->node->pid()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  stop = true;
  for (auto& t : flooders) t.join();
  const auto flood_stopped = std::chrono::steady_clock::now();
  rss_max = std::max(rss_max, RssMiB(s->node->pid()));

  // A fresh connection for what follows: the idle one may have been dropped
  // by its heartbeat while the flood starved the node (seen under ASan).
  auto after = Ok(s->node->Connect(std::chrono::seconds(30)));
  // Served normally again: online scores, logged, default deadline raised
  // only for the slow machine's sake.
  bool normal = false;
  while (!normal && std::chrono::steady_clock::now() - flood_stopped < std::chrono::seconds(10)) {
    auto reply = after->Predict(MakePredict("after-flood", 200), std::chrono::seconds(5));
    normal = reply.ok() && !reply->fallback && reply->joinable;
  }
  const double recovered_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - flood_stopped).count();
  int after_misses = 0;
  const int64_t busy = CounterAfterFlood(*s->node, "endpoint_predicts_busy", &after_misses);
  INFO("sent " << sent << ", answered " << answered << ", refused busy " << busy << ", RSS "
               << rss_before << " -> max " << rss_max << " MiB, normal service " << recovered_s
               << " s after the flood, " << status_answers << " status answers, " << status_misses
               << " missed, " << after_misses << " status replies lost after the flood");
  CHECK(status_misses == 0);  // status answered every time during the flood
  CHECK(status_answers > 0);
  CHECK(normal);
  CHECK(recovered_s < 5.0);  // generous: on an idle machine it is well under a second
  CHECK(sent > 20'000);      // the flood was far beyond capacity...
  CHECK(busy > 0);           // ...and the bounds were reached
  CHECK(answered > 0);
  // The documented bound (docs/faults.md): 256 predicts in flight, ZeroMQ's
  // queues of 10000 frames per connection; 4 connections stay far below 200 MiB.
  CHECK(rss_max - rss_before < kFloodRssBoundMiB);
  // The node holds no backlog once the flood is gone: the router lets go of
  // every admitted predict (polled: it may still be finishing the last ones).
  int64_t in_flight = -1;
  for (int i = 0; i < 100 && in_flight != 0; ++i) {
    in_flight = CounterAfterFlood(*s->node, "endpoint_predicts_in_flight", &after_misses);
    if (in_flight != 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(in_flight == 0);
}

TEST_CASE("predicts during full-speed ingest from four senders are each answered") {
  auto s = ServeV1();
  std::vector<std::future<Result<SendStats>>> senders;
  for (int k = 0; k < 4; ++k) {
    senders.push_back(std::async(std::launch::async, [&s, k]() -> Result<SendStats> {
      auto client = s->node->Connect();
      if (!client.ok()) return client.status();
      std::vector<Event> events;
      for (int i = 0; i < 40'000; ++i) {
        events.push_back(Labelled("s" + std::to_string(k) + "-u" + std::to_string(i % 500),
                                  kItems[i % kItems.size()], i % 2,
                                  "ingest-" + std::to_string(k) + "-" + std::to_string(i)));
      }
      return (*client)->SendEvents(EventSourceFromVector(events), 500, 8);
    }));
  }
  std::vector<double> latencies_ms;
  int fallbacks = 0;
  auto senders_running = [&] {
    return std::any_of(senders.begin(), senders.end(), [](auto& f) {
      return f.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
    });
  };
  while (senders_running() || latencies_ms.size() < 100) {
    const auto t0 = std::chrono::steady_clock::now();
    // The default deadline (the node's 5 ms); every predict gets an answer.
    PredictReply reply = Ok(s->client->Predict(MakePredict("reader", 0), std::chrono::seconds(5)));
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (reply.fallback) ++fallbacks;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (auto& f : senders) CHECK(Ok(f.get()).acknowledged == 40'000);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p50 = latencies_ms[latencies_ms.size() / 2];
  const double p99 = latencies_ms[latencies_ms.size() * 99 / 100];
  INFO(latencies_ms.size() << " predicts, " << fallbacks << " fallbacks, p50 " << p50 << " ms, p99 "
                           << p99 << " ms, max " << latencies_ms.back() << " ms");
  // Timing is the bench's job (bench/RESULTS.md); this bound only catches a
  // node that queues predicts behind ingest (seconds), not a slow machine.
  CHECK(latencies_ms.back() < 2000.0);
  WARN(latencies_ms.size() << " predicts during ingest: " << fallbacks << " fallbacks, p50 " << p50
                           << " ms, p99 " << p99 << " ms, max " << latencies_ms.back() << " ms");
}

}  // namespace
}  // namespace driftline::e2e
