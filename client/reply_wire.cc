#include "client/reply_wire.h"

#include <type_traits>
#include <variant>

namespace driftline::client_wire {

std::optional<uint64_t> ReplyId(const Message& message) {
  return std::visit(
      [](const auto& m) -> std::optional<uint64_t> {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, BatchAck>) {
          return m.batch_id;
        } else if constexpr (std::is_same_v<T, PredictReply> || std::is_same_v<T, ErrorReply> ||
                             std::is_same_v<T, ModelReply> || std::is_same_v<T, StatusReply> ||
                             std::is_same_v<T, OkReply> || std::is_same_v<T, ForgetUserReply>) {
          return m.request_id;
        } else {
          return std::nullopt;
        }
      },
      message);
}

Status FromErrorReply(const ErrorReply& reply) {
  if (reply.code == Status::Code::kOk) {
    return Status::Internal("the node sent an error reply with code ok: " + reply.message);
  }
  return Status(reply.code, reply.message);
}

Status NoReply(const std::string& endpoint, std::chrono::milliseconds timeout) {
  return Status::DeadlineExceeded("no reply from " + endpoint + " within " +
                                  std::to_string(timeout.count()) + " ms: is the node running?");
}

bool IsConnectionLost(const Status& status) {
  return status.code() == Status::Code::kUnavailable &&
         status.message().rfind("lost the connection to ", 0) == 0;
}

Result<Message> ReceiveMessage(cluster::ClientSocket& socket, const std::string& endpoint,
                               Clock::time_point deadline, std::chrono::milliseconds timeout) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto frames = socket.Receive(std::max(left, std::chrono::milliseconds(0)));
  if (!frames.ok()) {
    if (frames.status().code() == Status::Code::kDeadlineExceeded) return NoReply(endpoint, timeout);
    return frames.status();
  }
  if (frames->size() != 1) {
    return Status::Corruption("bad reply from " + endpoint + ": expected one frame, got " +
                              std::to_string(frames->size()));
  }
  auto message = DecodeFrame((*frames)[0]);
  if (!message.ok()) {
    return Status::Corruption("bad reply from " + endpoint + ": " + message.status().ToString());
  }
  return message;
}

}  // namespace driftline::client_wire
