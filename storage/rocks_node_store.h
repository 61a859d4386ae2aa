// RocksNodeStore: the four storage interfaces over one RocksDB per node.
//
// Layout: column families "events", "checkpoints", "models" and "meta" (plus
// RocksDB's "default", unused); key formats in storage/keys.h and
// docs/storage.md. This and the other rocks_* files are the only places in
// driftline that see RocksDB; this header does not include it.
//
// Durability: all writes go through RocksDB's write-ahead log. EventLog
// appends are fsynced only with StorageOptions::sync; checkpoint, registry and
// meta writes are always fsynced. A batch is either fully recovered or absent.
// Recovery tolerates a torn WAL tail only; damage before the end is refused
// unless accepted (StorageOptions::accept_data_loss, docs/faults.md).
// A full disk refuses writes with ResourceExhausted; the store resumes
// writing by itself once space returns (rocks_write_gate.h).
//
// Ownership: the store owns the database and its four parts; close it by
// destroying it. One process opens a directory at a time (RocksDB's lock file;
// a second Open fails with IoError).
// Thread safety: all methods of all parts are safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/data_loss.h"
#include "storage/node_store.h"
#include "storage/storage_options.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace driftline::storage {

class RocksEventLog;
class RocksCheckpointStore;
class RocksModelRegistry;
class RocksNodeMeta;
class RocksWriteGate;

class RocksNodeStore final : public NodeStore {
 public:
  // Opens (or, with options.create_if_missing, creates) the store in `dir`.
  // Existing column families are listed first and all opened; missing ones
  // are created. Loads each partition's log head and the registry history.
  // Errors: InvalidArgument for an empty dir; NotFound when there is no
  // database and create_if_missing is false; FailedPrecondition when one
  // exists and error_if_exists is set, or its format version is unknown;
  // IoError / Corruption from RocksDB (e.g. `dir` is a file, or is locked);
  // ResourceExhausted when the disk is full; Corruption naming what would be
  // lost (DataLossReport::Describe) when the write-ahead log is damaged before
  // its end and options.accept_data_loss is false (nothing on disk changes).
  static Result<std::unique_ptr<RocksNodeStore>> Open(const std::string& dir,
                                                      const StorageOptions& options);

  ~RocksNodeStore() override;
  RocksNodeStore(const RocksNodeStore&) = delete;
  RocksNodeStore& operator=(const RocksNodeStore&) = delete;

  EventLog& events() override;
  CheckpointStore& checkpoints() override;
  ModelRegistry& models() override;
  NodeMeta& meta() override;
  // Write failures, resumes, and the data loss accepted in this directory
  // (summed over every start that accepted some; kept in the node meta).
  StorageCounters counters() override;

  // The loss accepted by this Open (options.accept_data_loss on a damaged
  // WAL); nullopt when nothing was dropped.
  const std::optional<DataLossReport>& accepted_data_loss() const { return accepted_data_loss_; }

 private:
  RocksNodeStore() = default;
  Status OpenParts(const std::string& dir, const StorageOptions& options);
  // Loads the accepted-loss totals from the node meta and adds this start's.
  // (If this write fails the loss already happened: the open fails, and the
  // next start finds no damage and no record of it.)
  Status RecordAcceptedLoss();

  // The gate outlives the database: RocksDB's listener refers to it.
  std::unique_ptr<RocksWriteGate> gate_;
  rocksdb::DB* db_ = nullptr;                      // owned; deleted last
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; one per opened family
  std::unique_ptr<RocksEventLog> events_;
  std::unique_ptr<RocksCheckpointStore> checkpoints_;
  std::unique_ptr<RocksModelRegistry> models_;
  std::unique_ptr<RocksNodeMeta> meta_;
  std::optional<DataLossReport> accepted_data_loss_;
  uint64_t lost_writes_ = 0;       // accepted, summed over starts
  uint64_t lost_log_records_ = 0;  // accepted, summed over starts
};

}  // namespace driftline::storage
