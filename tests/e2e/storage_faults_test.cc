// Storage faults through a real node process (docs/faults.md):
//  * disk full (a 20 MiB tmpfs; skipped with a message where mounting is not
//    permitted): events that cannot be stored are refused with a "no space"
//    error, predicts go on, writing resumes when space returns, no restart,
//    no acknowledged event lost; a restart while the disk is still full ends
//    with a clear error, never an abort;
//  * a damaged WAL after kill -9: the start is refused, naming what would be
//    lost; --accept-data-loss starts from what precedes the damage and
//    `status` counts the loss.
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/e2e/harness.h"
#include "tests/storage/tmpfs_mount.h"

namespace driftline::e2e {
namespace {

std::vector<Event> Batch(const std::string& tag, size_t n) {
  std::vector<Event> events;
  for (size_t i = 0; i < n; ++i) {
    events.push_back(Labelled("df-" + std::to_string(i % 7), "0104257", static_cast<int>(i % 2),
                              tag + ":" + std::to_string(i)));
  }
  return events;
}

// Runs `driftline node` on `data_dir`, expecting it to exit by itself;
// returns its exit code (-1 if it was still serving after 60 s: then it is
// stopped) and its output.
std::pair<int, std::string> StartExpectingExit(const TempDir& dir, const std::string& data_dir,
                                               const std::string& name) {
  const std::string out = dir.File(name + ".out");
  ChildProcess child = Ok(ChildProcess::Spawn({DriftlineBinary(), "node", "--data-dir", data_dir, "--listen",
                                               "tcp://127.0.0.1:" + std::to_string(Ok(PickFreePort()))},
                                              out, out));
  auto code = child.Wait(std::chrono::seconds(60));
  if (!code.ok()) {
    child.Signal(SIGTERM);
    auto stopped = child.Wait(std::chrono::seconds(60));  // only its output matters now
    (void)stopped;
    return {-1, ReadFileOrEmpty(out)};
  }
  return {*code, ReadFileOrEmpty(out)};
}

TEST_CASE("disk full: unstored events are refused with a no-space error, predicts go on, and writing resumes "
          "when space returns, without a restart and without losing an acknowledged event") {
  TempDir dir;
  storage::testing::TmpfsMount disk(dir.Sub("mnt"), size_t{20} << 20);
  if (!disk.mounted()) {
    WARN(disk.why_not());
    return;
  }
  TrainedModels models = Ok(TrainModels(dir));
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = disk.path() + "/data";
  config.log_path = dir.File("node.log");
  auto node = Ok(NodeProcess::Start(config));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");

  std::vector<std::vector<Event>> acked;
  acked.push_back(Batch("before", 50));
  REQUIRE(Ok(client->SendBatch(EventBatch{1, acked.back()})).accepted == 50);

  REQUIRE(disk.Fill("filler") > 0);
  // Batches until one is refused (the WAL's last page may still take some).
  std::vector<Event> refused;
  for (int b = 0; b < 2000 && refused.empty(); ++b) {
    std::vector<Event> batch = Batch("full" + std::to_string(b), 50);
    auto ack = client->SendBatch(EventBatch{static_cast<uint64_t>(100 + b), batch}, std::chrono::seconds(30));
    if (ack.ok()) {
      acked.push_back(batch);
      continue;
    }
    INFO(ack.status().ToString());
    REQUIRE(ack.status().code() == Status::Code::kUnavailable);  // resend later
    REQUIRE(ack.status().message().find("no space left") != std::string::npos);
    refused = batch;
  }
  REQUIRE_FALSE(refused.empty());
  // Still refused while full, with the same clear reason.
  auto again = client->SendBatch(EventBatch{5000, refused}, std::chrono::seconds(30));
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().message().find("no space left") != std::string::npos);
  // Predicts are still answered, by the online state too.
  CHECK(Ok(Score(*client, "df-1", "0104257")) > 0.0);
  CHECK(Ok(Counter(*client, "storage_no_space_errors")) >= 2);
  CHECK(node->Running());

  // Space returns: the same node takes the refused batch.
  REQUIRE(std::remove((disk.path() + "/filler").c_str()) == 0);
  BatchAck taken = Ok(client->SendBatch(EventBatch{5001, refused}, std::chrono::seconds(30)));
  CHECK(taken.accepted + taken.duplicates == refused.size());
  acked.push_back(refused);
  CHECK(Ok(Counter(*client, "storage_resumes")) >= 1);

  // Every acknowledged event is in the log: after a restart each one is a duplicate.
  client.reset();
  CHECK(Ok(node->Terminate()) == 0);
  node = Ok(NodeProcess::Start(config));
  client = Ok(node->Connect());
  size_t events = 0;
  for (const auto& batch : acked) {
    BatchAck resent = Ok(client->SendBatch(EventBatch{9000 + events, batch}, std::chrono::seconds(30)));
    CHECK(resent.accepted == 0);
    CHECK(resent.duplicates == batch.size());
    events += batch.size();
  }
  std::printf("e2e disk full: %zu events acknowledged around a full disk, all present after restart\n", events);

