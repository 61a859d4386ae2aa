#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cli/convert_obd.h"
#include "protocol/event_jsonl.h"

using namespace driftline;

namespace {

const char kItems[] =
    ",item_id,item_feature_0,item_feature_1,item_feature_2,item_feature_3\n"
    "0,0,-0.5,ceca20033d7d36b74dc683ddfb804aa7,eb6f942c01859574cb88d2e62bf84354,795091554fd8f6b4a0ca7df81bf50a64\n"
    "1,1,1.25,270de57201b8ec18df9a72ed7ecf20eb,eb6f942c01859574cb88d2e62bf84354,795091554fd8f6b4a0ca7df81bf50a64\n";

const char kHeader[] =
    ",timestamp,item_id,position,click,propensity_score,user_feature_0,user_feature_1,user_feature_2,"
    "user_feature_3,user-item_affinity_0,user-item_affinity_1\n";

std::string Row(int index, const std::string& ts, const std::string& item, const std::string& position,
                const std::string& click, const std::string& aff1 = "0.0") {
  return std::to_string(index) + "," + ts + "," + item + "," + position + "," + click +
         ",0.5,cef3390ed299c098,03a5648a76832f83,7bc94a2da491829b,9bde591ffaab8d54,0.0," + aff1 + "\n";
}

ObdItemTable Items() {
  std::istringstream in(kItems);
  ConvertStats stats;
  auto r = ReadObdItemTable(in, "item_context.csv", ConvertOptions(), &stats);
  REQUIRE(r.ok());
  return *r;
}

struct Converted {
  Status status;
  std::vector<Event> events;
  ConvertStats stats;
};

Converted Convert(const std::string& log, bool skip = false) {
  Converted c;
  std::istringstream in(log);
  ConvertOptions options;
  options.skip_bad_lines = skip;
  c.status = ConvertObdLog(in, "men.csv", "men", Items(), options,
                           [&c](const Event& e) {
                             c.events.push_back(e);
                             return Status::Ok();
                           },
                           &c.stats);
  return c;
}

}  // namespace

TEST_CASE("the item table keeps numeric features as numbers and hashes as one-hot") {
  ObdItemTable items = Items();
  REQUIRE(items.size() == 2);
  REQUIRE(items.at("1").features ==
          std::vector<Feature>{Feature{"if0", 1.25}, Feature{"if1=270de572", 1.0}, Feature{"if2=eb6f942c", 1.0},
                               Feature{"if3=79509155", 1.0}});
}

TEST_CASE("a log row becomes an event with user, item, context and affinity features") {
  Converted c = Convert(kHeader + Row(0, "2019-11-24 00:03:13.442536+00:00", "1", "3", "1", "15.0"));
  REQUIRE(c.status.ok());
  REQUIRE(c.events.size() == 1);
  REQUIRE(FormatEventLine(c.events[0]) ==
          R"({"ts":1574553793442,"user":"obd:cef3390e-03a5648a-7bc94a2d-9bde591f","item":"1","label":1,)"
          R"("event_id":"obd:men:0","features":{"user":{"uf0=cef3390e":1,"uf1=03a5648a":1,"uf2=7bc94a2d":1,)"
          R"("uf3=9bde591f":1},"item":{"if0":1.25,"if1=270de572":1,"if2=eb6f942c":1,"if3=79509155":1},)"
          R"("context":{"position=3":1},"affinity":{"item=1":15}}})");
}

TEST_CASE("a row without non-zero affinities has no affinity namespace") {
  Converted c = Convert(kHeader + Row(0, "2019-11-24 00:03:13+00:00", "0", "1", "0"));
  REQUIRE(c.status.ok());
  REQUIRE(c.events[0].label == 0);
  REQUIRE(c.events[0].features.size() == 3);
  REQUIRE(c.events[0].features.back().name == "context");
}

TEST_CASE("malformed rows are errors naming file, line and field") {
  const std::string ts = "2019-11-24 00:03:13+00:00";
  REQUIRE(Convert(kHeader + Row(0, ts, "0", "1", "2")).status.message() == "men.csv:2: click must be 0 or 1, got '2'");
  REQUIRE(Convert(kHeader + Row(0, ts, "7", "1", "0")).status.message() == "men.csv:2: item_id 7 is not in the item table");
  REQUIRE(Convert(kHeader + Row(0, ts, "x", "1", "0")).status.message().find("men.csv:2: item_id must be") == 0);
  REQUIRE(Convert(kHeader + Row(0, "2019-13-24 00:03:13", "0", "1", "0")).status.message().find("men.csv:2: timestamp: month 13") == 0);
  REQUIRE(Convert(kHeader + Row(0, ts, "0", "p", "0")).status.message().find("men.csv:2: position") == 0);
  REQUIRE(Convert(kHeader + Row(0, ts, "0", "1", "0", "abc")).status.message().find("affinity column item=1") != std::string::npos);
  REQUIRE(Convert(std::string(kHeader) + "0,1,2\n").status.message() == "men.csv:2: expected 12 columns, got 3");
  REQUIRE(Convert(std::string(kHeader) + "0,\"unterminated\n").status.message().find("unterminated") != std::string::npos);
}

TEST_CASE("a header without a required column or an empty input is an error") {
  REQUIRE(Convert("").status.message() == "men.csv: empty input, no header");
  REQUIRE(Convert(",timestamp,item_id,position\n").status.message() == "men.csv:1: header has no click column");
  REQUIRE(Convert(kHeader).status.message() == "men.csv: no rows found");
}

