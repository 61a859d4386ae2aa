// One step of the coordinator's placement, against etcd: read the members and
// the map, plan (placement.h), and write the planned moves in one txn
// conditioned on the map revision read and on the coordinator's term. The
// coordinator runs it on a timer; it keeps no state of its own but the time
// it last saw the membership change (MembershipChangeClock: soft state, a new
// coordinator starts it at its first look, which only delays moves).
//
// A move from a live owner is written as state moving with the target (the
// handoff protocol completes it); a move of an orphan (owner gone) is written
// as the new owner, active, epoch + 1 (it restores from a checkpoint).
//
// While etcd is unreachable a round fails with Unavailable and changes
// nothing: placement waits; the next round after etcd returns goes on.
//
// Thread safety: MembershipChangeClock is not synchronised (one coordinator
// thread); RunPlacementRound is as thread-safe as its arguments.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <utility>

#include "cluster/coordinator_election.h"
#include "cluster/etcd_client.h"
#include "cluster/membership.h"
#include "cluster/placement.h"

namespace driftline {

class MembershipChangeClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // Records `members` seen at `now`; the first look and any change of the set
  // of (node id, incarnation) of shards restart the clock.
  void Observe(const MemberList& members, TimePoint now);
  // REQUIRES: Observe was called.
  std::chrono::milliseconds SinceChange(TimePoint now) const;

 private:
  std::set<std::pair<std::string, std::string>> shards_;
  TimePoint changed_at_{};
  bool seen_ = false;
};

struct PlacementRoundResult {
  PlacementPlan plan;
  bool committed = false;    // the plan's moves are in etcd
  bool conflict = false;     // the map or the term changed since read: retry next round
  int64_t map_revision = 0;  // the map's revision after the round
};

// REQUIRES: `term` is the caller's leadership (CoordinatorElection).
Result<PlacementRoundResult> RunPlacementRound(EtcdClient& etcd, const std::string& cluster,
                                               int64_t term, MembershipChangeClock& clock,
                                               const PlacementOptions& options,
                                               std::chrono::steady_clock::time_point now);

}  // namespace driftline
