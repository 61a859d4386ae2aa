// Bad input from a separate client process (raw_sender): each bad frame gets
// an ErrorReply with a clear message, is counted, and the node keeps serving.
#include <fstream>
#include <map>

#include "protocol/event_jsonl.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

struct BadCase {
  const char* kind;
  Status::Code code;
  const char* message_part;  // must appear in the ErrorReply's message
};

TEST_CASE("bad frames from another process each get an ErrorReply and the node keeps serving") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
  const int64_t bad_before = Ok(Counter(*client, "endpoint_bad_frames"));

  const std::vector<BadCase> cases = {
      {"garbage", Status::Code::kCorruption, ""},
      {"bad-version", Status::Code::kInvalidArgument, "unsupported protocol version 99"},
      {"oversized-batch", Status::Code::kResourceExhausted, "10000"},
      {"nan-feature", Status::Code::kInvalidArgument, "must be finite"},
      {"no-candidates", Status::Code::kInvalidArgument, "candidates"},
      {"empty-user", Status::Code::kInvalidArgument, "user"},
  };
  int64_t sent = 0;
  for (const BadCase& c : cases) {
    INFO("kind " << c.kind);
    const std::string out = dir.File(std::string(c.kind) + ".out");
    const std::string err = dir.File(std::string(c.kind) + ".err");
    const int code = Ok(RunToCompletion({RawSenderBinary(), node->endpoint(), c.kind}, out, err,
                                        std::chrono::seconds(60)));
    const std::string line = ReadFileOrEmpty(out);
    INFO("raw_sender printed: " << line << ReadFileOrEmpty(err));
    REQUIRE(code == 0);  // an ErrorReply came back
    ++sent;
    const std::string expected_prefix =
        "error " + std::to_string(static_cast<int>(c.code)) + " 0 ";
    CHECK(line.rfind(expected_prefix, 0) == 0);
    CHECK(line.size() > expected_prefix.size() + 10);  // a message, not just a code
    CHECK(line.find(c.message_part) != std::string::npos);
    CHECK(line.find('\n') == line.size() - 1);  // one line

    // Counted, and the node still serves normally.
    CHECK(Ok(Counter(*client, "endpoint_bad_frames")) == bad_before + sent);
    PredictRequest request;
    request.user = "e2e-gina";
    request.candidates = {{"1074638", {}}};
    request.deadline_ms = 5000;
    PredictReply reply = Ok(client->Predict(request, std::chrono::seconds(15)));
    CHECK(reply.model_version == "v1");
    CHECK_FALSE(reply.fallback);
  }
  CHECK(node->Running());
}

// Every counter of the node by name.
std::map<std::string, int64_t> Counters(Client& client) {
  std::map<std::string, int64_t> all;
  for (const auto& c : Ok(client.NodeStatus()).counters) all[c.name] = c.value;
  return all;
}

// The counters that are allowed to move while bad input is refused: the
// endpoint's own (frames, bad frames, unexpected kinds).
std::map<std::string, int64_t> WithoutEndpointCounters(std::map<std::string, int64_t> all) {
  for (auto it = all.begin(); it != all.end();) {
    it = it->first.rfind("endpoint_", 0) == 0 ? all.erase(it) : std::next(it);
  }
  return all;
}

// Scores of a few users and items that the events below moved, bit for bit.
std::vector<double> Probe(Client& client) {
  std::vector<double> scores;
  for (const char* user : {"e2e-ivy", "e2e-jack"}) {
    for (const char* item : {"1074638", "0104257"}) scores.push_back(Ok(Score(client, user, item)));
  }
  return scores;
}

