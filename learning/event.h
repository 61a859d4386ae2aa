// The event: one line of the JSON Lines stream (docs/events.md), one entry of
// a partition's event log. A plain value; the codec in protocol/ turns it into
// bytes and back, nothing here knows about a wire or a disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace driftline {

// One named numeric feature inside a namespace ("genre:Drama" = 1.0).
struct Feature {
  std::string name;
  double value = 1.0;
  bool operator==(const Feature& o) const { return name == o.name && value == o.value; }
};

// A namespace groups features that describe one thing (the user, the item,
// the request context). Crosses between namespaces are declared by name.
struct FeatureNamespace {
  std::string name;
  std::vector<Feature> features;
  bool operator==(const FeatureNamespace& o) const {
    return name == o.name && features == o.features;
  }
};

// Namespaces in the order they were given. Order matters only for hashing
// determinism of duplicates; the hasher treats repeated names as one namespace.
using FeatureSet = std::vector<FeatureNamespace>;

struct Event {
  int64_t ts_ms = 0;           // milliseconds since the Unix epoch (UTC)
  std::string user;            // non-empty
  std::string item;            // the arm; may be empty for a context-only event
  std::optional<int> label;    // 0 or 1 for a labelled outcome; unset otherwise
  std::string event_id;        // empty: not de-duplicated
  std::string prediction_id;   // empty: not the outcome of a prediction
  FeatureSet features;         // namespace -> feature -> value

  bool operator==(const Event& o) const {
    return ts_ms == o.ts_ms && user == o.user && item == o.item && label == o.label &&
           event_id == o.event_id && prediction_id == o.prediction_id &&
           features == o.features;
  }
};

}  // namespace driftline
