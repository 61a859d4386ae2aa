// Checks every transport applies to an outgoing message before it is queued,
// so an implementation refuses the same messages with the same Status.
#pragma once

#include <cstdint>

#include "cluster/transport.h"

namespace driftline::cluster {

// InvalidArgument for an empty message (no frames at all; empty frames are
// fine); ResourceExhausted for a frame longer than `max_frame_bytes`
// (-1 = no limit).
Status CheckOutgoingFrames(const Frames& frames, int64_t max_frame_bytes);

}  // namespace driftline::cluster
