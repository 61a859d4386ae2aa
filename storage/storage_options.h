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

  // How many of RocksDB's informational LOG files to keep in the directory.
  // Default: 5
  size_t keep_log_files = 5;
};

}  // namespace driftline::storage
