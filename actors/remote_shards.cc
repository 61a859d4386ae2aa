#include "actors/remote_shards.h"

#include "actors/messages.h"

namespace driftline {

RemoteShards::RemoteShards(cluster::Transport& transport, const cluster::PartitionOwners& owners,
                           ShardLinkOptions link_options)
    : transport_(transport), owners_(owners), link_options_(link_options) {}

RemoteShards::~RemoteShards() { Stop(); }

void RemoteShards::Stop() {
  std::map<std::string, std::unique_ptr<ShardLink>> links;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    links.swap(links_);
  }
  links.clear();  // joins each link's thread (outside the lock: callbacks take it)
  std::lock_guard<std::mutex> lock(mutex_);
  expected_.clear();
  watchers_.clear();
}

Result<ShardLink*> RemoteShards::LinkTo(const std::string& endpoint) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = links_.find(endpoint);
  if (it != links_.end()) return it->second.get();
  ShardLinkCallbacks callbacks;
  callbacks.on_message = [this](ShardMessage m) { Route(std::move(m)); };
  callbacks.on_bad_frame = [this](const Status&) { ++bad_frames_; };
  callbacks.on_lost = [this, endpoint](const std::string& why) { Lost(endpoint, why); };
  auto link = ShardLink::Open(transport_, endpoint, std::move(callbacks), link_options_);
  if (!link.ok()) return link.status();
  ShardLink* raw = link->get();
  links_.emplace(endpoint, std::move(*link));
  return raw;
}

void RemoteShards::Expect(uint64_t request_id, caf::actor actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  expected_[request_id] = std::move(actor);
}

void RemoteShards::Forget(uint64_t request_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  expected_.erase(request_id);
}

void RemoteShards::Watch(const std::string& endpoint, caf::actor actor) {
  std::lock_guard<std::mutex> lock(mutex_);
  watchers_[endpoint].push_back(std::move(actor));
}

void RemoteShards::Route(ShardMessage message) {
  caf::actor to;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = expected_.find(ShardRequestId(message));
    if (it == expected_.end()) {
      ++late_replies_;
      return;
    }
    to = std::move(it->second);
    expected_.erase(it);
  }
  caf::anon_send<caf::message_priority::high>(to, remote_reply_atom::value, std::move(message));
}

void RemoteShards::Lost(const std::string& endpoint, const std::string& why) {
  std::vector<caf::actor> watchers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    watchers = watchers_[endpoint];
  }
  for (const caf::actor& a : watchers) caf::anon_send(a, remote_lost_atom::value, why);
}

}  // namespace driftline