TEST_CASE("with skip-bad-lines bad rows are counted and event ids keep the row index") {
  const std::string ts = "2019-11-24 00:03:13+00:00";
  Converted c = Convert(kHeader + Row(0, ts, "0", "1", "9") + Row(1, ts, "1", "2", "0") + "\n" + "garbage\n", true);
  REQUIRE(c.status.ok());
  REQUIRE(c.events.size() == 1);
  REQUIRE(c.events[0].event_id == "obd:men:1");
  REQUIRE(c.stats.skipped_lines == 2);
  REQUIRE(c.stats.first_skipped_error == "men.csv:2: click must be 0 or 1, got '9'");
}

TEST_CASE("the real OBD random/men log gives 10,000 time-ordered events with 46 clicks") {
  const std::string dir = std::string(DRIFTLINE_DATA_DIR) + "/open_bandit_dataset/random/men/";
  std::ifstream items_in(dir + "item_context.csv");
  std::ifstream log_in(dir + "men.csv");
  REQUIRE(items_in.is_open());
  REQUIRE(log_in.is_open());
  ConvertStats stats;
  auto items = ReadObdItemTable(items_in, "item_context.csv", ConvertOptions(), &stats);
  REQUIRE(items.ok());
  REQUIRE(items->size() == 34);
  std::vector<Event> events;
  Status s = ConvertObdLog(log_in, "men.csv", "men", *items, ConvertOptions(),
                           [&events](const Event& e) {
                             events.push_back(e);
                             return Status::Ok();
                           },
                           &stats);
  REQUIRE(s.ok());
  REQUIRE(events.size() == 10000);
  int clicks = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0) REQUIRE(events[i - 1].ts_ms <= events[i].ts_ms);
    clicks += *events[i].label;
    auto again = ParseEventLine(FormatEventLine(events[i]));
    REQUIRE(again.ok());
    REQUIRE(*again == events[i]);
  }
  REQUIRE(clicks == 46);
  REQUIRE(events.front().ts_ms == 1574553793442);
}

namespace {

struct ConvertedDecisions {
  Status status;
  std::vector<LoggedDecision> decisions;
  ConvertStats stats;
};

ConvertedDecisions ConvertDecisions(const std::string& log, bool skip = false) {
  ConvertedDecisions c;
  std::istringstream in(log);
  ConvertOptions options;
  options.skip_bad_lines = skip;
  ObdItemTable items = Items();
  items.emplace("2", FeatureNamespace{"item", {Feature{"if0", 0.0}}});  // 3 items: one per slot
  c.status = ConvertObdDecisions(in, "men.csv", "random-men", "obd:random", items, options,
                                 [&c](const LoggedDecision& d) {
                                   c.decisions.push_back(d);
                                   return Status::Ok();
                                 },
                                 &c.stats);
  return c;
}

}  // namespace

TEST_CASE("decisions keep the logged propensity, the position and the whole candidate set") {
  ConvertedDecisions c = ConvertDecisions(std::string(kHeader) + Row(0, "2019-11-24 00:03:13.442536+00:00", "1", "3", "1"));
  REQUIRE(c.status.ok());
  REQUIRE(c.decisions.size() == 1);
  const LoggedDecision& d = c.decisions[0];
  REQUIRE(d.ts_ms == 1574553793442);
  REQUIRE(d.decision_id == "obd:random-men:0");
  REQUIRE(d.chosen == "1");
  REQUIRE(d.position == 3);
  REQUIRE(d.slots == 3);
  REQUIRE(d.propensity == 0.5);  // Row() logs propensity_score 0.5
  REQUIRE(d.propensity_method == PropensityMethod::kLogged);
  REQUIRE(d.policy == "obd:random");
  REQUIRE(d.reward == 1.0);
  REQUIRE(d.candidates.size() == 3);
  REQUIRE(d.candidates[0].item == "0");
  REQUIRE(d.candidates[2].item == "2");
  REQUIRE(d.candidates[1].features == FeatureSet{Items().at("1")});
  // The context is everything of the event but the item namespace.
  Converted events = Convert(std::string(kHeader) + Row(0, "2019-11-24 00:03:13.442536+00:00", "1", "3", "1"));
  FeatureSet without_item;
  for (const FeatureNamespace& ns : events.events[0].features) {
    if (ns.name != "item") without_item.push_back(ns);
  }
  REQUIRE(d.context == without_item);
  REQUIRE(d.user == events.events[0].user);
}

TEST_CASE("decisions refuse a propensity outside (0, 1], a position outside 1..3 and a log without propensities") {
  std::string zero = Row(0, "2019-11-24 00:03:13+00:00", "1", "1", "0");
  zero.replace(zero.find(",0.5,"), 5, ",0,");
  ConvertedDecisions c = ConvertDecisions(std::string(kHeader) + zero);
  REQUIRE_FALSE(c.status.ok());
  REQUIRE(c.status.message() == "men.csv:2: propensity_score must be a number in (0, 1], got '0'");
  c = ConvertDecisions(std::string(kHeader) + Row(0, "2019-11-24 00:03:13+00:00", "1", "4", "0"));
  REQUIRE(c.status.message() == "men.csv:2: position must be in 1..3, got 4");
  std::string header(kHeader);
  header.replace(header.find("propensity_score"), 16, "score");
  c = ConvertDecisions(header + Row(0, "2019-11-24 00:03:13+00:00", "1", "1", "0"));
  REQUIRE(c.status.message() == "men.csv:1: header has no propensity_score column");
}
