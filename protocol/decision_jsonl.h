// The JSON Lines decision log (docs/decisions.md): one LoggedDecision
// (learning/logged_decision.h) per line.
//
//   {"ts":1574553793442,"user":"obd:cef3390e-...","decision_id":"obd:random-men:0",
//    "context":{"user":{"uf0=cef3390e":1},"context":{"position=3":1}},
//    "candidates":[{"item":"0","features":{"item":{"if0":-0.677}}},...],
//    "chosen":"14","position":3,"slots":3,"propensity":0.029411764705882353,
//    "propensity_method":"logged","policy":"obd:random","reward":0}
//
// Fields: ts (required integer in [0, 9999-12-31]), user (required non-empty
// string), decision_id (optional string), context (optional object:
// namespace -> feature -> finite number, the door rules of events),
// candidates (required non-empty array of {"item": non-empty string,
// "features": optional feature object}, items unique), chosen (required, one
// of the candidates' items), position (optional integer >= 1, default 1),
// slots (optional integer >= position, default 1), propensity (required
// number in (0, 1]), propensity_method (required: "logged", "exact" or
// "monte_carlo"), propensity_samples (integer >= 1, required with
// "monte_carlo", refused otherwise), policy (required non-empty string),
// model_version (optional string), reward (optional finite number; absent =
// no outcome yet). Unknown and duplicate fields are errors; every message
// names the field ("propensity must be in (0, 1], got 0").
//
// Round trip: ParseDecisionLine(FormatDecisionLine(d)) == d for every d that
// ParseDecisionLine returns; formatting is deterministic (the key order
// above, defaults and empty optional strings omitted).
//
// Thread safety: pure functions; a DecisionFileReader has one owner.
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "learning/logged_decision.h"

namespace driftline {

// Parses one line (without its newline; a trailing '\r' is tolerated).
// Errors: InvalidArgument with a one-line message naming the field.
Result<LoggedDecision> ParseDecisionLine(std::string_view line);

// One line of JSON, no trailing newline. REQUIRES: a valid decision (as
// ParseDecisionLine returns); numbers are written shortest-round-trip.
std::string FormatDecisionLine(const LoggedDecision& decision);

struct DecisionFileOptions {
  size_t max_line_bytes = 4 << 20;  // longer lines are malformed. Default: 4 MiB
};

// Streams decisions from a JSON Lines file, skipping blank lines. Every
// error names the source and the 1-based line: "log.jsonl:12: propensity
// must be in (0, 1], got 0". There is no skip mode: a decision file feeds
// estimates, and a silently dropped row would bias them.
class DecisionFileReader {
 public:
  // Missing or unreadable file => NotFound "cannot open FILE: <strerror>";
  // a directory => InvalidArgument "cannot read FILE: is a directory".
  static Result<std::unique_ptr<DecisionFileReader>> Open(const std::string& path,
                                                          const DecisionFileOptions& options = {});
  static std::unique_ptr<DecisionFileReader> FromStream(std::unique_ptr<std::istream> in, std::string name,
                                                        const DecisionFileOptions& options = {});

  // The next decision, nullopt at the end, or the first error
  // (InvalidArgument for a malformed line, IoError for a failed read); after
  // an error or the end, further calls return the same outcome.
  Result<std::optional<LoggedDecision>> Next();
  // The line of the decision Next() returned last.
  int64_t line_number() const { return line_number_; }
  const std::string& name() const { return name_; }

 private:
  DecisionFileReader(std::unique_ptr<std::istream> in, std::string name, const DecisionFileOptions& options);

  std::unique_ptr<std::istream> in_;
  std::string name_;
  DecisionFileOptions options_;
  std::string line_;
  int64_t line_number_ = 0;
  Status final_ = Status::Ok();
  bool done_ = false;
};

}  // namespace driftline
