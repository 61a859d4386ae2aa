// Fault injection of the in-process twin (cluster/inproc_transport.h):
// drop, delay, reorder and cut, seeded and deterministic.
#include <algorithm>
#include <numeric>
#include <vector>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

struct Pair {
  std::unique_ptr<ServerSocket> server;
  std::unique_ptr<ClientSocket> client;
};

Pair Connected(InProcTransport& transport) {
  Pair pair;
  pair.server = BindAny(transport);
  pair.client = ConnectTo(transport, *pair.server);
  return pair;
}

// Sends "0".."n-1" from the client, then takes everything the server gets
// within `wait` of the last message.
std::vector<int> SendNumbers(Pair& pair, int n, std::chrono::milliseconds wait) {
  for (int i = 0; i < n; ++i) REQUIRE_OK(pair.client->Send({std::to_string(i)}));
  std::vector<int> received;
  while (true) {
    Result<Envelope> message = pair.server->Receive(wait);
    if (!message.ok()) break;
    received.push_back(std::stoi(message->frames.at(0)));
  }
  return received;
}

std::vector<int> Iota(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST_CASE("drop probability 1 loses every message while Send still succeeds", "[inproc]") {
  InProcTransport transport(1);
  Pair pair = Connected(transport);
  REQUIRE_OK(pair.client->Send({"hello"}));
  Result<Envelope> hello = pair.server->Receive(kPatience);
  REQUIRE_OK(hello);

  transport.SetDropProbability(1.0);
  CHECK(SendNumbers(pair, 50, 100ms).empty());
  REQUIRE_OK(pair.server->Send(hello->peer, {"reply"}));
  CHECK(pair.client->Receive(100ms).status().code() == Status::Code::kDeadlineExceeded);
  CHECK(transport.counters().dropped_random == 51);

  transport.SetDropProbability(0.0);
  CHECK(SendNumbers(pair, 5, 100ms) == Iota(5));
}

TEST_CASE("the same seed drops the same messages", "[inproc]") {
  const auto survivors = [](uint64_t seed) {
    InProcTransport transport(seed);
    transport.SetDropProbability(0.5);
    Pair pair = Connected(transport);
    return SendNumbers(pair, 100, 50ms);
  };
  const std::vector<int> first = survivors(7);
  CHECK(first == survivors(7));
  CHECK(first != survivors(8));
  CHECK(first.size() > 20);
  CHECK(first.size() < 80);
}

TEST_CASE("a delayed message is not received before its delay has passed", "[inproc]") {
  InProcTransport transport(2);
  transport.SetDelay(300ms, 400ms);
  Pair pair = Connected(transport);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE_OK(pair.client->Send({"later"}));
  Result<Envelope> message = pair.server->Receive(kPatience);
  REQUIRE_OK(message);
  CHECK(std::chrono::steady_clock::now() - start >= 300ms);
  CHECK(message->frames == Frames{"later"});
  CHECK(transport.counters().delayed == 1);
}

TEST_CASE("random delays let messages overtake each other, and none is lost", "[inproc]") {
  InProcTransport transport(3);
  transport.SetDelay(0ms, 200ms);
  Pair pair = Connected(transport);
  std::vector<int> received = SendNumbers(pair, 50, 1s);
  CHECK(received != Iota(50));
  std::sort(received.begin(), received.end());
  CHECK(received == Iota(50));
}

TEST_CASE("reorder shuffles queued messages, the same way for the same seed", "[inproc]") {
  const auto order = [](uint64_t seed) {
    InProcTransport transport(seed);
    transport.SetReorder(true);
    Pair pair = Connected(transport);
    std::vector<int> received = SendNumbers(pair, 30, 50ms);
    CHECK(transport.counters().reordered > 0);
    return received;
  };
  std::vector<int> first = order(11);
  CHECK(first != Iota(30));
  CHECK(first == order(11));
  std::sort(first.begin(), first.end());
  CHECK(first == Iota(30));
}

TEST_CASE("Cut isolates a server both ways until it is healed", "[inproc]") {
  InProcTransport transport(4);
  Pair cut = Connected(transport);
  Pair other = Connected(transport);
  REQUIRE_OK(cut.client->Send({"hello"}));
  Result<Envelope> hello = cut.server->Receive(kPatience);
  REQUIRE_OK(hello);

  transport.Cut(cut.server->endpoint(), true);
  REQUIRE_OK(cut.client->Send({"lost"}));
  CHECK(cut.server->Receive(100ms).status().code() == Status::Code::kDeadlineExceeded);
  REQUIRE_OK(cut.server->Send(hello->peer, {"lost too"}));
  CHECK(cut.client->Receive(100ms).status().code() == Status::Code::kDeadlineExceeded);
  CHECK(transport.counters().dropped_cut == 2);
  CHECK(SendNumbers(other, 3, 100ms) == Iota(3));  // the rest of the network is fine

  transport.Cut(cut.server->endpoint(), false);
  REQUIRE_OK(cut.client->Send({"back"}));
  Result<Envelope> back = cut.server->Receive(kPatience);
  REQUIRE_OK(back);
  REQUIRE_OK(cut.server->Send(back->peer, {"welcome"}));
  Result<Frames> reply = cut.client->Receive(kPatience);
  REQUIRE_OK(reply);
  CHECK(*reply == Frames{"welcome"});
}

TEST_CASE("a message to an endpoint nobody bound is dropped and counted", "[inproc]") {
  InProcTransport transport(5);
  auto client = transport.Connect("tcp://127.0.0.1:7000");
  REQUIRE_OK(client);
  REQUIRE_OK((*client)->Send({"into the void"}));
  CHECK(transport.counters().dropped_unroutable == 1);
}

TEST_CASE("binding port 0 assigns distinct ports per transport instance", "[inproc]") {
  InProcTransport transport(6);
  auto a = BindAny(transport);
  auto b = BindAny(transport);
  CHECK(a->endpoint() != b->endpoint());
  CHECK(a->endpoint().rfind("tcp://127.0.0.1:", 0) == 0);
  CHECK(a->endpoint() != "tcp://127.0.0.1:0");
}

}  // namespace
}  // namespace driftline::cluster::testing
