// The door rules (protocol/validate.h) through the in-process codec: a frame
// that breaks one is refused with a message naming the field and the limit,
// and a frame of a kind a node does not take is refused by its kind.
#include <catch2/catch.hpp>

#include <string>

#include "protocol/codec.h"
#include "protocol/validate.h"
#include "sample_messages.h"

using namespace driftline;
using driftline::testing::SampleBatch;
using driftline::testing::SampleReply;
using driftline::testing::SampleRequest;

namespace {

// The message DecodeFrame gives for `m`, "" if it decodes.
template <class T>
std::string Refusal(const T& m) {
  Result<Message> decoded = DecodeFrame(EncodeFrame(m));
  return decoded.ok() ? "" : decoded.status().message();
}

EventBatch BatchWith(Event e) {
  EventBatch b;
  b.events = {std::move(e)};
  return b;
}

Event Plain() {
  Event e;
  e.ts_ms = 1;
  e.user = "u";
  e.item = "i";
  e.event_id = "id";
  return e;
}

}  // namespace

TEST_CASE("an id longer than the limit is refused on the wire naming field, size and limit") {
  Event e = Plain();
  e.user = std::string(1 << 20, 'u');  // 1 MiB: JSON Lines refused it, the wire took it
  REQUIRE(Refusal(BatchWith(e)) ==
          "events[0].user is 1048576 bytes long, more than the limit of 1024 bytes");
  e = Plain();
  e.user = std::string(kMaxIdBytes, 'u');  // exactly the limit is fine
  REQUIRE(Refusal(BatchWith(e)).empty());
  for (std::string Event::*field : {&Event::item, &Event::event_id, &Event::prediction_id}) {
    e = Plain();
    e.*field = std::string(kMaxIdBytes + 1, 'x');
    CHECK(Refusal(BatchWith(e)).find("bytes long, more than the limit of 1024 bytes") !=
          std::string::npos);
  }
  PredictRequest r = SampleRequest();
  r.user = std::string(kMaxIdBytes + 1, 'u');
  CHECK(Refusal(r) == "user is 1025 bytes long, more than the limit of 1024 bytes");
  r = SampleRequest();
  r.candidates[1].item = std::string(kMaxIdBytes + 1, 'c');
  CHECK(Refusal(r) == "candidates[1].item is 1025 bytes long, more than the limit of 1024 bytes");
  e = Plain();
  e.features = {{"item", {{std::string(kMaxIdBytes + 1, 'f'), 1.0}}}};
  CHECK(Refusal(BatchWith(e)) == "events[0].features['item'][0].name is 1025 bytes long, more "
                                 "than the limit of 1024 bytes");
}

TEST_CASE("ids that are not valid UTF-8 are refused on the wire naming the byte") {
  Event e = Plain();
  e.user = "ok\xff";
  REQUIRE(Refusal(BatchWith(e)) == "events[0].user is not valid UTF-8 (bad byte at offset 2)");
  e = Plain();
  e.item = "\xed\xa0\x80";  // a UTF-16 surrogate
  CHECK(Refusal(BatchWith(e)) == "events[0].item is not valid UTF-8 (bad byte at offset 0)");
  e = Plain();
  e.features = {{"it\xc0\xafm", {{"x", 1.0}}}};  // overlong '/'
  CHECK(Refusal(BatchWith(e)) == "events[0].features[0].name is not valid UTF-8 (bad byte at offset 2)");
  PredictRequest r = SampleRequest();
  r.candidates[2].item = "\xf4\x90\x80\x80";  // above U+10FFFF
  CHECK(Refusal(r) == "candidates[2].item is not valid UTF-8 (bad byte at offset 0)");
  e = Plain();
  e.user = "\xc3\xa9t\xc3\xa9 \xf0\x9f\x8d\x95";  // "été 🍕" is fine
  CHECK(Refusal(BatchWith(e)).empty());
}

