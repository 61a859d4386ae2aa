// Options of driftline_bench, each with its default (see --help).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::bench {

struct BenchOptions {
  // The driftline binary run as the node (a separate process).
  // Default: build/cli/driftline
  std::string driftline = "build/cli/driftline";
  // MovieTweetings ratings, converted with `driftline convert`.
  // Default: data/movietweetings/ratings.dat
  std::string data = "data/movietweetings/ratings.dat";
  // Offered predict rate (open loop), requests per second. Default: 2000
  double rate = 2000;
  // Measured predict round trips per path (raw and driftline). Default: 20000
  size_t samples = 20000;
  // Round trips sent first at the same rate and discarded. Default: 2000
  size_t warmup = 2000;
  // Candidates per predict request. Default: 3
  size_t candidates = 3;
  // Events per ingest batch. Default: 500
  size_t batch = 500;
  // Ingest batches in flight (unacknowledged). Default: 8
  size_t window = 8;
  // Events ingested into each driftline node (0: the whole data set). Default: 0
  size_t ingest_events = 0;
  // Times the raw ingest baselines replay the batches (longer, steadier timing).
  // Default: 5
  size_t raw_repeats = 5;
  // Partitions of each node. Default: 16 (the node's own default)
  uint32_t partitions = 16;
  // Base-model training epochs. Default: 3 (driftline train's default)
  uint32_t epochs = 3;
  // Where temporary data goes (a fresh dir under it, removed at exit).
  // Default: $TMPDIR or /tmp
  std::string tmp_root;
  // Keep the temp dir (node logs) after the run. Default: false
  bool keep_tmp = false;
  // (c) predict rate while ingesting, and for how long (idle run the same).
  // Default: 1000 per second, 4 s
  double under_ingest_rate = 1000;
  double under_ingest_seconds = 4;
  // (c) ingest connections streaming at once. Default: 4
  size_t ingest_senders = 4;
  // (d) seconds per rate of the capacity sweep, and of each 2x / 10x flood.
  // Default: 2 and 4
  double sweep_seconds = 2;
  double overload_seconds = 4;
  // (d) the deadline the predicts carry (0: the node's default, 5 ms). Default: 0
  uint32_t deadline_ms = 0;
  // Skip phases (c) and (d). Default: false
  bool skip_overload = false;
  // Run phase (c) only (idle and under-ingest predicts), skipping (a), (b)
  // and (d): the quick before/after pair for the ingest deadline work.
  // Default: false
  bool only_under_ingest = false;
  // Smoke run: tiny counts, one epoch.
  bool quick = false;
};

// Parses argv[1..]; --quick applies its counts first, explicit flags win.
// InvalidArgument with a one-line message for a bad flag.
// Sets *help when --help was given (nothing else is checked then).
Result<BenchOptions> ParseOptions(const std::vector<std::string>& args, bool* help);

std::string UsageText();

}  // namespace driftline::bench
