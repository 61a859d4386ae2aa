// What happens to the online deltas when a new base model is activated.
//
// The deltas were learned as corrections to the old base (each step took the
// gradient of the loss at old base + deltas). A new base trained on a later
// snapshot already knows much of what they learned, so keeping them counts
// that knowledge twice; dropping them throws away what the new base cannot
// know yet (users and items after its cut). The choice is made per
// activation (`driftline model activate VERSION --deltas keep|reset|decay:F`)
// and the default, kDefaultDeltaTransform, was chosen by measurement
// (docs/evaluation.md, "A new base model and the old deltas").
//
// What it applies to, in every partition (PartitionState::TransformDeltas):
//  * per-user delta layers and per-arm delta layers, FTRL accumulators
//    included: decay:F makes every delta weight exactly F times its value
//    and scales the squared-gradient sum n by F too (old evidence counts F
//    times as much, so the per-coordinate learning rate rises again as the
//    deltas re-adapt to the new base); reset = both at zero;
//  * per-arm Beta-Bernoulli evidence (successes, failures), scaled by F or
//    zeroed: the Thompson prior is warm-started from the *base* prediction,
//    and a base trained past those outcomes already carries them, so keeping
//    the counts would count them twice;
//  * NOT the linear bandit statistics (they model the reward from the
//    context alone, without the base: a new base does not make them stale),
//    nor pending predictions (their outcome is learned at the score that was
//    served, as always), nor the replay reservoir, the de-duplication window,
//    the arm-update marks, the clock or the Rng (delivery state, not learned).
//
// Pure functions, no I/O, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "learning/ftrl.h"

namespace driftline {

struct DeltaTransform {
  // Frozen values: stored in event-log records and sent on the wire.
  enum class Kind : uint8_t { kKeep = 1, kReset = 2, kDecay = 3 };
  Kind kind = Kind::kKeep;
  double factor = 1.0;  // kDecay only: in (0, 1); 1 for keep, 0 for reset

  static DeltaTransform Keep() { return {Kind::kKeep, 1.0}; }
  static DeltaTransform Reset() { return {Kind::kReset, 0.0}; }
  static DeltaTransform Decay(double factor) { return {Kind::kDecay, factor}; }

  bool operator==(const DeltaTransform& o) const { return kind == o.kind && factor == o.factor; }
  bool operator!=(const DeltaTransform& o) const { return !(*this == o); }
};

// The transform used when an activation does not name one: the best of
// keep / reset / decay on the MovieTweetings base-switch experiment
// (docs/evaluation.md). Default: decay:0.5
DeltaTransform DefaultDeltaTransform();

// "keep", "reset" or "decay:F" (F in (0, 1), e.g. "decay:0.5").
// InvalidArgument naming the problem for anything else.
Result<DeltaTransform> ParseDeltaTransform(std::string_view text);

// The text ParseDeltaTransform reads back exactly ("decay:0.5").
std::string DeltaTransformName(const DeltaTransform& transform);

// Ok, or InvalidArgument: an unknown kind, a decay factor not finite or not
// strictly between 0 and 1, or keep/reset carrying another factor than 1/0.
Status ValidateDeltaTransform(const DeltaTransform& transform);

// One FTRL coordinate decayed by `factor`: the weight becomes exactly
// factor * weight (up to rounding) and n becomes factor * n.
// REQUIRES: 0 <= factor <= 1.
FtrlState DecayFtrlState(const FtrlState& state, double factor, const FtrlOptions& options);

}  // namespace driftline
