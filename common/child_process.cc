#include "common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace driftline {

Result<ChildProcess> ChildProcess::Spawn(const std::vector<std::string>& argv,
                                         const std::string& stdout_path,
                                         const std::string& stderr_path,
                                         const ChildOptions& options) {
  if (argv.empty()) return Status::InvalidArgument("no program to start");
  if (access(argv[0].c_str(), X_OK) != 0) {
    return Status::NotFound("cannot run " + argv[0] + ": " + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int flags = O_WRONLY | O_CREAT | (options.append_output ? O_APPEND : O_TRUNC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // The child: async-signal-safe calls only, until exec.
    if (options.die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // a parent may block stop signals; the child must not
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(stdout_path.c_str(), flags, 0644);
    const int err = stderr_path == stdout_path ? out : open(stderr_path.c_str(), flags, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(o.pid_), exited_(o.exited_), exit_code_(o.exit_code_) {
  o.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    this->~ChildProcess();
    pid_ = o.pid_;
    exited_ = o.exited_;
    exit_code_ = o.exit_code_;
    o.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
  }
}

void ChildProcess::Reap(int wait_status) {
  exited_ = true;
  exit_code_ = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) Reap(status);
  return !exited_;
}

void ChildProcess::Signal(int signal) {
  if (Running()) kill(pid_, signal);
}

Result<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::DeadlineExceeded("process " + std::to_string(pid_) + " still running");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (pid_ <= 0) return Status::FailedPrecondition("no process");
  return exit_code_;
}

Result<int> ChildProcess::Stop(std::chrono::milliseconds grace) {
  Signal(SIGTERM);
  auto code = Wait(grace);
  if (code.ok() || code.status().code() != Status::Code::kDeadlineExceeded) return code;
  Signal(SIGKILL);
  return Wait(std::chrono::seconds(60));
}

Result<int> RunToCompletion(const std::vector<std::string>& argv, const std::string& stdout_path,
                            const std::string& stderr_path, std::chrono::milliseconds timeout) {
  auto child = ChildProcess::Spawn(argv, stdout_path, stderr_path);
  if (!child.ok()) return child.status();
  return child->Wait(timeout);  // the destructor kills it on a timeout
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

}  // namespace driftline
