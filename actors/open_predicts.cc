#include "actors/open_predicts.h"

namespace driftline {

Result<uint64_t> OpenPredicts::Open(const std::string& peer,
                                    std::shared_ptr<const PredictRequest> request,
                                    std::string prediction_id, int64_t deadline_ns) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (router_in_flight_ >= options_.max_router_in_flight) {
    ++counters_.refused_node_busy;
    return Status::ResourceExhausted("node busy: " + std::to_string(router_in_flight_) +
                                     " predicts in flight");
  }
  auto peer_it = per_peer_.find(peer);
  if (peer_it != per_peer_.end() && peer_it->second >= options_.max_per_peer) {
    ++counters_.refused_peer_busy;
    return Status::ResourceExhausted("connection busy: " + std::to_string(peer_it->second) +
                                     " predicts of this connection unanswered");
  }
  const uint64_t token = ++next_token_;
  ++router_in_flight_;
  ++per_peer_[peer];
  ++counters_.admitted;
  by_deadline_.emplace(deadline_ns, token);
  entries_.emplace(token, Entry{peer, std::move(request), std::move(prediction_id), deadline_ns, std::nullopt});
  return token;
}

void OpenPredicts::EraseLocked(std::unordered_map<uint64_t, Entry>::iterator it) {
  by_deadline_.erase({it->second.deadline_ns, it->first});
  auto peer_it = per_peer_.find(it->second.peer);
  if (peer_it != per_peer_.end() && --peer_it->second == 0) per_peer_.erase(peer_it);
  entries_.erase(it);
}

void OpenPredicts::SetDraft(uint64_t token, PredictReply draft) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(token);
  if (it != entries_.end()) it->second.draft = std::move(draft);
}

bool OpenPredicts::Claim(uint64_t token, std::string* peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(token);
  if (it == entries_.end()) {
    ++counters_.router_late;
    return false;
  }
  *peer = it->second.peer;
  ++counters_.answered_by_router;
  EraseLocked(it);
  return true;
}

bool OpenPredicts::Answered(uint64_t token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(token) == 0;
}

void OpenPredicts::RouterDone(uint64_t) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (router_in_flight_ > 0) --router_in_flight_;
}

std::vector<OpenPredicts::Expired> OpenPredicts::TakeExpired(int64_t now_ns) {
  std::vector<Expired> out;
  std::lock_guard<std::mutex> lock(mutex_);
  while (!by_deadline_.empty() && by_deadline_.begin()->first <= now_ns) {
    auto it = entries_.find(by_deadline_.begin()->second);
    if (it == entries_.end()) {  // cannot happen: both are erased together
      by_deadline_.erase(by_deadline_.begin());
      continue;
    }
    ++counters_.answered_at_deadline;
    if (it->second.draft) ++counters_.deadline_with_draft;
    out.push_back(Expired{it->first, it->second.peer, it->second.request, it->second.prediction_id,
                          it->second.deadline_ns, std::move(it->second.draft)});
    EraseLocked(it);
  }
  return out;
}

std::optional<int64_t> OpenPredicts::NextDeadline() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (by_deadline_.empty()) return std::nullopt;
  return by_deadline_.begin()->first;
}

uint32_t OpenPredicts::router_in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return router_in_flight_;
}

size_t OpenPredicts::unanswered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

OpenPredictCounters OpenPredicts::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

}  // namespace driftline
