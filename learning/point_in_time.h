// Point-in-time snapshots: what a model trained "as of" a cut time may see.
//
// A labelled example is known at the time its label arrived. Three shapes of
// event make examples:
//  * a labelled event without a prediction id (a rating stream): known at ts;
//  * an exposure (prediction_id set, no label) joined with its outcome (same
//    prediction_id, label set): the exposure's user, item and features with
//    the outcome's label, known at the outcome's ts;
//  * an outcome whose exposure is not in the input: its own fields, known at ts.
// Only examples known at or before the cut are returned: a label from the
// future never leaks into training. Exposures whose outcome is missing or late
// are left out.
#pragma once

#include <cstdint>
#include <vector>

#include "learning/event.h"

namespace driftline {

struct LabelledExample {
  Event event;           // user, item, features, ts of the exposure (or event)
  int label = 0;
  int64_t known_at_ms = 0;  // when the label became known
};

// Examples known at or before `cut_ts_ms`, ordered by (event ts, input order).
std::vector<LabelledExample> PointInTimeSnapshot(const std::vector<Event>& events,
                                                 int64_t cut_ts_ms);

}  // namespace driftline
