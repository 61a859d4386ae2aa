// The client's side of the wire, below Client: receiving and decoding reply
// frames, reading a reply's request id, and the Status a missing or failed
// reply becomes. Internal to client/ (Client and its pipelined sender).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "cluster/transport.h"
#include "common/status.h"
#include "protocol/codec.h"

namespace driftline::client_wire {

using Clock = std::chrono::steady_clock;

// The id a reply answers: request_id, or batch_id for a BatchAck; nullopt
// for a message that is not a reply (a request sent back to us).
std::optional<uint64_t> ReplyId(const Message& message);

// The Status an ErrorReply stands for: the server's code and message (a code
// of kOk, which validation refuses, becomes Internal).
Status FromErrorReply(const ErrorReply& reply);

// DeadlineExceeded "no reply from EP within N ms: is the node running?".
Status NoReply(const std::string& endpoint, std::chrono::milliseconds timeout);

// True for the Status a ClientSocket's Receive returns when an established
// connection dropped: Unavailable "lost the connection to EP ..."
// (cluster/transport.h).
bool IsConnectionLost(const Status& status);

// Waits until `deadline` for the next frame and decodes it. Errors:
// DeadlineExceeded (NoReply(endpoint, timeout)), a lost connection
// (IsConnectionLost) as the socket reports it, Corruption "bad reply from
// EP: ..." (undecodable, or not exactly one frame), the socket's own errors.
Result<Message> ReceiveMessage(cluster::ClientSocket& socket, const std::string& endpoint,
                               Clock::time_point deadline, std::chrono::milliseconds timeout);

}  // namespace driftline::client_wire
