// Event-log records (one PartitionInput each) and canonical event bytes.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "protocol/codec.h"
#include "sample_messages.h"
#include "wire_bytes.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

PartitionInput RoundTrip(const PartitionInput& input) {
  Result<PartitionInput> decoded = DecodePartitionInput(EncodePartitionInput(input));
  INFO(decoded.status().ToString());
  REQUIRE(decoded.ok());
  return *decoded;
}

uint64_t Bits(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

}  // namespace

TEST_CASE("every partition input kind survives an event-log round trip") {
  for (const PartitionInput& input : SamplePartitionInputs()) {
    INFO("input kind " << input.index());
    const PartitionInput decoded = RoundTrip(input);
    REQUIRE(decoded.index() == input.index());
    REQUIRE(decoded == input);
  }
}

TEST_CASE("partition inputs with default fields survive a round trip") {
  REQUIRE(RoundTrip(EventInput{}) == PartitionInput(EventInput{}));
  REQUIRE(RoundTrip(PredictionInput{}) == PartitionInput(PredictionInput{}));
  REQUIRE(RoundTrip(ArmUpdateInput{}) == PartitionInput(ArmUpdateInput{}));
}

TEST_CASE("score parts are kept bit for bit, signed zero, denormals and NaN included") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EventInput e = SampleEventInput();
  e.base_logit = -0.0;
  e.arm_logit = 5e-324;
  const EventInput back = std::get<EventInput>(RoundTrip(e));
  REQUIRE(Bits(back.base_logit) == Bits(-0.0));
  REQUIRE(Bits(back.arm_logit) == Bits(5e-324));

  PredictionInput p = SamplePredictionInput();
  p.prediction.base_logit = nan;
  p.prediction.user_logit = -std::numeric_limits<double>::infinity();
  p.prediction.arm_logit = std::numeric_limits<double>::max();
  const PendingPrediction q = std::get<PredictionInput>(RoundTrip(p)).prediction;
  REQUIRE(Bits(q.base_logit) == Bits(nan));
  REQUIRE(Bits(q.user_logit) == Bits(p.prediction.user_logit));
  REQUIRE(q.arm_logit == std::numeric_limits<double>::max());
}

TEST_CASE("the same input always encodes to byte-identical, canonical bytes") {
  for (const PartitionInput& input : SamplePartitionInputs()) {
    const std::string bytes = EncodePartitionInput(input);
    REQUIRE(EncodePartitionInput(input) == bytes);
    REQUIRE(EncodePartitionInput(*DecodePartitionInput(bytes)) == bytes);
    REQUIRE(bytes.size() % 8 == 0);
  }
}

TEST_CASE("inputs of different kinds or content encode differently") {
  std::vector<std::string> encodings;
  for (const PartitionInput& input : SamplePartitionInputs()) {
    encodings.push_back(EncodePartitionInput(input));
  }
  for (size_t i = 0; i < encodings.size(); ++i) {
    for (size_t j = i + 1; j < encodings.size(); ++j) REQUIRE(encodings[i] != encodings[j]);
  }
  ArmUpdateInput a = SampleArmUpdate();
  a.residual = std::nextafter(a.residual, 0.0);
  REQUIRE(EncodePartitionInput(a) != EncodePartitionInput(SampleArmUpdate()));
}

TEST_CASE("an arm update label outside Int8 saturates so validation still refuses it") {
  ArmUpdateInput a = SampleArmUpdate();
  a.label = 300;
  REQUIRE(std::get<ArmUpdateInput>(RoundTrip(a)).label == 127);
  a.label = -5;
  REQUIRE(std::get<ArmUpdateInput>(RoundTrip(a)).label == -128);
  a.label = 0;
  REQUIRE(std::get<ArmUpdateInput>(RoundTrip(a)).label == 0);
}

TEST_CASE("an event-log record with another format version is refused naming both") {
  std::string bytes = EncodePartitionInput(SampleEventInput());
  REQUIRE(GetUint16(bytes, kVersionOffset) == 2);
  for (uint16_t version : {1, 3}) {
    PutUint16(bytes, kVersionOffset, version);
    Result<PartitionInput> decoded = DecodePartitionInput(bytes);
    REQUIRE(decoded.status().code() == Status::Code::kInvalidArgument);
    REQUIRE(decoded.status().message() == "unsupported event log format version " +
                                              std::to_string(version) + " (this build reads 2)");
  }
}

TEST_CASE("event-log records keep their frozen input ordinals") {
  // EventLogRecord.input: none @2 (tag 0), event @3, prediction @4, armUpdate @5,
  // modelSwitch @6, forget @8 (@7 is the record's epoch).
  REQUIRE(GetUint16(EncodePartitionInput(SampleEventInput()), kWhichOffset) == 1);
  REQUIRE(GetUint16(EncodePartitionInput(SamplePredictionInput()), kWhichOffset) == 2);
  REQUIRE(GetUint16(EncodePartitionInput(SampleArmUpdate()), kWhichOffset) == 3);
  // modelSwitch @6 (tag 4)
  REQUIRE(GetUint16(EncodePartitionInput(ModelSwitchInput{1, "v", DeltaTransform::Reset()}), kWhichOffset) == 4);
  REQUIRE(GetUint16(EncodePartitionInput(ForgetInput{"u"}), kWhichOffset) == 5);  // forget @8
}

TEST_CASE("a record without an input or with an unknown kind is refused") {
  std::string bytes = EncodePartitionInput(SampleArmUpdate());
  PutUint16(bytes, kWhichOffset, 0);
  Result<PartitionInput> none = DecodePartitionInput(bytes);
  REQUIRE(none.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(none.status().message() == "event log record carries no input");
  PutUint16(bytes, kWhichOffset, 42);
  Result<PartitionInput> unknown = DecodePartitionInput(bytes);
  REQUIRE(unknown.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(unknown.status().message() == "event log record carries an unknown input kind 42");
}

TEST_CASE("a record over the byte limit is resource exhausted, a ragged one corruption") {
  DecodeLimits limits = StoredDataLimits();
  limits.max_bytes = 64;
  const std::string bytes = EncodePartitionInput(SamplePredictionInput());
  REQUIRE(DecodePartitionInput(bytes, limits).status().code() ==
          Status::Code::kResourceExhausted);
  REQUIRE(DecodePartitionInput(bytes + "x").status().code() == Status::Code::kCorruption);
  REQUIRE(DecodePartitionInput("").status().code() == Status::Code::kCorruption);
  Result<PartitionInput> trailing = DecodePartitionInput(bytes + std::string(8, '\0'));
  REQUIRE(trailing.status().message() ==
          "event log record is malformed: trailing bytes after the message");
}

TEST_CASE("decoding a record does not re-validate its content") {
  EventInput e = SampleEventInput();
  e.event.user.clear();
  REQUIRE(RoundTrip(e) == PartitionInput(e));
}

TEST_CASE("canonical event bytes are equal for equal events and differ otherwise") {
  REQUIRE(CanonicalEventBytes(SampleEvent(3)) == CanonicalEventBytes(SampleEvent(3)));
  REQUIRE(CanonicalEventBytes(SampleEvent(3)) != CanonicalEventBytes(SampleEvent(4)));
  Event unlabelled = SampleEvent(2);
  unlabelled.label.reset();
  Event zero = SampleEvent(2);
  zero.label = 0;
  REQUIRE(CanonicalEventBytes(unlabelled) != CanonicalEventBytes(zero));
  REQUIRE(CanonicalEventBytes(SampleEvent(1)).size() % 8 == 0);
}
