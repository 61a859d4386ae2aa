// The bench's measurement phases, each against a raw baseline.
#pragma once

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

}  // namespace driftline::bench
