// The coordinator's election through etcd: the coordinator key
// (cluster_keys.h) is created under the candidate's lease in a txn that
// requires it to be absent. Whoever created it leads until the key goes (its
// lease expired or was revoked, or it resigned). The leader's term is the
// key's create_revision: it rises with every new leadership, so it fences
// (TermFence(term) in the same txn as a write makes the write fail once that
// leadership is over). The coordinator keeps no other state: everything it
// decides is in etcd.
//
// Thread safety: all methods may be called from any thread. REQUIRES: the
// EtcdClient outlives the election object.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cluster/etcd_client.h"
#include "cluster/membership.h"

namespace driftline {

struct Leadership {
  std::string node_id;
  std::string incarnation;
  int64_t term = 0;   // the coordinator key's create_revision
  int64_t lease = 0;
};

// The coordinator key's value as a Leadership (term = its create_revision).
// Errors: Corruption naming the key.
Result<Leadership> DecodeLeadership(const KeyValue& kv);

class CoordinatorElection {
 public:
  // REQUIRES: a valid cluster name.
  CoordinatorElection(EtcdClient& etcd, std::string cluster);

  // The current leader, or nullopt when there is none.
  Result<std::optional<Leadership>> Leader();

  // One attempt: becomes leader if there is none. Returns the leader after the
  // attempt (`candidate` or whoever leads). REQUIRES: `lease` is the
  // candidate's live lease (its Membership's).
  Result<Leadership> TryAcquire(const MemberInfo& candidate, int64_t lease);

  // Tries until `candidate` leads, waiting (through a watch) for the key to go
  // between attempts. Errors: DeadlineExceeded after `timeout`; Unavailable
  // when `stop` turns true; etcd errors.
  Result<Leadership> Campaign(const MemberInfo& candidate, int64_t lease,
                              std::chrono::milliseconds timeout,
                              const std::atomic<bool>* stop = nullptr);

  // True while the key still holds leadership `term`.
  Result<bool> StillLeads(int64_t term);

  // Gives leadership `term` up (deletes the key if it still holds that term).
  Status Resign(int64_t term);

  // A compare to add to a txn: holds only while leadership `term` lasts.
  TxnCompare TermFence(int64_t term) const;

  // Calls `on_lost` once (on the watch's thread) when leadership `term` ends:
  // the key deleted (lease expired, resigned) or re-created by another term,
  // or the watch cannot go on (then the leader must check StillLeads).
  Result<std::unique_ptr<EtcdWatch>> WatchLeadership(int64_t term,
                                                     std::function<void(const Status&)> on_lost);

  const std::string& key() const { return key_; }

 private:
  EtcdClient& etcd_;
  const std::string key_;
};

}  // namespace driftline
