#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "protocol/json.h"

using driftline::Json;
using driftline::JsonMember;
using driftline::ParseJson;
using driftline::WriteJson;

namespace {

std::string NumberText(double d) {
  std::string out;
  driftline::AppendJsonNumber(d, &out);
  return out;
}

}  // namespace

TEST_CASE("the writer emits compact JSON in member order") {
  Json j = Json::MakeObject({JsonMember{"b", Json::Integer(1)},
                             JsonMember{"a", Json::MakeArray({Json::Bool(true), Json::Null(),
                                                              Json::String("x")})}});
  REQUIRE(WriteJson(j) == R"({"b":1,"a":[true,null,"x"]})");
}

TEST_CASE("strings are escaped minimally and control characters as \\u00XX") {
  REQUIRE(WriteJson(Json::String("a\"b\\c\n\t\r\b\f")) == R"("a\"b\\c\n\t\r\b\f")");
  REQUIRE(WriteJson(Json::String(std::string("\x01\x1f", 2))) == R"("\u0001\u001f")");
  REQUIRE(WriteJson(Json::String(std::string(1, '\0'))) == R"("\u0000")");
  REQUIRE(WriteJson(Json::String("/\xC3\xA9")) == "\"/\xC3\xA9\"");
}

TEST_CASE("numbers are written in the shortest form that round-trips") {
  REQUIRE(NumberText(0.1) == "0.1");
  REQUIRE(NumberText(1.0) == "1");
  REQUIRE(NumberText(-2.5) == "-2.5");
  REQUIRE(NumberText(1e21) == "1e+21");
  REQUIRE(NumberText(5e-324) == "5e-324");
  REQUIRE(NumberText(std::numeric_limits<double>::quiet_NaN()) == "null");
  REQUIRE(NumberText(std::numeric_limits<double>::infinity()) == "null");
  for (double d : {0.1, 1.0 / 3.0, -1.000557072878672, 1.7976931348623157e308, 2.2250738585072014e-308,
                   123456789.123456789, 1e-7}) {
    auto r = ParseJson(NumberText(d));
    REQUIRE(r.ok());
    REQUIRE(r->as_number() == d);
  }
}

TEST_CASE("large integer literals are written exactly") {
  REQUIRE(WriteJson(Json::Integer(INT64_MIN)) == "-9223372036854775808");
  REQUIRE(WriteJson(Json::Integer(1574553793442)) == "1574553793442");
}

TEST_CASE("parse then write then parse gives the same value") {
  const char* docs[] = {
      R"({"ts":1,"a":[1.5,-0.25,1e-300,"\u00e9\ud83d\ude00",{"x":{}}],"b":null,"c":false})",
      R"([[],[[]],{"":""}])",
      R"("\u0001\"\\")",
  };
  for (const char* doc : docs) {
    auto first = ParseJson(doc);
    REQUIRE(first.ok());
    std::string text = WriteJson(*first);
    auto second = ParseJson(text);
    REQUIRE(second.ok());
    REQUIRE(*second == *first);
    REQUIRE(WriteJson(*second) == text);
  }
}
