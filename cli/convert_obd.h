// Open Bandit Dataset logs (data/open_bandit_dataset/) -> events.
//
// Log csv header: ",timestamp,item_id,position,click,propensity_score,
// user_feature_0..3,user-item_affinity_0..K" (columns found by name; the
// unnamed index column is ignored). item_context.csv: ",item_id,
// item_feature_0,item_feature_1..3".
//
// Each log row (0-based data row r of file stem S) becomes
//   {"ts": timestamp in ms (UTC), "user": "obd:<uf0[:8]>-<uf1[:8]>-<uf2[:8]>-<uf3[:8]>",
//    "item": "<item_id>", "label": click, "event_id": "obd:<S>:<r>",
//    "features": {"user": {"uf0=<uf0[:8]>": 1, ...},
//                 "item": {"if0": <float>, "if1=<hash[:8]>": 1, ...},
//                 "context": {"position=<n>": 1},
//                 "affinity": {"item=<k>": <value>, ... only non-zero}}}
// ("<x[:8]>" = the first 8 characters of the hashed value). An item feature
// that parses as a number is kept as a number, any other value is one-hot.
// Events come out in file order (the logs are time-sorted already).
// Not carried into events: propensity_score (Event has no field for it);
// ConvertObdDecisions keeps it.
//
// Thread safety: pure functions over the given streams.
#pragma once

#include <istream>
#include <string>
#include <unordered_map>

#include "cli/convert_types.h"
#include "common/status.h"
#include "learning/logged_decision.h"

namespace driftline {

// item_id (normalized decimal) -> the "item" namespace features.
using ObdItemTable = std::unordered_map<std::string, FeatureNamespace>;

// Reads item_context.csv. Malformed lines follow options.skip_bad_lines.
Result<ObdItemTable> ReadObdItemTable(std::istream& in, const std::string& name,
                                      const ConvertOptions& options, ConvertStats* stats);

// Converts a log csv; `stem` is used in event ids (e.g. "men").
// Errors: NAME:LINE for malformed rows (bad field, unknown item, wrong column
// count) unless skipping; a header missing a required column; InvalidArgument
// "NAME: no rows found" when nothing was converted.
Status ConvertObdLog(std::istream& log, const std::string& name, const std::string& stem,
                     const ObdItemTable& items, const ConvertOptions& options, const EventSink& sink,
                     ConvertStats* stats);

// The widget of the Open Bandit Dataset shows a ranking of 3 items (positions
// 1 left, 2 center, 3 right).
constexpr int kObdSlots = 3;

// Receives each logged decision in output order; a non-ok Status stops.
using DecisionSink = std::function<Status(const LoggedDecision&)>;

// Converts a log csv into logged decisions (docs/decisions.md), one per row,
// for off-policy evaluation. Each row's decision carries what its event
// carries (ts, user, decision_id = the event_id), with the features split:
// every namespace except "item" is the context (user, context{position=n},
// affinity), and the candidates are every item of `items` in ascending id
// order, each with its "item" namespace. chosen = item_id, position = the
// row's position (1..kObdSlots), slots = kObdSlots, propensity =
// propensity_score (propensity_method "logged": OBD's logging policy
// computed it for the (item, position) pair), reward = click, policy =
// `policy` (e.g. "obd:random").
// Errors: as ConvertObdLog, plus a header without propensity_score, a
// propensity_score not in (0, 1] or a position outside 1..kObdSlots (NAME:LINE,
// or skipped in skip mode), and fewer than kObdSlots items.
Status ConvertObdDecisions(std::istream& log, const std::string& name, const std::string& stem,
                           const std::string& policy, const ObdItemTable& items, const ConvertOptions& options,
                           const DecisionSink& sink, ConvertStats* stats);

}  // namespace driftline
