#include "bench/temp_dir.h"

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

std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace driftline::bench
