#include "cluster/zmq_client_socket.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <utility>

#include "cluster/endpoint.h"
#include "cluster/frame_checks.h"
#include "cluster/zmq_socket_util.h"

namespace driftline::cluster {

using zmq_internal::ErrorStatus;

namespace {

// An inproc address for one socket's monitor, unique within the context: the
// DEALER's handle (unique among live sockets) and the time (unique over time).
std::string MonitorAddress(zmq::socket_t& socket) {
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return "inproc://driftline-client-monitor-" +
         std::to_string(reinterpret_cast<uintptr_t>(static_cast<void*>(socket))) + "-" +
         std::to_string(now);
}

}  // namespace

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
    const std::string monitor_address = MonitorAddress(socket);
    if (zmq_socket_monitor(static_cast<void*>(socket), monitor_address.c_str(),
                           ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) != 0) {
      throw zmq::error_t();
    }
    zmq::socket_t monitor(*context, zmq::socket_type::pair);
    monitor.set(zmq::sockopt::linger, 0);
    monitor.connect(monitor_address);
    socket.connect(endpoint);  // after the monitor, so no event is missed
    return std::unique_ptr<ClientSocket>(new ZmqClientSocket(
        std::move(context), std::move(socket), std::move(monitor), endpoint, options));
  } catch (const zmq::error_t& e) {
    return ErrorStatus(e.num(), "connect " + endpoint);
  }
}

ZmqClientSocket::ZmqClientSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                                 zmq::socket_t monitor, std::string endpoint,
                                 const TransportOptions& options)
    : context_(std::move(context)),
      options_(options),
      endpoint_(std::move(endpoint)),
      socket_(std::move(socket)),
      monitor_(std::move(monitor)) {}

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
    // Messages that arrived before a drop are delivered before it is reported.
    if (zmq_internal::TryReceiveMultipart(socket_, &frames)) return frames;
    DrainMonitor();
    if (unreported_losses_ > 0) {
      --unreported_losses_;
      return Status::Unavailable("lost the connection to " + endpoint_ +
                                 " (the node closed it, exited or stopped answering heartbeats)");
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      return Status::DeadlineExceeded("no reply from " + endpoint_ + " within " +
                                      std::to_string(timeout.count()) + " ms");
    }
    zmq_pollitem_t items[2] = {{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0},
                               {static_cast<void*>(monitor_), 0, ZMQ_POLLIN, 0}};
    zmq_internal::Poll(items, 2, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
  }
}

void ZmqClientSocket::DrainMonitor() {
  Frames event;
  while (zmq_internal::TryReceiveMultipart(monitor_, &event)) {
    // Frame 0: the event number (uint16) and its value (uint32), host order;
    // frame 1: the endpoint.
    if (event.empty() || event[0].size() < sizeof(uint16_t)) continue;
    uint16_t id = 0;
    std::memcpy(&id, event[0].data(), sizeof(id));
    if (id == ZMQ_EVENT_CONNECTED) {
      connected_ = true;
    } else if (id == ZMQ_EVENT_DISCONNECTED) {
      if (connected_) ++unreported_losses_;
      connected_ = false;
    }
  }
}

void ZmqClientSocket::Close() {
  if (closed_) return;
  closed_ = true;
  // Stops the monitor (closing libzmq's end of the pair) before both close.
  (void)zmq_socket_monitor(static_cast<void*>(socket_), nullptr, 0);
  monitor_.close();
  socket_.close();
}

}  // namespace driftline::cluster
