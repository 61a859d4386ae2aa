// One LoggedDecision <-> one line of JSON. See protocol/decision_jsonl.h.
#include "protocol/decision_jsonl.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/bounded_line.h"
#include "protocol/json.h"
#include "protocol/jsonl_fields.h"
#include "protocol/validate.h"

namespace driftline {
namespace {

using jsonl_fields::FieldError;
using jsonl_fields::Printable;

JsonLimits DecisionLineLimits() {
  JsonLimits limits;
  limits.max_depth = 8;
  limits.max_input_bytes = 64 << 20;
  limits.max_string_bytes = 1 << 20;
  return limits;
}

std::string Got(const Json& v) {
  if (v.is_number()) return "got " + WriteJson(v);
  return std::string("got ") + Json::TypeName(v.type());
}

Status ReadString(const Json& v, std::string_view field, bool non_empty, std::string* out) {
  if (!v.is_string() || (non_empty && v.as_string().empty())) {
    return FieldError(field, std::string("must be a ") + (non_empty ? "non-empty " : "") + "string, " +
                                 (v.is_string() ? "got \"\"" : Got(v)));
  }
  *out = v.as_string();
  return Status::Ok();
}

Status ReadInteger(const Json& v, std::string_view field, int64_t min, int64_t max, int64_t* out) {
  std::optional<int64_t> i = v.AsInt64();
  if (!i || *i < min || *i > max) {
    return FieldError(field, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], " +
                                 Got(v));
  }
  *out = *i;
  return Status::Ok();
}

Status ReadFeatures(const Json& v, const std::string& field, FeatureSet* out) {
  if (!v.is_object()) return FieldError(field, "must be an object of namespace -> object, " + Got(v));
  for (const JsonMember& m : v.as_object()) {
    const std::string ns_field = field + "." + Printable(m.key);
    if (!m.value.is_object()) return FieldError(ns_field, "must be an object of feature name -> number, " + Got(m.value));
    FeatureNamespace ns{m.key, {}};
    for (const JsonMember& f : m.value.as_object()) {
      if (!f.value.is_number()) return FieldError(ns_field + "." + Printable(f.key), "must be a number, " + Got(f.value));
      ns.features.push_back(Feature{f.key, f.value.as_number()});
    }
    out->push_back(std::move(ns));
  }
  // Names, duplicates, magnitudes: the same door rules as an event's features.
  return ValidateRequestFeatures(*out, field);
}

Status ReadCandidate(const Json& v, size_t index, DecisionCandidate* c) {
  const std::string field = "candidates[" + std::to_string(index) + "]";
  if (!v.is_object()) return FieldError(field, "must be an object {\"item\":...,\"features\":...}, " + Got(v));
  std::set<std::string_view> seen;
  for (const JsonMember& m : v.as_object()) {
    if (!seen.insert(m.key).second) return FieldError(field + "." + Printable(m.key), "appears twice");
    if (m.key == "item") {
      DRIFTLINE_RETURN_IF_ERROR(ReadString(m.value, field + ".item", true, &c->item));
    } else if (m.key == "features") {
      DRIFTLINE_RETURN_IF_ERROR(ReadFeatures(m.value, field + ".features", &c->features));
    } else {
      return FieldError(field, "has an unknown field \"" + Printable(m.key) + "\" (expected item, features)");
    }
  }
  if (!seen.count("item")) return FieldError(field + ".item", "is required");
  return Status::Ok();
}

Status ReadCandidates(const Json& v, LoggedDecision* d) {
  if (!v.is_array() || v.as_array().empty()) return FieldError("candidates", "must be a non-empty array, " + Got(v));
  std::set<std::string> items;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    DecisionCandidate c;
    DRIFTLINE_RETURN_IF_ERROR(ReadCandidate(v.as_array()[i], i, &c));
    if (!items.insert(c.item).second) {
      return FieldError("candidates[" + std::to_string(i) + "].item", "\"" + Printable(c.item) + "\" appears twice");
    }
    d->candidates.push_back(std::move(c));
  }
  return Status::Ok();
}

Status ReadPropensity(const Json& v, LoggedDecision* d) {
  if (!v.is_number() || !(v.as_number() > 0.0) || !(v.as_number() <= 1.0)) {
    return FieldError("propensity", "must be a number in (0, 1], " + Got(v));
  }
  d->propensity = v.as_number();
  return Status::Ok();
}

