// A `driftline node` child process on a free tcp port with its own data dir,
// and the request/reply calls the bench needs before measuring (status,
// register + activate a model), spoken as client-wire frames over the
// transport seam.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bench/temp_dir.h"
#include "common/child_process.h"
#include "cluster/transport.h"
#include "common/status.h"
#include "protocol/codec.h"

namespace driftline::bench {

struct NodeLaunch {
  std::string driftline;   // the binary
  std::string data_dir;    // created by the node
  std::string log_path;    // the node's stderr
  uint32_t partitions = 16;
  bool fsync = false;
};

class NodeProcess {
 public:
  // Starts the node on tcp://127.0.0.1:0 and waits (up to 60 s) for its
  // "[node] serving tcp://..." line. Errors carry the node's last log line.
  static Result<std::unique_ptr<NodeProcess>> Start(const NodeLaunch& launch);
  ~NodeProcess();

  const std::string& endpoint() const { return endpoint_; }
  // User + system CPU seconds the node has used so far (/proc/PID/stat);
  // 0 when it cannot be read.
  double CpuSeconds() const;
  // SIGTERM and wait (checkpoints take a moment); SIGKILL after 15 s.
  Status Stop();

 private:
  NodeProcess(std::unique_ptr<ChildProcess> child, std::string endpoint, std::string log)
      : child_(std::move(child)), endpoint_(std::move(endpoint)), log_(std::move(log)) {}
  std::unique_ptr<ChildProcess> child_;
  std::string endpoint_;
  std::string log_;
};

// Sends `request` and waits up to `timeout` for the reply with the same
// request id (other replies are skipped). An ErrorReply becomes its Status.
Result<Message> Call(cluster::ClientSocket& socket, const Message& request, uint64_t request_id,
                     std::chrono::milliseconds timeout);

// Registers and activates `artifact` on the node; returns the active version.
Result<std::string> InstallModel(cluster::ClientSocket& socket, const std::string& artifact);

}  // namespace driftline::bench
