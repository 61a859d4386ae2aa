// StorageOptions: how RocksNodeStore opens and writes its database.
// Parsed once at the edge (CLI / config); plain value, safe to copy.
#pragma once

#include <cstddef>

namespace driftline::storage {

struct StorageOptions {
  // When true, EventLog::Append fsyncs RocksDB's write-ahead log before it
  // returns: an acknowledged batch survives a machine crash or power loss.
  // When false, the batch is written to the WAL (handed to the OS) before
  // Append returns: it survives a killed process, not a machine crash.
  // Checkpoint, registry and meta writes are always synced.
  // Default: false
  bool sync = false;

  // Create the database directory and files when they do not exist.
  // Default: true
  bool create_if_missing = true;

  // Fail with FailedPrecondition when the database already exists.
  // Default: false
  bool error_if_exists = false;

  // Size of each column family's memtable before it is flushed to disk.
  // Default: 64 MiB (RocksDB's own default)
  size_t write_buffer_bytes = size_t{64} << 20;

  // Size of RocksDB's informational log (LOG, then LOG.old: two files at
  // most), written by driftline's own logger, which drops lines on a full
  // disk instead of aborting (rocks_info_log.h).
  // Default: 4 MiB
  size_t info_log_bytes = size_t{4} << 20;

  // When the write-ahead log is damaged before its end, Open refuses with
  // Corruption naming what would be lost (DataLossReport). With this set it
  // opens anyway, recovering up to the damage (RocksDB's point-in-time
  // recovery), and records the loss (RocksNodeStore::accepted_data_loss(),
  // StorageCounters). A torn tail (an incomplete last record, as a machine
  // crash leaves) never needs it. See docs/faults.md "Damaged logs".
  // Default: false
  bool accept_data_loss = false;
};

}  // namespace driftline::storage
