// Internal to storage/: the RocksDB implementations of the four interfaces
// that RocksNodeStore hands out. Each part works on one column family of a
// database it does not own; RocksNodeStore keeps the database and the family
// handles alive longer than the parts.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/keys.h"
#include "storage/node_store.h"
#include "storage/rocks_write_gate.h"

namespace driftline::storage {

class RocksEventLog final : public EventLog {
 public:
  // Reads every partition's head (one seek per partition).
  static Result<std::unique_ptr<RocksEventLog>> Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                                                     RocksWriteGate* gate, bool sync);

  Result<SequenceRange> Append(uint32_t partition, const std::vector<std::string>& records) override;
  Result<std::vector<LogRecord>> Read(uint32_t partition, uint64_t from_sequence,
                                      size_t max_records) override;
  Status TruncateThrough(uint32_t partition, uint64_t sequence) override;
  uint64_t LastSequence(uint32_t partition) override;
  Status Sync() override;

  // The partitions that have a head, ascending.
  std::vector<uint32_t> Partitions();

 private:
  // The in-memory copy of a partition's head. `mu` serializes the writers of
  // one partition: the head is updated only after its batch was written.
  struct PartitionState {
    std::mutex mu;
    keys::EventHead head;  // guarded by mu
  };

  RocksEventLog(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate, bool sync);
  PartitionState& StateOf(uint32_t partition);  // creates an empty one if needed

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
  RocksWriteGate* const gate_;
  rocksdb::WriteOptions write_options_;
  std::mutex map_mu_;
  std::map<uint32_t, std::unique_ptr<PartitionState>> partitions_;  // guarded by map_mu_
};

class RocksCheckpointStore final : public CheckpointStore {
 public:
  RocksCheckpointStore(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate);

  Status Put(uint32_t partition, uint64_t sequence, std::string bytes) override;
  Result<Checkpoint> Latest(uint32_t partition) override;
  Result<Checkpoint> Previous(uint32_t partition) override;

 private:
  // Sequences of the partition's stored checkpoints, ascending.
  Result<std::vector<uint64_t>> Sequences(uint32_t partition);
  // The checkpoint `from_newest` places before the newest (0 = latest).
  Result<Checkpoint> Nth(uint32_t partition, size_t from_newest);

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
  RocksWriteGate* const gate_;
  std::mutex put_mu_;  // serializes Put's read-modify-write
};

class RocksModelRegistry final : public ModelRegistry {
 public:
  // Reads the registration order and the activation history.
  static Result<std::unique_ptr<RocksModelRegistry>> Load(rocksdb::DB* db,
                                                          rocksdb::ColumnFamilyHandle* family,
                                                          RocksWriteGate* gate);

  Status Put(const std::string& version, std::string artifact_bytes) override;
  Result<std::string> Get(const std::string& version) override;
  std::vector<std::string> List() override;
  Status Activate(const std::string& version) override;
  Result<std::string> Active() override;
  Result<std::string> Rollback() override;

 private:
  using Numbered = std::pair<uint64_t, std::string>;  // (key number, version)

  RocksModelRegistry(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate);
  Status LoadNumbered(std::string_view prefix, std::vector<Numbered>* out);
  Status Write(rocksdb::WriteBatch* batch);

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
  RocksWriteGate* const gate_;
  std::mutex mu_;                    // makes each call atomic; guards the members below
  std::vector<Numbered> order_;      // registration order
  std::set<std::string> registered_;
  std::vector<Numbered> history_;    // activation stack, top = back
};

class RocksNodeMeta final : public NodeMeta {
 public:
  RocksNodeMeta(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate);

  Status Put(const std::string& key, const std::string& value) override;
  Result<std::string> Get(const std::string& key) override;

 private:
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
  RocksWriteGate* const gate_;
};

}  // namespace driftline::storage
