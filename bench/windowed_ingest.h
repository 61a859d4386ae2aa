// driftline ingest with acks: encoded EventBatch frames sent over one
// ClientSocket with up to `window` batches unacknowledged, each ack
// (BatchAck) matched by batch id. Events/s from the first send to the last ack.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/raw_baselines.h"
#include "cluster/transport.h"
#include "common/status.h"

namespace driftline::bench {

struct IngestResult {
  Throughput throughput;   // acknowledged events (accepted + duplicates)
  uint64_t accepted = 0, duplicates = 0;
  uint64_t short_acks = 0;  // acks counting fewer events than their batch held
  double max_ack_ms = 0;   // slowest batch, send to ack
};

// frames[i] carries batch id first_id + i with events_per_frame[i] events.
// Errors: an ErrorReply ("batch N: ..."), an ack missing for `timeout`.
Result<IngestResult> RunWindowedIngest(cluster::ClientSocket& socket, const std::vector<std::string>& frames,
                                       const std::vector<size_t>& events_per_frame, uint64_t first_id,
                                       size_t window, std::chrono::milliseconds timeout);

}  // namespace driftline::bench
