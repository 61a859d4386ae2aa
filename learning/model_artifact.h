// The base model artifact: what the offline trainer produces, the registry
// stores and every serving node loads. A plain value; protocol/ encodes it
// (Cap'n Proto, protocol/driftline.capnp) and computes its content hash.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace driftline {

// How raw features become indices (learning/feature_hasher.h).
struct HashingConfig {
  uint32_t bits = 18;  // 2^bits buckets. Default: 18
  // Namespace pairs crossed like Vowpal Wabbit's -q ("user","item").
  // Default: none.
  std::vector<std::pair<std::string, std::string>> crosses;
  bool operator==(const HashingConfig& o) const {
    return bits == o.bits && crosses == o.crosses;
  }
};

// Everything that determines the trained weights besides the events.
struct TrainConfig {
  HashingConfig hashing;
  uint32_t epochs = 3;          // passes over the snapshot. Default: 3
  double learning_rate = 0.1;   // AdaGrad step scale. Default: 0.1
  double l2 = 1e-6;             // L2 per example on every weight. Default: 1e-6
  uint64_t seed = 1;            // seeds the per-epoch shuffle. Default: 1
  bool operator==(const TrainConfig& o) const {
    return hashing == o.hashing && epochs == o.epochs && learning_rate == o.learning_rate &&
           l2 == o.l2 && seed == o.seed;
  }
};

// Which data the model saw: enough to reproduce it and to audit it.
struct SnapshotInfo {
  std::string description;   // e.g. "events.jsonl, ts <= 1366066660000"
  std::string sha256_hex;    // hash of the canonical encoding of the events used
  int64_t cut_ts_ms = 0;     // point-in-time cut: only events with ts <= cut
  uint64_t event_count = 0;  // labelled events trained on
  bool operator==(const SnapshotInfo& o) const {
    return description == o.description && sha256_hex == o.sha256_hex &&
           cut_ts_ms == o.cut_ts_ms && event_count == o.event_count;
  }
};

struct WeightEntry {
  uint32_t index = 0;
  double weight = 0.0;
  bool operator==(const WeightEntry& o) const { return index == o.index && weight == o.weight; }
};

// Training-time distribution of one namespace's features over a fixed number
// of buckets (learning/drift.h); serving compares against it with KL divergence.
struct NamespaceHistogram {
  std::string name;
  std::vector<double> counts;
  bool operator==(const NamespaceHistogram& o) const {
    return name == o.name && counts == o.counts;
  }
};

struct ModelArtifact {
  std::string version;                     // registry key, e.g. "mt-1368706380"
  TrainConfig config;
  SnapshotInfo snapshot;
  std::vector<WeightEntry> weights;        // non-zero weights, ascending index
  std::vector<NamespaceHistogram> histograms;  // ascending name
  std::string content_hash;                // sha256 hex of the canonical encoding
                                           // with this field empty; set by the codec
  bool operator==(const ModelArtifact& o) const {
    return version == o.version && config == o.config && snapshot == o.snapshot &&
           weights == o.weights && histograms == o.histograms &&
           content_hash == o.content_hash;
  }
};

}  // namespace driftline
