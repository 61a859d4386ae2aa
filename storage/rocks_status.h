// Internal to storage/: turns a rocksdb::Status into a driftline Status that
// keeps RocksDB's message. Corruption stays Corruption, NotFound stays
// NotFound, everything else becomes IoError.
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
  return Status::IoError(std::move(message));
}

}  // namespace driftline::storage
