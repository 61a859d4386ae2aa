// The JSON Lines decision log: round trip, refusals naming the field, and
// the file reader's line-numbered errors.
#include <catch2/catch.hpp>

#include <sstream>

#include "protocol/decision_jsonl.h"

using namespace driftline;

namespace {

LoggedDecision Sample() {
  LoggedDecision d;
  d.ts_ms = 1574553793442;
  d.user = "obd:cef3390e";
  d.decision_id = "obd:random-men:0";
  d.context = {{"user", {{"uf0=cef3390e", 1.0}}}, {"context", {{"position=2", 1.0}}}};
  d.candidates = {{"0", {{"item", {{"if0", -0.677}}}}}, {"1", {}}, {"2", {{"item", {{"if0", 0.25}}}}}};
  d.chosen = "2";
  d.position = 2;
  d.slots = 3;
  d.propensity = 1.0 / 34;
  d.propensity_method = PropensityMethod::kLogged;
  d.policy = "obd:random";
  d.reward = 0.0;
  return d;
}

// Sample() as text with `from` replaced by `to`.
std::string Edited(const std::string& from, const std::string& to) {
  std::string line = FormatDecisionLine(Sample());
  const size_t at = line.find(from);
  REQUIRE(at != std::string::npos);
  return line.replace(at, from.size(), to);
}

std::string ErrorOf(const std::string& line) {
  Result<LoggedDecision> d = ParseDecisionLine(line);
  REQUIRE_FALSE(d.ok());
  return d.status().message();
}

}  // namespace

TEST_CASE("a decision survives format then parse unchanged, in a fixed key order") {
  const LoggedDecision d = Sample();
  const std::string line = FormatDecisionLine(d);
  REQUIRE(line.find("{\"ts\":1574553793442,\"user\":\"obd:cef3390e\",\"decision_id\":") == 0);
  REQUIRE(line.find("\"chosen\":\"2\",\"position\":2,\"slots\":3,\"propensity\":0.029411764705882353,"
                    "\"propensity_method\":\"logged\",\"policy\":\"obd:random\",\"reward\":0}") != std::string::npos);
  auto parsed = ParseDecisionLine(line);
  REQUIRE(parsed.ok());
  REQUIRE(*parsed == d);
  REQUIRE(FormatDecisionLine(*parsed) == line);
}

TEST_CASE("a Monte Carlo propensity keeps its sample count; an absent reward stays absent") {
  LoggedDecision d = Sample();
  d.propensity_method = PropensityMethod::kMonteCarlo;
  d.propensity_samples = 256;
  d.reward.reset();
  d.model_version = "v7";
  auto parsed = ParseDecisionLine(FormatDecisionLine(d));
  REQUIRE(parsed.ok());
  REQUIRE(*parsed == d);
  REQUIRE_FALSE(parsed->reward.has_value());
}

TEST_CASE("defaults: position and slots 1 when absent") {
  auto d = ParseDecisionLine(
      R"({"ts":5,"user":"u","candidates":[{"item":"a"}],"chosen":"a","propensity":1,"propensity_method":"exact","policy":"p"})");
  REQUIRE(d.ok());
  REQUIRE(d->position == 1);
  REQUIRE(d->slots == 1);
  REQUIRE(d->context.empty());
}

TEST_CASE("a zero, negative or too large propensity is refused naming the field") {
  REQUIRE(ErrorOf(Edited("\"propensity\":0.029411764705882353", "\"propensity\":0")) ==
          "propensity must be a number in (0, 1], got 0");
  REQUIRE(ErrorOf(Edited("\"propensity\":0.029411764705882353", "\"propensity\":-0.5")).find("propensity must") == 0);
  REQUIRE(ErrorOf(Edited("\"propensity\":0.029411764705882353", "\"propensity\":1.5")).find("propensity must") == 0);
  REQUIRE(ErrorOf(Edited("\"propensity\":0.029411764705882353", "\"propensity\":\"0.5\"")) ==
          "propensity must be a number in (0, 1], got string");
}

