// The cluster wire's codec: ShardMessage (protocol/shard_messages.h) <->
// one ShardFrame (driftline.capnp): the cluster protocol version and one
// message. Same contract as protocol/codec.h: encoding never fails and does
// not validate; decoding takes untrusted bytes, never crashes or throws,
// stays within DecodeLimits, and returns
//   ResourceExhausted  more bytes than limits.max_bytes, or a count over its
//                      limit (ValidateShardMessage);
//   Corruption         bytes that are not a well-formed ShardFrame;
//   InvalidArgument    another protocol version ("unsupported cluster
//                      protocol version N (this build speaks 1)"), a frame
//                      without a message or of an unknown kind, or content
//                      refused by ValidateShardMessage (protocol/validate.h).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/codec.h"
#include "protocol/shard_messages.h"

namespace driftline {

// The cluster-wire protocol version this build speaks (ShardFrame.protocolVersion).
constexpr uint16_t kShardProtocolVersion = 1;

std::string EncodeShardFrame(const ShardMessage& message);

Result<ShardMessage> DecodeShardFrame(std::string_view bytes, const DecodeLimits& limits = {});

}  // namespace driftline
