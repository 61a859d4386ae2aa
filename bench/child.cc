#include "bench/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "bench/cleanup.h"

namespace driftline::bench {

Result<std::unique_ptr<TempDir>> TempDir::Create(const std::string& parent) {
  std::string root = parent;
  if (root.empty()) {
    const char* env = std::getenv("TMPDIR");
    root = env && *env ? env : "/tmp";
  }
  std::string templ = root + "/driftline-bench-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    return Status::IoError("cannot create a temp dir under " + root + ": " + std::strerror(errno));
  }
  std::string path(buf.data());
  RegisterTempDir(path);
  return std::unique_ptr<TempDir>(new TempDir(path));
}

TempDir::~TempDir() {
  UnregisterTempDir(path_);
  if (keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::vector<std::string>& argv,
                                                          const std::string& stdout_path,
                                                          const std::string& stderr_path) {
  if (argv.empty()) return Status::InvalidArgument("no program to start");
  if (access(argv[0].c_str(), X_OK) != 0) {
    return Status::NotFound("cannot run " + argv[0] + ": " + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // the bench blocks stop signals; the child must not
    const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(126);
    dup2(out, 1);
    dup2(err, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  RegisterChild(pid);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

// A destructor cannot report how the child ended; callers that care Stop() first.
ChildProcess::~ChildProcess() { Stop(10000).status().IgnoreError(); }

Result<int> ChildProcess::Finish(int status) {
  reaped_ = true;
  UnregisterChild(pid_);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    return Status::Internal("process " + std::to_string(pid_) + " killed by signal " +
                            std::to_string(WTERMSIG(status)));
  }
  return Status::Internal("process " + std::to_string(pid_) + " ended oddly");
}

bool ChildProcess::Running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    Finish(status).status().IgnoreError();  // Running() only asks whether it ended
    return false;
  }
  return true;
}

Result<int> ChildProcess::Wait() {
  if (reaped_) return Status::FailedPrecondition("process already reaped");
  int status = 0;
  if (waitpid(pid_, &status, 0) != pid_) {
    reaped_ = true;
    UnregisterChild(pid_);
    return Status::IoError(std::string("waitpid: ") + std::strerror(errno));
  }
  return Finish(status);
}

Result<int> ChildProcess::Stop(int grace_ms) {
  if (reaped_) return 0;
  const int status = StopProcess(pid_, grace_ms);
  if (status < 0) {
    reaped_ = true;
    UnregisterChild(pid_);
    return Status::IoError("could not reap process " + std::to_string(pid_));
  }
  return Finish(status);
}

std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace driftline::bench
