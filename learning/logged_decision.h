// A logged decision: what a policy was shown, what it chose, with which
// probability, and (once known) the reward. The input of off-policy
// evaluation (learning/off_policy.h) and the record of the decision log; its
// JSON Lines form is protocol/decision_jsonl.h (docs/decisions.md).
//
// A plain value: no I/O, no validation here (the JSON reader validates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "learning/event.h"

namespace driftline {

// How `propensity` was obtained. DO NOT CHANGE the names: they are written
// into decision files ("logged", "exact", "monte_carlo").
enum class PropensityMethod {
  kLogged,      // copied from a source log that computed it (e.g. OBD's propensity_score)
  kExact,       // the policy's closed-form choice probability
  kMonteCarlo,  // estimated from `propensity_samples` draws of the policy
};

// One candidate the policy could choose.
struct DecisionCandidate {
  std::string item;      // the arm id; unique within a decision
  FeatureSet features;   // the candidate's own features (e.g. the "item" namespace)
  bool operator==(const DecisionCandidate& o) const { return item == o.item && features == o.features; }
};

struct LoggedDecision {
  int64_t ts_ms = 0;                // decision time, ms since the Unix epoch (UTC)
  std::string user;                 // non-empty
  std::string decision_id;          // empty: none
  FeatureSet context;               // features shared by every candidate (user, request)
  std::vector<DecisionCandidate> candidates;  // non-empty, unique items
  std::string chosen;               // the item shown; one of candidates[].item
  int position = 1;                 // 1-based slot the chosen item was shown in
  int slots = 1;                    // slots filled per impression (a ranking of `slots` items); position <= slots
  double propensity = 1.0;          // P(logging policy puts `chosen` at `position` | inputs), in (0, 1]
  PropensityMethod propensity_method = PropensityMethod::kExact;
  int64_t propensity_samples = 0;   // draws behind a kMonteCarlo propensity; 0 otherwise
  std::string policy;               // the logging policy's name, non-empty ("obd:random", "hybrid/thompson")
  std::string model_version;        // empty: none
  std::optional<double> reward;     // unset: the outcome has not arrived

  bool operator==(const LoggedDecision& o) const {
    return ts_ms == o.ts_ms && user == o.user && decision_id == o.decision_id && context == o.context &&
           candidates == o.candidates && chosen == o.chosen && position == o.position && slots == o.slots &&
           propensity == o.propensity && propensity_method == o.propensity_method &&
           propensity_samples == o.propensity_samples && policy == o.policy &&
           model_version == o.model_version && reward == o.reward;
  }
};

// "logged", "exact" or "monte_carlo".
inline const char* PropensityMethodName(PropensityMethod method) {
  switch (method) {
    case PropensityMethod::kLogged: return "logged";
    case PropensityMethod::kExact: return "exact";
    case PropensityMethod::kMonteCarlo: return "monte_carlo";
  }
  return "exact";
}

}  // namespace driftline
