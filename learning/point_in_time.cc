#include "learning/point_in_time.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace driftline {

std::vector<LabelledExample> PointInTimeSnapshot(const std::vector<Event>& events,
                                                 int64_t cut_ts_ms) {
  // Exposures by prediction id (first one wins; a duplicate id is ignored).
  std::unordered_map<std::string, size_t> exposure;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.label && !e.prediction_id.empty()) exposure.emplace(e.prediction_id, i);
  }
  struct Ordered {
    int64_t ts;
    size_t order;
    LabelledExample example;
  };
  std::vector<Ordered> picked;
  std::unordered_map<std::string, bool> joined;  // an exposure takes one label
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.label || e.ts_ms > cut_ts_ms) continue;
    auto it = e.prediction_id.empty() ? exposure.end() : exposure.find(e.prediction_id);
    if (it == exposure.end()) {
      picked.push_back({e.ts_ms, i, {e, *e.label, e.ts_ms}});
      continue;
    }
    if (joined[e.prediction_id]) continue;
    joined[e.prediction_id] = true;
    const Event& x = events[it->second];
    picked.push_back({x.ts_ms, it->second, {x, *e.label, e.ts_ms}});
  }
  std::stable_sort(picked.begin(), picked.end(), [](const Ordered& a, const Ordered& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.order < b.order;
  });
  std::vector<LabelledExample> out;
  out.reserve(picked.size());
  for (auto& p : picked) out.push_back(std::move(p.example));
  return out;
}

}  // namespace driftline
