// ZeroMQ-only behaviour (cluster/zmq_transport.h): real ports, ZeroMQ's
// own message-size limit on the receiving side, misaligned frames on tcp,
// ipc endpoints.
#include <unistd.h>

#include <thread>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

TEST_CASE("binding tcp port 0 reports the port the system chose", "[zmq]") {
  auto transport = MakeZmqTransport();
  auto server = BindAny(*transport);
  const std::string endpoint = server->endpoint();
  INFO(endpoint);
  REQUIRE(endpoint.rfind("tcp://127.0.0.1:", 0) == 0);
  const int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  CHECK(port > 0);
  CHECK(port <= 65535);
}

TEST_CASE("a frame over the server's size limit drops that connection, others are still served",
          "[zmq]") {
  TransportOptions strict;
  strict.max_frame_bytes = 64 * 1024;
  auto server_transport = MakeZmqTransport(strict);
  auto client_transport = MakeZmqTransport();  // default limit: 64 MiB, so it sends
  auto server = BindAny(*server_transport);
  auto offender = ConnectTo(*client_transport, *server);
  auto polite = ConnectTo(*client_transport, *server);

  REQUIRE_OK(offender->Send({std::string(100 * 1024, 'x')}));
  REQUIRE_OK(polite->Send({"hi"}));

  bool answered = false;
  bool saw_oversized = false;
  while (true) {
    Result<Envelope> request = server->Receive(answered ? 500ms : kPatience);
    if (!request.ok()) break;
    if (request->frames.at(0).size() > 64 * 1024) saw_oversized = true;
    if (request->frames.at(0) == "hi") {
      REQUIRE_OK(server->Send(request->peer, {"hello"}));
      answered = true;
    }
  }
  CHECK_FALSE(saw_oversized);
  REQUIRE(answered);
  Result<Frames> reply = polite->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"hello"});
}

TEST_CASE("frames of 33 bytes and more arrive intact over tcp despite misalignment", "[zmq]") {
  auto transport = MakeZmqTransport();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  EchoServer echo(*server, /*reply_from_worker=*/false);

  for (size_t size : {size_t{32}, size_t{33}, size_t{40}, size_t{64}, size_t{255}, size_t{4097},
                      size_t{65536}}) {
    const Frames message{PatternBytes(size, 1), PatternBytes(size + 1, 2), "x"};
    REQUIRE_OK(client->Send(message));
    Result<Frames> reply = client->Receive(kPatience);
    REQUIRE_OK(reply);
    INFO("frame size " << size);
    CHECK(*reply == message);
  }
}

TEST_CASE("ipc endpoints work like tcp ones", "[zmq]") {
  auto transport = MakeZmqTransport();
  const std::string endpoint =
      "ipc:///tmp/driftline-cluster-test-" + std::to_string(getpid()) + ".sock";
  auto server = transport->Bind(endpoint);
  REQUIRE_OK(server);
  CHECK((*server)->endpoint() == endpoint);
  auto client = transport->Connect(endpoint);
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Send({"over ipc"}));
  Result<Envelope> request = (*server)->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames == Frames{"over ipc"});
  (*server)->Close();
  unlink(endpoint.substr(6).c_str());
}

TEST_CASE("a client may send before its server is bound", "[zmq]") {
  auto transport = MakeZmqTransport();
  const std::string endpoint = "inproc://bound-later";
  auto client = transport->Connect(endpoint);
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Send({"early"}));
  auto server = transport->Bind(endpoint);
  REQUIRE_OK(server);
  Result<Envelope> request = (*server)->Receive(kPatience);
  REQUIRE_OK(request);
  CHECK(request->frames == Frames{"early"});
}

}  // namespace
}  // namespace driftline::cluster::testing
