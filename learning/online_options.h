// Options of the online layer (deltas, bandit evidence, pending predictions,
// replay, de-duplication, event-time skew). Parsed once at the edge (CLI / node config) and
// passed down; every field documents its default. Every field changes what
// a partition learns: add each new one to OnlineOptionsFingerprint
// (learning/online_options_fingerprint.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "learning/ftrl.h"

namespace driftline {

struct OnlineOptions {
  // Hash space of the delta layers, independent of the base model's so that
  // deltas keep their meaning across base-model switches. Default: 20
  uint32_t delta_bits = 20;
  // Per-user correction: FTRL with an L2 pull towards the base.
  // Default: alpha 0.1, beta 1, l1 0, l2 1
  FtrlOptions user_ftrl{};
  // Per-arm correction. Default: alpha 0.1, beta 1, l1 0, l2 1
  FtrlOptions arm_ftrl{};
  // Predictions waiting longer than this (event time) expire. Default: 1 hour
  int64_t pending_ttl_ms = 3'600'000;
  // Label applied to an expired prediction; unset drops it (counted).
  // Default: unset (drop)
  std::optional<int> default_label;
  // At most this many pending predictions per partition; the oldest expire
  // first beyond it. Default: 1'000'000
  size_t max_pending = 1'000'000;
  // Reservoir of recent labelled examples per partition, against forgetting;
  // kept only when replay_per_update > 0. Default: 1024
  size_t replay_capacity = 1024;
  // Replayed examples applied after each live labelled update. Default: 0
  size_t replay_per_update = 0;
  // Event ids remembered for de-duplication per partition. Default: 100'000
  size_t dedup_window = 100'000;
  // Dimension of each arm's linear contextual bandit (LinUCB / linear TS);
  // hashed delta features fold into it by index mod dim. Default: 16
  int linear_dim = 16;
  // Ridge (lambda) of the linear bandit: A starts as lambda * I. Default: 1.0
  double linear_ridge = 1.0;
  // An event or prediction whose time is more than this ahead of its
  // partition's event clock is refused (one bad timestamp would otherwise
  // move the clock, which never goes back, and expire every pending
  // prediction at once). A partition that has seen no event time yet (clock
  // 0) accepts any. A quiet partition legitimately jumps (MovieTweetings
  // replays have day-long gaps per partition): widen it for sparse
  // historical replays. Default: 2'592'000'000 (30 days)
  int64_t max_event_skew_ms = 2'592'000'000;
  // A user's delta layer, or an arm's state (delta, Beta evidence, linear
  // bandit), that no update touched for longer than this in event time (the
  // partition's clock) is evicted: its scores fall back to the base model,
  // which is what an untrained layer gives too. 0 never evicts.
  // Default: 0 (never). Why: eviction throws away what a user taught the
  // model, and the right idle time depends on how often the domain's users
  // come back (days for news, months for films); an operator whose user or
  // item count grows without end sets it (`driftline node --state-ttl-ms`).
  // With it unset the per-partition user and arm maps are the only state
  // bounded by the key space rather than by an option (docs/architecture.md,
  // "Bounded state").
  int64_t state_ttl_ms = 0;
};

}  // namespace driftline
