#include "tests/e2e/harness.h"

#include <fstream>

namespace driftline::e2e {
namespace {

constexpr size_t kSliceLines = 2000;
constexpr auto kToolTimeout = std::chrono::minutes(3);

// Runs `driftline ARGS` to completion; the error carries its stderr.
Status RunDriftlineTool(const TempDir& dir, const std::vector<std::string>& args,
                        const std::string& stdout_path) {
  std::vector<std::string> argv = {DriftlineBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string err_path = dir.File("tool.err");
  auto code = RunToCompletion(argv, stdout_path, err_path, kToolTimeout);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return Status::Internal("driftline " + args[0] + " exited " + std::to_string(*code) + ": " +
                            ReadFileOrEmpty(err_path));
  }
  return Status::Ok();
}

Status WriteSlice(const std::string& from, const std::string& to, size_t lines) {
  std::ifstream in(from);
  std::ofstream out(to);
  if (!in || !out) return Status::IoError("cannot copy " + from + " to " + to);
  std::string line;
  for (size_t i = 0; i < lines && std::getline(in, line); ++i) out << line << "\n";
  return out ? Status::Ok() : Status::IoError("cannot write " + to);
}

}  // namespace

std::string DriftlineBinary() { return DRIFTLINE_BINARY; }
std::string RawSenderBinary() { return RAW_SENDER_BINARY; }

Result<TrainedModels> TrainModels(const TempDir& dir) {
  const std::string data = DRIFTLINE_DATA_DIR "/movietweetings";
  TrainedModels m{dir.File("events.jsonl"), dir.File("v1.model"), dir.File("v2.model")};
  const std::string slice = dir.File("ratings.dat");
  DRIFTLINE_RETURN_IF_ERROR(WriteSlice(data + "/ratings.dat", slice, kSliceLines));
  DRIFTLINE_RETURN_IF_ERROR(RunDriftlineTool(
      dir, {"convert", "--from", "movietweetings", slice, "--movies", data + "/movies.dat"}, m.events));
  const std::string until = std::to_string(kTestTs);
  DRIFTLINE_RETURN_IF_ERROR(RunDriftlineTool(
      dir, {"train", "--events", m.events, "--until", until, "--out", m.v1, "--version", "v1",
            "--bits", "16"},
      dir.File("train.out")));
  DRIFTLINE_RETURN_IF_ERROR(RunDriftlineTool(
      dir, {"train", "--events", m.events, "--until", until, "--out", m.v2, "--version", "v2",
            "--bits", "16", "--epochs", "1", "--learning-rate", "0.5"},
      dir.File("train.out")));
  return m;
}

Result<std::unique_ptr<NodeProcess>> StartNode(const TempDir& dir, bool fault_injection) {
  NodeConfig config;
  config.binary = DriftlineBinary();
  config.data_dir = dir.File("data");
  config.log_path = dir.File("node.log");
  config.fault_injection = fault_injection;
  return NodeProcess::Start(config);
}

Result<std::string> Serve(Client& client, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Status::NotFound("cannot read " + path);
  auto registered = client.RegisterModel(std::move(bytes));
  if (!registered.ok()) return registered.status();
  auto active = client.ActivateModel(registered->version);
  if (!active.ok()) return active.status();
  return active->version;
}

Result<double> Score(Client& client, const std::string& user, const std::string& item,
                     int64_t ts_ms) {
  // Settle first: a status request travels behind the arm updates already
  // queued at every partition, while the predict's reads travel ahead of
  // them; without it two scores could differ only by when they were read.
  if (auto settled = client.NodeStatus(); !settled.ok()) return settled.status();
  PredictRequest request;
  request.user = user;
  request.candidates = {{item, {}}};
  request.ts_ms = ts_ms;
  request.deadline_ms = 5000;  // generous: a slow machine must not fall back here
  auto reply = client.Predict(request, std::chrono::seconds(15));
  if (!reply.ok()) return reply.status();
  if (reply->fallback) return Status::Unavailable("fallback reply: " + reply->fallback_reason);
  if (reply->scores.size() != 1) return Status::Internal("expected one score");
  return reply->scores[0].probability;
}

Result<int64_t> Counter(Client& client, const std::string& name) {
  auto status = client.NodeStatus();
  if (!status.ok()) return status.status();
  for (const auto& c : status->counters) {
    if (c.name == name) return c.value;
  }
  return int64_t{0};
}

Event Labelled(const std::string& user, const std::string& item, int label,
               const std::string& event_id) {
  Event e;
  e.ts_ms = kTestTs;
  e.user = user;
  e.item = item;
  e.label = label;
  e.event_id = event_id;
  return e;
}

}  // namespace driftline::e2e
