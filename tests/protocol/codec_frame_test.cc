#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "protocol/codec.h"
#include "sample_messages.h"
#include "wire_bytes.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

template <class T>
T DecodeAs(const std::string& bytes) {
  Result<Message> m = DecodeFrame(bytes);
  INFO(m.status().ToString());
  REQUIRE(m.ok());
  REQUIRE(std::holds_alternative<T>(*m));
  return std::get<T>(*m);
}

}  // namespace

TEST_CASE("an event batch survives a frame round trip") {
  EventBatch b = SampleBatch(5);
  REQUIRE(DecodeAs<EventBatch>(EncodeFrame(b)) == b);
}

TEST_CASE("an empty event batch survives a frame round trip") {
  EventBatch b;
  b.batch_id = 9;
  REQUIRE(DecodeAs<EventBatch>(EncodeFrame(b)) == b);
}

TEST_CASE("a predict request survives a frame round trip") {
  REQUIRE(DecodeAs<PredictRequest>(EncodeFrame(SampleRequest())) == SampleRequest());
}

TEST_CASE("a predict reply survives a frame round trip") {
  REQUIRE(DecodeAs<PredictReply>(EncodeFrame(SampleReply())) == SampleReply());
}

TEST_CASE("an error reply survives a frame round trip") {
  REQUIRE(DecodeAs<ErrorReply>(EncodeFrame(SampleError())) == SampleError());
}

TEST_CASE("a batch ack survives a frame round trip") {
  REQUIRE(DecodeAs<BatchAck>(EncodeFrame(SampleAck())) == SampleAck());
}

TEST_CASE("encoding a Message variant gives the same bytes as the typed overload") {
  REQUIRE(EncodeFrame(Message(SampleReply())) == EncodeFrame(SampleReply()));
  REQUIRE(EncodeFrame(Message(SampleAck())) == EncodeFrame(SampleAck()));
}

TEST_CASE("event fields with defaults and extremes survive a round trip") {
  EventBatch b;
  Event e;
  e.user = std::string("u\0ser", 5);  // embedded NUL is kept
  e.ts_ms = kMaxTimestampMs;
  e.label = 0;
  e.features = {{"d", {{"zero", 0.0}, {"neg", -kMaxFeatureMagnitude}, {"tiny", 5e-324}}}};
  b.events = {e};
  REQUIRE(DecodeAs<EventBatch>(EncodeFrame(b)) == b);
}

TEST_CASE("events outside the accepted ranges are refused with the field named") {
  Event e;
  e.user = "u";
  e.ts_ms = std::numeric_limits<int64_t>::min();
  EventBatch b{1, {e}};
  Result<Message> early = DecodeFrame(EncodeFrame(b));
  REQUIRE(early.status().message().find("events[0].ts must be within") != std::string::npos);
  b.events[0].ts_ms = kMaxTimestampMs + 1;
  REQUIRE_FALSE(DecodeFrame(EncodeFrame(b)).ok());
  b.events[0].ts_ms = 5;
  b.events[0].features = {{"item", {{"price", 1e300}}}};
  Result<Message> huge = DecodeFrame(EncodeFrame(b));
  REQUIRE(huge.status().message().find("must be within +-1e9") != std::string::npos);
  b.events[0].features.clear();
  b.events[0].event_id = "arm/e1";
  Result<Message> reserved = DecodeFrame(EncodeFrame(b));
  REQUIRE(reserved.status().message().find("reserved") != std::string::npos);
}

TEST_CASE("a frame is decoded from a misaligned buffer") {
  const std::string frame = EncodeFrame(SampleBatch());
  std::string shifted = "x" + frame;
  REQUIRE(DecodeAs<EventBatch>(std::string(shifted.substr(1))) == SampleBatch());
  Result<Message> m = DecodeFrame(std::string_view(shifted).substr(1));
  REQUIRE(m.ok());
}

TEST_CASE("a frame with another protocol version is refused naming both versions") {
  std::string frame = EncodeFrame(SampleAck());
  REQUIRE(frame[kVersionOffset] == 1);
  PutUint16(frame, kVersionOffset, 2);
  Result<Message> m = DecodeFrame(frame);
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "unsupported protocol version 2 (this build speaks 1)");
}

