// The partition map's values and rules (no etcd): epochs, validation, JSON.
#include "cluster/partition_map.h"

#include "cluster/membership.h"

#include <catch2/catch.hpp>

namespace driftline {
namespace {

TEST_CASE("the epoch rises by one with every new owner and only then") {
  PartitionMap map = *NewPartitionMap(4);
  auto m1 = ApplyChanges(map, {{0, "n1", PartitionState::kActive, ""}});
  REQUIRE(m1.ok());
  CHECK(m1->entries[0].epoch == 1);
  auto m2 = ApplyChanges(*m1, {{0, "n1", PartitionState::kMoving, "n2"}});
  REQUIRE(m2.ok());
  CHECK(m2->entries[0].epoch == 1);
  auto m3 = ApplyChanges(*m2, {{0, "n2", PartitionState::kActive, ""}, {0, "n3", PartitionState::kActive, ""}});
  REQUIRE(m3.ok());
  CHECK(m3->entries[0].epoch == 3);
  auto m4 = ApplyChanges(*m3, {{0, "", PartitionState::kUnassigned, ""}});
  REQUIRE(m4.ok());
  CHECK(m4->entries[0].epoch == 4);  // losing the owner is a change of owner too
  CHECK(m4->entries[1] == PartitionEntry{});
}

TEST_CASE("malformed changes are refused and change nothing") {
  PartitionMap map = *NewPartitionMap(4);
  using S = PartitionState;
  CHECK(ApplyChanges(map, {{4, "n1", S::kActive, ""}}).status().message().find("out of range") !=
        std::string::npos);
  CHECK_FALSE(ApplyChanges(map, {{0, "", S::kActive, ""}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "n1", S::kUnassigned, ""}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "n1", S::kMoving, ""}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "n1", S::kMoving, "n1"}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "n1", S::kActive, "n2"}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "bad id", S::kActive, ""}}).ok());
  CHECK_FALSE(ApplyChanges(map, {{0, "n1", S::kActive, ""}, {9, "n1", S::kActive, ""}}).ok());
  CHECK_FALSE(NewPartitionMap(0).ok());
  CHECK_FALSE(NewPartitionMap(kMaxPartitions + 1).ok());
}

TEST_CASE("the map's JSON round-trips, and damaged JSON is refused naming the problem") {
  PartitionMap map = *NewPartitionMap(3);
  map = *ApplyChanges(map, {{0, "n1", PartitionState::kActive, ""},
                            {1, "n1", PartitionState::kMoving, "n2"}});
  const std::string json = EncodePartitionMap(map);
  auto back = DecodePartitionMap(json);
  REQUIRE(back.ok());
  CHECK(*back == map);
  CHECK(json.find("\"format\":1") != std::string::npos);

  CHECK(DecodePartitionMap("{").status().code() == Status::Code::kCorruption);
  CHECK(DecodePartitionMap(R"({"format":2,"partitions":1,"entries":[]})").status().message().find("format") !=
        std::string::npos);
  CHECK_FALSE(DecodePartitionMap(R"({"format":1,"partitions":2,"entries":[{"owner":"","epoch":0,"state":"unassigned"}]})").ok());
  auto bad_state = DecodePartitionMap(
      R"({"format":1,"partitions":1,"entries":[{"owner":"n","epoch":1,"state":"sleeping"}]})");
  CHECK(bad_state.status().message().find("sleeping") != std::string::npos);
  CHECK_FALSE(DecodePartitionMap(
      R"({"format":1,"partitions":1,"entries":[{"owner":"","epoch":1,"state":"active"}]})").ok());
  CHECK_FALSE(DecodePartitionMap(
      R"({"format":1,"partitions":1,"entries":[{"owner":"n","epoch":-1,"state":"active"}]})").ok());
}

TEST_CASE("stored values of the wrong JSON types are refused as corruption, never thrown") {
  for (const char* bad : {R"({"format":"1","partitions":1,"entries":[]})", R"({"format":1,"partitions":"1"})",
                          R"([1,2])", R"({"format":1,"partitions":1,"entries":[7]})",
                          R"({"format":1,"partitions":1,"entries":[{"owner":1,"epoch":1,"state":"active"}]})"}) {
    INFO(bad);
    CHECK(DecodePartitionMap(bad).status().code() == Status::Code::kCorruption);
  }
  for (const char* bad : {R"({"format":"1"})", R"({"format":1,"node_id":5})", "[]", "",
                          R"({"format":1,"node_id":"n","incarnation":"i","roles":"shard","endpoints":{},"version":""})"}) {
    INFO(bad);
    CHECK(DecodeMemberInfo(bad).status().code() == Status::Code::kCorruption);
  }
  MemberInfo m{"n1", "abc", {"shard"}, {{"shard", "tcp://h:1"}}, "v"};
  auto back = DecodeMemberInfo(EncodeMemberInfo(m));
  REQUIRE(back.ok());
  CHECK(back->incarnation == "abc");
  CHECK(back->endpoints == m.endpoints);
}

}  // namespace
}  // namespace driftline
