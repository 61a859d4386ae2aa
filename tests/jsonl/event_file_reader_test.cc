#include <catch2/catch.hpp>

#include <sstream>

#include "protocol/event_jsonl.h"

using driftline::EventFileOptions;
using driftline::EventFileReader;

namespace {

std::unique_ptr<EventFileReader> ReaderOf(const std::string& text, EventFileOptions options = {}) {
  return EventFileReader::FromStream(std::make_unique<std::istringstream>(text), "events.jsonl", options);
}

}  // namespace

TEST_CASE("the reader yields events with their line numbers and skips blank lines") {
  auto reader = ReaderOf("{\"ts\":1,\"user\":\"a\"}\n\n   \n{\"ts\":2,\"user\":\"b\"}\r\n{\"ts\":3,\"user\":\"c\"}");
  std::vector<std::pair<int64_t, std::string>> seen;
  while (true) {
    auto next = reader->Next();
    REQUIRE(next.ok());
    if (!next->has_value()) break;
    seen.emplace_back((*next)->line, (*next)->event.user);
  }
  REQUIRE(seen == std::vector<std::pair<int64_t, std::string>>{{1, "a"}, {4, "b"}, {5, "c"}});
  REQUIRE(reader->skipped_lines() == 0);
}

TEST_CASE("a malformed line stops the reader with FILE:LINE: message") {
  auto reader = ReaderOf("{\"ts\":1,\"user\":\"a\"}\n{\"ts\":1,\"user\":\"a\",\"label\":2}\n{\"ts\":3,\"user\":\"c\"}\n");
  REQUIRE(reader->Next().ok());
  auto bad = reader->Next();
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.status().message() == "events.jsonl:2: label must be 0 or 1, got 2");
  REQUIRE_FALSE(reader->Next().ok());  // sticky
}

TEST_CASE("in skip mode malformed lines are counted and the first is remembered") {
  EventFileOptions options;
  options.skip_bad_lines = true;
  auto reader = ReaderOf("nonsense\n{\"ts\":1,\"user\":\"a\"}\n{\"lable\":1}\n{\"ts\":2,\"user\":\"b\"}\n", options);
  int events = 0;
  while (true) {
    auto next = reader->Next();
    REQUIRE(next.ok());
    if (!next->has_value()) break;
    ++events;
  }
  REQUIRE(events == 2);
  REQUIRE(reader->skipped_lines() == 2);
  REQUIRE(reader->first_skipped_error().find("events.jsonl:1: json: ") == 0);
}

TEST_CASE("a line longer than the limit is malformed") {
  EventFileOptions options;
  options.max_line_bytes = 16;
  auto reader = ReaderOf("{\"ts\":1,\"user\":\"abcdefghijklmnop\"}\n", options);
  auto r = reader->Next();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().message() == "events.jsonl:1: line longer than 16 bytes");
}

TEST_CASE("an empty input yields no events") {
  auto reader = ReaderOf("");
  auto r = reader->Next();
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->has_value());
}

TEST_CASE("opening a missing file is NotFound naming the file and the reason") {
  auto r = EventFileReader::Open("/nonexistent/dir/events.jsonl");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().code() == driftline::Status::Code::kNotFound);
  REQUIRE(r.status().message() == "cannot open /nonexistent/dir/events.jsonl: No such file or directory");
}

TEST_CASE("opening a directory is refused instead of reading as empty") {
  auto r = EventFileReader::Open("/tmp");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().message() == "cannot read /tmp: is a directory");
}
