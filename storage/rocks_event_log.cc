#include <limits>

#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"

namespace driftline::storage {
namespace {

std::string PartitionName(uint32_t partition) { return "partition " + std::to_string(partition); }

// Releases a RocksDB snapshot when it goes out of scope.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace

RocksEventLog::RocksEventLog(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, RocksWriteGate* gate,
                             bool sync)
    : db_(db), family_(family), gate_(gate) {
  write_options_.sync = sync;
}

Result<std::unique_ptr<RocksEventLog>> RocksEventLog::Load(rocksdb::DB* db,
                                                           rocksdb::ColumnFamilyHandle* family,
                                                           RocksWriteGate* gate, bool sync) {
  std::unique_ptr<RocksEventLog> log(new RocksEventLog(db, family, gate, sync));
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
  // Skip-scan: a partition's head key is the prefix of its records, so seeking
  // to a partition lands on its head; then jump to the next partition.
  for (it->Seek(""); it->Valid();) {
    rocksdb::Slice key = it->key();
    keys::EventHead head;
    if (key.size() != keys::kEventHeadKeySize || !keys::DecodeEventHead(it->value().ToStringView(), &head)) {
      return Status::Corruption("events: a partition's records lack a valid head at key of " +
                                std::to_string(key.size()) + " bytes");
    }
    uint32_t partition = keys::ReadBigEndian32(key.ToStringView());
    log->partitions_[partition] = std::make_unique<PartitionState>();
    log->partitions_[partition]->head = head;
    if (partition == std::numeric_limits<uint32_t>::max()) break;
    it->Seek(keys::EventHeadKey(partition + 1));
  }
  DRIFTLINE_RETURN_IF_ERROR(FromRocks(it->status(), "events: loading partition heads"));
  return log;
}

RocksEventLog::PartitionState& RocksEventLog::StateOf(uint32_t partition) {
  std::lock_guard<std::mutex> lock(map_mu_);
  std::unique_ptr<PartitionState>& state = partitions_[partition];
  if (!state) state = std::make_unique<PartitionState>();
  return *state;
}

Result<SequenceRange> RocksEventLog::Append(uint32_t partition, const std::vector<std::string>& records) {
  if (records.empty()) return Status::InvalidArgument("append of an empty batch");
  PartitionState& state = StateOf(partition);
  std::lock_guard<std::mutex> lock(state.mu);
  keys::EventHead next = state.head;
  rocksdb::WriteBatch batch;
  for (const std::string& record : records) {
    rocksdb::Status s = batch.Put(family_, keys::EventKey(partition, ++next.last_sequence), record);
    if (!s.ok()) return FromRocks(s, "events: " + PartitionName(partition) + ": batching");
  }
  rocksdb::Status s = batch.Put(family_, keys::EventHeadKey(partition), keys::EncodeEventHead(next));
  if (!s.ok()) return FromRocks(s, "events: " + PartitionName(partition) + ": batching");
  DRIFTLINE_RETURN_IF_ERROR(gate_->Write(write_options_, &batch, "events: " + PartitionName(partition) + ": append"));
  SequenceRange range{state.head.last_sequence + 1, next.last_sequence};
  state.head = next;
  return range;
}

Result<std::vector<LogRecord>> RocksEventLog::Read(uint32_t partition, uint64_t from_sequence,
                                                   size_t max_records) {
  if (from_sequence == 0) return Status::InvalidArgument("sequence numbers start at 1");
  // One snapshot for the head and the records: both were written by one batch.
  ScopedSnapshot snapshot(db_);
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.get();
  std::vector<LogRecord> out;
  std::string head_value;
  rocksdb::Status s = db_->Get(read_options, family_, keys::EventHeadKey(partition), &head_value);
  if (s.IsNotFound()) return out;
  if (!s.ok()) return FromRocks(s, "events: " + PartitionName(partition) + ": reading head");
  keys::EventHead head;
  if (!keys::DecodeEventHead(head_value, &head)) {
    return Status::Corruption("events: " + PartitionName(partition) + ": malformed head");
  }
  if (from_sequence <= head.truncated_through) {
    return Status::FailedPrecondition("events: " + PartitionName(partition) + ": records through " +
                                      std::to_string(head.truncated_through) + " were truncated");
  }
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, family_));
  uint64_t expected = from_sequence;
  for (it->Seek(keys::EventKey(partition, from_sequence));
       out.size() < max_records && expected <= head.last_sequence; it->Next(), ++expected) {
    uint32_t p = 0;
    uint64_t sequence = 0;
    if (!it->Valid() || !keys::DecodeEventKey(it->key().ToStringView(), &p, &sequence) ||
        p != partition || sequence != expected) {
      DRIFTLINE_RETURN_IF_ERROR(FromRocks(it->status(), "events: " + PartitionName(partition) + ": read"));
      return Status::Corruption("events: " + PartitionName(partition) + ": record " +
                                std::to_string(expected) + " is missing");
    }
    out.push_back(LogRecord{sequence, it->value().ToString()});
  }
  return out;
}

Status RocksEventLog::TruncateThrough(uint32_t partition, uint64_t sequence) {
  PartitionState& state = StateOf(partition);
  std::lock_guard<std::mutex> lock(state.mu);
  if (sequence > state.head.last_sequence) {
    return Status::InvalidArgument("events: " + PartitionName(partition) + ": cannot truncate through " +
                                   std::to_string(sequence) + ", last sequence is " +
                                   std::to_string(state.head.last_sequence));
  }
  if (sequence <= state.head.truncated_through) return Status::Ok();
  keys::EventHead next = state.head;
  next.truncated_through = sequence;
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.DeleteRange(family_, keys::EventKey(partition, state.head.truncated_through + 1),
                                        keys::EventKey(partition, sequence + 1));
  if (s.ok()) s = batch.Put(family_, keys::EventHeadKey(partition), keys::EncodeEventHead(next));
  if (!s.ok()) return FromRocks(s, "events: " + PartitionName(partition) + ": batching a truncation");
  DRIFTLINE_RETURN_IF_ERROR(gate_->Write(write_options_, &batch, "events: " + PartitionName(partition) + ": truncate"));
  state.head = next;
  return Status::Ok();
}

uint64_t RocksEventLog::LastSequence(uint32_t partition) {
  PartitionState& state = StateOf(partition);
  std::lock_guard<std::mutex> lock(state.mu);
  return state.head.last_sequence;
}

std::vector<uint32_t> RocksEventLog::Partitions() {
  std::lock_guard<std::mutex> lock(map_mu_);
  std::vector<uint32_t> out;
  for (const auto& entry : partitions_) out.push_back(entry.first);
  return out;
}

Status RocksEventLog::Sync() { return gate_->SyncWal("sync of the write-ahead log"); }

}  // namespace driftline::storage
