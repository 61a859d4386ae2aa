#include "sample_messages.h"

#include "protocol/codec.h"

namespace driftline {
namespace testing {

Event SampleEvent(int i) {
  Event e;
  e.ts_ms = 1366066660000 + i;
  e.user = "u" + std::to_string(i);
  e.item = "item-" + std::to_string(i % 7);
  if (i % 2 == 0) e.label = i % 4 == 0 ? 1 : 0;
  e.event_id = i % 3 == 0 ? "" : "ev-" + std::to_string(i);
  e.prediction_id = i % 5 == 0 ? "pred-" + std::to_string(i) : "";
  e.features = {{"user", {{"age", 31.0 + i}, {"country:FR", 1.0}}},
                {"item", {{"genre:Drama", 1.0}, {"year", 1994.5}}}};
  return e;
}

EventBatch SampleBatch(int events) {
  EventBatch b;
  b.batch_id = 0xfeedface12345678ull;
  for (int i = 0; i < events; ++i) b.events.push_back(SampleEvent(i));
  return b;
}

PredictRequest SampleRequest() {
  PredictRequest r;
  r.request_id = 42;
  r.user = "u7";
  r.context = {{"ctx", {{"hour", 13.0}, {"device:mobile", 1.0}}}};
  r.candidates = {{"a", {{"item", {{"genre:Drama", 1.0}}}}},
                  {"b", {}},
                  {"c", {{"item", {{"genre:Comedy", 1.0}, {"pop", 0.25}}}}}};
  r.deadline_ms = 25;
  r.explore = true;
  r.ts_ms = 1366066660123;
  return r;
}

PredictReply SampleReply() {
  PredictReply r;
  r.request_id = 42;
  r.prediction_id = "pred-42";
  r.model_version = "mt-1368706380";
  r.scores = {{"a", 0.125}, {"b", 0.5}, {"c", 0.875}};
  r.chosen = "c";
  r.propensity = 0.75;
  r.propensity_samples = 1000;
  r.fallback = true;
  r.fallback_reason = "partition 3 did not answer within 25 ms";
  return r;
}

ErrorReply SampleError() {
  return ErrorReply{42, Status::Code::kResourceExhausted, "batch of 20000 events exceeds 10000"};
}

BatchAck SampleAck() { return BatchAck{0xfeedface12345678ull, 9, 1}; }

ModelArtifact SampleArtifact() {
  ModelArtifact a;
  a.version = "mt-1368706380";
  a.config.hashing.bits = 12;
  a.config.hashing.crosses = {{"user", "item"}, {"ctx", "item"}};
  a.config.epochs = 4;
  a.config.learning_rate = 0.05;
  a.config.l2 = 1e-5;
  a.config.seed = 7;
  a.snapshot.description = "events.jsonl, ts <= 1366066660000";
  a.snapshot.sha256_hex = std::string(64, 'a');
  a.snapshot.cut_ts_ms = 1366066660000;
  a.snapshot.event_count = 12345;
  for (uint32_t i = 0; i < 50; ++i) a.weights.push_back({i * 37 + 1, 0.01 * i - 0.2});
  a.histograms = {{"item", {1, 2, 3, 0}}, {"user", {10, 0, 0.5, 7}}};
  return a;
}

PartitionSnapshot SampleSnapshot() {
  PartitionSnapshot s;
  s.partition = 17;
  s.epoch = 3;
  s.applied_sequence = 991;
  s.users = {{"u1", {{3, {0.5, 1.25}}, {9, {-0.25, 4.0}}}, 1366066660000}, {"u2", {}, -1}};
  ArmSnapshot arm;
  arm.arm = "item-1";
  arm.coords = {{5, {1.0, 2.0}}};
  arm.successes = 3;
  arm.failures = 11;
  arm.linear_a = {1, 0, 0, 1};
  arm.linear_b = {0.5, -0.5};
  arm.last_touch_ms = 1366066660001;
  s.arms = {arm, ArmSnapshot{"item-2", {}, 0, 1, {}, {}}};
  PendingPrediction other = SamplePending();
  other.prediction_id = "pred-2";
  other.base_logit = -0.0;
  other.user_logit = 5e-324;  // denormal: kept bit for bit
  other.arm_logit = -1e300;
  s.pending = {SamplePending(), other};
  s.replay = {{SampleEvent(2), -1.5, 0.0625}, {SampleEvent(4), 2.25, -0.125}};
  s.recent_event_ids = {"ev-1", "ev-2", "ev-4"};
  s.rng_state = {1, 2, 0xffffffffffffffffull, 4};
  s.events_seen = 12;
  s.clock_ms = 1366066669999;
  s.model_activation = 5;
  s.model_version = "mt-1366066660";
  ArmUpdateInput unconfirmed;
  unconfirmed.update_id = "arm/e1";
  unconfirmed.arm = "0133093";
  unconfirmed.user = "42";
  unconfirmed.features = SampleEvent(3).features;
  unconfirmed.residual = -0.25;
  unconfirmed.label = 1;
  unconfirmed.ts_ms = 1366066660000;
  unconfirmed.source_partition = 3;
  unconfirmed.ordinal = {10, 1};
  unconfirmed.previous = {9, 0};
  s.outbox = {unconfirmed};
  s.arm_high_water = {{0, {7, 0}}, {5, {0xffffffffffffffffull, 0xffffffffu}}};
  s.arm_last_sent = {{1, {10, 1}}};
  s.options_fingerprint = "delta_bits=20\nseed=1\n";
  return s;
}

ModelRegisterRequest SampleRegister() {
  // Any bytes: the node decodes the artifact, the frame only carries it.
  return ModelRegisterRequest{43, EncodeArtifact(SampleArtifact())};
}

ModelActivateRequest SampleActivate() {
  return ModelActivateRequest{44, "mt-1368706380", DeltaTransform::Decay(0.5)};
}

ModelRollbackRequest SampleRollback() { return ModelRollbackRequest{45, DeltaTransform::Reset()}; }

ModelReply SampleModelReply() {
  return ModelReply{44, "mt-1368706380", ArtifactContentHash(SampleArtifact()), DeltaTransform::Decay(0.5)};
}

StatusRequest SampleStatusRequest() { return StatusRequest{46}; }

StatusReply SampleStatusReply() {
  StatusReply r;
  r.request_id = 46;
  r.active_version = "mt-1368706380";
  r.partitions = 8;
  r.counters = {{"events_acked", 123456789012}, {"predict_fallback", 3}, {"skew", -2}};
  return r;
}

StallPartitionRequest SampleStall() { return StallPartitionRequest{47, 5, 1500}; }

OkReply SampleOk() { return OkReply{47, "partition 5 stalled for 1500 ms"}; }

ForgetUserRequest SampleForget() { return ForgetUserRequest{48, "u\xc3\xa9-forget"}; }

ForgetUserReply SampleForgetReply() { return ForgetUserReply{48, "u\xc3\xa9-forget", 7, true, 3, 2}; }

PendingPrediction SamplePending() {
  PendingPrediction p;
  p.prediction_id = "pred-1";
  p.user = "u1";
  p.chosen = "item-1";
  p.propensity = 0.3;
  p.model_version = "mt-1";
  p.ts_ms = 1366066660000;
  p.features = {{"ctx", {{"hour", 3}}}, {"item", {{"genre:Drama", 1.0}}}};
  p.base_logit = -0.75;
  p.user_logit = 0.125;
  p.arm_logit = 1.0 / 3.0;
  return p;
}

EventInput SampleEventInput() { return EventInput{SampleEvent(4), 0.1, -0.2}; }

PredictionInput SamplePredictionInput() { return PredictionInput{SamplePending()}; }

ArmUpdateInput SampleArmUpdate() {
  ArmUpdateInput a;
  a.update_id = "ev-4";
  a.arm = "item-4";
  a.user = "u4";
  a.features = {{"user", {{"age", 35.0}}}, {"", {{"bias", 1.0}}}};
  a.residual = -0.4375;
  a.label = 1;
  a.ts_ms = 1366066660004;
  a.source_partition = 2;
  a.ordinal = {12, 3};
  a.previous = {12, 2};
  return a;
}

std::vector<PartitionInput> SamplePartitionInputs() {
  EventInput outcome{SampleEvent(10), 0.0, 0.0};  // joins pred-10
  EventInput unlabelled{SampleEvent(1), 0.0, 0.0};
  return {SampleEventInput(), outcome, unlabelled, SamplePredictionInput(), SampleArmUpdate(),
          ModelSwitchInput{7, "mt-1368706380", DeltaTransform::Decay(0.25)},
          ModelSwitchInput{8, "mt-1366066660", DeltaTransform::Reset()},
          ForgetInput{"u4"}};
}

std::vector<std::string> SampleFrames() {
  return {EncodeFrame(SampleBatch()),         EncodeFrame(SampleRequest()),
          EncodeFrame(SampleReply()),         EncodeFrame(SampleError()),
          EncodeFrame(SampleAck()),           EncodeFrame(SampleRegister()),
          EncodeFrame(SampleActivate()),      EncodeFrame(SampleRollback()),
          EncodeFrame(SampleModelReply()),    EncodeFrame(SampleStatusRequest()),
          EncodeFrame(SampleStatusReply()),   EncodeFrame(SampleStall()),
          EncodeFrame(SampleOk()),            EncodeFrame(SampleForget()),
          EncodeFrame(SampleForgetReply())};
}

}  // namespace testing
}  // namespace driftline
