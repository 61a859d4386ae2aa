// The crash tests: a writer process (storage_crash_writer) appends batches and
// acknowledges each one on stdout after Append returned; we SIGKILL it in the
// middle of its stream, reopen the store and check that
//   * every acknowledged batch reads back fully and intact,
//   * any batch beyond the last ack is complete or absent, never partial,
//   * sequences are contiguous from 1.
// Then the same killed writer's WAL, damaged: a byte flipped in its middle
// (the start is refused, naming what would be lost, and nothing changes until
// the loss is accepted) and a torn tail (tolerated: only the incomplete last
// batch goes).
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "crash_record.h"
#include "store_fixtures.h"

extern char** environ;

namespace driftline::storage::testing {
namespace {

constexpr uint64_t kRecordsPerBatch = 50;

struct Ack {
  uint64_t batch, first, last;
};

// Parses the complete "ack ..." lines in `buffer` into `acks`; keeps a partial
// last line in `buffer`.
void ParseAcks(std::string* buffer, std::vector<Ack>* acks) {
  size_t end;
  while ((end = buffer->find('\n')) != std::string::npos) {
    std::istringstream line(buffer->substr(0, end));
    buffer->erase(0, end + 1);
    std::string word;
    Ack ack{};
    REQUIRE((line >> word >> ack.batch >> ack.first >> ack.last));
    REQUIRE(word == "ack");
    acks->push_back(ack);
  }
}

// Runs the writer on `dir`, kills it after `min_acks` acks and returns every
// ack it printed before it died.
std::vector<Ack> RunWriterAndKill(const std::string& dir, bool sync, size_t min_acks) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string per_batch = std::to_string(kRecordsPerBatch);
  std::string sync_arg = sync ? "1" : "0";
  std::string program = DRIFTLINE_STORAGE_CRASH_WRITER;
  std::vector<char*> argv = {program.data(), const_cast<char*>(dir.c_str()), sync_arg.data(), per_batch.data(),
                             nullptr};
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  REQUIRE(spawned == 0);

  std::vector<Ack> acks;
  std::string buffer;
  bool killed = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    if (!killed && acks.size() >= min_acks) {
      REQUIRE(kill(pid, SIGKILL) == 0);  // mid-stream: the writer never stops on its own
      killed = true;
    }
    if (!killed && std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      killed = true;
      FAIL_CHECK("the writer produced only " << acks.size() << " acks in 120 s");
    }
    pollfd pfd{fds[0], POLLIN, 0};
    if (poll(&pfd, 1, 1000) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n <= 0) break;  // EOF: the writer is gone and its output drained
    buffer.append(chunk, static_cast<size_t>(n));
    ParseAcks(&buffer, &acks);
  }
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  return acks;
}

void CheckRecovery(bool sync, size_t min_acks) {
  TempDir dir;
  std::vector<Ack> acks = RunWriterAndKill(dir.Sub("db"), sync, min_acks);
  REQUIRE(acks.size() >= min_acks);
  for (size_t b = 0; b < acks.size(); ++b) {
    REQUIRE(acks[b].batch == b);
    REQUIRE(acks[b].first == b * kRecordsPerBatch + 1);
    REQUIRE(acks[b].last == (b + 1) * kRecordsPerBatch);
  }

  Result<std::unique_ptr<RocksNodeStore>> reopened = RocksNodeStore::Open(dir.Sub("db"), StorageOptions());
  REQUIRE_OK(reopened);
  EventLog& log = (*reopened)->events();
  Result<std::vector<LogRecord>> records = log.Read(0, 1, std::numeric_limits<size_t>::max());
  REQUIRE_OK(records);
  const uint64_t recovered = records->size();
  CHECK(log.LastSequence(0) == recovered);
  REQUIRE(recovered % kRecordsPerBatch == 0);                // never a partial batch
  REQUIRE(recovered >= acks.size() * kRecordsPerBatch);      // every acked batch
  for (uint64_t i = 0; i < recovered; ++i) {
    const LogRecord& record = (*records)[i];
    uint64_t batch = 0, index = 0;
    INFO("sequence " << i + 1);
    REQUIRE(record.sequence == i + 1);                       // contiguous
    REQUIRE(DecodeCrashRecord(record.bytes, &batch, &index));  // intact
    REQUIRE(batch == i / kRecordsPerBatch);
    REQUIRE(index == i % kRecordsPerBatch);
  }
  std::printf("crash test (sync=%s): %zu batches acked, %llu batches recovered (%llu records of %llu)\n",
              sync ? "true" : "false", acks.size(), static_cast<unsigned long long>(recovered / kRecordsPerBatch),
              static_cast<unsigned long long>(recovered), static_cast<unsigned long long>(kRecordsPerBatch));
}

TEST_CASE("after kill -9 every acknowledged batch is recovered whole (WAL, no fsync)", "[storage][crash]") {
  CheckRecovery(/*sync=*/false, 2000);
}

TEST_CASE("after kill -9 every acknowledged batch is recovered whole (fsync)", "[storage][crash]") {
  CheckRecovery(/*sync=*/true, 100);
}


// The write-ahead log files (NNNNNN.log) of a RocksDB directory, largest first.
std::vector<std::string> WalFiles(const std::string& db) {
  std::vector<std::pair<uintmax_t, std::string>> found;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".log" && name != "LOG") {
      found.emplace_back(entry.file_size(), entry.path().string());
    }
  }
  std::sort(found.rbegin(), found.rend());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every file of the directory but RocksDB's informational LOG, by name.
std::map<std::string, std::string> Contents(const std::string& db) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("LOG", 0) == 0) continue;
    out[name] = FileBytes(entry.path().string());
  }
  return out;
}

