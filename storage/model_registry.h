// ModelRegistry: versioned base-model artifacts, which one is active, and an
// activation history for rollback.
//
// A version is registered once with its artifact bytes and never changes:
// registering other bytes under an existing version is refused. Activation
// history is a stack: Activate pushes a version, Rollback pops the current one
// and re-activates the one below it, so rollback works repeatedly (A, B, C
// activated; Rollback -> B; Rollback -> A; Rollback -> FailedPrecondition).
// Activating the version that is already active changes nothing.
// Registry writes are durable (synced) when they return ok.
//
// Thread safety: every method may be called from any thread; each call is
// atomic with respect to the others.
// Errors: InvalidArgument for an empty or oversized version name, NotFound for
// unknown versions, FailedPrecondition for a refused overwrite or a rollback
// with nothing to roll back to, IoError / Corruption from the underlying store.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::storage {

// Longest accepted version name, in bytes.
inline constexpr size_t kMaxVersionLength = 256;

// Ok, or InvalidArgument when `version` is empty or longer than
// kMaxVersionLength. Shared by the implementations.
inline Status CheckVersionName(const std::string& version) {
  if (version.empty() || version.size() > kMaxVersionLength) {
    return Status::InvalidArgument("model version must be 1.." + std::to_string(kMaxVersionLength) +
                                   " bytes, got " + std::to_string(version.size()));
  }
  return Status::Ok();
}

class ModelRegistry {
 public:
  virtual ~ModelRegistry() = default;

  // Registers `artifact_bytes` under `version`. Idempotent: the same bytes
  // again is ok; different bytes under a registered version is
  // FailedPrecondition and changes nothing.
  // REQUIRES: 1 <= version.size() <= kMaxVersionLength.
  virtual Status Put(const std::string& version, std::string artifact_bytes) = 0;

  // The artifact of `version`; NotFound if it was never registered.
  virtual Result<std::string> Get(const std::string& version) = 0;

  // Every registered version, in registration order.
  virtual std::vector<std::string> List() = 0;

  // Makes `version` the active one (pushes it on the history).
  // NotFound if it is not registered.
  virtual Status Activate(const std::string& version) = 0;

  // The active version; NotFound if none was ever activated.
  virtual Result<std::string> Active() = 0;

  // Re-activates the version that was active before the current one and
  // returns it. FailedPrecondition if there is none.
  virtual Result<std::string> Rollback() = 0;
};

}  // namespace driftline::storage
