#include "client/client.h"

#include <utility>
#include <variant>

#include "client/reply_wire.h"
#include "cluster/zmq_transport.h"
#include "protocol/codec.h"
#include "protocol/validate.h"

namespace driftline {

using client_wire::Clock;

Result<std::unique_ptr<Client>> Client::Connect(const std::string& endpoint,
                                                const ClientOptions& options) {
  std::unique_ptr<cluster::Transport> owned;
  cluster::Transport* transport = options.transport;
  if (transport == nullptr) {
    owned = cluster::MakeZmqTransport(options.transport_options);
    transport = owned.get();
  }
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) return socket.status();
  return std::unique_ptr<Client>(
      new Client(endpoint, options, std::move(owned), std::move(*socket)));
}

Client::Client(std::string endpoint, ClientOptions options,
               std::unique_ptr<cluster::Transport> owned_transport,
               std::unique_ptr<cluster::ClientSocket> socket)
    : endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      owned_transport_(std::move(owned_transport)),
      socket_(std::move(socket)) {}

Client::~Client() {
  if (socket_) socket_->Close();
}

std::chrono::milliseconds Client::TimeoutOr(std::chrono::milliseconds timeout) const {
  return timeout.count() > 0 ? timeout : options_.request_timeout;
}

Status Client::SendFrame(std::string frame) {
  Status sent = socket_->Send({std::move(frame)});
  if (sent.ok()) return sent;
  return Status(sent.code(), "cannot send to " + endpoint_ + ": " + sent.message());
}

void Client::ForgetEarlierTraffic() {
  // Stale replies and losses of a connection that carried no request of the
  // caller's: a node restarted while this client was idle is not an error of
  // the next request.
  for (;;) {
    auto frames = socket_->Receive(std::chrono::milliseconds(0));
    if (!frames.ok() && !client_wire::IsConnectionLost(frames.status())) return;
  }
}

template <class Reply>
Result<Reply> Client::Call(uint64_t id, std::string frame, std::chrono::milliseconds timeout) {
  ForgetEarlierTraffic();
  DRIFTLINE_RETURN_IF_ERROR(SendFrame(std::move(frame)));
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    auto message = client_wire::ReceiveMessage(*socket_, endpoint_, deadline, timeout);
    if (!message.ok()) {
      if (client_wire::IsConnectionLost(message.status())) {
        return Status::Unavailable(message.status().message() + " while waiting for the reply to request " +
                                   std::to_string(id) + " (it may or may not have been applied)");
      }
      return message.status();
    }
    if (const auto* error = std::get_if<ErrorReply>(&*message)) {
      if (error->request_id == id || error->request_id == 0) {
        return client_wire::FromErrorReply(*error);
      }
      continue;  // an error for an earlier request that timed out
    }
    if (client_wire::ReplyId(*message) != id) continue;  // stale reply
    if (auto* reply = std::get_if<Reply>(&*message)) return std::move(*reply);
    return Status::Internal("unexpected kind of reply from " + endpoint_ + " to request " +
                            std::to_string(id));
  }
}

Result<PredictReply> Client::Predict(PredictRequest request, std::chrono::milliseconds timeout) {
  DRIFTLINE_RETURN_IF_ERROR(ValidatePredictRequest(request));
  request.request_id = NextId();
  return Call<PredictReply>(request.request_id, EncodeFrame(request), TimeoutOr(timeout));
}

Result<BatchAck> Client::SendBatch(EventBatch batch, std::chrono::milliseconds timeout) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateEventBatch(batch));
  batch.batch_id = NextId();
  return Call<BatchAck>(batch.batch_id, EncodeFrame(batch), TimeoutOr(timeout));
}

Result<ModelReply> Client::RegisterModel(std::string artifact) {
  ModelRegisterRequest request{NextId(), std::move(artifact)};
  DRIFTLINE_RETURN_IF_ERROR(ValidateModelRegisterRequest(request));
  return Call<ModelReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

Result<ModelReply> Client::ActivateModel(const std::string& version,
                                         std::optional<DeltaTransform> deltas) {
  ModelActivateRequest request{NextId(), version, deltas};
  DRIFTLINE_RETURN_IF_ERROR(ValidateModelActivateRequest(request));
  return Call<ModelReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

Result<ModelReply> Client::Rollback(std::optional<DeltaTransform> deltas) {
  ModelRollbackRequest request{NextId(), deltas};
  DRIFTLINE_RETURN_IF_ERROR(ValidateModelRollbackRequest(request));
  return Call<ModelReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

Result<StatusReply> Client::NodeStatus() {
  StatusRequest request{NextId()};
  return Call<StatusReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

Result<OkReply> Client::StallPartition(uint32_t partition, uint32_t duration_ms) {
  StallPartitionRequest request{NextId(), partition, duration_ms};
  DRIFTLINE_RETURN_IF_ERROR(ValidateStallPartitionRequest(request));
  return Call<OkReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

Result<ForgetUserReply> Client::ForgetUser(const std::string& user) {
  ForgetUserRequest request{NextId(), user};
  DRIFTLINE_RETURN_IF_ERROR(ValidateForgetUserRequest(request));
  return Call<ForgetUserReply>(request.request_id, EncodeFrame(request), options_.request_timeout);
}

}  // namespace driftline
