// The client library against a scripted server on the in-process transport.
#include <catch2/catch.hpp>

#include <functional>
#include <thread>

#include "client/client.h"
#include "cluster/inproc_transport.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

using std::chrono::milliseconds;

// A server thread that hands every request to `script` until it returns false.
class ScriptedServer {
 public:
  using Script = std::function<bool(cluster::ServerSocket&, const cluster::Envelope&, const Message&)>;
  ScriptedServer(cluster::Transport& transport, Script script) {
    socket_ = transport.Bind("inproc://node").value();
    thread_ = std::thread([this, script] {
      for (;;) {
        auto envelope = socket_->Receive(milliseconds(5000));
        if (!envelope.ok()) return;
        auto message = DecodeFrame(envelope->frames.at(0));
        if (!message.ok() || !script(*socket_, *envelope, *message)) return;
      }
    });
  }
  ~ScriptedServer() {
    socket_->Close();
    thread_.join();
  }

 private:
  std::unique_ptr<cluster::ServerSocket> socket_;
  std::thread thread_;
};

void Reply(cluster::ServerSocket& socket, const cluster::Envelope& to, const Message& m) {
  REQUIRE(socket.Send(to.peer, {EncodeFrame(m)}).ok());
}

std::unique_ptr<Client> ConnectTo(cluster::Transport& transport, milliseconds timeout) {
  ClientOptions options;
  options.transport = &transport;
  options.request_timeout = timeout;
  options.resend_backoff = milliseconds(1);
  return Client::Connect("inproc://node", options).value();
}

std::vector<Event> Events(size_t n) {
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) events.push_back(Event{1, "u", "a", 1, "e" + std::to_string(i), "", {}});
  return events;
}

TEST_CASE("a request without reply times out naming the endpoint; its late reply is skipped") {
  cluster::InProcTransport transport(1);
  int seen = 0;
  uint64_t first_id = 0;
  ScriptedServer server(transport, [&](cluster::ServerSocket& s, const cluster::Envelope& e, const Message& m) {
    const auto& request = std::get<StatusRequest>(m);
    if (++seen == 1) {
      first_id = request.request_id;  // no answer now
      return true;
    }
    Reply(s, e, StatusReply{first_id, "stale", 1, {}});   // the late answer to the first
    Reply(s, e, StatusReply{request.request_id, "fresh", 1, {}});
    return false;
  });
  auto client = ConnectTo(transport, milliseconds(200));
  auto timed_out = client->NodeStatus();
  REQUIRE(timed_out.status().code() == Status::Code::kDeadlineExceeded);
  CHECK(timed_out.status().message() == "no reply from inproc://node within 200 ms: is the node running?");
  auto fresh = client->NodeStatus();
  REQUIRE(fresh.ok());
  CHECK(fresh->active_version == "fresh");
}

TEST_CASE("an ErrorReply becomes a Status with the server's code and message") {
  cluster::InProcTransport transport(1);
  ScriptedServer server(transport, [](cluster::ServerSocket& s, const cluster::Envelope& e, const Message& m) {
    const auto& request = std::get<ModelActivateRequest>(m);
    Reply(s, e, ErrorReply{request.request_id, Status::Code::kNotFound, "model v9 is not registered"});
    return false;
  });
  auto client = ConnectTo(transport, milliseconds(5000));
  auto reply = client->ActivateModel("v9");
  CHECK(reply.status().code() == Status::Code::kNotFound);
  CHECK(reply.status().message() == "model v9 is not registered");
}

TEST_CASE("SendEvents resends a batch refused as Unavailable and matches acks out of order") {
  cluster::InProcTransport transport(1);
  std::vector<std::pair<cluster::Envelope, EventBatch>> held;
  bool refused_once = false;
  uint64_t refused_id = 0;
  ScriptedServer server(transport, [&](cluster::ServerSocket& s, const cluster::Envelope& e, const Message& m) {
    const auto& batch = std::get<EventBatch>(m);
    if (!refused_once) {
      refused_once = true;
      refused_id = batch.batch_id;
      Reply(s, e, ErrorReply{batch.batch_id, Status::Code::kUnavailable, "not fully logged, resend it"});
      return true;
    }
    held.emplace_back(e, batch);
    // Acks go out in pairs, newest first; the last batch and the resent one
    // flush what is held.
    if (held.size() == 2 || batch.events.size() < 3 || batch.batch_id == refused_id) {
      for (auto it = held.rbegin(); it != held.rend(); ++it) {
        Reply(s, it->first, BatchAck{it->second.batch_id, static_cast<uint32_t>(it->second.events.size()), 0});
      }
      held.clear();
    }
    return true;
  });
  auto client = ConnectTo(transport, milliseconds(5000));
  uint64_t progress_calls = 0;
  auto stats = client->SendEvents(EventSourceFromVector(Events(10)), 3, 4,
                                  [&](const SendStats&) { ++progress_calls; });
  INFO(stats.status().ToString());
  REQUIRE(stats.ok());
  CHECK(stats->acknowledged == 10);
  CHECK(stats->accepted == 10);
  CHECK(stats->batches == 4);
  CHECK(stats->resends == 1);
  CHECK(progress_calls == 4);
}

