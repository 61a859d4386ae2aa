// Where the actors send their answers to clients: one encoded frame to one
// peer. The node implements it over the endpoint's ServerSocket (whose Send is
// thread-safe); tests implement it over a queue.
// Thread safety: Reply is called from any actor's thread.
#pragma once

#include <string>

namespace driftline {

class ReplySink {
 public:
  virtual ~ReplySink() = default;
  // Best effort: a peer that went away loses its reply (it retries).
  virtual void Reply(const std::string& peer, std::string frame) = 0;
};

}  // namespace driftline
