// In-memory twins of the storage interfaces, for unit tests of other modules.
// They keep the same contracts as the RocksDB implementations (the storage
// tests run one suite against both), except that nothing survives the object.
//
// Thread safety: every method may be called from any thread (one mutex each).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "storage/node_store.h"

namespace driftline::storage {

class MemoryEventLog final : public EventLog {
 public:
  Result<SequenceRange> Append(uint32_t partition, const std::vector<std::string>& records) override;
  Result<std::vector<LogRecord>> Read(uint32_t partition, uint64_t from_sequence,
                                      size_t max_records) override;
  Status TruncateThrough(uint32_t partition, uint64_t sequence) override;
  uint64_t LastSequence(uint32_t partition) override;
  Status Sync() override { return Status::Ok(); }  // memory: nothing to make durable

 private:
  struct Partition {
    uint64_t last_sequence = 0;
    uint64_t truncated_through = 0;
    std::map<uint64_t, std::string> records;
  };
  std::mutex mu_;
  std::map<uint32_t, Partition> partitions_;  // guarded by mu_
};

class MemoryCheckpointStore final : public CheckpointStore {
 public:
  Status Put(uint32_t partition, uint64_t sequence, std::string bytes) override;
  Result<Checkpoint> Latest(uint32_t partition) override;
  Result<Checkpoint> Previous(uint32_t partition) override;

 private:
  std::mutex mu_;
  std::map<uint32_t, std::vector<Checkpoint>> kept_;  // oldest first, at most 2; guarded by mu_
};

class MemoryModelRegistry final : public ModelRegistry {
 public:
  Status Put(const std::string& version, std::string artifact_bytes) override;
  Result<std::string> Get(const std::string& version) override;
  std::vector<std::string> List() override;
  Status Activate(const std::string& version) override;
  Result<std::string> Active() override;
  Result<std::string> Rollback() override;

 private:
  std::mutex mu_;
  std::map<std::string, std::string> artifacts_;  // guarded by mu_
  std::vector<std::string> order_;                // registration order; guarded by mu_
  std::vector<std::string> history_;              // activation stack, top = back; guarded by mu_
};

class MemoryNodeMeta final : public NodeMeta {
 public:
  Status Put(const std::string& key, const std::string& value) override;
  Result<std::string> Get(const std::string& key) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::string> values_;  // guarded by mu_
};

class MemoryNodeStore final : public NodeStore {
 public:
  EventLog& events() override { return events_; }
  CheckpointStore& checkpoints() override { return checkpoints_; }
  ModelRegistry& models() override { return models_; }
  NodeMeta& meta() override { return meta_; }
  StorageCounters counters() override { return {}; }  // memory never fails

 private:
  MemoryEventLog events_;
  MemoryCheckpointStore checkpoints_;
  MemoryModelRegistry models_;
  MemoryNodeMeta meta_;
};

}  // namespace driftline::storage
