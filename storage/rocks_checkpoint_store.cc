#include <limits>

#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"

namespace driftline::storage {
namespace {

std::string PartitionName(uint32_t partition) { return "partition " + std::to_string(partition); }

// Checkpoints are rare and recovery depends on them: always fsync.
rocksdb::WriteOptions SyncedWrite() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

}  // namespace

RocksCheckpointStore::RocksCheckpointStore(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                                           RocksWriteGate* gate)
    : db_(db), family_(family), gate_(gate) {}

Result<std::vector<uint64_t>> RocksCheckpointStore::Sequences(uint32_t partition) {
  std::vector<uint64_t> sequences;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
  for (it->Seek(keys::CheckpointPrefix(partition)); it->Valid(); it->Next()) {
    uint32_t p = 0;
    uint64_t sequence = 0;
    if (!keys::DecodeCheckpointKey(it->key().ToStringView(), &p, &sequence)) {
      return Status::Corruption("checkpoints: malformed key of " + std::to_string(it->key().size()) + " bytes");
    }
    if (p != partition) break;
    sequences.push_back(sequence);
  }
  DRIFTLINE_RETURN_IF_ERROR(FromRocks(it->status(), "checkpoints: " + PartitionName(partition)));
  return sequences;
}

Result<Checkpoint> RocksCheckpointStore::Nth(uint32_t partition, size_t from_newest) {
  Result<std::vector<uint64_t>> sequences = Sequences(partition);
  if (!sequences.ok()) return sequences.status();
  if (sequences->size() <= from_newest) {
    return Status::NotFound(std::string(from_newest == 0 ? "no" : "no previous") + " checkpoint for " +
                            PartitionName(partition));
  }
  Checkpoint checkpoint;
  checkpoint.partition = partition;
  checkpoint.sequence = (*sequences)[sequences->size() - 1 - from_newest];
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_,
                               keys::CheckpointKey(partition, checkpoint.sequence), &checkpoint.bytes);
  if (!s.ok()) return FromRocks(s, "checkpoints: " + PartitionName(partition));
  return checkpoint;
}

Status RocksCheckpointStore::Put(uint32_t partition, uint64_t sequence, std::string bytes) {
  std::lock_guard<std::mutex> lock(put_mu_);
  Result<std::vector<uint64_t>> existing = Sequences(partition);
  DRIFTLINE_RETURN_IF_ERROR(existing.status());
  if (!existing->empty() && sequence < existing->back()) {
    return Status::FailedPrecondition("checkpoints: " + PartitionName(partition) + ": checkpoint at " +
                                      std::to_string(sequence) + " is older than the latest at " +
                                      std::to_string(existing->back()));
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(family_, keys::CheckpointKey(partition, sequence), bytes);
  // Keep the new checkpoint and the newest older one; drop the rest.
  bool kept_previous = false;
  for (auto it = existing->rbegin(); s.ok() && it != existing->rend(); ++it) {
    if (*it == sequence) continue;
    if (!kept_previous) {
      kept_previous = true;
      continue;
    }
    s = batch.Delete(family_, keys::CheckpointKey(partition, *it));
  }
  if (!s.ok()) return FromRocks(s, "checkpoints: " + PartitionName(partition) + ": batching");
  rocksdb::WriteOptions synced = SyncedWrite();
  return gate_->Write(synced, &batch, "checkpoints: " + PartitionName(partition) + ": put");
}

Result<Checkpoint> RocksCheckpointStore::Latest(uint32_t partition) { return Nth(partition, 0); }

Result<Checkpoint> RocksCheckpointStore::Previous(uint32_t partition) { return Nth(partition, 1); }

}  // namespace driftline::storage
