// Small, strict text helpers for the dataset converters: splitting a line on
// a separator or as CSV, and parsing whole fields as numbers (no leading or
// trailing junk, no locale).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace driftline {

// Splits `s` on every occurrence of `sep` (non-empty). "a::b::" -> {"a","b",""}.
std::vector<std::string_view> SplitOn(std::string_view s, std::string_view sep);

// Splits one CSV record (RFC 4180 quoting: "a,""b""" -> a,"b"). Errors:
// InvalidArgument for an unterminated quote or junk after a closing quote.
Result<std::vector<std::string>> SplitCsvLine(std::string_view line);

// The whole field as a base-10 integer, or nullopt.
std::optional<int64_t> ParseInt64(std::string_view s);
// The whole field as a finite double ("1.5", "-2e-3"), or nullopt.
std::optional<double> ParseFiniteDouble(std::string_view s);

// `s` shortened for an error message: at most 40 bytes, quoted.
std::string Quoted(std::string_view s);

}  // namespace driftline
