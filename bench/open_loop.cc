#include "bench/open_loop.h"

#include <algorithm>
#include <thread>

namespace driftline::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

}  // namespace

Result<OpenLoopResult> RunOpenLoop(cluster::ClientSocket& socket, const std::vector<std::string>& frames,
                                   uint64_t first_id, double rate, const ReplyParser& parse,
                                   std::chrono::milliseconds drain, double deadline_us) {
  OpenLoopResult result;
  const size_t n = frames.size();
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  std::vector<Clock::time_point> sent_at(n);
  std::vector<char> answered(n, 0);
  std::vector<double> lags;
  lags.reserve(n);
  result.latencies_us.reserve(n);
  size_t next = 0, outstanding = 0;
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(1);
  Clock::time_point due = start, last_send = start, last_reply = start;
  for (;;) {
    Clock::time_point now = Clock::now();
    if (next < n && now >= due) {
      sent_at[next] = Clock::now();  // before Send: the send call is part of the round trip
      DRIFTLINE_RETURN_IF_ERROR(socket.Send({frames[next]}));
      lags.push_back(Us(sent_at[next] - due));
      last_send = sent_at[next];
      ++next;
      ++outstanding;
      due += interval;
      continue;
    }
    if (outstanding == 0) {
      if (next == n) break;
      std::this_thread::sleep_until(due);
      continue;
    }
    if (next == n && now - last_send > drain) break;
    std::chrono::milliseconds wait(0);
    if (next == n) {
      wait = std::chrono::milliseconds(10);
    } else {
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(due - now);
    }
    auto frames_in = socket.Receive(wait);
    const Clock::time_point arrived = Clock::now();
    if (!frames_in.ok()) {
      if (frames_in.status().code() != Status::Code::kDeadlineExceeded) return frames_in.status();
      if (wait.count() == 0) std::this_thread::yield();
      continue;
    }
    if (frames_in->size() != 1) {
      ++result.strays;
      continue;
    }
    auto info = parse((*frames_in)[0]);
    if (!info.ok() || info->id < first_id || info->id - first_id >= next || answered[info->id - first_id]) {
      ++result.strays;
      continue;
    }
    const size_t i = info->id - first_id;
    answered[i] = 1;
    --outstanding;
    ++result.answered;
    last_reply = arrived;
    result.latencies_us.push_back(Us(arrived - sent_at[i]));
    if (deadline_us > 0 && result.latencies_us.back() <= deadline_us) ++result.within_deadline;
    if (info->fallback) ++result.fallbacks;
    if (info->busy) ++result.busy;
    if (info->error) ++result.errors;
  }
  result.sent = next;
  result.lost = outstanding;
  result.seconds = std::chrono::duration<double>(last_reply - start).count();
  if (!lags.empty()) {
    std::sort(lags.begin(), lags.end());
    result.max_send_lag_us = lags.back();
    result.p99_send_lag_us = lags[std::min(lags.size() - 1, lags.size() * 99 / 100)];
  }
  return result;
}

}  // namespace driftline::bench
