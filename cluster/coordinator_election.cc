#include "cluster/coordinator_election.h"

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cluster/cluster_keys.h"
#include "cluster/stored_json.h"

namespace driftline {
namespace {

using Json = nlohmann::json;
using stored_json::IsFormat1;


std::string EncodeLeader(const MemberInfo& candidate) {
  return Json{{"format", 1}, {"node_id", candidate.node_id}, {"incarnation", candidate.incarnation}}
      .dump();
}

}  // namespace

Result<Leadership> DecodeLeadership(const KeyValue& kv) {
  Json j = Json::parse(kv.value, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !IsFormat1(j) ||
      !j.contains("node_id") || !j["node_id"].is_string() || !j.contains("incarnation") ||
      !j["incarnation"].is_string()) {
    return Status::Corruption("etcd key " + kv.key + ": not a coordinator record: " +
                              kv.value.substr(0, 200));
  }
  return Leadership{j["node_id"].get<std::string>(), j["incarnation"].get<std::string>(),
                    kv.create_revision, kv.lease};
}


CoordinatorElection::CoordinatorElection(EtcdClient& etcd, std::string cluster)
    : etcd_(etcd), key_(cluster_keys::CoordinatorKey(cluster)) {}

Result<std::optional<Leadership>> CoordinatorElection::Leader() {
  auto range = etcd_.Range(key_);
  if (!range.ok()) return range.status();
  if (range->kvs.empty()) return std::optional<Leadership>();
  auto leader = DecodeLeadership(range->kvs[0]);
  if (!leader.ok()) return leader.status();
  return std::optional<Leadership>(std::move(leader).value());
}

Result<Leadership> CoordinatorElection::TryAcquire(const MemberInfo& candidate, int64_t lease) {
  if (lease == 0) return Status::InvalidArgument("election: a candidate needs a lease");
  auto txn = etcd_.Txn(TxnRequest{{TxnCompare::Absent(key_)},
                                  {TxnOp::Put(key_, EncodeLeader(candidate), lease)},
                                  {TxnOp::Range(key_)}});
  if (!txn.ok()) return txn.status();
  if (txn->succeeded) {
    // The key was created by this txn: its create_revision is the txn's revision.
    return Leadership{candidate.node_id, candidate.incarnation, txn->revision, lease};
  }
  if (txn->ranges.empty() || txn->ranges[0].empty()) {
    return Status::Unavailable("election: " + key_ + " vanished between compare and read; retry");
  }
  return DecodeLeadership(txn->ranges[0][0]);
}

Result<Leadership> CoordinatorElection::Campaign(const MemberInfo& candidate, int64_t lease,
                                                 std::chrono::milliseconds timeout,
                                                 const std::atomic<bool>* stop) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto leader = TryAcquire(candidate, lease);
    if (!leader.ok() && leader.status().code() != Status::Code::kUnavailable) return leader;
    if (leader.ok() && leader->incarnation == candidate.incarnation &&
        leader->node_id == candidate.node_id) {
      return leader;
    }
    // Someone else leads (or etcd is away): wait for the key to change.
    std::mutex mu;
    std::condition_variable changed;
    bool any_change = false;
    std::unique_ptr<EtcdWatch> watch;
    if (leader.ok()) {
      WatchOptions options;
      options.start_revision = leader->term + 1;  // anything after the leader's creation
      auto started = etcd_.Watch(
          key_, options,
          [&](const std::vector<WatchEvent>&, int64_t) {
            std::lock_guard<std::mutex> lock(mu);
            any_change = true;
            changed.notify_all();
          },
          [&](const Status&) {
            std::lock_guard<std::mutex> lock(mu);
            any_change = true;  // re-check by trying again
            changed.notify_all();
          });
      if (started.ok()) watch = std::move(started).value();
    }
    {
      std::unique_lock<std::mutex> lock(mu);
      while (!any_change) {
        if (stop != nullptr && stop->load()) break;
        if (std::chrono::steady_clock::now() >= deadline) break;
        // Bounded waits: a stop flag and the deadline are checked often, and
        // a missed watch only delays the next attempt.
        changed.wait_for(lock, std::chrono::milliseconds(250));
        if (watch == nullptr) break;  // no watch: poll
      }
    }
    if (watch) watch->Cancel();
    if (stop != nullptr && stop->load()) return Status::Unavailable("election: campaign stopped");
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::DeadlineExceeded(
          "election: " + candidate.node_id + " did not become coordinator within " +
          std::to_string(timeout.count()) + " ms" +
          (leader.ok() ? " (leader: " + leader->node_id + ", term " +
                             std::to_string(leader->term) + ")"
                       : " (" + leader.status().message() + ")"));
    }
  }
}

Result<bool> CoordinatorElection::StillLeads(int64_t term) {
  auto range = etcd_.Range(key_);
  if (!range.ok()) return range.status();
  return !range->kvs.empty() && range->kvs[0].create_revision == term;
}

Status CoordinatorElection::Resign(int64_t term) {
  auto txn = etcd_.Txn(TxnRequest{{TermFence(term)}, {TxnOp::Delete(key_)}, {}});
  return txn.status();
}

TxnCompare CoordinatorElection::TermFence(int64_t term) const {
  return TxnCompare::CreateRevision(key_, TxnCompare::Result::kEqual, term);
}

Result<std::unique_ptr<EtcdWatch>> CoordinatorElection::WatchLeadership(
    int64_t term, std::function<void(const Status&)> on_lost) {
  auto fired = std::make_shared<std::atomic<bool>>(false);
  auto fire = [fired, on_lost](const Status& s) {
    if (!fired->exchange(true)) on_lost(s);
  };
  WatchOptions options;
  options.start_revision = term + 1;
  const std::string key = key_;
  return etcd_.Watch(
      key_, options,
      [fire, term, key](const std::vector<WatchEvent>& events, int64_t) {
        for (const WatchEvent& e : events) {
          if (e.type == WatchEvent::Type::kDelete) {
            fire(Status::FailedPrecondition("election: term " + std::to_string(term) +
                                            " ended: " + key + " deleted at revision " +
                                            std::to_string(e.kv.mod_revision)));
            return;
          }
          if (e.kv.create_revision != term) {
            fire(Status::FailedPrecondition("election: term " + std::to_string(term) +
                                            " ended: term " + std::to_string(e.kv.create_revision) +
                                            " began"));
            return;
          }
        }
      },
      [fire](const Status& s) {
        // A lost stream resumes by itself; only a final error ends the watch.
        if (s.code() != Status::Code::kUnavailable) fire(s);
      });
}

}  // namespace driftline
