#include <catch2/catch.hpp>

#include "cli/utc_time.h"

using driftline::DaysSinceEpoch;
using driftline::ParseUtcTimestampMs;

TEST_CASE("days since the epoch match known dates including leap days") {
  REQUIRE(DaysSinceEpoch(1970, 1, 1) == 0);
  REQUIRE(DaysSinceEpoch(1969, 12, 31) == -1);
  REQUIRE(DaysSinceEpoch(2000, 3, 1) == 11017);
  REQUIRE(DaysSinceEpoch(2019, 11, 24) == 18224);
  REQUIRE(DaysSinceEpoch(2020, 2, 29) == 18321);
  REQUIRE(DaysSinceEpoch(2100, 3, 1) - DaysSinceEpoch(2100, 2, 28) == 1);  // 2100 is not leap
}

TEST_CASE("an OBD timestamp parses to UTC milliseconds") {
  auto r = ParseUtcTimestampMs("2019-11-24 00:03:13.442536+00:00");
  REQUIRE(r.ok());
  REQUIRE(*r == 1574553793442);
  REQUIRE(*ParseUtcTimestampMs("2013-02-28T14:38:27Z") == 1362062307000);
  REQUIRE(*ParseUtcTimestampMs("1970-01-01 00:00:00") == 0);
  REQUIRE(*ParseUtcTimestampMs("1970-01-01 00:00:00.5") == 500);
}

TEST_CASE("a zone offset is applied") {
  REQUIRE(*ParseUtcTimestampMs("2019-11-24 09:03:13+09:00") == 1574553793000);
  REQUIRE(*ParseUtcTimestampMs("2019-11-23 23:03:13-01:00") == 1574553793000);
}

TEST_CASE("malformed timestamps are refused with a reason") {
  const char* bad[] = {"", "2019-11-24", "2019-13-01 00:00:00", "2019-02-29 00:00:00", "2019-11-24 24:00:00",
                       "2019-11-24 00:60:00", "2019-11-24 00:00:00.", "2019-11-24 00:00:00+0000",
                       "2019-11-24 00:00:00 UTC", "19-11-24 00:00:00", "0000-01-01 00:00:00",
                       "2019-11-24x00:00:00"};
  for (const char* text : bad) {
    INFO(text);
    auto r = ParseUtcTimestampMs(text);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.status().message().find("timestamp: ") == 0);
  }
}
