// A real etcd for one test: a fresh data dir, free loopback ports, started as
// a child process (common/child_process.h) and killed at the end. Kill() and
// Restart() keep the data dir and the ports, so clients reconnect to the same
// endpoint and see the same data.
//
// The etcd binary comes from Debian's etcd-server (deploy/install_deps.sh).
// Tests REQUIRE it: a missing binary fails the test with that message.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cluster/etcd_client.h"
#include "common/child_process.h"
#include "common/status.h"

namespace driftline::testing {

// The etcd binary's path ("" when not installed).
std::string FindEtcdBinary();

inline constexpr char kEtcdMissing[] =
    "the etcd binary is not installed: run deploy/install_deps.sh (it installs etcd-server)";

class EtcdProcess {
 public:
  // Starts etcd in `dir` (created) and waits until it answers, up to 30 s.
  static Result<std::unique_ptr<EtcdProcess>> Start(const std::string& dir);
  ~EtcdProcess();

  // http://127.0.0.1:PORT
  const std::string& endpoint() const { return endpoint_; }
  // SIGKILL, reaped: etcd is gone at once (acknowledged writes are on disk).
  Status Kill();
  // Starts again on the same data dir and ports; waits until it answers.
  Status Restart();
  // A client with short timeouts for this etcd.
  std::unique_ptr<EtcdClient> Client(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

 private:
  EtcdProcess(std::string dir, int client_port, int peer_port);
  Status Launch();
  Status WaitUntilAnswering(std::chrono::milliseconds timeout);

  std::string dir_;
  int client_port_;
  int peer_port_;
  std::string endpoint_;
  std::optional<ChildProcess> child_;
  int launches_ = 0;
};

// A free TCP port on 127.0.0.1 (bound, read, released).
int FreeLoopbackPort();

// Polls `condition` every 50 ms until it is true or `timeout` passes.
template <class F>
bool Eventually(F condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace driftline::testing

// Fails the test (never skips) when etcd is not installed, then starts one
// in `tempdir` as `var` (an EtcdProcess&). REQUIRES: tests/support/require_ok.h.
#define START_ETCD(var, tempdir)                                                        \
  if (::driftline::testing::FindEtcdBinary().empty()) FAIL(::driftline::testing::kEtcdMissing); \
  auto var##_started = ::driftline::testing::EtcdProcess::Start((tempdir).Sub("etcd"));  \
  REQUIRE_OK(var##_started);                                                            \
  auto& var = *var##_started.value()