TEST_CASE("every door refuses input beyond the shared limits with a clear error and changes nothing") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir));
  auto client = Ok(node->Connect());
  REQUIRE(Ok(Serve(*client, models.v1)) == "v1");
  std::vector<Event> events;
  for (int i = 0; i < 20; ++i) {
    events.push_back(Labelled(i % 2 ? "e2e-ivy" : "e2e-jack", "1074638", i % 3 == 0, "door:" + std::to_string(i)));
  }
  REQUIRE(Ok(client->SendEvents(EventSourceFromVector(events), 5, 2)).accepted == 20);

  const std::vector<double> scores_before = Probe(*client);
  const std::map<std::string, int64_t> before = Counters(*client);

  // The wire, from another process.
  const std::vector<BadCase> cases = {
      {"long-user", Status::Code::kInvalidArgument,
       "events[0].user is 1048576 bytes long, more than the limit of 1024 bytes"},
      {"bad-utf8-user", Status::Code::kInvalidArgument, "user is not valid UTF-8 (bad byte at offset 3)"},
      {"duplicate-candidates", Status::Code::kInvalidArgument,
       "candidates[2].item 'a' repeats candidates[0].item"},
      {"duplicate-feature", Status::Code::kInvalidArgument, "events[0].features['item']['g'] appears twice"},
      {"reply-kind", Status::Code::kInvalidArgument, "unexpected message kind PredictReply: a node takes"},
      {"two-frames", Status::Code::kInvalidArgument, "expected one frame per request, got 2"},
      {"oversized-frame", Status::Code::kResourceExhausted, "exceeds the limit of 16777216 bytes"},
  };
  for (const BadCase& c : cases) {
    INFO("kind " << c.kind);
    const std::string out = dir.File(std::string(c.kind) + ".out");
    const std::string err = dir.File(std::string(c.kind) + ".err");
    const int code = Ok(RunToCompletion({RawSenderBinary(), node->endpoint(), c.kind}, out, err,
                                        std::chrono::seconds(120)));
    const std::string line = ReadFileOrEmpty(out);
    INFO("raw_sender printed: " << line << ReadFileOrEmpty(err));
    REQUIRE(code == 0);  // an ErrorReply came back
    CHECK(line.rfind("error " + std::to_string(static_cast<int>(c.code)) + " 0 ", 0) == 0);
    CHECK(line.find(c.message_part) != std::string::npos);
  }
  // A frame over the transport's own limit cannot be read, so it cannot be
  // answered: ZeroMQ drops the connection, and the sender hears that at once.
  {
    const std::string out = dir.File("over-transport-limit.out");
    const int code = Ok(RunToCompletion({RawSenderBinary(), node->endpoint(), "over-transport-limit"},
                                        out, dir.File("over-transport-limit.err"),
                                        std::chrono::seconds(120)));
    INFO("raw_sender printed: " << ReadFileOrEmpty(out) << ReadFileOrEmpty(dir.File("over-transport-limit.err")));
    CHECK(code == 3);
    CHECK(ReadFileOrEmpty(out).rfind("lost the connection to " + node->endpoint(), 5) == 5);
  }

  // JSON Lines, through `driftline send`: the same rule, the same words.
  const std::string file = dir.File("bad.jsonl");
  {
    Event long_item = Labelled("e2e-ivy", std::string(2000, 'i'), 1, "door:long");
    std::ofstream(file) << FormatEventLine(long_item) << "\n";
  }
  const std::string send_err = dir.File("send.err");
  const int send_code = Ok(RunToCompletion(
      {DriftlineBinary(), "send", "--router", node->endpoint(), file}, dir.File("send.out"), send_err,
      std::chrono::seconds(120)));
  INFO("driftline send said: " << ReadFileOrEmpty(send_err));
  CHECK(send_code == 1);
  CHECK(ReadFileOrEmpty(send_err).find(file + ":1: item is 2000 bytes long, more than the limit of 1024 bytes") !=
        std::string::npos);

  // Nothing changed but the endpoint's counters.
  const std::map<std::string, int64_t> after = Counters(*client);
  CHECK(WithoutEndpointCounters(after) == WithoutEndpointCounters(before));
  CHECK(after.at("endpoint_bad_frames") == before.at("endpoint_bad_frames") +
                                               static_cast<int64_t>(cases.size()));
  CHECK(after.at("endpoint_unexpected_kind") == before.at("endpoint_unexpected_kind") + 1);
  CHECK(Probe(*client) == scores_before);
  CHECK(node->Running());
}

TEST_CASE("the client library refuses bad requests before sending them") {
  TempDir dir;
  auto node = Ok(StartNode(dir));
  auto client = Ok(node->Connect());
  const int64_t frames_before = Ok(Counter(*client, "endpoint_frames"));
  PredictRequest empty_user;
  empty_user.candidates = {{"a", {}}};
  CHECK(client->Predict(empty_user).status().code() == Status::Code::kInvalidArgument);
  PredictRequest no_candidates;
  no_candidates.user = "u";
  CHECK(client->Predict(no_candidates).status().code() == Status::Code::kInvalidArgument);
  CHECK(Ok(Counter(*client, "endpoint_bad_frames")) == 0);
  // Nothing reached the node but the status requests.
  CHECK(Ok(Counter(*client, "endpoint_frames")) == frames_before + 2);
}

}  // namespace
}  // namespace driftline::e2e
