// Shared steps of the end-to-end tests: the built binaries, a small trained
// model pair on a slice of data/movietweetings, a node in a temp dir, and
// short ways to score, count and make events. Test support only.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "client/client.h"
#include "tests/e2e/node_process.h"

namespace driftline::e2e {

// Unwraps a Result inside a test case, failing it with the status otherwise.
template <class T>
T Ok(Result<T> result) {
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return std::move(*result);
}

// Event time used by the tests (after every MovieTweetings slice event).
inline constexpr int64_t kTestTs = 1'500'000'000'000;

std::string DriftlineBinary();   // the built `driftline`
std::string RawSenderBinary();   // the built tests/e2e/raw_sender

// Two models trained by `driftline convert` + `driftline train` subprocesses
// on the first lines of data/movietweetings/ratings.dat: versions "v1" and
// "v2" (differently trained, so their scores differ).
struct TrainedModels {
  std::string events;  // the converted JSON Lines slice
  std::string v1;      // artifact paths
  std::string v2;
};
Result<TrainedModels> TrainModels(const TempDir& dir);

// A node on a fresh port with its data in dir/"data" and its log in dir/"node.log".
Result<std::unique_ptr<NodeProcess>> StartNode(const TempDir& dir, bool fault_injection = false);

// Registers and activates the artifact at `path`; returns the active version.
Result<std::string> Serve(Client& client, const std::string& path);

// The probability the node gives `item` for `user` (one candidate, request
// time `ts_ms`), read once the arm updates queued so far are applied (a
// status request first). Fails on a fallback reply.
Result<double> Score(Client& client, const std::string& user, const std::string& item,
                     int64_t ts_ms = kTestTs);

// A status counter's value (0 when absent).
Result<int64_t> Counter(Client& client, const std::string& name);

// A labelled event with an event id, at kTestTs.
Event Labelled(const std::string& user, const std::string& item, int label,
               const std::string& event_id);


}  // namespace driftline::e2e
