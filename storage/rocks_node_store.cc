#include "storage/rocks_node_store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <algorithm>

#include "storage/keys.h"
#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"

namespace driftline::storage {
namespace {

const char* const kFamilies[] = {keys::kEventsFamily, keys::kCheckpointsFamily, keys::kModelsFamily,
                                 keys::kMetaFamily};

rocksdb::Options ToRocksOptions(const StorageOptions& options) {
  rocksdb::Options rocks;
  rocks.create_if_missing = options.create_if_missing;
  rocks.create_missing_column_families = true;
  rocks.write_buffer_size = options.write_buffer_bytes;
  rocks.keep_log_file_num = options.keep_log_files;
  // Replay the WAL up to the first damaged record: a torn batch is dropped
  // whole, the batches before it are kept.
  rocks.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  return rocks;
}

// Names of the families to open: every existing one plus the required ones.
Result<std::vector<std::string>> FamiliesToOpen(const std::string& dir, const StorageOptions& options,
                                                const rocksdb::Options& rocks) {
  std::vector<std::string> names;
  rocksdb::Status exists = rocks.env->FileExists(dir + "/CURRENT");
  if (exists.ok()) {
    if (options.error_if_exists) return Status::FailedPrecondition("a database already exists at " + dir);
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocks, dir, &names);
    if (!s.ok()) return FromRocks(s, "storage: listing column families of " + dir);
  } else if (exists.IsNotFound()) {
    if (!options.create_if_missing) return Status::NotFound("no database at " + dir);
    names.push_back(rocksdb::kDefaultColumnFamilyName);
  } else {
    return FromRocks(exists, "storage: probing " + dir);
  }
  for (const char* required : kFamilies) {
    if (std::find(names.begin(), names.end(), required) == names.end()) names.push_back(required);
  }
  return names;
}

// Writes the format version into a new store, or checks an existing one's.
Status CheckFormatVersion(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta) {
  std::string stored;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), meta, keys::FormatVersionKey(), &stored);
  std::string ours = std::to_string(keys::kFormatVersion);
  if (s.IsNotFound()) {
    rocksdb::WriteOptions synced;
    synced.sync = true;
    return FromRocks(db->Put(synced, meta, keys::FormatVersionKey(), ours), "storage: writing format version");
  }
  if (!s.ok()) return FromRocks(s, "storage: reading format version");
  if (stored != ours) {
    return Status::FailedPrecondition("storage: on-disk format version " + stored + ", this build reads " + ours);
  }
  return Status::Ok();
}

}  // namespace

RocksNodeMeta::RocksNodeMeta(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) : db_(db), family_(family) {}

Status RocksNodeMeta::Put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("node meta key must not be empty");
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return FromRocks(db_->Put(synced, family_, keys::NodeMetaKey(key), value), "meta: put '" + key + "'");
}

Result<std::string> RocksNodeMeta::Get(const std::string& key) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, keys::NodeMetaKey(key), &value);
  if (s.IsNotFound()) return Status::NotFound("no node meta value for '" + key + "'");
  if (!s.ok()) return FromRocks(s, "meta: get '" + key + "'");
  return value;
}

Result<std::unique_ptr<RocksNodeStore>> RocksNodeStore::Open(const std::string& dir,
                                                             const StorageOptions& options) {
  if (dir.empty()) return Status::InvalidArgument("storage: empty directory name");
  std::unique_ptr<RocksNodeStore> store(new RocksNodeStore());
  DRIFTLINE_RETURN_IF_ERROR(store->OpenParts(dir, options));
  return store;
}

Status RocksNodeStore::OpenParts(const std::string& dir, const StorageOptions& options) {
  rocksdb::Options rocks = ToRocksOptions(options);
  Result<std::vector<std::string>> names = FamiliesToOpen(dir, options, rocks);
  DRIFTLINE_RETURN_IF_ERROR(names.status());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : *names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(rocks));
  }
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(rocks), dir, descriptors, &handles_, &db_);
  if (!s.ok()) return FromRocks(s, "storage: opening " + dir);

  auto family = [&](const char* name) {
    for (size_t i = 0; i < names->size(); ++i) {
      if ((*names)[i] == name) return handles_[i];
    }
    return static_cast<rocksdb::ColumnFamilyHandle*>(nullptr);  // unreachable: FamiliesToOpen adds it
  };
  DRIFTLINE_RETURN_IF_ERROR(CheckFormatVersion(db_, family(keys::kMetaFamily)));
  Result<std::unique_ptr<RocksEventLog>> events = RocksEventLog::Load(db_, family(keys::kEventsFamily), options.sync);
  DRIFTLINE_RETURN_IF_ERROR(events.status());
  Result<std::unique_ptr<RocksModelRegistry>> models = RocksModelRegistry::Load(db_, family(keys::kModelsFamily));
  DRIFTLINE_RETURN_IF_ERROR(models.status());
  events_ = std::move(*events);
  models_ = std::move(*models);
  checkpoints_ = std::make_unique<RocksCheckpointStore>(db_, family(keys::kCheckpointsFamily));
  meta_ = std::make_unique<RocksNodeMeta>(db_, family(keys::kMetaFamily));
  return Status::Ok();
}

RocksNodeStore::~RocksNodeStore() {
  events_.reset();
  checkpoints_.reset();
  models_.reset();
  meta_.reset();
  if (db_ == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  // Every write already reached the WAL; a failing close loses nothing acknowledged.
  db_->Close().PermitUncheckedError();
  delete db_;
}

EventLog& RocksNodeStore::events() { return *events_; }
CheckpointStore& RocksNodeStore::checkpoints() { return *checkpoints_; }
ModelRegistry& RocksNodeStore::models() { return *models_; }
NodeMeta& RocksNodeStore::meta() { return *meta_; }

}  // namespace driftline::storage
