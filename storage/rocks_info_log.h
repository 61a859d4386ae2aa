// Internal to storage/: RocksDB's informational log ("LOG" in the data dir),
// written by driftline instead of RocksDB's own logger.
//
// Why: RocksDB 7.8.3 as Debian builds it keeps its assertions, and its own
// info-log writer asserts (SIGABRT) when the disk is full. This logger never
// fails and never aborts: a line it cannot write is dropped and counted.
// It keeps at most two files, LOG and LOG.old, each up to `max_file_bytes`, so
// the info log alone never fills a disk.
//
// Thread safety: Logv may be called from any thread (RocksDB's background
// threads do); one mutex serializes the writes.
#pragma once

#include <rocksdb/env.h>

#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <string>

namespace driftline::storage {

class BoundedInfoLog final : public rocksdb::Logger {
 public:
  // Appends to `dir`/LOG (created when missing). REQUIRES: max_file_bytes > 0.
  BoundedInfoLog(std::string dir, size_t max_file_bytes);
  ~BoundedInfoLog() override;
  BoundedInfoLog(const BoundedInfoLog&) = delete;
  BoundedInfoLog& operator=(const BoundedInfoLog&) = delete;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;

  // Lines that could not be written (disk full, directory gone...).
  uint64_t dropped_lines() const { return dropped_.load(); }

 private:
  void OpenLocked();    // opens LOG for appending; fd_ = -1 on failure
  void RotateLocked();  // LOG -> LOG.old, then a fresh LOG

  const std::string path_;
  const size_t max_file_bytes_;
  std::mutex mu_;
  int fd_ = -1;          // guarded by mu_
  size_t file_bytes_ = 0;  // guarded by mu_
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace driftline::storage
