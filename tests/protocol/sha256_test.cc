#include "protocol/sha256.h"

#include <catch2/catch.hpp>
#include <string>

using driftline::Sha256;
using driftline::Sha256Hex;

TEST_CASE("sha256 of the empty message matches FIPS 180-2") {
  REQUIRE(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 of abc matches FIPS 180-2") {
  REQUIRE(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256 of the 448-bit two-block message matches FIPS 180-2") {
  REQUIRE(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 of one million a matches FIPS 180-2 whether fed at once or in odd pieces") {
  const std::string million(1000000, 'a');
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  REQUIRE(Sha256Hex(million) == expected);
  Sha256 h;
  size_t at = 0;
  for (size_t piece = 1; at < million.size(); piece = piece * 7 % 131 + 1) {
    const size_t n = std::min(piece, million.size() - at);
    h.Update(million.data() + at, n);
    at += n;
  }
  REQUIRE(Sha256::Hex(h.Final()) == expected);
}

TEST_CASE("sha256 gives the same digest for every split of a message around block boundaries") {
  std::string message;
  for (int i = 0; i < 200; ++i) message.push_back(static_cast<char>(i * 31));
  for (size_t len : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 128u, 200u}) {
    const std::string whole = Sha256Hex(message.substr(0, len));
    for (size_t split = 0; split <= len; ++split) {
      Sha256 h;
      h.Update(message.substr(0, split));
      h.Update(message.substr(split, len - split));
      REQUIRE(Sha256::Hex(h.Final()) == whole);
    }
  }
}

TEST_CASE("sha256 Final resets the hasher so it can be reused") {
  Sha256 h;
  h.Update("garbage");
  (void)h.Final();
  h.Update("abc");
  REQUIRE(Sha256::Hex(h.Final()) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256 accepts a null pointer with zero length") {
  Sha256 h;
  h.Update(nullptr, 0);
  REQUIRE(Sha256::Hex(h.Final()) == Sha256Hex(""));
}

TEST_CASE("a copied sha256 forks the running hash; a moved one carries it") {
  Sha256 prefix;
  prefix.Update(std::string_view("common prefix, "));
  Sha256 fork = prefix;
  prefix.Update(std::string_view("then a"));
  fork.Update(std::string_view("then b"));
  REQUIRE(Sha256::Hex(prefix.Final()) == Sha256Hex("common prefix, then a"));
  REQUIRE(Sha256::Hex(fork.Final()) == Sha256Hex("common prefix, then b"));

  Sha256 source;
  source.Update(std::string_view("abc"));
  Sha256 moved = std::move(source);
  REQUIRE(Sha256::Hex(moved.Final()) == Sha256Hex("abc"));
  source = moved;  // a moved-from hasher may be assigned to, then used
  source.Update(std::string_view("abc"));
  REQUIRE(Sha256::Hex(source.Final()) == Sha256Hex("abc"));
}
