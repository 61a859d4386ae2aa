// Internal to the in-process transport: the shared state of one
// InProcTransport (its "network"): who is bound where, every receiver's
// queue, the fault settings with their Rng, and the counters. One mutex
// guards all of it; each queue has its own condition variable. Sockets hold
// a shared_ptr to it, so they may outlive their InProcTransport.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "cluster/inproc_transport.h"
#include "common/rng.h"

namespace driftline::cluster {

class InProcNetwork {
 public:
  using Clock = std::chrono::steady_clock;

  // The queue of one receiver (a server or a client).
  struct Mailbox {
    struct Pending {
      Clock::time_point deliver_at;
      Envelope message;  // peer = sender (for servers), empty for clients
    };
    std::deque<Pending> pending;
    std::condition_variable ready;
    bool closed = false;
    // Clients only: the endpoint connected to, whether a server is bound
    // there now ("established"), and drops not yet reported by Receive
    // (UnbindServer of an established server counts one).
    std::string connected_endpoint;
    bool established = false;
    int unreported_losses = 0;
  };

  InProcNetwork(uint64_t seed, const TransportOptions& options);

  const TransportOptions& options() const { return options_; }

  // Registers a server at `endpoint`; returns the endpoint as bound (with an
  // assigned port for tcp port 0 or *). InvalidArgument / Unavailable.
  Result<std::string> BindServer(const std::string& endpoint, std::shared_ptr<Mailbox> mailbox);
  void UnbindServer(const std::string& bound_endpoint);
  // Registers a client of `endpoint`; returns its peer identity.
  Result<std::string> ConnectClient(const std::string& endpoint, std::shared_ptr<Mailbox> mailbox);
  void DisconnectClient(const std::string& peer);

  // Client `peer` to the server bound at `endpoint`: Ok even when a fault or
  // a missing server loses the message (counted); ResourceExhausted when the
  // server's queue is full.
  Status SendToServer(const std::string& endpoint, const std::string& peer, Frames frames);
  // The server at `endpoint` to client `peer`: Unavailable for an unknown
  // peer, ResourceExhausted for a full queue, else Ok (faults may drop it).
  Status SendToClient(const std::string& endpoint, const std::string& peer, Frames frames);

  // Takes the first message of `mailbox` whose delivery time has come,
  // waiting up to `timeout`. DeadlineExceeded / Unavailable (closed, or
  // "lost the connection to EP" for a client whose server went away).
  Result<Envelope> Receive(Mailbox& mailbox, std::chrono::milliseconds timeout,
                           const std::string& what);
  // Marks `mailbox` closed, drops what it holds and wakes its Receive.
  void CloseMailbox(Mailbox& mailbox);

  void SetDropProbability(double probability);
  void SetDelay(std::chrono::milliseconds min, std::chrono::milliseconds max);
  void SetReorder(bool reorder);
  void Cut(const std::string& endpoint, bool cut);
  InProcCounters counters() const;

 private:
  // Applies cut, drop, delay and reorder, then queues. REQUIRES: mu_ held.
  Status DeliverLocked(const std::string& endpoint, Mailbox& to, Envelope message);
  size_t CapacityLocked() const;

  const TransportOptions options_;
  mutable std::mutex mu_;
  Rng rng_;                                                     // GUARDED_BY mu_
  std::map<std::string, std::shared_ptr<Mailbox>> servers_;     // by bound endpoint
  std::map<std::string, std::shared_ptr<Mailbox>> clients_;     // by peer identity
  std::set<std::string> cut_;                                   // cut endpoints
  double drop_probability_ = 0.0;
  std::chrono::milliseconds delay_min_{0};
  std::chrono::milliseconds delay_max_{0};
  bool reorder_ = false;
  int next_port_ = 49152;
  uint64_t next_peer_ = 1;
  InProcCounters counters_;
};

}  // namespace driftline::cluster
