// The JSON Lines event stream (docs/events.md): one Event per line.
//
//   {"ts":1362062307000,"user":"42","item":"0133093","label":1,
//    "event_id":"mt:42:0133093","features":{"item":{"genre=Drama":1}}}
//
// Fields: ts (required integer >= 0, ms since the Unix epoch, UTC), user
// (required non-empty string), item, event_id, prediction_id (optional
// strings), label (optional, 0 or 1), features (optional object: namespace
// -> object of feature name -> finite number). Unknown fields, duplicate
// fields, duplicate namespaces and duplicate feature names are errors; every
// error message names the field ("label must be 0 or 1, got 2"). The rules
// beyond JSON types are those of every door: ParseEventLine ends with
// ValidateEvent (protocol/validate.h), the check the wire codec runs, so both
// refuse the same events with the same message (docs/events.md, "Limits").
//
// Round trip: for every Event e that ParseEventLine can return,
// ParseEventLine(FormatEventLine(e)) == e, and formatting is deterministic
// (fixed key order, empty optional strings and absent label omitted,
// shortest round-trip numbers).
//
// Thread safety: the free functions are pure. An EventFileReader is a
// single-threaded object (one reader per thread).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "learning/event.h"

namespace driftline {

// Parses one line (without its newline; a trailing '\r' is tolerated).
// Errors: InvalidArgument with a one-line message naming the field.
Result<Event> ParseEventLine(std::string_view line);

// One line of JSON, keys in the order ts, user, item, label, event_id,
// prediction_id, features; no trailing newline.
// REQUIRES: strings are UTF-8; feature values are finite (a non-finite value
// is written as null, which ParseEventLine rejects).
std::string FormatEventLine(const Event& event);

struct EventFileOptions {
  bool skip_bad_lines = false;          // count and skip malformed lines. Default: false
  size_t max_line_bytes = 1 << 20;      // longer lines are malformed. Default: 1 MiB
};

// An event with the 1-based line it came from.
struct NumberedEvent {
  int64_t line = 0;
  Event event;
};

// Streams events from a JSON Lines file (or any istream), skipping blank
// lines. Errors name the source and line: "events.jsonl:12: label must be 0
// or 1, got 2". In skip-bad-lines mode malformed lines are counted instead
// (skipped_lines(), first_skipped_error()); I/O errors are always returned.
class EventFileReader {
 public:
  // Missing or unreadable file => NotFound "cannot open FILE: <strerror>";
  // a directory => InvalidArgument "cannot read FILE: is a directory".
  static Result<std::unique_ptr<EventFileReader>> Open(const std::string& path,
                                                       const EventFileOptions& options = {});
  // Reads from `in`; `name` is used in error messages.
  static std::unique_ptr<EventFileReader> FromStream(std::unique_ptr<std::istream> in,
                                                     std::string name,
                                                     const EventFileOptions& options = {});

  // The next event, nullopt at the end of input, or the first error
  // (InvalidArgument for a malformed line, IoError for a failed read).
  // After an error or the end, further calls return the same outcome.
  Result<std::optional<NumberedEvent>> Next();

  int64_t skipped_lines() const { return skipped_lines_; }
  // The message of the first skipped line ("FILE:LINE: ..."), or "".
  const std::string& first_skipped_error() const { return first_skipped_error_; }
  const std::string& name() const { return name_; }

 private:
  EventFileReader(std::unique_ptr<std::istream> in, std::string name, const EventFileOptions& options);
  // Reads one line into line_ (without '\n'); false at end of input.
  // Sets *too_long when the line exceeded max_line_bytes (the rest is consumed).
  bool ReadLine(bool* too_long);

  std::unique_ptr<std::istream> in_;
  std::string name_;
  EventFileOptions options_;
  std::string line_;
  int64_t line_number_ = 0;
  int64_t skipped_lines_ = 0;
  std::string first_skipped_error_;
  Status final_ = Status::Ok();
  bool done_ = false;
};

}  // namespace driftline
