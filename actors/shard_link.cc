#include "actors/shard_link.h"

#include "protocol/shard_codec.h"

namespace driftline {

Result<std::unique_ptr<ShardLink>> ShardLink::Open(cluster::Transport& transport,
                                                   const std::string& endpoint,
                                                   ShardLinkCallbacks callbacks,
                                                   const ShardLinkOptions& options) {
  auto socket = transport.Connect(endpoint);
  if (!socket.ok()) return socket.status();
  std::unique_ptr<ShardLink> link(
      new ShardLink(endpoint, std::move(*socket), std::move(callbacks), options));
  ShardLink* raw = link.get();
  link->thread_ = std::thread([raw] { raw->Run(); });
  return link;
}

ShardLink::ShardLink(std::string endpoint, std::unique_ptr<cluster::ClientSocket> socket,
                     ShardLinkCallbacks callbacks, const ShardLinkOptions& options)
    : endpoint_(std::move(endpoint)),
      socket_(std::move(socket)),
      callbacks_(std::move(callbacks)),
      options_(options) {}

ShardLink::~ShardLink() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  socket_->Close();
}

Status ShardLink::Send(const ShardMessage& message) {
  if (stopping_.load()) return Status::Unavailable("the link to " + endpoint_ + " is stopped");
  std::string frame = EncodeShardFrame(message);
  std::lock_guard<std::mutex> lock(mutex_);
  if (outgoing_.size() >= options_.max_queued) {
    return Status::ResourceExhausted(std::to_string(outgoing_.size()) + " messages wait for " + endpoint_);
  }
  outgoing_.push_back(std::move(frame));
  return Status::Ok();
}

void ShardLink::Run() {
  std::deque<std::string> batch;
  while (!stopping_.load()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(outgoing_);
    }
    for (std::string& frame : batch) {
      // A full send queue (the shard is gone and ZeroMQ holds its
      // high-water mark) drops the frame: its request times out at the
      // sender, which then answers with an error, never an acknowledgement.
      socket_->Send({std::move(frame)}).IgnoreError();
    }
    batch.clear();
    auto received = socket_->Receive(options_.poll_interval);
    if (received.ok()) {
      if (received->size() != 1) {
        callbacks_.on_bad_frame(Status::InvalidArgument(
            "expected one frame from " + endpoint_ + ", got " + std::to_string(received->size())));
        continue;
      }
      auto message = DecodeShardFrame((*received)[0]);
      if (message.ok()) {
        callbacks_.on_message(std::move(*message));
      } else {
        callbacks_.on_bad_frame(message.status());
      }
    } else if (received.status().code() == Status::Code::kUnavailable) {
      callbacks_.on_lost(received.status().message());
    }
  }
}

}  // namespace driftline
