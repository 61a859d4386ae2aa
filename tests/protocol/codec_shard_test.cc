// The cluster wire (protocol/shard_codec.h): every message kind round-trips
// exactly, carries (partition, epoch), and malformed, foreign-version and
// invalid frames are refused with a message that names the problem.
#include <catch2/catch.hpp>

#include <limits>

#include "protocol/shard_codec.h"
#include "tests/protocol/sample_messages.h"
#include "tests/protocol/wire_bytes.h"

namespace driftline {
namespace {

using testing::GetUint16;
using testing::kVersionOffset;
using testing::kWhichOffset;
using testing::PutUint16;

SparseFeatures SampleSparse(int i) { return {{0, 1.0}, {static_cast<uint32_t>(100 + i), 0.5}}; }

std::vector<ShardMessage> SampleShardMessages() {
  ArmUpdateInput second = testing::SampleArmUpdate();
  second.ordinal = {13, 0};
  second.previous = {12, 3};
  return {
      UserPartRead{1, {3, 2}, "u1", {SampleSparse(1), SampleSparse(2)}},
      UserPartReply{1, {3, 2}, {0.25, -1.5}},
      ArmPartsRead{2, {5, 1}, {{"item-1", SampleSparse(1)}, {"item-2", SampleSparse(2)}}},
      ArmPartsReply{2, {5, 1}, {{0.5, 3.0, 1.0}, {-0.25, 0.0, 2.0}}},
      EventAppend{3, {7, 4}, {testing::SampleEventInput(), EventInput{testing::SampleEvent(10), 0.0, 0.0}}},
      EventAppendReply{3, {7, 4}, 1, 1, 1, "event e-9 at ts_ms 9 is too far ahead"},
      PredictionAppend{4, {7, 4}, testing::SamplePredictionInput()},
      ArmUpdateBatch{5, {2, 1}, {9, 3}, {testing::SampleArmUpdate(), second}},
      ArmUpdateConfirm{6, {9, 3}, {2, 1}, {13, 0}},
      ModelActivation{7, "mt-2026-12", {{0, 1}, {4, 2}}, std::string("art\0ifact", 9)},
      ShardError{8, Status::Code::kFailedPrecondition,
                 "partition 7: stale epoch 3 (this owner is at epoch 4)", true, {7, 4}, 3},
      ShardOk{9, {7, 4}, "logged"},
      ShardPing{10},
  };
}

Result<ShardMessage> RoundTrip(const ShardMessage& m) { return DecodeShardFrame(EncodeShardFrame(m)); }

TEST_CASE("every cluster message kind round-trips exactly through one frame") {
  const auto samples = SampleShardMessages();
  REQUIRE(samples.size() == std::variant_size_v<ShardMessage>);
  for (const ShardMessage& m : samples) {
    INFO(ShardMessageName(m));
    Result<ShardMessage> back = RoundTrip(m);
    REQUIRE(back.ok());
    REQUIRE(back->index() == m.index());
    REQUIRE(*back == m);
    REQUIRE(ShardRequestId(*back) == ShardRequestId(m));
  }
}

TEST_CASE("cluster frames carry the cluster protocol version and frozen kind ordinals") {
  const auto samples = SampleShardMessages();
  for (size_t i = 0; i < samples.size(); ++i) {
    const std::string bytes = EncodeShardFrame(samples[i]);
    REQUIRE(GetUint16(bytes, kVersionOffset) == kShardProtocolVersion);
    // ShardFrame.body: none @1 (tag 0), then the kinds in variant order.
    REQUIRE(GetUint16(bytes, kWhichOffset) == i + 1);
  }
}

TEST_CASE("a cluster frame of another protocol version is refused naming both versions") {
  std::string bytes = EncodeShardFrame(SampleShardMessages()[0]);
  PutUint16(bytes, kVersionOffset, 2);
  Result<ShardMessage> decoded = DecodeShardFrame(bytes);
  REQUIRE(decoded.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(decoded.status().message() == "unsupported cluster protocol version 2 (this build speaks 1)");
}

TEST_CASE("a cluster frame without a message or of an unknown kind is refused") {
  std::string bytes = EncodeShardFrame(SampleShardMessages()[11]);
  PutUint16(bytes, kWhichOffset, 0);
  REQUIRE(DecodeShardFrame(bytes).status().message() == "cluster frame carries no message");
  PutUint16(bytes, kWhichOffset, 99);
  REQUIRE(DecodeShardFrame(bytes).status().message() == "cluster frame carries an unknown message kind 99");
}

TEST_CASE("truncated, padded and foreign bytes are corruption, never a crash") {
  const std::string bytes = EncodeShardFrame(SampleShardMessages()[4]);
  for (size_t cut : {size_t{0}, size_t{3}, size_t{8}, bytes.size() / 2, bytes.size() - 8}) {
    INFO(cut);
    REQUIRE(DecodeShardFrame(bytes.substr(0, cut)).status().code() == Status::Code::kCorruption);
  }
  REQUIRE(DecodeShardFrame(bytes + std::string(8, '\0')).status().code() == Status::Code::kCorruption);
  // A client-wire frame is not a cluster frame: its kind is refused.
  const std::string client = EncodeFrame(testing::SampleBatch());
  REQUIRE_FALSE(DecodeShardFrame(client).ok());
  // Misaligned bytes (as ZeroMQ delivers them) decode the same.
  std::string shifted = "x" + bytes;
  REQUIRE(DecodeShardFrame(std::string_view(shifted).substr(1)).ok());
}

TEST_CASE("a cluster frame over the byte limit is refused before it is read") {
  DecodeLimits limits;
  limits.max_bytes = 64;
  const std::string bytes = EncodeShardFrame(SampleShardMessages()[4]);
  REQUIRE(bytes.size() > 64);
  REQUIRE(DecodeShardFrame(bytes, limits).status().code() == Status::Code::kResourceExhausted);
}

TEST_CASE("a message without an epoch is refused naming the partition") {
  UserPartRead read{1, {3, 0}, "u1", {SampleSparse(1)}};
  Result<ShardMessage> decoded = RoundTrip(read);
  REQUIRE(decoded.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(decoded.status().message() == "target.epoch must be at least 1 (partition 3), got 0");
  ArmUpdateBatch batch = std::get<ArmUpdateBatch>(SampleShardMessages()[7]);
  batch.source.epoch = 0;
  REQUIRE(RoundTrip(batch).status().message() == "source.epoch must be at least 1 (partition 2), got 0");
}

TEST_CASE("invalid cluster messages are refused naming the field") {
  UserPartRead no_candidates{1, {3, 1}, "u1", {}};
  REQUIRE(RoundTrip(no_candidates).status().message() == "candidates must not be empty");
  UserPartRead nan{1, {3, 1}, "u1", {{{4, std::numeric_limits<double>::quiet_NaN()}}}};
  REQUIRE(RoundTrip(nan).status().message() == "candidates[0][0].value must be finite, got nan");
  ArmPartsRead no_arm{1, {3, 1}, {{"", SampleSparse(0)}}};
  REQUIRE(RoundTrip(no_arm).status().message() == "arms[0].arm must not be empty");

  EventAppend bad_event = std::get<EventAppend>(SampleShardMessages()[4]);
  bad_event.inputs[1].event.user.clear();
  Result<ShardMessage> refused = RoundTrip(bad_event);
  REQUIRE(refused.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(refused.status().message().rfind("inputs[1].event.user", 0) == 0);

  ArmUpdateBatch batch = std::get<ArmUpdateBatch>(SampleShardMessages()[7]);
  ArmUpdateBatch foreign = batch;
  foreign.updates[1].source_partition = 4;
  REQUIRE(RoundTrip(foreign).status().message() ==
          "updates[1].source_partition 4 is not the batch's source partition 2");
  ArmUpdateBatch unordered = batch;
  std::swap(unordered.updates[0], unordered.updates[1]);
  REQUIRE(RoundTrip(unordered).status().message() ==
          "updates[1].ordinal must be greater than the previous update's");
  ArmUpdateBatch unstamped = batch;
  unstamped.updates[0].ordinal = {};
  REQUIRE(RoundTrip(unstamped).status().message() ==
          "updates[0] carries no source ordinal (sequence, index)");

  ModelActivation twice = std::get<ModelActivation>(SampleShardMessages()[9]);
  twice.partitions.push_back({4, 2});
  REQUIRE(RoundTrip(twice).status().message() == "partitions[2] repeats partition 4");

  ShardError ok_code = std::get<ShardError>(SampleShardMessages()[10]);
  ok_code.code = Status::Code::kOk;
  REQUIRE(RoundTrip(ok_code).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("list counts over the content limits are resource exhausted") {
  DecodeLimits limits;
  limits.content.max_candidates = 1;
  limits.content.max_events_per_batch = 1;
  const auto samples = SampleShardMessages();
  for (size_t i : {0, 2, 4, 7}) {
    INFO(ShardMessageName(samples[i]));
    REQUIRE(DecodeShardFrame(EncodeShardFrame(samples[i]), limits).status().code() ==
            Status::Code::kResourceExhausted);
  }
}

TEST_CASE("an event-log record keeps the epoch of the owner that appended it") {
  for (const PartitionInput& input : testing::SamplePartitionInputs()) {
    const std::string bytes = EncodePartitionInput(input, 7);
    Result<LogRecordInput> record = DecodeLogRecord(bytes);
    REQUIRE(record.ok());
    REQUIRE(record->epoch == 7);
    REQUIRE(record->input == input);
    REQUIRE(*DecodePartitionInput(bytes) == input);
  }
  // Without an epoch the record reads as one written before epochs were
  // recorded: epoch 0.
  const std::string old = EncodePartitionInput(testing::SampleEventInput());
  REQUIRE(old == EncodePartitionInput(testing::SampleEventInput(), 0));
  REQUIRE(DecodeLogRecord(old)->epoch == 0);
}

}  // namespace
}  // namespace driftline
