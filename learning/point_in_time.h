// Point-in-time snapshots: what a model trained "as of" a cut time may see.
//
// A labelled example is known at the time its label arrived. Three shapes of
// event make examples:
//  * a labelled event without a prediction id (a rating stream): exposed and
//    known at its ts;
//  * an exposure (prediction_id set, no label) joined with its outcome (same
//    prediction_id, label set): the exposure's user, item, features and ts
//    with the outcome's label, known at the outcome's ts;
//  * an outcome whose exposure is not in the input: its own fields, exposed
//    and known at its ts.
// An example is in the snapshot only if BOTH its exposure and its label are
// at or before the cut: a label from the future never leaks into training,
// and neither does an exposure from the future. Exposures whose outcome is
// missing or after the cut are left out.
//
// Malformed: an outcome whose ts is before its exposure's ts (a label known
// before the prediction was made). Such a pair is never an example (at any
// cut); `FindOutcomesBeforeExposure` names them so that callers can refuse
// the input (the CLI does, unless --skip-bad-lines).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "learning/event.h"

namespace driftline {

struct LabelledExample {
  Event event;           // user, item, features, ts of the exposure (or event)
  int label = 0;
  int64_t known_at_ms = 0;  // when the label became known (>= event.ts_ms)
  // True when `event` is an exposure joined with a later outcome: the
  // prediction was made at event.ts_ms, the label arrived at known_at_ms.
  bool joined = false;
  std::string outcome_event_id;  // the outcome's event id when joined (may be empty)
};

// Examples with exposure and label at or before `cut_ts_ms`, ordered by
// (exposure ts, input order). Malformed pairs are left out.
std::vector<LabelledExample> PointInTimeSnapshot(const std::vector<Event>& events,
                                                 int64_t cut_ts_ms);

// Outcomes (label + prediction id) whose exposure is in `events` with a later
// ts, i.e. a label before its prediction.
struct MalformedOutcomes {
  size_t count = 0;
  std::string first;  // "prediction p7: outcome at 10 before its exposure at 20"
};
MalformedOutcomes FindOutcomesBeforeExposure(const std::vector<Event>& events);

}  // namespace driftline
