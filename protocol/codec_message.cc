// Bytes <-> Cap'n Proto messages: flat and canonical encodings, the aligned
// copy and the reader limits (protocol/codec_internal.h).
#include <algorithm>
#include <cstring>

#include "protocol/codec_internal.h"

namespace driftline {
namespace codec_internal {

std::string MessageBytes(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> flat = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const kj::byte> bytes = flat.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

std::string SingleSegmentMessage(kj::ArrayPtr<const capnp::word> words) {
  const uint64_t size_words = words.size();
  std::string out(8 + size_words * sizeof(capnp::word), '\0');
  // Segment table: (segment count - 1) = 0, then segment 0's size in words,
  // both 32-bit little-endian.
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>((size_words >> (8 * i)) & 0xff);
  if (size_words > 0) std::memcpy(&out[8], words.begin(), size_words * sizeof(capnp::word));
  return out;
}

Result<kj::Array<capnp::word>> AlignedCopy(std::string_view bytes, const DecodeLimits& limits,
                                           std::string_view what) {
  const std::string name(what);
  if (bytes.size() > limits.max_bytes) {
    return Status::ResourceExhausted(name + " of " + std::to_string(bytes.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(limits.max_bytes) + " bytes");
  }
  if (bytes.empty()) return Status::Corruption(name + " is malformed: empty");
  if (bytes.size() % sizeof(capnp::word) != 0) {
    return Status::Corruption(name + " is malformed: " + std::to_string(bytes.size()) +
                              " bytes is not a whole number of 8-byte words");
  }
  kj::Array<capnp::word> words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  return words;
}

capnp::ReaderOptions ReaderOptionsFor(const DecodeLimits& limits, size_t input_words) {
  capnp::ReaderOptions options;
  uint64_t traversal = limits.traversal_limit_words;
  if (limits.traversal_words_per_input_word > 0) {
    constexpr uint64_t kSlackWords = 64;
    traversal = std::min(traversal,
                         limits.traversal_words_per_input_word * input_words + kSlackWords);
  }
  options.traversalLimitInWords = traversal;
  options.nestingLimit = limits.nesting_limit;
  return options;
}

std::string OneLine(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

Status UnsupportedVersion(std::string_view what, uint32_t got, uint32_t supported,
                          std::string_view verb) {
  return Status::InvalidArgument("unsupported " + std::string(what) + " version " +
                                 std::to_string(got) + " (this build " + std::string(verb) + " " +
                                 std::to_string(supported) + ")");
}

}  // namespace codec_internal

DecodeLimits StoredDataLimits() {
  DecodeLimits limits;
  limits.max_bytes = size_t{1} << 30;
  limits.traversal_limit_words = uint64_t{2} * limits.max_bytes / 8;
  return limits;
}

}  // namespace driftline
