#include <catch2/catch.hpp>

#include <cmath>

#include "protocol/json.h"
#include "temp_dir.h"

using namespace driftline;
using namespace driftline::testing;

namespace {
constexpr char kCut[] = "1368706380000";
}

TEST_CASE("on MovieTweetings split in time the hybrid beats the stale base on log loss") {
  TempDir dir;
  const std::string events = MovieTweetingsEvents(dir);
  const std::string model = dir.File("base.model");
  REQUIRE(RunCommand(RunTrain, {"--events", events, "--until", kCut, "--out", model}).code == 0);
  auto r = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut, "--json"});
  REQUIRE(r.code == 0);
  REQUIRE(r.err.find("warning") == std::string::npos);
  auto json = ParseJson(r.out.substr(0, r.out.size() - 1));
  REQUIRE(json.ok());
  const Json* modes = json->FindMember("modes");
  REQUIRE(modes != nullptr);
  double base = modes->FindMember("base")->FindMember("logloss")->as_number();
  double hybrid = modes->FindMember("hybrid")->FindMember("logloss")->as_number();
  REQUIRE(modes->FindMember("base")->FindMember("n")->as_number() == 9999);
  REQUIRE(modes->FindMember("online")->FindMember("n")->as_number() == 9999);
  REQUIRE(hybrid < base);
  REQUIRE(modes->FindMember("hybrid")->FindMember("auc")->as_number() > modes->FindMember("base")->FindMember("auc")->as_number());

  SECTION("the table names the three modes") {
    auto table = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut});
    REQUIRE(table.code == 0);
    for (const char* mode : {"base", "hybrid", "online"}) REQUIRE(table.out.find(mode) != std::string::npos);
  }
  SECTION("--batch 1 is the default; larger batches score from the state before each batch") {
    auto one = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut, "--json",
                                        "--batch", "1"});
    REQUIRE(one.code == 0);
    auto one_json = ParseJson(one.out.substr(0, one.out.size() - 1));
    REQUIRE(one_json.ok());
    REQUIRE(one_json->FindMember("batch")->as_number() == 1);
    const Json* one_modes = one_json->FindMember("modes");
    for (const char* mode : {"base", "hybrid", "online"}) {
      REQUIRE(one_modes->FindMember(mode)->FindMember("logloss")->as_number() ==
              modes->FindMember(mode)->FindMember("logloss")->as_number());
    }
    auto big = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut, "--json",
                                        "--batch", "500"});
    REQUIRE(big.code == 0);
    auto big_json = ParseJson(big.out.substr(0, big.out.size() - 1));
    REQUIRE(big_json.ok());
    const Json* big_modes = big_json->FindMember("modes");
    // The base does not learn: batches cannot move it. The hybrid learns later.
    REQUIRE(big_modes->FindMember("base")->FindMember("logloss")->as_number() == base);
    const double big_hybrid = big_modes->FindMember("hybrid")->FindMember("logloss")->as_number();
    REQUIRE(big_hybrid != hybrid);
    REQUIRE(big_hybrid < base);
    REQUIRE(RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut,
                                     "--batch", "0"}).code == kExitUsage);
  }
  SECTION("evaluating before the model's cut warns about the overlap") {
    auto overlap = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", "1368000000000"});
    REQUIRE(overlap.code == 0);
    REQUIRE(overlap.err.find("overlaps its training data") != std::string::npos);
  }
}

TEST_CASE("evaluate refuses a corrupt or truncated model with a one-line error") {
  TempDir dir;
  WriteFile(dir.File("e.jsonl"), "{\"ts\":1,\"user\":\"a\",\"item\":\"x\",\"label\":1}\n"
                                 "{\"ts\":9,\"user\":\"a\",\"item\":\"x\",\"label\":0}\n");
  REQUIRE(RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "5", "--out", dir.File("m")}).code == 0);
  std::string bytes = ReadFile(dir.File("m"));
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x10;
  WriteFile(dir.File("flipped"), flipped);
  WriteFile(dir.File("truncated"), bytes.substr(0, bytes.size() / 3));
  for (const char* name : {"flipped", "truncated"}) {
    auto r = RunCommand(RunEvaluate, {"--model", dir.File(name), "--events", dir.File("e.jsonl"), "--from", "5"});
    REQUIRE(r.code == kExitFailure);
    REQUIRE(r.err.find(name) != std::string::npos);
    REQUIRE(r.err.find('\n') == r.err.size() - 1);
  }
  auto ok = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e.jsonl"), "--from", "5"});
  REQUIRE(ok.code == 0);
  auto none_after = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e.jsonl"), "--from", "9"});
  REQUIRE(none_after.code == kExitFailure);
  REQUIRE(none_after.err.find("no labelled events after 9") != std::string::npos);
  auto missing = RunCommand(RunEvaluate, {"--model", dir.File("none"), "--events", dir.File("e.jsonl"), "--from", "5"});
  REQUIRE(missing.code == kExitFailure);
  REQUIRE(missing.err.find("cannot open") != std::string::npos);
  auto usage = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--from", "5"});
  REQUIRE(usage.code == kExitUsage);
  auto bad_alpha = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", "e", "--from", "5", "--user-alpha", "-1"});
  REQUIRE(bad_alpha.code == kExitUsage);
  REQUIRE(RunCommand(RunEvaluate, {"--help"}).code == 0);
}

