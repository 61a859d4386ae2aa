// The version tag of the JSON values driftline stores in etcd (members, the
// coordinator key, the partition map: docs/cluster.md, "Key layout").
// Internal to cluster/: only the units that decode those values include it
// (nlohmann stays out of every other unit; tests/layering checks it).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace driftline::stored_json {

// True when the value says {"format": 1}; anything else is refused, not thrown.
inline bool IsFormat1(const nlohmann::json& j) {
  auto f = j.find("format");
  return f != j.end() && f->is_number_integer() && f->get<int64_t>() == 1;
}

// The value's "format" member as written, or "(none)": for error messages.
inline std::string FormatOf(const nlohmann::json& j) {
  return j.contains("format") ? j["format"].dump() : std::string("(none)");
}

}  // namespace driftline::stored_json