Status ReadMethod(const Json& v, LoggedDecision* d) {
  const std::string s = v.is_string() ? v.as_string() : "";
  if (s == "logged") d->propensity_method = PropensityMethod::kLogged;
  else if (s == "exact") d->propensity_method = PropensityMethod::kExact;
  else if (s == "monte_carlo") d->propensity_method = PropensityMethod::kMonteCarlo;
  else return FieldError("propensity_method", "must be \"logged\", \"exact\" or \"monte_carlo\", " +
                                                  (v.is_string() ? "got \"" + Printable(s) + "\"" : Got(v)));
  return Status::Ok();
}

Status ReadReward(const Json& v, LoggedDecision* d) {
  if (!v.is_number() || !std::isfinite(v.as_number())) return FieldError("reward", "must be a finite number, " + Got(v));
  d->reward = v.as_number();
  return Status::Ok();
}

Status ReadField(const JsonMember& m, LoggedDecision* d) {
  const std::string& k = m.key;
  int64_t i = 0;
  if (k == "ts") {
    DRIFTLINE_RETURN_IF_ERROR(ReadInteger(m.value, "ts", 0, kMaxTimestampMs, &i));
    d->ts_ms = i;
    return Status::Ok();
  }
  if (k == "user") return ReadString(m.value, "user", true, &d->user);
  if (k == "decision_id") return ReadString(m.value, "decision_id", false, &d->decision_id);
  if (k == "context") return ReadFeatures(m.value, "context", &d->context);
  if (k == "candidates") return ReadCandidates(m.value, d);
  if (k == "chosen") return ReadString(m.value, "chosen", true, &d->chosen);
  if (k == "position" || k == "slots") {
    DRIFTLINE_RETURN_IF_ERROR(ReadInteger(m.value, k, 1, 1000, &i));
    (k == "position" ? d->position : d->slots) = static_cast<int>(i);
    return Status::Ok();
  }
  if (k == "propensity") return ReadPropensity(m.value, d);
  if (k == "propensity_method") return ReadMethod(m.value, d);
  if (k == "propensity_samples") {
    DRIFTLINE_RETURN_IF_ERROR(ReadInteger(m.value, "propensity_samples", 1, int64_t{1} << 40, &i));
    d->propensity_samples = i;
    return Status::Ok();
  }
  if (k == "policy") return ReadString(m.value, "policy", true, &d->policy);
  if (k == "model_version") return ReadString(m.value, "model_version", false, &d->model_version);
  if (k == "reward") return ReadReward(m.value, d);
  return Status::InvalidArgument("unknown field \"" + Printable(k) +
                                 "\" (expected ts, user, decision_id, context, candidates, chosen, position, slots, "
                                 "propensity, propensity_method, propensity_samples, policy, model_version, reward)");
}

// The rules across fields, once every field is read.
Status CheckWhole(const std::set<std::string_view>& seen, const LoggedDecision& d) {
  for (const char* required : {"ts", "user", "candidates", "chosen", "propensity", "propensity_method", "policy"}) {
    if (!seen.count(required)) return FieldError(required, "is required");
  }
  // ids: the same length and UTF-8 rules as an event's user and item.
  Event ids;
  ids.ts_ms = d.ts_ms;
  ids.user = d.user;
  ids.item = d.chosen;
  DRIFTLINE_RETURN_IF_ERROR(ValidateEvent(ids, ""));
  bool found = false;
  for (const DecisionCandidate& c : d.candidates) found = found || c.item == d.chosen;
  if (!found) return FieldError("chosen", "\"" + Printable(d.chosen) + "\" is not one of the candidates");
  if (d.position > d.slots) {
    return FieldError("position", std::to_string(d.position) + " is beyond slots " + std::to_string(d.slots));
  }
  if (static_cast<size_t>(d.slots) > d.candidates.size()) {
    return FieldError("slots", std::to_string(d.slots) + " exceeds the " + std::to_string(d.candidates.size()) +
                                   " candidates");
  }
  const bool mc = d.propensity_method == PropensityMethod::kMonteCarlo;
  if (mc && d.propensity_samples == 0) return FieldError("propensity_samples", "is required with \"monte_carlo\"");
  if (!mc && d.propensity_samples != 0) return FieldError("propensity_samples", "applies to \"monte_carlo\" only");
  return Status::Ok();
}

void AppendFeatures(const FeatureSet& features, std::string* out) {
  *out += '{';
  for (size_t i = 0; i < features.size(); ++i) {
    if (i) *out += ',';
    AppendJsonString(features[i].name, out);
    *out += ":{";
    for (size_t j = 0; j < features[i].features.size(); ++j) {
      if (j) *out += ',';
      AppendJsonString(features[i].features[j].name, out);
      *out += ':';
      AppendJsonNumber(features[i].features[j].value, out);
    }
    *out += '}';
  }
  *out += '}';
}

void AppendKey(const char* key, std::string* out) {
  *out += ",\"";
  *out += key;
  *out += "\":";
}

}  // namespace

