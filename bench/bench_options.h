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
  // Smoke run: tiny counts, one epoch.
  bool quick = false;
};

// Parses argv[1..]; --quick applies its counts first, explicit flags win.
// InvalidArgument with a one-line message for a bad flag.
// Sets *help when --help was given (nothing else is checked then).
Result<BenchOptions> ParseOptions(const std::vector<std::string>& args, bool* help);

std::string UsageText();

}  // namespace driftline::bench
