// Internal to storage/: turns a rocksdb::Status into a driftline Status that
// keeps RocksDB's message. Corruption stays Corruption, NotFound stays
// NotFound, a full disk becomes ResourceExhausted ("no space left on the
// data dir's disk"), everything else becomes IoError.
#pragma once

#include <rocksdb/status.h>

#include <string>

#include "common/status.h"

namespace driftline::storage {

inline Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::Ok();
  std::string message = context + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(std::move(message));
  if (s.IsNotFound()) return Status::NotFound(std::move(message));
  if (s.IsNoSpace()) {
    return Status::ResourceExhausted(context + ": no space left on the data dir's disk, nothing was written (" +
                                     s.ToString() + ")");
  }
  return Status::IoError(std::move(message));
}

}  // namespace driftline::storage
