#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"

namespace driftline::storage {

RocksModelRegistry::RocksModelRegistry(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                                       RocksWriteGate* gate)
    : db_(db), family_(family), gate_(gate) {}

Result<std::unique_ptr<RocksModelRegistry>> RocksModelRegistry::Load(rocksdb::DB* db,
                                                                     rocksdb::ColumnFamilyHandle* family,
                                                                     RocksWriteGate* gate) {
  std::unique_ptr<RocksModelRegistry> registry(new RocksModelRegistry(db, family, gate));
  DRIFTLINE_RETURN_IF_ERROR(registry->LoadNumbered(keys::kModelOrderPrefix, &registry->order_));
  DRIFTLINE_RETURN_IF_ERROR(registry->LoadNumbered(keys::kModelHistoryPrefix, &registry->history_));
  for (const Numbered& entry : registry->order_) registry->registered_.insert(entry.second);
  return registry;
}

Status RocksModelRegistry::LoadNumbered(std::string_view prefix, std::vector<Numbered>* out) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid() && it->key().starts_with(
           rocksdb::Slice(prefix.data(), prefix.size())); it->Next()) {
    uint64_t number = 0;
    if (!keys::DecodeModelNumberKey(it->key().ToStringView(), prefix, &number)) {
      return Status::Corruption("models: malformed key under '" + std::string(prefix) + "'");
    }
    out->emplace_back(number, it->value().ToString());
  }
  return FromRocks(it->status(), "models: loading '" + std::string(prefix) + "'");
}

Status RocksModelRegistry::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = true;  // registry changes are rare and must not be lost
  return gate_->Write(options, batch, "models: write");
}

Status RocksModelRegistry::Put(const std::string& version, std::string artifact_bytes) {
  DRIFTLINE_RETURN_IF_ERROR(CheckVersionName(version));
  std::lock_guard<std::mutex> lock(mu_);
  if (registered_.count(version) != 0) {
    std::string stored;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, keys::ModelVersionKey(version), &stored);
    if (!s.ok()) return FromRocks(s, "models: reading '" + version + "'");
    if (stored == artifact_bytes) return Status::Ok();
    return Status::FailedPrecondition("model version '" + version +
                                      "' is already registered with a different artifact");
  }
  uint64_t number = order_.empty() ? 1 : order_.back().first + 1;
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(family_, keys::ModelVersionKey(version), artifact_bytes);
  if (s.ok()) s = batch.Put(family_, keys::ModelOrderKey(number), version);
  if (!s.ok()) return FromRocks(s, "models: batching '" + version + "'");
  DRIFTLINE_RETURN_IF_ERROR(Write(&batch));
  order_.emplace_back(number, version);
  registered_.insert(version);
  return Status::Ok();
}

Result<std::string> RocksModelRegistry::Get(const std::string& version) {
  std::string artifact;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, keys::ModelVersionKey(version), &artifact);
  if (s.IsNotFound()) return Status::NotFound("unknown model version '" + version + "'");
  if (!s.ok()) return FromRocks(s, "models: reading '" + version + "'");
  return artifact;
}

std::vector<std::string> RocksModelRegistry::List() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> versions;
  versions.reserve(order_.size());
  for (const Numbered& entry : order_) versions.push_back(entry.second);
  return versions;
}

Status RocksModelRegistry::Activate(const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (registered_.count(version) == 0) return Status::NotFound("unknown model version '" + version + "'");
  if (!history_.empty() && history_.back().second == version) return Status::Ok();
  uint64_t number = history_.empty() ? 1 : history_.back().first + 1;
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(family_, keys::ModelHistoryKey(number), version);
  if (!s.ok()) return FromRocks(s, "models: batching activation");
  DRIFTLINE_RETURN_IF_ERROR(Write(&batch));
  history_.emplace_back(number, version);
  return Status::Ok();
}

Result<std::string> RocksModelRegistry::Active() {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.empty()) return Status::NotFound("no model version was activated");
  return history_.back().second;
}

Result<std::string> RocksModelRegistry::Rollback() {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_.size() < 2) return Status::FailedPrecondition("no earlier active version to roll back to");
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Delete(family_, keys::ModelHistoryKey(history_.back().first));
  if (!s.ok()) return FromRocks(s, "models: batching rollback");
  DRIFTLINE_RETURN_IF_ERROR(Write(&batch));
  history_.pop_back();
  return history_.back().second;
}

}  // namespace driftline::storage
