// A child process: a binary started with its stdout and stderr going to
// files, watched, signalled, waited for with a timeout. The one spawner of the
// tests and the benchmarks (a node, a sender, a converter as separate
// processes).
//
// Thread safety: one owner. The destructor kills (SIGKILL) and reaps a child
// that is still running, so a failed test never leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline {

struct ChildOptions {
  // Append to the output files (true) or truncate them first (false).
  // Default: true
  bool append_output = true;
  // The child gets SIGKILL when the thread that spawned it exits
  // (PR_SET_PDEATHSIG): nothing outlives an interrupted benchmark. Only for
  // children spawned from a thread that outlives them. Default: false
  bool die_with_parent = false;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path) with argv; stdin is /dev/null. stdout and stderr
  // may name the same file. Errors: InvalidArgument for an empty argv,
  // NotFound when argv[0] is not executable, IoError when fork fails.
  static Result<ChildProcess> Spawn(const std::vector<std::string>& argv,
                                    const std::string& stdout_path,
                                    const std::string& stderr_path,
                                    const ChildOptions& options = {});
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // True while the child has not exited (reaps it if it has).
  bool Running();
  // Sends `signal` (no-op after exit).
  void Signal(int signal);
  // Waits up to `timeout` for the exit. The exit code, or 128 + signal for a
  // child killed by a signal; DeadlineExceeded if it is still running.
  Result<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`; the exit code as Wait gives it.
  Result<int> Stop(std::chrono::milliseconds grace);

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

}  // namespace driftline
