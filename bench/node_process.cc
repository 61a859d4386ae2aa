#include "bench/node_process.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace driftline::bench {
namespace {

// The endpoint from the node's "[node] serving ENDPOINT with ..." line, or "".
std::string ServingEndpoint(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line;
  const std::string tag = "[node] serving ";
  while (std::getline(in, line)) {
    const auto at = line.find(tag);
    if (at == std::string::npos) continue;
    const auto start = at + tag.size();
    return line.substr(start, line.find(' ', start) - start);
  }
  return "";
}

uint64_t ReplyId(const Message& m) {
  return std::visit(
      [](const auto& r) -> uint64_t {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, EventBatch> || std::is_same_v<T, BatchAck>) {
          return r.batch_id;
        } else {
          return r.request_id;
        }
      },
      m);
}

}  // namespace

Result<std::unique_ptr<NodeProcess>> NodeProcess::Start(const NodeLaunch& launch) {
  std::vector<std::string> argv = {launch.driftline, "node", "--data-dir", launch.data_dir,
                                   "--listen", "tcp://127.0.0.1:0", "--partitions",
                                   std::to_string(launch.partitions)};
  if (launch.fsync) argv.push_back("--fsync");
  ChildOptions child_options;
  child_options.append_output = false;
  child_options.die_with_parent = true;  // nothing outlives an interrupted bench
  auto spawned = ChildProcess::Spawn(argv, "/dev/null", launch.log_path, child_options);
  if (!spawned.ok()) return spawned.status();
  auto child = std::make_unique<ChildProcess>(std::move(*spawned));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string endpoint = ServingEndpoint(launch.log_path);
    if (!endpoint.empty()) {
      return std::unique_ptr<NodeProcess>(
          new NodeProcess(std::move(child), std::move(endpoint), launch.log_path));
    }
    if (!child->Running()) {
      return Status::Unavailable("driftline node exited at start: " + LastLine(launch.log_path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::DeadlineExceeded("driftline node did not start serving within 60 s: " +
                                  LastLine(launch.log_path));
}

// A destructor cannot report the exit; callers that care Stop() first.
NodeProcess::~NodeProcess() { Stop().IgnoreError(); }

double NodeProcess::CpuSeconds() const {
  if (!child_) return 0;
  std::ifstream in("/proc/" + std::to_string(child_->pid()) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15: utime, stime
    if (i == 14) utime = std::strtod(field.c_str(), nullptr);
    if (i == 15) stime = std::strtod(field.c_str(), nullptr);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Status NodeProcess::Stop() {
  if (!child_) return Status::Ok();
  auto code = child_->Stop(std::chrono::seconds(15));
  child_.reset();
  if (!code.ok()) return Status(code.status().code(), "driftline node: " + code.status().message());
  if (*code != 0) {
    return Status::Internal("driftline node exited with " + std::to_string(*code) + ": " +
                            LastLine(log_));
  }
  return Status::Ok();
}

Result<Message> Call(cluster::ClientSocket& socket, const Message& request, uint64_t request_id,
                     std::chrono::milliseconds timeout) {
  DRIFTLINE_RETURN_IF_ERROR(socket.Send({EncodeFrame(request)}));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Status::DeadlineExceeded("no reply to request " + std::to_string(request_id) +
                                      " within " + std::to_string(timeout.count()) + " ms");
    }
    auto frames = socket.Receive(left);
    if (!frames.ok()) {
      if (frames.status().code() == Status::Code::kDeadlineExceeded) continue;
      return frames.status();
    }
    if (frames->size() != 1) continue;
    auto reply = DecodeFrame((*frames)[0]);
    if (!reply.ok()) return Status::Corruption("undecodable reply: " + reply.status().message());
    if (auto* e = std::get_if<ErrorReply>(&*reply)) {
      if (e->request_id == request_id || e->request_id == 0) return Status(e->code, e->message);
      continue;
    }
    if (ReplyId(*reply) == request_id) return *reply;
  }
}

Result<std::string> InstallModel(cluster::ClientSocket& socket, const std::string& artifact) {
  const std::chrono::milliseconds timeout(30000);
  auto registered = Call(socket, ModelRegisterRequest{1, artifact}, 1, timeout);
  if (!registered.ok()) return Status(registered.status().code(), "register model: " + registered.status().message());
  const auto* r = std::get_if<ModelReply>(&*registered);
  if (!r) return Status::Corruption("register model: unexpected reply kind");
  auto activated = Call(socket, ModelActivateRequest{2, r->version}, 2, timeout);
  if (!activated.ok()) return Status(activated.status().code(), "activate model: " + activated.status().message());
  const auto* a = std::get_if<ModelReply>(&*activated);
  if (!a) return Status::Corruption("activate model: unexpected reply kind");
  return a->version;
}

}  // namespace driftline::bench
