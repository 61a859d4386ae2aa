// The partition map in etcd (one key, cluster_keys::PartitionMapKey, JSON of
// partition_map.h). Created once with a fixed partition count; read whole with
// its revision; changed only by a txn conditioned on the revision that was
// read (the key's mod_revision), plus any fences the caller adds (the
// coordinator's term, CoordinatorElection::TermFence). Two writers that read
// the same revision: exactly one txn commits; the other gets a conflict and
// the map as it now is, to decide again.
//
// PartitionMapCache keeps the last map it saw (read, then followed through a
// watch) and answers from it while etcd is unreachable: serving goes on with
// the last map; only changes (which need etcd) wait.
//
// Thread safety: both classes may be used from any thread. REQUIRES: the
// EtcdClient outlives them.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/etcd_client.h"
#include "cluster/partition_map.h"

namespace driftline {

struct PartitionMapSnapshot {
  PartitionMap map;
  int64_t revision = 0;  // the map key's mod_revision: what a change is conditioned on
};

struct MapCommit {
  bool applied = false;          // false: a conflict (or a failed fence)
  PartitionMapSnapshot current;  // the map after the txn: the new one, or the one that won
};

// The map key's value and revision as a snapshot. Errors: Corruption naming the key.
Result<PartitionMapSnapshot> PartitionMapSnapshotOf(const KeyValue& kv);

class PartitionMapStore {
 public:
  // REQUIRES: a valid cluster name.
  PartitionMapStore(EtcdClient& etcd, std::string cluster);

  // Creates the cluster's map with `partitions` unassigned partitions, once.
  // If it exists with the same count: returns it (idempotent). Errors:
  // FailedPrecondition when it exists with another count (naming both);
  // InvalidArgument for a bad count; etcd errors.
  Result<PartitionMapSnapshot> CreateCluster(uint32_t partitions);

  // Errors: NotFound when the cluster was never created; Corruption when the
  // stored map does not decode; etcd errors.
  Result<PartitionMapSnapshot> Read();

  // Applies `changes` to `read.map` (ApplyChanges: epochs rise with owners)
  // and writes the result iff the map key is still at `read.revision` and
  // every `fences` compare holds. applied = false: somebody changed the map
  // (or a fence failed) since `read`; `current` is the map now, read in the
  // same txn. Errors: InvalidArgument from ApplyChanges (nothing written);
  // NotFound when the map is gone; etcd errors (Unavailable while etcd is
  // unreachable: the change waits; retrying is safe, it is conditional).
  Result<MapCommit> Change(const PartitionMapSnapshot& read,
                           const std::vector<PartitionChange>& changes,
                           const std::vector<TxnCompare>& fences = {});

  const std::string& key() const { return key_; }

 private:
  EtcdClient& etcd_;
  const std::string key_;
};

class PartitionMapCache {
 public:
  // Reads the map (errors as PartitionMapStore::Read) and follows it with a
  // watch from the next revision; after a compaction it re-reads.
  static Result<std::unique_ptr<PartitionMapCache>> Follow(EtcdClient& etcd,
                                                           const std::string& cluster);
  ~PartitionMapCache();
  PartitionMapCache(const PartitionMapCache&) = delete;
  PartitionMapCache& operator=(const PartitionMapCache&) = delete;

  // The last map seen; never blocks on etcd.
  std::shared_ptr<const PartitionMapSnapshot> Current() const;
  // Waits up to `timeout` for a map at `revision` or later; true if reached.
  bool WaitForRevision(int64_t revision, std::chrono::milliseconds timeout) const;
  // The last error of the watch (Ok while it is streaming).
  Status watch_status() const;

 private:
  PartitionMapCache(EtcdClient& etcd, std::string cluster, PartitionMapSnapshot first);
  void Install(PartitionMapSnapshot snapshot);
  void StartWatch();
  void ResyncLoop();

  EtcdClient& etcd_;
  const std::string cluster_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::shared_ptr<const PartitionMapSnapshot> current_;
  Status watch_status_;
  bool resync_needed_ = false;
  bool stopping_ = false;
  std::unique_ptr<EtcdWatch> watch_;
  std::thread resync_thread_;  // re-reads after a watch ends for good
};

}  // namespace driftline
