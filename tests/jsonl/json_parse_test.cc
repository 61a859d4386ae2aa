#include <catch2/catch.hpp>

#include "protocol/json.h"

using driftline::Json;
using driftline::JsonLimits;
using driftline::ParseJson;

namespace {

Json Parsed(const std::string& text) {
  auto r = ParseJson(text);
  INFO(text << " -> " << r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

std::string ErrorOf(const std::string& text, const JsonLimits& limits = JsonLimits()) {
  auto r = ParseJson(text, limits);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().code() == driftline::Status::Code::kInvalidArgument);
  REQUIRE(r.status().message().find('\n') == std::string::npos);
  return r.status().message();
}

}  // namespace

TEST_CASE("literals and surrounding whitespace parse") {
  REQUIRE(Parsed("null").is_null());
  REQUIRE(Parsed(" true ").as_bool());
  REQUIRE_FALSE(Parsed("\t\r\nfalse\n").as_bool());
}

TEST_CASE("integer literals keep their exact value and are marked as integers") {
  Json j = Parsed("1362062307000");
  REQUIRE(j.is_integer_literal());
  REQUIRE(*j.AsInt64() == 1362062307000);
  REQUIRE(*Parsed("-9223372036854775808").AsInt64() == INT64_MIN);
  REQUIRE(*Parsed("9223372036854775807").AsInt64() == INT64_MAX);
  REQUIRE(*Parsed("-0").AsInt64() == 0);
}

TEST_CASE("fractions and exponents are numbers but not integer literals") {
  REQUIRE(Parsed("1.5").as_number() == 1.5);
  REQUIRE_FALSE(Parsed("1.0").is_integer_literal());
  REQUIRE_FALSE(Parsed("1e3").AsInt64());
  REQUIRE(Parsed("1E3").as_number() == 1000.0);
  REQUIRE(Parsed("-2.5e-3").as_number() == -0.0025);
  REQUIRE(Parsed("0.1").as_number() == 0.1);
}

TEST_CASE("an integer literal too large for int64 is still a number without an exact value") {
  Json j = Parsed("123456789012345678901234567890");
  REQUIRE(j.is_integer_literal());
  REQUIRE_FALSE(j.AsInt64());
  REQUIRE(j.as_number() == Approx(1.2345678901234568e29));
}

TEST_CASE("a number that underflows becomes zero and one that overflows is refused") {
  REQUIRE(Parsed("1e-400").as_number() == 0.0);
  REQUIRE(ErrorOf("1e400").find("out of range") != std::string::npos);
  REQUIRE(ErrorOf("-1e400").find("out of range") != std::string::npos);
}

TEST_CASE("strings decode every escape") {
  REQUIRE(Parsed(R"("a\"b\\c\/d\be\ff\ng\rh\ti")").as_string() == "a\"b\\c/d\be\ff\ng\rh\ti");
  REQUIRE(Parsed(R"("\u0041\u00e9\u20AC")").as_string() == "A\xC3\xA9\xE2\x82\xAC");
  REQUIRE(Parsed(R"("\u0000")").as_string() == std::string(1, '\0'));
}

TEST_CASE("a surrogate pair decodes to one four-byte UTF-8 character") {
  REQUIRE(Parsed(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");
  REQUIRE(Parsed(R"("\uDBFF\uDFFF")").as_string() == "\xF4\x8F\xBF\xBF");
}

TEST_CASE("raw UTF-8 in strings is accepted") {
  REQUIRE(Parsed("\"8\xC2\xBD \xC3\x80 bout\"").as_string() == "8\xC2\xBD \xC3\x80 bout");
}

TEST_CASE("objects keep key order and duplicates, arrays keep element order") {
  Json j = Parsed(R"({"b":1,"a":[1,"x",null],"b":2})");
  REQUIRE(j.as_object().size() == 3);
  REQUIRE(j.as_object()[0].key == "b");
  REQUIRE(j.as_object()[1].key == "a");
  REQUIRE(j.FindMember("b")->as_number() == 1.0);
  REQUIRE(j.FindMember("a")->as_array()[1].as_string() == "x");
  REQUIRE(j.FindMember("zzz") == nullptr);
  REQUIRE(Parsed("{}").as_object().empty());
  REQUIRE(Parsed("[ ]").as_array().empty());
}

TEST_CASE("nesting up to the depth limit parses and one level more is refused") {
  JsonLimits limits;
  limits.max_depth = 5;
  REQUIRE(ParseJson("[[[[[1]]]]]", limits).ok());
  REQUIRE(ErrorOf("[[[[[[1]]]]]]", limits).find("nesting deeper than 5") != std::string::npos);
  REQUIRE(ErrorOf(std::string(100000, '[')).find("nesting") != std::string::npos);
}

TEST_CASE("a string longer than the limit is refused") {
  JsonLimits limits;
  limits.max_string_bytes = 4;
  REQUIRE(ParseJson("\"abcd\"", limits).ok());
  REQUIRE(ErrorOf("\"abcde\"", limits).find("string longer than 4") != std::string::npos);
  REQUIRE(ErrorOf("{\"abcde\":1}", limits).find("string longer") != std::string::npos);
}

TEST_CASE("an input longer than the limit is refused") {
  JsonLimits limits;
  limits.max_input_bytes = 3;
  REQUIRE(ErrorOf("1234", limits).find("input longer") != std::string::npos);
}

TEST_CASE("errors say what is wrong and at which column") {
  REQUIRE(ErrorOf("") == "json: unexpected end of input, expected a value at column 1");
  REQUIRE(ErrorOf("{\"a\" 1}") == "json: expected ':' after object key, got '1' at column 6");
  REQUIRE(ErrorOf("[1 2]") == "json: expected ',' or ']' in array, got '2' at column 4");
  REQUIRE(ErrorOf("{\"a\":1 \"b\":2}") == "json: expected ',' or '}' in object, got '\"' at column 8");
  REQUIRE(ErrorOf("{1:2}") == "json: expected a string key in object, got '1' at column 2");
  REQUIRE(ErrorOf("1 2") == "json: unexpected trailing characters after the value at column 3");
  REQUIRE(ErrorOf("[1,\n 2 x]").find("at line 2 column 4") != std::string::npos);
}

TEST_CASE("every kind of malformed input is refused") {
  const char* bad[] = {
      "nul", "tru", "falsey", "+1", "01", "-", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity",
      "[1,]", "{\"a\":1,}", "[", "{", "{\"a\"", "{\"a\":", "\"abc", "\"\\x\"", "\"\\u12\"",
      "\"\\u12G4\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"a\tb\"", "'a'",
      "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xE0\x80\xAF\"",
      "\"\xF0\x80\x80\x80\"", "\"\xF4\x90\x80\x80\"", "\"\x80\"", "[1]]", "{}x", "\x01",
  };
  for (const char* text : bad) {
    INFO(text);
    REQUIRE_FALSE(ParseJson(text).ok());
  }
}

TEST_CASE("specific escape and UTF-8 errors have specific messages") {
  REQUIRE(ErrorOf("\"\\q\"").find("invalid escape") != std::string::npos);
  REQUIRE(ErrorOf("\"\\ude00\"").find("lone low surrogate") != std::string::npos);
  REQUIRE(ErrorOf("\"\\ud800x\"").find("high surrogate") != std::string::npos);
  REQUIRE(ErrorOf("\"\\u00zz\"").find("hex digit") != std::string::npos);
  REQUIRE(ErrorOf("\"\xFF\"").find("invalid UTF-8") != std::string::npos);
  REQUIRE(ErrorOf("\"a\nb\"").find("control character") != std::string::npos);
  REQUIRE(ErrorOf("01").find("leading zeros") != std::string::npos);
  REQUIRE(ErrorOf("@").find("byte") == std::string::npos);
  REQUIRE(ErrorOf("\x7F").find("byte 0x7f") != std::string::npos);
}
