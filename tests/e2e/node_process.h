// A `driftline node` running as a separate process for the end-to-end tests:
// a fresh free port on 127.0.0.1, a data dir, its log appended to a file,
// started and waited for until it answers Status. Test support only.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/client.h"
#include "common/status.h"
#include "common/child_process.h"
#include "tests/support/temp_dir.h"

namespace driftline::e2e {

// A TCP port on 127.0.0.1 that was free a moment ago: binds a throwaway
// socket to port 0, reads the port, closes it.
Result<int> PickFreePort();

using driftline::testing::TempDir;

struct NodeConfig {
  std::string binary;                    // the driftline executable
  std::string data_dir;                  // REQUIRED
  std::string log_path;                  // stdout + stderr of the node, appended
  bool fault_injection = false;          // --enable-fault-injection
  std::vector<std::string> extra_flags;  // more `driftline node` flags
};

class NodeProcess {
 public:
  // Picks a free port, starts the node and waits (up to `ready_timeout`)
  // until it answers Status; tries again on another port (3 attempts) when
  // the port was taken before the node could bind it. Errors carry the
  // node's log.
  static Result<std::unique_ptr<NodeProcess>> Start(
      const NodeConfig& config, std::chrono::milliseconds ready_timeout = std::chrono::seconds(60));
  // SIGKILL if still running.
  ~NodeProcess() = default;

  const std::string& endpoint() const { return endpoint_; }
  pid_t pid() const { return child_.pid(); }
  // SIGTERM, then the exit code (DeadlineExceeded past `timeout`).
  Result<int> Terminate(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // SIGKILL, reaped.
  void Kill();
  bool Running() { return child_.Running(); }
  std::string Log() const { return ReadFileOrEmpty(config_.log_path); }

  // A new client of this node.
  Result<std::unique_ptr<Client>> Connect(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  static Result<std::unique_ptr<NodeProcess>> StartOnce(const NodeConfig& config,
                                                        std::chrono::milliseconds ready_timeout);
  NodeProcess(NodeConfig config, std::string endpoint, ChildProcess child)
      : config_(std::move(config)), endpoint_(std::move(endpoint)), child_(std::move(child)) {}

  NodeConfig config_;
  std::string endpoint_;
  ChildProcess child_;
};

}  // namespace driftline::e2e
