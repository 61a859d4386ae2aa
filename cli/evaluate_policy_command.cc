// `driftline evaluate-policy`: off-policy evaluation of a target policy on a
// decision log (docs/decisions.md, docs/ope.md): IPS, SNIPS and doubly
// robust estimates with 95 % intervals, beside the logged policy's own value.
#include <cstdio>
#include <set>

#include "cli/commands.h"
#include "cli/event_loading.h"
#include "cli/flags.h"
#include "cli/target_policy.h"
#include "learning/logistic.h"
#include "learning/off_policy.h"
#include "protocol/decision_jsonl.h"
#include "protocol/json.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline evaluate-policy";

struct Evaluation {
  std::vector<OpeSample> samples;
  std::vector<double> logged_rewards;   // on-policy rewards of the logging policy, same rows
  int64_t read = 0;                     // decisions in the file
  int64_t before_from = 0;              // ts <= --from, not evaluated
  int64_t without_reward = 0;           // outcome absent, not evaluated
  std::set<std::string> logging_policies;
  int64_t first_ts = 0, last_ts = 0;
};

// Reads the log and turns every evaluated decision into an OpeSample.
Status Collect(DecisionFileReader& reader, TargetPolicy& policy, const BaseModel* reward_model,
               std::optional<int64_t> from, Evaluation* ev) {
  while (true) {
    Result<std::optional<LoggedDecision>> next = reader.Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) return Status::Ok();
    const LoggedDecision& d = **next;
    ++ev->read;
    if (from && d.ts_ms <= *from) {
      ++ev->before_from;
      continue;
    }
    if (!d.reward) {
      ++ev->without_reward;
      continue;
    }
    const std::string where = reader.name() + ":" + std::to_string(reader.line_number()) + ": ";
    Result<std::vector<double>> pi = policy.PositionProbabilities(d);
    if (!pi.ok()) return Status::InvalidArgument(where + pi.status().message());
    size_t chosen = 0;
    while (d.candidates[chosen].item != d.chosen) ++chosen;  // the reader checked it is there
    OpeSample s;
    s.logging_propensity = d.propensity;
    s.target_probability = std::min(1.0, std::max(0.0, (*pi)[chosen]));
    s.reward = *d.reward;
    if (reward_model) {
      for (size_t i = 0; i < d.candidates.size(); ++i) {
        const double q = Sigmoid(CandidateLogit(*reward_model, d, i));
        if (i == chosen) s.reward_estimate = q;
        s.target_reward_estimate += (*pi)[i] * q;
      }
    }
    if (ev->samples.empty()) ev->first_ts = d.ts_ms;
    ev->last_ts = d.ts_ms;
    ev->samples.push_back(s);
    ev->logged_rewards.push_back(*d.reward);
    ev->logging_policies.insert(d.policy);
  }
}

std::string Joined(const std::set<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ",") + n;
  return s;
}

Json EstimateJson(const OpeEstimate& e) {
  return Json::MakeObject({{"value", Json::Number(e.value)},
                           {"std_error", Json::Number(e.std_error)},
                           {"ci_low", Json::Number(e.ci_low)},
                           {"ci_high", Json::Number(e.ci_high)}});
}

std::string ReportJson(const std::string& spec, const Evaluation& ev, const OpeReport& r, const OpeEstimate& logged,
                       bool with_dr) {
  Json::Object o = {
      {"policy", Json::String(spec)},
      {"logging_policy", Json::String(Joined(ev.logging_policies))},
      {"n", Json::Integer(static_cast<int64_t>(r.n))},
      {"decisions_read", Json::Integer(ev.read)},
      {"skipped_before_from", Json::Integer(ev.before_from)},
      {"skipped_without_reward", Json::Integer(ev.without_reward)},
      {"first_ts", Json::Integer(ev.first_ts)},
      {"last_ts", Json::Integer(ev.last_ts)},
      {"confidence", Json::Number(0.95)},
      {"ips", EstimateJson(r.ips)},
      {"snips", r.snips ? EstimateJson(*r.snips) : Json::Null()},
      {"dr", with_dr ? EstimateJson(r.dr) : Json::Null()},
      {"logged", EstimateJson(logged)},
      {"effective_sample_size", Json::Number(r.effective_sample_size)},
      {"max_weight", Json::Number(r.max_weight)},
      {"nonzero_weights", Json::Integer(static_cast<int64_t>(r.nonzero_weights))},
  };
  return WriteJson(Json::MakeObject(std::move(o)));
}

void Row(std::ostream& out, const char* name, const OpeEstimate& e) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-18s %9.5f  [%8.5f, %8.5f]  %9.5f\n", name, e.value, e.ci_low, e.ci_high,
                e.std_error);
  out << buf;
}

void ReportTable(std::ostream& out, const std::string& spec, const Evaluation& ev, const OpeReport& r,
                 const OpeEstimate& logged, bool with_dr) {
  out << "target policy " << spec << ", " << r.n << " decisions logged by " << Joined(ev.logging_policies) << "\n";
  out << "estimator              value   95% interval (normal)  std error\n";
  Row(out, "IPS", r.ips);
  if (r.snips) Row(out, "SNIPS", *r.snips);
  else out << "SNIPS              undefined (the target policy never chose a logged action)\n";
  if (with_dr) Row(out, "DR", r.dr);
  else out << "DR                 not computed (no --reward-model)\n";
  Row(out, "logged (on-policy)", logged);
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "effective sample size %.1f of %zu; max weight %.3g; the target could choose the logged "
                "action in %zu of %zu\n",
                r.effective_sample_size, r.n, r.max_weight, r.nonzero_weights, r.n);
  out << buf;
  if (r.nonzero_weights > 0 && r.ips.std_error == 0.0) {
    out << "note: the reward is the same on all " << r.nonzero_weights
        << " decisions the target could choose, so the IPS interval has width 0: read it as little evidence, "
           "not certainty (docs/ope.md)\n";
  }
}

}  // namespace

