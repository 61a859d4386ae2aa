#include "cluster/partition_owners.h"

#include <charconv>
#include <set>
#include <sstream>

namespace driftline::cluster {
namespace {

bool ParseNumber(const std::string& text, uint64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

Result<StaticPartitionOwners> StaticPartitionOwners::RoundRobin(const std::vector<std::string>& shards,
                                                                uint32_t partitions, uint64_t epoch) {
  if (shards.empty()) return Status::InvalidArgument("the shard list is empty");
  if (partitions == 0) return Status::InvalidArgument("the partition count must be at least 1");
  if (epoch == 0) return Status::InvalidArgument("epoch 0 is never an owner's epoch");
  std::set<std::string> seen;
  for (const std::string& s : shards) {
    if (s.empty()) return Status::InvalidArgument("the shard list holds an empty endpoint");
    if (!seen.insert(s).second) return Status::InvalidArgument("shard " + s + " is listed twice");
  }
  std::vector<PartitionOwner> owners;
  owners.reserve(partitions);
  for (uint32_t p = 0; p < partitions; ++p) owners.push_back({shards[p % shards.size()], epoch});
  return StaticPartitionOwners(std::move(owners));
}

Result<StaticPartitionOwners> StaticPartitionOwners::Parse(std::string_view text, uint32_t partitions) {
  if (partitions == 0) return Status::InvalidArgument("the partition count must be at least 1");
  std::vector<PartitionOwner> owners(partitions);
  std::istringstream in{std::string(text)};
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = "shard map line " + std::to_string(number) + ": ";
    std::istringstream fields(line);
    std::string partition_text, endpoint, epoch_text, extra;
    if (!(fields >> partition_text) || partition_text[0] == '#') continue;
    if (!(fields >> endpoint >> epoch_text) || (fields >> extra)) {
      return Status::InvalidArgument(where + "expected 'PARTITION ENDPOINT EPOCH', got '" + line + "'");
    }
    uint64_t partition = 0, epoch = 0;
    if (!ParseNumber(partition_text, &partition) || partition >= partitions) {
      return Status::InvalidArgument(where + "partition '" + partition_text + "' is not within [0, " +
                                     std::to_string(partitions) + ")");
    }
    if (!ParseNumber(epoch_text, &epoch) || epoch == 0) {
      return Status::InvalidArgument(where + "epoch '" + epoch_text + "' is not a number >= 1");
    }
    if (owners[partition].epoch != 0) {
      return Status::InvalidArgument(where + "partition " + partition_text + " is listed twice");
    }
    owners[partition] = {endpoint, epoch};
  }
  for (uint32_t p = 0; p < partitions; ++p) {
    if (owners[p].epoch == 0) {
      return Status::InvalidArgument("shard map: partition " + std::to_string(p) + " has no owner");
    }
  }
  return StaticPartitionOwners(std::move(owners));
}

std::vector<uint32_t> StaticPartitionOwners::PartitionsOf(const std::string& endpoint) const {
  std::vector<uint32_t> out;
  for (uint32_t p = 0; p < owners_.size(); ++p) {
    if (owners_[p].endpoint == endpoint) out.push_back(p);
  }
  return out;
}

}  // namespace driftline::cluster
