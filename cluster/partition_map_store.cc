#include "cluster/partition_map_store.h"

#include "cluster/cluster_keys.h"

namespace driftline {
Result<PartitionMapSnapshot> PartitionMapSnapshotOf(const KeyValue& kv) {
  auto map = DecodePartitionMap(kv.value);
  if (!map.ok()) return Status::Corruption("etcd key " + kv.key + ": " + map.status().message());
  return PartitionMapSnapshot{std::move(map).value(), kv.mod_revision};
}

PartitionMapStore::PartitionMapStore(EtcdClient& etcd, std::string cluster)
    : etcd_(etcd), key_(cluster_keys::PartitionMapKey(cluster)) {}

Result<PartitionMapSnapshot> PartitionMapStore::CreateCluster(uint32_t partitions) {
  auto fresh = NewPartitionMap(partitions);
  if (!fresh.ok()) return fresh.status();
  auto txn = etcd_.Txn(TxnRequest{{TxnCompare::Absent(key_)},
                                  {TxnOp::Put(key_, EncodePartitionMap(*fresh))},
                                  {TxnOp::Range(key_)}});
  if (!txn.ok()) return txn.status();
  if (txn->succeeded) return PartitionMapSnapshot{std::move(fresh).value(), txn->revision};
  if (txn->ranges.empty() || txn->ranges[0].empty()) {
    return Status::Unavailable("partition map " + key_ + " vanished during creation; retry");
  }
  auto existing = PartitionMapSnapshotOf(txn->ranges[0][0]);
  if (!existing.ok()) return existing.status();
  if (existing->map.partition_count() != partitions) {
    return Status::FailedPrecondition(
        "the cluster exists with " + std::to_string(existing->map.partition_count()) +
        " partitions; it cannot be created with " + std::to_string(partitions) +
        " (the count is fixed at creation)");
  }
  return existing;
}

Result<PartitionMapSnapshot> PartitionMapStore::Read() {
  auto range = etcd_.Range(key_);
  if (!range.ok()) return range.status();
  if (range->kvs.empty()) {
    return Status::NotFound("no partition map at " + key_ + ": the cluster was not created");
  }
  return PartitionMapSnapshotOf(range->kvs[0]);
}

Result<MapCommit> PartitionMapStore::Change(const PartitionMapSnapshot& read,
                                            const std::vector<PartitionChange>& changes,
                                            const std::vector<TxnCompare>& fences) {
  auto next = ApplyChanges(read.map, changes);
  if (!next.ok()) return next.status();
  TxnRequest request;
  request.compares.push_back(
      TxnCompare::ModRevision(key_, TxnCompare::Result::kEqual, read.revision));
  for (const TxnCompare& f : fences) request.compares.push_back(f);
  request.success.push_back(TxnOp::Put(key_, EncodePartitionMap(*next)));
  request.failure.push_back(TxnOp::Range(key_));
  auto txn = etcd_.Txn(request);
  if (!txn.ok()) return txn.status();
  if (txn->succeeded) {
    return MapCommit{true, PartitionMapSnapshot{std::move(next).value(), txn->revision}};
  }
  if (txn->ranges.empty() || txn->ranges[0].empty()) {
    return Status::NotFound("no partition map at " + key_ + ": it was deleted");
  }
  auto current = PartitionMapSnapshotOf(txn->ranges[0][0]);
  if (!current.ok()) return current.status();
  return MapCommit{false, std::move(current).value()};
}

Result<std::unique_ptr<PartitionMapCache>> PartitionMapCache::Follow(EtcdClient& etcd,
                                                                     const std::string& cluster) {
  DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName("cluster name", cluster));
  PartitionMapStore store(etcd, cluster);
  auto first = store.Read();
  if (!first.ok()) return first.status();
  std::unique_ptr<PartitionMapCache> cache(
      new PartitionMapCache(etcd, cluster, std::move(first).value()));
  cache->StartWatch();
  return cache;
}

PartitionMapCache::PartitionMapCache(EtcdClient& etcd, std::string cluster,
                                     PartitionMapSnapshot first)
    : etcd_(etcd),
      cluster_(std::move(cluster)),
      current_(std::make_shared<const PartitionMapSnapshot>(std::move(first))) {
  resync_thread_ = std::thread([this] { ResyncLoop(); });
}

PartitionMapCache::~PartitionMapCache() {
  std::unique_ptr<EtcdWatch> watch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    watch = std::move(watch_);
  }
  changed_.notify_all();
  if (watch) watch->Cancel();
  if (resync_thread_.joinable()) resync_thread_.join();
}

std::shared_ptr<const PartitionMapSnapshot> PartitionMapCache::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

bool PartitionMapCache::WaitForRevision(int64_t revision, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return current_->revision >= revision; });
}

Status PartitionMapCache::watch_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watch_status_;
}

void PartitionMapCache::Install(PartitionMapSnapshot snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (snapshot.revision <= current_->revision) return;  // never go back
  current_ = std::make_shared<const PartitionMapSnapshot>(std::move(snapshot));
  watch_status_ = Status::Ok();
  changed_.notify_all();
}

void PartitionMapCache::StartWatch() {
  WatchOptions options;
  options.start_revision = Current()->revision + 1;
  auto watch = etcd_.Watch(
      cluster_keys::PartitionMapKey(cluster_), options,
      [this](const std::vector<WatchEvent>& events, int64_t) {
        for (const WatchEvent& e : events) {
          if (e.type == WatchEvent::Type::kDelete) {
            std::lock_guard<std::mutex> lock(mu_);
            watch_status_ = Status::NotFound("the partition map was deleted; serving the last one");
            continue;
          }
          auto map = DecodePartitionMap(e.kv.value);
          if (!map.ok()) {
            std::lock_guard<std::mutex> lock(mu_);
            watch_status_ = Status::Corruption("partition map at revision " +
                                               std::to_string(e.kv.mod_revision) + ": " +
                                               map.status().message());
            continue;
          }
          Install(PartitionMapSnapshot{std::move(map).value(), e.kv.mod_revision});
        }
      },
      [this](const Status& s) {
        std::lock_guard<std::mutex> lock(mu_);
        watch_status_ = s;
        if (s.code() != Status::Code::kUnavailable) {  // the watch ended for good
          resync_needed_ = true;
          changed_.notify_all();
        }
      });
  std::lock_guard<std::mutex> lock(mu_);
  if (!watch.ok()) {
    watch_status_ = watch.status();
    resync_needed_ = true;
    return;
  }
  watch_ = std::move(watch).value();
}

void PartitionMapCache::ResyncLoop() {
  PartitionMapStore store(etcd_, cluster_);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    changed_.wait_for(lock, std::chrono::milliseconds(500),
                      [this] { return stopping_ || resync_needed_; });
    if (stopping_ || !resync_needed_) continue;
    std::unique_ptr<EtcdWatch> old = std::move(watch_);
    lock.unlock();
    if (old) old->Cancel();
    auto snapshot = store.Read();
    if (snapshot.ok()) {
      lock.lock();
      resync_needed_ = false;  // StartWatch or its watch set it again on failure
      lock.unlock();
      Install(std::move(snapshot).value());
      StartWatch();
      lock.lock();
    } else {
      lock.lock();
      watch_status_ = snapshot.status();  // retried after the wait
    }
  }
}

}  // namespace driftline