Result<LoggedDecision> ParseDecisionLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Result<Json> json = ParseJson(line, DecisionLineLimits());
  if (!json.ok()) return json.status();
  if (!json->is_object()) {
    return Status::InvalidArgument(std::string("a decision must be a JSON object, got ") + Json::TypeName(json->type()));
  }
  LoggedDecision d;
  std::set<std::string_view> seen;
  for (const JsonMember& m : json->as_object()) {
    if (!seen.insert(m.key).second) return FieldError(Printable(m.key), "appears twice");
    DRIFTLINE_RETURN_IF_ERROR(ReadField(m, &d));
  }
  DRIFTLINE_RETURN_IF_ERROR(CheckWhole(seen, d));
  return d;
}

std::string FormatDecisionLine(const LoggedDecision& d) {
  std::string out = "{\"ts\":" + std::to_string(d.ts_ms);
  AppendKey("user", &out);
  AppendJsonString(d.user, &out);
  if (!d.decision_id.empty()) {
    AppendKey("decision_id", &out);
    AppendJsonString(d.decision_id, &out);
  }
  if (!d.context.empty()) {
    AppendKey("context", &out);
    AppendFeatures(d.context, &out);
  }
  AppendKey("candidates", &out);
  out += '[';
  for (size_t i = 0; i < d.candidates.size(); ++i) {
    if (i) out += ',';
    out += "{\"item\":";
    AppendJsonString(d.candidates[i].item, &out);
    if (!d.candidates[i].features.empty()) {
      out += ",\"features\":";
      AppendFeatures(d.candidates[i].features, &out);
    }
    out += '}';
  }
  out += ']';
  AppendKey("chosen", &out);
  AppendJsonString(d.chosen, &out);
  if (d.position != 1) {
    AppendKey("position", &out);
    out += std::to_string(d.position);
  }
  if (d.slots != 1) {
    AppendKey("slots", &out);
    out += std::to_string(d.slots);
  }
  AppendKey("propensity", &out);
  AppendJsonNumber(d.propensity, &out);
  AppendKey("propensity_method", &out);
  AppendJsonString(PropensityMethodName(d.propensity_method), &out);
  if (d.propensity_samples != 0) {
    AppendKey("propensity_samples", &out);
    out += std::to_string(d.propensity_samples);
  }
  AppendKey("policy", &out);
  AppendJsonString(d.policy, &out);
  if (!d.model_version.empty()) {
    AppendKey("model_version", &out);
    AppendJsonString(d.model_version, &out);
  }
  if (d.reward) {
    AppendKey("reward", &out);
    AppendJsonNumber(*d.reward, &out);
  }
  out += '}';
  return out;
}

Result<std::unique_ptr<DecisionFileReader>> DecisionFileReader::Open(const std::string& path,
                                                                     const DecisionFileOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument("cannot read " + path + ": is a directory");
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!in->is_open()) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  return FromStream(std::move(in), path, options);
}

std::unique_ptr<DecisionFileReader> DecisionFileReader::FromStream(std::unique_ptr<std::istream> in, std::string name,
                                                                   const DecisionFileOptions& options) {
  return std::unique_ptr<DecisionFileReader>(new DecisionFileReader(std::move(in), std::move(name), options));
}

DecisionFileReader::DecisionFileReader(std::unique_ptr<std::istream> in, std::string name,
                                       const DecisionFileOptions& options)
    : in_(std::move(in)), name_(std::move(name)), options_(options) {}

Result<std::optional<LoggedDecision>> DecisionFileReader::Next() {
  while (!done_) {
    bool too_long = false;
    bool got_line = false;
    try {
      got_line = ReadBoundedLine(*in_, options_.max_line_bytes, &line_, &too_long);
    } catch (const std::exception& ex) {  // a streambuf may throw on a device error
      final_ = Status::IoError(name_ + ": read failed: " + ex.what());
      done_ = true;
      break;
    }
    if (!got_line) {
      if (in_->bad()) final_ = Status::IoError(name_ + ": read failed");
      done_ = true;
      break;
    }
    ++line_number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (!too_long && line_.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    Result<LoggedDecision> d =
        too_long ? Result<LoggedDecision>(Status::InvalidArgument(
                       "line longer than " + std::to_string(options_.max_line_bytes) + " bytes"))
                 : ParseDecisionLine(line_);
    if (d.ok()) return std::optional<LoggedDecision>(std::move(d).value());
    final_ = Status::InvalidArgument(name_ + ":" + std::to_string(line_number_) + ": " + d.status().message());
    done_ = true;
  }
  if (!final_.ok()) return final_;
  return std::optional<LoggedDecision>();
}

}  // namespace driftline
