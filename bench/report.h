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

// The four machine-readable lines, last.
void PrintRatios(std::ostream& out, const PredictFigures& p, const IngestReport& r);

}  // namespace driftline::bench
