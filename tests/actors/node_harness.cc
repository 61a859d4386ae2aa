#include "tests/actors/node_harness.h"

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "learning/offline_trainer.h"
#include "tests/learning/synthetic_events.h"

namespace driftline::testing {

NodeHarness::NodeHarness(uint32_t partitions, bool fault_injection, std::shared_ptr<storage::NodeStore> store)
    : partitions_(partitions), fault_injection_(fault_injection), store_(std::move(store)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "driftline-node-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  dir_ = pattern;
  transport_ = std::make_shared<cluster::InProcTransport>(7);
  StartNode();
}

NodeHarness::~NodeHarness() {
  client_.reset();
  node_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void NodeHarness::StartNode() {
  NodeOptions options;
  options.data_dir = dir_ + "/db";
  options.listen = "inproc://node";
  options.partitions = partitions_;
  options.enable_fault_injection = fault_injection_;
  options.online.pending_ttl_ms = 60'000;
  auto node = Node::Start(options, log_, transport_, store_);
  INFO(node.status().ToString());
  REQUIRE(node.ok());
  node_ = std::move(*node);
  auto client = transport_->Connect("inproc://node");
  REQUIRE(client.ok());
  client_ = std::move(*client);
}

void NodeHarness::Restart() {
  client_.reset();
  REQUIRE(node_->Stop().ok());
  node_.reset();
  StartNode();
}

void NodeHarness::SendFrame(const std::string& frame) { REQUIRE(client_->Send({frame}).ok()); }

Message NodeHarness::Call(const std::string& frame, std::chrono::milliseconds timeout) {
  SendFrame(frame);
  return Receive(timeout);
}

Message NodeHarness::Receive(std::chrono::milliseconds timeout) {
  auto reply = client_->Receive(timeout);
  INFO(reply.status().ToString());
  REQUIRE(reply.ok());
  REQUIRE(reply->size() == 1);
  auto message = DecodeFrame((*reply)[0]);
  INFO(message.status().ToString());
  REQUIRE(message.ok());
  return std::move(*message);
}

void NodeHarness::Activate(const ModelArtifact& artifact) {
  Message registered = Call(ModelRegisterRequest{next_id_++, EncodeArtifact(artifact)});
  REQUIRE(std::holds_alternative<ModelReply>(registered));
  Message activated = Call(ModelActivateRequest{next_id_++, artifact.version});
  REQUIRE(std::holds_alternative<ModelReply>(activated));
  REQUIRE(std::get<ModelReply>(activated).version == artifact.version);
}

BatchAck NodeHarness::Send(const std::vector<Event>& events) {
  EventBatch batch{next_id_++, events};
  Message reply = Call(batch);
  if (auto* e = std::get_if<ErrorReply>(&reply)) FAIL(e->message);
  REQUIRE(std::holds_alternative<BatchAck>(reply));
  REQUIRE(std::get<BatchAck>(reply).batch_id == batch.batch_id);
  return std::get<BatchAck>(reply);
}

PredictReply NodeHarness::Predict(const std::string& user, const std::vector<std::string>& items,
                                  uint32_t deadline_ms, bool explore) {
  PredictRequest request;
  request.request_id = next_id_++;
  request.user = user;
  for (const auto& item : items) request.candidates.push_back({item, {{"item", {{"genre=1", 1.0}}}}});
  request.deadline_ms = deadline_ms;
  request.explore = explore;
  request.ts_ms = 5000;
  Message reply = Call(request);
  if (auto* e = std::get_if<ErrorReply>(&reply)) FAIL(e->message);
  REQUIRE(std::holds_alternative<PredictReply>(reply));
  REQUIRE(std::get<PredictReply>(reply).request_id == request.request_id);
  return std::get<PredictReply>(reply);
}

void NodeHarness::Settle() {
  REQUIRE(std::holds_alternative<StatusReply>(Call(StatusRequest{next_id_++})));
}

int64_t NodeHarness::Counter(const std::string& name) {
  Message reply = Call(StatusRequest{next_id_++});
  REQUIRE(std::holds_alternative<StatusReply>(reply));
  for (const auto& c : std::get<StatusReply>(reply).counters) {
    if (c.name == name) return c.value;
  }
  FAIL("no counter " << name);
  return 0;
}

ModelArtifact SmallModel(const std::string& version, uint64_t seed) {
  TrainConfig config;
  config.hashing.bits = 12;
  config.seed = seed;
  auto examples = PointInTimeSnapshot(SyntheticEvents(2000, seed), 1'000'000'000);
  return TrainBaseModel(examples, config, version, {"synthetic", "", 1'000'000'000, examples.size()});
}

std::vector<Event> Labelled(const std::string& user, const std::string& item, int label, size_t n,
                            const std::string& prefix, int64_t ts) {
  std::vector<Event> out;
  for (size_t i = 0; i < n; ++i) {
    Event e;
    e.ts_ms = ts + static_cast<int64_t>(i);
    e.user = user;
    e.item = item;
    e.label = label;
    e.event_id = prefix + "-" + std::to_string(i);
    e.features = {{"item", {{"genre=1", 1.0}}}};
    out.push_back(e);
  }
  return out;
}

}  // namespace driftline::testing
