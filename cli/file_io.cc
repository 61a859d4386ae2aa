#include "cli/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace driftline {

Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("cannot read " + path + ": is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError("cannot stat " + path + ": " + ec.message());
  if (size > max_bytes) {
    return Status::ResourceExhausted(path + " is " + std::to_string(size) +
                                     " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  return bytes;
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out.is_open()) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return Status::IoError("cannot rename " + tmp + " to " + path + ": " + why);
  }
  return Status::Ok();
}

}  // namespace driftline
