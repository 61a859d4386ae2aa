// raw_sender: a separate client process for the end-to-end tests that sends
// one deliberately bad request to a node through the transport (no Client
// library, so nothing is validated on this side) and prints the reply.
//
//   raw_sender ENDPOINT KIND
//   KIND: garbage | bad-version | oversized-batch | nan-feature |
//         no-candidates | empty-user
//
// Prints one line "error <code number> <request id> <message>" for an
// ErrorReply (exit 0),
// "reply <kind index>" for anything else (exit 1); no reply within 10 s or a
// local failure: a message on stderr, exit 2.
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "cluster/zmq_transport.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

PredictRequest GoodPredict() {
  PredictRequest r;
  r.request_id = 7;
  r.user = "raw-user";
  r.candidates = {{"a", {}}, {"b", {}}};
  return r;
}

// A StatusRequest frame whose protocolVersion (the first 16-bit field of the
// root struct, right after the segment table and the root pointer) is 99.
Result<std::string> BadVersionFrame() {
  std::string frame = EncodeFrame(StatusRequest{7});
  constexpr size_t kVersionOffset = 16;  // 8 (segment table) + 8 (root pointer)
  if (frame.size() < kVersionOffset + 2 || frame[kVersionOffset] != kProtocolVersion ||
      frame[kVersionOffset + 1] != 0) {
    return Status::Internal("unexpected frame layout: cannot find the protocol version");
  }
  frame[kVersionOffset] = 99;
  return frame;
}

Result<std::string> FrameFor(const std::string& kind) {
  if (kind == "garbage") return std::string("\x00\xffthis is not a frame\x01\x02", 24);
  if (kind == "bad-version") return BadVersionFrame();
  if (kind == "oversized-batch") {
    EventBatch batch;
    batch.batch_id = 7;
    const size_t n = ContentLimits{}.max_events_per_batch + 1;
    for (size_t i = 0; i < n; ++i) {
      Event e;
      e.ts_ms = 1'400'000'000'000;
      e.user = "raw-user";
      e.item = "a";
      e.label = 1;
      e.event_id = "raw:" + std::to_string(i);
      batch.events.push_back(std::move(e));
    }
    return EncodeFrame(batch);
  }
  PredictRequest r = GoodPredict();
  if (kind == "nan-feature") {
    r.context = {{"user", {{"age", std::numeric_limits<double>::quiet_NaN()}}}};
  } else if (kind == "no-candidates") {
    r.candidates.clear();
  } else if (kind == "empty-user") {
    r.user.clear();
  } else {
    return Status::InvalidArgument("unknown kind '" + kind + "'");
  }
  return EncodeFrame(r);
}

int Run(const std::string& endpoint, const std::string& kind) {
  auto frame = FrameFor(kind);
  if (!frame.ok()) {
    std::cerr << "raw_sender: " << frame.status().ToString() << "\n";
    return 2;
  }
  auto transport = cluster::MakeZmqTransport();
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) {
    std::cerr << "raw_sender: " << socket.status().ToString() << "\n";
    return 2;
  }
  Status sent = (*socket)->Send({*frame});
  if (!sent.ok()) {
    std::cerr << "raw_sender: " << sent.ToString() << "\n";
    return 2;
  }
  auto reply = (*socket)->Receive(std::chrono::seconds(10));
  if (!reply.ok() || reply->size() != 1) {
    std::cerr << "raw_sender: no reply: " << reply.status().ToString() << "\n";
    return 2;
  }
  auto message = DecodeFrame((*reply)[0]);
  if (!message.ok()) {
    std::cerr << "raw_sender: undecodable reply: " << message.status().ToString() << "\n";
    return 2;
  }
  if (const auto* error = std::get_if<ErrorReply>(&*message)) {
    std::cout << "error " << static_cast<int>(error->code) << " " << error->request_id << " "
              << error->message << "\n";
    return 0;
  }
  std::cout << "reply " << message->index() << "\n";
  return 1;
}

}  // namespace
}  // namespace driftline

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: raw_sender ENDPOINT KIND\n";
    return 2;
  }
  return driftline::Run(argv[1], argv[2]);
}