TEST_CASE("a frame that carries no message is refused") {
  std::string frame = EncodeFrame(SampleAck());
  PutUint16(frame, kWhichOffset, 0);
  Result<Message> m = DecodeFrame(frame);
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "frame carries no message");
}

TEST_CASE("a frame with a message kind from a newer build is refused") {
  std::string frame = EncodeFrame(SampleAck());
  PutUint16(frame, kWhichOffset, 99);
  Result<Message> m = DecodeFrame(frame);
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "frame carries an unknown message kind 99");
}

TEST_CASE("a frame larger than the byte limit is refused before it is read") {
  DecodeLimits limits;
  limits.max_bytes = 64;
  Result<Message> m = DecodeFrame(EncodeFrame(SampleBatch()), limits);
  REQUIRE(m.status().code() == Status::Code::kResourceExhausted);
}

TEST_CASE("empty, ragged and trailing-byte frames are corruption") {
  REQUIRE(DecodeFrame("").status().code() == Status::Code::kCorruption);
  const std::string frame = EncodeFrame(SampleAck());
  REQUIRE(DecodeFrame(frame + "abc").status().code() == Status::Code::kCorruption);
  Result<Message> trailing = DecodeFrame(frame + std::string(8, '\0'));
  REQUIRE(trailing.status().code() == Status::Code::kCorruption);
  REQUIRE(trailing.status().message() == "frame is malformed: trailing bytes after the message");
}

TEST_CASE("a frame exceeding the traversal limit is corruption, not an allocation") {
  DecodeLimits limits;
  limits.traversal_limit_words = 16;
  Result<Message> m = DecodeFrame(EncodeFrame(SampleBatch(50)), limits);
  REQUIRE(m.status().code() == Status::Code::kCorruption);
  REQUIRE(m.status().message().find("frame is malformed: ") == 0);
}

TEST_CASE("decoding a frame validates its content") {
  EventBatch b = SampleBatch(3);
  b.events[1].features[1].features[0].value = std::nan("");
  Result<Message> m = DecodeFrame(EncodeFrame(b));
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message().find("events[1].features['item']['genre:Drama']") == 0);

  b = SampleBatch(3);
  b.events[0].label = 7;
  REQUIRE(DecodeFrame(EncodeFrame(b)).status().message() == "events[0].label must be 0 or 1, got 7");
  b.events[0].label = -1;  // not "unset" on the wire either
  REQUIRE(DecodeFrame(EncodeFrame(b)).status().code() == Status::Code::kInvalidArgument);

  b = SampleBatch(3);
  b.events[2].user.clear();
  REQUIRE(DecodeFrame(EncodeFrame(b)).status().message() == "events[2].user must not be empty");

  PredictRequest r = SampleRequest();
  r.candidates.clear();
  REQUIRE(DecodeFrame(EncodeFrame(r)).status().message() == "candidates must not be empty");

  PredictReply reply = SampleReply();
  reply.scores[0].probability = std::numeric_limits<double>::infinity();
  REQUIRE(DecodeFrame(EncodeFrame(reply)).status().code() == Status::Code::kInvalidArgument);

  ErrorReply error = SampleError();
  error.code = static_cast<Status::Code>(1000);
  REQUIRE(DecodeFrame(EncodeFrame(error)).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("a batch with more events than the decode limit is refused") {
  DecodeLimits limits;
  limits.content.max_events_per_batch = 2;
  Result<Message> m = DecodeFrame(EncodeFrame(SampleBatch(3)), limits);
  REQUIRE(m.status().code() == Status::Code::kResourceExhausted);
  REQUIRE(m.status().message() == "events has 3 entries, more than the limit of 2");
}

TEST_CASE("a request with more candidates than the decode limit is refused") {
  DecodeLimits limits;
  limits.content.max_candidates = 1;
  REQUIRE(DecodeFrame(EncodeFrame(SampleRequest()), limits).status().code() ==
          Status::Code::kResourceExhausted);
}
