#include "cluster/zmq_transport.h"

#include <zmq.hpp>

#include <utility>

#include "cluster/zmq_client_socket.h"
#include "cluster/zmq_server_socket.h"
#include "cluster/zmq_socket_util.h"

namespace driftline::cluster {
namespace {

class ZmqTransport final : public Transport {
 public:
  explicit ZmqTransport(const TransportOptions& options) : options_(options) {
    try {
      context_ = std::make_shared<zmq::context_t>(1);  // one I/O thread
    } catch (const zmq::error_t& e) {
      context_error_ = zmq_internal::ErrorStatus(e.num(), "zmq context");
    }
  }

  Result<std::unique_ptr<ServerSocket>> Bind(const std::string& endpoint) override {
    if (!context_) return context_error_;
    return ZmqServerSocket::Bind(context_, endpoint, options_);
  }

  Result<std::unique_ptr<ClientSocket>> Connect(const std::string& endpoint) override {
    if (!context_) return context_error_;
    return ZmqClientSocket::Connect(context_, endpoint, options_);
  }

 private:
  const TransportOptions options_;
  std::shared_ptr<zmq::context_t> context_;  // null if it could not be created
  Status context_error_;
};

}  // namespace

std::unique_ptr<Transport> MakeZmqTransport(const TransportOptions& options) {
  return std::make_unique<ZmqTransport>(options);
}

}  // namespace driftline::cluster
