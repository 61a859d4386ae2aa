// Internal to the ZeroMQ transport: ServerSocket over a ROUTER socket.
//
// The ROUTER socket is not thread-safe, so exactly one thread touches it at a
// time: the thread inside Receive while one is running, otherwise whichever
// thread holds mu_. Send from another thread while Receive runs queues the
// reply and writes to an eventfd that Receive polls beside the socket
// (zmq_poll over both), so the receive thread wakes at once and writes it.
// ZMQ_ROUTER_MANDATORY turns ZeroMQ's silent drop of a reply to an unknown
// peer into EHOSTUNREACH, reported as Unavailable or counted in stats().
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/transport.h"

namespace driftline::cluster {

class ZmqServerSocket final : public ServerSocket {
 public:
  // Creates a ROUTER socket in `context` and binds it to `endpoint`.
  static Result<std::unique_ptr<ServerSocket>> Bind(std::shared_ptr<zmq::context_t> context,
                                                    const std::string& endpoint,
                                                    const TransportOptions& options);
  ~ZmqServerSocket() override;

  Result<Envelope> Receive(std::chrono::milliseconds timeout) override;
  Status Send(const std::string& peer, Frames frames) override;
  std::string endpoint() const override { return endpoint_; }
  ServerSocketStats stats() const override;
  void Close() override;

 private:
  struct QueuedReply {
    std::string peer;
    Frames frames;
  };

  ZmqServerSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                  std::string endpoint, int wake_fd, const TransportOptions& options);

  Result<Envelope> ReceiveLoop(std::chrono::milliseconds timeout);
  // Takes the queued replies (and the pending wake-up) and writes them.
  // REQUIRES: called by the thread inside Receive.
  void FlushQueuedReplies();
  // REQUIRES: exclusive use of socket_ (the receive thread, or mu_ held
  // while receiving_ is false).
  Status WriteReply(const std::string& peer, Frames frames);
  void WakeLocked();
  void ReleaseLocked();

  std::shared_ptr<zmq::context_t> context_;  // outlives socket_
  const TransportOptions options_;
  const std::string endpoint_;
  zmq::socket_t socket_;
  int wake_fd_;

  mutable std::mutex mu_;
  bool receiving_ = false;     // a thread is inside Receive (GUARDED_BY mu_)
  bool closed_ = false;        // Close was called (GUARDED_BY mu_)
  bool released_ = false;      // socket_ and wake_fd_ are closed (GUARDED_BY mu_)
  bool wake_pending_ = false;  // wake_fd_ holds an unread signal (GUARDED_BY mu_)
  std::vector<QueuedReply> queued_;  // GUARDED_BY mu_
  std::atomic<bool> closing_{false};  // read by the receive loop without mu_

  std::atomic<uint64_t> replies_sent_{0};
  std::atomic<uint64_t> replies_unroutable_{0};
  std::atomic<uint64_t> replies_queue_full_{0};
};

}  // namespace driftline::cluster
