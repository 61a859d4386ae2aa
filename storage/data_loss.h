// DataLossReport: what starting a store with a damaged write-ahead log would
// drop (or, with StorageOptions::accept_data_loss, did drop).
//
// Found by RocksNodeStore::Open when RocksDB refuses the WAL (damage before
// its end; a torn tail is not damage, see docs/faults.md "Damaged logs"): the
// store opens the directory read-only twice, replaying the WAL up to the
// damage and replaying it around the damage, and compares the two. What the
// second holds and the first lacks is what the first would lose; the damaged
// record itself cannot be read, so the counts are lower bounds.
// Plain value; no RocksDB here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace driftline::storage {

// Log records [first, last] of one partition's EventLog.
struct LostLogRecords {
  uint32_t partition = 0;
  uint64_t first = 0;
  uint64_t last = 0;
};

struct DataLossReport {
  std::string damage;        // RocksDB's own words for the damage it found
  uint64_t lost_writes = 0;  // at least this many RocksDB writes (keys, every family) follow the damage
  std::vector<LostLogRecords> lost_records;  // by partition, ascending

  // Sum of the lost_records ranges.
  uint64_t lost_log_records() const;
  // One paragraph for an operator: the damage, then what would be lost
  // (at most 8 partitions by name, then a total for the rest).
  std::string Describe() const;
};

}  // namespace driftline::storage
