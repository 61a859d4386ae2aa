// The in-process twin of the ZeroMQ transport, for tests of actor logic: the
// same contract (cluster/transport.h), no sockets, plus fault injection.
//
// Endpoints are names inside ONE InProcTransport instance (two instances
// never see each other; there are no globals). They are validated like
// ZeroMQ's ("tcp://host:port", "ipc://path", "inproc://name"), and binding
// "tcp://host:0" or "tcp://host:*" assigns a port of this instance's own, so
// code configured for ZeroMQ runs unchanged.
//
// Faults, decided when a message is sent, from a Rng seeded by the
// constructor (same seed + same sequence of sends => same decisions):
//  * drop:    each message is lost with probability p (Send still says Ok);
//  * delay:   each message becomes receivable after a uniform delay in
//             [min, max] ms, so messages can overtake each other;
//  * reorder: each message is inserted at a random place among those its
//             receiver has not taken yet;
//  * Cut(endpoint): a network partition; every message to or from the server
//             at that endpoint is dropped until it is healed. Messages
//             already on their way are still delivered.
//
// Differences from ZeroMQ, by design of a twin:
//  * Send can always tell an unknown peer: ServerSocket::Send returns
//    Unavailable synchronously for a client that is closed or never existed.
//  * A client message to an endpoint with no bound server is dropped (and
//    counted as unroutable) instead of waiting for the server to appear.
//  * Queues hold up to send + receive high-water mark messages per receiver;
//    beyond that Send returns ResourceExhausted. No max_frame_bytes check on
//    the receiving side (the sender's check is the same as ZeroMQ's).
//  * A lost connection (ClientSocket::Receive) is a server that Closes while
//    the client is connected to its endpoint; a Cut is not one (ZeroMQ would
//    notice it by heartbeats after TransportOptions::heartbeat_timeout).
//
// Thread safety: like cluster/transport.h, and every method of this class
// (fault settings, counters) is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cluster/transport.h"

namespace driftline::cluster {

class InProcNetwork;

// What happened to every message sent through one InProcTransport.
struct InProcCounters {
  uint64_t sent = 0;                // accepted by a Send (both directions)
  uint64_t delivered = 0;           // returned by a Receive
  uint64_t dropped_random = 0;      // lost to SetDropProbability
  uint64_t dropped_cut = 0;         // lost to Cut
  uint64_t dropped_unroutable = 0;  // no server bound / server closed before delivery
  uint64_t delayed = 0;             // given a non-zero delay
  uint64_t reordered = 0;           // inserted ahead of an earlier message
};

class InProcTransport final : public Transport {
 public:
  explicit InProcTransport(uint64_t seed, const TransportOptions& options = {});
  ~InProcTransport() override;

  Result<std::unique_ptr<ServerSocket>> Bind(const std::string& endpoint) override;
  Result<std::unique_ptr<ClientSocket>> Connect(const std::string& endpoint) override;

  // REQUIRES: 0 <= probability <= 1. Default: 0.
  void SetDropProbability(double probability);
  // REQUIRES: 0 <= min <= max. Default: 0, 0 (no delay).
  void SetDelay(std::chrono::milliseconds min, std::chrono::milliseconds max);
  // Default: false.
  void SetReorder(bool reorder);
  // Cuts (true) or heals (false) the server at `endpoint` (as bound, i.e.
  // ServerSocket::endpoint()); the endpoint need not be bound yet.
  void Cut(const std::string& endpoint, bool cut);

  InProcCounters counters() const;

 private:
  std::shared_ptr<InProcNetwork> network_;
};

}  // namespace driftline::cluster
