#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "protocol/codec.h"
#include "protocol/sha256.h"
#include "sample_messages.h"

using namespace driftline;
using driftline::testing::SampleArtifact;

namespace {

// Position of the first occurrence of a double's 8 bytes in `bytes`.
size_t FindDouble(const std::string& bytes, double v) {
  char raw[8];
  std::memcpy(raw, &v, 8);
  return bytes.find(std::string(raw, 8));
}

}  // namespace

TEST_CASE("an artifact survives a round trip with its content hash filled in") {
  const ModelArtifact a = SampleArtifact();
  Result<ModelArtifact> decoded = DecodeArtifact(EncodeArtifact(a));
  INFO(decoded.status().ToString());
  REQUIRE(decoded.ok());
  REQUIRE(decoded->content_hash.size() == 64);
  REQUIRE(decoded->content_hash == ArtifactContentHash(a));
  ModelArtifact expected = a;
  expected.content_hash = decoded->content_hash;
  REQUIRE(*decoded == expected);
}

TEST_CASE("the same artifact always encodes to byte-identical bytes") {
  const ModelArtifact a = SampleArtifact();
  const std::string first = EncodeArtifact(a);
  REQUIRE(EncodeArtifact(a) == first);
  // A value rebuilt from the decoded bytes, with a stale hash, encodes the same.
  ModelArtifact rebuilt = *DecodeArtifact(first);
  rebuilt.content_hash = "stale";
  REQUIRE(EncodeArtifact(rebuilt) == first);
}

TEST_CASE("the content hash ignores the input's content_hash field and tracks every other field") {
  ModelArtifact a = SampleArtifact();
  const std::string hash = ArtifactContentHash(a);
  a.content_hash = "anything";
  REQUIRE(ArtifactContentHash(a) == hash);
  a.snapshot.event_count += 1;
  REQUIRE(ArtifactContentHash(a) != hash);
}

TEST_CASE("an artifact with a flipped weight is refused as corruption") {
  const ModelArtifact a = SampleArtifact();
  std::string bytes = EncodeArtifact(a);
  const size_t at = FindDouble(bytes, a.weights[10].weight);
  REQUIRE(at != std::string::npos);
  bytes[at] ^= 0x01;
  Result<ModelArtifact> decoded = DecodeArtifact(bytes);
  REQUIRE(decoded.status().code() == Status::Code::kCorruption);
  REQUIRE(decoded.status().message().find("artifact content hash mismatch") == 0);
}

TEST_CASE("an artifact with an altered recorded hash is refused as corruption") {
  const ModelArtifact a = SampleArtifact();
  std::string bytes = EncodeArtifact(a);
  const size_t at = bytes.find(ArtifactContentHash(a));
  REQUIRE(at != std::string::npos);
  bytes[at] = bytes[at] == '0' ? '1' : '0';
  REQUIRE(DecodeArtifact(bytes).status().code() == Status::Code::kCorruption);
}

TEST_CASE("an artifact with another format version is refused naming the version") {
  std::string bytes = EncodeArtifact(SampleArtifact());
  bytes[16] = 3;  // ModelArtifact.formatVersion: first data field of the root
  Result<ModelArtifact> decoded = DecodeArtifact(bytes);
  REQUIRE(decoded.status().code() == Status::Code::kInvalidArgument);
  REQUIRE(decoded.status().message() ==
          "unsupported artifact format version 3 (this build reads 1)");
}

TEST_CASE("an artifact whose content is invalid is refused even with a matching hash") {
  ModelArtifact a = SampleArtifact();
  a.config.hashing.bits = 40;
  REQUIRE(DecodeArtifact(EncodeArtifact(a)).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("an empty artifact round trips") {
  ModelArtifact a;
  Result<ModelArtifact> decoded = DecodeArtifact(EncodeArtifact(a));
  REQUIRE(decoded.ok());
  a.content_hash = decoded->content_hash;
  REQUIRE(*decoded == a);
}

TEST_CASE("the artifact hash is the sha256 of the canonical bytes without the hash") {
  // Cross-check against an independent path: hashing a re-encoding must not
  // depend on the recorded hash.
  const ModelArtifact a = SampleArtifact();
  ModelArtifact b = a;
  b.content_hash = ArtifactContentHash(a);
  REQUIRE(ArtifactContentHash(b) == ArtifactContentHash(a));
  REQUIRE(ArtifactContentHash(a) != Sha256Hex(EncodeArtifact(a)));
}
