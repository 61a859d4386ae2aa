#include "cli/event_loading.h"

#include <charconv>

#include "cli/utc_time.h"
#include "protocol/event_jsonl.h"

namespace driftline {

Result<LoadedEvents> LoadEventFile(const char* program, const std::string& path,
                                   bool skip_bad_lines, std::ostream& progress) {
  EventFileOptions options;
  options.skip_bad_lines = skip_bad_lines;
  auto reader = EventFileReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  LoadedEvents loaded;
  while (true) {
    auto next = (*reader)->Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) break;
    loaded.events.push_back(std::move((*next)->event));
    if (loaded.events.size() % 500'000 == 0) {
      progress << program << ": " << loaded.events.size() << " events read from " << path << "\n";
    }
  }
  loaded.skipped_lines = (*reader)->skipped_lines();
  loaded.first_skipped_error = (*reader)->first_skipped_error();
  if (loaded.skipped_lines > 0) {
    progress << program << ": skipped " << loaded.skipped_lines << " bad line(s); first: "
             << loaded.first_skipped_error << "\n";
  }
  if (loaded.events.empty()) return Status::InvalidArgument(path + " has no events");
  return loaded;
}

Result<int64_t> ParseTimestampFlag(const std::string& flag, const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!text.empty() && ec == std::errc() && ptr == end) {
    if (value < 0) return Status::InvalidArgument("--" + flag + " must be >= 0, got " + text);
    return value;
  }
  Result<int64_t> parsed = ParseUtcTimestampMs(text);
  if (parsed.ok()) return parsed;
  return Status::InvalidArgument("--" + flag + " is not a timestamp: '" + text +
                                 "' (want milliseconds since the epoch or 2013-05-16T12:13:00Z)");
}

}  // namespace driftline
