// CheckpointStore: the latest snapshot of each partition's online state.
//
// A checkpoint is opaque bytes plus the log sequence it covers: the state after
// applying every record of the partition's EventLog up to and including
// `sequence`. Recovery = Latest() + replay of the log from sequence + 1.
// The store keeps the latest checkpoint and the one before it (a fallback if
// the latest fails to decode); older ones are dropped by Put.
//
// Thread safety: every method may be called from any thread.
// Errors: NotFound when a partition has no (previous) checkpoint,
// FailedPrecondition for a checkpoint older than the latest, IoError /
// Corruption when the underlying store fails.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace driftline::storage {

struct Checkpoint {
  uint32_t partition = 0;
  uint64_t sequence = 0;  // last log sequence the state includes
  std::string bytes;
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;

  // Stores a checkpoint of `partition` covering the log through `sequence`.
  // Durable (synced) when it returns ok. Putting the latest sequence again
  // replaces its bytes.
  // REQUIRES: sequence >= Latest(partition)->sequence (else FailedPrecondition).
  virtual Status Put(uint32_t partition, uint64_t sequence, std::string bytes) = 0;

  // The checkpoint with the highest sequence; NotFound if none.
  virtual Result<Checkpoint> Latest(uint32_t partition) = 0;

  // The checkpoint stored before the latest one; NotFound if none.
  virtual Result<Checkpoint> Previous(uint32_t partition) = 0;
};

}  // namespace driftline::storage