TEST_CASE("required fields, the candidate set and the chosen item are checked") {
  REQUIRE(ErrorOf(Edited("\"propensity\":0.029411764705882353,", "")) == "propensity is required");
  REQUIRE(ErrorOf(Edited("\"policy\":\"obd:random\",", "")) == "policy is required");
  REQUIRE(ErrorOf(Edited("\"chosen\":\"2\"", "\"chosen\":\"9\"")) == "chosen \"9\" is not one of the candidates");
  REQUIRE(ErrorOf(Edited("{\"item\":\"1\"}", "{\"item\":\"0\"}")) == "candidates[1].item \"0\" appears twice");
  REQUIRE(ErrorOf(Edited("{\"item\":\"1\"}", "{\"item\":\"1\",\"score\":3}")) ==
          "candidates[1] has an unknown field \"score\" (expected item, features)");
  REQUIRE(ErrorOf(Edited("\"position\":2", "\"position\":4")) == "position 4 is beyond slots 3");
  REQUIRE(ErrorOf(Edited("\"position\":2", "\"position\":0")).find("position must be an integer in [1, 1000]") == 0);
  REQUIRE(ErrorOf(Edited("\"slots\":3", "\"slots\":4")) == "slots 4 exceeds the 3 candidates");
  REQUIRE(ErrorOf(Edited("\"propensity_method\":\"logged\"", "\"propensity_method\":\"monte_carlo\"")) ==
          "propensity_samples is required with \"monte_carlo\"");
  REQUIRE(ErrorOf(Edited("\"propensity_method\":\"logged\"", "\"propensity_method\":\"guess\"")) ==
          "propensity_method must be \"logged\", \"exact\" or \"monte_carlo\", got \"guess\"");
  REQUIRE(ErrorOf(Edited("\"reward\":0", "\"reward\":null")) == "reward must be a finite number, got null");
  REQUIRE(ErrorOf(Edited("\"reward\":0", "\"reward\":0,\"score\":1")).find("unknown field \"score\"") == 0);
  REQUIRE(ErrorOf(Edited("\"reward\":0", "\"reward\":0,\"reward\":1")) == "reward appears twice");
  REQUIRE(ErrorOf(Edited("\"if0\":0.25", "\"if0\":\"x\"")) == "candidates[2].features.item.if0 must be a number, got string");
  REQUIRE(ErrorOf("[1]") == "a decision must be a JSON object, got array");
}

TEST_CASE("the decision file reader names the file and line of the first bad decision") {
  std::string good = FormatDecisionLine(Sample());
  auto in = std::make_unique<std::istringstream>(good + "\n\n" + good + "\n" +
                                                 Edited("\"propensity\":0.029411764705882353", "\"propensity\":0") +
                                                 "\n" + good + "\n");
  auto reader = DecisionFileReader::FromStream(std::move(in), "log.jsonl");
  for (int64_t expected_line : {1, 3}) {
    auto d = reader->Next();
    REQUIRE(d.ok());
    REQUIRE(d->has_value());
    REQUIRE(reader->line_number() == expected_line);
  }
  auto bad = reader->Next();
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.status().message() == "log.jsonl:4: propensity must be a number in (0, 1], got 0");
  REQUIRE_FALSE(reader->Next().ok());  // the error sticks; nothing after it is returned
}

TEST_CASE("a missing decision file is NotFound, a directory is refused") {
  auto missing = DecisionFileReader::Open("/nonexistent/decisions.jsonl");
  REQUIRE_FALSE(missing.ok());
  REQUIRE(missing.status().message().find("cannot open /nonexistent/decisions.jsonl") == 0);
  auto dir = DecisionFileReader::Open("/tmp");
  REQUIRE_FALSE(dir.ok());
  REQUIRE(dir.status().message() == "cannot read /tmp: is a directory");
}

TEST_CASE("every one-byte change of a decision line parses to a decision that round-trips, or is refused") {
  const std::string good = FormatDecisionLine(Sample());
  int refused = 0, accepted = 0;
  for (size_t at = 0; at < good.size(); ++at) {
    for (char c : {'\0', '"', '}', '0', '-', 'x', '\xff'}) {
      std::string line = good;
      line[at] = c;
      Result<LoggedDecision> d = ParseDecisionLine(line);
      if (!d.ok()) {
        ++refused;
        REQUIRE_FALSE(d.status().message().empty());
        continue;
      }
      ++accepted;
      REQUIRE(d->propensity > 0.0);
      REQUIRE(d->propensity <= 1.0);
      auto again = ParseDecisionLine(FormatDecisionLine(*d));
      REQUIRE(again.ok());
      REQUIRE(*again == *d);
    }
  }
  REQUIRE(refused > 0);
  REQUIRE(accepted > 0);
}
