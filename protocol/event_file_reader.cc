// EventFileReader: streams a JSON Lines event file. See protocol/event_jsonl.h.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "protocol/event_jsonl.h"

#include "common/bounded_line.h"

namespace driftline {

Result<std::unique_ptr<EventFileReader>> EventFileReader::Open(const std::string& path,
                                                               const EventFileOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("cannot read " + path + ": is a directory");
  }
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!in->is_open()) {
    return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  }
  return FromStream(std::move(in), path, options);
}

std::unique_ptr<EventFileReader> EventFileReader::FromStream(std::unique_ptr<std::istream> in,
                                                             std::string name,
                                                             const EventFileOptions& options) {
  return std::unique_ptr<EventFileReader>(new EventFileReader(std::move(in), std::move(name), options));
}

EventFileReader::EventFileReader(std::unique_ptr<std::istream> in, std::string name,
                                 const EventFileOptions& options)
    : in_(std::move(in)), name_(std::move(name)), options_(options) {}

bool EventFileReader::ReadLine(bool* too_long) {
  return ReadBoundedLine(*in_, options_.max_line_bytes, &line_, too_long);
}

Result<std::optional<NumberedEvent>> EventFileReader::Next() {
  while (!done_) {
    bool too_long = false;
    bool got_line = false;
    try {
      got_line = ReadLine(&too_long);
    } catch (const std::exception& ex) {  // a streambuf may throw on a device error
      final_ = Status::IoError(name_ + ": read failed: " + ex.what());
      done_ = true;
      break;
    }
    if (!got_line) {
      done_ = true;
      break;
    }
    ++line_number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (!too_long && line_.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    Result<Event> event = too_long ? Result<Event>(Status::InvalidArgument(
                                         "line longer than " + std::to_string(options_.max_line_bytes) + " bytes"))
                                   : ParseEventLine(line_);
    if (event.ok()) return std::optional<NumberedEvent>(NumberedEvent{line_number_, std::move(event).value()});
    std::string message = name_ + ":" + std::to_string(line_number_) + ": " + event.status().message();
    if (options_.skip_bad_lines) {
      if (skipped_lines_ == 0) first_skipped_error_ = message;
      ++skipped_lines_;
      continue;
    }
    final_ = Status::InvalidArgument(message);
    done_ = true;
  }
  if (!final_.ok()) return final_;
  return std::optional<NumberedEvent>();
}

}  // namespace driftline
