// Writes one valid encoding of every decodable kind into a directory, as the
// fuzzer's seed corpus:  protocol_fuzz_seeds <dir>
// The samples are small but reach every union member and list type.
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "protocol/codec.h"

namespace {

using namespace driftline;

Event SeedEvent(int i) {
  Event e;
  e.ts_ms = 1000 + i;
  e.user = "u" + std::to_string(i);
  e.item = "i" + std::to_string(i);
  e.label = i % 2;
  e.event_id = "e" + std::to_string(i);
  e.features = {{"user", {{"age", 30.0 + i}}}, {"item", {{"genre:Drama", 1.0}}}};
  return e;
}

EventBatch SeedBatch() {
  EventBatch b;
  b.batch_id = 7;
  b.events = {SeedEvent(0), SeedEvent(1)};
  return b;
}

PredictRequest SeedRequest() {
  PredictRequest r;
  r.request_id = 1;
  r.user = "u1";
  r.context = {{"ctx", {{"hour", 3.0}}}};
  r.candidates = {{"a", {{"item", {{"x", 1.0}}}}}, {"b", {}}};
  r.deadline_ms = 20;
  return r;
}

PredictReply SeedReply() {
  PredictReply r;
  r.request_id = 1;
  r.prediction_id = "p1";
  r.model_version = "m1";
  r.scores = {{"a", 0.25}, {"b", 0.75}};
  r.chosen = "b";
  r.propensity = 0.5;
  r.fallback = true;
  r.fallback_reason = "late";
  return r;
}

ModelArtifact SeedArtifact() {
  ModelArtifact a;
  a.version = "m1";
  a.config.hashing.bits = 8;
  a.config.hashing.crosses = {{"user", "item"}};
  a.snapshot.description = "seed";
  a.weights = {{1, 0.5}, {9, -0.25}};
  a.histograms = {{"user", {1, 2}}};
  return a;
}

PendingPrediction SeedPending() {
  PendingPrediction p;
  p.prediction_id = "p1";
  p.user = "u1";
  p.chosen = "a";
  p.propensity = 0.5;
  p.model_version = "m1";
  p.ts_ms = 1000;
  p.features = {{"ctx", {{"hour", 3.0}}}};
  p.base_logit = -0.5;
  p.user_logit = 0.25;
  p.arm_logit = 0.125;
  return p;
}

PartitionSnapshot SeedSnapshot() {
  PartitionSnapshot s;
  s.partition = 3;
  s.users = {{"u1", {{2, {0.5, 1.0}}}}};
  s.arms = {{"a", {{4, {1.0, 2.0}}}, 1, 2, {1, 0, 0, 1}, {0.5, 0.5}}};
  s.pending = {SeedPending()};
  s.replay = {{SeedEvent(2), 0.5, -0.25}};
  s.recent_event_ids = {"e1"};
  s.rng_state = {1, 2, 3, 4};
  s.events_seen = 5;
  s.clock_ms = 1002;
  return s;
}

ArmUpdateInput SeedArmUpdate() {
  ArmUpdateInput a;
  a.update_id = "e1";
  a.arm = "a";
  a.user = "u1";
  a.features = {{"user", {{"age", 31.0}}}};
  a.residual = -0.5;
  a.label = 1;
  a.ts_ms = 1001;
  return a;
}

StatusReply SeedStatus() {
  StatusReply r;
  r.request_id = 4;
  r.active_version = "m1";
  r.partitions = 2;
  r.counters = {{"events_acked", 10}, {"predict_fallback", 1}};
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"frame_event_batch", EncodeFrame(SeedBatch())},
      {"frame_predict_request", EncodeFrame(SeedRequest())},
      {"frame_predict_reply", EncodeFrame(SeedReply())},
      {"frame_error_reply", EncodeFrame(ErrorReply{1, Status::Code::kNotFound, "no model"})},
      {"frame_batch_ack", EncodeFrame(BatchAck{7, 2, 0})},
      {"artifact", EncodeArtifact(SeedArtifact())},
      {"checkpoint", EncodeCheckpoint(SeedSnapshot())},
      {"frame_model_register", EncodeFrame(ModelRegisterRequest{2, EncodeArtifact(SeedArtifact())})},
      {"frame_model_activate", EncodeFrame(ModelActivateRequest{3, "m1"})},
      {"frame_model_rollback", EncodeFrame(ModelRollbackRequest{3})},
      {"frame_model_reply", EncodeFrame(ModelReply{3, "m1", "abc"})},
      {"frame_status_request", EncodeFrame(StatusRequest{4})},
      {"frame_status_reply", EncodeFrame(SeedStatus())},
      {"frame_stall_partition", EncodeFrame(StallPartitionRequest{5, 1, 100})},
      {"frame_ok_reply", EncodeFrame(OkReply{5, "stalled"})},
      {"event_log_event", EncodePartitionInput(EventInput{SeedEvent(1), 0.5, -0.25})},
      {"event_log_prediction", EncodePartitionInput(PredictionInput{SeedPending()})},
      {"event_log_arm_update", EncodePartitionInput(SeedArmUpdate())},
      {"event_log_model_switch",
       EncodePartitionInput(ModelSwitchInput{2, "m1", DeltaTransform::Decay(0.5)})},
  };
  for (const auto& [name, bytes] : seeds) {
    const std::string path = std::string(argv[1]) + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
