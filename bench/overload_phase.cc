// Phases (c) and (d): predicts during full-speed ingest beside the same
// predicts on an idle node, and the capacity sweep with floods at 2x and 10x.
#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

#include "bench/node_process.h"
#include "bench/phases.h"
#include "bench/workload.h"
#include "cluster/zmq_transport.h"
#include "protocol/codec.h"

namespace driftline::bench {
namespace {

using Clock = std::chrono::steady_clock;

// `count` predict frames with ids first_id.. and the given deadline.
std::vector<std::string> PredictFrames(const BenchOptions& opts, const std::vector<Event>& events,
                                       size_t count, uint64_t first_id) {
  std::vector<std::string> frames;
  frames.reserve(count);
  for (PredictRequest& r : MakePredictRequests(events, count, opts.candidates, first_id)) {
    r.deadline_ms = opts.deadline_ms;
    frames.push_back(EncodeFrame(r));
  }
  return frames;
}

Result<RateFigures> RunRate(cluster::ClientSocket& socket, const BenchOptions& opts,
                            const std::vector<Event>& events, double rate, double seconds,
                            uint64_t* next_id) {
  const size_t count = std::max<size_t>(1, static_cast<size_t>(rate * seconds));
  const uint64_t first = *next_id;
  *next_id += count;
  const double deadline_us = 1000.0 * (opts.deadline_ms ? opts.deadline_ms : 5);
  auto run = RunOpenLoop(socket, PredictFrames(opts, events, count, first), first, rate, ParsePredictReply,
                         std::chrono::milliseconds(3000), deadline_us);
  if (!run.ok()) return run.status();
  RateFigures f;
  f.rate = rate;
  f.summary = Summarize(run->latencies_us);
  f.run = std::move(*run);
  return f;
}

// Probes at ~1 per ms until a predict is answered normally (no fallback);
// milliseconds from `since` to that answer, or -1 after 30 s.
double MsUntilNormal(cluster::ClientSocket& socket, const BenchOptions& opts,
                     const std::vector<Event>& events, uint64_t* next_id, Clock::time_point since) {
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(30)) {
    const uint64_t id = (*next_id)++;
    auto frames = PredictFrames(opts, events, 1, id);
    if (!socket.Send({frames[0]}).ok()) return -1;
    const auto sent = Clock::now();
    while (Clock::now() - sent < std::chrono::seconds(5)) {
      auto reply = socket.Receive(std::chrono::milliseconds(100));
      if (!reply.ok() || reply->size() != 1) continue;
      auto info = ParsePredictReply((*reply)[0]);
      if (!info.ok() || info->id != id) continue;  // a straggler of the flood
      if (!info->fallback && !info->error) {
        return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return -1;
}

// The node's endpoint_predicts_* and router_predict* counters (empty if
// status fails).
std::vector<Counter> EndpointCounters(cluster::ClientSocket& socket, uint64_t id) {
  std::vector<Counter> out;
  auto status = Call(socket, StatusRequest{id}, id, std::chrono::milliseconds(10000));
  if (!status.ok()) return out;
  if (const auto* r = std::get_if<StatusReply>(&*status)) {
    for (const Counter& c : r->counters) {
      if (c.name.rfind("endpoint_predicts", 0) == 0 || c.name.rfind("router_predict", 0) == 0) {
        out.push_back(c);
      }
    }
  }
  return out;
}

bool WithinDeadline(const RateFigures& f, double deadline_us) {
  return f.run.lost == 0 && f.run.answered > 0 && f.summary.p99_us <= deadline_us &&
         f.run.fallbacks * 100 <= f.run.answered;
}

}  // namespace

Result<UnderIngestFigures> MeasurePredictUnderIngest(const BenchOptions& opts,
                                                     const std::vector<Event>& events,
                                                     const std::string& endpoint, size_t senders,
                                                     const std::function<double()>& cpu_seconds) {
  std::unique_ptr<cluster::Transport> transport = cluster::MakeZmqTransport();
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) return socket.status();
  auto status = Call(**socket, StatusRequest{9}, 9, std::chrono::milliseconds(10000));
  if (!status.ok()) return Status(status.status().code(), "node status: " + status.status().message());
  UnderIngestFigures f;
  f.senders = senders;
  uint64_t next_id = 10'000'000;
  const double cpu_idle_start = cpu_seconds();
  auto idle = RunRate(**socket, opts, events, opts.under_ingest_rate, opts.under_ingest_seconds, &next_id);
  if (!idle.ok()) return idle.status();
  f.idle = std::move(*idle);
  f.idle_cpu_seconds = cpu_seconds() - cpu_idle_start;
  const double cpu_ingest_start = cpu_seconds();

  // Each sender streams every event under its own event ids (so none is a
  // duplicate of another sender's), as fast as its window of acks allows.
  std::vector<std::future<Result<IngestResult>>> streams;
  const auto ingest_start = Clock::now();
  for (size_t k = 0; k < senders; ++k) {
    std::vector<Event> mine = events;
    for (size_t i = 0; i < mine.size(); ++i) mine[i].event_id = "bench-s" + std::to_string(k) + "-" + std::to_string(i);
    std::vector<std::string> frames;
    std::vector<size_t> sizes;
    for (const EventBatch& b : MakeBatches(mine, opts.ingest_events, opts.batch)) {
      frames.push_back(EncodeFrame(b));
      sizes.push_back(b.events.size());
    }
    streams.push_back(std::async(std::launch::async, [&transport, endpoint, opts, frames = std::move(frames),
                                                      sizes = std::move(sizes)]() -> Result<IngestResult> {
      auto s = transport->Connect(endpoint);
      if (!s.ok()) return s.status();
      return RunWindowedIngest(**s, frames, sizes, 1, opts.window, std::chrono::milliseconds(60000));
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // ingest at full speed first
  auto busy = RunRate(**socket, opts, events, opts.under_ingest_rate, opts.under_ingest_seconds, &next_id);
  for (auto& s : streams) {
    auto r = s.get();
    if (!r.ok()) {
      if (f.ingest_error.empty()) f.ingest_error = r.status().ToString();
    } else {
      f.events_acked += r->throughput.events;
    }
  }
  f.ingest_seconds = std::chrono::duration<double>(Clock::now() - ingest_start).count();
  f.under_ingest_cpu_seconds = cpu_seconds() - cpu_ingest_start;
  if (!busy.ok()) return busy.status();
  f.under_ingest = std::move(*busy);
  f.node_counters = EndpointCounters(**socket, 12);
  return f;
}

Result<OverloadFigures> MeasureOverload(const BenchOptions& opts, const std::vector<Event>& events,
                                        const std::string& endpoint, const std::function<double()>& rss) {
  std::unique_ptr<cluster::Transport> transport = cluster::MakeZmqTransport();
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) return socket.status();
  auto status = Call(**socket, StatusRequest{11}, 11, std::chrono::milliseconds(10000));
  if (!status.ok()) return Status(status.status().code(), "node status: " + status.status().message());
  OverloadFigures f;
  f.deadline_ms = opts.deadline_ms ? opts.deadline_ms : 5;
  const double deadline_us = 1000.0 * f.deadline_ms;
  uint64_t next_id = 20'000'000;
  for (double rate = 500; rate <= 64'000; rate *= 2) {
    auto r = RunRate(**socket, opts, events, rate, opts.sweep_seconds, &next_id);
    if (!r.ok()) return r.status();
    const bool ok = WithinDeadline(*r, deadline_us);
    f.sweep.push_back(std::move(*r));
    if (!ok) break;
    f.capacity = rate;
    f.capacity_found = true;
  }
  if (f.capacity == 0) f.capacity = 500;
  f.rss_before_mib = rss();
  f.rss_max_mib = f.rss_before_mib;
  for (double factor : {2.0, 10.0}) {
    // RSS sampled by a side thread while the flood runs.
    std::atomic<bool> done{false};
    std::thread sampler([&] {
      while (!done.load()) {
        f.rss_max_mib = std::max(f.rss_max_mib, rss());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    const auto flood_end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(opts.overload_seconds));
    auto r = RunRate(**socket, opts, events, factor * f.capacity, opts.overload_seconds, &next_id);
    // Fresh connection for the probe: the flood's stragglers stay on the old one.
    auto probe = transport->Connect(endpoint);
    const double recovery =
        probe.ok() ? MsUntilNormal(**probe, opts, events, &next_id, flood_end) : -1;
    done = true;
    sampler.join();
    if (!r.ok()) return r.status();
    (factor == 2.0 ? f.twice : f.tenfold) = std::move(*r);
    (factor == 2.0 ? f.recovery_ms_2x : f.recovery_ms_10x) = recovery;
  }
  f.node_counters = EndpointCounters(**socket, 13);
  return f;
}

}  // namespace driftline::bench
