// How a predict reply is composed from its score parts: one place, used by the
// router (base + the partitions' deltas) and by the endpoint's base-only
// answers (deadline passed, node busy). Plain C++, no CAF: tested directly.
//
// Thread safety: pure functions; the Rng passed in is the caller's.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/base_model.h"
#include "learning/beta_bernoulli.h"
#include "learning/event.h"
#include "learning/partition_learner.h"
#include "common/rng.h"
#include "protocol/messages.h"

namespace driftline {

// Per candidate: the request context followed by the candidate's features.
std::vector<FeatureSet> CandidateFeatures(const PredictRequest& request);

// The base model's logit of each candidate (`features` from CandidateFeatures).
std::vector<double> BaseLogits(const BaseModel& model, const PredictRequest& request,
                               const std::vector<FeatureSet>& features);

// The online parts of a prediction; empty vectors mean base only.
struct OnlineParts {
  std::vector<double> user;   // per candidate, the user's delta
  std::vector<ArmView> arms;  // per candidate, the arm's delta and evidence
};

struct ComposedReply {
  PredictReply reply;   // request_id, scores, chosen, propensity; the caller sets the rest
  size_t chosen = 0;    // index of the chosen candidate
};

// Combines base + user + arm per candidate (base only when `online` is empty
// or its sizes do not match), then chooses: greedy, or Beta Thompson sampling
// with a warm prior from the base prediction when request.explore (draws from
// `rng`). Errors: InvalidArgument from the policy (no candidates, non-finite
// scores).
Result<ComposedReply> ComposeReply(const PredictRequest& request, const std::vector<double>& base,
                                   const OnlineParts& online, const BetaPriorOptions& prior, Rng& rng);

// A complete base-only reply (fallback = true, joinable = false) for the
// endpoint's own answers: `fallback_reason` and `unjoinable_reason` say why.
Result<PredictReply> BaseOnlyReply(const BaseModel& model, const PredictRequest& request,
                                   const std::string& prediction_id, const std::string& fallback_reason,
                                   const std::string& unjoinable_reason, const BetaPriorOptions& prior,
                                   Rng& rng);

}  // namespace driftline
