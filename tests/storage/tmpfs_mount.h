// A small tmpfs mounted for one test, so that the disk really fills up
// (ENOSPC from the kernel, not an injected error). Mounting needs root (or
// CAP_SYS_ADMIN); where it is not permitted, `mounted()` is false and
// `why_not()` says so, and the test skips itself with that message.
// Unmounted (lazily) on destruction. Test support only.
#pragma once

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace driftline::storage::testing {

class TmpfsMount {
 public:
  TmpfsMount(const std::string& path, size_t bytes) : path_(path) {
    ::mkdir(path.c_str(), 0755);
    const std::string data = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, data.c_str()) == 0) {
      mounted_ = true;
    } else {
      why_not_ = "mounting a " + std::to_string(bytes >> 20) + " MiB tmpfs at " + path +
                 " is not permitted here (" + std::strerror(errno) + "); the real-disk-full test is skipped "
                 "(the fault-injecting store covers the same paths)";
    }
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  const std::string& path() const { return path_; }

  // Writes `name` in 64 KiB pieces until the disk is full; returns its size.
  size_t Fill(const std::string& name) const {
    std::string chunk(64 << 10, 'f');
    size_t written = 0;
    FILE* f = std::fopen((path_ + "/" + name).c_str(), "wb");
    if (f == nullptr) return 0;
    std::setvbuf(f, nullptr, _IONBF, 0);
    // Whole chunks first, then single bytes for the last partial page.
    while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size()) written += chunk.size();
    std::clearerr(f);
    while (std::fputc('f', f) != EOF) ++written;
    std::fclose(f);
    return written;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace driftline::storage::testing