TEST_CASE("SendEvents stops at a batch error other than Unavailable, naming the batch") {
  cluster::InProcTransport transport(1);
  ScriptedServer server(transport, [](cluster::ServerSocket& s, const cluster::Envelope& e, const Message& m) {
    const auto& batch = std::get<EventBatch>(m);
    Reply(s, e, ErrorReply{batch.batch_id, Status::Code::kIoError, "disk full"});
    return false;
  });
  auto client = ConnectTo(transport, milliseconds(5000));
  auto stats = client->SendEvents(EventSourceFromVector(Events(2)), 5, 1);
  CHECK(stats.status().code() == Status::Code::kIoError);
  CHECK(stats.status().message() == "batch 1: disk full");
}

TEST_CASE("SendEvents refuses an invalid event before sending, naming its place in the stream") {
  cluster::InProcTransport transport(1);
  auto client = ConnectTo(transport, milliseconds(200));
  std::vector<Event> events = Events(4);
  events[1].user.clear();
  auto stats = client->SendEvents(EventSourceFromVector(events), 2, 1);
  INFO(stats.status().ToString());
  CHECK(stats.status().code() == Status::Code::kInvalidArgument);
  CHECK(stats.status().message().rfind("batch of events 1..2: events[1].user", 0) == 0);
}

// A server thread that answers the first `acks` batches, then closes its
// socket when the next request arrives (the node dies while requests wait).
class DyingServer {
 public:
  DyingServer(cluster::Transport& transport, int acks) {
    socket_ = transport.Bind("inproc://node").value();
    thread_ = std::thread([this, acks] {
      for (int answered = 0;;) {
        auto envelope = socket_->Receive(milliseconds(5000));
        if (!envelope.ok()) return;
        auto message = DecodeFrame(envelope->frames.at(0));
        if (!message.ok() || answered == acks) break;
        if (const auto* batch = std::get_if<EventBatch>(&*message)) {
          Reply(*socket_, *envelope,
                BatchAck{batch->batch_id, static_cast<uint32_t>(batch->events.size()), 0});
        }
        ++answered;
      }
      socket_->Close();
    });
  }
  ~DyingServer() {
    thread_.join();
    socket_->Close();
  }

 private:
  std::unique_ptr<cluster::ServerSocket> socket_;
  std::thread thread_;
};

TEST_CASE("SendEvents stops at once when the node goes away, saying what was acknowledged") {
  cluster::InProcTransport transport(1);
  DyingServer server(transport, /*acks=*/2);
  // A timeout no test waits for: only loss detection can end the send.
  auto client = ConnectTo(transport, milliseconds(3'600'000));
  SendStats last;
  auto stats = client->SendEvents(EventSourceFromVector(Events(100)), 10, 2,
                                  [&](const SendStats& s) { last = s; });
  INFO(stats.status().ToString());
  REQUIRE(stats.status().code() == Status::Code::kUnavailable);
  CHECK(stats.status().message() ==
        "lost the connection to inproc://node (the server closed its socket): 20 of 40 events "
        "sent were acknowledged, every one of the first 20; resend from event 21");
  CHECK(last.acknowledged == 20);
  CHECK(last.acknowledged_prefix == 20);
}

TEST_CASE("a request waiting when the node goes away fails at once, naming the request") {
  cluster::InProcTransport transport(1);
  DyingServer server(transport, /*acks=*/0);
  auto client = ConnectTo(transport, milliseconds(3'600'000));
  auto status = client->NodeStatus();
  REQUIRE(status.status().code() == Status::Code::kUnavailable);
  CHECK(status.status().message() ==
        "lost the connection to inproc://node (the server closed its socket) while waiting for "
        "the reply to request 1 (it may or may not have been applied)");
}

TEST_CASE("a node restarted while the client was idle does not fail the next request") {
  cluster::InProcTransport transport(1);
  auto client = ConnectTo(transport, milliseconds(5000));
  auto status_server = [&transport](const char* version) {
    return std::make_unique<ScriptedServer>(
        transport, [version](cluster::ServerSocket& s, const cluster::Envelope& e, const Message& m) {
          Reply(s, e, StatusReply{std::get<StatusRequest>(m).request_id, version, 1, {}});
          return true;
        });
  };
  auto first = status_server("before");
  REQUIRE(client->NodeStatus().value().active_version == "before");
  first.reset();  // the node goes away while nothing waits...
  auto second = status_server("after");  // ...and comes back
  auto reply = client->NodeStatus();
  INFO(reply.status().ToString());
  REQUIRE(reply.ok());
  CHECK(reply->active_version == "after");
}

}  // namespace
}  // namespace driftline
