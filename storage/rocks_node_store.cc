#include "storage/rocks_node_store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/memtablerep.h>

#include <algorithm>
#include <charconv>

#include "storage/keys.h"
#include "storage/rocks_info_log.h"
#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"
#include "storage/rocks_wal_probe.h"
#include "storage/rocks_write_gate.h"

namespace driftline::storage {
namespace {

const char* const kFamilies[] = {keys::kEventsFamily, keys::kCheckpointsFamily, keys::kModelsFamily,
                                 keys::kMetaFamily};

// The node meta key where accepted data loss accumulates, as
// "<lost writes> <lost log records>" in decimal (docs/storage.md).
constexpr char kAcceptedLossKey[] = "storage.accepted_data_loss";

rocksdb::Options ToRocksOptions(const StorageOptions& options, const std::string& dir, RocksWriteGate* gate) {
  rocksdb::Options rocks;
  rocks.create_if_missing = options.create_if_missing;
  rocks.create_missing_column_families = true;
  rocks.write_buffer_size = options.write_buffer_bytes;
  // Our logger: it never aborts on a full disk. It needs the directory,
  // which DB::Open would otherwise create (a failure here is Open's to report).
  if (options.create_if_missing) rocks.env->CreateDirIfMissing(dir).PermitUncheckedError();
  rocks.info_log = std::make_shared<BoundedInfoLog>(dir, options.info_log_bytes);
  rocks.listeners.push_back(gate->MakeListener());
  // A torn tail (an incomplete last record: a machine crash during a write)
  // is dropped silently: it was never acknowledged as fsynced. Damage before
  // the end fails Open, and OpenParts decides (docs/faults.md "Damaged logs").
  rocks.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // The events family's vector memtable takes one writer at a time; RocksDB
  // batches concurrent writers into one group anyway.
  rocks.allow_concurrent_memtable_write = false;
  return rocks;
}

// Parses "<writes> <records>"; false if `text` is not exactly that.
bool ParseAcceptedLoss(const std::string& text, uint64_t* writes, uint64_t* records) {
  const char* end = text.data() + text.size();
  auto first = std::from_chars(text.data(), end, *writes);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != ' ') return false;
  auto second = std::from_chars(first.ptr + 1, end, *records);
  return second.ec == std::errc() && second.ptr == end;
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

RocksNodeMeta::RocksNodeMeta(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate)
    : db_(db), family_(family), gate_(gate) {}

Status RocksNodeMeta::Put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("node meta key must not be empty");
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(family_, keys::NodeMetaKey(key), value);
  if (!s.ok()) return FromRocks(s, "meta: batching '" + key + "'");
  return gate_->Write(synced, &batch, "meta: put '" + key + "'");
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
  gate_ = std::make_unique<RocksWriteGate>();
  rocksdb::Options rocks = ToRocksOptions(options, dir, gate_.get());
  Result<std::vector<std::string>> names = FamiliesToOpen(dir, options, rocks);
  DRIFTLINE_RETURN_IF_ERROR(names.status());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : *names) {
    rocksdb::ColumnFamilyOptions family(rocks);
    if (name == keys::kEventsFamily) {
      // The event log is written in sequence and read only by recovery (and
      // hand-offs): an unsorted vector memtable takes an append for a skip-list
      // insert (the append's RocksDB cost fell from ~12k to ~5k instructions a
      // record, bench/RESULTS.md); an iterator over it sorts a copy once.
      family.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    }
    descriptors.emplace_back(name, family);
  }
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(rocks), dir, descriptors, &handles_, &db_);
  if (s.IsCorruption()) {
    // Damage before the WAL's end: measure what recovering up to it drops.
    const std::string damage = s.ToString();
    auto report = ProbeWalDamage(dir, rocks, damage);
    if (!report.ok()) {
      return Status::Corruption("storage: " + dir + " cannot be opened (" + damage +
                                ") and the damage is not only in the write-ahead log: " + report.status().message());
    }
    if (!options.accept_data_loss) {
      return Status::Corruption("storage: " + dir + ": " + report->Describe() +
                                ". Nothing was changed. Restore the directory from a copy, or accept the loss "
                                "explicitly to start from what precedes the damage");
    }
    rocks.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    handles_.clear();
    s = rocksdb::DB::Open(rocksdb::DBOptions(rocks), dir, descriptors, &handles_, &db_);
    if (s.ok()) accepted_data_loss_ = std::move(*report);
  }
  if (!s.ok()) return FromRocks(s, "storage: opening " + dir);
  gate_->Attach(db_);

  auto family = [&](const char* name) {
    for (size_t i = 0; i < names->size(); ++i) {
      if ((*names)[i] == name) return handles_[i];
    }
    return static_cast<rocksdb::ColumnFamilyHandle*>(nullptr);  // unreachable: FamiliesToOpen adds it
  };
  DRIFTLINE_RETURN_IF_ERROR(CheckFormatVersion(db_, family(keys::kMetaFamily)));
  Result<std::unique_ptr<RocksEventLog>> events =
      RocksEventLog::Load(db_, family(keys::kEventsFamily), gate_.get(), options.sync);
  DRIFTLINE_RETURN_IF_ERROR(events.status());
  Result<std::unique_ptr<RocksModelRegistry>> models =
      RocksModelRegistry::Load(db_, family(keys::kModelsFamily), gate_.get());
  DRIFTLINE_RETURN_IF_ERROR(models.status());
  events_ = std::move(*events);
  models_ = std::move(*models);
  checkpoints_ = std::make_unique<RocksCheckpointStore>(db_, family(keys::kCheckpointsFamily), gate_.get());
  meta_ = std::make_unique<RocksNodeMeta>(db_, family(keys::kMetaFamily), gate_.get());
  return RecordAcceptedLoss();
}

Status RocksNodeStore::RecordAcceptedLoss() {
  auto stored = meta_->Get(kAcceptedLossKey);
  if (stored.ok()) {
    if (!ParseAcceptedLoss(*stored, &lost_writes_, &lost_log_records_)) {
      return Status::Corruption(std::string("storage: node meta '") + kAcceptedLossKey + "' holds '" + *stored +
                                "', not two numbers");
    }
  } else if (stored.status().code() != Status::Code::kNotFound) {
    return stored.status();
  }
  if (!accepted_data_loss_) return Status::Ok();
  lost_writes_ += accepted_data_loss_->lost_writes;
  lost_log_records_ += accepted_data_loss_->lost_log_records();
  return meta_->Put(kAcceptedLossKey, std::to_string(lost_writes_) + " " + std::to_string(lost_log_records_));
}

StorageCounters RocksNodeStore::counters() {
  StorageCounters c = gate_->counters();
  c.accepted_lost_writes = static_cast<int64_t>(lost_writes_);
  c.accepted_lost_log_records = static_cast<int64_t>(lost_log_records_);
  return c;
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
