// Administration messages in client-wire frames: round trips, frozen union
// ordinals, and the validation DecodeFrame runs on them.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

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

template <class T>
void RequireRoundTrip(const T& message) {
  REQUIRE(DecodeAs<T>(EncodeFrame(message)) == message);
}

}  // namespace

TEST_CASE("every administration message survives a frame round trip") {
  RequireRoundTrip(SampleRegister());
  RequireRoundTrip(SampleActivate());
  RequireRoundTrip(SampleRollback());
  RequireRoundTrip(SampleModelReply());
  RequireRoundTrip(SampleStatusRequest());
  RequireRoundTrip(SampleStatusReply());
  RequireRoundTrip(SampleStall());
  RequireRoundTrip(SampleOk());
  RequireRoundTrip(SampleForget());
  RequireRoundTrip(SampleForgetReply());
}

TEST_CASE("administration messages with default and extreme fields survive a round trip") {
  RequireRoundTrip(ModelRollbackRequest{});
  RequireRoundTrip(ModelReply{});
  RequireRoundTrip(StatusRequest{~uint64_t{0}});
  RequireRoundTrip(StatusReply{});
  RequireRoundTrip(StatusReply{1, "", ~uint32_t{0}, {{"min", std::numeric_limits<int64_t>::min()},
                                                       {"max", std::numeric_limits<int64_t>::max()}}});
  RequireRoundTrip(StallPartitionRequest{2, ~uint32_t{0}, 0});
  RequireRoundTrip(StallPartitionRequest{2, 3, kMaxStallMs});
  RequireRoundTrip(OkReply{});
  RequireRoundTrip(ForgetUserReply{});
  RequireRoundTrip(ForgetUserRequest{~uint64_t{0}, std::string(kMaxIdBytes, 'u')});
  RequireRoundTrip(OkReply{3, std::string("a\0b", 3)});
  RequireRoundTrip(ModelActivateRequest{4, std::string(kMaxModelVersionBytes, 'v')});
}

TEST_CASE("a registered artifact travels as raw bytes, NUL and high bytes included") {
  std::string bytes;
  for (int i = 0; i < 512; ++i) bytes.push_back(static_cast<char>(i));
  RequireRoundTrip(ModelRegisterRequest{5, bytes});
  RequireRoundTrip(ModelRegisterRequest{6, std::string(1, '\0')});
}

TEST_CASE("encoding any Message variant gives the same bytes as its typed overload") {
  const std::vector<Message> messages = {
      SampleBatch(),       SampleRequest(),     SampleReply(),      SampleError(),
      SampleAck(),         SampleRegister(),    SampleActivate(),   SampleRollback(),
      SampleModelReply(),  SampleStatusRequest(), SampleStatusReply(), SampleStall(),
      SampleOk(),          SampleForget(),      SampleForgetReply()};
  REQUIRE(messages.size() == std::variant_size_v<Message>);
  const std::vector<std::string> frames = SampleFrames();
  REQUIRE(frames.size() == messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    INFO("message kind " << i);
    REQUIRE(messages[i].index() == i);
    REQUIRE(EncodeFrame(messages[i]) == frames[i]);
    Result<Message> decoded = DecodeFrame(frames[i]);
    REQUIRE(decoded.ok());
    REQUIRE(*decoded == messages[i]);
  }
}

TEST_CASE("administration frames keep their frozen union ordinals") {
  // Frame.body: none @1 (tag 0) .. batchAck @6 (tag 5), then the admin kinds
  // @7 .. @14 (tags 6 .. 13), then forgetUserRequest @15 and forgetUserReply
  // @16 (tags 14, 15), in Message's order.
  const std::vector<std::string> frames = SampleFrames();
  for (size_t i = 0; i < frames.size(); ++i) {
    INFO("message kind " << i);
    REQUIRE(GetUint16(frames[i], kWhichOffset) == i + 1);
  }
}

TEST_CASE("a register request without an artifact is refused naming the field") {
  Result<Message> m = DecodeFrame(EncodeFrame(ModelRegisterRequest{1, ""}));
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "artifact must not be empty");
}

