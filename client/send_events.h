// What Client::SendEvents streams and reports: the event source, the totals
// and the progress callback, plus sources over a vector and an event file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "common/status.h"
#include "learning/event.h"
#include "protocol/event_jsonl.h"

namespace driftline {

// The next event, nullopt at the end, or an error (which stops the send).
// Called from the sending thread only.
using EventSource = std::function<Result<std::optional<Event>>()>;

// Totals of one SendEvents call. Counts come from the node's acks:
// acknowledged = accepted + duplicates. A batch resent after a partial
// failure counts the events logged by the failed attempt as duplicates.
struct SendStats {
  uint64_t acknowledged = 0;  // events in acknowledged batches
  uint64_t accepted = 0;      // appended to a partition's log
  uint64_t duplicates = 0;    // dropped by the node: event_id already seen
  uint64_t batches = 0;       // acknowledged batches
  uint64_t resends = 0;       // batches sent again after an Unavailable reply
  // Events from the start of the source that are all acknowledged: the first
  // acknowledged_prefix events are held by the node; resending from the next
  // one loses nothing (the node drops events whose event_id it has seen).
  // With several batches in flight, acks may come out of order, so this can
  // be less than `acknowledged`.
  uint64_t acknowledged_prefix = 0;
  uint64_t sent = 0;          // events sent at least once
  double seconds = 0.0;       // from the first send to the last ack

  // acknowledged / seconds; 0 when no time passed.
  double events_per_second() const { return seconds > 0 ? acknowledged / seconds : 0.0; }
};

// Called after every ack with the totals so far.
using SendProgress = std::function<void(const SendStats&)>;

// Yields `events` in order. The source owns its copy.
EventSource EventSourceFromVector(std::vector<Event> events);

// Yields the events of `reader` (errors name its file and line).
// REQUIRES: `reader` outlives the source.
EventSource EventSourceFromReader(EventFileReader* reader);

}  // namespace driftline