TEST_CASE("evaluate refuses an outcome before its exposure unless --skip-bad-lines leaves it out") {
  TempDir dir;
  WriteFile(dir.File("e.jsonl"), "{\"ts\":1,\"user\":\"a\",\"item\":\"x\",\"label\":1}\n"
                                 "{\"ts\":9,\"user\":\"a\",\"item\":\"x\",\"label\":0}\n"
                                 "{\"ts\":12,\"user\":\"b\",\"prediction_id\":\"p2\",\"label\":1}\n"
                                 "{\"ts\":20,\"user\":\"b\",\"item\":\"x\",\"prediction_id\":\"p2\"}\n");
  REQUIRE(RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "5", "--out", dir.File("m"),
                                "--skip-bad-lines"}).code == 0);
  auto refused = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e.jsonl"), "--from", "5"});
  REQUIRE(refused.code == kExitFailure);
  REQUIRE(refused.err.find("outcome(s) before their exposure") != std::string::npos);
  auto skipped = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e.jsonl"), "--from", "5",
                                          "--json", "--skip-bad-lines"});
  REQUIRE(skipped.code == 0);
  REQUIRE(skipped.err.find("left out 1 outcome(s)") != std::string::npos);
  auto json = ParseJson(skipped.out.substr(0, skipped.out.size() - 1));
  REQUIRE(json.ok());
  REQUIRE(json->FindMember("modes")->FindMember("hybrid")->FindMember("n")->as_number() == 1);
}

TEST_CASE("evaluate learns a delayed label at its outcome's time, not at its exposure's") {
  TempDir dir;
  // The base sees one rating; after --from 5, user a is shown x twice
  // (p1 at 10, p2 at 20) before p1's outcome arrives (at 30).
  WriteFile(dir.File("e.jsonl"),
            "{\"ts\":1,\"user\":\"b\",\"item\":\"x\",\"label\":0}\n"
            "{\"ts\":10,\"user\":\"a\",\"item\":\"x\",\"prediction_id\":\"p1\"}\n"
            "{\"ts\":20,\"user\":\"a\",\"item\":\"x\",\"prediction_id\":\"p2\"}\n"
            "{\"ts\":30,\"user\":\"a\",\"prediction_id\":\"p1\",\"label\":1}\n"
            "{\"ts\":40,\"user\":\"a\",\"prediction_id\":\"p2\",\"label\":1}\n");
  REQUIRE(RunCommand(RunTrain, {"--events", dir.File("e.jsonl"), "--until", "5", "--out", dir.File("m")}).code == 0);
  auto r = RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e.jsonl"), "--from", "5", "--json"});
  REQUIRE(r.code == 0);
  auto json = ParseJson(r.out.substr(0, r.out.size() - 1));
  REQUIRE(json.ok());
  const Json* modes = json->FindMember("modes");
  REQUIRE(modes->FindMember("hybrid")->FindMember("n")->as_number() == 2);
  // Both predictions were made before any label was known: the hybrid
  // scores exactly like the base, and online-only gives 0.5 twice.
  REQUIRE(modes->FindMember("hybrid")->FindMember("logloss")->as_number() ==
          modes->FindMember("base")->FindMember("logloss")->as_number());
  REQUIRE(std::abs(modes->FindMember("online")->FindMember("logloss")->as_number() - std::log(2.0)) < 1e-6);

  SECTION("a third exposure after both labels is scored with them, unless they came after the pending wait") {
    WriteFile(dir.File("e3.jsonl"), ReadFile(dir.File("e.jsonl")) +
                                        "{\"ts\":50,\"user\":\"a\",\"item\":\"x\",\"prediction_id\":\"p3\"}\n"
                                        "{\"ts\":60,\"user\":\"a\",\"prediction_id\":\"p3\",\"label\":1}\n");
    auto hybrid_minus_base = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = {"--model", dir.File("m"), "--events", dir.File("e3.jsonl"), "--from", "5", "--json"};
      args.insert(args.end(), extra.begin(), extra.end());
      auto run = RunCommand(RunEvaluate, args);
      REQUIRE(run.code == 0);
      auto parsed = ParseJson(run.out.substr(0, run.out.size() - 1));
      REQUIRE(parsed.ok());
      const Json* m = parsed->FindMember("modes");
      return m->FindMember("hybrid")->FindMember("logloss")->as_number() -
             m->FindMember("base")->FindMember("logloss")->as_number();
    };
    REQUIRE(hybrid_minus_base({}) < 0);  // two positive labels learned before p3
    REQUIRE(hybrid_minus_base({"--pending-ttl-ms", "15"}) == 0);  // both outcomes came 20 ms late: dropped
    REQUIRE(hybrid_minus_base({"--pending-ttl-ms", "15", "--default-label", "1"}) < 0);  // expired as positives
    REQUIRE(RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e3.jsonl"), "--from", "5",
                                     "--pending-ttl-ms", "0"}).code == kExitUsage);
    REQUIRE(RunCommand(RunEvaluate, {"--model", dir.File("m"), "--events", dir.File("e3.jsonl"), "--from", "5",
                                     "--default-label", "2"}).code == kExitUsage);
  }
}

