// One set of rules for every door: an event that breaks a rule is refused by
// the JSON Lines reader and by the wire codec with the same message (the wire
// prefixes the event's position in its batch), and one that keeps them is
// accepted by both and arrives equal.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/codec.h"
#include "protocol/event_jsonl.h"
#include "protocol/validate.h"

using namespace driftline;

namespace {

Event Plain() {
  Event e;
  e.ts_ms = 1;
  e.user = "u";
  e.item = "i";
  e.label = 1;
  e.event_id = "id";
  e.features = {{"item", {{"g", 1.0}}}};
  return e;
}

struct Broken {
  const char* rule;
  Event event;
  std::string message;  // as JSON Lines gives it; the wire adds "events[0]."
};

std::vector<Broken> BrokenEvents() {
  std::vector<Broken> cases;
  auto add = [&](const char* rule, auto change, std::string message) {
    Event e = Plain();
    change(e);
    cases.push_back({rule, std::move(e), std::move(message)});
  };
  add("long user", [](Event& e) { e.user = std::string(1 << 20, 'u'); },
      "user is 1048576 bytes long, more than the limit of 1024 bytes");
  add("long item", [](Event& e) { e.item = std::string(2000, 'i'); },
      "item is 2000 bytes long, more than the limit of 1024 bytes");
  add("long event_id", [](Event& e) { e.event_id = std::string(70000, 'e'); },
      "event_id is 70000 bytes long, more than the limit of 1024 bytes");
  add("long prediction_id", [](Event& e) { e.prediction_id = std::string(1025, 'p'); },
      "prediction_id is 1025 bytes long, more than the limit of 1024 bytes");
  add("long feature name", [](Event& e) { e.features[0].features[0].name = std::string(1025, 'f'); },
      "features['item'][0].name is 1025 bytes long, more than the limit of 1024 bytes");
  add("empty user", [](Event& e) { e.user.clear(); }, "user must not be empty");
  add("negative ts", [](Event& e) { e.ts_ms = -5; },
      "ts must be within [0, 253402300799999] ms, got -5");
  add("reserved id", [](Event& e) { e.event_id = "arm/x"; },
      "event_id must not start with 'arm/' (reserved for driftline's own records)");
  add("huge feature", [](Event& e) { e.features[0].features[0].value = 2e9; },
      "features['item']['g'] must be within +-1e9, got 2e+09");
  add("duplicate feature", [](Event& e) { e.features[0].features.push_back({"g", 2.0}); },
      "features['item']['g'] appears twice");
  add("duplicate namespace", [](Event& e) { e.features.push_back({"item", {{"h", 1.0}}}); },
      "features['item'] appears twice");
  add("empty namespace", [](Event& e) { e.features[0].name.clear(); },
      "features[0] has an empty namespace name");
  add("too many features", [](Event& e) {
        for (size_t i = 0; i < kMaxFeaturesPerSet; ++i) {
          e.features[0].features.push_back({"f" + std::to_string(i), 1.0});
        }
      },
      "features has 4097 features, more than the limit of 4096");
  return cases;
}

}  // namespace

TEST_CASE("JSON Lines and the wire refuse the same events with the same message") {
  for (const Broken& c : BrokenEvents()) {
    INFO("rule: " << c.rule);
    Result<Event> line = ParseEventLine(FormatEventLine(c.event));
    REQUIRE_FALSE(line.ok());
    CHECK(line.status().message() == c.message);
    EventBatch batch;
    batch.events = {c.event};
    Result<Message> frame = DecodeFrame(EncodeFrame(batch));
    REQUIRE_FALSE(frame.ok());
    CHECK(frame.status().code() == Status::Code::kInvalidArgument);
    CHECK(frame.status().message() == "events[0]." + c.message);
    // The client library checks the same rule before sending.
    CHECK(ValidateEventBatch(batch).message() == "events[0]." + c.message);
  }
}

TEST_CASE("an event at every limit is accepted by both doors and arrives equal") {
  Event e = Plain();
  e.user = std::string(kMaxIdBytes, 'u');
  e.item = "\xc3\xa9t\xc3\xa9";  // "été"
  e.features[0].features.clear();
  for (size_t i = 0; i < kMaxFeaturesPerSet; ++i) {
    e.features[0].features.push_back({"f" + std::to_string(i), i % 2 ? 1e9 : -1e9});
  }
  Result<Event> line = ParseEventLine(FormatEventLine(e));
  REQUIRE(line.ok());
  CHECK(*line == e);
  EventBatch batch;
  batch.events = {e};
  Result<Message> frame = DecodeFrame(EncodeFrame(batch));
  REQUIRE(frame.ok());
  CHECK(std::get<EventBatch>(*frame) == batch);
}

TEST_CASE("invalid UTF-8 is refused by both doors, each naming where") {
  // JSON Lines cannot carry it past the JSON parser; the wire names the field.
  const std::string line = "{\"ts\":1,\"user\":\"u\xff\"}";
  Result<Event> parsed = ParseEventLine(line);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message().find("json: invalid UTF-8 in string") == 0);
  Event e = Plain();
  e.user = "u\xff";
  EventBatch batch;
  batch.events = {e};
  CHECK(DecodeFrame(EncodeFrame(batch)).status().message() ==
        "events[0].user is not valid UTF-8 (bad byte at offset 1)");
}