  // Killed while the disk is full again, and restarted on the full disk: a
  // clear error (or a start), never an abort.
  REQUIRE(disk.Fill("filler") > 0);
  for (int b = 0; b < 2000; ++b) {
    if (!client->SendBatch(EventBatch{static_cast<uint64_t>(20'000 + b), Batch("refill" + std::to_string(b), 50)},
                           std::chrono::seconds(30))
             .ok()) {
      break;
    }
  }
  client.reset();
  node->Kill();
  auto [code, output] = StartExpectingExit(dir, config.data_dir, "full-start");
  INFO(output);
  std::printf("e2e disk full: a start on the full disk ended with %d:\n%s\n", code, output.c_str());
  CHECK(code != 128 + SIGABRT);
  CHECK(code < 128);  // not ended by any signal
  if (code > 0) CHECK(output.find("no space left") != std::string::npos);
}

// The largest write-ahead log file (NNNNNN.log) in a RocksDB directory.
std::string LargestWal(const std::string& db) {
  std::string best;
  uintmax_t best_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 5 || name.substr(name.size() - 4) != ".log" || name == "LOG") continue;
    if (entry.file_size() > best_size) {
      best_size = entry.file_size();
      best = entry.path().string();
    }
  }
  return best;
}

TEST_CASE("a byte flipped in the middle of the WAL after kill -9: the start is refused naming the loss; "
          "--accept-data-loss starts and status counts what was dropped") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir));
  std::vector<Event> stream;
  for (int i = 0; i < 5000; ++i) {
    Event e = Labelled("w" + std::to_string(i % 300), "0104257", i % 2, "wal:" + std::to_string(i));
    e.ts_ms = kTestTs + i;
    stream.push_back(std::move(e));
  }
  {
    auto client = Ok(node->Connect());
    REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
    SendStats sent = Ok(client->SendEvents(EventSourceFromVector(stream), 250, 2));
    REQUIRE(sent.accepted == 5000);
  }
  node->Kill();  // kill -9: everything is still in the WAL

  const std::string wal = LargestWal(dir.File("data"));
  REQUIRE_FALSE(wal.empty());
  const auto size = std::filesystem::file_size(wal);
  {
    std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
    const std::streamoff at = static_cast<std::streamoff>(size / 2);
    f.seekg(at);
    char byte = 0;
    f.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x5a);
    f.seekp(at);
    f.write(&byte, 1);
  }

  auto [code, output] = StartExpectingExit(dir, dir.File("data"), "damaged-start");
  INFO(output);
  std::printf("e2e damaged WAL: the start ended with %d:\n%s\n", code, output.c_str());
  CHECK(code == 1);
  CHECK(output.find("write-ahead log is damaged") != std::string::npos);
  CHECK(output.find("event-log record(s)") != std::string::npos);
  CHECK(output.find("--accept-data-loss") != std::string::npos);
  CHECK(std::filesystem::file_size(wal) == size);  // nothing changed

  NodeConfig accepting;
  accepting.binary = DriftlineBinary();
  accepting.data_dir = dir.File("data");
  accepting.log_path = dir.File("accepting.log");
  accepting.extra_flags = {"--accept-data-loss"};
  node = Ok(NodeProcess::Start(accepting));
  CHECK(node->Log().find("DATA LOSS ACCEPTED") != std::string::npos);
  auto client = Ok(node->Connect());
  const int64_t lost = Ok(Counter(*client, "storage_accepted_lost_log_records"));
  CHECK(lost > 0);
  CHECK(Ok(Counter(*client, "storage_accepted_lost_writes")) >= lost);
  // The producer resends everything: what the node kept comes back as
  // duplicates, the dropped events are taken again.
  SendStats resent = Ok(client->SendEvents(EventSourceFromVector(stream), 250, 2));
  CHECK(resent.accepted > 0);
  CHECK(resent.duplicates > 0);
  CHECK(resent.accepted + resent.duplicates == stream.size());
  std::printf("e2e damaged WAL: after accepting, a resend of the %zu events took %llu again\n", stream.size(),
              static_cast<unsigned long long>(resent.accepted));
  client.reset();
  CHECK(Ok(node->Terminate()) == 0);

  // The next start needs no flag and still reports the accepted loss.
  node = Ok(StartNode(dir));
  client = Ok(node->Connect());
  CHECK(Ok(Counter(*client, "storage_accepted_lost_log_records")) == lost);
  CHECK(Ok(node->Terminate()) == 0);
  std::printf("e2e damaged WAL: flip at byte %llu of %llu; %lld log records dropped on acceptance\n",
              static_cast<unsigned long long>(size / 2), static_cast<unsigned long long>(size),
              static_cast<long long>(lost));
}

}  // namespace
}  // namespace driftline::e2e
