#include "cluster/inproc_sockets.h"

#include <utility>

#include "cluster/frame_checks.h"

namespace driftline::cluster {

// ---- InProcServerSocket ----

Result<std::unique_ptr<ServerSocket>> InProcServerSocket::Bind(
    std::shared_ptr<InProcNetwork> network, const std::string& endpoint) {
  auto mailbox = std::make_shared<InProcNetwork::Mailbox>();
  Result<std::string> bound = network->BindServer(endpoint, mailbox);
  if (!bound.ok()) return bound.status();
  return std::unique_ptr<ServerSocket>(
      new InProcServerSocket(std::move(network), std::move(mailbox), std::move(bound).value()));
}

InProcServerSocket::InProcServerSocket(std::shared_ptr<InProcNetwork> network,
                                       std::shared_ptr<InProcNetwork::Mailbox> mailbox,
                                       std::string endpoint)
    : network_(std::move(network)), mailbox_(std::move(mailbox)), endpoint_(std::move(endpoint)) {}

Result<Envelope> InProcServerSocket::Receive(std::chrono::milliseconds timeout) {
  if (receiving_.exchange(true)) {
    return Status::FailedPrecondition("Receive on " + endpoint_ +
                                      " is already running on another thread");
  }
  Result<Envelope> result = network_->Receive(*mailbox_, timeout, "server socket " + endpoint_);
  receiving_.store(false);
  return result;
}

Status InProcServerSocket::Send(const std::string& peer, Frames frames) {
  DRIFTLINE_RETURN_IF_ERROR(
      CheckOutgoingFrames(frames, network_->options().max_frame_bytes));
  if (closed_.load()) return Status::Unavailable("server socket " + endpoint_ + " is closed");
  Status status = network_->SendToClient(endpoint_, peer, std::move(frames));
  if (status.ok()) {
    replies_sent_.fetch_add(1);
  } else if (status.code() == Status::Code::kResourceExhausted) {
    replies_queue_full_.fetch_add(1);
  } else {
    replies_unroutable_.fetch_add(1);
  }
  return status;
}

ServerSocketStats InProcServerSocket::stats() const {
  ServerSocketStats stats;
  stats.replies_sent = replies_sent_.load();
  stats.replies_dropped_unroutable = replies_unroutable_.load();
  stats.replies_dropped_queue_full = replies_queue_full_.load();
  return stats;
}

void InProcServerSocket::Close() {
  if (closed_.exchange(true)) return;
  network_->UnbindServer(endpoint_);
  network_->CloseMailbox(*mailbox_);
}

// ---- InProcClientSocket ----

Result<std::unique_ptr<ClientSocket>> InProcClientSocket::Connect(
    std::shared_ptr<InProcNetwork> network, const std::string& endpoint) {
  auto mailbox = std::make_shared<InProcNetwork::Mailbox>();
  Result<std::string> peer = network->ConnectClient(endpoint, mailbox);
  if (!peer.ok()) return peer.status();
  return std::unique_ptr<ClientSocket>(new InProcClientSocket(
      std::move(network), std::move(mailbox), endpoint, std::move(peer).value()));
}

InProcClientSocket::InProcClientSocket(std::shared_ptr<InProcNetwork> network,
                                       std::shared_ptr<InProcNetwork::Mailbox> mailbox,
                                       std::string endpoint, std::string peer)
    : network_(std::move(network)),
      mailbox_(std::move(mailbox)),
      endpoint_(std::move(endpoint)),
      peer_(std::move(peer)) {}

Status InProcClientSocket::Send(Frames frames) {
  if (closed_) return Status::Unavailable("client socket to " + endpoint_ + " is closed");
  DRIFTLINE_RETURN_IF_ERROR(
      CheckOutgoingFrames(frames, network_->options().max_frame_bytes));
  return network_->SendToServer(endpoint_, peer_, std::move(frames));
}

Result<Frames> InProcClientSocket::Receive(std::chrono::milliseconds timeout) {
  if (closed_) return Status::Unavailable("client socket to " + endpoint_ + " is closed");
  Result<Envelope> envelope =
      network_->Receive(*mailbox_, timeout, "client socket to " + endpoint_);
  if (!envelope.ok()) return envelope.status();
  return std::move(envelope).value().frames;
}

void InProcClientSocket::Close() {
  if (closed_) return;
  closed_ = true;
  network_->DisconnectClient(peer_);
  network_->CloseMailbox(*mailbox_);
}

}  // namespace driftline::cluster
