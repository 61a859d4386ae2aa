// RemoteShards: the links from this process to the other processes' shard
// endpoints (one ShardLink per endpoint) and the routing of what comes back
// to the actor that asked. Used by the remote partitions
// (SpawnRemotePartition, actors.h), the router's and the shards' handles on
// partitions another process owns. Includes CAF: actors/ only.
//
// Thread safety: every method may be called from any thread (actors and the
// links' threads); the routing table is guarded by one mutex.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>

#include "actors/shard_link.h"
#include "cluster/partition_owners.h"
#include "cluster/transport.h"

namespace driftline {

class RemoteShards {
 public:
  // REQUIRES: transport and owners outlive this object.
  RemoteShards(cluster::Transport& transport, const cluster::PartitionOwners& owners,
               ShardLinkOptions link_options = {});
  ~RemoteShards();  // stops every link

  const cluster::PartitionOwners& owners() const { return owners_; }

  // The link to `endpoint`, opened on first use. Its replies go to the actor
  // Expect()ed for their request id; a lost connection is told to every
  // actor that Watch()es the endpoint.
  Result<ShardLink*> LinkTo(const std::string& endpoint);

  // A request id unique in this process.
  uint64_t NextRequestId() { return ++next_id_; }
  // The reply to `request_id` goes to `actor` (as remote_reply_atom).
  void Expect(uint64_t request_id, caf::actor actor);
  void Forget(uint64_t request_id);
  // `actor` hears (remote_lost_atom, why) when the link to `endpoint` loses
  // its connection.
  void Watch(const std::string& endpoint, caf::actor actor);

  // Frames from shards that did not decode, and replies nobody waited for
  // (their request timed out first).
  int64_t bad_frames() const { return bad_frames_.load(); }
  int64_t late_replies() const { return late_replies_.load(); }

  // Stops every link (no callback runs after it returns). Idempotent.
  void Stop();

 private:
  void Route(ShardMessage message);
  void Lost(const std::string& endpoint, const std::string& why);

  cluster::Transport& transport_;
  const cluster::PartitionOwners& owners_;
  ShardLinkOptions link_options_;
  std::atomic<uint64_t> next_id_{0};
  std::atomic<int64_t> bad_frames_{0};
  std::atomic<int64_t> late_replies_{0};
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ShardLink>> links_;      // guarded by mutex_
  std::unordered_map<uint64_t, caf::actor> expected_;            // guarded by mutex_
  std::map<std::string, std::vector<caf::actor>> watchers_;      // guarded by mutex_
};

}  // namespace driftline
