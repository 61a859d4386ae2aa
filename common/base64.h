// Base64 (RFC 4648, standard alphabet, '=' padding): how etcd's v3 JSON
// gateway carries keys and values. Plain functions on bytes.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace driftline {

// Any bytes -> padded base64 text.
std::string Base64Encode(std::string_view bytes);

// Padded base64 text -> bytes. Errors: InvalidArgument naming the offset of the
// first character outside the alphabet, or a length that is not a multiple of
// 4, or misplaced padding. The empty string decodes to the empty string.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace driftline
