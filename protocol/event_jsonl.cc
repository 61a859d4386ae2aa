// One event <-> one line of JSON. See protocol/event_jsonl.h.
#include "protocol/event_jsonl.h"

#include <cmath>
#include <set>

#include "protocol/json.h"
#include "protocol/jsonl_fields.h"
#include "protocol/validate.h"

namespace driftline {
namespace {

using jsonl_fields::FieldError;
using jsonl_fields::Printable;

// Limits for a single event line: events are flat, so depth 3 suffices.
// Strings are bounded by the line only: the length of an id or a name is a
// door rule (ValidateEvent, kMaxIdBytes), so JSON Lines and the wire refuse a
// long one with the same message.
JsonLimits EventLineLimits() {
  JsonLimits limits;
  limits.max_depth = 8;
  limits.max_input_bytes = 16 << 20;
  limits.max_string_bytes = limits.max_input_bytes;
  return limits;
}

std::string Got(const Json& v) { return std::string("got ") + Json::TypeName(v.type()); }

Status ReadOptionalString(const Json& v, std::string_view field, std::string* out) {
  if (!v.is_string()) return FieldError(field, "must be a string, " + Got(v));
  *out = v.as_string();
  return Status::Ok();
}

Status ReadTs(const Json& v, Event* e) {
  if (!v.is_number()) return FieldError("ts", "must be an integer (ms since the epoch), " + Got(v));
  std::optional<int64_t> ts = v.AsInt64();
  if (!v.is_integer_literal()) return FieldError("ts", "must be an integer (ms since the epoch), got a fraction or exponent");
  if (!ts) return FieldError("ts", "is out of range");
  e->ts_ms = *ts;  // its range is checked by ValidateEvent
  return Status::Ok();
}

Status ReadUser(const Json& v, Event* e) {
  if (!v.is_string()) return FieldError("user", "must be a non-empty string, " + Got(v));
  e->user = v.as_string();
  return Status::Ok();
}

Status ReadLabel(const Json& v, Event* e) {
  std::optional<int64_t> label = v.AsInt64();
  if (!label || (*label != 0 && *label != 1)) {
    std::string got = v.is_number() ? "got " + WriteJson(v) : Got(v);
    return FieldError("label", "must be 0 or 1, " + got);
  }
  e->label = static_cast<int>(*label);
  return Status::Ok();
}

Status ReadNamespace(const JsonMember& ns_member, FeatureNamespace* ns) {
  const std::string field = "features." + Printable(ns_member.key);
  if (!ns_member.value.is_object()) {
    return FieldError(field, "must be an object of feature name -> number, " + Got(ns_member.value));
  }
  ns->name = ns_member.key;
  // Names, duplicates and magnitudes are door rules: ValidateEvent.
  for (const JsonMember& f : ns_member.value.as_object()) {
    const std::string fname = field + "." + Printable(f.key);
    if (!f.value.is_number()) return FieldError(fname, "must be a number, " + Got(f.value));
    ns->features.push_back(Feature{f.key, f.value.as_number()});
  }
  return Status::Ok();
}

Status ReadFeatures(const Json& v, Event* e) {
  if (!v.is_object()) return FieldError("features", "must be an object of namespace -> object, " + Got(v));
  for (const JsonMember& m : v.as_object()) {
    FeatureNamespace ns;
    DRIFTLINE_RETURN_IF_ERROR(ReadNamespace(m, &ns));
    e->features.push_back(std::move(ns));
  }
  return Status::Ok();
}

Status ReadField(const JsonMember& m, Event* e) {
  const std::string& k = m.key;
  if (k == "ts") return ReadTs(m.value, e);
  if (k == "user") return ReadUser(m.value, e);
  if (k == "item") return ReadOptionalString(m.value, "item", &e->item);
  if (k == "label") return ReadLabel(m.value, e);
  if (k == "event_id") return ReadOptionalString(m.value, "event_id", &e->event_id);
  if (k == "prediction_id") return ReadOptionalString(m.value, "prediction_id", &e->prediction_id);
  if (k == "features") return ReadFeatures(m.value, e);
  return Status::InvalidArgument("unknown field \"" + Printable(k) + "\"" +
                                 " (expected ts, user, item, label, event_id, prediction_id, features)");
}

}  // namespace

Result<Event> ParseEventLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Result<Json> json = ParseJson(line, EventLineLimits());
  if (!json.ok()) return json.status();
  if (!json->is_object()) {
    return Status::InvalidArgument(std::string("an event must be a JSON object, got ") +
                                   Json::TypeName(json->type()));
  }
  Event e;
  std::set<std::string_view> seen;
  for (const JsonMember& m : json->as_object()) {
    if (!seen.insert(m.key).second) return FieldError(Printable(m.key), "appears twice");
    DRIFTLINE_RETURN_IF_ERROR(ReadField(m, &e));
  }
  if (seen.count("ts") == 0) return FieldError("ts", "is required");
  if (seen.count("user") == 0) return FieldError("user", "is required");
  // The rules every door shares (the wire runs the same function).
  DRIFTLINE_RETURN_IF_ERROR(ValidateEvent(e, ""));
  return e;
}

std::string FormatEventLine(const Event& e) {
  std::string out = "{\"ts\":";
  out += std::to_string(e.ts_ms);
  out += ",\"user\":";
  AppendJsonString(e.user, &out);
  if (!e.item.empty()) {
    out += ",\"item\":";
    AppendJsonString(e.item, &out);
  }
  if (e.label) {
    out += ",\"label\":";
    out += std::to_string(*e.label);
  }
  if (!e.event_id.empty()) {
    out += ",\"event_id\":";
    AppendJsonString(e.event_id, &out);
  }
  if (!e.prediction_id.empty()) {
    out += ",\"prediction_id\":";
    AppendJsonString(e.prediction_id, &out);
  }
  if (!e.features.empty()) {
    out += ",\"features\":{";
    for (size_t i = 0; i < e.features.size(); ++i) {
      const FeatureNamespace& ns = e.features[i];
      if (i > 0) out += ',';
      AppendJsonString(ns.name, &out);
      out += ":{";
      for (size_t j = 0; j < ns.features.size(); ++j) {
        if (j > 0) out += ',';
        AppendJsonString(ns.features[j].name, &out);
        out += ':';
        AppendJsonNumber(ns.features[j].value, &out);
      }
      out += '}';
    }
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace driftline
