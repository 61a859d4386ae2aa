// RocksNodeStore: the four storage interfaces over one RocksDB per node.
//
// Layout: column families "events", "checkpoints", "models" and "meta" (plus
// RocksDB's "default", unused); key formats in storage/keys.h and
// docs/storage.md. This and the other rocks_* files are the only places in
// driftline that see RocksDB; this header does not include it.
//
// Durability: all writes go through RocksDB's write-ahead log. EventLog
// appends are fsynced only with StorageOptions::sync; checkpoint, registry and
// meta writes are always fsynced. Recovery uses point-in-time WAL recovery, so
// a batch is either fully recovered or absent.
//
// Ownership: the store owns the database and its four parts; close it by
// destroying it. One process opens a directory at a time (RocksDB's lock file;
// a second Open fails with IoError).
// Thread safety: all methods of all parts are safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
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

class RocksNodeStore final : public NodeStore {
 public:
  // Opens (or, with options.create_if_missing, creates) the store in `dir`.
  // Existing column families are listed first and all opened; missing ones
  // are created. Loads each partition's log head and the registry history.
  // Errors: InvalidArgument for an empty dir; NotFound when there is no
  // database and create_if_missing is false; FailedPrecondition when one
  // exists and error_if_exists is set, or its format version is unknown;
  // IoError / Corruption from RocksDB (e.g. `dir` is a file, or is locked).
  static Result<std::unique_ptr<RocksNodeStore>> Open(const std::string& dir,
                                                      const StorageOptions& options);

  ~RocksNodeStore() override;
  RocksNodeStore(const RocksNodeStore&) = delete;
  RocksNodeStore& operator=(const RocksNodeStore&) = delete;

  EventLog& events() override;
  CheckpointStore& checkpoints() override;
  ModelRegistry& models() override;
  NodeMeta& meta() override;

 private:
  RocksNodeStore() = default;
  Status OpenParts(const std::string& dir, const StorageOptions& options);

  rocksdb::DB* db_ = nullptr;                      // owned; deleted last
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; one per opened family
  std::unique_ptr<RocksEventLog> events_;
  std::unique_ptr<RocksCheckpointStore> checkpoints_;
  std::unique_ptr<RocksModelRegistry> models_;
  std::unique_ptr<RocksNodeMeta> meta_;
};

}  // namespace driftline::storage
