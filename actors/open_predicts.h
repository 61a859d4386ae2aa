// The endpoint's table of open predicts: admission control and "first answer
// wins" between the router and the deadline. Plain C++, no CAF.
//
// A predict is admitted (Open) by the endpoint thread, which then hands it to
// the router. Two answers race for it:
//  * the router's (Claim): online scores, sent only if nothing left yet;
//  * the deadline's (TakeExpired, run by the endpoint thread): the router's
//    draft if it posted one (SetDraft: its scores, not yet known to be logged),
//    else base-only scores computed by the endpoint.
// Whichever comes first is sent; the other is dropped and counted. So every
// admitted predict is answered by its deadline (plus the endpoint's slack)
// however late the router and the partitions are.
//
// Bounds (every queue bounded):
//  * router_in_flight: predicts handed to the router that it has not finished
//    with (RouterDone). Beyond max_router_in_flight, Open refuses: the endpoint
//    answers at once, base-only, without queueing work for the actors.
//  * per peer: unanswered predicts of one connection, beyond max_per_peer
//    refused the same way, so one client cannot take the whole node.
//  * the table itself: an unanswered predict is always one the router has not
//    finished with, so it holds at most max_router_in_flight entries.
//
// Thread safety: every method may be called from any thread (one mutex).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "protocol/messages.h"

namespace driftline {

struct OpenPredictsOptions {
  // Predicts the router is working on at once; more are answered base-only
  // by the endpoint at once ("node busy"). Default: 256
  uint32_t max_router_in_flight = 256;
  // Unanswered predicts of one connection; more are answered base-only at
  // once ("connection busy"). Default: 128
  uint32_t max_per_peer = 128;
};

struct OpenPredictCounters {
  int64_t admitted = 0;
  int64_t refused_node_busy = 0;
  int64_t refused_peer_busy = 0;
  int64_t answered_by_router = 0;
  int64_t answered_at_deadline = 0;       // deadline answers of any kind
  int64_t deadline_with_draft = 0;        // ... of which the router's scores, not confirmed logged
  int64_t router_late = 0;                // router answers dropped: the deadline answer had left
};

class OpenPredicts {
 public:
  explicit OpenPredicts(const OpenPredictsOptions& options = {}) : options_(options) {}

  // Admits a predict from `peer` due at `deadline_ns` (steady clock) and
  // returns its token (> 0); the caller hands it to the router, which must
  // call RouterDone(token) exactly once. ResourceExhausted (with the reason
  // for the client) when a bound is reached: nothing was admitted.
  Result<uint64_t> Open(const std::string& peer, std::shared_ptr<const PredictRequest> request,
                        std::string prediction_id, int64_t deadline_ns);

  // The router's scores so far: the deadline answer sends them (with
  // joinable = false) instead of base-only ones. Ignored once answered.
  void SetDraft(uint64_t token, PredictReply draft);

  // The router's final answer: true if it wins (the caller sends it to
  // `*peer`), false if the deadline answer already left (counted late).
  bool Claim(uint64_t token, std::string* peer);

  // True once the predict was answered (by either side): the router skips
  // work for it.
  bool Answered(uint64_t token) const;

  // The router has finished with `token` (answered, dropped or skipped).
  void RouterDone(uint64_t token);

  struct Expired {
    uint64_t token = 0;
    std::string peer;
    std::shared_ptr<const PredictRequest> request;
    std::string prediction_id;
    int64_t deadline_ns = 0;
    std::optional<PredictReply> draft;
  };
  // Removes and returns every unanswered predict whose deadline is at or
  // before `now_ns`; the caller answers each.
  std::vector<Expired> TakeExpired(int64_t now_ns);

  // The earliest deadline of an unanswered predict, if any.
  std::optional<int64_t> NextDeadline() const;

  uint32_t router_in_flight() const;
  size_t unanswered() const;
  OpenPredictCounters counters() const;

 private:
  struct Entry {
    std::string peer;
    std::shared_ptr<const PredictRequest> request;
    std::string prediction_id;
    int64_t deadline_ns = 0;
    std::optional<PredictReply> draft;
  };
  void EraseLocked(std::unordered_map<uint64_t, Entry>::iterator it);

  const OpenPredictsOptions options_;
  mutable std::mutex mutex_;
  uint64_t next_token_ = 0;
  uint32_t router_in_flight_ = 0;
  std::unordered_map<uint64_t, Entry> entries_;      // unanswered only
  std::set<std::pair<int64_t, uint64_t>> by_deadline_;
  std::map<std::string, uint32_t> per_peer_;         // unanswered per peer (no zero entries)
  OpenPredictCounters counters_;
};

}  // namespace driftline
