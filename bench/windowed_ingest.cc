#include "bench/windowed_ingest.h"

#include <algorithm>
#include <variant>

#include "protocol/codec.h"

namespace driftline::bench {

Result<IngestResult> RunWindowedIngest(cluster::ClientSocket& socket, const std::vector<std::string>& frames,
                                       const std::vector<size_t>& events_per_frame, uint64_t first_id,
                                       size_t window, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  IngestResult result;
  const size_t n = frames.size();
  std::vector<Clock::time_point> sent_at(n);
  std::vector<char> acked(n, 0);
  size_t next = 0, in_flight = 0, done = 0;
  const Clock::time_point start = Clock::now();
  while (done < n) {
    while (next < n && in_flight < window) {
      DRIFTLINE_RETURN_IF_ERROR(socket.Send({frames[next]}));
      sent_at[next++] = Clock::now();
      ++in_flight;
    }
    auto in = socket.Receive(timeout);
    if (!in.ok()) {
      return Status(in.status().code(), "ingest: " + std::to_string(done) + " of " + std::to_string(n) +
                                            " batches acknowledged: " + in.status().message());
    }
    if (in->size() != 1) continue;
    auto reply = DecodeFrame((*in)[0]);
    if (!reply.ok()) return Status::Corruption("ingest: undecodable reply: " + reply.status().message());
    if (const auto* e = std::get_if<ErrorReply>(&*reply)) {
      return Status(e->code, "ingest: batch " + std::to_string(e->request_id) + ": " + e->message);
    }
    const auto* ack = std::get_if<BatchAck>(&*reply);
    if (!ack || ack->batch_id < first_id || ack->batch_id - first_id >= next) continue;
    const size_t i = ack->batch_id - first_id;
    if (acked[i]) continue;
    acked[i] = 1;
    ++done;
    --in_flight;
    result.accepted += ack->accepted;
    result.duplicates += ack->duplicates;
    result.throughput.events += ack->accepted + ack->duplicates;
    result.throughput.bytes += frames[i].size();
    result.max_ack_ms = std::max(
        result.max_ack_ms, std::chrono::duration<double, std::milli>(Clock::now() - sent_at[i]).count());
    if (ack->accepted + ack->duplicates != events_per_frame[i]) ++result.short_acks;
  }
  result.throughput.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace driftline::bench
