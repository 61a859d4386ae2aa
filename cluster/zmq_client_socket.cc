#include "cluster/zmq_client_socket.h"

#include <utility>

#include "cluster/endpoint.h"
#include "cluster/frame_checks.h"
#include "cluster/zmq_socket_util.h"

namespace driftline::cluster {

using zmq_internal::ErrorStatus;

Result<std::unique_ptr<ClientSocket>> ZmqClientSocket::Connect(
    std::shared_ptr<zmq::context_t> context, const std::string& endpoint,
    const TransportOptions& options) {
  Result<EndpointParts> parts = ParseEndpoint(endpoint, "connect");
  if (!parts.ok()) return parts.status();
  if (parts->wildcard_port) {
    return Status::InvalidArgument("connect " + endpoint + ": a client needs a concrete port");
  }
  try {
    zmq::socket_t socket(*context, zmq::socket_type::dealer);
    zmq_internal::ApplyOptions(socket, options);
    socket.connect(endpoint);
    return std::unique_ptr<ClientSocket>(
        new ZmqClientSocket(std::move(context), std::move(socket), endpoint, options));
  } catch (const zmq::error_t& e) {
    return ErrorStatus(e.num(), "connect " + endpoint);
  }
}

ZmqClientSocket::ZmqClientSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                                 std::string endpoint, const TransportOptions& options)
    : context_(std::move(context)),
      options_(options),
      endpoint_(std::move(endpoint)),
      socket_(std::move(socket)) {}

Status ZmqClientSocket::Send(Frames frames) {
  if (closed_) return Status::Unavailable("client socket to " + endpoint_ + " is closed");
  DRIFTLINE_RETURN_IF_ERROR(CheckOutgoingFrames(frames, options_.max_frame_bytes));
  Status status = zmq_internal::SendMultipart(socket_, nullptr, std::move(frames));
  if (!status.ok()) return Status(status.code(), "send to " + endpoint_ + ": " + status.message());
  return status;
}

Result<Frames> ZmqClientSocket::Receive(std::chrono::milliseconds timeout) {
  if (closed_) return Status::Unavailable("client socket to " + endpoint_ + " is closed");
  try {
    return ReceiveLoop(timeout);
  } catch (const zmq::error_t& e) {
    return ErrorStatus(e.num(), "receive from " + endpoint_);
  }
}

Result<Frames> ZmqClientSocket::ReceiveLoop(std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  Frames frames;
  while (true) {
    if (zmq_internal::TryReceiveMultipart(socket_, &frames)) return frames;
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      return Status::DeadlineExceeded("no reply from " + endpoint_ + " within " +
                                      std::to_string(timeout.count()) + " ms");
    }
    zmq_pollitem_t item = {static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
    zmq_internal::Poll(&item, 1, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
  }
}

void ZmqClientSocket::Close() {
  if (closed_) return;
  closed_ = true;
  socket_.close();
}

}  // namespace driftline::cluster
