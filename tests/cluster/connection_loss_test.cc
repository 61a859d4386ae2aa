// Lost connections (cluster/transport.h, ClientSocket::Receive): a client
// whose established connection drops hears it at once as Unavailable "lost
// the connection to EP", after the messages that arrived before the drop, and
// only once; a server that was never reached is not a loss.
#include <cstdint>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

bool IsLoss(const Status& status, const std::string& endpoint) {
  return status.code() == Status::Code::kUnavailable &&
         status.message().rfind("lost the connection to " + endpoint, 0) == 0;
}

// A wait far longer than detection needs: a loss reported as DeadlineExceeded
// after it would mean the socket did not notice.
constexpr std::chrono::milliseconds kLongWait = 120s;

TEMPLATE_TEST_CASE("a client waiting for a reply hears at once that its server closed",
                   "[transport]", ZmqFactory, InProcFactory) {
  auto transport = TestType::Make();
  auto server = BindAny(*transport);
  const std::string endpoint = server->endpoint();
  auto client = ConnectTo(*transport, *server);

  REQUIRE_OK(client->Send({"ping"}));
  Result<Envelope> request = server->Receive(kPatience);
  REQUIRE_OK(request);
  REQUIRE_OK(server->Send(request->peer, {"pong"}));
  REQUIRE_OK(client->Send({"second request, never answered"}));
  REQUIRE_OK(server->Receive(kPatience));
  server->Close();

  // The reply that arrived before the drop comes first, then the loss.
  Result<Frames> reply = client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"pong"});
  Result<Frames> lost = client->Receive(kLongWait);
  INFO(lost.status().ToString());
  REQUIRE(IsLoss(lost.status(), endpoint));
  // Reported once.
  CHECK(client->Receive(200ms).status().code() == Status::Code::kDeadlineExceeded);
}

TEMPLATE_TEST_CASE("a client that never reached a server times out: it lost nothing",
                   "[transport]", ZmqFactory, InProcFactory) {
  std::string endpoint;
  {
    // A port that was free a moment ago, released for sure: the probe's own
    // transport is gone with it (ZeroMQ closes a listener asynchronously).
    auto probe_transport = TestType::Make();
    auto probe = BindAny(*probe_transport);
    endpoint = probe->endpoint();
  }
  auto transport = TestType::Make();
  auto client = transport->Connect(endpoint);
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Send({"anyone?"}));
  CHECK((*client)->Receive(300ms).status().code() == Status::Code::kDeadlineExceeded);
}

TEST_CASE("a frame over the server's limit drops the sender's connection and the sender hears it",
          "[zmq]") {
  TransportOptions server_options;
  server_options.max_frame_bytes = 64 * 1024;
  auto server_transport = MakeZmqTransport(server_options);
  TransportOptions client_options;
  client_options.max_frame_bytes = -1;  // a foreign sender that does not check
  auto client_transport = MakeZmqTransport(client_options);
  auto server = BindAny(*server_transport);
  auto offender = ConnectTo(*client_transport, *server);
  auto polite = ConnectTo(*client_transport, *server);
  EchoServer echo(*server, /*reply_from_worker=*/false);

  // Connected first (an echo), so that the drop is of an established connection.
  REQUIRE_OK(offender->Send({"hello"}));
  REQUIRE_OK(offender->Receive(kPatience));
  REQUIRE_OK(offender->Send({std::string(100 * 1024, 'x')}));
  Result<Frames> lost = offender->Receive(kLongWait);
  INFO(lost.status().ToString());
  CHECK(IsLoss(lost.status(), server->endpoint()));

  REQUIRE_OK(polite->Send({"hi"}));
  Result<Frames> reply = polite->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"hi"});
}

}  // namespace
}  // namespace driftline::cluster::testing
