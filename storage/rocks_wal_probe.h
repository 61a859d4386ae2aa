// Internal to storage/: measures what a damaged write-ahead log would cost.
//
// ProbeWalDamage opens `dir` read-only (nothing on disk changes) twice:
// replaying the WAL up to its first damaged record (kPointInTimeRecovery) and
// replaying every readable record (kSkipAnyCorruptedRecords). It compares the
// event-log heads and RocksDB's latest sequence number of the two.
// Errors: what RocksDB says when even the point-in-time replay cannot open
// the directory (the damage is not only in the WAL: MANIFEST, SST files...).
#pragma once

#include <rocksdb/options.h>

#include <string>

#include "common/status.h"
#include "storage/data_loss.h"

namespace driftline::storage {

// `options`: the options the store opens with (info log, families' options);
// `damage`: RocksDB's refusal, kept in the report.
Result<DataLossReport> ProbeWalDamage(const std::string& dir, const rocksdb::Options& options,
                                      const std::string& damage);

}  // namespace driftline::storage
