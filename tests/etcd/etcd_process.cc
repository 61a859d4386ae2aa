#include "tests/etcd/etcd_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

namespace driftline::testing {

std::string FindEtcdBinary() {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream ss(path);
    for (std::string d; std::getline(ss, d, ':');) dirs.push_back(d);
  }
  dirs.push_back("/usr/bin");
  dirs.push_back("/usr/local/bin");
  for (const auto& d : dirs) {
    std::string candidate = d + "/etcd";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

EtcdProcess::EtcdProcess(std::string dir, int client_port, int peer_port)
    : dir_(std::move(dir)),
      client_port_(client_port),
      peer_port_(peer_port),
      endpoint_("http://127.0.0.1:" + std::to_string(client_port)) {}

EtcdProcess::~EtcdProcess() {
  if (child_) Kill().IgnoreError();  // the test is over; nothing to report to
}

Result<std::unique_ptr<EtcdProcess>> EtcdProcess::Start(const std::string& dir) {
  if (FindEtcdBinary().empty()) return Status::NotFound(kEtcdMissing);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Status last;
  // Another test may take a port between our probe and etcd's bind: retry
  // with fresh ports.
  for (int attempt = 0; attempt < 3; ++attempt) {
    int client = FreeLoopbackPort(), peer = FreeLoopbackPort();
    if (client <= 0 || peer <= 0 || client == peer) continue;
    std::unique_ptr<EtcdProcess> etcd(new EtcdProcess(dir + "/" + std::to_string(attempt), client, peer));
    last = etcd->Launch();
    if (last.ok()) return etcd;
  }
  return last.ok() ? Status::Unavailable("etcd: no free ports") : last;
}

Status EtcdProcess::Launch() {
  const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  std::vector<std::string> argv = {FindEtcdBinary(),
                                   "--name", "e1",
                                   "--data-dir", dir_ + "/data",
                                   "--listen-client-urls", endpoint_,
                                   "--advertise-client-urls", endpoint_,
                                   "--listen-peer-urls", peer,
                                   "--initial-advertise-peer-urls", peer,
                                   "--initial-cluster", "e1=" + peer,
                                   "--log-level", "warn"};
  const std::string log = dir_ + ".log";
  ChildOptions child_options;
  child_options.die_with_parent = true;  // an aborted test binary leaves no etcd behind
  auto child = ChildProcess::Spawn(argv, log, log, child_options);
  if (!child.ok()) return child.status();
  child_.emplace(std::move(child).value());
  ++launches_;
  Status ready = WaitUntilAnswering(std::chrono::seconds(30));
  if (!ready.ok()) {
    Kill().IgnoreError();  // it did not come up; the error below says so
    return Status(ready.code(), ready.message() + "; etcd log " + log + ":\n" +
                                    ReadFileOrEmpty(log).substr(0, 2000));
  }
  return Status::Ok();
}

Status EtcdProcess::WaitUntilAnswering(std::chrono::milliseconds timeout) {
  auto client = Client(std::chrono::milliseconds(500));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  Status last;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!child_ || !child_->Running()) return Status::Unavailable("etcd exited at start");
    auto range = client->Range("/health-probe");
    if (range.ok()) return Status::Ok();
    last = range.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::DeadlineExceeded("etcd did not answer within " +
                                  std::to_string(timeout.count()) + " ms: " + last.ToString());
}

Status EtcdProcess::Kill() {
  if (!child_) return Status::Ok();
  child_->Signal(SIGKILL);
  auto code = child_->Wait(std::chrono::seconds(10));
  child_.reset();
  return code.status();
}

Status EtcdProcess::Restart() {
  DRIFTLINE_RETURN_IF_ERROR(Kill());
  return Launch();
}

std::unique_ptr<EtcdClient> EtcdProcess::Client(std::chrono::milliseconds timeout) const {
  EtcdOptions options;
  options.endpoints = {endpoint_};
  options.request_timeout = timeout;
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds(500));
  return std::move(EtcdClient::Create(options)).value();
}

}  // namespace driftline::testing
