// ShardLink: one connection to another process's shard endpoint (cluster
// wire, protocol/shard_codec.h), with a thread of its own that owns the
// ClientSocket (cluster/transport.h: a client socket has one owner thread).
// Plain C++, no CAF: its owner turns the callbacks into actor messages.
//
//   Send (any thread) --bounded queue--> link thread --frame--> shard
//   link thread <--frame-- shard: decoded, then on_message (or on_bad_frame)
//   connection lost (shard killed or closed): on_lost, once per loss
//
// The link thread polls its socket every poll_interval while it waits for
// replies, and writes queued messages between polls: a message waits at most
// one poll_interval before it leaves.
//
// Thread safety: Send and counters from any thread; the callbacks run on the
// link thread, one at a time. The destructor stops the thread (it waits for
// a callback in progress).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/transport.h"
#include "common/status.h"
#include "protocol/shard_messages.h"

namespace driftline {

struct ShardLinkOptions {
  // Messages waiting to leave; beyond it Send returns ResourceExhausted.
  // Default: 4096
  size_t max_queued = 4096;
  // How long the link thread waits for a reply before it writes queued
  // messages again. Default: 1 ms
  std::chrono::milliseconds poll_interval{1};
};

struct ShardLinkCallbacks {
  std::function<void(ShardMessage)> on_message;       // a decoded, validated frame
  std::function<void(const Status&)> on_bad_frame;    // a frame that did not decode
  std::function<void(const std::string&)> on_lost;    // why the connection was lost
};

class ShardLink {
 public:
  // Connects (asynchronously: a shard not up yet is not an error) and starts
  // the thread. InvalidArgument for a malformed endpoint.
  static Result<std::unique_ptr<ShardLink>> Open(cluster::Transport& transport,
                                                 const std::string& endpoint,
                                                 ShardLinkCallbacks callbacks,
                                                 const ShardLinkOptions& options = {});
  ~ShardLink();
  ShardLink(const ShardLink&) = delete;
  ShardLink& operator=(const ShardLink&) = delete;

  // Queues `message` for the shard. ResourceExhausted when max_queued
  // messages wait already; Unavailable after the link stopped. Ok does not
  // mean the shard got it.
  Status Send(const ShardMessage& message);

  const std::string& endpoint() const { return endpoint_; }

 private:
  ShardLink(std::string endpoint, std::unique_ptr<cluster::ClientSocket> socket,
            ShardLinkCallbacks callbacks, const ShardLinkOptions& options);
  void Run();

  const std::string endpoint_;
  std::unique_ptr<cluster::ClientSocket> socket_;  // link thread only
  ShardLinkCallbacks callbacks_;
  ShardLinkOptions options_;
  std::mutex mutex_;
  std::deque<std::string> outgoing_;  // encoded frames, guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace driftline
