// Key encodings: round trips, and bytewise order equal to numeric order.
#include <algorithm>
#include <limits>
#include <random>
#include <tuple>

#include "store_fixtures.h"
#include "storage/keys.h"

namespace driftline::storage::testing {
namespace {

TEST_CASE("event keys are 4-byte big-endian partition then 8-byte big-endian sequence", "[storage][keys]") {
  std::string key = keys::EventKey(0x01020304u, 0x05060708090a0b0cull);
  CHECK(key == std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 12));
  uint32_t partition = 0;
  uint64_t sequence = 0;
  REQUIRE(keys::DecodeEventKey(key, &partition, &sequence));
  CHECK(partition == 0x01020304u);
  CHECK(sequence == 0x05060708090a0b0cull);
  CHECK_FALSE(keys::DecodeEventKey(keys::EventHeadKey(1), &partition, &sequence));
}

TEST_CASE("big-endian event keys sort like (partition, sequence) numbers", "[storage][keys]") {
  std::mt19937_64 rng(42);
  std::vector<std::pair<uint32_t, uint64_t>> values = {
      {0, 1}, {0, 2}, {0, 10}, {0, 255}, {0, 256}, {1, 1}, {255, 1}, {256, 1},
      {std::numeric_limits<uint32_t>::max(), std::numeric_limits<uint64_t>::max()}};
  for (int i = 0; i < 200; ++i) values.emplace_back(static_cast<uint32_t>(rng() % 1000), rng() >> (rng() % 64));
  for (const auto& a : values) {
    for (const auto& b : values) {
      INFO(a.first << "/" << a.second << " vs " << b.first << "/" << b.second);
      CHECK((keys::EventKey(a.first, a.second) < keys::EventKey(b.first, b.second)) == (a < b));
    }
  }
}

TEST_CASE("a partition's head key sorts before its records and after the previous partition's",
          "[storage][keys]") {
  CHECK(keys::EventHeadKey(5) < keys::EventKey(5, 0));
  CHECK(keys::EventKey(4, std::numeric_limits<uint64_t>::max()) < keys::EventHeadKey(5));
}

TEST_CASE("event heads round-trip and reject malformed values", "[storage][keys]") {
  keys::EventHead head{12345678901ull, 42};
  keys::EventHead decoded;
  REQUIRE(keys::DecodeEventHead(keys::EncodeEventHead(head), &decoded));
  CHECK(decoded.last_sequence == head.last_sequence);
  CHECK(decoded.truncated_through == head.truncated_through);
  CHECK_FALSE(keys::DecodeEventHead("short", &decoded));
  CHECK_FALSE(keys::DecodeEventHead(keys::EncodeEventHead({1, 2}), &decoded));  // truncated beyond last
}

TEST_CASE("model keys have frozen prefixes and numbered keys sort numerically", "[storage][keys]") {
  CHECK(keys::ModelVersionKey("v1") == "v/v1");
  CHECK(keys::ModelOrderKey(1) == std::string("o/\0\0\0\0\0\0\0\x01", 10));
  CHECK(keys::ModelHistoryKey(2) < keys::ModelHistoryKey(10));
  CHECK(keys::ModelHistoryKey(255) < keys::ModelHistoryKey(256));
  uint64_t number = 0;
  REQUIRE(keys::DecodeModelNumberKey(keys::ModelHistoryKey(300), keys::kModelHistoryPrefix, &number));
  CHECK(number == 300);
  CHECK_FALSE(keys::DecodeModelNumberKey(keys::ModelHistoryKey(300), keys::kModelOrderPrefix, &number));
  CHECK_FALSE(keys::DecodeModelNumberKey("h/short", keys::kModelHistoryPrefix, &number));
}

TEST_CASE("meta keys separate node facts from the storage's own", "[storage][keys]") {
  CHECK(keys::NodeMetaKey("partition_count") == "n/partition_count");
  CHECK(keys::FormatVersionKey() == "s/format_version");
  CHECK(keys::CheckpointKey(1, 2) == keys::EventKey(1, 2));
  CHECK(keys::CheckpointPrefix(7) == keys::EventHeadKey(7));
}

}  // namespace
}  // namespace driftline::storage::testing
