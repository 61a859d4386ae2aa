// Partition -> (owner endpoint, epoch): where a router sends a partition's
// reads and events, and where a shard sends a partition's arm updates.
//
// PartitionOwners is the interface the router and the shards use;
// StaticPartitionOwners is a fixed map given on the command line (--shards or
// --shard-map, docs/cluster.md "Roles"). The etcd-backed partition map
// (issue 8 item 2) implements the same interface and replaces it.
//
// Thread safety: implementations are safe to read from any thread (the
// static one is immutable after construction).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace driftline::cluster {

struct PartitionOwner {
  std::string endpoint;  // the owning shard's cluster endpoint ("tcp://host:port")
  uint64_t epoch = 0;    // the owner's epoch (>= 1)
  bool operator==(const PartitionOwner& o) const { return endpoint == o.endpoint && epoch == o.epoch; }
};

class PartitionOwners {
 public:
  virtual ~PartitionOwners() = default;
  // The cluster's partition count (fixed at creation).
  virtual uint32_t partitions() const = 0;
  // REQUIRES: partition < partitions().
  virtual PartitionOwner OwnerOf(uint32_t partition) const = 0;
};

class StaticPartitionOwners final : public PartitionOwners {
 public:
  // Partition p is owned by shards[p % shards.size()] at `epoch`.
  // InvalidArgument: no shard, an empty or repeated endpoint, 0 partitions,
  // epoch 0.
  static Result<StaticPartitionOwners> RoundRobin(const std::vector<std::string>& shards,
                                                  uint32_t partitions, uint64_t epoch = 1);

  // A shard-map file: one line per partition, "PARTITION ENDPOINT EPOCH"
  // (whitespace-separated; blank lines and lines starting with '#' ignored).
  // InvalidArgument naming the line: a malformed line, a partition outside
  // [0, partitions), a partition listed twice or never, epoch 0.
  static Result<StaticPartitionOwners> Parse(std::string_view text, uint32_t partitions);

  uint32_t partitions() const override { return static_cast<uint32_t>(owners_.size()); }
  PartitionOwner OwnerOf(uint32_t partition) const override { return owners_[partition]; }

  // The partitions `endpoint` owns, ascending.
  std::vector<uint32_t> PartitionsOf(const std::string& endpoint) const;

 private:
  explicit StaticPartitionOwners(std::vector<PartitionOwner> owners) : owners_(std::move(owners)) {}
  std::vector<PartitionOwner> owners_;
};

}  // namespace driftline::cluster
