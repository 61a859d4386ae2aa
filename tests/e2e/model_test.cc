// Model registry through a real node process: register, activate, rollback,
// with the library and with `driftline model` / `driftline status`.
#include <fstream>

#include "protocol/json.h"
#include "tests/e2e/harness.h"

namespace driftline::e2e {
namespace {

// Runs `driftline ARGS`; returns {exit code, stdout}; stderr goes to the INFO.
std::pair<int, std::string> RunCli(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), DriftlineBinary());
  const std::string out = dir.File("cli.out");
  const std::string err = dir.File("cli.err");
  std::remove(out.c_str());
  std::remove(err.c_str());
  const int code = Ok(RunToCompletion(args, out, err, std::chrono::seconds(60)));
  UNSCOPED_INFO("stderr of driftline " << args[1] << ": " << ReadFileOrEmpty(err));
  return {code, ReadFileOrEmpty(out)};
}

PredictReply PredictOne(Client& client, const std::string& item) {
  PredictRequest request;
  request.user = "e2e-erin";
  request.candidates = {{item, {}}};
  request.ts_ms = kTestTs;
  request.deadline_ms = 5000;
  return Ok(client.Predict(request, std::chrono::seconds(15)));
}

TEST_CASE("activating v2 then rolling back: every reply names the version it used") {
  TempDir dir;
  TrainedModels models = Ok(TrainModels(dir));
  auto node = Ok(StartNode(dir));
  auto client = Ok(node->Connect());
  const std::string& ep = node->endpoint();

  // Before any model: predict is refused, status shows no active version.
  PredictRequest request;
  request.user = "e2e-erin";
  request.candidates = {{"1074638", {}}};
  auto refused = client->Predict(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kFailedPrecondition);
  CHECK(refused.status().message().find("no base model is active") != std::string::npos);
  CHECK(Ok(client->NodeStatus()).active_version.empty());

  CHECK(RunCli(dir, {"model", "register", "--node", ep, models.v1}) == std::make_pair(0, std::string("v1\n")));
  CHECK(RunCli(dir, {"model", "activate", "--node", ep, "v1"}) == std::make_pair(0, std::string("v1\n")));
  const PredictReply on_v1 = PredictOne(*client, "1074638");
  CHECK(on_v1.model_version == "v1");

  std::ifstream in(models.v2, std::ios::binary);
  std::string v2_bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(Ok(client->RegisterModel(v2_bytes)).version == "v2");
  ModelReply activated = Ok(client->ActivateModel("v2"));
  CHECK(activated.version == "v2");
  CHECK_FALSE(activated.content_hash.empty());
  const PredictReply on_v2 = PredictOne(*client, "1074638");
  CHECK(on_v2.model_version == "v2");
  CHECK(on_v2.scores[0].probability != on_v1.scores[0].probability);

  CHECK(RunCli(dir, {"model", "rollback", "--node", ep}) == std::make_pair(0, std::string("v1\n")));
  const PredictReply back = PredictOne(*client, "1074638");
  CHECK(back.model_version == "v1");
  CHECK(back.scores[0].probability == Approx(on_v1.scores[0].probability));

  auto [code, text] = RunCli(dir, {"status", "--node", ep, "--json"});
  REQUIRE(code == 0);
  Json status = Ok(ParseJson(text));
  CHECK(status.FindMember("active_version")->as_string() == "v1");
  CHECK(status.FindMember("partitions")->as_number() == 16);
  const Json* counters = status.FindMember("counters");
  REQUIRE(counters != nullptr);
  CHECK(counters->FindMember("coordinator_activations")->as_number() == 2);
  CHECK(counters->FindMember("coordinator_rollbacks")->as_number() == 1);

  {  // An unknown version is NotFound, naming it; the active model stays.
    auto missing = client->ActivateModel("v404");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == Status::Code::kNotFound);
    CHECK(missing.status().message().find("v404") != std::string::npos);
    auto [cli_code, cli_out] = RunCli(dir, {"model", "activate", "--node", ep, "v404"});
    CHECK(cli_code == 1);
    CHECK(cli_out.empty());
    CHECK(PredictOne(*client, "1074638").model_version == "v1");
  }
  {  // A file that is not an artifact is refused before anything is sent.
    std::ofstream(dir.File("junk.model")) << "not a model";
    auto [cli_code, cli_out] = RunCli(dir, {"model", "register", "--node", ep, dir.File("junk.model")});
    CHECK(cli_code == 1);
    CHECK(Ok(Counter(*client, "coordinator_registered")) == 2);
  }
}

TEST_CASE("client commands against no node fail with one line naming the endpoint") {
  TempDir dir;
  const int port = Ok(PickFreePort());
  const std::string ep = "tcp://127.0.0.1:" + std::to_string(port);
  auto [code, out] = RunCli(dir, {"status", "--node", ep, "--timeout-ms", "300"});
  CHECK(code == 1);
  CHECK(out.empty());
  const std::string err = ReadFileOrEmpty(dir.File("cli.err"));
  CHECK(err == "driftline status: deadline exceeded: no reply from " + ep +
                   " within 300 ms: is the node running?\n");
}

}  // namespace
}  // namespace driftline::e2e
