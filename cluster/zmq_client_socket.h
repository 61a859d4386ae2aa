// Internal to the ZeroMQ transport: ClientSocket over a DEALER socket.
// Single-threaded, like the contract says; ZeroMQ reconnects by itself.
//
// Lost connections are seen through ZeroMQ's socket monitor
// (zmq_socket_monitor, ZMQ_EVENT_CONNECTED / ZMQ_EVENT_DISCONNECTED, stable
// API of libzmq 4.3): the DEALER's events arrive on an inproc PAIR socket
// that Receive polls beside the DEALER, so a drop wakes a waiting Receive at
// once. Heartbeats (TransportOptions) turn a silent peer into a drop.
#pragma once

#include <zmq.hpp>

#include <memory>
#include <string>

#include "cluster/transport.h"

namespace driftline::cluster {

class ZmqClientSocket final : public ClientSocket {
 public:
  // Creates a DEALER socket in `context`, attaches its monitor and connects
  // it to `endpoint`.
  static Result<std::unique_ptr<ClientSocket>> Connect(std::shared_ptr<zmq::context_t> context,
                                                       const std::string& endpoint,
                                                       const TransportOptions& options);
  ~ZmqClientSocket() override { Close(); }

  Status Send(Frames frames) override;
  Result<Frames> Receive(std::chrono::milliseconds timeout) override;
  void Close() override;

 private:
  ZmqClientSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                  zmq::socket_t monitor, std::string endpoint, const TransportOptions& options);
  Result<Frames> ReceiveLoop(std::chrono::milliseconds timeout);
  // Reads every event waiting on monitor_: tracks connected_ and counts
  // drops of an established connection in unreported_losses_.
  void DrainMonitor();

  std::shared_ptr<zmq::context_t> context_;  // outlives the sockets
  const TransportOptions options_;
  const std::string endpoint_;
  zmq::socket_t socket_;   // the DEALER
  zmq::socket_t monitor_;  // PAIR receiving socket_'s connect/disconnect events
  bool connected_ = false;
  int unreported_losses_ = 0;
  bool closed_ = false;
};

}  // namespace driftline::cluster
