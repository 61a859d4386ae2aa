#include "learning/point_in_time.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace driftline {
namespace {

// Exposures by prediction id (first one wins; a duplicate id is ignored).
std::unordered_map<std::string, size_t> ExposuresById(const std::vector<Event>& events) {
  std::unordered_map<std::string, size_t> exposure;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.label && !e.prediction_id.empty()) exposure.emplace(e.prediction_id, i);
  }
  return exposure;
}

}  // namespace

std::vector<LabelledExample> PointInTimeSnapshot(const std::vector<Event>& events,
                                                 int64_t cut_ts_ms) {
  const std::unordered_map<std::string, size_t> exposure = ExposuresById(events);
  struct Ordered {
    int64_t ts;
    size_t order;
    LabelledExample example;
  };
  std::vector<Ordered> picked;
  std::unordered_set<std::string> joined;  // an exposure takes one label
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.label || e.ts_ms > cut_ts_ms) continue;
    auto it = e.prediction_id.empty() ? exposure.end() : exposure.find(e.prediction_id);
    if (it == exposure.end()) {
      picked.push_back({e.ts_ms, i, {e, *e.label, e.ts_ms, false, ""}});
      continue;
    }
    const Event& x = events[it->second];
    // Both times: the exposure must be known by the cut too, and a label
    // cannot precede its prediction (malformed: never an example).
    if (x.ts_ms > cut_ts_ms || e.ts_ms < x.ts_ms) continue;
    if (!joined.insert(e.prediction_id).second) continue;
    picked.push_back({x.ts_ms, it->second, {x, *e.label, e.ts_ms, true, e.event_id}});
  }
  std::stable_sort(picked.begin(), picked.end(), [](const Ordered& a, const Ordered& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.order < b.order;
  });
  std::vector<LabelledExample> out;
  out.reserve(picked.size());
  for (auto& p : picked) out.push_back(std::move(p.example));
  return out;
}

MalformedOutcomes FindOutcomesBeforeExposure(const std::vector<Event>& events) {
  const std::unordered_map<std::string, size_t> exposure = ExposuresById(events);
  MalformedOutcomes found;
  for (const Event& e : events) {
    if (!e.label || e.prediction_id.empty()) continue;
    auto it = exposure.find(e.prediction_id);
    if (it == exposure.end() || e.ts_ms >= events[it->second].ts_ms) continue;
    if (found.count++ == 0) {
      found.first = "prediction " + e.prediction_id + ": outcome at " + std::to_string(e.ts_ms) +
                    " before its exposure at " + std::to_string(events[it->second].ts_ms);
    }
  }
  return found;
}

}  // namespace driftline
