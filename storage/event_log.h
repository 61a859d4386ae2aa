// EventLog: a per-partition, append-only log of opaque records.
//
// Each partition has its own log. Records get consecutive sequence numbers
// starting at 1; a sequence number is never reused, not even after the records
// holding it were truncated. Storage deals in bytes: what a record means (its
// wire format) is the caller's business.
//
// Durability: Append returns only after its records are written to the
// implementation's durable log (see StorageOptions::sync for the real store).
// All records of one Append are committed atomically: after a crash a batch is
// either fully present or fully absent, never partial.
//
// Thread safety: every method may be called from any thread without external
// synchronization. Appends to one partition are serialized internally (each
// batch gets a contiguous range); appends to different partitions run in
// parallel. Read sees a consistent snapshot of one partition.
//
// Errors: InvalidArgument for bad input (empty batch, sequence beyond the log),
// FailedPrecondition for reading records that were truncated, IoError /
// Corruption when the underlying store fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::storage {

// An inclusive range of sequence numbers [first, last]; first <= last.
struct SequenceRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

struct LogRecord {
  uint64_t sequence = 0;
  std::string bytes;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends `records` to `partition`'s log in one atomic write. Returns the
  // sequence range they received: [LastSequence() + 1, LastSequence() + n].
  // REQUIRES: !records.empty() (else InvalidArgument; nothing is written).
  virtual Result<SequenceRange> Append(uint32_t partition,
                                       const std::vector<std::string>& records) = 0;

  // Returns up to `max_records` records of `partition` with sequence >=
  // `from_sequence`, in sequence order and without gaps. Empty when
  // from_sequence > LastSequence(partition) or max_records == 0.
  // REQUIRES: from_sequence >= 1 (else InvalidArgument).
  // FailedPrecondition when from_sequence was already truncated away.
  virtual Result<std::vector<LogRecord>> Read(uint32_t partition, uint64_t from_sequence,
                                              size_t max_records) = 0;

  // Drops every record of `partition` with sequence <= `sequence` (typically
  // after a checkpoint covering them). Truncating an already truncated prefix
  // is a no-op. LastSequence() is unchanged.
  // REQUIRES: sequence <= LastSequence(partition) (else InvalidArgument).
  virtual Status TruncateThrough(uint32_t partition, uint64_t sequence) = 0;

  // The highest sequence ever assigned in `partition`, 0 if none. Survives
  // reopening and truncation. Never fails: it is served from memory.
  virtual uint64_t LastSequence(uint32_t partition) = 0;

  // Makes every append that returned before this call durable against a
  // machine crash (fsync of the write-ahead log), whatever the store's sync
  // option. Lets a caller append without sync from several threads and pay
  // for one fsync per group of appends. Thread-safe.
  virtual Status Sync() = 0;
};

}  // namespace driftline::storage
