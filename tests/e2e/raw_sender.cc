// raw_sender: a separate client process for the end-to-end tests that sends
// one deliberately bad request to a node through the transport (no Client
// library, so nothing is validated on this side) and prints the reply.
//
//   raw_sender ENDPOINT KIND
//   KIND: garbage | bad-version | oversized-batch | nan-feature |
//         no-candidates | empty-user | long-user | bad-utf8-user |
//         duplicate-candidates | duplicate-feature | reply-kind | two-frames |
//         oversized-frame (17 MiB, over the codec's 16 MiB) |
//         over-transport-limit (65 MiB, over the transport's 64 MiB) |
//         forget-empty-user | forget-long-user | forget-bad-utf8-user
//
// Prints one line "error <code number> <request id> <message>" for an
// ErrorReply (exit 0), "lost <message>" when the node dropped the connection
// instead of answering (exit 3), "reply <kind index>" for anything else
// (exit 1); no reply within 60 s or a local failure: a message on stderr,
// exit 2.
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "client/reply_wire.h"
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

Event OneEvent() {
  Event e;
  e.ts_ms = 1'400'000'000'000;
  e.user = "raw-user";
  e.item = "a";
  e.label = 1;
  e.event_id = "raw:0";
  return e;
}

Result<std::string> FrameFor(const std::string& kind) {
  if (kind == "garbage") return std::string("\x00\xffthis is not a frame\x01\x02", 24);
  if (kind == "long-user" || kind == "duplicate-feature") {
    EventBatch batch;
    batch.batch_id = 7;
    batch.events = {OneEvent()};
    if (kind == "long-user") {
      batch.events[0].user = std::string(size_t{1} << 20, 'u');
    } else {
      batch.events[0].features = {{"item", {{"g", 1.0}, {"g", 2.0}}}};
    }
    return EncodeFrame(batch);
  }
  if (kind == "reply-kind") {
    PredictReply reply;
    reply.request_id = 7;
    reply.scores = {{"a", std::numeric_limits<double>::quiet_NaN()}};
    return EncodeFrame(reply);
  }
  if (kind == "oversized-frame") {
    return EncodeFrame(ModelRegisterRequest{7, std::string(size_t{17} << 20, 'a')});
  }
  if (kind == "over-transport-limit") {
    return EncodeFrame(ModelRegisterRequest{7, std::string(size_t{65} << 20, 'a')});
  }
  if (kind == "bad-version") return BadVersionFrame();
  if (kind == "forget-empty-user") return EncodeFrame(ForgetUserRequest{7, ""});
  if (kind == "forget-long-user") return EncodeFrame(ForgetUserRequest{7, std::string(1025, 'u')});
  if (kind == "forget-bad-utf8-user") return EncodeFrame(ForgetUserRequest{7, "raw\xff"});
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
  } else if (kind == "bad-utf8-user") {
    r.user = "raw\xff";
  } else if (kind == "duplicate-candidates") {
    r.candidates = {{"a", {}}, {"b", {}}, {"a", {}}};
  } else if (kind == "two-frames") {
    // Valid content; the sender adds a second frame (Run).
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
  cluster::TransportOptions options;
  options.max_frame_bytes = -1;  // a careless sender: the node's limits must hold alone
  auto transport = cluster::MakeZmqTransport(options);
  auto socket = transport->Connect(endpoint);
  if (!socket.ok()) {
    std::cerr << "raw_sender: " << socket.status().ToString() << "\n";
    return 2;
  }
  cluster::Frames frames = {*frame};
  if (kind == "two-frames") frames.push_back("extra");
  // An echo first, so that the connection is established when the bad frame
  // goes out and a drop of it is reported as a loss, not a silence.
  Status echo = (*socket)->Send({EncodeFrame(StatusRequest{1})});
  if (echo.ok()) echo = (*socket)->Receive(std::chrono::seconds(60)).status();
  if (!echo.ok()) {
    std::cerr << "raw_sender: no answer to a status request: " << echo.ToString() << "\n";
    return 2;
  }
  Status sent = (*socket)->Send(std::move(frames));
  if (!sent.ok()) {
    std::cerr << "raw_sender: " << sent.ToString() << "\n";
    return 2;
  }
  auto reply = (*socket)->Receive(std::chrono::seconds(60));
  if (!reply.ok() && client_wire::IsConnectionLost(reply.status())) {
    std::cout << "lost " << reply.status().message() << "\n";
    return 3;
  }
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
