// Open-loop round trips at a fixed offered rate over one ClientSocket.
//
// ClientSocket is single-threaded (cluster/transport.h), so one thread both
// paces and receives: request i is due at start + i / rate; when a request is
// due it is sent at once (the schedule never waits for replies); between
// sends, while replies are outstanding, the thread polls Receive(0) and
// yields the core (std::this_thread::yield) or blocks in Receive for whole
// milliseconds when the next send is further away; with nothing outstanding
// it sleeps until the next send. Latency = reply received - request actually
// sent (steady clock, taken before the reply is parsed). How late sends left
// against the schedule is reported (send_lag), so pacing fidelity is visible.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cluster/transport.h"
#include "common/status.h"

namespace driftline::bench {

// What a reply says: the request id it answers, and how.
struct ReplyInfo {
  uint64_t id = 0;
  bool fallback = false;  // answered, but from the fallback path
  bool busy = false;      // ... because the node was over its predict bounds
  bool error = false;     // an error reply (still a latency sample, counted)
};
using ReplyParser = std::function<Result<ReplyInfo>(const std::string& frame)>;

struct OpenLoopResult {
  std::vector<double> latencies_us;  // one per answered request, in arrival order
  uint64_t sent = 0, answered = 0, lost = 0, fallbacks = 0, busy = 0, errors = 0, strays = 0;
  uint64_t within_deadline = 0;      // answers within the `deadline_us` given to RunOpenLoop
  double seconds = 0;                // first send to last reply
  double max_send_lag_us = 0;        // worst lateness of a send against its schedule
  double p99_send_lag_us = 0;
};

// Sends frames[i] (one frame per request; request i carries id first_id + i)
// at `rate` per second, waits up to `drain` after the last send for the
// remaining replies (the rest are `lost`). Errors: a send that fails.
Result<OpenLoopResult> RunOpenLoop(cluster::ClientSocket& socket, const std::vector<std::string>& frames,
                                   uint64_t first_id, double rate, const ReplyParser& parse,
                                   std::chrono::milliseconds drain = std::chrono::milliseconds(3000),
                                   double deadline_us = 0);

}  // namespace driftline::bench
