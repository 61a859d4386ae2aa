#include "storage/rocks_wal_probe.h"

#include <rocksdb/db.h>

#include <map>
#include <memory>
#include <vector>

#include "storage/keys.h"
#include "storage/rocks_parts.h"
#include "storage/rocks_status.h"

namespace driftline::storage {
namespace {

// What one read-only replay holds.
struct Replay {
  uint64_t latest_sequence = 0;               // RocksDB's
  std::map<uint32_t, uint64_t> log_heads;     // partition -> last log sequence
};

Result<Replay> ReplayReadOnly(const std::string& dir, rocksdb::Options options, rocksdb::WALRecoveryMode mode) {
  options.wal_recovery_mode = mode;
  options.listeners.clear();  // nothing is written: no write gate to tell
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!s.ok()) return FromRocks(s, "listing column families");
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(options));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(options), dir, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "read-only replay");
  std::unique_ptr<rocksdb::DB> db(raw);
  Replay replay;
  replay.latest_sequence = db->GetLatestSequenceNumber();
  Status loaded = Status::Ok();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != keys::kEventsFamily) continue;
    auto log = RocksEventLog::Load(db.get(), handles[i], /*gate=*/nullptr, /*sync=*/false);
    if (!log.ok()) {
      loaded = log.status();
      break;
    }
    for (uint32_t partition : (*log)->Partitions()) replay.log_heads[partition] = (*log)->LastSequence(partition);
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  DRIFTLINE_RETURN_IF_ERROR(loaded);
  return replay;
}

}  // namespace

Result<DataLossReport> ProbeWalDamage(const std::string& dir, const rocksdb::Options& options,
                                      const std::string& damage) {
  auto up_to = ReplayReadOnly(dir, options, rocksdb::WALRecoveryMode::kPointInTimeRecovery);
  DRIFTLINE_RETURN_IF_ERROR(up_to.status());
  auto around = ReplayReadOnly(dir, options, rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords);
  DRIFTLINE_RETURN_IF_ERROR(around.status());
  DataLossReport report;
  report.damage = damage;
  if (around->latest_sequence > up_to->latest_sequence) {
    report.lost_writes = around->latest_sequence - up_to->latest_sequence;
  }
  for (const auto& [partition, last] : around->log_heads) {
    auto kept = up_to->log_heads.find(partition);
    const uint64_t kept_last = kept == up_to->log_heads.end() ? 0 : kept->second;
    if (last > kept_last) report.lost_records.push_back({partition, kept_last + 1, last});
  }
  return report;
}

}  // namespace driftline::storage
