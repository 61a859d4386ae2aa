// Round-trip latency, hidden from the normal run (timing is no test on a
// noisy machine). Run: cluster_tests "[bench]"
#include <algorithm>
#include <cstdio>
#include <vector>

#include "tests/cluster/transport_fixtures.h"

namespace driftline::cluster::testing {
namespace {

template <class Factory>
void MeasureRoundTrips(const char* name, bool reply_from_worker) {
  constexpr int kWarmup = 200;
  constexpr int kRounds = 3000;
  auto transport = Factory::Make();
  auto server = BindAny(*transport);
  auto client = ConnectTo(*transport, *server);
  EchoServer echo(*server, reply_from_worker);

  std::vector<double> micros;
  for (int i = 0; i < kWarmup + kRounds; ++i) {
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_OK(client->Send({"ping", PatternBytes(64, 1)}));
    REQUIRE_OK(client->Receive(kPatience));
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    if (i >= kWarmup) micros.push_back(took.count());
  }
  std::sort(micros.begin(), micros.end());
  std::printf("%-14s reply from %-14s p50 %7.1f us  p90 %7.1f us  p99 %7.1f us\n", name,
              reply_from_worker ? "worker thread" : "receive thread", micros[micros.size() / 2],
              micros[micros.size() * 9 / 10], micros[micros.size() * 99 / 100]);
}

TEST_CASE("round-trip latency", "[.][bench]") {
  MeasureRoundTrips<ZmqFactory>("zmq tcp", false);
  MeasureRoundTrips<ZmqFactory>("zmq tcp", true);
  MeasureRoundTrips<InProcFactory>("inproc twin", false);
  MeasureRoundTrips<InProcFactory>("inproc twin", true);
}

}  // namespace
}  // namespace driftline::cluster::testing