TEST_CASE("a register request over the artifact size limit is resource exhausted") {
  DecodeLimits limits;
  limits.content.max_artifact_bytes = 100;
  Result<Message> m = DecodeFrame(EncodeFrame(ModelRegisterRequest{1, std::string(101, 'a')}),
                                  limits);
  REQUIRE(m.status().code() == Status::Code::kResourceExhausted);
  REQUIRE(m.status().message() == "artifact of 101 bytes exceeds the limit of 100 bytes");
  REQUIRE(DecodeFrame(EncodeFrame(ModelRegisterRequest{1, std::string(100, 'a')}), limits).ok());
}

TEST_CASE("an activate request needs a version of 1 to 256 bytes") {
  REQUIRE(DecodeFrame(EncodeFrame(ModelActivateRequest{1, ""})).status().message() ==
          "version must not be empty");
  Result<Message> m = DecodeFrame(EncodeFrame(ModelActivateRequest{1, std::string(257, 'v')}));
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "version of 257 bytes is longer than the limit of 256 bytes");
}

TEST_CASE("a stall longer than a minute is refused naming the field") {
  Result<Message> m = DecodeFrame(EncodeFrame(StallPartitionRequest{1, 0, kMaxStallMs + 1}));
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "duration_ms must be at most 60000, got 60001");
}

TEST_CASE("a status reply with an unnamed counter is refused naming the counter") {
  StatusReply reply = SampleStatusReply();
  reply.counters[1].name.clear();
  Result<Message> m = DecodeFrame(EncodeFrame(reply));
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() == "counters[1].name must not be empty");
}

TEST_CASE("an administration frame from another protocol version is refused") {
  std::string frame = EncodeFrame(SampleStall());
  PutUint16(frame, kVersionOffset, 2);
  REQUIRE(DecodeFrame(frame).status().message() ==
          "unsupported protocol version 2 (this build speaks 1)");
}

TEST_CASE("an activation or rollback without a delta transform decodes as the node's default (unset)") {
  RequireRoundTrip(ModelActivateRequest{1, "v", std::nullopt});
  RequireRoundTrip(ModelRollbackRequest{2, std::nullopt});
  RequireRoundTrip(ModelActivateRequest{3, "v", DeltaTransform::Keep()});
  CHECK_FALSE(DecodeAs<ModelActivateRequest>(EncodeFrame(ModelActivateRequest{1, "v"})).deltas.has_value());
}

TEST_CASE("an activation or rollback whose decay factor is outside (0, 1) is refused by the decoder") {
  for (double factor : {0.0, 1.0, 1.5, -0.5, std::numeric_limits<double>::quiet_NaN()}) {
    INFO(factor);
    Result<Message> activate = DecodeFrame(EncodeFrame(ModelActivateRequest{1, "v", DeltaTransform::Decay(factor)}));
    REQUIRE(activate.status().code() == Status::Code::kInvalidArgument);
    CHECK(activate.status().message().find("strictly between 0 and 1") != std::string::npos);
    Result<Message> rollback = DecodeFrame(EncodeFrame(ModelRollbackRequest{1, DeltaTransform::Decay(factor)}));
    REQUIRE(rollback.status().code() == Status::Code::kInvalidArgument);
  }
  // A kind this build does not know is refused too, naming it.
  Result<Message> unknown = DecodeFrame(
      EncodeFrame(ModelActivateRequest{1, "v", DeltaTransform{static_cast<DeltaTransform::Kind>(9), 0.5}}));
  REQUIRE(unknown.status().code() == Status::Code::kInvalidArgument);
  CHECK(unknown.status().message().find("unknown deltas transform kind 9") != std::string::npos);
}

TEST_CASE("a forget request needs a user id of 1 to 1024 bytes of valid UTF-8, each refusal naming it") {
  for (const auto& [user, expected] : std::vector<std::pair<std::string, std::string>>{
           {"", "user must not be empty"},
           {std::string(kMaxIdBytes + 1, 'u'), "user is 1025 bytes long, more than the limit of 1024 bytes"},
           {std::string("ab\xff"), "user is not valid UTF-8 (bad byte at offset 2)"}}) {
    Result<Message> m = DecodeFrame(EncodeFrame(ForgetUserRequest{9, user}));
    REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
    REQUIRE(m.status().message() == expected);
  }
}

TEST_CASE("a forget reply sent to a node is refused by its kind") {
  bool unexpected = false;
  Result<Message> m = DecodeRequestFrame(EncodeFrame(SampleForgetReply()), DecodeLimits{}, &unexpected);
  REQUIRE(unexpected);
  REQUIRE(m.status().message().rfind("unexpected message kind ForgetUserReply: ", 0) == 0);
}
