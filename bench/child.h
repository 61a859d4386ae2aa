// A child process with its stdout and stderr redirected to files, and a temp
// dir; both undone by their destructors (and by the signal cleanup).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::bench {

class TempDir {
 public:
  // A fresh dir "driftline-bench-XXXXXX" under `parent` ($TMPDIR or /tmp when empty).
  static Result<std::unique_ptr<TempDir>> Create(const std::string& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  void Keep() { keep_ = true; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path) with `argv`. The child dies with the bench
  // (PR_SET_PDEATHSIG). IoError when it cannot be started.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     const std::string& stdout_path,
                                                     const std::string& stderr_path);
  ~ChildProcess();  // Stop(10000)
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // True while the process runs (reaps it when it has exited).
  bool Running();
  // Waits for exit; returns the exit code, or an error when killed by a
  // signal or not reaped.
  Result<int> Wait();
  // SIGTERM, SIGKILL after grace_ms. Returns the exit code when it exited.
  Result<int> Stop(int grace_ms);
  pid_t pid() const { return pid_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  Result<int> Finish(int status);
  pid_t pid_;
  bool reaped_ = false;
};

// The last non-empty line of a file ("" when none): for error messages.
std::string LastLine(const std::string& path);

}  // namespace driftline::bench
