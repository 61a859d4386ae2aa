// state_footprint: what one user and one arm cost a partition, in memory and
// in checkpoint bytes, and what eviction costs per event (issue 6 item 7).
//
// Memory is the heap the state really allocates (glibc mallinfo2, bytes in
// use, before and after N users or arms are learned), divided by N; the
// baseline printed beside it is the payload (per coordinate: a 4-byte index
// and FTRL {z, n}, plus the key's bytes), so the RATIO line says how much the
// containers add. CPU per operation is process CPU time (clock()) over N
// operations, with eviction on and off in the same run.
//
//   build/bench/state_footprint [--users N] [--arms N]
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "learning/online_step.h"
#include "learning/partition_state.h"
#include "protocol/codec.h"

using namespace driftline;

namespace {

size_t HeapInUse() { return mallinfo2().uordblks; }

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// k distinct features for `key`: the identity plus k - 1 item features.
SparseFeatures Features(const std::string& key, size_t k, const OnlineOptions& options) {
  FeatureSet set;
  std::vector<Feature> items;
  for (size_t j = 0; j + 1 < k; ++j) items.push_back({"f" + std::to_string(j), 1.0});
  set.push_back({"item", items});
  return DeltaFeatures(key, "", set, options);
}

std::string UserKey(size_t i) { return "user-" + std::to_string(1'000'000 + i); }  // 12 bytes

struct Footprint {
  double heap_bytes = 0;        // per key
  double checkpoint_bytes = 0;  // per key
  double payload_bytes = 0;     // per key
  double coords = 0;            // per key
};

Footprint Users(size_t n, size_t k, int64_t ttl_ms) {
  OnlineOptions options;
  options.state_ttl_ms = ttl_ms;
  std::vector<SparseFeatures> xs;
  for (size_t i = 0; i < n; ++i) xs.push_back(Features(UserKey(i), k, options));
  const size_t empty_checkpoint = EncodeCheckpoint(PartitionState(0, options, 1).Snapshot(1, 0)).size();
  const size_t before = HeapInUse();
  Footprint f;
  {
    auto* state = new PartitionState(0, options, 1);
    for (size_t i = 0; i < n; ++i) state->LearnUser(UserKey(i), xs[i], -0.3, 1000);
    f.heap_bytes = static_cast<double>(HeapInUse() - before) / n;
    const PartitionSnapshot s = state->Snapshot(1, 0);
    size_t coords = 0;
    for (const auto& u : s.users) coords += u.coords.size();
    f.coords = static_cast<double>(coords) / n;
    f.checkpoint_bytes = static_cast<double>(EncodeCheckpoint(s).size() - empty_checkpoint) / n;
    f.payload_bytes = f.coords * (4 + sizeof(FtrlState)) + UserKey(0).size();
    delete state;
  }
  return f;
}

Footprint Arms(size_t n, size_t k) {
  OnlineOptions options;
  std::vector<SparseFeatures> xs;
  for (size_t i = 0; i < n; ++i) xs.push_back(Features("arm-" + std::to_string(1'000'000 + i), k, options));
  const size_t empty_checkpoint = EncodeCheckpoint(PartitionState(0, options, 1).Snapshot(1, 0)).size();
  const size_t before = HeapInUse();
  Footprint f;
  auto* state = new PartitionState(0, options, 1);
  for (size_t i = 0; i < n; ++i) {
    state->LearnArm("arm-" + std::to_string(1'000'000 + i), xs[i], -0.3, 1, 1000);
  }
  f.heap_bytes = static_cast<double>(HeapInUse() - before) / n;
  const PartitionSnapshot s = state->Snapshot(1, 0);
  size_t coords = 0;
  for (const auto& a : s.arms) coords += a.coords.size();
  f.coords = static_cast<double>(coords) / n;
  f.checkpoint_bytes = static_cast<double>(EncodeCheckpoint(s).size() - empty_checkpoint) / n;
  const size_t dim = static_cast<size_t>(options.linear_dim);
  f.payload_bytes = f.coords * (4 + sizeof(FtrlState)) + 11 + 2 * sizeof(double) +
                    (dim * dim + dim) * sizeof(double);
  delete state;
  return f;
}

// CPU per labelled update of a user (LearnUser + EvictIdle at the new
// clock), over n updates cycling through `users` users, one ms apart.
double UpdateCpuNs(size_t n, size_t users, int64_t ttl_ms, size_t* evicted) {
  OnlineOptions options;
  options.state_ttl_ms = ttl_ms;
  std::vector<SparseFeatures> xs;
  for (size_t i = 0; i < users; ++i) xs.push_back(Features(UserKey(i), 8, options));
  PartitionState state(0, options, 1);
  *evicted = 0;
  const double start = CpuSeconds();
  for (size_t i = 0; i < n; ++i) {
    const int64_t now = 1000 + static_cast<int64_t>(i);
    state.AdvanceClock(now);
    *evicted += state.EvictIdle(now).users;
    const size_t u = (i * 7919) % users;
    state.LearnUser(UserKey(u), xs[u], -0.3, now);
  }
  return (CpuSeconds() - start) * 1e9 / n;
}

size_t Flag(int argc, char** argv, const char* name, size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t users = Flag(argc, argv, "--users", 100'000);
  const size_t arms = Flag(argc, argv, "--arms", 20'000);
  std::printf("state_footprint: %zu users, %zu arms per measurement (key 12 bytes)\n", users, arms);
  std::printf("%-6s %-4s %8s %12s %12s %12s %8s\n", "what", "k", "coords", "heap B/key",
              "payload B", "ckpt B/key", "heap/payload");
  for (size_t k : {4, 16, 64}) {
    for (int64_t ttl : {int64_t{0}, int64_t{86'400'000}}) {
      const Footprint f = Users(users, k, ttl);
      std::printf("%-6s %-4zu %8.1f %12.1f %12.1f %12.1f %8.2f%s\n", "user", k, f.coords,
                  f.heap_bytes, f.payload_bytes, f.checkpoint_bytes,
                  f.heap_bytes / f.payload_bytes, ttl ? "  (state_ttl_ms on: + eviction index)" : "");
    }
  }
  for (size_t k : {4, 16, 64}) {
    const Footprint f = Arms(arms, k);
    std::printf("%-6s %-4zu %8.1f %12.1f %12.1f %12.1f %8.2f\n", "arm", k, f.coords, f.heap_bytes,
                f.payload_bytes, f.checkpoint_bytes, f.heap_bytes / f.payload_bytes);
  }
  // Eviction cost: the same updates with eviction off and on (a ttl that
  // evicts a user idle for a quarter of the cycle, so most updates evict).
  const size_t n = users * 4, cycle = users / 4 + 1;
  size_t evicted_off = 0, evicted_on = 0;
  const double off = UpdateCpuNs(n, cycle, 0, &evicted_off);
  const double on = UpdateCpuNs(n, cycle, static_cast<int64_t>(cycle / 4), &evicted_on);
  std::printf("update CPU: %.0f ns without eviction, %.0f ns with (%zu evictions in %zu updates)\n",
              off, on, evicted_on, n);
  std::printf("RATIO eviction/none cpu per update %.2f\n", on / off);
  return 0;
}
