#include "cluster/frame_checks.h"

namespace driftline::cluster {

Status CheckOutgoingFrames(const Frames& frames, int64_t max_frame_bytes) {
  if (frames.empty()) return Status::InvalidArgument("a message needs at least one frame");
  if (max_frame_bytes < 0) return Status::Ok();
  for (size_t i = 0; i < frames.size(); ++i) {
    if (static_cast<int64_t>(frames[i].size()) > max_frame_bytes) {
      return Status::ResourceExhausted("frame " + std::to_string(i) + " has " +
                                       std::to_string(frames[i].size()) +
                                       " bytes, the limit is " + std::to_string(max_frame_bytes));
    }
  }
  return Status::Ok();
}

}  // namespace driftline::cluster
