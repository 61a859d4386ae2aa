// UTF-8 well-formedness (RFC 3629): the check every door runs on the text
// fields of a request (protocol/validate.h), so the wire refuses the same
// bytes the JSON parser does. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace driftline {

// Length of the well-formed UTF-8 sequence that starts at text[pos], or 0 if
// the bytes there are not one (overlong forms, UTF-16 surrogates, code
// points above U+10FFFF and truncated sequences are not).
// REQUIRES: pos < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t pos);

// True when every byte of `text` belongs to a well-formed UTF-8 sequence.
// NUL is a valid code point. Sets *bad_offset (when non-null) to the first
// offending byte on failure.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace driftline
