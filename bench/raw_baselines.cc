#include "bench/raw_baselines.h"

#include <chrono>

#include "cluster/zmq_transport.h"
#include "protocol/codec.h"
#include "storage/rocks_node_store.h"

namespace driftline::bench {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

// ---- echo ------------------------------------------------------------------

Result<std::unique_ptr<EchoServer>> EchoServer::Start(cluster::Transport& transport) {
  auto socket = transport.Bind("tcp://127.0.0.1:0");
  if (!socket.ok()) return socket.status();
  return std::unique_ptr<EchoServer>(new EchoServer(std::move(*socket)));
}

EchoServer::EchoServer(std::unique_ptr<cluster::ServerSocket> socket)
    : socket_(std::move(socket)), endpoint_(socket_->endpoint()) {
  thread_ = std::thread([this] { Serve(); });
}

EchoServer::~EchoServer() {
  stop_ = true;
  socket_->Close();
  if (thread_.joinable()) thread_.join();
}

void EchoServer::Serve() {
  while (!stop_.load()) {
    auto envelope = socket_->Receive(std::chrono::milliseconds(100));
    if (!envelope.ok()) {
      if (envelope.status().code() == Status::Code::kUnavailable) return;
      continue;
    }
    if (socket_->Send(envelope->peer, std::move(envelope->frames)).ok()) ++echoed_;
  }
}

// ---- one-way ---------------------------------------------------------------

Result<Throughput> RawOneWay(const std::vector<std::string>& frames,
                             const std::vector<size_t>& events_per_frame, size_t repeats) {
  if (frames.empty()) return Status::InvalidArgument("no frames to send");
  auto transport = cluster::MakeZmqTransport();
  auto server = transport->Bind("tcp://127.0.0.1:0");
  if (!server.ok()) return server.status();
  auto client = transport->Connect((*server)->endpoint());
  if (!client.ok()) return client.status();
  // Handshake: the connection is up before the clock starts.
  DRIFTLINE_RETURN_IF_ERROR((*client)->Send({"hello"}));
  auto hello = (*server)->Receive(std::chrono::milliseconds(5000));
  if (!hello.ok()) return Status(hello.status().code(), "raw one-way handshake: " + hello.status().message());

  const uint64_t total = frames.size() * repeats;
  std::atomic<uint64_t> received{0};
  Clock::time_point last;
  Status server_status;
  std::thread receiver([&] {
    while (received.load() < total) {
      auto e = (*server)->Receive(std::chrono::milliseconds(10000));
      if (!e.ok()) {
        server_status = e.status();
        return;
      }
      last = Clock::now();
      received.fetch_add(1);
    }
  });
  Throughput t;
  const Clock::time_point start = Clock::now();
  Status send_status;
  for (size_t r = 0; r < repeats && send_status.ok(); ++r) {
    for (size_t i = 0; i < frames.size(); ++i) {
      Status s = (*client)->Send({frames[i]});
      while (s.code() == Status::Code::kResourceExhausted) {  // high-water mark: wait and retry
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        s = (*client)->Send({frames[i]});
      }
      if (!s.ok()) {
        send_status = s;
        break;
      }
      t.events += events_per_frame[i];
      t.bytes += frames[i].size();
    }
  }
  if (!send_status.ok()) (*server)->Close();
  receiver.join();
  DRIFTLINE_RETURN_IF_ERROR(send_status);
  if (!server_status.ok()) {
    return Status(server_status.code(), "raw one-way receive after " + std::to_string(received.load()) +
                                            " of " + std::to_string(total) + " frames: " +
                                            server_status.message());
  }
  t.seconds = std::chrono::duration<double>(last - start).count();
  return t;
}

// ---- appends ---------------------------------------------------------------

std::vector<std::string> LogRecords(const EventBatch& batch) {
  std::vector<std::string> records;
  records.reserve(batch.events.size());
  for (const Event& e : batch.events) records.push_back(EncodePartitionInput(EventInput{e, 0.0, 0.0}));
  return records;
}

Result<Throughput> RawAppends(const std::vector<std::vector<std::string>>& records,
                              uint32_t partitions, size_t repeats, bool sync, const std::string& dir) {
  storage::StorageOptions options;
  options.sync = sync;
  auto store = storage::RocksNodeStore::Open(dir, options);
  if (!store.ok()) return store.status();
  storage::EventLog& log = (*store)->events();
  Throughput t;
  const Clock::time_point start = Clock::now();
  for (size_t r = 0; r < repeats; ++r) {
    for (size_t i = 0; i < records.size(); ++i) {
      auto range = log.Append(static_cast<uint32_t>(i % partitions), records[i]);
      if (!range.ok()) return Status(range.status().code(), "raw append: " + range.status().message());
      t.events += records[i].size();
      for (const auto& rec : records[i]) t.bytes += rec.size();
    }
  }
  t.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return t;
}

}  // namespace driftline::bench
