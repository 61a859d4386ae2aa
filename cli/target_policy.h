// The target policies `driftline evaluate-policy --policy SPEC` evaluates,
// and the reward model of its doubly robust estimate.
//
//   uniform          a uniformly random ranking of the candidates.
//   bts:PRIOR_CSV    OBD's Bernoulli Thompson sampling: per item a Beta(alpha,
//                    beta) prior from PRIOR_CSV (header campaign,item_id,
//                    alpha,beta; the rows of --campaign), ranked by one draw
//                    each; context-free, as OBP's BernoulliTS with the
//                    ZOZOTOWN prior. Slot probabilities by Monte Carlo.
//   greedy:MODEL     driftline's greedy serving policy on the base model
//                    MODEL (`driftline train`): rank the candidates by
//                    the base score of (context + candidate features); the
//                    item at rank k has probability 1 at slot k.
//   thompson:MODEL   driftline's Thompson policy (policy_thompson.h, the
//                    node's `explore` predict) with no online evidence: per
//                    candidate the warm prior Beta(p0 * 10, (1 - p0) * 10),
//                    p0 = sigmoid(base score), ranked by one draw each.
//                    Slot probabilities by Monte Carlo per distinct context.
// Monte Carlo draws come from one Rng seeded with options.seed, consumed in
// the order the decisions are asked for: the same file and seed give the
// same probabilities, bit for bit.
//
// Thread safety: single-threaded objects (the Rng and the caches mutate).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/rng.h"
#include "common/status.h"
#include "learning/base_model.h"
#include "learning/beta_bernoulli.h"
#include "learning/logged_decision.h"
#include "learning/ranking_policy.h"

namespace driftline {

struct TargetPolicyOptions {
  uint32_t samples = 10000;      // Monte Carlo rankings per distinct input. Default: 10000
  uint64_t seed = 1;             // seed of the Monte Carlo Rng. Default: 1
  std::string campaign = "men";  // bts: which campaign's rows of the prior. Default: "men"
  BetaPriorOptions prior;        // thompson: the warm prior, as the node's default. Default: BetaPriorOptions{}
};

// Loads MODEL (an artifact from `driftline train`). Errors: NotFound /
// InvalidArgument naming the file.
Result<std::unique_ptr<BaseModel>> LoadBaseModel(const std::string& path);

// The base model's logit for (decision context + candidate i's features).
double CandidateLogit(const BaseModel& model, const LoggedDecision& d, size_t i);

// Ok when `spec` has one of the shapes above (files are not opened), else
// InvalidArgument "--policy must be uniform, bts:PRIOR_CSV, greedy:MODEL or
// thompson:MODEL, got 'x'".
Status ValidatePolicySpec(const std::string& spec);

class TargetPolicy {
 public:
  // Errors: InvalidArgument for a bad spec (ValidatePolicySpec), a bad prior
  // file (FILE:LINE), a prior without rows for the campaign; NotFound for a
  // missing file.
  static Result<std::unique_ptr<TargetPolicy>> FromSpec(const std::string& spec, const TargetPolicyOptions& options);

  // "uniform", "bts", "greedy" or "thompson".
  const std::string& kind() const { return kind_; }
  // Exact (uniform, greedy) or Monte Carlo (bts, thompson).
  bool monte_carlo() const { return kind_ == "bts" || kind_ == "thompson"; }

  // P(candidate i is shown at d.position), for every candidate of d.
  // Errors: InvalidArgument when a bts candidate has no prior row.
  Result<std::vector<double>> PositionProbabilities(const LoggedDecision& d);

 private:
  TargetPolicy(std::string kind, const TargetPolicyOptions& options);
  Result<SlotProbabilities> Slots(const LoggedDecision& d);

  std::string kind_;
  TargetPolicyOptions options_;
  Rng rng_;
  std::unique_ptr<BaseModel> model_;               // greedy, thompson
  std::map<std::string, BetaPosterior> priors_;    // bts: item -> prior
  std::map<std::vector<double>, SlotProbabilities> cache_;  // Monte Carlo results by input
};

}  // namespace driftline
