#include <catch2/catch.hpp>
#include <string>

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
