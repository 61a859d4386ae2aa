// StorageCounters: what a node's store reports about its own health, shown by
// `driftline status` (names in docs/faults.md).
#pragma once

#include <cstdint>

namespace driftline::storage {

struct StorageCounters {
  int64_t write_errors = 0;     // writes refused because the disk failed (any cause)
  int64_t no_space_errors = 0;  // of those, refused because the disk was full
  int64_t resumes = 0;          // times writing resumed after a failure, without a restart
  // Data loss an operator accepted at start-up (--accept-data-loss) in this
  // data dir, summed over every such start.
  int64_t accepted_lost_writes = 0;        // RocksDB writes dropped (every family)
  int64_t accepted_lost_log_records = 0;   // of those, event-log records (events, predictions, arm updates)
};

}  // namespace driftline::storage
