// Reading a line of untrusted input without letting it grow without bound.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace driftline {

// Reads the next line of `in` (up to a '\n', consumed, not stored) into
// *line, keeping at most `max_bytes` of it; *too_long tells that more were
// consumed and dropped. Returns false at the end of input when nothing was
// read. Reads the stream buffer directly (no locale, no sentry per char).
// A trailing '\r' is kept: callers decide.
bool ReadBoundedLine(std::istream& in, size_t max_bytes, std::string* line, bool* too_long);

}  // namespace driftline
