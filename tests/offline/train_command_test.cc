#include <catch2/catch.hpp>

#include "protocol/codec.h"
#include "temp_dir.h"

using namespace driftline;
using namespace driftline::testing;

namespace {
constexpr char kCut[] = "1368706380000";
}

TEST_CASE("training twice on the same snapshot writes byte-identical artifacts") {
  TempDir dir;
  const std::string events = MovieTweetingsEvents(dir);
  auto a = RunCommand(RunTrain, {"--events", events, "--until", kCut, "--out", dir.File("a.model")});
  auto b = RunCommand(RunTrain, {"--events", events, "--until", kCut, "--out", dir.File("b.model")});
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  REQUIRE(a.out.size() == 65);  // 64 hex digits + newline
  REQUIRE(a.out == b.out);
  const std::string bytes = ReadFile(dir.File("a.model"));
  REQUIRE(bytes == ReadFile(dir.File("b.model")));

  auto artifact = DecodeArtifact(bytes);
  REQUIRE(artifact.ok());
  REQUIRE(artifact->content_hash + "\n" == a.out);
  REQUIRE(artifact->snapshot.cut_ts_ms == 1368706380000);
  REQUIRE(artifact->snapshot.event_count == 40001);  // ratings at or before the cut
  REQUIRE(artifact->snapshot.sha256_hex.size() == 64);
  REQUIRE(artifact->config.hashing.crosses.size() == 1);
  REQUIRE_FALSE(artifact->histograms.empty());

  SECTION("another seed or another cut gives another artifact") {
    auto c = RunCommand(RunTrain, {"--events", events, "--until", kCut, "--seed", "2", "--out",
                                   dir.File("c.model")});
    REQUIRE(c.code == 0);
    REQUIRE(c.out != a.out);
    auto d = RunCommand(RunTrain, {"--events", events, "--until", "2013-04-15T22:57:40Z", "--out",
                                   dir.File("d.model")});
    REQUIRE(d.code == 0);
    auto early = DecodeArtifact(ReadFile(dir.File("d.model")));
    REQUIRE(early.ok());
    REQUIRE(early->snapshot.event_count == 25001);
    REQUIRE(early->snapshot.sha256_hex != artifact->snapshot.sha256_hex);
  }
}

TEST_CASE("train refuses bad command lines with a one-line usage error") {
  TempDir dir;
  const std::string out = dir.File("m.model");
  auto missing = RunCommand(RunTrain, {"--until", "5", "--out", out});
  REQUIRE(missing.code == kExitUsage);
  REQUIRE(missing.err.find("--events is required") != std::string::npos);
  auto bad_ts = RunCommand(RunTrain, {"--events", "x", "--until", "yesterday", "--out", out});
  REQUIRE(bad_ts.code == kExitUsage);
  REQUIRE(bad_ts.err.find("not a timestamp") != std::string::npos);
  auto unknown = RunCommand(RunTrain, {"--events", "x", "--until", "5", "--out", out, "--frobnicate"});
  REQUIRE(unknown.code == kExitUsage);
  auto bad_cross = RunCommand(RunTrain, {"--events", "x", "--until", "5", "--out", out, "--cross", "user"});
  REQUIRE(bad_cross.code == kExitUsage);
  auto bad_bits = RunCommand(RunTrain, {"--events", "x", "--until", "5", "--out", out, "--bits", "40"});
  REQUIRE(bad_bits.code == kExitUsage);
  for (const auto& r : {missing, bad_ts, unknown, bad_cross, bad_bits}) {
    REQUIRE(r.err.find('\n') == r.err.size() - 1);  // exactly one line
  }
  auto help = RunCommand(RunTrain, {"--help"});
  REQUIRE(help.code == 0);
  REQUIRE(help.out.find("--until") != std::string::npos);
}

