// libFuzzer target: feeds every input to the JSON parser and the JSON Lines
// event parser. Each must return a value or an error, never crash; an event
// that parses must format and parse back to an equal event.
//
// Build and run: ./deploy/fuzz.sh (builds both fuzzers with clang).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/event_jsonl.h"
#include "protocol/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = driftline::ParseJson(text);
  if (json.ok()) {
    auto again = driftline::ParseJson(driftline::WriteJson(*json));
    if (!again.ok()) std::abort();
  }
  auto event = driftline::ParseEventLine(text);
  if (event.ok()) {
    auto again = driftline::ParseEventLine(driftline::FormatEventLine(*event));
    if (!again.ok() || !(*again == *event)) std::abort();
  }
  return 0;
}
