#include "cluster/zmq_socket_util.h"

#include <cerrno>
#include <memory>
#include <utility>

namespace driftline::cluster::zmq_internal {
namespace {

// Frames at least this long are handed to ZeroMQ without a copy; shorter ones
// are copied (ZeroMQ stores frames up to 33 bytes inline anyway).
constexpr size_t kZeroCopyMinBytes = 4096;

void FreeOwnedString(void* /*data*/, void* hint) { delete static_cast<std::string*>(hint); }

zmq::message_t ToMessage(std::string&& frame) {
  if (frame.size() < kZeroCopyMinBytes) return zmq::message_t(frame.data(), frame.size());
  auto owned = std::make_unique<std::string>(std::move(frame));
  zmq::message_t message(owned->data(), owned->size(), &FreeOwnedString, owned.get());
  owned.release();  // ZeroMQ frees it with FreeOwnedString
  return message;
}

Status SendOne(zmq::socket_t& socket, zmq::message_t& message, bool more) {
  zmq::send_flags flags = zmq::send_flags::dontwait;
  if (more) flags = flags | zmq::send_flags::sndmore;
  try {
    if (!socket.send(message, flags)) {
      return Status::ResourceExhausted("peer's send queue is at its high-water mark");
    }
  } catch (const zmq::error_t& e) {
    return ErrorStatus(e.num(), "send");
  }
  return Status::Ok();
}

}  // namespace

Status ErrorStatus(int errnum, const std::string& what) {
  const std::string message = what + ": " + zmq_strerror(errnum);
  switch (errnum) {
    case EINVAL:
    case EPROTONOSUPPORT:
    case ENOCOMPATPROTO:
      return Status::InvalidArgument(message);
    case EADDRINUSE:
    case EADDRNOTAVAIL:
    case ENODEV:
    case EHOSTUNREACH:
    case ETERM:
    case ENOTSOCK:
      return Status::Unavailable(message);
    case EAGAIN:
    case EMSGSIZE:
      return Status::ResourceExhausted(message);
    default:
      return Status::IoError(message);
  }
}

void ApplyOptions(zmq::socket_t& socket, const TransportOptions& options) {
  socket.set(zmq::sockopt::sndhwm, options.send_high_water_mark);
  socket.set(zmq::sockopt::rcvhwm, options.receive_high_water_mark);
  socket.set(zmq::sockopt::maxmsgsize, options.max_frame_bytes);
  socket.set(zmq::sockopt::linger, static_cast<int>(options.linger.count()));
  if (options.receive_buffer_bytes > 0) socket.set(zmq::sockopt::rcvbuf, options.receive_buffer_bytes);
  if (options.send_buffer_bytes > 0) socket.set(zmq::sockopt::sndbuf, options.send_buffer_bytes);
  if (options.heartbeat_interval.count() > 0) {
    socket.set(zmq::sockopt::heartbeat_ivl, static_cast<int>(options.heartbeat_interval.count()));
    socket.set(zmq::sockopt::heartbeat_timeout, static_cast<int>(options.heartbeat_timeout.count()));
    // Tells the peer to drop the connection after this long without our pings.
    socket.set(zmq::sockopt::heartbeat_ttl, static_cast<int>(options.heartbeat_timeout.count()));
  }
}

Status SendMultipart(zmq::socket_t& socket, const std::string* peer, Frames frames) {
  if (peer != nullptr) {
    zmq::message_t routing(peer->data(), peer->size());
    // ROUTER checks the peer and its high-water mark on this first frame;
    // once it is accepted the rest of the message cannot fail.
    DRIFTLINE_RETURN_IF_ERROR(SendOne(socket, routing, true));
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    zmq::message_t message = ToMessage(std::move(frames[i]));
    DRIFTLINE_RETURN_IF_ERROR(SendOne(socket, message, i + 1 < frames.size()));
  }
  return Status::Ok();
}

bool TryReceiveMultipart(zmq::socket_t& socket, Frames* frames) {
  frames->clear();
  zmq::message_t message;
  if (!socket.recv(message, zmq::recv_flags::dontwait)) return false;
  // The parts of a multipart message arrive together: the rest are ready.
  while (true) {
    frames->emplace_back(static_cast<const char*>(message.data()), message.size());
    if (!message.more()) return true;
    message.rebuild();
    (void)socket.recv(message, zmq::recv_flags::none);
  }
}

int Poll(zmq_pollitem_t* items, int count, std::chrono::milliseconds timeout) {
  const int rc = zmq_poll(items, count, static_cast<long>(timeout.count()));
  if (rc >= 0) return rc;
  if (zmq_errno() == EINTR) return 0;
  throw zmq::error_t();
}

}  // namespace driftline::cluster::zmq_internal
