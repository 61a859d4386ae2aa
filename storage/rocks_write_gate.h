// Internal to storage/: every RocksDB write of a RocksNodeStore goes through
// one RocksWriteGate, which turns a failed disk into an error, not a crash,
// and lets writing resume by itself once the disk recovers.
//
// What RocksDB 7.8.3 does on ENOSPC (checked on a small tmpfs): the failed
// write returns IOError/NoSpace and the database stops taking writes (a
// "background error"); RocksDB's own automatic recovery waits for its
// SstFileManager to see enough free space, which on a small disk may never
// happen. So the gate switches the automatic recovery off (its listener) and
// recovers itself: after a failed write, the next write first calls
// DB::Resume(), which flushes the memtables to fresh files and continues on a
// fresh WAL (the one whose append failed is no longer needed). While the disk
// is still full Resume fails cleanly and the write is refused with it.
//
// Never is a write reported ok that RocksDB did not take: the gate only adds
// the Resume in front of RocksDB's own Write.
//
// Thread safety: Write and Sync from any thread; Resume calls are serialized.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/listener.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "storage/storage_counters.h"

namespace driftline::storage {

class RocksWriteGate {
 public:
  RocksWriteGate() = default;
  RocksWriteGate(const RocksWriteGate&) = delete;
  RocksWriteGate& operator=(const RocksWriteGate&) = delete;

  // The listener to put in rocksdb::Options::listeners before DB::Open: it
  // switches off RocksDB's automatic recovery and tells the gate when a
  // background job (a flush) failed. It refers to this gate, which must
  // outlive the database.
  std::shared_ptr<rocksdb::EventListener> MakeListener();

  // REQUIRES: called once, after DB::Open, before any Write.
  void Attach(rocksdb::DB* db) { db_ = db; }

  // Writes `batch`. After an earlier failure, first resumes the database.
  // Errors: ResourceExhausted when the disk is full (the message says "no
  // space left"), IoError for other failures; `context` prefixes the message.
  Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch,
               const std::string& context);

  // Fsyncs the WAL (DB::SyncWAL), with the same resume and error rules.
  Status SyncWal(const std::string& context);

  // write_errors, no_space_errors and resumes (the other fields stay 0).
  StorageCounters counters() const;

 private:
  class Listener;

  Status ResumeIfStopped(const std::string& context);
  Status Failed(const rocksdb::Status& s, const std::string& context);

  rocksdb::DB* db_ = nullptr;
  std::atomic<bool> stopped_{false};
  std::mutex resume_mu_;  // one Resume at a time
  std::atomic<int64_t> write_errors_{0};
  std::atomic<int64_t> no_space_errors_{0};
  std::atomic<int64_t> resumes_{0};
};

}  // namespace driftline::storage