TEST_CASE("a predict request listing a candidate twice is refused naming both positions") {
  PredictRequest r = SampleRequest();
  r.candidates.push_back(r.candidates[0]);
  REQUIRE(Refusal(r) == "candidates[3].item 'a' repeats candidates[0].item (each candidate must "
                        "be listed once)");
  r = SampleRequest();
  r.candidates[2].item = "b";
  CHECK(Refusal(r).find("candidates[2].item 'b' repeats candidates[1].item") == 0);
}

TEST_CASE("duplicate, empty and too many feature names are refused on the wire as in JSON Lines") {
  Event e = Plain();
  e.features = {{"item", {{"g", 1.0}, {"h", 1.0}, {"g", 2.0}}}};
  CHECK(Refusal(BatchWith(e)) == "events[0].features['item']['g'] appears twice");
  e.features = {{"item", {{"g", 1.0}}}, {"user", {}}, {"item", {{"h", 1.0}}}};
  CHECK(Refusal(BatchWith(e)) == "events[0].features['item'] appears twice");
  e.features = {{"", {{"g", 1.0}}}};
  CHECK(Refusal(BatchWith(e)) == "events[0].features[0] has an empty namespace name");
  e.features = {{"a", {}}, {"b", {}}};
  for (size_t i = 0; i <= kMaxFeaturesPerSet; ++i) {
    e.features[i % 2].features.push_back({"f" + std::to_string(i), 1.0});
  }
  CHECK(Refusal(BatchWith(e)) == "events[0].features has 4097 features, more than the limit of 4096");
  PredictRequest r = SampleRequest();
  r.context = {{"ctx", {{"hour", 1.0}, {"hour", 2.0}}}};
  CHECK(Refusal(r) == "context['ctx']['hour'] appears twice");
}

TEST_CASE("a node refuses a reply kind by its kind before reading its content") {
  PredictReply reply = SampleReply();
  reply.scores[0].probability = 7.0;  // would fail validation: the kind is named instead
  bool unexpected = false;
  Result<Message> m = DecodeRequestFrame(EncodeFrame(reply), DecodeLimits{}, &unexpected);
  REQUIRE(m.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(m.status().message() ==
          std::string("unexpected message kind PredictReply: ") + kRequestKindsAccepted);
  REQUIRE(unexpected);
  for (const std::string& frame :
       {EncodeFrame(BatchAck{1, 2, 0}), EncodeFrame(ErrorReply{1, Status::Code::kInternal, "x"}),
        EncodeFrame(ModelReply{1, "v", "h"}), EncodeFrame(StatusReply{}), EncodeFrame(OkReply{})}) {
    unexpected = false;
    CHECK(DecodeRequestFrame(frame, DecodeLimits{}, &unexpected).status().message().find(
              "unexpected message kind ") == 0);
    CHECK(unexpected);
  }
  // Requests decode as with DecodeFrame, bad ones with their own message.
  REQUIRE(DecodeRequestFrame(EncodeFrame(SampleRequest()), DecodeLimits{}, &unexpected).ok());
  CHECK_FALSE(unexpected);
  EventBatch b = SampleBatch(2);
  b.events[1].user.clear();
  CHECK(DecodeRequestFrame(EncodeFrame(b), DecodeLimits{}, &unexpected).status().message() ==
        "events[1].user must not be empty");
  CHECK_FALSE(unexpected);
  // DecodeFrame (a client reading replies) still takes every kind.
  CHECK(DecodeFrame(EncodeFrame(SampleReply())).ok());
}

TEST_CASE("a frame over the byte limit is refused naming its size and the limit") {
  ModelRegisterRequest big{1, std::string(size_t{17} << 20, 'a')};
  Result<Message> m = DecodeRequestFrame(EncodeFrame(big));
  REQUIRE(m.status().code() == Status::Code::kResourceExhausted);
  REQUIRE(m.status().message().find("frame of ") == 0);
  REQUIRE(m.status().message().find(" bytes exceeds the limit of 16777216 bytes") !=
          std::string::npos);
}
