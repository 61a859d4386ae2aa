// BoundedInfoLog (RocksDB's LOG, written by driftline): bounded to two files,
// and a line it cannot write is dropped and counted, never a crash.
#include <filesystem>

#include "storage/data_loss.h"
#include "storage/rocks_info_log.h"
#include "store_fixtures.h"

namespace driftline::storage::testing {
namespace {

void Log(rocksdb::Logger& logger, const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  logger.Logv(format, ap);
  va_end(ap);
}

TEST_CASE("the info log keeps at most LOG and LOG.old, each within its bound", "[storage][info-log]") {
  TempDir dir;
  constexpr size_t kBound = 4096;
  BoundedInfoLog logger(dir.path(), kBound);
  for (int i = 0; i < 1000; ++i) Log(logger, "line %d of a test that writes far more than the bound", i);
  CHECK(logger.dropped_lines() == 0);
  CHECK(std::filesystem::file_size(dir.File("LOG")) <= kBound);
  CHECK(std::filesystem::file_size(dir.File("LOG.old")) <= kBound);
  CHECK(std::filesystem::file_size(dir.File("LOG")) > 0);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 2);
}

TEST_CASE("the info log drops and counts the lines it cannot write", "[storage][info-log]") {
  TempDir dir;
  BoundedInfoLog logger(dir.File("missing/dir"), 4096);
  Log(logger, "nowhere to go %s", "at all");
  Log(logger, "still nowhere");
  CHECK(logger.dropped_lines() == 2);
}

TEST_CASE("a data-loss report names at most 8 partitions and totals the rest", "[storage][damaged-wal]") {
  DataLossReport report;
  report.damage = "Corruption: checksum mismatch";
  report.lost_writes = 120;
  for (uint32_t p = 0; p < 10; ++p) report.lost_records.push_back({p, 11, 20});
  CHECK(report.lost_log_records() == 100);
  const std::string text = report.Describe();
  INFO(text);
  CHECK(text.find("(Corruption: checksum mismatch)") != std::string::npos);
  CHECK(text.find("at least 120 later write(s), among them 100 event-log record(s)") != std::string::npos);
  CHECK(text.find("partition 7 records 11..20") != std::string::npos);
  CHECK(text.find("partition 8 records") == std::string::npos);
  CHECK(text.find("and 20 in 2 more partition(s)") != std::string::npos);

  DataLossReport only_other;
  only_other.damage = "Corruption: bad record length";
  only_other.lost_writes = 3;
  CHECK(only_other.Describe().find("none of them event-log records") != std::string::npos);
}

}  // namespace
}  // namespace driftline::storage::testing
