// The behaviour every Transport promises (cluster/transport.h), run against
// the ZeroMQ transport and the in-process twin alike.
#include <algorithm>
#include <map>
#include <thread>
#include <vector>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

TEMPLATE_TEST_CASE("a request reaches the server and its reply reaches the client",
                   "[transport]", ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);

  REQUIRE_OK(client->Send({"ping", "42"}));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames == Frames{"ping", "42"});
  CHECK_FALSE(request->peer.empty());

  REQUIRE_OK(server->Send(request->peer, {"pong", "42"}));
  Result<Frames> reply = client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"pong", "42"});
  CHECK(server->stats().replies_sent == 1);
}

TEMPLATE_TEST_CASE("many clients at once each get exactly their own replies", "[transport]",
                   ZmqFactory, InProcFactory) {
  constexpr int kClients = 8;
  constexpr int kRequests = 200;
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  const bool reply_from_worker = GENERATE(false, true);
  EchoServer echo(*server, reply_from_worker);

  std::vector<std::string> failures(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto client = transport->Connect(server->endpoint());
      if (!client.ok()) {
        failures[c] = client.status().ToString();
        return;
      }
      for (int i = 0; i < kRequests; ++i) {
        const Frames request{"client-" + std::to_string(c), std::to_string(i)};
        Status sent = (*client)->Send(request);
        Result<Frames> reply = (*client)->Receive(kPatience);
        if (!sent.ok() || !reply.ok() || *reply != request) {
          failures[c] = "client " + std::to_string(c) + " request " + std::to_string(i) + ": " +
                        (sent.ok() ? reply.status().ToString() : sent.ToString());
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& failure : failures) CHECK(failure.empty());
  CHECK(echo.failed_sends() == 0);
}

TEMPLATE_TEST_CASE("replies sent from several threads while another thread is in Receive all arrive",
                   "[transport]", ZmqFactory, InProcFactory) {
  constexpr int kSenders = 4;
  constexpr int kPerSender = 500;
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  REQUIRE_OK(client->Send({"hello"}));
  Result<Envelope> hello = server->Receive(kPatience);
  REQUIRE_OK(hello);
  const std::string peer = hello->peer;

  std::atomic<bool> stop{false};
  std::thread receive_thread([&] {
    while (!stop) (void)server->Receive(20ms);  // nothing comes in: it only writes replies
  });
  std::vector<std::thread> senders;
  std::atomic<int> send_errors{0};
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      for (int i = 0; i < kPerSender; ++i) {
        if (!server->Send(peer, {std::to_string(s), std::to_string(i)}).ok()) ++send_errors;
      }
    });
  }
  std::map<int, int> next_expected;  // per sender: replies keep that sender's order
  int received = 0;
  bool in_order = true;
  for (; received < kSenders * kPerSender; ++received) {
    Result<Frames> reply = client->Receive(kPatience);
    if (!reply.ok()) break;
    const int sender = std::stoi(reply->at(0));
    const int seq = std::stoi(reply->at(1));
    if (seq != next_expected[sender]) in_order = false;
    next_expected[sender] = seq + 1;
  }
  for (auto& t : senders) t.join();
  stop = true;
  receive_thread.join();

  CHECK(send_errors == 0);
  CHECK(received == kSenders * kPerSender);
  CHECK(in_order);
  CHECK(server->stats().replies_sent == kSenders * kPerSender + 0u);
}

TEMPLATE_TEST_CASE("multipart messages keep every frame, empty frames and NUL bytes included",
                   "[transport]", ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  const Frames message{"", std::string("\0\x01\xff\0", 4), "", PatternBytes(100, 3), ""};

  REQUIRE_OK(client->Send(message));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames == message);

  REQUIRE_OK(server->Send(request->peer, message));
  Result<Frames> reply = client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == message);
}

TEMPLATE_TEST_CASE("1 MiB frames arrive intact both ways", "[transport]", ZmqFactory,
                   InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  const Frames message{"big", PatternBytes(size_t{1} << 20, 5), PatternBytes((size_t{1} << 20) + 7, 9)};

  REQUIRE_OK(client->Send(message));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames == message);

  REQUIRE_OK(server->Send(request->peer, std::move(request->frames)));
  Result<Frames> reply = client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == message);
}

TEMPLATE_TEST_CASE("Receive with nothing to receive returns DeadlineExceeded after its timeout",
                   "[transport]", ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  using Clock = std::chrono::steady_clock;

  const auto start = Clock::now();
  Result<Envelope> none = server->Receive(100ms);
  const auto server_wait = Clock::now() - start;
  CHECK(none.status().code() == Status::Code::kDeadlineExceeded);
  CHECK(server_wait >= 100ms);
  CHECK(server_wait < 5s);

  const auto client_start = Clock::now();
  Result<Frames> no_reply = client->Receive(100ms);
  const auto client_wait = Clock::now() - client_start;
  CHECK(no_reply.status().code() == Status::Code::kDeadlineExceeded);
  CHECK(client_wait >= 100ms);
  CHECK(client_wait < 5s);

  CHECK(server->Receive(0ms).status().code() == Status::Code::kDeadlineExceeded);
  CHECK(client->Receive(0ms).status().code() == Status::Code::kDeadlineExceeded);
}

TEMPLATE_TEST_CASE("sockets keep working after their transport is destroyed", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  transport.reset();

  REQUIRE_OK(client->Send({"still here"}));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  REQUIRE_OK(server->Send(request->peer, {"so am I"}));
  Result<Frames> reply = client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"so am I"});
}

}  // namespace
}  // namespace driftline::cluster::testing
