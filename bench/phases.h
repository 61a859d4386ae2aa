// The bench's measurement phases, each against a raw baseline.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_options.h"
#include "bench/open_loop.h"
#include "bench/percentiles.h"
#include "bench/raw_baselines.h"
#include "bench/windowed_ingest.h"
#include "common/status.h"
#include "learning/event.h"
#include "protocol/messages.h"

namespace driftline::bench {

struct LatencyFigures {
  OpenLoopResult run;
  LatencySummary summary;
};

struct PredictFigures {
  size_t mean_frame_bytes = 0;
  LatencyFigures raw, driftline;
};

// Raw echo round trips, then driftline predicts to `node_endpoint`, each with
// opts.warmup discarded requests first, at opts.rate, opts.samples measured.
Result<PredictFigures> MeasurePredict(const BenchOptions& opts, const std::vector<Event>& events,
                                      const std::string& node_endpoint);

// A PredictReply's (or ErrorReply's) request id, fallback and busy flags.
Result<ReplyInfo> ParsePredictReply(const std::string& frame);

struct IngestBatches {
  std::vector<std::string> frames;             // EncodeFrame(EventBatch), ids 1..n
  std::vector<size_t> events_per_frame;
  std::vector<std::vector<std::string>> records;  // the log records of each batch
  uint64_t events = 0, frame_bytes = 0, record_bytes = 0;
};
IngestBatches MakeIngestBatches(const std::vector<Event>& events, const BenchOptions& opts);

struct RawIngestFigures {
  Throughput zmq, rocks_wal, rocks_fsync;
};
Result<RawIngestFigures> MeasureRawIngest(const BenchOptions& opts, const IngestBatches& batches,
                                          const std::string& scratch_dir);

// Windowed ingest of every batch into the node at `endpoint`.
Result<IngestResult> MeasureNodeIngest(const BenchOptions& opts, const IngestBatches& batches,
                                       const std::string& endpoint);

// ---- (c) predicts during full-speed ingest, (d) capacity and overload ----

// One open-loop predict run at a fixed rate.
struct RateFigures {
  double rate = 0;
  OpenLoopResult run;
  LatencySummary summary;
};

struct UnderIngestFigures {
  RateFigures idle;          // the same predicts, node idle (same run, just before)
  RateFigures under_ingest;  // while `senders` stream batches as fast as acks allow
  size_t senders = 0;
  uint64_t events_acked = 0;
  double ingest_seconds = 0;
  std::string ingest_error;  // empty if every sender finished
  // The node's endpoint_predicts_* counters after both runs (node-side view
  // of the deadline answers: how many, how late).
  std::vector<Counter> node_counters;
  // The node's CPU seconds during the idle run, and from the first sender's
  // start to the last sender's end (ingest and predicts together).
  double idle_cpu_seconds = 0, under_ingest_cpu_seconds = 0;
};
// Predicts at opts.under_ingest_rate for opts.under_ingest_seconds, idle and
// then while `senders` connections ingest every event of `events` (each under
// its own event ids) with opts.window batches in flight. `cpu_seconds` reads
// the node's CPU time.
Result<UnderIngestFigures> MeasurePredictUnderIngest(const BenchOptions& opts,
                                                     const std::vector<Event>& events,
                                                     const std::string& endpoint, size_t senders,
                                                     const std::function<double()>& cpu_seconds);

struct OverloadFigures {
  double deadline_ms = 0;
  std::vector<RateFigures> sweep;  // rising rates until one misses the deadline
  double capacity = 0;             // highest swept rate with p99 within the deadline, <1% fallbacks
  bool capacity_found = false;     // false: no swept rate met it; the floods use 500/s as the base
  RateFigures twice, tenfold;      // 2x and 10x capacity for opts.overload_seconds
  double rss_before_mib = 0, rss_max_mib = 0;
  double recovery_ms_2x = -1, recovery_ms_10x = -1;  // flood end to the first normal answer
  std::vector<Counter> node_counters;  // endpoint_predicts_* after the floods
};
// Sweeps rates (opts.sweep_seconds each), then floods at 2x and 10x the
// capacity found, measuring after each how long until a predict is answered
// normally again. `rss` reads the node's RSS (MiB).
Result<OverloadFigures> MeasureOverload(const BenchOptions& opts, const std::vector<Event>& events,
                                        const std::string& endpoint, const std::function<double()>& rss);

}  // namespace driftline::bench
