// A fresh directory under the system temp dir (mkdtemp) for one test, removed
// with everything in it on destruction. Shared by every test binary.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace driftline::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "driftline-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The path of `name` inside the directory (not created).
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  std::string Sub(const std::string& name) const { return File(name); }

 private:
  std::string path_;
};

}  // namespace driftline::testing
