// The bench's temp dir, removed by its destructor (and by the signal cleanup),
// and the last line of a child's log for error messages. Child processes are
// common/child_process.h.
#pragma once

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

// The last non-empty line of a file ("" when none): for error messages.
std::string LastLine(const std::string& path);

}  // namespace driftline::bench
