// transport_bench: round-trip latency of the transport seam
// (cluster/transport.h), ZeroMQ over tcp loopback and the in-process twin,
// against each other in the same run. No assertions: a benchmark, not a test
// (bench/RESULTS.md, docs/transport.md).
//
//   transport_bench [--rounds N]     Default: 3000 rounds after 200 warm-up
//
// Prints one line per transport and `RATIO twin/zmq p50 X`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "bench/percentiles.h"
#include "bench/raw_baselines.h"
#include "cluster/inproc_transport.h"
#include "cluster/zmq_transport.h"

namespace driftline::bench {
namespace {

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

struct RoundTrips {
  LatencySummary latency;
  double cpu_us_per_round = 0;  // both ends, this process
};

// `rounds` request/reply round trips of a 64-byte frame to an echo server
// (its receive thread replies) over `transport`.
Result<RoundTrips> Measure(cluster::Transport& transport, int rounds) {
  constexpr int kWarmup = 200;
  auto echo = EchoServer::Start(transport);
  if (!echo.ok()) return echo.status();
  auto client = transport.Connect((*echo)->endpoint());
  if (!client.ok()) return client.status();
  const std::string payload(64, 'x');
  std::vector<double> micros;
  micros.reserve(rounds);
  double cpu_start = 0;
  for (int i = 0; i < kWarmup + rounds; ++i) {
    if (i == kWarmup) cpu_start = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    DRIFTLINE_RETURN_IF_ERROR((*client)->Send({payload}));
    auto reply = (*client)->Receive(std::chrono::seconds(10));
    if (!reply.ok()) return reply.status();
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    if (i >= kWarmup) micros.push_back(took.count());
  }
  RoundTrips result;
  result.cpu_us_per_round = (ProcessCpuSeconds() - cpu_start) * 1e6 / rounds;
  result.latency = Summarize(std::move(micros));
  return result;
}

void Print(const char* name, const RoundTrips& r) {
  std::printf("%-12s rounds %zu  p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  cpu %6.1f us/round\n",
              name, r.latency.count, r.latency.p50_us, r.latency.p99_us, r.latency.p999_us,
              r.cpu_us_per_round);
}

int Main(int argc, char** argv) {
  int rounds = 3000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: transport_bench [--rounds N]   (N in 1..10000000)\n");
      return 2;
    }
  }
  if (rounds < 1 || rounds > 10'000'000) {
    std::fprintf(stderr, "transport_bench: --rounds must be in 1..10000000\n");
    return 2;
  }
  auto zmq = cluster::MakeZmqTransport();
  auto zmq_trips = Measure(*zmq, rounds);
  cluster::InProcTransport twin(/*seed=*/42);
  auto twin_trips = Measure(twin, rounds);
  for (const auto* r : {&zmq_trips, &twin_trips}) {
    if (!r->ok()) {
      std::fprintf(stderr, "transport_bench: %s\n", r->status().ToString().c_str());
      return 1;
    }
  }
  Print("zmq tcp", *zmq_trips);
  Print("inproc twin", *twin_trips);
  std::printf("RATIO twin/zmq p50 %.2f\n", twin_trips->latency.p50_us / zmq_trips->latency.p50_us);
  return 0;
}

}  // namespace
}  // namespace driftline::bench

int main(int argc, char** argv) { return driftline::bench::Main(argc, argv); }
