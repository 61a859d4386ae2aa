#include "cluster/inproc_network.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "cluster/endpoint.h"

namespace driftline::cluster {

InProcNetwork::InProcNetwork(uint64_t seed, const TransportOptions& options)
    : options_(options), rng_(seed) {}

Result<std::string> InProcNetwork::BindServer(const std::string& endpoint,
                                              std::shared_ptr<Mailbox> mailbox) {
  Result<EndpointParts> parts = ParseEndpoint(endpoint, "bind");
  if (!parts.ok()) return parts.status();
  std::lock_guard<std::mutex> lock(mu_);
  std::string bound = endpoint;
  if (parts->wildcard_port) {
    const std::string host = parts->address.substr(0, parts->address.rfind(':'));
    do {
      bound = "tcp://" + host + ":" + std::to_string(next_port_++);
    } while (servers_.count(bound) > 0);
  }
  if (!servers_.emplace(bound, std::move(mailbox)).second) {
    return Status::Unavailable("bind " + endpoint + ": address already in use");
  }
  for (auto& [peer, client] : clients_) {
    if (client->connected_endpoint == bound) client->established = true;
  }
  return bound;
}

void InProcNetwork::UnbindServer(const std::string& bound_endpoint) {
  std::lock_guard<std::mutex> lock(mu_);
  servers_.erase(bound_endpoint);
  // Like a TCP close: every client connected to it learns of the drop.
  for (auto& [peer, client] : clients_) {
    if (client->connected_endpoint != bound_endpoint || !client->established) continue;
    client->established = false;
    ++client->unreported_losses;
    client->ready.notify_all();
  }
}

Result<std::string> InProcNetwork::ConnectClient(const std::string& endpoint,
                                                 std::shared_ptr<Mailbox> mailbox) {
  Result<EndpointParts> parts = ParseEndpoint(endpoint, "connect");
  if (!parts.ok()) return parts.status();
  if (parts->wildcard_port) {
    return Status::InvalidArgument("connect " + endpoint + ": a client needs a concrete port");
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::string peer = "inproc-peer-" + std::to_string(next_peer_++);
  mailbox->connected_endpoint = endpoint;
  mailbox->established = servers_.count(endpoint) > 0;
  clients_.emplace(peer, std::move(mailbox));
  return peer;
}

void InProcNetwork::DisconnectClient(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  clients_.erase(peer);
}

Status InProcNetwork::SendToServer(const std::string& endpoint, const std::string& peer,
                                   Frames frames) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = servers_.find(endpoint);
  if (it == servers_.end()) {
    ++counters_.dropped_unroutable;
    return Status::Ok();  // like a network: nobody there, nobody answers
  }
  return DeliverLocked(endpoint, *it->second, Envelope{peer, std::move(frames)});
}

Status InProcNetwork::SendToClient(const std::string& endpoint, const std::string& peer,
                                   Frames frames) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = clients_.find(peer);
  if (it == clients_.end()) {
    ++counters_.dropped_unroutable;
    return Status::Unavailable("reply from " + endpoint + ": unknown or disconnected peer");
  }
  return DeliverLocked(endpoint, *it->second, Envelope{std::string(), std::move(frames)});
}

size_t InProcNetwork::CapacityLocked() const {
  const int64_t capacity = int64_t{options_.send_high_water_mark} + options_.receive_high_water_mark;
  return capacity > 0 ? static_cast<size_t>(capacity) : 1;
}

Status InProcNetwork::DeliverLocked(const std::string& endpoint, Mailbox& to, Envelope message) {
  if (to.closed) {
    ++counters_.dropped_unroutable;
    return Status::Ok();
  }
  if (to.pending.size() >= CapacityLocked()) {
    return Status::ResourceExhausted("queue towards " + endpoint + " is at its high-water mark");
  }
  ++counters_.sent;
  if (cut_.count(endpoint) > 0) {
    ++counters_.dropped_cut;
    return Status::Ok();
  }
  if (drop_probability_ > 0.0 && rng_.NextDouble() < drop_probability_) {
    ++counters_.dropped_random;
    return Status::Ok();
  }
  std::chrono::milliseconds delay = delay_min_;
  if (delay_max_ > delay_min_) {
    const uint64_t span = static_cast<uint64_t>((delay_max_ - delay_min_).count()) + 1;
    delay += std::chrono::milliseconds(rng_.NextBelow(span));
  }
  if (delay.count() > 0) ++counters_.delayed;
  Mailbox::Pending pending{Clock::now() + delay, std::move(message)};
  size_t position = to.pending.size();
  if (reorder_ && !to.pending.empty()) {
    position = static_cast<size_t>(rng_.NextBelow(to.pending.size() + 1));
    if (position < to.pending.size()) ++counters_.reordered;
  } else {
    // Keep the queue in delivery-time order, so a message with a shorter
    // delay overtakes earlier ones even when the receiver comes late.
    while (position > 0 && to.pending[position - 1].deliver_at > pending.deliver_at) --position;
  }
  to.pending.insert(to.pending.begin() + static_cast<std::ptrdiff_t>(position), std::move(pending));
  to.ready.notify_all();
  return Status::Ok();
}

Result<Envelope> InProcNetwork::Receive(Mailbox& mailbox, std::chrono::milliseconds timeout,
                                        const std::string& what) {
  const Clock::time_point deadline = Clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (mailbox.closed) return Status::Unavailable(what + " is closed");
    const Clock::time_point now = Clock::now();
    Clock::time_point next_due = Clock::time_point::max();
    for (auto it = mailbox.pending.begin(); it != mailbox.pending.end(); ++it) {
      if (it->deliver_at <= now) {
        Envelope message = std::move(it->message);
        mailbox.pending.erase(it);
        ++counters_.delivered;
        return message;
      }
      next_due = std::min(next_due, it->deliver_at);
    }
    if (mailbox.unreported_losses > 0) {
      --mailbox.unreported_losses;
      return Status::Unavailable("lost the connection to " + mailbox.connected_endpoint +
                                 " (the server closed its socket)");
    }
    if (now >= deadline) {
      return Status::DeadlineExceeded("no message on " + what + " within " +
                                      std::to_string(timeout.count()) + " ms");
    }
    mailbox.ready.wait_until(lock, std::min(deadline, next_due));
  }
}

void InProcNetwork::CloseMailbox(Mailbox& mailbox) {
  std::lock_guard<std::mutex> lock(mu_);
  if (mailbox.closed) return;
  mailbox.closed = true;
  counters_.dropped_unroutable += mailbox.pending.size();
  mailbox.pending.clear();
  mailbox.ready.notify_all();
}

void InProcNetwork::SetDropProbability(double probability) {
  assert(probability >= 0.0 && probability <= 1.0);
  std::lock_guard<std::mutex> lock(mu_);
  drop_probability_ = probability;
}

void InProcNetwork::SetDelay(std::chrono::milliseconds min, std::chrono::milliseconds max) {
  assert(min.count() >= 0 && min <= max);
  std::lock_guard<std::mutex> lock(mu_);
  delay_min_ = min;
  delay_max_ = max;
}

void InProcNetwork::SetReorder(bool reorder) {
  std::lock_guard<std::mutex> lock(mu_);
  reorder_ = reorder;
}

void InProcNetwork::Cut(const std::string& endpoint, bool cut) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cut) {
    cut_.insert(endpoint);
  } else {
    cut_.erase(endpoint);
  }
}

InProcCounters InProcNetwork::counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counters_;
}

}  // namespace driftline::cluster
