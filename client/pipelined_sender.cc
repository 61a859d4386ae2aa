// Client::SendEvents: a window of batches in flight, acks matched by
// batch_id, Unavailable batches resent (the node de-duplicates by event_id).
#include <algorithm>
#include <map>
#include <thread>
#include <variant>

#include "client/client.h"
#include "client/reply_wire.h"
#include "protocol/codec.h"
#include "protocol/validate.h"

namespace driftline {
namespace {

using client_wire::Clock;

struct InFlight {
  std::string frame;  // kept to resend the same bytes (same batch_id)
  uint64_t first_event = 0;  // events of the source before this batch
  size_t events = 0;
  int resends = 0;
  Clock::time_point deadline;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Clock::time_point EarliestDeadline(const std::map<uint64_t, InFlight>& in_flight) {
  Clock::time_point earliest = Clock::time_point::max();
  for (const auto& [id, f] : in_flight) earliest = std::min(earliest, f.deadline);
  return earliest;
}

// The next batch of up to `batch_size` events (empty at the end of `source`).
Result<EventBatch> ReadBatch(const EventSource& source, size_t batch_size, bool* source_done) {
  EventBatch batch;
  while (batch.events.size() < batch_size) {
    auto next = source();
    if (!next.ok()) return next.status();
    if (!next->has_value()) {
      *source_done = true;
      break;
    }
    batch.events.push_back(std::move(**next));
  }
  return batch;
}

// Every event before the earliest batch still in flight is acknowledged.
uint64_t AcknowledgedPrefix(const std::map<uint64_t, InFlight>& in_flight, uint64_t events_read) {
  uint64_t prefix = events_read;
  for (const auto& [id, f] : in_flight) prefix = std::min(prefix, f.first_event);
  return prefix;
}

// "N events acknowledged, every one of the first P; resend from event P+1".
std::string WhereToResume(const SendStats& stats) {
  return std::to_string(stats.acknowledged) + " of " + std::to_string(stats.sent) +
         " events sent were acknowledged, every one of the first " +
         std::to_string(stats.acknowledged_prefix) + "; resend from event " +
         std::to_string(stats.acknowledged_prefix + 1);
}

}  // namespace

Result<SendStats> Client::SendEvents(const EventSource& source, size_t batch_size, size_t window,
                                     const SendProgress& progress) {
  if (batch_size == 0 || window == 0) {
    return Status::InvalidArgument("batch size and window must be at least 1");
  }
  const std::chrono::milliseconds timeout = options_.request_timeout;
  std::map<uint64_t, InFlight> in_flight;
  SendStats stats;
  const Clock::time_point start = Clock::now();
  ForgetEarlierTraffic();
  bool source_done = false;
  uint64_t events_read = 0;
  for (;;) {
    while (!source_done && in_flight.size() < window) {
      auto batch = ReadBatch(source, batch_size, &source_done);
      if (!batch.ok()) return batch.status();
      if (batch->events.empty()) break;
      Status valid = ValidateEventBatch(*batch);
      if (!valid.ok()) {
        return Status(valid.code(), "batch of events " + std::to_string(events_read + 1) + ".." +
                                        std::to_string(events_read + batch->events.size()) +
                                        ": " + valid.message());
      }
      batch->batch_id = NextId();
      InFlight f{EncodeFrame(*batch), events_read, batch->events.size(), 0, Clock::now() + timeout};
      events_read += batch->events.size();
      stats.sent = events_read;
      DRIFTLINE_RETURN_IF_ERROR(SendFrame(f.frame));
      in_flight.emplace(batch->batch_id, std::move(f));
    }
    if (in_flight.empty()) break;

    auto message = client_wire::ReceiveMessage(*socket_, endpoint_, EarliestDeadline(in_flight), timeout);
    if (!message.ok()) {
      stats.seconds = SecondsSince(start);
      if (client_wire::IsConnectionLost(message.status())) {
        return Status::Unavailable(message.status().message() + ": " + WhereToResume(stats));
      }
      if (message.status().code() != Status::Code::kDeadlineExceeded) return message.status();
      uint64_t late = in_flight.begin()->first;
      for (const auto& [id, f] : in_flight) {
        if (f.deadline < in_flight.at(late).deadline) late = id;
      }
      return Status::DeadlineExceeded("no ack for batch " + std::to_string(late) + " from " +
                                      endpoint_ + " within " + std::to_string(timeout.count()) +
                                      " ms: is the node running? " + WhereToResume(stats));
    }
    if (const auto* ack = std::get_if<BatchAck>(&*message)) {
      auto it = in_flight.find(ack->batch_id);
      if (it == in_flight.end()) continue;  // stale
      stats.acknowledged += it->second.events;
      stats.accepted += ack->accepted;
      stats.duplicates += ack->duplicates;
      ++stats.batches;
      stats.seconds = SecondsSince(start);
      in_flight.erase(it);
      stats.acknowledged_prefix = AcknowledgedPrefix(in_flight, events_read);
      if (progress) progress(stats);
      continue;
    }
    const auto* error = std::get_if<ErrorReply>(&*message);
    if (error == nullptr) continue;  // some other kind: not ours
    if (error->request_id == 0) {
      Status s = client_wire::FromErrorReply(*error);
      return Status(s.code(), endpoint_ + " refused a batch: " + s.message());
    }
    auto it = in_flight.find(error->request_id);
    if (it == in_flight.end()) continue;  // stale
    InFlight& f = it->second;
    if (error->code != Status::Code::kUnavailable || f.resends >= options_.max_batch_resends) {
      Status s = client_wire::FromErrorReply(*error);
      return Status(s.code(), "batch " + std::to_string(it->first) + ": " + s.message());
    }
    ++f.resends;
    ++stats.resends;
    std::this_thread::sleep_for(options_.resend_backoff * f.resends);
    f.deadline = Clock::now() + timeout;
    DRIFTLINE_RETURN_IF_ERROR(SendFrame(f.frame));
  }
  stats.seconds = SecondsSince(start);
  return stats;
}

}  // namespace driftline
