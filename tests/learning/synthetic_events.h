// A small seeded event generator for learning tests: users with a hidden
// taste for one genre, items with a genre, label drawn from the taste.
#pragma once

#include <string>
#include <vector>

#include "learning/event.h"
#include "learning/logistic.h"
#include "common/rng.h"

namespace driftline::testing {

inline std::vector<Event> SyntheticEvents(size_t n, uint64_t seed, size_t users = 40,
                                          size_t items = 30) {
  Rng rng(seed);
  std::vector<Event> out;
  for (size_t i = 0; i < n; ++i) {
    const size_t u = rng.NextBelow(users), it = rng.NextBelow(items);
    const size_t genre = it % 3, taste = u % 3;
    const double logit = (genre == taste ? 1.5 : -1.0) + (it % 5 == 0 ? 0.8 : 0.0);
    Event e;
    e.ts_ms = 1000 + static_cast<int64_t>(i) * 10;
    e.user = "u" + std::to_string(u);
    e.item = "i" + std::to_string(it);
    e.label = rng.NextDouble() < Sigmoid(logit) ? 1 : 0;
    e.event_id = "e" + std::to_string(i);
    e.features = {{"item", {{"genre=" + std::to_string(genre), 1.0}}}};
    out.push_back(e);
  }
  return out;
}

}  // namespace driftline::testing
