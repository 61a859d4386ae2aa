// A node killed (SIGKILL) in the middle of a `driftline send`: the send does
// not wait out its timeout; it exits 1 at once, says the connection was lost,
// and says up to which line everything was acknowledged. After a restart the
// node holds at least every event it acknowledged, and resending from the
// line it named completes the file without a gap.
#include <fstream>
#include <regex>
#include <thread>

#include "protocol/event_jsonl.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

// `n` events, one per line, each with its own id.
Status WriteEvents(const std::string& path, size_t n, size_t first = 0) {
  std::ofstream out(path);
  for (size_t i = first; i < first + n; ++i) {
    Event e = Labelled("s" + std::to_string(i % 500), "i" + std::to_string(i % 50), i % 3 == 0,
                       "send-kill:" + std::to_string(i));
    e.ts_ms = kTestTs + static_cast<int64_t>(i);
    out << FormatEventLine(e) << "\n";
  }
  return out ? Status::Ok() : Status::IoError("cannot write " + path);
}

// Lines [from, to] (1-based) of `in` into `out`.
Status CopyLines(const std::string& in, const std::string& out, int64_t from, int64_t to) {
  std::ifstream src(in);
  std::ofstream dst(out);
  std::string line;
  for (int64_t n = 1; std::getline(src, line); ++n) {
    if (n >= from && n <= to) dst << line << "\n";
  }
  return dst ? Status::Ok() : Status::IoError("cannot write " + out);
}

struct SendSummary {
  uint64_t acknowledged = 0, accepted = 0, duplicates = 0;
};

// Runs `driftline send FILE` to completion and reads its summary line.
// Its output goes to FILE.out / FILE.err (a child's output is appended, so
// each file is sent once).
Result<SendSummary> SendFile(const std::string& endpoint, const std::string& file) {
  const std::string out = file + ".out", err = file + ".err";
  auto code = RunToCompletion({DriftlineBinary(), "send", "--router", endpoint, file}, out, err,
                              std::chrono::minutes(5));
  if (!code.ok()) return code.status();
  if (*code != 0) return Status::Internal("send exited " + std::to_string(*code) + ": " + ReadFileOrEmpty(err));
  std::smatch m;
  const std::string summary = ReadFileOrEmpty(out);
  if (!std::regex_search(summary, m, std::regex(R"(acknowledged (\d+) events \((\d+) accepted, (\d+) duplicates\))"))) {
    return Status::Internal("unexpected summary: " + summary);
  }
  return SendSummary{std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])};
}

TEST_CASE("a node killed during `driftline send` makes the send stop at once, saying where to resume") {
  constexpr size_t kEvents = 150'000;
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  const std::string file = dir.File("stream.jsonl");
  REQUIRE(WriteEvents(file, kEvents).ok());

  auto node = Ok(StartNode(dir));
  {
    auto admin = Ok(node->Connect());
    REQUIRE(Ok(Serve(*admin, models.v1)) == "v1");
  }
  // A timeout far beyond the test's own patience: only loss detection can
  // end the send in time.
  const std::string out = dir.File("send.out"), err = dir.File("send.err");
  ChildProcess send = Ok(ChildProcess::Spawn(
      {DriftlineBinary(), "send", "--router", node->endpoint(), "--timeout-ms", "3600000",
       "--batch-size", "500", "--window", "8", file},
      out, err));
  {
    auto watcher = Ok(node->Connect());
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (Ok(Counter(*watcher, "router_events_accepted")) < 10000 &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  node->Kill();
  // Well before its timeout (an hour): the test waits at most 2 minutes.
  const int code = Ok(send.Wait(std::chrono::minutes(2)));
  const std::string said = ReadFileOrEmpty(err);
  INFO("driftline send said: " << said << ReadFileOrEmpty(out));
  // Exit 0 would mean the whole file was acknowledged before the kill: the
  // test would not have tested loss detection, so it fails rather than pass.
  REQUIRE(code == 1);
  CHECK(said.find("lost the connection to " + node->endpoint()) != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(said, m, std::regex(R"((\d+) of (\d+) events sent were acknowledged)")));
  const uint64_t acknowledged = std::stoull(m[1]);
  REQUIRE(std::regex_search(said, m, std::regex(R"(every event through line (\d+) of .* was acknowledged; resend from line (\d+))")));
  const int64_t through = std::stoll(m[1]);
  CHECK(std::stoll(m[2]) == through + 1);
  CHECK(through > 0);
  CHECK(static_cast<uint64_t>(through) <= acknowledged);

  // The restarted node holds every line through `through`...
  node = Ok(StartNode(dir));
  const std::string head = dir.File("head.jsonl"), rest = dir.File("rest.jsonl");
  REQUIRE(CopyLines(file, head, 1, through).ok());
  REQUIRE(CopyLines(file, rest, through + 1, static_cast<int64_t>(kEvents)).ok());
  SendSummary head_again = Ok(SendFile(node->endpoint(), head));
  CHECK(head_again.duplicates == static_cast<uint64_t>(through));
  CHECK(head_again.accepted == 0);
  // ...and, counting the acknowledged events beyond it, at least as many as
  // the send reported; resending the rest completes the file.
  SendSummary rest_sent = Ok(SendFile(node->endpoint(), rest));
  CHECK(rest_sent.acknowledged == kEvents - static_cast<uint64_t>(through));
  CHECK(head_again.duplicates + rest_sent.duplicates >= acknowledged);
  SendSummary all_again = Ok(SendFile(node->endpoint(), file));
  CHECK(all_again.duplicates == kEvents);
  CHECK(Ok(node->Terminate()) == 0);
}

}  // namespace
}  // namespace driftline::e2e