int RunEvaluatePolicy(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Estimate a target policy's value (e.g. a CTR) from logged decisions with their\n"
                   "propensities (docs/decisions.md): IPS, self-normalized IPS and doubly robust\n"
                   "(with --reward-model), each with a 95 % normal-approximation interval, beside\n"
                   "the logged policy's own on-policy value on the same decisions (docs/ope.md).\n"
                   "Policies: uniform, bts:PRIOR_CSV, greedy:MODEL, thompson:MODEL.\n\n"
                   "  driftline evaluate-policy --log random.decisions.jsonl \\\n"
                   "      --policy bts:data/open_bandit_dataset/bts_prior.csv");
  flags.AddString("log", "FILE", "decision log, JSON Lines (required)", "");
  flags.AddString("policy", "SPEC", "uniform | bts:PRIOR_CSV | greedy:MODEL | thompson:MODEL (required)", "");
  flags.AddString("reward-model", "MODEL", "base model for the doubly robust estimate (train it on earlier data)", "");
  flags.AddString("from", "TS", "evaluate only decisions with ts > TS (the reward model's --until)", "");
  flags.AddInt("samples", "N", "Monte Carlo rankings per distinct input (bts, thompson)",
               TargetPolicyOptions{}.samples);
  flags.AddInt("seed", "N", "seed of the Monte Carlo draws", static_cast<int64_t>(TargetPolicyOptions{}.seed));
  flags.AddString("campaign", "NAME", "bts: the campaign rows of the prior", TargetPolicyOptions{}.campaign);
  flags.AddBool("json", "print one JSON object instead of a table");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  auto fail = [&err](int code, const std::string& message) { return ReportFailure(err, kProgram, code, message); };
  if (Status s = flags.RequireStrings({"log", "policy"}); !s.ok()) return fail(kExitUsage, s.message());
  std::optional<int64_t> from;
  if (flags.IsSet("from")) {
    auto ts = ParseTimestampFlag("from", flags.GetString("from"));
    if (!ts.ok()) return fail(kExitUsage, ts.status().message());
    from = *ts;
  }
  const int64_t samples = flags.GetInt("samples");
  if (samples < 1 || samples > 10'000'000) return fail(kExitUsage, "--samples must be in 1..10000000");
  if (flags.GetInt("seed") < 0) return fail(kExitUsage, "--seed must be >= 0");
  TargetPolicyOptions options;
  options.samples = static_cast<uint32_t>(samples);
  options.seed = static_cast<uint64_t>(flags.GetInt("seed"));
  options.campaign = flags.GetString("campaign");

  if (Status s = ValidatePolicySpec(flags.GetString("policy")); !s.ok()) return fail(kExitUsage, s.message());
  auto policy = TargetPolicy::FromSpec(flags.GetString("policy"), options);
  if (!policy.ok()) return fail(kExitFailure, policy.status().message());
  std::unique_ptr<BaseModel> reward_model;
  if (!flags.GetString("reward-model").empty()) {
    auto model = LoadBaseModel(flags.GetString("reward-model"));
    if (!model.ok()) return fail(kExitFailure, model.status().message());
    reward_model = std::move(model).value();
  }
  auto reader = DecisionFileReader::Open(flags.GetString("log"));
  if (!reader.ok()) return fail(kExitFailure, reader.status().message());

  Evaluation ev;
  if (Status s = Collect(**reader, **policy, reward_model.get(), from, &ev); !s.ok()) {
    return fail(kExitFailure, s.message());
  }
  if (ev.samples.empty()) {
    return fail(kExitFailure, flags.GetString("log") + ": no decision to evaluate (" + std::to_string(ev.read) +
                                  " read, " + std::to_string(ev.before_from) + " at or before --from, " +
                                  std::to_string(ev.without_reward) + " without reward)");
  }
  auto report = EstimatePolicyValue(ev.samples);
  if (!report.ok()) return fail(kExitFailure, report.status().message());
  auto logged = EstimateOnPolicyValue(ev.logged_rewards);
  if (!logged.ok()) return fail(kExitFailure, logged.status().message());
  const bool with_dr = reward_model != nullptr;
  if (flags.GetBool("json")) {
    out << ReportJson(flags.GetString("policy"), ev, *report, *logged, with_dr) << "\n";
  } else {
    ReportTable(out, flags.GetString("policy"), ev, *report, *logged, with_dr);
  }
  if (ev.before_from > 0 || ev.without_reward > 0) {
    err << kProgram << ": evaluated " << report->n << " of " << ev.read << " decisions (" << ev.before_from
        << " at or before --from, " << ev.without_reward << " without reward)\n";
  }
  out.flush();
  if (!out) return fail(kExitFailure, "write to stdout failed");
  return kExitOk;
}

}  // namespace driftline
