// `driftline predict`: one PredictRequest to a node, the reply as one JSON
// object on stdout.
#include <cmath>

#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "protocol/json.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline predict";

// --features: {"namespace": {"name": number, ...}, ...} -> FeatureSet.
Result<FeatureSet> ParseFeaturesFlag(const std::string& text) {
  FeatureSet features;
  if (text.empty()) return features;
  auto json = ParseJson(text);
  if (!json.ok()) return Status::InvalidArgument("--features: " + json.status().message());
  if (!json->is_object()) return Status::InvalidArgument("--features must be a JSON object");
  for (const JsonMember& ns : json->as_object()) {
    if (!ns.value.is_object()) {
      return Status::InvalidArgument("--features: namespace '" + ns.key +
                                     "' must be an object of name -> number");
    }
    FeatureNamespace out{ns.key, {}};
    for (const JsonMember& f : ns.value.as_object()) {
      if (!f.value.is_number() || !std::isfinite(f.value.as_number())) {
        return Status::InvalidArgument("--features: '" + ns.key + "'.'" + f.key +
                                       "' must be a finite number");
      }
      out.features.push_back({f.key, f.value.as_number()});
    }
    features.push_back(std::move(out));
  }
  return features;
}

// "A,B,C" -> candidates; empty names are an error.
Result<std::vector<Candidate>> ParseCandidatesFlag(const std::string& text) {
  std::vector<Candidate> candidates;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) return Status::InvalidArgument("--candidates: empty item name in '" + text + "'");
    candidates.push_back({std::move(item), {}});
    if (comma == std::string::npos) return candidates;
    start = comma + 1;
  }
}

Result<PredictRequest> RequestFromFlags(const FlagParser& flags) {
  DRIFTLINE_RETURN_IF_ERROR(flags.RequireStrings({"user", "candidates"}));
  PredictRequest request;
  request.user = flags.GetString("user");
  auto candidates = ParseCandidatesFlag(flags.GetString("candidates"));
  if (!candidates.ok()) return candidates.status();
  request.candidates = std::move(*candidates);
  auto context = ParseFeaturesFlag(flags.GetString("features"));
  if (!context.ok()) return context.status();
  request.context = std::move(*context);
  request.explore = flags.GetBool("explore");
  const int64_t deadline = flags.GetInt("deadline-ms");
  if (deadline < 0 || deadline > 60'000) return Status::InvalidArgument("--deadline-ms must be in 0..60000");
  request.deadline_ms = static_cast<uint32_t>(deadline);
  if (flags.GetInt("ts") < 0) return Status::InvalidArgument("--ts must be >= 0");
  request.ts_ms = flags.GetInt("ts");
  return request;
}

std::string ReplyJson(const PredictReply& reply) {
  Json::Object scores;
  for (const ScoredCandidate& s : reply.scores) scores.push_back({s.item, Json::Number(s.probability)});
  return WriteJson(Json::MakeObject({
      {"prediction_id", Json::String(reply.prediction_id)},
      {"model_version", Json::String(reply.model_version)},
      {"scores", Json::MakeObject(std::move(scores))},
      {"chosen", Json::String(reply.chosen)},
      {"propensity", Json::Number(reply.propensity)},
      {"propensity_samples", Json::Integer(reply.propensity_samples)},
      {"fallback", Json::Bool(reply.fallback)},
      {"reason", Json::String(reply.fallback_reason)},
      {"joinable", Json::Bool(reply.joinable)},
      {"unjoinable_reason", Json::String(reply.unjoinable_reason)},
  }));
}

}  // namespace

int RunPredict(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Ask a node to score candidates for a user; prints one JSON object:\n"
                   "{\"prediction_id\":..,\"model_version\":..,\"scores\":{item:p,..},\"chosen\":..,\n"
                   " \"propensity\":..,\"propensity_samples\":..,\"fallback\":bool,\"reason\":..,\n"
                   " \"joinable\":bool,\"unjoinable_reason\":..}  (joinable false: an outcome for\n"
                   " this prediction id may not be joined; see docs/faults.md)\n\n"
                   "  driftline predict --router tcp://127.0.0.1:7400 --user 42 --candidates 0133093,0120737");
  AddNodeClientFlags(flags, "router");
  flags.AddString("user", "ID", "the user (required)", "");
  flags.AddString("candidates", "A,B,..", "comma-separated items to score (required)", "");
  flags.AddString("features", "JSON", "request context: {\"namespace\": {\"name\": number, ..}, ..}", "");
  flags.AddBool("explore", "choose with the exploration policy (Thompson sampling)");
  flags.AddInt("deadline-ms", "MS", "the node's deadline for online scores (0: the node's default)", 0);
  flags.AddInt("ts", "MS", "event time of the request, ms since the epoch (0: the node's clock)", 0);
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  auto request = RequestFromFlags(flags);
  if (!request.ok()) return ReportFailure(err, kProgram, kExitUsage, request.status().message());
  auto client = ConnectFromFlags(flags, "router");
  if (!client.ok()) return ReportFailure(err, kProgram, kExitUsage, client.status().message());
  auto reply = (*client)->Predict(std::move(*request));
  if (!reply.ok()) return ReportFailure(err, kProgram, kExitFailure, reply.status().ToString());
  out << ReplyJson(*reply) << "\n";
  return kExitOk;
}

}  // namespace driftline