TEST_CASE("evaluate --switch-model replays an activation: with reset the hybrid after it is a fresh hybrid of the new base") {
  constexpr char kHalf[] = "1366066660000";
  TempDir dir;
  const std::string events = MovieTweetingsEvents(dir);
  const std::string a = dir.File("a.model"), b = dir.File("b.model");
  REQUIRE(RunCommand(RunTrain, {"--events", events, "--until", kHalf, "--out", a}).code == 0);
  REQUIRE(RunCommand(RunTrain, {"--events", events, "--until", kCut, "--out", b}).code == 0);
  auto after = [&](const std::string& deltas) {
    auto r = RunCommand(RunEvaluate, {"--model", a, "--events", events, "--from", kHalf, "--json",
                                      "--switch-model", b, "--switch-at", kCut, "--deltas", deltas});
    REQUIRE(r.code == 0);
    REQUIRE(r.err.find("warning") == std::string::npos);  // both trainings end before their use
    auto json = ParseJson(r.out.substr(0, r.out.size() - 1));
    REQUIRE(json.ok());
    REQUIRE(json->FindMember("switch")->FindMember("deltas")->as_string() == deltas);
    const Json* hybrid = json->FindMember("modes")->FindMember("hybrid")->FindMember("after_switch");
    REQUIRE(hybrid->FindMember("n")->as_number() == 9999);
    return hybrid->FindMember("logloss")->as_number();
  };
  auto fresh = RunCommand(RunEvaluate, {"--model", b, "--events", events, "--from", kCut, "--json"});
  REQUIRE(fresh.code == 0);
  auto fresh_json = ParseJson(fresh.out.substr(0, fresh.out.size() - 1));
  REQUIRE(fresh_json.ok());
  const double reset = after("reset");
  CHECK(std::fabs(reset - fresh_json->FindMember("modes")->FindMember("hybrid")->FindMember("logloss")->as_number()) < 1e-6);
  const double half = after("decay:0.5"), keep = after("keep");
  CHECK(half < reset);  // the measured order (docs/evaluation.md)
  CHECK(reset < keep);
}

TEST_CASE("evaluate refuses a bad --deltas or a switch without its time, naming the flag") {
  TempDir dir;
  const std::string events = MovieTweetingsEvents(dir);
  const std::string model = dir.File("base.model");
  REQUIRE(RunCommand(RunTrain, {"--events", events, "--until", kCut, "--out", model}).code == 0);
  auto bad = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut,
                                      "--switch-model", model, "--switch-at", kCut, "--deltas", "decay:2"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--deltas") != std::string::npos);
  CHECK(bad.err.find("strictly between 0 and 1") != std::string::npos);
  auto alone = RunCommand(RunEvaluate, {"--model", model, "--events", events, "--from", kCut,
                                        "--switch-model", model});
  CHECK(alone.code == 2);
  CHECK(alone.err.find("--switch-at") != std::string::npos);
}
