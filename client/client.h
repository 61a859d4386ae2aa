// The driftline client: requests to one node over the transport seam
// (cluster/transport.h) in client-wire frames (protocol/codec.h), one frame
// per request and per reply. Used by the CLI and the end-to-end tests.
//
//   auto client = Client::Connect("tcp://127.0.0.1:7400", ClientOptions{});
//   if (!client.ok()) return client.status();
//   Result<PredictReply> reply = (*client)->Predict(request);
//
// Requests and replies:
//  * Every request gets an id chosen here (PredictRequest::request_id,
//    EventBatch::batch_id and the admin requests' request_id are overwritten
//    from one counter per Client). A reply is matched by that id; replies to
//    earlier requests that timed out ("stale") are skipped.
//  * An ErrorReply becomes a Status with the server's code and message. An
//    ErrorReply with request_id 0 (the node could not decode the frame) is
//    taken as the answer to the request being waited for.
//  * No reply within the timeout => DeadlineExceeded
//    "no reply from tcp://127.0.0.1:7400 within 5000 ms: is the node running?".
//  * Requests are validated here first (protocol/validate.h), so a malformed
//    predict or batch fails with InvalidArgument without a round trip.
//  * A reply that cannot be decoded => Corruption naming the endpoint.
//  * The connection to the node drops while a request waits (the node was
//    killed or stopped, heartbeats went unanswered) => Unavailable at once,
//    not at the timeout: "lost the connection to tcp://127.0.0.1:7400 (...)
//    while waiting for the reply to request 7 (it may or may not have been
//    applied)". A drop while no request of this client waited (a node
//    restarted between two calls) is not an error of the next request.
//
// Connect does not wait for the node: connecting is asynchronous, and a
// request sent before the node is up is delivered when it comes up (or times
// out). Connect fails only for a malformed endpoint.
//
// Thread safety: a Client is single-threaded (its socket is): use one Client
// per thread. Nothing throws; every error is a value.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "client/send_events.h"
#include "cluster/transport.h"
#include "common/status.h"
#include "protocol/messages.h"

namespace driftline {

struct ClientOptions {
  // Timeout of a request whose call passes no timeout (0), and of each batch
  // ack in SendEvents. Default: 5000 ms.
  std::chrono::milliseconds request_timeout{5000};
  // Resends of a batch answered with an Unavailable ErrorReply in SendEvents
  // (the node drops events it already logged, by event_id). Default: 5.
  int max_batch_resends = 5;
  // Wait before the n-th resend of a batch: n x resend_backoff. Default: 100 ms.
  std::chrono::milliseconds resend_backoff{100};
  // The transport to connect with; not owned, must outlive the Client.
  // nullptr: the Client makes and owns a ZeroMQ transport. Default: nullptr.
  cluster::Transport* transport = nullptr;
  // Options of the ZeroMQ transport made when `transport` is nullptr.
  cluster::TransportOptions transport_options;
};

class Client {
 public:
  // InvalidArgument for a malformed endpoint ("tcp://host:port", "ipc://...",
  // "inproc://...").
  static Result<std::unique_ptr<Client>> Connect(const std::string& endpoint,
                                                 const ClientOptions& options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const std::string& endpoint() const { return endpoint_; }

  // Scores request.candidates for request.user. timeout 0: request_timeout.
  // Errors: InvalidArgument (request refused here or by the node),
  // FailedPrecondition (no active model), DeadlineExceeded.
  Result<PredictReply> Predict(PredictRequest request,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Sends one batch and waits for its ack (one attempt: an Unavailable
  // ErrorReply is returned as is; resending is safe). timeout 0: request_timeout.
  Result<BatchAck> SendBatch(EventBatch batch,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Streams every event of `source` in batches of `batch_size`, keeping up to
  // `window` batches in flight, matching acks by batch_id, and resending a
  // batch answered with Unavailable (up to max_batch_resends, possibly out of
  // order with later batches). `progress` (may be empty) is called after each
  // ack with the totals so far. Stops at the first error: of the source, an
  // ErrorReply other than Unavailable ("batch N: <server message>"), too many
  // resends, a batch not acknowledged within request_timeout of its
  // (re)send, or a lost connection (Unavailable at once, "lost the connection
  // to EP ...: N events acknowledged, every one of the first P; resend from
  // event P+1"). Events acknowledged before an error were reported to
  // `progress` (SendStats::acknowledged_prefix says where to resume).
  // REQUIRES: batch_size >= 1, window >= 1.
  Result<SendStats> SendEvents(const EventSource& source, size_t batch_size, size_t window,
                               const SendProgress& progress = {});

  // Model registry. RegisterModel sends artifact bytes (protocol/codec.h
  // EncodeArtifact) and returns the stored version; ActivateModel and Rollback
  // return the version now active. Errors from the node: InvalidArgument
  // (artifact refused), NotFound (unknown version), FailedPrecondition
  // (nothing to roll back to). `deltas`: what every partition does to its
  // online deltas (learning/delta_transform.h); unset: the node's default.
  // The reply names the transform applied; an invalid one is refused here
  // (InvalidArgument) and nothing is sent.
  Result<ModelReply> RegisterModel(std::string artifact);
  Result<ModelReply> ActivateModel(const std::string& version,
                                   std::optional<DeltaTransform> deltas = std::nullopt);
  Result<ModelReply> Rollback(std::optional<DeltaTransform> deltas = std::nullopt);

  // Active version, partitions and counters (named NodeStatus because a
  // member named Status would hide driftline::Status in this class).
  Result<StatusReply> NodeStatus();

  // Fault injection: partition `partition` processes nothing for
  // `duration_ms`, then catches up. FailedPrecondition unless the node was
  // started with --enable-fault-injection.
  Result<OkReply> StallPartition(uint32_t partition, uint32_t duration_ms);

  // Forget a user: the node logs the request at the user's partition (so it
  // survives a restart), then removes the user's delta, pending predictions
  // and replay examples; the reply says what was removed. InvalidArgument
  // (before sending) for an empty, oversized or invalid-UTF-8 user id.
  Result<ForgetUserReply> ForgetUser(const std::string& user);

 private:
  Client(std::string endpoint, ClientOptions options,
         std::unique_ptr<cluster::Transport> owned_transport,
         std::unique_ptr<cluster::ClientSocket> socket);

  uint64_t NextId() { return ++last_id_; }
  std::chrono::milliseconds TimeoutOr(std::chrono::milliseconds timeout) const;
  // Reads and drops what arrived since the last call returned: stale replies
  // and reports of connections lost while no request waited.
  void ForgetEarlierTraffic();
  // Sends `frame` and waits for the reply to `id`, of kind Reply.
  template <class Reply>
  Result<Reply> Call(uint64_t id, std::string frame, std::chrono::milliseconds timeout);
  Status SendFrame(std::string frame);

  std::string endpoint_;
  ClientOptions options_;
  std::unique_ptr<cluster::Transport> owned_transport_;  // may be null
  std::unique_ptr<cluster::ClientSocket> socket_;
  uint64_t last_id_ = 0;
};

}  // namespace driftline
