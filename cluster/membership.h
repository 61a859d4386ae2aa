// A node's registration in the cluster: one key per node id under the node's
// own etcd lease (cluster_keys.h), holding who it is (MemberInfo as JSON).
// Every start registers a fresh incarnation id; the registration disappears
// when the lease expires (the node died or lost etcd for a TTL) or is revoked
// (a clean leave).
//
// Renewal: Renew() sends one keepalive and checks that the key still names
// this incarnation. A node whose lease is gone, whose key was deleted or
// whose key names another incarnation has LOST its registration: lost() turns
// true for good, MayAcknowledge() is false from then on, and the node must
// stop serving its partitions (a restart registers a new incarnation).
//
// Self-fencing (self_fence.h): MayAcknowledge(now) is false from
// (send time of the last successful renewal + TTL - fence_margin) on, so a
// node cut off from etcd stops acknowledging before its lease can expire on
// the server and its partitions can move.
//
// Thread safety: all methods may be called from any thread (one mutex).
// StartRenewing runs Renew on a thread of its own until StopRenewing, Leave
// or destruction. REQUIRES: the EtcdClient outlives the Membership.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/etcd_client.h"
#include "cluster/self_fence.h"
#include "common/status.h"

namespace driftline {

struct MemberInfo {
  std::string node_id;      // stable across restarts; a key segment (cluster_keys::ValidateName)
  std::string incarnation;  // fresh at every start (Membership::Register sets it)
  std::vector<std::string> roles;               // "router", "shard", "coordinator"
  std::map<std::string, std::string> endpoints;  // name -> address, e.g. "shard" -> tcp://...
  std::string version;      // the build's version string

  bool HasRole(const std::string& role) const;
};

// The JSON value of a member key (docs/cluster.md). Decode errors:
// Corruption naming the field.
std::string EncodeMemberInfo(const MemberInfo& info);
Result<MemberInfo> DecodeMemberInfo(const std::string& json);

// A fresh random incarnation id (128 bits, hex): unique per start.
std::string NewIncarnationId();

struct RegisteredMember {
  MemberInfo info;
  int64_t create_revision = 0;  // when this incarnation registered
  int64_t lease = 0;
};

struct MemberList {
  int64_t revision = 0;  // the store's revision the list was read at
  std::vector<RegisteredMember> members;  // ordered by node id
};

// One member key (under `members_prefix`) decoded. Errors: Corruption naming
// the key when the value does not decode or names another node id.
Result<RegisteredMember> DecodeMemberKey(const std::string& members_prefix, const KeyValue& kv);

// Every registered member of `cluster`. A member key that does not decode is
// an error (Corruption naming the key), not skipped.
Result<MemberList> ListMembers(EtcdClient& etcd, const std::string& cluster);

struct MembershipOptions {
  std::string cluster;  // REQUIRES: a valid name (cluster_keys::ValidateName)
  // The lease's TTL. Default: 10 s
  int64_t lease_ttl_seconds = 10;
  // Time between renewals of StartRenewing. Default: 2500 ms (TTL / 4)
  std::chrono::milliseconds renew_interval{2500};
  // See self_fence.h. REQUIRES: renew_interval + fence_margin < TTL, so that
  // a healthy node never fences itself between renewals. Default: 2000 ms
  std::chrono::milliseconds fence_margin{2000};
  // How long Register waits for a previous incarnation's registration (same
  // node id, e.g. before a kill -9) to expire. Default: 15 s
  std::chrono::milliseconds register_wait{15000};
  // The time source (tests inject a manual clock). Default: steady_clock::now
  std::function<std::chrono::steady_clock::time_point()> clock;
};

class Membership {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // Grants a lease and creates the member key under it with a new
  // incarnation id, in a txn that requires the key to be absent. If another
  // incarnation still holds the node id, waits up to register_wait for its
  // lease to expire. Errors: InvalidArgument (options, node id),
  // FailedPrecondition naming the incarnation still registered, etcd errors.
  static Result<std::unique_ptr<Membership>> Register(EtcdClient& etcd, MembershipOptions options,
                                                      MemberInfo self);
  ~Membership();
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

  // One renewal. Ok: renewed and still registered (the fence moves on).
  // FailedPrecondition: the registration is lost (lost() is now true).
  // Other errors (etcd unreachable): nothing changes; the fence keeps closing.
  Status Renew();

  bool MayAcknowledge() const;  // at the injected clock's now
  bool MayAcknowledge(TimePoint now) const;
  // When the fence closes without a further renewal.
  TimePoint FenceDeadline() const;
  bool lost() const;
  Status lost_reason() const;  // Ok while not lost

  const MemberInfo& self() const { return self_; }
  int64_t lease_id() const { return lease_.id; }
  int64_t lease_ttl_seconds() const { return lease_.ttl_seconds; }
  int64_t create_revision() const { return create_revision_; }

  // Renews every renew_interval on a thread; `on_lost` is called once (on
  // that thread) when the registration is lost; it must not call
  // StopRenewing or Leave. Idempotent.
  void StartRenewing(std::function<void(const Status&)> on_lost);
  void StopRenewing();
  // Stops renewing and revokes the lease (the key goes with it).
  Status Leave();

 private:
  Membership(EtcdClient& etcd, MembershipOptions options, MemberInfo self, Lease lease,
             int64_t create_revision, TimePoint granted_at);
  TimePoint Now() const { return options_.clock(); }
  void MarkLost(const Status& why);

  EtcdClient& etcd_;
  const MembershipOptions options_;
  const MemberInfo self_;
  const std::string key_;
  const Lease lease_;
  const int64_t create_revision_;

  mutable std::mutex mu_;
  SelfFence fence_;
  Status lost_reason_;  // Ok while registered

  std::mutex renew_mu_;
  std::condition_variable renew_wake_;
  bool renewing_ = false;
  bool stop_renewing_ = false;
  std::thread renew_thread_;
};

}  // namespace driftline
