#include "cluster/partition_map.h"

#include <nlohmann/json.hpp>

#include "cluster/cluster_keys.h"
#include "cluster/stored_json.h"

namespace driftline {
namespace {

using Json = nlohmann::json;
using stored_json::FormatOf;
using stored_json::IsFormat1;


Status CheckEntry(uint32_t partition, const PartitionEntry& e) {
  const std::string where = "partition " + std::to_string(partition) + ": ";
  switch (e.state) {
    case PartitionState::kUnassigned:
      if (!e.owner.empty() || !e.target.empty()) {
        return Status::InvalidArgument(where + "an unassigned partition has no owner or target");
      }
      return Status::Ok();
    case PartitionState::kActive:
      if (!e.target.empty()) return Status::InvalidArgument(where + "only a moving partition has a target");
      break;
    case PartitionState::kMoving:
      if (e.target.empty() || e.target == e.owner) {
        return Status::InvalidArgument(where + "a moving partition needs a target other than its owner");
      }
      DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName(where + "target", e.target));
      break;
  }
  return cluster_keys::ValidateName(where + "owner", e.owner);
}

Result<PartitionState> StateFromName(const std::string& name) {
  if (name == "unassigned") return PartitionState::kUnassigned;
  if (name == "active") return PartitionState::kActive;
  if (name == "moving") return PartitionState::kMoving;
  return Status::Corruption("unknown partition state '" + name + "'");
}

}  // namespace

const char* PartitionStateName(PartitionState state) {
  switch (state) {
    case PartitionState::kUnassigned: return "unassigned";
    case PartitionState::kActive: return "active";
    case PartitionState::kMoving: return "moving";
  }
  return "unassigned";
}

Result<PartitionMap> NewPartitionMap(uint32_t partitions) {
  if (partitions == 0 || partitions > kMaxPartitions) {
    return Status::InvalidArgument("partition count must be 1.." + std::to_string(kMaxPartitions) +
                                   ", got " + std::to_string(partitions));
  }
  PartitionMap map;
  map.entries.resize(partitions);
  return map;
}

Result<PartitionMap> ApplyChanges(const PartitionMap& map,
                                  const std::vector<PartitionChange>& changes) {
  PartitionMap next = map;
  for (const PartitionChange& c : changes) {
    if (c.partition >= next.partition_count()) {
      return Status::InvalidArgument("partition " + std::to_string(c.partition) +
                                     " is out of range (the cluster has " +
                                     std::to_string(next.partition_count()) + ")");
    }
    PartitionEntry& e = next.entries[c.partition];
    PartitionEntry changed{c.owner, e.epoch, c.state, c.target};
    if (changed.owner != e.owner) ++changed.epoch;  // fencing: a new owner, a new epoch
    DRIFTLINE_RETURN_IF_ERROR(CheckEntry(c.partition, changed));
    e = std::move(changed);
  }
  return next;
}

std::string EncodePartitionMap(const PartitionMap& map) {
  Json entries = Json::array();
  for (const PartitionEntry& e : map.entries) {
    Json j = {{"owner", e.owner}, {"epoch", e.epoch}, {"state", PartitionStateName(e.state)}};
    if (!e.target.empty()) j["target"] = e.target;
    entries.push_back(std::move(j));
  }
  return Json{{"format", 1}, {"partitions", map.partition_count()}, {"entries", entries}}.dump();
}

Result<PartitionMap> DecodePartitionMap(const std::string& json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("partition map: not a JSON object");
  if (!IsFormat1(j)) {
    return Status::Corruption("partition map: unknown format " + FormatOf(j));
  }
  PartitionMap map;
  try {
    if (!j.contains("partitions") || !j["partitions"].is_number_unsigned()) {
      return Status::Corruption("partition map: partitions is not a non-negative integer");
    }
    uint32_t count = j.at("partitions").get<uint32_t>();
    const Json& entries = j.at("entries");
    if (!entries.is_array() || entries.size() != count || count == 0 || count > kMaxPartitions) {
      return Status::Corruption("partition map: " + std::to_string(count) +
                                " partitions but " + std::to_string(entries.size()) + " entries");
    }
    for (uint32_t p = 0; p < count; ++p) {
      const Json& e = entries[p];
      if (!e.is_object() || !e.contains("epoch") || !e["epoch"].is_number_unsigned()) {
        return Status::Corruption("partition map: partition " + std::to_string(p) +
                                  ": epoch is not a non-negative integer");
      }
      auto state = StateFromName(e.at("state").get<std::string>());
      if (!state.ok()) {
        return Status::Corruption("partition map: partition " + std::to_string(p) + ": " +
                                  state.status().message());
      }
      PartitionEntry entry{e.at("owner").get<std::string>(), e.at("epoch").get<uint64_t>(), *state,
                           e.value("target", std::string())};
      Status ok = CheckEntry(p, entry);
      if (!ok.ok()) return Status::Corruption("partition map: " + ok.message());
      map.entries.push_back(std::move(entry));
    }
  } catch (const Json::exception& e) {
    return Status::Corruption(std::string("partition map: ") + e.what());
  }
  return map;
}

}  // namespace driftline
