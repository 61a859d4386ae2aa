// libFuzzer target: feeds every input to the JSON parser and the JSON Lines
// event parser. Each must return a value or an error, never crash; an event
// that parses must format and parse back to an equal event, and the wire door
// must accept it too (one set of limits): in a frame it decodes to an equal
// event.
//
// Build and run: ./deploy/fuzz.sh (builds both fuzzers with clang).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/codec.h"
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
    driftline::EventBatch batch;
    batch.events = {*event};
    auto frame = driftline::DecodeFrame(driftline::EncodeFrame(batch));
    if (!frame.ok() || !(std::get<driftline::EventBatch>(*frame) == batch)) std::abort();
  }
  return 0;
}
