// Fixtures shared by the cluster tests: one factory per Transport
// implementation (so TEMPLATE_TEST_CASE runs a suite against both), an echo
// server on its own thread, and small helpers.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/inproc_transport.h"
#include "tests/support/require_ok.h"
#include "cluster/transport.h"
#include "cluster/zmq_transport.h"

namespace driftline::cluster::testing {

using namespace std::chrono_literals;


// Generous: the machine is slow and noisy; no test waits this long unless broken.
constexpr std::chrono::milliseconds kPatience = 10s;

// An endpoint both implementations bind to a fresh port.
inline const char* kAnyPort = "tcp://127.0.0.1:0";

struct ZmqFactory {
  static std::unique_ptr<Transport> Make(const TransportOptions& options = {}) {
    return MakeZmqTransport(options);
  }
};

struct InProcFactory {
  static std::unique_ptr<Transport> Make(const TransportOptions& options = {}) {
    return std::make_unique<InProcTransport>(/*seed=*/42, options);
  }
};

// Binds to a fresh port, failing the test on error.
inline std::unique_ptr<ServerSocket> BindAny(Transport& transport) {
  auto server = transport.Bind(kAnyPort);
  REQUIRE_OK(server);
  return std::move(server).value();
}

inline std::unique_ptr<ClientSocket> ConnectTo(Transport& transport, const ServerSocket& server) {
  auto client = transport.Connect(server.endpoint());
  REQUIRE_OK(client);
  return std::move(client).value();
}

// Returns every message to its sender. With `reply_from_worker`, the receive
// thread hands each request to a second thread which calls Send while the
// receive thread is blocked in Receive (the actor-reply path); otherwise the
// receive thread replies itself.
class EchoServer {
 public:
  EchoServer(ServerSocket& server, bool reply_from_worker)
      : server_(server), reply_from_worker_(reply_from_worker) {
    receiver_ = std::thread([this] { ReceiveLoop(); });
    if (reply_from_worker_) worker_ = std::thread([this] { ReplyLoop(); });
  }
  ~EchoServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    ready_.notify_all();
    receiver_.join();
    if (worker_.joinable()) worker_.join();
  }
  uint64_t failed_sends() const { return failed_sends_; }

 private:
  void ReceiveLoop() {
    while (!stop_) {
      Result<Envelope> request = server_.Receive(20ms);
      if (!request.ok()) continue;
      if (!reply_from_worker_) {
        if (!server_.Send(request->peer, request->frames).ok()) ++failed_sends_;
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back(std::move(request).value());
      ready_.notify_one();
    }
  }
  void ReplyLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      ready_.wait(lock, [this] { return stop_ || !pending_.empty(); });
      if (pending_.empty()) return;
      Envelope request = std::move(pending_.front());
      pending_.pop_front();
      lock.unlock();
      if (!server_.Send(request.peer, std::move(request.frames)).ok()) ++failed_sends_;
      lock.lock();
    }
  }

  ServerSocket& server_;
  const bool reply_from_worker_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> failed_sends_{0};
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Envelope> pending_;
  std::thread receiver_;
  std::thread worker_;
};

// Deterministic bytes covering every value, NULs included.
inline std::string PatternBytes(size_t size, unsigned seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 31 + seed * 7) & 0xff);
  return bytes;
}

}  // namespace driftline::cluster::testing
