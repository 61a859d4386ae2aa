// See cli/convert_types.h.
#include "cli/convert_types.h"

#include "common/bounded_line.h"

namespace driftline {

Status ConvertStats::Reject(const ConvertOptions& options, const std::string& name, int64_t line,
                            const std::string& message) {
  std::string full = name + ":" + std::to_string(line) + ": " + message;
  if (!options.skip_bad_lines) return Status::InvalidArgument(full);
  if (skipped_lines == 0) first_skipped_error = full;
  ++skipped_lines;
  return Status::Ok();
}

bool LineReader::Next(std::string* line, bool* too_long) {
  if (!ReadBoundedLine(in_, max_, line, too_long)) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace driftline
