#include "storage/memory_node_store.h"

namespace driftline::storage {

Result<SequenceRange> MemoryEventLog::Append(uint32_t partition,
                                             const std::vector<std::string>& records) {
  if (records.empty()) return Status::InvalidArgument("append of an empty batch");
  std::lock_guard<std::mutex> lock(mu_);
  Partition& p = partitions_[partition];
  SequenceRange range{p.last_sequence + 1, p.last_sequence + records.size()};
  for (const std::string& r : records) p.records.emplace(++p.last_sequence, r);
  return range;
}

Result<std::vector<LogRecord>> MemoryEventLog::Read(uint32_t partition, uint64_t from_sequence,
                                                    size_t max_records) {
  if (from_sequence == 0) return Status::InvalidArgument("sequence numbers start at 1");
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LogRecord> out;
  auto pit = partitions_.find(partition);
  if (pit == partitions_.end()) return out;
  const Partition& p = pit->second;
  if (from_sequence <= p.truncated_through) {
    return Status::FailedPrecondition("partition " + std::to_string(partition) +
                                      ": records through " + std::to_string(p.truncated_through) +
                                      " were truncated");
  }
  for (auto it = p.records.lower_bound(from_sequence);
       it != p.records.end() && out.size() < max_records; ++it) {
    out.push_back(LogRecord{it->first, it->second});
  }
  return out;
}

Status MemoryEventLog::TruncateThrough(uint32_t partition, uint64_t sequence) {
  std::lock_guard<std::mutex> lock(mu_);
  Partition& p = partitions_[partition];
  if (sequence > p.last_sequence) {
    return Status::InvalidArgument("partition " + std::to_string(partition) + ": cannot truncate through " +
                                   std::to_string(sequence) + ", last sequence is " +
                                   std::to_string(p.last_sequence));
  }
  if (sequence <= p.truncated_through) return Status::Ok();
  p.records.erase(p.records.begin(), p.records.upper_bound(sequence));
  p.truncated_through = sequence;
  return Status::Ok();
}

uint64_t MemoryEventLog::LastSequence(uint32_t partition) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = partitions_.find(partition);
  return it == partitions_.end() ? 0 : it->second.last_sequence;
}

Status MemoryCheckpointStore::Put(uint32_t partition, uint64_t sequence, std::string bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Checkpoint>& kept = kept_[partition];
  if (!kept.empty() && sequence < kept.back().sequence) {
    return Status::FailedPrecondition("partition " + std::to_string(partition) + ": checkpoint at " +
                                      std::to_string(sequence) + " is older than the latest at " +
                                      std::to_string(kept.back().sequence));
  }
  if (!kept.empty() && sequence == kept.back().sequence) kept.pop_back();
  kept.push_back(Checkpoint{partition, sequence, std::move(bytes)});
  if (kept.size() > 2) kept.erase(kept.begin());
  return Status::Ok();
}

Result<Checkpoint> MemoryCheckpointStore::Latest(uint32_t partition) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = kept_.find(partition);
  if (it == kept_.end() || it->second.empty()) {
    return Status::NotFound("no checkpoint for partition " + std::to_string(partition));
  }
  return it->second.back();
}

Result<Checkpoint> MemoryCheckpointStore::Previous(uint32_t partition) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = kept_.find(partition);
  if (it == kept_.end() || it->second.size() < 2) {
    return Status::NotFound("no previous checkpoint for partition " + std::to_string(partition));
  }
  return it->second.front();
}

Status MemoryModelRegistry::Put(const std::string& version, std::string artifact_bytes) {
  DRIFTLINE_RETURN_IF_ERROR(CheckVersionName(version));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = artifacts_.find(version);
  if (it != artifacts_.end()) {
    if (it->second == artifact_bytes) return Status::Ok();
    return Status::FailedPrecondition("model version '" + version +
                                      "' is already registered with a different artifact");
  }
  artifacts_.emplace(version, std::move(artifact_bytes));
  order_.push_back(version);
  return Status::Ok();
}

Result<std::string> MemoryModelRegistry::Get(const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = artifacts_.find(version);
  if (it == artifacts_.end()) return Status::NotFound("unknown model version '" + version + "'");
  return it->second;
}

std::vector<std::string> MemoryModelRegistry::List() {
  std::lock_guard<std::mutex> lock(mu_);
  return order_;
}

Status MemoryModelRegistry::Activate(const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (artifacts_.count(version) == 0) return Status::NotFound("unknown model version '" + version + "'");
  if (history_.empty() || history_.back() != version) history_.push_back(version);
  return Status::Ok();
}

Result<std::string> MemoryModelRegistry::Active() {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.empty()) return Status::NotFound("no model version was activated");
  return history_.back();
}

Result<std::string> MemoryModelRegistry::Rollback() {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.size() < 2) return Status::FailedPrecondition("no earlier active version to roll back to");
  history_.pop_back();
  return history_.back();
}

Status MemoryNodeMeta::Put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("node meta key must not be empty");
  std::lock_guard<std::mutex> lock(mu_);
  values_[key] = value;
  return Status::Ok();
}

Result<std::string> MemoryNodeMeta::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(key);
  if (it == values_.end()) return Status::NotFound("no node meta value for '" + key + "'");
  return it->second;
}

}  // namespace driftline::storage
