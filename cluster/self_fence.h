// The self-fencing clock of a node holding an etcd lease: the node may
// acknowledge (events, writes to its partitions) only while its lease is
// certainly still alive on the server, minus a margin.
//
// A renewal sent at time S and answered with TTL T restarts the server's lease
// at some time >= S, so the server cannot expire it before S + T. The fence
// closes at S + T - margin: after that, MayAcknowledge is false until a later
// renewal succeeds. The margin covers (docs/cluster.md, "Fencing margins"):
//   * clock-rate skew between this host and the etcd leader over one TTL
//     (ppm in practice; a generous 1 % of T is 100 ms at T = 10 s),
//   * the time an acknowledgement takes to leave the node once decided (a
//     send on a socket: milliseconds, but a stalled process can pause),
//   * a pause of this process between the check and the send (GC-free C++,
//     but scheduling on a loaded host): the rest of the margin.
// Default margin 2 s with a 10 s TTL; see MembershipOptions.
//
// Thread safety: not synchronised; Membership guards it. Time is passed in.
#pragma once

#include <chrono>

namespace driftline {

class SelfFence {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit SelfFence(std::chrono::milliseconds margin) : margin_(margin) {}

  // A renewal sent at `sent_at` was answered with `ttl`. A late answer to an
  // older renewal never moves the deadline back.
  void OnRenewed(TimePoint sent_at, std::chrono::milliseconds ttl) {
    if (closed_for_good_) return;
    TimePoint deadline = sent_at + ttl - margin_;
    if (!has_deadline_ || deadline > deadline_) deadline_ = deadline;
    has_deadline_ = true;
  }
  // The lease or the registration is gone: never acknowledge again.
  void CloseForGood() { closed_for_good_ = true; }

  bool MayAcknowledge(TimePoint now) const {
    return has_deadline_ && !closed_for_good_ && now < deadline_;
  }
  // The first instant at which MayAcknowledge turns false (without renewal).
  // REQUIRES: a renewal was recorded.
  TimePoint deadline() const { return deadline_; }
  bool closed_for_good() const { return closed_for_good_; }
  std::chrono::milliseconds margin() const { return margin_; }

 private:
  std::chrono::milliseconds margin_;
  TimePoint deadline_{};
  bool has_deadline_ = false;
  bool closed_for_good_ = false;
};

}  // namespace driftline
