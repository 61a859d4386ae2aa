#include "actors/predict_reply.h"

#include "learning/logistic.h"
#include "learning/model_input.h"
#include "learning/policy_score.h"
#include "learning/policy_thompson.h"

namespace driftline {

std::vector<FeatureSet> CandidateFeatures(const PredictRequest& request) {
  std::vector<FeatureSet> out;
  out.reserve(request.candidates.size());
  for (const Candidate& cand : request.candidates) {
    FeatureSet fs = request.context;
    fs.insert(fs.end(), cand.features.begin(), cand.features.end());
    out.push_back(std::move(fs));
  }
  return out;
}

std::vector<double> BaseLogits(const BaseModel& model, const PredictRequest& request,
                               const std::vector<FeatureSet>& features) {
  std::vector<double> out;
  out.reserve(features.size());
  for (size_t i = 0; i < features.size() && i < request.candidates.size(); ++i) {
    out.push_back(model.Logit(ModelInput(request.user, request.candidates[i].item, features[i])));
  }
  return out;
}

Result<ComposedReply> ComposeReply(const PredictRequest& request, const std::vector<double>& base,
                                   const OnlineParts& online, const BetaPriorOptions& prior, Rng& rng) {
  const size_t n = request.candidates.size();
  if (base.size() != n) {
    return Status::InvalidArgument("base scores for " + std::to_string(base.size()) + " of " +
                                   std::to_string(n) + " candidates");
  }
  const bool with_online = online.user.size() == n && online.arms.size() == n;
  std::vector<double> probabilities(n);
  for (size_t i = 0; i < n; ++i) {
    const double logit = with_online ? base[i] + online.user[i] + online.arms[i].logit : base[i];
    probabilities[i] = Sigmoid(logit);
  }
  Result<Decision> decision = ChooseGreedy(probabilities);
  if (request.explore) {
    std::vector<BetaPosterior> posteriors;
    posteriors.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const ArmView a = with_online ? online.arms[i] : ArmView{};
      auto posterior = MakeBetaPosterior(Sigmoid(base[i]), a.successes, a.failures, prior);
      posteriors.push_back(posterior.ok() ? *posterior : BetaPosterior{});
    }
    decision = ChooseBetaThompson(posteriors, ThompsonOptions{}, rng);
  }
  if (!decision.ok()) return decision.status();
  ComposedReply out;
  out.chosen = decision->chosen;
  PredictReply& reply = out.reply;
  reply.request_id = request.request_id;
  reply.scores.reserve(n);
  for (size_t i = 0; i < n; ++i) reply.scores.push_back({request.candidates[i].item, probabilities[i]});
  reply.chosen = request.candidates[out.chosen].item;
  reply.propensity = decision->propensity;
  reply.propensity_samples = decision->propensity_samples;
  return out;
}

Result<PredictReply> BaseOnlyReply(const BaseModel& model, const PredictRequest& request,
                                   const std::string& prediction_id, const std::string& fallback_reason,
                                   const std::string& unjoinable_reason, const BetaPriorOptions& prior,
                                   Rng& rng) {
  const std::vector<double> base = BaseLogits(model, request, CandidateFeatures(request));
  auto composed = ComposeReply(request, base, OnlineParts{}, prior, rng);
  if (!composed.ok()) return composed.status();
  PredictReply reply = std::move(composed->reply);
  reply.prediction_id = prediction_id;
  reply.model_version = model.version();
  reply.fallback = true;
  reply.fallback_reason = fallback_reason;
  reply.joinable = false;
  reply.unjoinable_reason = unjoinable_reason;
  return reply;
}

}  // namespace driftline
