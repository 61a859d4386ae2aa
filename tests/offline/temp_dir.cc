#include "temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace driftline::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string MovieTweetingsEvents(const TempDir& dir) {
  const std::string path = dir.File("mt.jsonl");
  CommandOutput r = RunCommand(RunConvert, {"--from", "movietweetings",
                                            DRIFTLINE_SOURCE_DIR "/data/movietweetings/ratings.dat"});
  if (r.code != 0) throw std::runtime_error("convert failed: " + r.err);
  WriteFile(path, r.out);
  return path;
}

}  // namespace driftline::testing
