// The raw baselines: what driftline's paths cost at the bottom, measured with
// the same transport and storage interfaces driftline uses.
//  * EchoServer: a ROUTER (ZeroMQ transport) whose receive thread sends every
//    request straight back (the raw round trip).
//  * RawOneWay: DEALER -> ROUTER frames, no reply; events/s of the batches.
//  * RawAppends: EventLog::Append of the batches' log records through
//    storage::RocksNodeStore, one Append per batch.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster/transport.h"
#include "common/status.h"
#include "protocol/messages.h"

namespace driftline::bench {

class EchoServer {
 public:
  static Result<std::unique_ptr<EchoServer>> Start(cluster::Transport& transport);
  ~EchoServer();  // stops the thread, closes the socket
  const std::string& endpoint() const { return endpoint_; }
  uint64_t echoed() const { return echoed_.load(); }

 private:
  explicit EchoServer(std::unique_ptr<cluster::ServerSocket> socket);
  void Serve();
  std::unique_ptr<cluster::ServerSocket> socket_;
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> echoed_{0};
  std::thread thread_;
};

struct Throughput {
  uint64_t events = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  double events_per_second() const { return seconds > 0 ? events / seconds : 0; }
};

// Sends every frame `repeats` times DEALER -> ROUTER over tcp loopback
// (a fresh transport); time from the first send to the server's receipt of
// the last frame. `events_per_frame[i]` counts frame i's events.
Result<Throughput> RawOneWay(const std::vector<std::string>& frames,
                             const std::vector<size_t>& events_per_frame, size_t repeats);

// Appends `records[i]` (one batch) to partition i % partitions, `repeats`
// times over, in a fresh RocksNodeStore under `dir` with StorageOptions::sync.
Result<Throughput> RawAppends(const std::vector<std::vector<std::string>>& records,
                              uint32_t partitions, size_t repeats, bool sync, const std::string& dir);

// The event-log records driftline writes for a batch's events
// (EncodePartitionInput of an EventInput per event).
std::vector<std::string> LogRecords(const EventBatch& batch);

}  // namespace driftline::bench
