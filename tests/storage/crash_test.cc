// The crash test: a writer process (storage_crash_writer) appends batches and
// acknowledges each one on stdout after Append returned; we SIGKILL it in the
// middle of its stream, reopen the store and check that
//   * every acknowledged batch reads back fully and intact,
//   * any batch beyond the last ack is complete or absent, never partial,
//   * sequences are contiguous from 1.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <limits>
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

}  // namespace
}  // namespace driftline::storage::testing
