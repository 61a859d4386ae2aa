// See cli/convert_obd.h.
#include "cli/convert_obd.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/text_fields.h"
#include "cli/utc_time.h"

namespace driftline {
namespace {

constexpr char kUserFeaturePrefix[] = "user_feature_";
constexpr char kItemFeaturePrefix[] = "item_feature_";
constexpr char kAffinityPrefix[] = "user-item_affinity_";

bool StartsWith(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string Short(std::string_view hash) { return std::string(hash.substr(0, 8)); }

// The item id normalized to plain decimal, or "" when it is not a non-negative integer.
std::string NormalizedId(std::string_view s) {
  std::optional<int64_t> id = ParseInt64(s);
  return (id && *id >= 0) ? std::to_string(*id) : "";
}

// Where the interesting columns of a log file are.
struct LogColumns {
  size_t count = 0;
  int timestamp = -1, item_id = -1, position = -1, click = -1, propensity = -1;
  std::vector<std::pair<std::string, size_t>> user_features;  // ("uf0", column)
  std::vector<std::pair<std::string, size_t>> affinities;     // ("item=0", column)
};

Result<LogColumns> FindLogColumns(const std::vector<std::string>& header, const std::string& name) {
  LogColumns c;
  c.count = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    int col = static_cast<int>(i);
    if (h == "timestamp") c.timestamp = col;
    else if (h == "item_id") c.item_id = col;
    else if (h == "position") c.position = col;
    else if (h == "click") c.click = col;
    else if (h == "propensity_score") c.propensity = col;
    else if (StartsWith(h, kUserFeaturePrefix)) c.user_features.emplace_back("uf" + h.substr(sizeof(kUserFeaturePrefix) - 1), i);
    else if (StartsWith(h, kAffinityPrefix)) c.affinities.emplace_back("item=" + h.substr(sizeof(kAffinityPrefix) - 1), i);
  }
  const char* missing = c.timestamp < 0 ? "timestamp" : c.item_id < 0 ? "item_id"
                      : c.position < 0 ? "position" : c.click < 0 ? "click"
                      : c.user_features.empty() ? "user_feature_0" : nullptr;
  if (missing) return Status::InvalidArgument(name + ":1: header has no " + missing + " column");
  return c;
}

// Builds the event for one row (and its position); returns an error message or "".
std::string ConvertRow(const std::vector<std::string>& f, const LogColumns& c, const ObdItemTable& items,
                       const std::string& stem, int64_t row, Event* e, int64_t* position_out) {
  if (f.size() != c.count) {
    return "expected " + std::to_string(c.count) + " columns, got " + std::to_string(f.size());
  }
  Result<int64_t> ts = ParseUtcTimestampMs(f[c.timestamp]);
  if (!ts.ok()) return ts.status().message() + " in " + Quoted(f[c.timestamp]);
  if (*ts < 0) return "timestamp before 1970: " + Quoted(f[c.timestamp]);
  std::string item = NormalizedId(f[c.item_id]);
  if (item.empty()) return "item_id must be a non-negative integer, got " + Quoted(f[c.item_id]);
  auto item_it = items.find(item);
  if (item_it == items.end()) return "item_id " + item + " is not in the item table";
  std::optional<int64_t> position = ParseInt64(f[c.position]);
  if (!position || *position < 0) return "position must be a non-negative integer, got " + Quoted(f[c.position]);
  std::optional<int64_t> click = ParseInt64(f[c.click]);
  if (!click || (*click != 0 && *click != 1)) return "click must be 0 or 1, got " + Quoted(f[c.click]);

  *position_out = *position;
  e->ts_ms = *ts;
  e->item = item;
  e->label = static_cast<int>(*click);
  e->event_id = "obd:" + stem + ":" + std::to_string(row);
  FeatureNamespace user{"user", {}};
  e->user = "obd:";
  for (size_t k = 0; k < c.user_features.size(); ++k) {
    const std::string& v = f[c.user_features[k].second];
    if (v.empty()) return c.user_features[k].first + " is empty";
    e->user += (k ? "-" : "") + Short(v);
    user.features.push_back(Feature{c.user_features[k].first + "=" + Short(v), 1.0});
  }
  e->features.push_back(std::move(user));
  e->features.push_back(item_it->second);
  e->features.push_back(FeatureNamespace{"context", {Feature{"position=" + std::to_string(*position), 1.0}}});
  FeatureNamespace affinity{"affinity", {}};
  for (const auto& [feature, col] : c.affinities) {
    std::optional<double> v = ParseFiniteDouble(f[col]);
    if (!v) return "affinity column " + feature + " must be a number, got " + Quoted(f[col]);
    if (*v != 0.0) affinity.features.push_back(Feature{feature, *v});
  }
  if (!affinity.features.empty()) e->features.push_back(std::move(affinity));
  return "";
}

}  // namespace

Result<ObdItemTable> ReadObdItemTable(std::istream& in, const std::string& name,
                                      const ConvertOptions& options, ConvertStats* stats) {
  LineReader reader(in, options.max_line_bytes);
  std::string line;
  bool too_long = false;
  if (!reader.Next(&line, &too_long)) return Status::InvalidArgument(name + ": empty item table");
  Result<std::vector<std::string>> header = SplitCsvLine(line);
  if (!header.ok()) return Status::InvalidArgument(name + ":1: " + header.status().message());
  int id_col = -1;
  std::vector<std::pair<std::string, size_t>> feature_cols;  // ("if0", column)
  for (size_t i = 0; i < header->size(); ++i) {
    const std::string& h = (*header)[i];
    if (h == "item_id") id_col = static_cast<int>(i);
    if (StartsWith(h, kItemFeaturePrefix)) feature_cols.emplace_back("if" + h.substr(sizeof(kItemFeaturePrefix) - 1), i);
  }
  if (id_col < 0) return Status::InvalidArgument(name + ":1: header has no item_id column");
  ObdItemTable table;
  while (reader.Next(&line, &too_long)) {
    if (line.empty() && !too_long) continue;
    Result<std::vector<std::string>> f = too_long ? Result<std::vector<std::string>>(Status::InvalidArgument("line too long"))
                                                  : SplitCsvLine(line);
    std::string error = f.ok() ? "" : f.status().message();
    if (error.empty() && f->size() != header->size()) error = "expected " + std::to_string(header->size()) + " columns";
    std::string id = error.empty() ? NormalizedId((*f)[id_col]) : "";
    if (error.empty() && id.empty()) error = "item_id must be a non-negative integer";
    FeatureNamespace ns{"item", {}};
    for (size_t k = 0; error.empty() && k < feature_cols.size(); ++k) {
      const std::string& v = (*f)[feature_cols[k].second];
      if (std::optional<double> d = ParseFiniteDouble(v)) {
        ns.features.push_back(Feature{feature_cols[k].first, *d});
      } else if (!v.empty()) {
        ns.features.push_back(Feature{feature_cols[k].first + "=" + Short(v), 1.0});
      }
    }
    if (error.empty() && !table.emplace(id, std::move(ns)).second) error = "item_id " + id + " listed twice";
    if (!error.empty()) DRIFTLINE_RETURN_IF_ERROR(stats->Reject(options, name, reader.line_number(), error));
  }
  if (in.bad()) return Status::IoError(name + ": read failed");
  return table;
}

namespace {

// One converted row: the event, its position, and the raw row for extra columns.
using ObdRowSink = std::function<std::string(const Event&, int64_t position, const std::vector<std::string>& fields,
                                             const LogColumns& columns, Status* sink_status)>;

// The row loop both outputs share. `row_sink` returns a row error message
// ("" when fine) or sets *sink_status to stop.
Status ConvertObdRows(std::istream& log, const std::string& name, const std::string& stem,
                      const ObdItemTable& items, const ConvertOptions& options, bool need_propensity,
                      const ObdRowSink& row_sink, ConvertStats* stats) {
  LineReader reader(log, options.max_line_bytes);
  std::string line;
  bool too_long = false;
  if (!reader.Next(&line, &too_long)) return Status::InvalidArgument(name + ": empty input, no header");
  Result<std::vector<std::string>> header = SplitCsvLine(line);
  if (!header.ok()) return Status::InvalidArgument(name + ":1: " + header.status().message());
  Result<LogColumns> columns = FindLogColumns(*header, name);
  if (!columns.ok()) return columns.status();
  if (need_propensity && columns->propensity < 0) {
    return Status::InvalidArgument(name + ":1: header has no propensity_score column");
  }
  int64_t row = 0;
  int64_t converted = 0;
  while (reader.Next(&line, &too_long)) {
    if (line.empty() && !too_long) continue;
    Event e;
    int64_t position = 0;
    std::string error = "line too long";
    Status sink_status = Status::Ok();
    if (!too_long) {
      Result<std::vector<std::string>> f = SplitCsvLine(line);
      error = f.ok() ? ConvertRow(*f, *columns, items, stem, row, &e, &position) : f.status().message();
      if (error.empty()) error = row_sink(e, position, *f, *columns, &sink_status);
    }
    DRIFTLINE_RETURN_IF_ERROR(sink_status);
    ++row;
    if (!error.empty()) {
      DRIFTLINE_RETURN_IF_ERROR(stats->Reject(options, name, reader.line_number(), error));
      continue;
    }
    ++stats->events;
    ++converted;
  }
  if (log.bad()) return Status::IoError(name + ": read failed");
  if (converted == 0) return Status::InvalidArgument(name + ": no rows found");
  return Status::Ok();
}

// Every item of the table as a candidate, in ascending numeric id order.
std::vector<DecisionCandidate> AllCandidates(const ObdItemTable& items) {
  std::vector<DecisionCandidate> candidates;
  for (const auto& [id, ns] : items) candidates.push_back(DecisionCandidate{id, {ns}});
  std::sort(candidates.begin(), candidates.end(), [](const DecisionCandidate& a, const DecisionCandidate& b) {
    return a.item.size() != b.item.size() ? a.item.size() < b.item.size() : a.item < b.item;
  });
  return candidates;
}

}  // namespace

Status ConvertObdLog(std::istream& log, const std::string& name, const std::string& stem,
                     const ObdItemTable& items, const ConvertOptions& options, const EventSink& sink,
                     ConvertStats* stats) {
  return ConvertObdRows(log, name, stem, items, options, /*need_propensity=*/false,
                        [&sink](const Event& e, int64_t, const std::vector<std::string>&, const LogColumns&,
                                Status* sink_status) {
                          *sink_status = sink(e);
                          return std::string();
                        },
                        stats);
}

Status ConvertObdDecisions(std::istream& log, const std::string& name, const std::string& stem,
                           const std::string& policy, const ObdItemTable& items, const ConvertOptions& options,
                           const DecisionSink& sink, ConvertStats* stats) {
  if (items.size() < static_cast<size_t>(kObdSlots)) {
    return Status::InvalidArgument(name + ": the item table has fewer than " + std::to_string(kObdSlots) + " items");
  }
  const std::vector<DecisionCandidate> candidates = AllCandidates(items);
  return ConvertObdRows(
      log, name, stem, items, options, /*need_propensity=*/true,
      [&](const Event& e, int64_t position, const std::vector<std::string>& f, const LogColumns& c,
          Status* sink_status) -> std::string {
        if (position < 1 || position > kObdSlots) {
          return "position must be in 1.." + std::to_string(kObdSlots) + ", got " + std::to_string(position);
        }
        std::optional<double> propensity = ParseFiniteDouble(f[c.propensity]);
        if (!propensity || !(*propensity > 0.0 && *propensity <= 1.0)) {
          return "propensity_score must be a number in (0, 1], got " + Quoted(f[c.propensity]);
        }
        LoggedDecision d;
        d.ts_ms = e.ts_ms;
        d.user = e.user;
        d.decision_id = e.event_id;
        for (const FeatureNamespace& ns : e.features) {
          if (ns.name != "item") d.context.push_back(ns);
        }
        d.candidates = candidates;
        d.chosen = e.item;
        d.position = static_cast<int>(position);
        d.slots = kObdSlots;
        d.propensity = *propensity;
        d.propensity_method = PropensityMethod::kLogged;
        d.policy = policy;
        d.reward = static_cast<double>(*e.label);
        *sink_status = sink(d);
        return "";
      },
      stats);
}

}  // namespace driftline
