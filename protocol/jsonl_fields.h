// PRIVATE to protocol/*_jsonl.cc: how the JSON Lines readers (events,
// decisions) word a refused field, so both name fields the same way.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/json.h"

namespace driftline::jsonl_fields {

// "<field> <what>", InvalidArgument.
inline Status FieldError(std::string_view field, const std::string& what) {
  return Status::InvalidArgument(std::string(field) + " " + what);
}

// A key as it may appear inside a one-line message: escaped, at most 64 bytes.
inline std::string Printable(std::string_view key) {
  std::string quoted;
  AppendJsonString(key.substr(0, 64), &quoted);
  std::string out = quoted.substr(1, quoted.size() - 2);
  if (key.size() > 64) out += "...";
  return out;
}

}  // namespace driftline::jsonl_fields
