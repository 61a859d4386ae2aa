// Arbitrary bytes must never crash the parser (CI runs this under ASan+UBSan).
// Whatever it accepts must survive a write/parse round trip.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "protocol/event_jsonl.h"
#include "protocol/json.h"

using driftline::Json;
using driftline::ParseJson;
using driftline::WriteJson;

namespace {

const char* const kSeeds[] = {
    R"({"ts":1362062307000,"user":"7982","item":"2171847","label":0,"event_id":"mt:7982:2171847","features":{"item":{"genre=Action":1,"decade=2010s":1}}})",
    R"([1,-2.5e-3,true,false,null,"\u00e9\ud83d\ude00\n",{"a":[{}],"b":{"c":[[]]}}])",
    R"({"ts":1,"user":"u","features":{"context":{"position=3":1},"affinity":{"item=20":15}}})",
    "\"8\xC2\xBD \xC3\x80 bout de souffle\"",
};

// Checks the contract for one input: no crash; an accepted value round-trips;
// an error is one line.
void Probe(const std::string& input) {
  auto r = ParseJson(input);
  if (r.ok()) {
    std::string text = WriteJson(*r);
    auto again = ParseJson(text);
    REQUIRE(again.ok());
    REQUIRE(*again == *r);
  } else {
    REQUIRE(r.status().message().find('\n') == std::string::npos);
  }
  auto e = driftline::ParseEventLine(input);
  if (e.ok()) {
    auto again = driftline::ParseEventLine(driftline::FormatEventLine(*e));
    REQUIRE(again.ok());
    REQUIRE(*again == *e);
  }
}

}  // namespace

TEST_CASE("random bytes never crash the parser") {
  std::mt19937_64 rng(20240601);
  const std::string alphabet = "{}[]\":,\\/ntrufalse0123456789.eE+-u \t\n\x80\xC3\xED\xF0\xFF";
  for (int i = 0; i < 20000; ++i) {
    size_t len = rng() % 64;
    std::string s;
    for (size_t k = 0; k < len; ++k) {
      s.push_back(rng() % 2 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()]);
    }
    Probe(s);
  }
}

TEST_CASE("every truncation of valid documents is handled") {
  for (const char* seed : kSeeds) {
    std::string doc = seed;
    for (size_t n = 0; n <= doc.size(); ++n) Probe(doc.substr(0, n));
  }
}

TEST_CASE("bit flips and byte edits of valid documents never crash the parser") {
  std::mt19937_64 rng(7);
  for (const char* seed : kSeeds) {
    const std::string doc = seed;
    for (int i = 0; i < 3000; ++i) {
      std::string s = doc;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < edits; ++k) {
        size_t at = rng() % s.size();
        switch (rng() % 4) {
          case 0: s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8))); break;
          case 1: s.erase(at, 1 + rng() % 3); break;
          case 2: s.insert(at, 1, s[rng() % s.size()]); break;
          default: s[at] = static_cast<char>(rng() % 256); break;
        }
        if (s.empty()) s = "x";
      }
      Probe(s);
    }
  }
}

TEST_CASE("very deep and very long inputs are refused without exhausting the stack") {
  REQUIRE_FALSE(ParseJson(std::string(1 << 20, '[')).ok());
  REQUIRE_FALSE(ParseJson(std::string(1 << 20, '{')).ok());
  std::string nested_objects;
  for (int i = 0; i < 10000; ++i) nested_objects += "{\"a\":";
  REQUIRE_FALSE(ParseJson(nested_objects).ok());
  REQUIRE_FALSE(ParseJson("\"" + std::string(2 << 20, 'a') + "\"").ok());
}
