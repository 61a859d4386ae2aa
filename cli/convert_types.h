// What the dataset converters (convert_movietweetings.h, convert_obd.h) share:
// options, counters, the event sink, and a bounded line reader.
//
// Error convention: a malformed input line is InvalidArgument
// "NAME:LINE: message" (1-based LINE). With skip_bad_lines it is counted in
// ConvertStats instead and conversion goes on.
//
// Thread safety: plain single-threaded values.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>

#include "common/status.h"
#include "learning/event.h"

namespace driftline {

struct ConvertOptions {
  bool skip_bad_lines = false;        // count and skip malformed lines. Default: false
  size_t max_line_bytes = 1 << 20;    // longer lines are malformed. Default: 1 MiB
};

struct ConvertStats {
  int64_t events = 0;                 // events handed to the sink
  int64_t skipped_lines = 0;          // malformed lines skipped (skip mode only)
  std::string first_skipped_error;    // "NAME:LINE: message" of the first skipped line

  // A malformed line: returns the error, or (skip mode) counts it and returns Ok.
  Status Reject(const ConvertOptions& options, const std::string& name, int64_t line,
                const std::string& message);
};

// Receives each converted event in output order; a non-ok Status stops the
// conversion and is returned by the converter.
using EventSink = std::function<Status(const Event&)>;

// Reads '\n'-terminated lines (a trailing '\r' is dropped) with a length cap.
class LineReader {
 public:
  LineReader(std::istream& in, size_t max_line_bytes) : in_(in), max_(max_line_bytes) {}
  // The next line, false at the end of input. *too_long: the line exceeded
  // the cap (the kept prefix is in *line, the rest was consumed).
  bool Next(std::string* line, bool* too_long);
  int64_t line_number() const { return line_number_; }  // 1-based, of the last line read

 private:
  std::istream& in_;
  size_t max_;
  int64_t line_number_ = 0;
};

}  // namespace driftline
