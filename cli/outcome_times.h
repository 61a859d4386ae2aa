// The offline commands' check of outcome times: an outcome whose ts is before
// its exposure's (a label known before the prediction was made) is malformed
// input. train and evaluate refuse such a file; with --skip-bad-lines they
// leave those pairs out (PointInTimeSnapshot never uses them) and say so.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/event.h"

namespace driftline {

// InvalidArgument "FILE: N outcome(s) before their exposure (first: ...)"
// unless skip_bad_lines; then Ok, with a warning on `err` when any.
Status CheckOutcomeTimes(const char* program, const std::string& path,
                         const std::vector<Event>& events, bool skip_bad_lines, std::ostream& err);

}  // namespace driftline
