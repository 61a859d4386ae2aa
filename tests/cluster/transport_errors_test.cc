// How every Transport fails (cluster/transport.h): bad endpoints, address in
// use, closed sockets, unknown peers, refused messages. Always a Status,
// never an exception or a crash.
#include <thread>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

bool Mentions(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

TEMPLATE_TEST_CASE("malformed endpoints are InvalidArgument naming the endpoint", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  const std::string endpoint = GENERATE(as<std::string>{}, "", "nonsense", "bogus://x", "tcp://",
                                        "tcp://127.0.0.1:notaport", "tcp://127.0.0.1:99999");
  INFO("endpoint '" << endpoint << "'");

  auto server = transport->Bind(endpoint);
  REQUIRE_FALSE(server.ok());
  INFO(server.status().ToString());
  CHECK(server.status().code() == Status::Code::kInvalidArgument);
  CHECK(Mentions(server.status(), "bind " + endpoint));

  auto client = transport->Connect(endpoint);
  REQUIRE_FALSE(client.ok());
  INFO(client.status().ToString());
  CHECK(client.status().code() == Status::Code::kInvalidArgument);
  CHECK(Mentions(client.status(), "connect " + endpoint));
}

TEMPLATE_TEST_CASE("a wildcard port binds but cannot be connected to", "[transport]", ZmqFactory,
                   InProcFactory) {
  auto transport = TestType::Make();
  auto server = transport->Bind("tcp://127.0.0.1:*");
  REQUIRE_OK(server);
  CHECK((*server)->endpoint() != "tcp://127.0.0.1:*");
  CHECK(transport->Connect("tcp://127.0.0.1:0").status().code() ==
        Status::Code::kInvalidArgument);
}

TEMPLATE_TEST_CASE("binding an endpoint that is in use is Unavailable", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto again = transport->Bind(server->endpoint());
  REQUIRE_FALSE(again.ok());
  INFO(again.status().ToString());
  CHECK(again.status().code() == Status::Code::kUnavailable);
  CHECK(Mentions(again.status(), server->endpoint()));

  // The first server is unharmed.
  auto client = ConnectTo(*transport, *server);
  REQUIRE_OK(client->Send({"x"}));
  REQUIRE_OK(server->Receive(kPatience));
}

TEMPLATE_TEST_CASE("Close is idempotent and later calls are Unavailable", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);

  server->Close();
  server->Close();
  CHECK(server->Receive(10ms).status().code() == Status::Code::kUnavailable);
  CHECK(server->Send("anyone", {"x"}).code() == Status::Code::kUnavailable);

  client->Close();
  client->Close();
  CHECK(client->Send({"x"}).code() == Status::Code::kUnavailable);
  CHECK(client->Receive(10ms).status().code() == Status::Code::kUnavailable);
}

TEMPLATE_TEST_CASE("Close from another thread ends a blocked Receive promptly", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  Status received = Status::Internal("not returned");
  const auto start = std::chrono::steady_clock::now();
  std::thread receive_thread([&] { received = server->Receive(60s).status(); });
  std::this_thread::sleep_for(100ms);
  server->Close();
  receive_thread.join();
  CHECK(received.code() == Status::Code::kUnavailable);
  CHECK(std::chrono::steady_clock::now() - start < 30s);
}

TEMPLATE_TEST_CASE("a reply to an unknown peer is Unavailable and counted", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  const Status status = server->Send(std::string("nobody\0here", 11), {"x"});
  INFO(status.ToString());
  CHECK(status.code() == Status::Code::kUnavailable);
  CHECK(server->stats().replies_dropped_unroutable == 1);
  CHECK(server->stats().replies_sent == 0);
}

TEMPLATE_TEST_CASE("a reply to an unknown peer sent while Receive runs is refused or counted",
                   "[transport]", ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  std::atomic<bool> stop{false};
  std::thread receive_thread([&] {
    while (!stop) (void)server->Receive(20ms);
  });
  // Queued for the receive thread (ZeroMQ: Ok, then dropped and counted) or
  // refused at once (twin): either way it is counted, never delivered.
  const Status status = server->Send("nobody", {"x"});
  CHECK((status.ok() || status.code() == Status::Code::kUnavailable));
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (server->stats().replies_dropped_unroutable == 0 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
  }
  stop = true;
  receive_thread.join();
  CHECK(server->stats().replies_dropped_unroutable == 1);
  CHECK(server->stats().replies_sent == 0);
}

TEMPLATE_TEST_CASE("a reply to a client that closed becomes Unavailable", "[transport]",
                   ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  REQUIRE_OK(client->Send({"hi"}));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  client->Close();

  // ZeroMQ learns about the disconnection asynchronously: retry for a while.
  Status status;
  const auto give_up = std::chrono::steady_clock::now() + kPatience;
  do {
    status = server->Send(request->peer, {"late"});
    if (status.ok()) std::this_thread::sleep_for(10ms);
  } while (status.ok() && std::chrono::steady_clock::now() < give_up);
  INFO(status.ToString());
  CHECK(status.code() == Status::Code::kUnavailable);
}

TEMPLATE_TEST_CASE("empty messages and frames over the size limit are refused by the sender",
                   "[transport]", ZmqFactory, InProcFactory) {
  TransportOptions options;
  options.max_frame_bytes = 1024;
  auto transport = TestType::Make(options);
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);

  CHECK(client->Send({}).code() == Status::Code::kInvalidArgument);
  CHECK(client->Send({"ok", std::string(1025, 'x')}).code() ==
        Status::Code::kResourceExhausted);
  CHECK(server->Send("anyone", {}).code() == Status::Code::kInvalidArgument);
  CHECK(server->Send("anyone", {std::string(1025, 'x')}).code() ==
        Status::Code::kResourceExhausted);

  // A frame of exactly the limit passes.
  REQUIRE_OK(client->Send({std::string(1024, 'y')}));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames.at(0).size() == 1024);
}

TEMPLATE_TEST_CASE("two transports in one process are independent", "[transport]", ZmqFactory,
                   InProcFactory) {
  auto first = TestType::Make();
  auto second = TestType::Make();
  auto a = first->Bind("inproc://same-name");
  auto b = second->Bind("inproc://same-name");
  REQUIRE_OK(a);
  REQUIRE_OK(b);

  auto client = second->Connect("inproc://same-name");
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Send({"for b"}));
  Result<Envelope> at_b = (*b)->Receive(kPatience);
  REQUIRE_OK(at_b);
  CHECK(at_b->frames == Frames{"for b"});
  CHECK((*a)->Receive(100ms).status().code() == Status::Code::kDeadlineExceeded);
}

}  // namespace
}  // namespace driftline::cluster::testing
