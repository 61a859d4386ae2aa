// Internal to the in-process transport: its ServerSocket and ClientSocket,
// thin handles on an InProcNetwork mailbox.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "cluster/inproc_network.h"
#include "cluster/transport.h"

namespace driftline::cluster {

class InProcServerSocket final : public ServerSocket {
 public:
  static Result<std::unique_ptr<ServerSocket>> Bind(std::shared_ptr<InProcNetwork> network,
                                                    const std::string& endpoint);
  ~InProcServerSocket() override { Close(); }

  Result<Envelope> Receive(std::chrono::milliseconds timeout) override;
  Status Send(const std::string& peer, Frames frames) override;
  std::string endpoint() const override { return endpoint_; }
  ServerSocketStats stats() const override;
  void Close() override;

 private:
  InProcServerSocket(std::shared_ptr<InProcNetwork> network,
                     std::shared_ptr<InProcNetwork::Mailbox> mailbox, std::string endpoint);

  std::shared_ptr<InProcNetwork> network_;
  std::shared_ptr<InProcNetwork::Mailbox> mailbox_;
  const std::string endpoint_;
  std::atomic<bool> receiving_{false};
  std::atomic<bool> closed_{false};
  std::atomic<uint64_t> replies_sent_{0};
  std::atomic<uint64_t> replies_unroutable_{0};
  std::atomic<uint64_t> replies_queue_full_{0};
};

class InProcClientSocket final : public ClientSocket {
 public:
  static Result<std::unique_ptr<ClientSocket>> Connect(std::shared_ptr<InProcNetwork> network,
                                                       const std::string& endpoint);
  ~InProcClientSocket() override { Close(); }

  Status Send(Frames frames) override;
  Result<Frames> Receive(std::chrono::milliseconds timeout) override;
  void Close() override;

 private:
  InProcClientSocket(std::shared_ptr<InProcNetwork> network,
                     std::shared_ptr<InProcNetwork::Mailbox> mailbox, std::string endpoint,
                     std::string peer);

  std::shared_ptr<InProcNetwork> network_;
  std::shared_ptr<InProcNetwork::Mailbox> mailbox_;
  const std::string endpoint_;
  const std::string peer_;
  bool closed_ = false;
};

}  // namespace driftline::cluster
