#include "tests/e2e/node_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace driftline::e2e {

Result<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IoError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    return Status::IoError("bind 127.0.0.1:0: " + error);
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

namespace {

// A start failed because the port was taken between PickFreePort and the
// node's bind (another process, or a client's outgoing connection, got it).
bool LostThePort(const Status& status) {
  return status.code() == Status::Code::kUnavailable &&
         status.message().find("in use") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<NodeProcess>> NodeProcess::Start(const NodeConfig& config,
                                                        std::chrono::milliseconds ready_timeout) {
  constexpr int kAttempts = 3;
  Result<std::unique_ptr<NodeProcess>> started = Status::Internal("not started");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    started = StartOnce(config, ready_timeout);
    if (started.ok() || !LostThePort(started.status())) return started;
  }
  return started;
}

Result<std::unique_ptr<NodeProcess>> NodeProcess::StartOnce(const NodeConfig& config,
                                                            std::chrono::milliseconds ready_timeout) {
  auto port = PickFreePort();
  if (!port.ok()) return port.status();
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(*port);
  std::vector<std::string> argv = {config.binary, "node", "--data-dir", config.data_dir,
                                   "--listen", endpoint};
  if (config.fault_injection) argv.push_back("--enable-fault-injection");
  argv.insert(argv.end(), config.extra_flags.begin(), config.extra_flags.end());
  const size_t log_start = ReadFileOrEmpty(config.log_path).size();
  ChildOptions child_options;
  child_options.die_with_parent = true;  // an aborted test binary leaves no node behind
  auto child = ChildProcess::Spawn(argv, config.log_path, config.log_path, child_options);
  if (!child.ok()) return child.status();
  std::unique_ptr<NodeProcess> node(new NodeProcess(config, endpoint, std::move(*child)));

  auto client = node->Connect(std::chrono::milliseconds(500));
  if (!client.ok()) return client.status();
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!node->Running()) {
      return Status::Unavailable("the node exited during start; its log:\n" +
                                 node->Log().substr(log_start));
    }
    if ((*client)->NodeStatus().ok()) return node;
  }
  return Status::DeadlineExceeded("the node at " + endpoint + " did not answer Status within " +
                                  std::to_string(ready_timeout.count()) + " ms; its log:\n" +
                                  node->Log().substr(log_start));
}

Result<int> NodeProcess::Terminate(std::chrono::milliseconds timeout) {
  child_.Signal(SIGTERM);
  return child_.Wait(timeout);
}

void NodeProcess::Kill() {
  child_.Signal(SIGKILL);
  (void)child_.Wait(std::chrono::seconds(30));
}

Result<std::unique_ptr<Client>> NodeProcess::Connect(std::chrono::milliseconds timeout) const {
  ClientOptions options;
  options.request_timeout = timeout;
  return Client::Connect(endpoint_, options);
}

}  // namespace driftline::e2e
