#include "common/base64.h"

#include <catch2/catch.hpp>
#include <string>

namespace driftline {
namespace {

TEST_CASE("base64 encodes the RFC 4648 test vectors") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 round-trips every byte value at every length remainder") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += char(i);
  for (size_t n = 0; n <= bytes.size(); n += 1) {
    std::string in = bytes.substr(0, n);
    auto out = Base64Decode(Base64Encode(in));
    REQUIRE(out.ok());
    CHECK(*out == in);
  }
}

TEST_CASE("base64 refuses malformed text naming the problem") {
  auto bad_len = Base64Decode("Zm9");
  REQUIRE_FALSE(bad_len.ok());
  CHECK(bad_len.status().message().find("multiple of 4") != std::string::npos);
  auto bad_char = Base64Decode("Zm!v");
  REQUIRE_FALSE(bad_char.ok());
  CHECK(bad_char.status().message().find("offset 2") != std::string::npos);
  CHECK_FALSE(Base64Decode("Z=9v").ok());   // padding in the middle of a group
  CHECK_FALSE(Base64Decode("Zg==Zg==").ok());  // padding before the end
  CHECK_FALSE(Base64Decode("Zm=v").ok());   // a character after padding
}

}  // namespace
}  // namespace driftline
