// NodeMeta: small string key/value facts about a node, such as the partition
// count fixed when the cluster was created. Not for bulk data.
//
// Thread safety: every method may be called from any thread.
// Errors: InvalidArgument for an empty key, NotFound for a missing key,
// IoError / Corruption from the underlying store.
#pragma once

#include <string>

#include "common/status.h"

namespace driftline::storage {

class NodeMeta {
 public:
  virtual ~NodeMeta() = default;

  // Sets `key` to `value`, replacing any previous value. Durable (synced).
  // REQUIRES: !key.empty().
  virtual Status Put(const std::string& key, const std::string& value) = 0;

  // The value of `key`; NotFound if it was never set.
  virtual Result<std::string> Get(const std::string& key) = 0;
};

}  // namespace driftline::storage
