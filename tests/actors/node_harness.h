// A node on the in-process transport twin with a client connected to it,
// plus helpers to build requests and a small trained model.
#pragma once

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "actors/node.h"
#include "cluster/inproc_transport.h"
#include "protocol/codec.h"

namespace driftline::testing {

class NodeHarness {
 public:
  // A node with `partitions` partitions in a fresh temp dir, or on `store`
  // when given (kept across Restart()).
  explicit NodeHarness(uint32_t partitions = 4, bool fault_injection = true,
                       std::shared_ptr<storage::NodeStore> store = nullptr);
  // The same with `options` (data_dir, listen, partitions, fault injection
  // and the pending wait are set here), in a fresh temp dir.
  NodeHarness(uint32_t partitions, bool fault_injection, const NodeOptions& options);
  ~NodeHarness();

  // Sends one frame and waits (up to `timeout`) for the reply to it.
  Message Call(const std::string& frame, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  template <class T>
  Message Call(const T& request) { return Call(EncodeFrame(request)); }

  // Sends one frame without waiting; Receive takes the next reply.
  void SendFrame(const std::string& frame);
  Message Receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Registers and activates `artifact`; REQUIREs success.
  void Activate(const ModelArtifact& artifact);
  // Sends a batch; REQUIREs an ack and returns it.
  BatchAck Send(const std::vector<Event>& events);
  // Predicts; REQUIREs a PredictReply.
  PredictReply Predict(const std::string& user, const std::vector<std::string>& items,
                       uint32_t deadline_ms = 2000, bool explore = false);
  int64_t Counter(const std::string& name);
  // Returns once every partition applied the arm updates queued so far: a
  // status request's counters wait until everything a partition received
  // before them is logged and applied, while predict reads are answered at
  // once from the applied state, so compare scores only after settling.
  void Settle();

  // Stops the node and starts it again on the same data dir.
  void Restart();
  Node& node() { return *node_; }
  cluster::InProcTransport& transport() { return *transport_; }
  std::string log() const { return log_.str(); }

 private:
  NodeHarness(uint32_t partitions, bool fault_injection, std::shared_ptr<storage::NodeStore> store,
              const NodeOptions& options);
  void StartNode();

  std::string dir_;
  uint32_t partitions_;
  bool fault_injection_;
  std::shared_ptr<storage::NodeStore> store_;
  NodeOptions options_;
  std::ostringstream log_;
  std::shared_ptr<cluster::InProcTransport> transport_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<cluster::ClientSocket> client_;
  uint64_t next_id_ = 1;
};

// A small base model trained on synthetic events (users u0..u39, items i0..i29).
ModelArtifact SmallModel(const std::string& version, uint64_t seed = 1);

// `n` labelled events of `user` on `item` with event ids prefix-0.., label `label`.
std::vector<Event> Labelled(const std::string& user, const std::string& item, int label, size_t n,
                            const std::string& prefix, int64_t ts = 1000);

}  // namespace driftline::testing
