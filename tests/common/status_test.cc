#include "common/status.h"

#include <catch2/catch.hpp>

using driftline::Result;
using driftline::Status;

TEST_CASE("a default status is ok and prints as ok") {
  Status s;
  REQUIRE(s.ok());
  REQUIRE(s.ToString() == "ok");
}

TEST_CASE("an error status names its code and message") {
  Status s = Status::NotFound("model v7");
  REQUIRE_FALSE(s.ok());
  REQUIRE(s.code() == Status::Code::kNotFound);
  REQUIRE(s.ToString() == "not found: model v7");
}

TEST_CASE("a result holds either a value or the error explaining its absence") {
  Result<int> good = 42;
  REQUIRE(good.ok());
  REQUIRE(*good == 42);
  Result<int> bad = Status::InvalidArgument("negative");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.status().message() == "negative");
}
