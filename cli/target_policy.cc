// Target policies for off-policy evaluation. See cli/target_policy.h.
#include "cli/target_policy.h"

#include <fstream>

#include "cli/convert_types.h"
#include "cli/file_io.h"
#include "cli/text_fields.h"
#include "learning/logistic.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

// campaign,item_id,alpha,beta -> item -> prior, the rows of `campaign` only.
Result<std::map<std::string, BetaPosterior>> ReadBtsPrior(const std::string& path, const std::string& campaign) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("cannot open " + path);
  LineReader reader(in, 1 << 16);
  std::string line;
  bool too_long = false;
  if (!reader.Next(&line, &too_long) || line != "campaign,item_id,alpha,beta") {
    return Status::InvalidArgument(path + ":1: header must be campaign,item_id,alpha,beta");
  }
  std::map<std::string, BetaPosterior> priors;
  while (reader.Next(&line, &too_long)) {
    const std::string where = path + ":" + std::to_string(reader.line_number()) + ": ";
    if (too_long) return Status::InvalidArgument(where + "line too long");
    if (line.empty()) continue;
    Result<std::vector<std::string>> f = SplitCsvLine(line);
    if (!f.ok()) return Status::InvalidArgument(where + f.status().message());
    if (f->size() != 4) return Status::InvalidArgument(where + "expected 4 columns");
    if ((*f)[0] != campaign) continue;
    std::optional<int64_t> id = ParseInt64((*f)[1]);
    std::optional<double> alpha = ParseFiniteDouble((*f)[2]);
    std::optional<double> beta = ParseFiniteDouble((*f)[3]);
    if (!id || *id < 0) return Status::InvalidArgument(where + "item_id must be a non-negative integer");
    if (!alpha || !beta || !(*alpha > 0) || !(*beta > 0)) {
      return Status::InvalidArgument(where + "alpha and beta must be numbers > 0");
    }
    if (!priors.emplace(std::to_string(*id), BetaPosterior{*alpha, *beta}).second) {
      return Status::InvalidArgument(where + "item_id " + std::to_string(*id) + " listed twice");
    }
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  if (priors.empty()) return Status::InvalidArgument(path + ": no rows for campaign '" + campaign + "'");
  return priors;
}

}  // namespace

Result<std::unique_ptr<BaseModel>> LoadBaseModel(const std::string& path) {
  Result<std::string> bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  Result<ModelArtifact> artifact = DecodeArtifact(*bytes);
  if (!artifact.ok()) return Status::InvalidArgument(path + ": not a model artifact: " + artifact.status().message());
  return std::make_unique<BaseModel>(*artifact);
}

double CandidateLogit(const BaseModel& model, const LoggedDecision& d, size_t i) {
  FeatureSet features = d.context;
  features.insert(features.end(), d.candidates[i].features.begin(), d.candidates[i].features.end());
  return model.Logit(features);
}

TargetPolicy::TargetPolicy(std::string kind, const TargetPolicyOptions& options)
    : kind_(std::move(kind)), options_(options), rng_(options.seed) {}

Status ValidatePolicySpec(const std::string& spec) {
  const size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const bool has_arg = colon != std::string::npos && colon + 1 < spec.size();
  const bool known = (kind == "uniform" && colon == std::string::npos) ||
                     ((kind == "bts" || kind == "greedy" || kind == "thompson") && has_arg);
  if (known) return Status::Ok();
  return Status::InvalidArgument("--policy must be uniform, bts:PRIOR_CSV, greedy:MODEL or thompson:MODEL, got '" +
                                 spec + "'");
}

Result<std::unique_ptr<TargetPolicy>> TargetPolicy::FromSpec(const std::string& spec,
                                                            const TargetPolicyOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidatePolicySpec(spec));
  const size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (options.samples == 0) return Status::InvalidArgument("--samples must be >= 1");
  DRIFTLINE_RETURN_IF_ERROR(ValidateBetaPriorOptions(options.prior));
  std::unique_ptr<TargetPolicy> policy(new TargetPolicy(kind, options));
  if (kind == "bts") {
    auto priors = ReadBtsPrior(arg, options.campaign);
    if (!priors.ok()) return priors.status();
    policy->priors_ = std::move(priors).value();
  } else if (kind == "greedy" || kind == "thompson") {
    auto model = LoadBaseModel(arg);
    if (!model.ok()) return model.status();
    policy->model_ = std::move(model).value();
  }
  return policy;
}

Result<SlotProbabilities> TargetPolicy::Slots(const LoggedDecision& d) {
  const size_t k = d.candidates.size();
  const size_t slots = static_cast<size_t>(d.slots);
  if (kind_ == "uniform") return UniformRankingProbabilities(k, slots);
  std::vector<double> key;  // what the result depends on: the slots, then the per-candidate input
  key.push_back(static_cast<double>(slots));
  std::vector<BetaPosterior> posteriors;
  if (kind_ == "bts") {
    for (const DecisionCandidate& c : d.candidates) {
      auto it = priors_.find(c.item);
      if (it == priors_.end()) return Status::InvalidArgument("item " + c.item + " has no row in the BTS prior");
      posteriors.push_back(it->second);
      key.push_back(it->second.alpha);
      key.push_back(it->second.beta);
    }
  } else {
    std::vector<double> scores(k);
    for (size_t i = 0; i < k; ++i) scores[i] = CandidateLogit(*model_, d, i);
    if (kind_ == "greedy") return GreedyRankingProbabilities(scores, slots);
    for (size_t i = 0; i < k; ++i) {
      auto prior = MakeWarmPrior(Sigmoid(scores[i]), options_.prior);
      if (!prior.ok()) return prior.status();
      posteriors.push_back(*prior);
      key.push_back(prior->alpha);
      key.push_back(prior->beta);
    }
  }
  auto cached = cache_.find(key);
  if (cached != cache_.end()) return cached->second;
  auto p = ThompsonRankingProbabilities(posteriors, slots, options_.samples, rng_);
  if (!p.ok()) return p.status();
  cache_.emplace(std::move(key), *p);
  return p;
}

Result<std::vector<double>> TargetPolicy::PositionProbabilities(const LoggedDecision& d) {
  Result<SlotProbabilities> slots = Slots(d);
  if (!slots.ok()) return slots.status();
  std::vector<double> p(d.candidates.size());
  for (size_t i = 0; i < p.size(); ++i) p[i] = (*slots)[i][static_cast<size_t>(d.position - 1)];
  return p;
}

}  // namespace driftline
