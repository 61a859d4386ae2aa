#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "protocol/codec.h"
#include "sample_messages.h"

using namespace driftline;
using driftline::testing::SampleSnapshot;

TEST_CASE("a partition checkpoint survives a round trip") {
  const PartitionSnapshot s = SampleSnapshot();
  Result<PartitionSnapshot> decoded = DecodeCheckpoint(EncodeCheckpoint(s));
  INFO(decoded.status().ToString());
  REQUIRE(decoded.ok());
  REQUIRE(*decoded == s);
}

TEST_CASE("an empty partition checkpoint survives a round trip") {
  PartitionSnapshot s;
  Result<PartitionSnapshot> decoded = DecodeCheckpoint(EncodeCheckpoint(s));
  REQUIRE(decoded.ok());
  REQUIRE(*decoded == s);
}

TEST_CASE("the same checkpoint always encodes to byte-identical bytes") {
  const std::string bytes = EncodeCheckpoint(SampleSnapshot());
  REQUIRE(EncodeCheckpoint(SampleSnapshot()) == bytes);
  REQUIRE(EncodeCheckpoint(*DecodeCheckpoint(bytes)) == bytes);
}

TEST_CASE("a checkpoint with another format version is refused") {
  std::string bytes = EncodeCheckpoint(SampleSnapshot());
  bytes[16] = 2;  // PartitionCheckpoint.formatVersion
  Result<PartitionSnapshot> decoded = DecodeCheckpoint(bytes);
  REQUIRE(decoded.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(decoded.status().message() ==
          "unsupported checkpoint format version 2 (this build reads 1)");
}

TEST_CASE("a checkpoint over the byte limit is refused as resource exhausted") {
  DecodeLimits limits = StoredDataLimits();
  limits.max_bytes = 128;
  REQUIRE(DecodeCheckpoint(EncodeCheckpoint(SampleSnapshot()), limits).status().code() ==
          Status::Code::kResourceExhausted);
}

TEST_CASE("a checkpoint keeps pending score parts, replay examples and the clock exactly") {
  const PartitionSnapshot s = SampleSnapshot();
  REQUIRE(s.pending.size() == 2);
  REQUIRE(s.replay.size() == 2);
  Result<PartitionSnapshot> decoded = DecodeCheckpoint(EncodeCheckpoint(s));
  REQUIRE(decoded.ok());
  REQUIRE(decoded->clock_ms == s.clock_ms);
  REQUIRE(decoded->pending[0].base_logit == s.pending[0].base_logit);
  REQUIRE(decoded->pending[0].user_logit == s.pending[0].user_logit);
  REQUIRE(decoded->pending[0].arm_logit == s.pending[0].arm_logit);
  REQUIRE(std::signbit(decoded->pending[1].base_logit));  // -0.0 stays -0.0
  REQUIRE(decoded->pending[1].user_logit == 5e-324);
  REQUIRE(decoded->replay == s.replay);  // events, score parts and slot order
}

TEST_CASE("every new checkpoint field changes the encoding") {
  const std::string base = EncodeCheckpoint(SampleSnapshot());
  auto differs = [&](void (*change)(PartitionSnapshot&)) {
    PartitionSnapshot s = SampleSnapshot();
    change(s);
    return EncodeCheckpoint(s) != base;
  };
  REQUIRE(differs([](PartitionSnapshot& s) { s.clock_ms += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.pending[0].base_logit += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.pending[0].user_logit += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.pending[0].arm_logit += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.replay[0].base_logit += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.replay[1].arm_logit += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.replay[1].event.label = 0; }));
  REQUIRE(differs([](PartitionSnapshot& s) { std::swap(s.replay[0], s.replay[1]); }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.pending[1].base_logit = 0.0; }));  // was -0.0
  REQUIRE(differs([](PartitionSnapshot& s) { s.model_activation += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.model_version += "x"; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.users[0].last_touch_ms += 1; }));
  REQUIRE(differs([](PartitionSnapshot& s) { s.arms[0].last_touch_ms += 1; }));
}

TEST_CASE("a checkpoint with a negative clock and an unlabelled replay event round trips") {
  PartitionSnapshot s = SampleSnapshot();
  s.clock_ms = std::numeric_limits<int64_t>::min();
  s.replay[0].event.label.reset();
  Result<PartitionSnapshot> decoded = DecodeCheckpoint(EncodeCheckpoint(s));
  REQUIRE(decoded.ok());
  REQUIRE(*decoded == s);
}
