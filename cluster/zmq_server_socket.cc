#include "cluster/zmq_server_socket.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <utility>

#include "cluster/endpoint.h"
#include "cluster/frame_checks.h"
#include "cluster/zmq_socket_util.h"

namespace driftline::cluster {

using zmq_internal::ErrorStatus;

Result<std::unique_ptr<ServerSocket>> ZmqServerSocket::Bind(
    std::shared_ptr<zmq::context_t> context, const std::string& endpoint,
    const TransportOptions& options) {
  Result<EndpointParts> parts = ParseEndpoint(endpoint, "bind");
  if (!parts.ok()) return parts.status();
  try {
    zmq::socket_t socket(*context, zmq::socket_type::router);
    socket.set(zmq::sockopt::router_mandatory, true);
    zmq_internal::ApplyOptions(socket, options);
    socket.bind(endpoint);
    std::string bound = socket.get(zmq::sockopt::last_endpoint);
    const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) {
      return Status::IoError("bind " + endpoint + ": eventfd: " + std::strerror(errno));
    }
    return std::unique_ptr<ServerSocket>(new ZmqServerSocket(
        std::move(context), std::move(socket), std::move(bound), wake_fd, options));
  } catch (const zmq::error_t& e) {
    return ErrorStatus(e.num(), "bind " + endpoint);
  }
}

ZmqServerSocket::ZmqServerSocket(std::shared_ptr<zmq::context_t> context, zmq::socket_t socket,
                                 std::string endpoint, int wake_fd,
                                 const TransportOptions& options)
    : context_(std::move(context)),
      options_(options),
      endpoint_(std::move(endpoint)),
      socket_(std::move(socket)),
      wake_fd_(wake_fd) {}

ZmqServerSocket::~ZmqServerSocket() {
  Close();
  std::lock_guard<std::mutex> lock(mu_);
  assert(!receiving_ && "ServerSocket destroyed while a thread is inside Receive");
  ReleaseLocked();
}

Result<Envelope> ZmqServerSocket::Receive(std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return Status::Unavailable("server socket " + endpoint_ + " is closed");
    if (receiving_) {
      return Status::FailedPrecondition("Receive on " + endpoint_ +
                                        " is already running on another thread");
    }
    receiving_ = true;
  }
  Result<Envelope> result = Status::Internal("unset");
  try {
    result = ReceiveLoop(timeout);
  } catch (const zmq::error_t& e) {
    result = ErrorStatus(e.num(), "receive on " + endpoint_);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!closed_) {
    // Replies queued since the last flush leave now; Send writes directly
    // from here on, until the next Receive.
    std::vector<QueuedReply> replies;
    replies.swap(queued_);
    for (QueuedReply& reply : replies) (void)WriteReply(reply.peer, std::move(reply.frames));
  }
  receiving_ = false;
  if (closed_) ReleaseLocked();
  return result;
}

Result<Envelope> ZmqServerSocket::ReceiveLoop(std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  Frames frames;
  while (true) {
    FlushQueuedReplies();
    if (closing_.load(std::memory_order_acquire)) {
      return Status::Unavailable("server socket " + endpoint_ + " was closed");
    }
    if (zmq_internal::TryReceiveMultipart(socket_, &frames) && !frames.empty()) {
      Envelope envelope;
      envelope.peer = std::move(frames.front());
      envelope.frames.assign(std::make_move_iterator(frames.begin() + 1),
                             std::make_move_iterator(frames.end()));
      return envelope;
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      return Status::DeadlineExceeded("no message on " + endpoint_ + " within " +
                                      std::to_string(timeout.count()) + " ms");
    }
    zmq_pollitem_t items[2] = {{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0},
                               {nullptr, wake_fd_, ZMQ_POLLIN, 0}};
    zmq_internal::Poll(items, 2, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
  }
}

void ZmqServerSocket::FlushQueuedReplies() {
  std::vector<QueuedReply> replies;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (wake_pending_) {
      uint64_t count = 0;
      // Resets the eventfd counter; EAGAIN (already zero) is harmless.
      (void)!read(wake_fd_, &count, sizeof(count));
      wake_pending_ = false;
    }
    replies.swap(queued_);
  }
  for (QueuedReply& reply : replies) (void)WriteReply(reply.peer, std::move(reply.frames));
}

Status ZmqServerSocket::WriteReply(const std::string& peer, Frames frames) {
  Status status = zmq_internal::SendMultipart(socket_, &peer, std::move(frames));
  if (status.ok()) {
    replies_sent_.fetch_add(1, std::memory_order_relaxed);
  } else if (status.code() == Status::Code::kResourceExhausted) {
    replies_queue_full_.fetch_add(1, std::memory_order_relaxed);
  } else {
    replies_unroutable_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!status.ok()) return Status(status.code(), "reply from " + endpoint_ + ": " + status.message());
  return status;
}

Status ZmqServerSocket::Send(const std::string& peer, Frames frames) {
  DRIFTLINE_RETURN_IF_ERROR(CheckOutgoingFrames(frames, options_.max_frame_bytes));
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return Status::Unavailable("server socket " + endpoint_ + " is closed");
  if (!receiving_) return WriteReply(peer, std::move(frames));  // the socket is idle: ours
  if (queued_.size() >= options_.max_queued_replies) {
    replies_queue_full_.fetch_add(1, std::memory_order_relaxed);
    return Status::ResourceExhausted("server socket " + endpoint_ + " has " +
                                     std::to_string(queued_.size()) + " replies queued");
  }
  queued_.push_back(QueuedReply{peer, std::move(frames)});
  WakeLocked();
  return Status::Ok();
}

void ZmqServerSocket::WakeLocked() {
  if (wake_pending_ || released_) return;
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
  wake_pending_ = true;
}

ServerSocketStats ZmqServerSocket::stats() const {
  ServerSocketStats stats;
  stats.replies_sent = replies_sent_.load(std::memory_order_relaxed);
  stats.replies_dropped_unroutable = replies_unroutable_.load(std::memory_order_relaxed);
  stats.replies_dropped_queue_full = replies_queue_full_.load(std::memory_order_relaxed);
  return stats;
}

void ZmqServerSocket::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  closed_ = true;
  closing_.store(true, std::memory_order_release);
  queued_.clear();
  if (receiving_) {
    WakeLocked();  // the receive thread returns and releases the socket
  } else {
    ReleaseLocked();
  }
}

void ZmqServerSocket::ReleaseLocked() {
  if (released_) return;
  released_ = true;
  socket_.close();
  close(wake_fd_);
  wake_fd_ = -1;
}

}  // namespace driftline::cluster
