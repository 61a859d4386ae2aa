#include "bench/workload.h"

#include <algorithm>
#include <set>

#include "bench/temp_dir.h"
#include "common/child_process.h"
#include "learning/offline_trainer.h"
#include "learning/point_in_time.h"
#include "protocol/codec.h"
#include "protocol/event_jsonl.h"

namespace driftline::bench {

Result<std::vector<Event>> LoadMovieTweetings(const std::string& driftline, const std::string& data,
                                              const std::string& dir) {
  const std::string jsonl = dir + "/events.jsonl";
  const std::string log = dir + "/convert.log";
  auto code = RunToCompletion({driftline, "convert", "--from", "movietweetings", data}, jsonl, log,
                              std::chrono::minutes(10));
  if (!code.ok()) return code.status();
  if (*code != 0) return Status::InvalidArgument("driftline convert failed: " + LastLine(log));
  auto reader = EventFileReader::Open(jsonl);
  if (!reader.ok()) return reader.status();
  std::vector<Event> events;
  for (;;) {
    auto next = (*reader)->Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) break;
    events.push_back(std::move((*next)->event));
  }
  if (events.empty()) return Status::InvalidArgument("no events in " + data);
  return events;
}

Result<std::string> TrainModelArtifact(const std::vector<Event>& events, uint32_t epochs) {
  std::vector<int64_t> ts;
  for (const auto& e : events) ts.push_back(e.ts_ms);
  std::sort(ts.begin(), ts.end());
  const int64_t cut = ts[ts.size() * 8 / 10];
  std::vector<LabelledExample> examples = PointInTimeSnapshot(events, cut);
  if (examples.empty()) return Status::InvalidArgument("no labelled events to train on");
  TrainConfig config;
  config.hashing.bits = 18;
  config.hashing.crosses = {{"user", "item"}};
  config.epochs = epochs;
  SnapshotInfo snapshot;
  snapshot.description = "driftline_bench: movietweetings, labels known at ts <= " + std::to_string(cut);
  snapshot.sha256_hex = std::string(64, '0');
  snapshot.cut_ts_ms = cut;
  snapshot.event_count = examples.size();
  ModelArtifact artifact =
      TrainBaseModel(examples, config, "bench-" + std::to_string(cut), snapshot);
  std::string bytes = EncodeArtifact(artifact);
  auto check = DecodeArtifact(bytes);
  if (!check.ok()) return Status::Internal("trained artifact does not decode: " + check.status().message());
  return bytes;
}

std::vector<PredictRequest> MakePredictRequests(const std::vector<Event>& events, size_t count,
                                                size_t candidates, uint64_t first_id) {
  std::vector<PredictRequest> requests;
  requests.reserve(count);
  const int64_t now_ts = events.back().ts_ms;
  const size_t n = events.size();
  for (size_t i = 0; i < count; ++i) {
    PredictRequest r;
    r.request_id = first_id + i;
    r.user = events[(i * 7919) % n].user;
    r.ts_ms = now_ts;
    // Each item once (a node refuses a request that lists one twice): skip
    // to the next event while its item is taken; fewer candidates if the
    // events hold fewer distinct items.
    std::set<std::string> taken;
    for (size_t c = 0, tries = 0; c < candidates && tries < n; ++tries) {
      const Event& e = events[(i * 104729 + c * 15485863 + 1 + tries) % n];
      const std::string item = e.item.empty() ? "none" : e.item;
      if (!taken.insert(item).second) continue;
      r.candidates.push_back(Candidate{item, e.features});
      ++c;
    }
    requests.push_back(std::move(r));
  }
  return requests;
}

std::vector<EventBatch> MakeBatches(const std::vector<Event>& events, size_t max_events,
                                    size_t batch_size) {
  const size_t n = max_events == 0 ? events.size() : std::min(max_events, events.size());
  std::vector<EventBatch> batches;
  for (size_t start = 0; start < n; start += batch_size) {
    EventBatch b;
    b.batch_id = batches.size() + 1;
    b.events.assign(events.begin() + start, events.begin() + std::min(n, start + batch_size));
    batches.push_back(std::move(b));
  }
  return batches;
}

}  // namespace driftline::bench
