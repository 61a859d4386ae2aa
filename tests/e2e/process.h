// Child processes for the end-to-end tests: spawn a binary with posix_spawn,
// its stdout and stderr appended to files, wait for it with a timeout, signal
// it. Test support only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::e2e {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with argv; stdout is appended to `stdout_path`,
  // stderr to `stderr_path` (the same path for both is fine).
  static Result<ChildProcess> Spawn(const std::vector<std::string>& argv,
                                    const std::string& stdout_path,
                                    const std::string& stderr_path);
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills (SIGKILL) and reaps a child that is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // True while the child has not exited (reaps it if it has).
  bool Running();
  // Sends `signal` (no-op after exit).
  void Signal(int signal);
  // Waits up to `timeout` for the exit. The exit code, or 128 + signal for a
  // child killed by a signal; DeadlineExceeded if it is still running.
  Result<int> Wait(std::chrono::milliseconds timeout);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  void Reap(int wait_status);

  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
};

// Runs argv to completion (stdout to `stdout_path`, stderr to `stderr_path`)
// and returns its exit code; DeadlineExceeded (after killing it) past `timeout`.
Result<int> RunToCompletion(const std::vector<std::string>& argv, const std::string& stdout_path,
                            const std::string& stderr_path, std::chrono::milliseconds timeout);

// The whole content of a file ("" if it cannot be read).
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace driftline::e2e
