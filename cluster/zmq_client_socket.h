// Internal to the ZeroMQ transport: ClientSocket over a DEALER socket.
// Single-threaded, like the contract says; ZeroMQ reconnects by itself.
#pragma once

#include <zmq.hpp>

#include <memory>
#include <string>

#include "cluster/transport.h"

namespace driftline::cluster {

class ZmqClientSocket final : public ClientSocket {
 public:
  // Creates a DEALER socket in `context` and connects it to `endpoint`.
  static Result<std::unique_ptr<ClientSocket>> Connect(std::shared_ptr<zmq::context_t> context,
                                                       const std::string& endpoint,
                                                       const TransportOptions& options);
  ~ZmqClientSocket() override { Close(); }

  Status Send(Frames frames) override;
  Result<Frames> Receive(std::chrono::milliseconds timeout) override;
  void Close() override;

 private:
  ZmqClientSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                  std::string endpoint, const TransportOptions& options);
  Result<Frames> ReceiveLoop(std::chrono::milliseconds timeout);

  std::shared_ptr<zmq::context_t> context_;  // outlives socket_
  const TransportOptions options_;
  const std::string endpoint_;
  zmq::socket_t socket_;
  bool closed_ = false;
};

}  // namespace driftline::cluster
