#include "cluster/membership.h"

#include <thread>

#include "cluster/cluster_keys.h"

namespace driftline {
namespace {

Status ValidateOptions(const MembershipOptions& o) {
  DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName("cluster name", o.cluster));
  if (o.lease_ttl_seconds <= 0) return Status::InvalidArgument("membership: lease TTL must be > 0");
  if (o.renew_interval.count() <= 0 || o.fence_margin.count() <= 0) {
    return Status::InvalidArgument("membership: renew interval and fence margin must be > 0");
  }
  if (o.renew_interval + o.fence_margin >= std::chrono::seconds(o.lease_ttl_seconds)) {
    return Status::InvalidArgument(
        "membership: renew interval (" + std::to_string(o.renew_interval.count()) +
        " ms) + fence margin (" + std::to_string(o.fence_margin.count()) +
        " ms) must be below the lease TTL (" + std::to_string(o.lease_ttl_seconds) +
        " s), else a healthy node fences itself between renewals");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Membership>> Membership::Register(EtcdClient& etcd,
                                                         MembershipOptions options,
                                                         MemberInfo self) {
  if (!options.clock) options.clock = [] { return std::chrono::steady_clock::now(); };
  DRIFTLINE_RETURN_IF_ERROR(ValidateOptions(options));
  DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName("node id", self.node_id));
  self.incarnation = NewIncarnationId();
  const std::string key = cluster_keys::MemberKey(options.cluster, self.node_id);
  const std::string value = EncodeMemberInfo(self);

  const TimePoint granted_at = options.clock();
  auto lease = etcd.LeaseGrant(options.lease_ttl_seconds);
  if (!lease.ok()) return lease.status();
  if (std::chrono::seconds(lease->ttl_seconds) <= options.renew_interval + options.fence_margin) {
    etcd.LeaseRevoke(lease->id).IgnoreError();  // best effort: it expires anyway
    return Status::InvalidArgument("membership: etcd granted a TTL of " +
                                   std::to_string(lease->ttl_seconds) + " s, too short");
  }
  const auto wait_until = std::chrono::steady_clock::now() + options.register_wait;
  while (true) {
    auto txn = etcd.Txn(TxnRequest{{TxnCompare::Absent(key)},
                                   {TxnOp::Put(key, value, lease->id)},
                                   {TxnOp::Range(key)}});
    if (!txn.ok()) {
      etcd.LeaseRevoke(lease->id).IgnoreError();  // best effort: it expires anyway
      return txn.status();
    }
    if (txn->succeeded) {
      return std::unique_ptr<Membership>(new Membership(etcd, std::move(options), std::move(self),
                                                        *lease, txn->revision, granted_at));
    }
    std::string holder = "?";
    if (!txn->ranges.empty() && !txn->ranges[0].empty()) {
      auto other = DecodeMemberInfo(txn->ranges[0][0].value);
      holder = other.ok() ? other->incarnation : "undecodable: " + other.status().message();
    }
    if (std::chrono::steady_clock::now() >= wait_until) {
      etcd.LeaseRevoke(lease->id).IgnoreError();  // best effort: it expires anyway
      return Status::FailedPrecondition(
          "membership: node id " + self.node_id + " is still registered by incarnation " + holder +
          " after waiting " + std::to_string(options.register_wait.count()) +
          " ms; is another process running with this id?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

Membership::Membership(EtcdClient& etcd, MembershipOptions options, MemberInfo self, Lease lease,
                       int64_t create_revision, TimePoint granted_at)
    : etcd_(etcd),
      options_(std::move(options)),
      self_(std::move(self)),
      key_(cluster_keys::MemberKey(options_.cluster, self_.node_id)),
      lease_(lease),
      create_revision_(create_revision),
      fence_(options_.fence_margin) {
  fence_.OnRenewed(granted_at, std::chrono::seconds(lease_.ttl_seconds));
}

Membership::~Membership() { StopRenewing(); }

void Membership::MarkLost(const Status& why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (lost_reason_.ok()) lost_reason_ = why;
  fence_.CloseForGood();
}

Status Membership::Renew() {
  if (lost()) return lost_reason();
  const TimePoint sent_at = Now();
  auto ttl = etcd_.LeaseKeepAlive(lease_.id);
  if (!ttl.ok()) {
    if (ttl.status().code() == Status::Code::kNotFound) {
      MarkLost(Status::FailedPrecondition("membership of " + self_.node_id + " lost: lease " +
                                          std::to_string(lease_.id) + " expired or was revoked"));
      return lost_reason();
    }
    return ttl.status();  // transient: the fence keeps closing
  }
  auto range = etcd_.Range(key_);
  if (!range.ok()) return range.status();
  if (range->kvs.empty()) {
    MarkLost(Status::FailedPrecondition("membership of " + self_.node_id + " lost: key " + key_ +
                                        " was deleted"));
    return lost_reason();
  }
  auto holder = DecodeMemberInfo(range->kvs[0].value);
  if (!holder.ok() || holder->incarnation != self_.incarnation ||
      range->kvs[0].lease != lease_.id) {
    MarkLost(Status::FailedPrecondition(
        "membership of " + self_.node_id + " lost: key " + key_ + " now names incarnation " +
        (holder.ok() ? holder->incarnation : "(undecodable)")));
    return lost_reason();
  }
  std::lock_guard<std::mutex> lock(mu_);
  fence_.OnRenewed(sent_at, std::chrono::seconds(*ttl));
  return Status::Ok();
}

bool Membership::MayAcknowledge() const { return MayAcknowledge(Now()); }

bool Membership::MayAcknowledge(TimePoint now) const {
  std::lock_guard<std::mutex> lock(mu_);
  return fence_.MayAcknowledge(now);
}

Membership::TimePoint Membership::FenceDeadline() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fence_.deadline();
}

bool Membership::lost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !lost_reason_.ok();
}

Status Membership::lost_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_reason_;
}

void Membership::StartRenewing(std::function<void(const Status&)> on_lost) {
  std::lock_guard<std::mutex> lock(renew_mu_);
  if (renewing_) return;
  renewing_ = true;
  stop_renewing_ = false;
  renew_thread_ = std::thread([this, on_lost = std::move(on_lost)] {
    std::unique_lock<std::mutex> lock(renew_mu_);
    while (!stop_renewing_) {
      renew_wake_.wait_for(lock, options_.renew_interval, [this] { return stop_renewing_; });
      if (stop_renewing_) break;
      lock.unlock();
      Status s = Renew();
      lock.lock();
      if (lost()) {
        if (on_lost) on_lost(s);
        break;
      }
      // A transient error is retried at the next interval; the fence closes
      // meanwhile if it lasts.
    }
  });
}

void Membership::StopRenewing() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lock(renew_mu_);
    stop_renewing_ = true;
    renewing_ = false;
    t = std::move(renew_thread_);
  }
  renew_wake_.notify_all();
  if (t.joinable()) t.join();
}

Status Membership::Leave() {
  StopRenewing();
  MarkLost(Status::FailedPrecondition("membership of " + self_.node_id + ": left the cluster"));
  return etcd_.LeaseRevoke(lease_.id);
}

}  // namespace driftline
