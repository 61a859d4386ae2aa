// Bad input from a separate client process (raw_sender): each bad frame gets
// an ErrorReply with a clear message, is counted, and the node keeps serving.
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
