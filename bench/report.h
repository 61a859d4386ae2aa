// Printing the figures side by side, and the RATIO lines.
#pragma once

#include <ostream>

#include "bench/bench_options.h"
#include "bench/phases.h"

namespace driftline::bench {

void PrintPredict(std::ostream& out, const BenchOptions& opts, const PredictFigures& f);

struct IngestReport {
  RawIngestFigures raw;
  IngestResult wal, fsync;
  uint64_t events = 0, frame_bytes = 0, record_bytes = 0, batches = 0;
  double wal_cpu_seconds = 0, fsync_cpu_seconds = 0;  // the node's CPU during each run
};
void PrintIngest(std::ostream& out, const BenchOptions& opts, const IngestReport& r);

// (c): predict latency idle and during full-speed ingest, side by side.
void PrintUnderIngest(std::ostream& out, const UnderIngestFigures& f);
// (d): the capacity sweep and the 2x / 10x floods.
void PrintOverload(std::ostream& out, const OverloadFigures& f, double cpu_seconds);
// Two more machine-readable lines (when phases c and d ran):
//   RATIO predict_p99_under_ingest <under ingest p99 / idle p99>
//   RATIO predict_10x_within_deadline <share of 10x-flood answers within deadline>
void PrintOverloadRatios(std::ostream& out, const UnderIngestFigures& u, const OverloadFigures& o);

// The four machine-readable lines, last.
void PrintRatios(std::ostream& out, const PredictFigures& p, const IngestReport& r);

}  // namespace driftline::bench
