// UTC calendar arithmetic without the C library's time zone or locale state.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace driftline {

// Days from 1970-01-01 to the given proleptic Gregorian date (negative
// before 1970). REQUIRES: 1 <= year <= 9999, 1 <= month <= 12, 1 <= day <=
// days in that month.
int64_t DaysSinceEpoch(int year, int month, int day);

// Parses "YYYY-MM-DD HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]" (a 'T' may replace
// the space; no zone means UTC) into milliseconds since the Unix epoch.
// Fractions finer than a millisecond are truncated. Errors: InvalidArgument
// naming the problem ("month 13 out of range").
Result<int64_t> ParseUtcTimestampMs(std::string_view text);

}  // namespace driftline
