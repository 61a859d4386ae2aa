#include "cli/outcome_times.h"

#include "learning/point_in_time.h"

namespace driftline {

Status CheckOutcomeTimes(const char* program, const std::string& path,
                         const std::vector<Event>& events, bool skip_bad_lines, std::ostream& err) {
  const MalformedOutcomes bad = FindOutcomesBeforeExposure(events);
  if (bad.count == 0) return Status::Ok();
  const std::string what = std::to_string(bad.count) + " outcome(s) before their exposure (first: " +
                           bad.first + ")";
  if (!skip_bad_lines) {
    return Status::InvalidArgument(path + ": " + what +
                                   "; fix the input, or pass --skip-bad-lines to leave them out");
  }
  err << program << ": warning: " << path << ": left out " << what << "\n";
  return Status::Ok();
}

}  // namespace driftline
