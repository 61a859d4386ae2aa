#include <catch2/catch.hpp>

#include "protocol/event_jsonl.h"

using driftline::Event;
using driftline::Feature;
using driftline::FeatureNamespace;
using driftline::FormatEventLine;
using driftline::ParseEventLine;

namespace {

Event FullEvent() {
  Event e;
  e.ts_ms = 1574553793442;
  e.user = "obd:cef3390e";
  e.item = "14";
  e.label = 1;
  e.event_id = "obd:men:0";
  e.prediction_id = "p-\"7\"\n";
  e.features = {FeatureNamespace{"user", {Feature{"uf0=cef3390e", 1.0}}},
                FeatureNamespace{"item", {Feature{"if0", -1.000557072878672}, Feature{"if1=cb4655bc", 1.0}}},
                FeatureNamespace{"empty", {}}};
  return e;
}

std::string ErrorOf(const std::string& line) {
  auto r = ParseEventLine(line);
  INFO(line);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().code() == driftline::Status::Code::kInvalidArgument);
  REQUIRE(r.status().message().find('\n') == std::string::npos);
  return r.status().message();
}

}  // namespace

TEST_CASE("an event is formatted as one line with keys in a fixed order") {
  REQUIRE(FormatEventLine(FullEvent()) ==
          R"({"ts":1574553793442,"user":"obd:cef3390e","item":"14","label":1,"event_id":"obd:men:0",)"
          R"("prediction_id":"p-\"7\"\n","features":{"user":{"uf0=cef3390e":1},)"
          R"("item":{"if0":-1.000557072878672,"if1=cb4655bc":1},"empty":{}}})");
}

TEST_CASE("a minimal event has only ts and user") {
  Event e;
  e.ts_ms = 0;
  e.user = "u";
  REQUIRE(FormatEventLine(e) == R"({"ts":0,"user":"u"})");
  auto r = ParseEventLine(R"({"user":"u","ts":0})");
  REQUIRE(r.ok());
  REQUIRE(*r == e);
  REQUIRE_FALSE(r->label.has_value());
}

TEST_CASE("format then parse gives back the same event") {
  Event e = FullEvent();
  auto r = ParseEventLine(FormatEventLine(e));
  REQUIRE(r.ok());
  REQUIRE(*r == e);
  e.label = 0;
  e.features.clear();
  e.item.clear();
  r = ParseEventLine(FormatEventLine(e));
  REQUIRE(r.ok());
  REQUIRE(*r == e);
}

TEST_CASE("parse then format is stable for a canonical line") {
  std::string line = R"({"ts":5,"user":"7","item":"0133093","label":0,"features":{"item":{"genre=Drama":1,"w":0.1}}})";
  auto r = ParseEventLine(line);
  REQUIRE(r.ok());
  REQUIRE(FormatEventLine(*r) == line);
}

TEST_CASE("fields may come in any order with whitespace and a trailing carriage return") {
  auto r = ParseEventLine(" { \"label\" : 1 , \"user\" : \"a\" , \"ts\" : 7 } \r");
  REQUIRE(r.ok());
  REQUIRE(r->ts_ms == 7);
  REQUIRE(r->label == 1);
}

TEST_CASE("ts must be a non-negative integer") {
  REQUIRE(ErrorOf(R"({"user":"u"})") == "ts is required");
  REQUIRE(ErrorOf(R"({"ts":"1","user":"u"})") == "ts must be an integer (ms since the epoch), got string");
  REQUIRE(ErrorOf(R"({"ts":1.5,"user":"u"})").find("ts must be an integer") == 0);
  REQUIRE(ErrorOf(R"({"ts":1e3,"user":"u"})").find("ts must be an integer") == 0);
  REQUIRE(ErrorOf(R"({"ts":-1,"user":"u"})") == "ts must be within [0, 253402300799999] ms, got -1");
  REQUIRE(ErrorOf(R"({"ts":99999999999999999999,"user":"u"})") == "ts is out of range");
}

TEST_CASE("user must be a non-empty string") {
  REQUIRE(ErrorOf(R"({"ts":1})") == "user is required");
  REQUIRE(ErrorOf(R"({"ts":1,"user":""})") == "user must not be empty");
  REQUIRE(ErrorOf(R"({"ts":1,"user":7})") == "user must be a non-empty string, got number");
}

TEST_CASE("label must be 0 or 1") {
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","label":2})") == "label must be 0 or 1, got 2");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","label":0.5})") == "label must be 0 or 1, got 0.5");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","label":true})") == "label must be 0 or 1, got boolean");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","label":null})") == "label must be 0 or 1, got null");
}

TEST_CASE("item, event_id and prediction_id must be strings") {
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","item":3})") == "item must be a string, got number");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","event_id":[]})") == "event_id must be a string, got array");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","prediction_id":{}})") == "prediction_id must be a string, got object");
}

TEST_CASE("features must be namespaces of named finite numbers") {
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":[]})").find("features must be an object") == 0);
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"item":1}})").find("features.item must be an object") == 0);
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"item":{"g":"x"}}})") ==
          "features.item.g must be a number, got string");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"item":{"g":1,"g":2}}})") == "features['item']['g'] appears twice");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"a":{},"a":{}}})") == "features['a'] appears twice");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"":{}}})")== "features[0] has an empty namespace name");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"a":{"":1}}})") == "features['a'][0].name must not be empty");
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","features":{"a":{"x":1e999}}})").find("out of range") != std::string::npos);
}

TEST_CASE("unknown and duplicate top-level fields are errors that name the field") {
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","lable":1})").find("unknown field \"lable\"") == 0);
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u","ts":2})") == "ts appears twice");
  REQUIRE(ErrorOf("{\"ts\":1,\"user\":\"u\",\"a\\nb\":1}").find("unknown field \"a\\nb\"") == 0);
}

TEST_CASE("a line that is not a JSON object is an error") {
  REQUIRE(ErrorOf("[1]") == "an event must be a JSON object, got array");
  REQUIRE(ErrorOf("").find("json: ") == 0);
  REQUIRE(ErrorOf(R"({"ts":1,"user":"u"} x)").find("trailing") != std::string::npos);
}

TEST_CASE("event lines outside the accepted ranges are refused like on the wire") {
  CHECK(ErrorOf(R"({"ts":253402300800000,"user":"u"})").find("ts must be within [0, 253402300799999] ms") == 0);
  CHECK(ErrorOf(R"({"ts":1,"user":"u","features":{"item":{"price":1e300}}})")
            .find("must be within +-1e9, got 1e+300") != std::string::npos);
  CHECK(ErrorOf(R"({"ts":1,"user":"u","event_id":"pred/7"})").find("reserved") != std::string::npos);
  CHECK(ParseEventLine(R"({"ts":253402300799999,"user":"u","features":{"i":{"p":-1e9}}})").ok());
}
