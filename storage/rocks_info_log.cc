#include "storage/rocks_info_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace driftline::storage {

BoundedInfoLog::BoundedInfoLog(std::string dir, size_t max_file_bytes)
    : path_(std::move(dir) + "/LOG"), max_file_bytes_(max_file_bytes) {
  SetInfoLogLevel(rocksdb::InfoLogLevel::INFO_LEVEL);
  std::lock_guard<std::mutex> lock(mu_);
  OpenLocked();
}

BoundedInfoLog::~BoundedInfoLog() {
  if (fd_ >= 0) ::close(fd_);
}

void BoundedInfoLog::OpenLocked() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct stat st {};
  file_bytes_ = (fd_ >= 0 && ::fstat(fd_, &st) == 0) ? static_cast<size_t>(st.st_size) : 0;
}

void BoundedInfoLog::RotateLocked() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  // A failed rename leaves LOG in place: it is truncated instead, so the
  // bound holds either way.
  if (std::rename(path_.c_str(), (path_ + ".old").c_str()) != 0) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd >= 0) ::close(fd);
  }
  OpenLocked();
}

void BoundedInfoLog::Logv(const char* format, va_list ap) {
  char line[1024];
  // "YYYY/MM/DD-HH:MM:SS " as RocksDB's own LOG writes it.
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  size_t n = std::strftime(line, sizeof(line), "%Y/%m/%d-%H:%M:%S ", &utc);
  va_list copy;
  va_copy(copy, ap);
  int body = std::vsnprintf(line + n, sizeof(line) - n - 1, format, copy);
  va_end(copy);
  if (body < 0) body = 0;
  n = std::min(sizeof(line) - 2, n + static_cast<size_t>(body));  // a long line is cut
  line[n++] = '\n';

  std::lock_guard<std::mutex> lock(mu_);
  if (file_bytes_ + n > max_file_bytes_) RotateLocked();
  if (fd_ < 0) OpenLocked();  // the directory may be writable again
  if (fd_ < 0 || ::write(fd_, line, n) != static_cast<ssize_t>(n)) {
    ++dropped_;
    return;
  }
  file_bytes_ += n;
}

}  // namespace driftline::storage
