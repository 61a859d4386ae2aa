// PRIVATE to protocol/validate*.cc: the field checks validate.cc keeps, shared
// with validate_shard.cc so that every door words its refusals the same way.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace driftline::validate_internal {

// At most kMaxIdBytes of valid UTF-8; `path` names the field.
Status CheckIdText(const std::string& path, std::string_view text);
// `v` finite ("<path> must be finite, got nan").
Status CheckFiniteValue(const std::string& path, double v);

}  // namespace driftline::validate_internal
