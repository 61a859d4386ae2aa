// Loads a JSON Lines event file for the offline commands (train, evaluate),
// with progress on stderr for long files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/event.h"

namespace driftline {

struct LoadedEvents {
  std::vector<Event> events;
  int64_t skipped_lines = 0;
  std::string first_skipped_error;
};

// All events of `path` in file order; progress, and the count of skipped
// lines, go to `progress` prefixed with `program`. Errors: NotFound (missing
// file), InvalidArgument "FILE:LINE: ..." (malformed line, unless
// skip_bad_lines), InvalidArgument "FILE has no events" (empty input).
Result<LoadedEvents> LoadEventFile(const char* program, const std::string& path,
                                   bool skip_bad_lines, std::ostream& progress);

// Parses a timestamp flag: integer milliseconds since the epoch, or a UTC
// date-time "2013-05-16T12:13:00Z" or "2013-05-16 12:13:00".
Result<int64_t> ParseTimestampFlag(const std::string& flag, const std::string& text);

}  // namespace driftline
