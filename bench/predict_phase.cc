// Phase (a): predict round trips against the raw echo round trip.
#include <cstring>

#include "bench/node_process.h"
#include "bench/phases.h"
#include "bench/workload.h"
#include "cluster/zmq_transport.h"
#include "protocol/codec.h"

namespace driftline::bench {
namespace {

constexpr uint64_t kFirstId = 1000;

// A raw request: its id in the first 8 bytes, filler up to `size`.
std::string RawFrame(uint64_t id, size_t size) {
  std::string frame(std::max<size_t>(size, 8), 'x');
  std::memcpy(frame.data(), &id, sizeof id);
  return frame;
}

Result<ReplyInfo> ParseRawReply(const std::string& frame) {
  if (frame.size() < 8) return Status::Corruption("short echo");
  ReplyInfo info;
  std::memcpy(&info.id, frame.data(), sizeof info.id);
  return info;
}

}  // namespace

Result<ReplyInfo> ParsePredictReply(const std::string& frame) {
  auto m = DecodeFrame(frame);
  if (!m.ok()) return m.status();
  ReplyInfo info;
  if (const auto* r = std::get_if<PredictReply>(&*m)) {
    info.id = r->request_id;
    info.fallback = r->fallback;
    info.busy = r->fallback && r->fallback_reason.find("busy") != std::string::npos;
  } else if (const auto* e = std::get_if<ErrorReply>(&*m)) {
    info.id = e->request_id;
    info.error = true;
  } else {
    return Status::Corruption("not a predict reply");
  }
  return info;
}

namespace {

// Warm-up run (discarded), then the measured run, both open loop at opts.rate.
Result<LatencyFigures> WarmThenMeasure(cluster::ClientSocket& socket, const std::vector<std::string>& frames,
                                       const BenchOptions& opts, const ReplyParser& parse) {
  const std::vector<std::string> warm(frames.begin(), frames.begin() + opts.warmup);
  const std::vector<std::string> measured(frames.begin() + opts.warmup, frames.end());
  if (!warm.empty()) {
    auto w = RunOpenLoop(socket, warm, kFirstId, opts.rate, parse);
    if (!w.ok()) return w.status();
  }
  auto run = RunOpenLoop(socket, measured, kFirstId + opts.warmup, opts.rate, parse);
  if (!run.ok()) return run.status();
  LatencyFigures f;
  f.summary = Summarize(run->latencies_us);
  f.run = std::move(*run);
  return f;
}

}  // namespace

Result<PredictFigures> MeasurePredict(const BenchOptions& opts, const std::vector<Event>& events,
                                      const std::string& node_endpoint) {
  const size_t total = opts.warmup + opts.samples;
  std::vector<PredictRequest> requests = MakePredictRequests(events, total, opts.candidates, kFirstId);
  std::vector<std::string> predict_frames, raw_frames;
  PredictFigures figures;
  size_t bytes = 0;
  for (const auto& r : requests) {
    predict_frames.push_back(EncodeFrame(r));
    raw_frames.push_back(RawFrame(r.request_id, predict_frames.back().size()));
    bytes += predict_frames.back().size();
  }
  figures.mean_frame_bytes = bytes / total;

  // Raw: DEALER -> ROUTER echo from the receive thread, same sizes, same rate.
  std::unique_ptr<cluster::Transport> transport = cluster::MakeZmqTransport();
  {
    auto echo = EchoServer::Start(*transport);
    if (!echo.ok()) return echo.status();
    auto client = transport->Connect((*echo)->endpoint());
    if (!client.ok()) return client.status();
    DRIFTLINE_RETURN_IF_ERROR((*client)->Send({RawFrame(1, 8)}));
    auto hello = (*client)->Receive(std::chrono::milliseconds(5000));
    if (!hello.ok()) return Status(hello.status().code(), "raw echo handshake: " + hello.status().message());
    auto raw = WarmThenMeasure(**client, raw_frames, opts, ParseRawReply);
    if (!raw.ok()) return Status(raw.status().code(), "raw round trip: " + raw.status().message());
    figures.raw = std::move(*raw);
  }

  // driftline: the node's predict path, same client loop.
  auto client = transport->Connect(node_endpoint);
  if (!client.ok()) return client.status();
  auto status = Call(**client, StatusRequest{7}, 7, std::chrono::milliseconds(10000));
  if (!status.ok()) return Status(status.status().code(), "node status: " + status.status().message());
  auto node = WarmThenMeasure(**client, predict_frames, opts, ParsePredictReply);
  if (!node.ok()) return Status(node.status().code(), "driftline predict: " + node.status().message());
  figures.driftline = std::move(*node);
  return figures;
}

}  // namespace driftline::bench
