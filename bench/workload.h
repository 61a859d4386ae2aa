// What the bench sends: MovieTweetings events (converted by the driftline
// binary, read back as JSON Lines), a base model trained on them in process,
// predict requests and ingest batches built from them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/event.h"
#include "protocol/messages.h"

namespace driftline::bench {

// Runs `driftline convert --from movietweetings DATA > DIR/events.jsonl` and
// reads the events back. Errors name the file or the converter's last line.
Result<std::vector<Event>> LoadMovieTweetings(const std::string& driftline, const std::string& data,
                                              const std::string& dir);

// Trains a base model on the labels known at the 80th percentile of event
// time (user:item crossed, 2^18 buckets, `epochs` epochs): artifact bytes.
Result<std::string> TrainModelArtifact(const std::vector<Event>& events, uint32_t epochs);

// `count` predict requests with ids first_id, first_id + 1, ...: a user of
// the data set and `candidates` of its items with their features (genre,
// decade), event time = the last event's. Deterministic.
std::vector<PredictRequest> MakePredictRequests(const std::vector<Event>& events, size_t count,
                                                size_t candidates, uint64_t first_id);

// The first `max_events` events (0: all) in batches of `batch_size`, ids 1..n.
std::vector<EventBatch> MakeBatches(const std::vector<Event>& events, size_t max_events,
                                    size_t batch_size);

}  // namespace driftline::bench