// Partition 0 holds exactly `records` of the writer's records, contiguous
// from 1, each intact and in its place.
void CheckPrefix(EventLog& log, uint64_t records) {
  REQUIRE(log.LastSequence(0) == records);
  auto read = log.Read(0, 1, std::numeric_limits<size_t>::max());
  REQUIRE_OK(read);
  REQUIRE(read->size() == records);
  for (uint64_t i = 0; i < records; ++i) {
    uint64_t batch = 0, index = 0;
    INFO("sequence " << i + 1);
    REQUIRE((*read)[i].sequence == i + 1);
    REQUIRE(DecodeCrashRecord((*read)[i].bytes, &batch, &index));
    REQUIRE(batch == i / kRecordsPerBatch);
    REQUIRE(index == i % kRecordsPerBatch);
  }
}

TEST_CASE("a byte flipped in the middle of a killed writer's WAL: the start is refused naming what would be "
          "lost and nothing changes; accepting the loss keeps the intact prefix and counts the rest",
          "[storage][crash][damaged-wal]") {
  TempDir dir;
  const std::string db = dir.Sub("db");
  std::vector<Ack> acks = RunWriterAndKill(db, /*sync=*/false, 400);
  const uint64_t acked_records = acks.size() * kRecordsPerBatch;
  std::vector<std::string> wals = WalFiles(db);
  REQUIRE_FALSE(wals.empty());
  const std::string wal = wals[0];
  const uint64_t size = std::filesystem::file_size(wal);
  // The middle, kept off a 32 KiB block's zero padding (which no checksum covers).
  uint64_t at = size / 2;
  if (at % 32768 > 32768 - 16) at -= 32;
  {
    std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    char byte = 0;
    f.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x01);
    f.seekp(static_cast<std::streamoff>(at));
    f.write(&byte, 1);
  }
  const std::map<std::string, std::string> before = Contents(db);

  auto refused = RocksNodeStore::Open(db, StorageOptions());
  REQUIRE_FALSE(refused.ok());
  const std::string message = refused.status().message();
  INFO(message);
  CHECK(refused.status().code() == Status::Code::kCorruption);
  CHECK(message.find("write-ahead log is damaged before its end") != std::string::npos);
  CHECK(message.find("partition 0 records ") != std::string::npos);
  CHECK(message.find("Nothing was changed") != std::string::npos);
  CHECK(Contents(db) == before);  // refusing touched nothing (a second try gives the same answer)
  CHECK(RocksNodeStore::Open(db, StorageOptions()).status().message() == message);

  StorageOptions accept;
  accept.accept_data_loss = true;
  uint64_t kept = 0;
  uint64_t lost = 0;
  {
    auto opened = RocksNodeStore::Open(db, accept);
    REQUIRE_OK(opened);
    const auto& report = (*opened)->accepted_data_loss();
    REQUIRE(report.has_value());
    REQUIRE(report->lost_records.size() == 1);
    const LostLogRecords& range = report->lost_records[0];
    CHECK(range.partition == 0);
    kept = range.first - 1;
    lost = report->lost_log_records();
    CHECK(kept % kRecordsPerBatch == 0);     // whole batches only
    CHECK(kept < acked_records);             // the flip really cost acknowledged records...
    CHECK(range.last >= acked_records);      // ...and the report names all of them
    CHECK(report->lost_writes >= lost);
    CheckPrefix((*opened)->events(), kept);  // the intact prefix, untouched
    CHECK((*opened)->counters().accepted_lost_log_records == static_cast<int64_t>(lost));
    std::printf("damaged WAL: flip at byte %llu of %llu; kept %llu records, dropped at least %llu of %llu acked\n",
                static_cast<unsigned long long>(at), static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(kept), static_cast<unsigned long long>(acked_records - kept),
                static_cast<unsigned long long>(acked_records));
  }
  // Accepted once: later starts need no flag and still report the loss.
  auto later = RocksNodeStore::Open(db, StorageOptions());
  REQUIRE_OK(later);
  CHECK_FALSE((*later)->accepted_data_loss().has_value());
  CHECK((*later)->counters().accepted_lost_log_records == static_cast<int64_t>(lost));
  CheckPrefix((*later)->events(), kept);
}

TEST_CASE("a torn WAL tail (a machine crash mid-write) is tolerated: only the incomplete last batch goes, "
          "without a refusal", "[storage][crash][damaged-wal]") {
  TempDir dir;
  const std::string db = dir.Sub("db");
  std::vector<Ack> acks = RunWriterAndKill(db, /*sync=*/false, 400);
  std::vector<std::string> wals = WalFiles(db);
  REQUIRE_FALSE(wals.empty());
  const uint64_t size = std::filesystem::file_size(wals[0]);
  std::filesystem::resize_file(wals[0], size - 7);  // into the last record

  auto opened = RocksNodeStore::Open(db, StorageOptions());
  REQUIRE_OK(opened);
  CHECK_FALSE((*opened)->accepted_data_loss().has_value());
  CHECK((*opened)->counters().accepted_lost_log_records == 0);
  const uint64_t recovered = (*opened)->events().LastSequence(0);
  CHECK(recovered % kRecordsPerBatch == 0);
  // Without fsync a machine crash may cost the last acknowledged batch (the
  // documented price of WAL-only durability); never more than the torn one.
  CHECK(recovered + kRecordsPerBatch >= acks.size() * kRecordsPerBatch);
  CheckPrefix((*opened)->events(), recovered);
}

}  // namespace
}  // namespace driftline::storage::testing