TEST_CASE("train reports bad input files and writes nothing") {
  TempDir dir;
  const std::string out = dir.File("m.model");
  auto missing = RunCommand(RunTrain, {"--events", dir.File("nope.jsonl"), "--until", "5", "--out", out});
  REQUIRE(missing.code == kExitFailure);
  REQUIRE(missing.err.find("cannot open") != std::string::npos);

  WriteFile(dir.File("empty.jsonl"), "");
  auto empty = RunCommand(RunTrain, {"--events", dir.File("empty.jsonl"), "--until", "5", "--out", out});
  REQUIRE(empty.code == kExitFailure);
  REQUIRE(empty.err.find("has no events") != std::string::npos);

  WriteFile(dir.File("bad.jsonl"), "{\"ts\":1,\"user\":\"a\",\"label\":1}\n{\"ts\":2,\"user\":\"b\",\"lable\":1}\n");
  auto bad = RunCommand(RunTrain, {"--events", dir.File("bad.jsonl"), "--until", "5", "--out", out});
  REQUIRE(bad.code == kExitFailure);
  REQUIRE(bad.err.find("bad.jsonl:2:") != std::string::npos);

  auto late = RunCommand(RunTrain, {"--events", dir.File("bad.jsonl"), "--until", "0", "--out", out,
                                    "--skip-bad-lines"});
  REQUIRE(late.code == kExitFailure);
  REQUIRE(late.err.find("skipped 1 bad line") != std::string::npos);
  REQUIRE(late.err.find("no labelled events") != std::string::npos);
  REQUIRE(ReadFile(out).empty());

  auto skipped = RunCommand(RunTrain, {"--events", dir.File("bad.jsonl"), "--until", "5", "--out", out,
                                       "--skip-bad-lines"});
  REQUIRE(skipped.code == 0);
  REQUIRE(DecodeArtifact(ReadFile(out))->snapshot.event_count == 1);
}

TEST_CASE("train checks both times (exposure and outcome at or before the cut) and refuses an outcome before its exposure") {
  TempDir dir;
  const std::string out = dir.File("m.model");
  // p1: exposure 10, outcome 30 (delayed). p2: exposure 40, outcome 15 (malformed).
  WriteFile(dir.File("e.jsonl"),
            "{\"ts\":5,\"user\":\"a\",\"item\":\"x\",\"label\":1}\n"
            "{\"ts\":10,\"user\":\"a\",\"item\":\"y\",\"prediction_id\":\"p1\"}\n"
            "{\"ts\":15,\"user\":\"b\",\"prediction_id\":\"p2\",\"label\":1}\n"
            "{\"ts\":30,\"user\":\"a\",\"prediction_id\":\"p1\",\"label\":0}\n"
            "{\"ts\":40,\"user\":\"b\",\"item\":\"z\",\"prediction_id\":\"p2\"}\n");
  auto refused = RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "20", "--out", out});
  REQUIRE(refused.code == kExitFailure);
  REQUIRE(refused.err.find("1 outcome(s) before their exposure (first: prediction p2: outcome at 15 "
                           "before its exposure at 40)") != std::string::npos);
  REQUIRE(ReadFile(out).empty());

  // Cut 20 falls between p1's exposure and its outcome: only the rating at 5.
  auto cut = RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "20", "--out", out,
                                   "--skip-bad-lines"});
  REQUIRE(cut.code == 0);
  REQUIRE(cut.err.find("left out 1 outcome(s) before their exposure") != std::string::npos);
  REQUIRE(DecodeArtifact(ReadFile(out))->snapshot.event_count == 1);
  // Cut 30: p1's outcome is known too; p2 never is an example.
  REQUIRE(RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "30", "--out", out,
                                "--skip-bad-lines"}).code == 0);
  REQUIRE(DecodeArtifact(ReadFile(out))->snapshot.event_count == 2);
  REQUIRE(RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "100", "--out", out,
                                "--skip-bad-lines"}).code == 0);
  REQUIRE(DecodeArtifact(ReadFile(out))->snapshot.event_count == 2);
}
